"""Carrying 2.0 answers forward to cyberdip-core 2.1: the map accounts for every indicator
2.1 no longer has, and carried answers are valid 2.1 answers with a line each in the
report."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberdip import yamlio
from cyberdip.formats import carry, documents
from tests.conftest import DATA

OLD = documents.load_rubric_file(documents.builtin_paths()["cyberdip-core@2.0"])
NEW = documents.load_rubric_file(documents.builtin_paths()["cyberdip-core"])
MAP = carry.load_map(carry.map_path("cyberdip-core", "2.0", "2.1"))
BASELINE = DATA / "v2.0-examples" / "pakistan-mofa-2023.yaml"


def errors_on_new(data, tmp_path) -> list[str]:
    path = tmp_path / "carried.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    checked = documents.check_assessment(yamlio.load(path))
    assert checked.rubric.version == NEW.version
    return [p.message for p in checked.errors]


def old_indicator_answers(data) -> list[tuple[str, str]]:
    return [(cid, ind) for cid, a in (data.get("answers") or {}).items()
            if isinstance(a, dict) for ind in (a.get("indicators") or {})]


def test_the_shipped_map_fits_both_rubrics():
    assert (OLD.version, NEW.version) == ("2.0.0", "2.1.0")
    assert carry.check_map(MAP, OLD, NEW) == []


def test_a_map_that_forgets_a_dropped_indicator_is_caught():
    broken = {"criteria": {k: v for k, v in MAP["criteria"].items()
                           if k != "outreach.nation-branding"}}
    problems = carry.check_map(broken, OLD, NEW)
    assert any("`outreach.nation-branding` indicator `young-voices`" in p for p in problems)


def test_the_2_0_baseline_carries_to_a_valid_2_1_assessment(tmp_path):
    data = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    out, report = carry.carry_forward(data, OLD, NEW, MAP)
    assert out["rubric_version"] == "2.1.0"
    assert errors_on_new(out, tmp_path) == []
    # the move of the international-law criterion into the legal area is followed
    assert "legal.international-law-position" in out["answers"]
    assert "cyber-diplomacy.international-law" not in out["answers"]
    # the baseline's not-met strategy draft cannot say which half failed: not carried
    assert ("strategy.digital-diplomacy-strategy", "draft-strategy", "not-carried") in {
        (r.criterion, r.indicator, r.outcome) for r in report}
    # the new legal criteria are reported as new, left unanswered
    new = {r.criterion for r in report if r.outcome == "new"}
    assert {"legal.treaty-action", "legal.legal-adviser-capacity"} <= new
    assert not new & set(out["answers"])
    # the input is not changed
    assert data == yaml.safe_load(BASELINE.read_text(encoding="utf-8"))


def _random_assessment(draw_met):
    answers = {}
    for _, c in OLD.criteria():
        if not getattr(c, "indicators", None) or not c.applies("headquarters"):
            continue
        answers[c.id] = {"indicators": {i.id: {"met": draw_met(c.id, i.id)}
                                        for _, i in c.indicator_list()}}
    return {"rubric": "cyberdip-core", "rubric_version": "2.0.0",
            "organisation": {"name": "Test ministry"}, "answers": answers}


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.data())
def test_every_old_indicator_answer_gets_exactly_one_report_line(data):
    choices = {}

    def draw(cid, ind):
        choices[(cid, ind)] = data.draw(st.sampled_from([True, False, None]), label=f"{cid}/{ind}")
        return choices[(cid, ind)]

    old = _random_assessment(draw)
    out, report = carry.carry_forward(old, OLD, NEW, MAP)
    lines = [(r.criterion, r.indicator) for r in report if r.indicator is not None]
    assert sorted(lines) == sorted(old_indicator_answers(old))
    new_ids = {c.id: {i.id for _, i in c.indicator_list()} for _, c in NEW.criteria()
               if getattr(c, "indicators", None)}
    for cid, answer in out["answers"].items():
        assert set(answer["indicators"]) <= new_ids[cid], cid
    # a split carries `met: true` to every part, and nothing else
    for r in report:
        if r.outcome == "split":
            assert choices[(r.criterion, r.indicator)] is True
            target = MAP["criteria"][r.criterion].get("to", r.criterion)
            for part in MAP["criteria"][r.criterion]["indicators"][r.indicator]["split"]:
                assert out["answers"][target]["indicators"][part]["met"] is True


@pytest.mark.parametrize("met", [True, False])
def test_a_random_all_met_or_none_met_assessment_stays_valid(tmp_path, met):
    old = _random_assessment(lambda cid, ind: met)
    out, _ = carry.carry_forward(old, OLD, NEW, MAP)
    assert errors_on_new(out, tmp_path) == []
