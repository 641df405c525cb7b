"""`cyberdip import-oscal`: a catalog cyberdip exported comes back as the same rubric; a
catalog from another tool becomes a skeleton, with what could not be carried over
listed; and what is not a catalog is a clear error."""

from __future__ import annotations

import re

import pytest

from tests.conftest import DATA, ROOT

RUBRICS = [*sorted(p.stem for p in (ROOT / "rubrics").glob("*.yaml")
                   if ".ur" not in p.name and p.name != "pack.yaml"),
           *sorted(str(p) for p in (ROOT / "examples").rglob("rubric*.yaml")
                   if re.fullmatch(r"rubric(-[\w.-]+)?\.yaml", p.name))]


@pytest.mark.parametrize("rubric", RUBRICS)
def test_an_exported_rubric_comes_back_equal_and_exports_the_same_bytes(cli, rubric, tmp_path):
    from cyberdip.formats import documents

    catalog = tmp_path / "catalog.json"
    assert cli("export", rubric, "-o", catalog).code == 0
    back = tmp_path / "back.yaml"
    r = cli("import-oscal", catalog, "-o", back)
    original = documents.get_rubric(rubric)
    assert (r.code, r.stdout, r.stderr) == (
        0, "", f"wrote {back}: {original.id} {original.version}, "
        f"{original.count_criteria()} criteria, as exported\n")
    assert documents.load_rubric_file(back) == original
    assert cli("validate", back).stderr == "1 file checked: all valid\n"
    again = tmp_path / "again.json"
    assert cli("export", back, "-o", again).code == 0
    assert again.read_bytes() == catalog.read_bytes()


def test_a_foreign_catalog_gives_a_skeleton_and_lists_what_was_dropped(cli, tmp_path):
    out = tmp_path / "skeleton.yaml"
    r = cli("import-oscal", DATA / "oscal" / "foreign-csf-catalog.json", "-o", out)
    assert (r.code, r.stdout) == (0, "")
    lines = r.stderr.splitlines()
    assert lines[0] == (f"wrote {out}: a skeleton of 3 criteria to finish by hand; not "
                        "carried over (9):")
    assert all(line.startswith("  - ") for line in lines[1:]) and len(lines) == 10
    assert "  - `gv.oc-01`: the part `guidance` (not a statement)" in lines
    text = out.read_text("utf-8")
    assert text.startswith("# A skeleton made by `cyberdip import-oscal` from the OSCAL "
                           "catalog foreign-csf-catalog.json:\n")
    assert cli("validate", out).code == 0


@pytest.mark.parametrize("content, message", [
    ('{"catalog": ', "invalid JSON: Expecting value"),
    ('{"profile": {}}', "this is not an OSCAL catalog in JSON"),
])
def test_what_is_not_a_catalog_is_refused_and_nothing_is_written(cli, tmp_path, content,
                                                                 message):
    src = tmp_path / "in.json"
    src.write_text(content, encoding="utf-8")
    out = tmp_path / "out.yaml"
    r = cli("import-oscal", src, "-o", out)
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr.startswith(f"{src}") and "error[CD407]: " + message in r.stderr
    assert not out.exists()


def test_the_catalog_itself_is_never_overwritten(cli, tmp_path):
    catalog = tmp_path / "catalog.yaml"
    catalog.write_bytes((DATA / "oscal" / "foreign-csf-catalog.json").read_bytes())
    r = cli("import-oscal", catalog, "-o", catalog, "--force")
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == f"{catalog}: error[CD401]: this is an input file; choose another " \
                       "output name\n"
