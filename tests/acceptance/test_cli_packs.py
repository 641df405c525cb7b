"""Rubric packs on the command line (docs/packs.md): `--packs DIR` and `CYBERDIP_PACKS`
on the commands that take a rubric, `cyberdip rubrics` saying where each comes from,
`validate` of a whole pack, and the rubric pin (`init --pin`, `rubric_sha256`)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest

from cyberdip.formats import pack_manifest, packs
from tests.conftest import DATA, ROOT

GCI = ROOT / "examples" / "frameworks" / "itu-gci"


@pytest.fixture(autouse=True)
def _no_search_path(monkeypatch):
    monkeypatch.delenv(packs.ENV, raising=False)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def gci(tmp_path) -> Path:
    """A copy of the ITU GCI pack, and beside it an assessment naming its rubric by id."""
    folder = tmp_path / "packs" / "itu-gci"
    shutil.copytree(GCI, folder)
    text = (GCI / "pakistan-2024.yaml").read_text().replace("rubric: rubric.yaml",
                                                             "rubric: itu-gci")
    (tmp_path / "pakistan.yaml").write_text(text)
    return folder


def refresh(folder: Path) -> None:
    assert pack_manifest.main([str(folder)]) == 0


# -- the search path ------------------------------------------------------------------------


def test_an_id_from_a_pack_is_not_found_without_the_pack(cli, gci, tmp_path):
    r = cli("score", tmp_path / "pakistan.yaml")
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr.startswith(f"{tmp_path / 'pakistan.yaml'}:4:9: error[CD306]: rubric "
                               "`itu-gci` not found: it is neither a built-in rubric")


@pytest.mark.parametrize("named", ["the pack", "its parent folder"])
def test_packs_names_a_pack_or_a_folder_of_packs(cli, gci, tmp_path, named):
    where = gci if named == "the pack" else gci.parent
    r = cli("score", tmp_path / "pakistan.yaml", "--packs", where)
    assert (r.code, r.stderr) == (0, "")
    assert "(itu-gci 2024.0.0)" in r.stdout


def test_the_environment_variable_names_pack_folders(cli, gci, tmp_path, monkeypatch):
    monkeypatch.setenv(packs.ENV, os.pathsep.join([str(tmp_path / "nowhere"), str(gci.parent)]))
    r = cli("score", tmp_path / "pakistan.yaml", "--format", "json")
    assert (r.code, r.stderr) == (0, "")
    assert f'"sha256": "{sha(gci / "rubric.yaml")}"' in r.stdout


def test_a_folder_given_with_packs_that_holds_no_pack_is_a_usage_error(cli, gci, tmp_path):
    r = cli("score", tmp_path / "pakistan.yaml", "--packs", tmp_path / "missing")
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == (f"{tmp_path / 'missing'}: error[CD734]: `{tmp_path / 'missing'}` is not "
                        "a folder of rubric packs: it does not exist; name a folder that holds "
                        "a pack.yaml, or folders that do\n")


def test_init_names_a_pack_rubric_by_its_id(cli, gci, tmp_path):
    out = tmp_path / "blank.yaml"
    r = cli("init", "itu-gci@2020", "--packs", gci, "-o", out)
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr.startswith(f"wrote {out}: 5 criteria to answer")
    text = out.read_text()
    assert 'rubric: "itu-gci@2020"\nrubric_version: "2020.0.0"\n' in text


def test_a_tampered_pack_is_refused(cli, gci, tmp_path):
    rubric = gci / "rubric.yaml"
    rubric.write_bytes(rubric.read_bytes().replace(b"five pillars, five tiers",
                                                   b"five pillars, six tiers", 1))
    r = cli("score", tmp_path / "pakistan.yaml", "--packs", gci)
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr.startswith(
        f"{rubric}: error[CD731]: this file's bytes do not match the pack's manifest "
        f"({gci / 'pack.yaml'}): expected sha256 {sha(GCI / 'rubric.yaml')}, found {sha(rubric)}.")
    assert f"run `{packs.REFRESH} {gci}` to refresh the manifest" in r.stderr


def test_a_pack_that_redefines_a_built_in_version_is_refused_naming_both(cli, tmp_path):
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "cyberdip-core.yaml").write_bytes(
        (ROOT / "rubrics" / "cyberdip-core.yaml").read_bytes() + b"# our change\n")
    assert pack_manifest.main([str(folder), "--licence", "MIT", "--source", "ours"]) == 0
    r = cli("init", "cyberdip-core", "--packs", folder, "-o", tmp_path / "x.yaml")
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr.startswith(f"{folder / 'pack.yaml'}:")
    assert "error[CD732]: `cyberdip-core` 2.1.0 is both a built-in rubric (" in r.stderr
    assert str(ROOT / "rubrics" / "cyberdip-core.yaml") in r.stderr
    assert f"and in this pack ({folder / 'cyberdip-core.yaml'}," in r.stderr
    assert not (tmp_path / "x.yaml").exists()


# -- cyberdip rubrics -----------------------------------------------------------------------


def test_rubrics_says_where_each_rubric_comes_from(cli, gci):
    r = cli("rubrics", "--packs", gci.parent)
    assert (r.code, r.stderr) == (0, "")
    rows = [re.split(r"\s{2,}", line.strip()) for line in r.stdout.splitlines()]
    assert rows[0] == ["id", "version", "areas", "criteria", "from", "title"]
    origin = {row[0]: (row[1], row[4]) for row in rows[1:]}
    assert origin["cyberdip-core"] == ("2.1.0", "built-in")
    assert origin["itu-gci"] == ("2024.0.0", str(gci))
    assert origin["itu-gci@2020.0"] == ("2020.0.0", str(gci))


# -- validate a pack ------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["folder", "manifest"])
def test_validate_checks_a_whole_pack(cli, gci, how):
    r = cli("validate", gci if how == "folder" else gci / "pack.yaml")
    assert (r.code, r.stdout, r.stderr) == (0, "", "5 files checked: all valid\n")


def test_validate_finds_a_changed_file_an_unlisted_one_and_a_manifest_that_lies(cli, gci):
    (gci / "pakistan-2024.yaml").write_text(
        (gci / "pakistan-2024.yaml").read_text() + "# changed\n")
    shutil.copy(gci / "pakistan-2020.yaml", gci / "extra.yaml")
    manifest = gci / "pack.yaml"
    manifest.write_text(manifest.read_text().replace('version: "2020.0.0"',
                                                     'version: "2019.0.0"'))
    # an unreadable manifest: every file of its folder is checked all the same
    r = cli("validate", manifest)  # problems on stdout, the summary on stderr
    assert (r.code, r.stderr) == (1, "6 files checked, 1 error in 1 file\n")
    assert r.stdout == (f"{manifest}:6:11: error[CD730]: `versions` must be the versions of "
                        "the pack's rubrics: 2019.0.0, 2024.0.0\n")
    # with the versions put right, what the manifest says of the file is compared
    manifest.write_text(manifest.read_text().replace('versions: ["2024.0.0", "2020.0.0"]',
                                                     'versions: ["2024.0.0", "2019.0.0"]'))
    r = cli("validate", gci)
    assert (r.code, r.stderr) == (1, "6 files checked, 2 errors in 1 file, 1 warning\n")
    problems = r.stdout.splitlines()
    assert [re.sub(r"^(\S+?):.*?(error|warning)\[(CD\d+)\].*", r"\1 \3", p) for p in problems] \
        == [f"{gci / 'pakistan-2024.yaml'} CD731", f"{manifest} CD735", f"{manifest} CD736"]
    assert ("error[CD736]: the manifest says `rubric-2020.yaml` has version `2019.0.0`, but the "
            "file has `2020.0.0`") in r.stdout
    assert "warning[CD735]: `extra.yaml` is in the pack's folder but not in its manifest" \
        in r.stdout


def test_validate_checks_a_packs_translation_and_example_against_their_rubric(cli, tmp_path):
    folder = tmp_path / "mini"
    folder.mkdir()
    shutil.copy(DATA / "rubrics" / "mini.yaml", folder)
    shutil.copy(DATA / "rubrics" / "mini.ur.yaml", folder)
    (folder / "example.yaml").write_text("rubric: mini\norganisation: {name: M}\n"
                                         "answers:\n  no-such-criterion: {level: 2}\n")
    assert pack_manifest.main([str(folder), "--licence", "MIT", "--source", "ours"]) == 0
    r = cli("validate", folder)
    assert r.code == 1
    # the example names its rubric by the id its pack gives it, and is checked against it
    assert f"{folder / 'example.yaml'}:4:3: error[CD301]: " in r.stdout
    # the translation is checked against the pack's rubric: what it leaves in English
    assert f"{folder / 'mini.ur.yaml'}:8:1: warning[CD502]: " in r.stdout
    assert "mini.ur.yaml: ur translation covers" in r.stderr
    assert r.stderr.splitlines()[-1].startswith("4 files checked, 1 error in 1 file, ")


# -- the pin --------------------------------------------------------------------------------


def test_init_pin_writes_the_rubric_files_hash_and_scoring_honours_it(cli, tmp_path):
    out = tmp_path / "a.yaml"
    r = cli("init", "cyberdip-core", "--pin", "-o", out)
    assert (r.code, r.stdout) == (0, "")
    pinned = sha(ROOT / "rubrics" / "cyberdip-core.yaml")
    assert f"\nrubric_sha256: {pinned}   #" in out.read_text()
    r = cli("score", out, "--format", "json")
    assert (r.code, r.stderr) == (0, "")
    assert f'"sha256": "{pinned}"' in r.stdout


def test_scoring_refuses_a_rubric_whose_content_no_longer_matches_the_pin(cli, tmp_path):
    rubric = tmp_path / "mini.yaml"
    shutil.copy(DATA / "rubrics" / "mini.yaml", rubric)
    out = tmp_path / "a.yaml"
    assert cli("init", rubric, "--pin", "-o", out).code == 0
    before = sha(rubric)
    rubric.write_text(rubric.read_text().replace("Small enough to score by hand.",
                                                 "Small enough to score by hand, still."))
    r = cli("score", out)
    assert (r.code, r.stdout) == (1, "")
    line = next(i for i, ln in enumerate(out.read_text().splitlines(), 1)
                if ln.startswith("rubric_sha256:"))
    assert r.stderr == (
        f"{out}:{line}:16: error[CD733]: this assessment pins its rubric to sha256 {before}, "
        f"but the rubric found for it, `mini` 1.0.0 at {rubric}, has sha256 {sha(rubric)}: its "
        "content changed since the pin was written. Score on the pinned rubric (put the pack "
        "that holds it on the search path with --packs or CYBERDIP_PACKS), or, if the change "
        f"is intended, set `rubric_sha256: {sha(rubric)}` (or remove the pin)\n")
    # --rubric scores on a rubric chosen on purpose: the pin is set aside
    r = cli("score", out, "--rubric", rubric)
    assert (r.code, r.stderr) == (0, "")


def test_pin_is_for_a_yaml_assessment(cli, tmp_path):
    out = tmp_path / "a.csv"
    r = cli("init", "cyberdip-core", "--pin", "-o", out)
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == (f"{out}: error: --pin writes the pin into a YAML assessment; a .csv "
                        "sheet does not carry it: write a .yaml file, or leave out --pin\n")
    assert not out.exists()


def test_a_pin_that_is_not_a_sha256_is_refused(cli, tmp_path):
    out = tmp_path / "a.yaml"
    assert cli("init", "cyberdip-core", "--pin", "-o", out).code == 0
    out.write_text(re.sub(r"rubric_sha256: \w+", "rubric_sha256: abc", out.read_text()))
    r = cli("validate", out)
    assert (r.code, r.stderr) == (1, "1 file checked, 1 error in 1 file\n")
    assert r.stdout == (f"{out}:130:16: error[CD106]: rubric_sha256: string should match "
                        "pattern '^[0-9a-f]{64}$'\n")


def test_validate_takes_a_pack_rubrics_id(cli, gci):
    r = cli("validate", "itu-gci@2020", "--packs", gci)
    assert (r.code, r.stdout, r.stderr) == (0, "", "1 file checked: all valid\n")


@pytest.mark.parametrize("command", sorted(
    ["validate", "rubrics", "init", "assess", "import", "merge", "score", "report", "compare",
     "aggregate", "sensitivity", "signoff", "status", "export", "schema", "history",
     "import-oscal"]))
def test_every_command_that_takes_a_rubric_has_the_packs_option(cli, command):
    from cyberdip.cli.app import TAKES_RUBRIC

    r = cli(command, "--help")
    assert (r.code, r.stderr) == (0, "")
    assert ("--packs DIR" in r.stdout) == (command in TAKES_RUBRIC)
    # the commands that take no rubric: a schema, a history file, an OSCAL catalog
    assert (command in TAKES_RUBRIC) == (command not in ("schema", "history", "import-oscal"))


@pytest.mark.parametrize("folder", [ROOT / "rubrics", *sorted(
    p for p in (ROOT / "examples" / "frameworks").iterdir() if p.is_dir())],
    ids=lambda p: p.name)
def test_every_shipped_pack_validates_whole(cli, folder):
    n = len(list(folder.rglob("*.yaml")))  # the manifest and every file it lists
    r = cli("validate", folder / "pack.yaml")
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr.splitlines()[-1] == f"{n} files checked: all valid"
