"""`cyberdip export`: every shipped rubric as an OSCAL catalog and every shipped assessment
as OSCAL assessment-results, valid against the official schemas of both versions
(tests/data/oscal, validated with check-jsonschema, whose regex engine compiles the
schemas' \\p{L} patterns), the same bytes on every run; and its errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.conftest import DATA, ROOT

SCHEMAS = DATA / "oscal"
VERSIONS = ("1.1.2", "1.2.1")
BUILTINS = sorted(p.stem for p in (ROOT / "rubrics").glob("*.yaml")
                  if ".ur" not in p.name and p.name != "pack.yaml")
#: an example's own rubric is `rubric.yaml`, or `rubric-EDITION.yaml` beside it
RUBRIC_NAME = re.compile(r"rubric(-[\w.-]+)?\.yaml")
RUBRICS = [*BUILTINS, *sorted(str(p) for p in (ROOT / "examples").rglob("rubric*.yaml")
                              if RUBRIC_NAME.fullmatch(p.name))]
ASSESSMENTS = sorted(p for p in (ROOT / "examples").rglob("*.yaml")
                     if not RUBRIC_NAME.fullmatch(p.name) and p.name != "pack.yaml")


def check_jsonschema(schema, files) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile",
                           str(schema), *map(str, files)], capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Every shipped rubric and assessment exported in both versions, by the real CLI
    (in-process runs share one module-scoped folder)."""
    from typer.testing import CliRunner

    from tests.conftest import cli_app

    out = tmp_path_factory.mktemp("oscal")
    runner, app = CliRunner(), cli_app()
    files: dict[tuple[str, str], list] = {}
    for version in VERSIONS:
        for i, rubric in enumerate(RUBRICS):
            target = out / f"catalog-{version}-{i}.json"
            r = runner.invoke(app, ["export", rubric, "-o", str(target),
                                    "--oscal-version", version])
            assert r.exit_code == 0, r.output
            files.setdefault(("catalog", version), []).append(target)
        for i, path in enumerate(ASSESSMENTS):
            target = out / f"results-{version}-{i}.json"
            r = runner.invoke(app, ["export", str(path), "-o", str(target), "--oscal-version",
                                    version, "--findings"])
            assert r.exit_code == 0, r.output
            files.setdefault(("assessment-results", version), []).append(target)
    return files


@pytest.mark.parametrize("model", ["catalog", "assessment-results"])
@pytest.mark.parametrize("version", VERSIONS)
def test_every_shipped_file_exports_to_oscal_that_validates(exported, model, version):
    files = exported[(model, version)]
    assert len(files) == len(RUBRICS if model == "catalog" else ASSESSMENTS)
    for f in files:
        assert json.loads(f.read_text("utf-8"))[model]["metadata"]["oscal-version"] == version
    r = check_jsonschema(SCHEMAS / version / f"oscal_{model}_schema.json", files)
    assert (r.returncode, r.stdout.strip()) == (0, "ok -- validation done"), r.stdout[:2000]


def test_the_validator_would_catch_an_id_oscal_refuses(exported, tmp_path):
    """The validation above can fail: an id such as `1.2`, unmapped, is refused."""
    doc = json.loads(exported[("catalog", "1.1.2")][0].read_text("utf-8"))
    doc["catalog"]["groups"][0]["id"] = "1.2"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    r = check_jsonschema(SCHEMAS / "1.1.2" / "oscal_catalog_schema.json", [bad])
    assert r.returncode == 1 and "Schema validation errors" in r.stdout


def test_the_same_input_gives_the_same_bytes(cli, tmp_path):
    path = ROOT / "examples" / "pakistan-mofa-2023.yaml"
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert cli("export", path, "-o", a, "--findings").code == 0
    assert cli("export", path, "-o", b, "--findings").code == 0
    assert a.read_bytes() == b.read_bytes()
    r = cli("export", path, "-o", "-", "--findings")
    assert (r.code, r.stderr) == (0, "")
    assert r.stdout == a.read_text("utf-8")


def test_a_rubric_says_what_was_written(cli, tmp_path):
    out = tmp_path / "core.json"
    r = cli("export", "cyberdip-core", "-o", out, "--oscal-version", "1.2.1")
    from cyberdip.formats import documents

    version = documents.get_rubric("cyberdip-core").version
    assert (r.code, r.stdout, r.stderr) == (
        0, "", f"wrote {out}: an OSCAL 1.2.1 catalog of cyberdip-core {version}\n")
    doc = json.loads(out.read_text("utf-8"))
    assert doc["catalog"]["metadata"]["oscal-version"] == "1.2.1"


def test_an_assessment_without_a_date_is_refused_and_nothing_is_written(cli, tmp_path):
    src = ROOT / "examples" / "missions" / "embassy-berlin.yaml"
    text = "".join(line for line in src.read_text("utf-8").splitlines(keepends=True)
                   if not line.startswith("date:"))
    path = tmp_path / "nodate.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "x.json"
    r = cli("export", path, "-o", out)
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr.startswith(f"{path}: error[CD406]: the assessment has no `date`")
    assert not out.exists()


def test_a_rubric_without_a_release_date_is_refused(cli, tmp_path):
    src = ROOT / "examples" / "frameworks" / "itu-gci" / "rubric.yaml"
    path = tmp_path / "rubric.yaml"
    path.write_text("".join(line for line in src.read_text("utf-8").splitlines(True)
                            if not line.startswith("released:")), encoding="utf-8")
    r = cli("export", path, "-o", tmp_path / "x.json")
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr == (f"{path}: error[CD406]: the rubric declares no `released` date, which "
                        "an OSCAL catalog needs as its last-modified time; add `released: "
                        "YYYY-MM-DD` (the day this version was released) to the rubric\n")


def test_the_output_rule_and_the_extension_apply(cli, tmp_path):
    out = tmp_path / "core.json"
    out.write_text("keep", encoding="utf-8")
    r = cli("export", "cyberdip-core", "-o", out)
    assert (r.code, r.stdout, r.stderr) == (
        2, "", f"{out}: error[CD401]: already exists; use --force to overwrite it\n")
    assert out.read_text("utf-8") == "keep"
    r = cli("export", "cyberdip-core", "-o", tmp_path / "core.xml")
    assert (r.code, r.stdout) == (2, "")
    assert "error[CD404]: `.xml`: `cyberdip export` writes .json" in r.stderr


def test_assessment_options_on_a_rubric_are_a_usage_error(cli, tmp_path):
    r = cli("export", "cyberdip-core", "-o", tmp_path / "x.json", "--findings")
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == ("cyberdip-core: error: --findings, --rubric and --strict are for an "
                        "assessment; this is a rubric\n")


def test_a_translation_is_not_exported(cli, tmp_path):
    path = ROOT / "rubrics" / "cyberdip-core.ur.yaml"
    r = cli("export", path, "-o", tmp_path / "x.json")
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr == f"{path}:1:1: error[CD004]: this is a translation; export its " \
                       "rubric, or an assessment\n"
