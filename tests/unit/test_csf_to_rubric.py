"""scripts/csf_to_rubric.py: the committed NIST CSF 2.0 rubric is exactly what the script
writes from the vendored JSON, and keeps the CSF's structure, ids and words."""

from __future__ import annotations

import copy
import json
import re

import pytest

from cyberdip import yamlio
from cyberdip.formats import documents
from tests.conftest import ROOT, load_script

VENDORED = ROOT / "tests" / "data" / "nist-csf-2.0" / "csf-2.0.json"
SHARED = ROOT.parent / "shared" / "corpora" / "nist-csf-2.0" / "csf-2.0.json"
RUBRIC = ROOT / "examples" / "frameworks" / "nist-csf-2.0" / "rubric.yaml"


@pytest.fixture(scope="module")
def script():
    return load_script("csf_to_rubric")


@pytest.fixture(scope="module")
def csf():
    return json.loads(VENDORED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rubric():
    return documents.load_rubric_file(RUBRIC)


def test_committed_rubric_is_the_scripts_output(script):
    assert script.SOURCE == VENDORED
    assert script.OUTPUT == RUBRIC
    assert RUBRIC.read_text(encoding="utf-8") == script.render(VENDORED), (
        "run: python scripts/csf_to_rubric.py")


def test_check_mode_passes_when_fresh_and_fails_when_stale(script, tmp_path, capsys):
    out = tmp_path / "rubric.yaml"
    assert script.main(["--output", str(out), "--check"]) == 1  # missing
    assert script.main(["--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == RUBRIC.read_text(encoding="utf-8")
    assert script.main(["--output", str(out), "--check"]) == 0
    out.write_text(out.read_text(encoding="utf-8").replace("GV.OC-01", "GV.OC-1"),
                   encoding="utf-8")
    assert script.main(["--output", str(out), "--check"]) == 1
    assert "stale" in capsys.readouterr().err
    assert script.main(["--check"]) == 0  # the committed one


def test_output_is_deterministic(script):
    assert script.render(VENDORED) == script.render(VENDORED)


def test_vendored_json_is_the_shared_corpus_and_has_its_notice():
    if SHARED.is_file():
        assert VENDORED.read_bytes() == SHARED.read_bytes()
    readme = (VENDORED.parent / "README.md").read_text(encoding="utf-8")
    source = json.loads(VENDORED.read_text(encoding="utf-8"))["source"]
    assert source in " ".join(line.lstrip("> ") for line in readme.splitlines())
    assert "public domain" in readme


def test_counts_are_six_functions_22_categories_106_subcategories(csf, rubric):
    assert script_counts(csf) == (6, 22, 106)
    assert len(rubric.areas) == 6
    assert sum(1 for a in rubric.areas for _ in a.walk_groups()) == 22
    assert rubric.count_criteria() == 106


def script_counts(csf) -> tuple[int, int, int]:
    cats = [c for f in csf["functions"] for c in f["categories"]]
    return len(csf["functions"]), len(cats), sum(len(c["subcategories"]) for c in cats)


def test_a_damaged_input_is_refused(script, csf):
    short = copy.deepcopy(csf)
    short["functions"][0]["categories"][0]["subcategories"].pop()
    with pytest.raises(ValueError, match="105"):
        script.convert(short)


def test_native_ids_titles_and_statements_are_kept_word_for_word(csf, rubric):
    assert [(a.id, a.title) for a in rubric.areas] == [
        (f["id"], f["title"]) for f in csf["functions"]]
    for fn, area in zip(csf["functions"], rubric.areas, strict=True):
        assert area.description is None and area.criteria == []
        assert [g.id for g in area.groups] == [c["id"] for c in fn["categories"]]
        for cat, group in zip(fn["categories"], area.groups, strict=True):
            assert (group.title, group.description) == (cat["title"], cat["statement"])
            assert group.groups == []
            for sub, crit in zip(cat["subcategories"], group.criteria, strict=True):
                assert re.fullmatch(r"[A-Z]{2}\.[A-Z]{2}-\d{2}", crit.id)
                assert crit.id == sub["id"] and crit.id.startswith(cat["id"] + "-")
                assert crit.question == sub["statement"]
                assert crit.kind == "level"
                # nothing invented: no title, descriptors, indicators or recommendations
                assert crit.title is None
                assert (crit.levels, crit.indicators, crit.recommendations) == ({}, {}, {})
                assert [(s.ref, s.section) for s in crit.sources] == [
                    ("nist-cswp-29", f"{cat['id']} {cat['title']}")]
                assert [(m.framework, m.item, m.relationship) for m in crit.mappings] == [
                    ("nist-csf", fn["id"], "subset")]


def test_rubric_metadata(rubric):
    assert rubric.format == 2
    assert rubric.sources["nist-cswp-29"].doi == "10.6028/NIST.CSWP.29"
    assert rubric.sources["nist-cswp-29"].year == 2024
    assert [s.name for s in rubric.scale] == [
        "Not implemented", "Partially implemented", "Largely implemented", "Fully implemented"]
    assert [s.level for s in rubric.scale] == [0, 1, 2, 3]
    assert rubric.scoring.stage_gate == "none"
    assert rubric.labels.index == "implementation score"
    assert "cyberdip's own" in rubric.description and "not part of the CSF" in rubric.description


def test_example_profile_answers_only_real_subcategories_with_targets(rubric):
    data = yamlio.load(RUBRIC.parent / "example-profile.yaml").data
    assert data["illustrative"] is True
    ids = set(rubric.criterion_ids())
    assert set(data["answers"]) <= ids
    answers = {cid: a for cid, a in data["answers"].items() if "not_applicable" not in a}
    assert 30 <= len(answers) <= 40
    assert {cid[:2] for cid in answers} == {"GV", "ID", "PR", "DE", "RS", "RC"}
    for cid, a in answers.items():
        # the current profile is the level, the target profile the target
        assert "target" in a and a["target"] >= a["level"], cid
    assert any(a["target"] > a["level"] for a in answers.values())
