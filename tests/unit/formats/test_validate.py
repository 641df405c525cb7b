"""validate.py: files and folders in, located problems and an exit code out; never prints."""

from __future__ import annotations

import pytest

from cyberdip import yamlio
from cyberdip.errors import InvalidInput
from cyberdip.formats import documents
from cyberdip.formats.validate import exit_code, validate_file, validate_paths
from tests.conftest import DATA

MINI = DATA / "rubrics" / "mini.yaml"


def test_valid_rubric_and_assessment():
    r = validate_file(str(MINI))
    assert (r.kind, r.problems, r.unreadable) == ("rubric", [], False)
    a = validate_file(str(DATA / "assessments" / "mini-answered.yaml"))
    assert (a.kind, a.errors) == ("assessment", [])
    assert exit_code([r, a]) == 0


def test_problems_are_sorted_and_all_collected():
    r = validate_file(str(DATA / "invalid" / "four-problems.yaml"))
    assert [(p.line, p.code) for p in r.problems] == [
        (35, "CD105"), (43, "CD101"), (50, "CD207"), (69, "CD102")]
    assert exit_code([r]) == 1


def test_unreadable_wins_the_exit_code(tmp_path):
    bad = validate_file(str(DATA / "invalid" / "unknown-tag.yaml"))
    missing = validate_file(str(tmp_path / "missing.yaml"))
    assert missing.unreadable and [p.code for p in missing.problems] == ["CD002"]
    assert exit_code([bad, missing]) == 2
    assert exit_code([bad]) == 1


def test_folders_expand_to_yaml_files_only(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.yml").write_text(MINI.read_text())
    (tmp_path / "sub" / "a.yaml").write_text(MINI.read_text())
    (tmp_path / "c.txt").write_text("x")
    (tmp_path / ".d.yaml").write_text("x")
    results = validate_paths([str(tmp_path)])
    assert [r.path for r in results] == [str(tmp_path / "b.yml"), str(tmp_path / "sub" / "a.yaml")]
    assert exit_code(results) == 0


def test_empty_folder_is_unreadable(tmp_path):
    [r] = validate_paths([str(tmp_path)])
    assert r.unreadable and r.problems[0].message == "no .yaml or .yml files in this folder"
    assert exit_code([r]) == 2


@pytest.mark.parametrize(("text", "kind"), [
    ("scale: []\n", "rubric"), ("areas: []\n", "rubric"),
    ("rubric: x\n", "assessment"), ("answers: {}\n", "assessment"),
])
def test_kind_detection(text, kind):
    assert documents.detect_kind(yamlio.parse(text.encode(), "f.yaml")) == kind


@pytest.mark.parametrize("text", ["name: x\n", "- a\n", "just text\n", ""])
def test_unknown_kind(text):
    with pytest.raises(InvalidInput) as e:
        documents.detect_kind(yamlio.parse(text.encode(), "f.yaml"))
    assert [p.code for p in e.value.problems] == ["CD004"]


def test_validate_does_not_print(capsys):
    validate_paths([str(DATA / "invalid"), str(DATA / "valid")])
    assert capsys.readouterr() == ("", "")
