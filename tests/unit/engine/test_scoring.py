"""The scoring engine: the worked example in docs/scoring.md, and its invariants."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cyberdip import yamlio
from cyberdip.engine.compare import summarise
from cyberdip.engine.scoring import Scorecard, normalise, score, score_lean, strict_cap
from cyberdip.formats import documents
from cyberdip.model.assessment import Assessment
from cyberdip.model.rubric import BooleanCriterion, LevelCriterion, MetricCriterion, Rubric
from tests.unit.engine.test_scoring_doc import (
    AS_OF,
    assessments2,
    cases,
    cases2,
    rubric_model,
    shipped_rubric,
    sized,
)

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "scoring.md"


def _block(marker: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    m = re.search(rf"<!-- {marker} -->\s*```\w*\n(.*?)```", text, re.S)
    assert m, f"docs/scoring.md has no fenced block after <!-- {marker} -->"
    return m.group(1)


@pytest.fixture(scope="module")
def worked():
    rubric = Rubric.model_validate(yamlio.parse(_block("example-rubric").encode(), "r").data)
    data = yamlio.parse(_block("example-assessment").encode(), "a").data
    return rubric, data


def _expected() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in _block("example-results").splitlines():
        if line.strip():
            key, *rest = line.split()
            out.setdefault(key, []).append(" ".join(rest))
    return out


def test_worked_example_in_docs_matches_the_engine(worked):
    rubric, data = worked
    card = score(rubric, Assessment.model_validate(data))
    exp = _expected()
    got_areas = [f"{a.id} score {a.score:.2f} stage {a.stage} coverage {a.coverage:g}"
                 for a in card.areas]
    assert got_areas == exp["area"]
    assert [f"{card.index:.2f}"] == exp["index"]
    assert [str(card.stage)] == exp["stage"]
    assert [f"{card.coverage:g}"] == exp["coverage"]
    assert [str(card.provisional).lower()] == exp["provisional"]
    got_gaps = [f"{g.id} gap {g.gap} priority {g.priority:g} next {g.next_level}"
                for g in card.gaps]
    assert got_gaps == exp["gap"]


def test_worked_example_strict_without_evidence(worked):
    rubric, data = worked
    data = {**data, "answers": {**data["answers"], "policy.law": {"met": True}}}
    a = Assessment.model_validate(data)
    lenient = score(rubric, a)
    strict = score(rubric, a, strict=True)
    law = next(c for c in lenient.criteria if c.id == "policy.law")
    assert law.unsupported and law.level == 3
    law_strict = next(c for c in strict.criteria if c.id == "policy.law")
    assert law_strict.claimed_level == 3 and law_strict.level == 0
    (expected,) = _expected()["strict-without-evidence"]
    area, value = expected.split()
    assert f"{next(x for x in strict.areas if x.id == area).score:.2f}" == value


def test_nothing_assessed_is_not_zero(worked):
    rubric, _ = worked
    card = score(rubric, Assessment.model_validate(
        {"rubric": "x", "organisation": {"name": "n"}, "answers": {}}))
    assert card.index is None and card.stage is None
    assert all(a.score is None for a in card.areas)
    assert card.coverage == 0 and card.provisional
    assert card.gaps == []


def test_metric_lower_is_better_uses_at_most(worked):
    rubric, _ = worked
    m = MetricCriterion.model_validate({
        "id": "policy.rank", "title": "t", "question": "q", "kind": "metric", "weight": 1,
        "metric": {"unit": "rank", "better": "lower", "thresholds": {1: 150, 2: 79, 3: 40, 4: 10}},
        "recommendations": {1: "a", 2: "b", 3: "c", 4: "d"},
        "sources": [{"ref": "munir2023", "section": "s"}]})
    assert [m.metric.level_for(v, 0) for v in (200, 150, 100, 79, 78, 10, 1)] == [
        0, 1, 1, 2, 2, 4, 4]


def test_strict_cap_is_the_highest_reachable_level_below_the_evidence_rule(worked):
    rubric, _ = worked
    crit = {c.id: c for _, c in rubric.criteria()}
    assert strict_cap(rubric, crit["policy.strategy"]) == 2
    assert strict_cap(rubric, crit["policy.law"]) == 0  # boolean: met=3, not_met=0
    assert strict_cap(rubric, crit["outreach.missions-online"]) == 2


def test_normalise_spans_zero_to_one():
    assert normalise(0, 0, 5) == 0.0 and normalise(5, 0, 5) == 1.0
    assert normalise(2, 1, 5) == 0.25


# -- properties ------------------------------------------------------------------------

BUILTIN = ROOT / "rubrics" / "cyberdip-core@1.yaml"


@pytest.fixture(scope="module")
def core() -> Rubric:
    from cyberdip.model import loading

    return loading.rubric_from_document(yamlio.load(BUILTIN))


def answer_for(c, rubric: Rubric):
    """A strategy for one answer of any status to criterion ``c``."""
    evidence = st.lists(st.sampled_from(["minutes of 2023", "https://example.org/x"]),
                        max_size=2)
    if isinstance(c, LevelCriterion):
        value = st.builds(lambda lv, ev: {"level": lv, "evidence": ev},
                          st.sampled_from(rubric.levels), evidence)
    elif isinstance(c, BooleanCriterion):
        value = st.builds(lambda m, ev: {"met": m, "evidence": ev}, st.booleans(), evidence)
    else:
        m = c.metric
        lo = m.min if m.min is not None else 0
        hi = m.max if m.max is not None else max(m.thresholds.values()) * 2
        value = st.builds(lambda v, ev: {"value": v, "evidence": ev},
                          st.floats(lo, hi, allow_nan=False), evidence)
    return st.one_of(
        st.none(),
        st.just({"not_applicable": "does not apply here"}),
        value,
        value.flatmap(lambda v: st.sampled_from(rubric.levels).map(
            lambda t: {**v, "target": t})),
    )


@st.composite
def assessments(draw, rubric: Rubric):
    answers = {}
    for _, c in rubric.criteria():
        a = draw(answer_for(c, rubric))
        if a is not None:
            answers[c.id] = a
    return {"rubric": rubric.id, "organisation": {"name": "Prop"}, "answers": answers}


SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@SETTINGS
@given(data=st.data(), strict=st.booleans())
def test_every_score_is_in_range(core, data, strict):
    card = score(core, Assessment.model_validate(data.draw(assessments(core))), strict=strict)
    assert card.index is None or 0 <= card.index <= 100
    assert 0 <= card.coverage <= 100
    for a in card.areas:
        assert a.score is None or 0 <= a.score <= 100
        assert 0 <= a.coverage <= 100
        assert a.stage is None or core.lowest <= a.stage <= core.highest
    for c in card.criteria:
        assert c.score is None or 0 <= c.score <= 1
        assert c.gap >= 0
    assert [g.priority for g in card.gaps] == sorted((g.priority for g in card.gaps),
                                                     reverse=True)


def _raise(c, ans: dict, rubric: Rubric) -> dict | None:
    """The same answer one step better, or None if it cannot improve."""
    if "level" in ans and ans["level"] < rubric.highest:
        return {**ans, "level": ans["level"] + 1}
    if "met" in ans and ans["met"] is False:
        return {**ans, "met": True}
    if "value" in ans:
        m = c.metric
        step = 10.0 if m.better == "higher" else -10.0
        new = ans["value"] + step
        if (m.min is None or new >= m.min) and (m.max is None or new <= m.max):
            return {**ans, "value": new}
    return None


@SETTINGS
@given(data=st.data(), strict=st.booleans())
def test_raising_one_answer_never_lowers_its_area_or_the_index(core, data, strict):
    base = data.draw(assessments(core))
    crit = {c.id: (a, c) for a, c in core.criteria()}
    candidates = sorted(cid for cid, ans in base["answers"].items()
                        if _raise(crit[cid][1], ans, core) is not None)
    if not candidates:
        return
    cid = data.draw(st.sampled_from(candidates))
    area, c = crit[cid]
    raised = {**base, "answers": {**base["answers"],
                                  cid: _raise(c, base["answers"][cid], core)}}
    before = score(core, Assessment.model_validate(base), strict=strict)
    after = score(core, Assessment.model_validate(raised), strict=strict)
    a0 = next(a for a in before.areas if a.id == area.id)
    a1 = next(a for a in after.areas if a.id == area.id)
    assert a1.score >= a0.score
    assert after.index >= before.index
    assert (after.stage or 0) >= (before.stage or 0)


@SETTINGS
@given(data=st.data())
def test_not_applicable_and_not_assessed_change_nothing_else(core, data):
    base = data.draw(assessments(core))
    cid = data.draw(st.sampled_from(core.criterion_ids()))
    answers = {k: v for k, v in base["answers"].items() if k != cid}
    unassessed = score(core, Assessment.model_validate({**base, "answers": answers}))
    na = score(core, Assessment.model_validate(
        {**base, "answers": {**answers, cid: {"not_applicable": "not here"}}}))
    assert na.index == unassessed.index and na.stage == unassessed.stage
    assert [(a.id, a.score, a.stage) for a in na.areas] == [
        (a.id, a.score, a.stage) for a in unassessed.areas]
    assert [g.id for g in na.gaps] == [g.id for g in unassessed.gaps]
    others = [c for c in na.criteria if c.id != cid]
    assert others == [c for c in unassessed.criteria if c.id != cid]
    # ...and a not-assessed criterion is not a zero: scoring without it at all is the same.
    mine = next(c for c in na.criteria if c.id == cid)
    assert mine.status == "not-applicable" and mine.score is None


@SETTINGS
@given(data=st.data())
def test_the_order_of_answers_changes_nothing(core, data):
    base = data.draw(assessments(core))
    keys = data.draw(st.permutations(sorted(base["answers"])))
    shuffled = {**base, "answers": {k: base["answers"][k] for k in keys}}
    a = score(core, Assessment.model_validate(base))
    b = score(core, Assessment.model_validate(shuffled))
    assert a.model_dump_json() == b.model_dump_json()


@SETTINGS
@given(data=st.data(), strict=st.booleans())
def test_json_round_trip_of_the_scorecard_is_lossless(core, data, strict):
    card = score(core, Assessment.model_validate(data.draw(assessments(core))), strict=strict)
    again = Scorecard.model_validate_json(card.model_dump_json())
    assert again == card
    assert again.model_dump_json() == card.model_dump_json()


@SETTINGS
@given(data=st.data(), strict=st.booleans())
def test_criteria_gaps_and_roadmap_agree(core, data, strict):
    """A criterion below its target is in `gaps` (the roadmap), and nothing else is:
    a target is capped at the highest level the criterion can reach."""
    card = score(core, Assessment.model_validate(data.draw(assessments(core))), strict=strict)
    reach = {c.id: max(c.reachable_levels(core.levels)) for _, c in core.criteria()}
    below = {c.id for c in card.criteria if c.gap > 0}
    assert below == {g.id for g in card.gaps}
    for c in card.criteria:
        assert c.target <= reach[c.id]
        assert c.gap == (max(0, c.target - c.level) if c.level is not None else 0)
    for g in card.gaps:
        # the next level an answer can reach: for a yes/no criterion that can be above
        # a target between its two levels
        reachable = {c.id: c for _, c in core.criteria()}[g.id].reachable_levels(core.levels)
        assert g.next_level == min(lv for lv in reachable if lv > g.current)


def test_a_boolean_already_met_has_no_gap_whatever_its_target(worked):
    rubric, _ = worked
    # policy.law maps met to 3; a target of 4 can never be reached, so it is scored as 3
    a = Assessment.model_validate({"rubric": "worked-example", "organisation": {"name": "X"},
                                   "default_target": 4,
                                   "answers": {"policy.law": {"met": True, "target": 4}}})
    card = score(rubric, a)
    law = next(c for c in card.criteria if c.id == "policy.law")
    assert (law.level, law.target, law.gap) == (3, 3, 0)
    assert "policy.law" not in {g.id for g in card.gaps}
    # the area's target score uses the same reachable target: law (alone assessed) at 3/4
    assert card.areas[0].target_score == 75.0


# -- edge cases of format 2 (issue 19): each was wrong once ---------------------------------


def _f2(criteria: list[dict], **scoring) -> Rubric:
    """A format-2 rubric on the scale 0..4 with one area of ``criteria``."""
    for c in criteria:
        c.setdefault("question", "q")
        c.setdefault("sources", [{"ref": "s", "section": "x"}])
    return Rubric.model_validate({
        "format": 2, "id": "edge", "title": "t", "version": "1.0.0", "description": "d",
        "sources": {"s": {"authors": ["Munir, Shahzad"], "year": 2023, "title": "t"}},
        "scale": [{"level": lv, "name": f"N{lv}", "meaning": "m"} for lv in range(5)],
        "scoring": scoring, "areas": [{"id": "a", "title": "A", "criteria": criteria}]})


def _scored(rubric: Rubric, answers: dict) -> Scorecard:
    return score(rubric, Assessment.model_validate(
        {"rubric": rubric.id, "organisation": {"name": "m"}, "answers": answers}))


LINEAR = {"unit": "%", "min": 0, "max": 100, "scoring": "linear",
          "thresholds": {1: 10, 2: 30, 3: 60, 4: 90}}


def test_a_linear_metric_whose_target_is_the_lowest_level_has_nothing_left_to_close():
    card = _scored(_f2([{"id": "m", "kind": "metric", "metric": dict(LINEAR)}]),
                   {"m": {"value": 5, "target": 0}})
    [m] = card.criteria
    assert (m.level, m.target, m.gap) == (0, 0, 0)
    # it stands where it is: its target score is its score, not 100
    assert card.areas[0].target_score == card.areas[0].score == 5.0
    assert card.gaps == []


def test_a_linear_metric_answered_none_is_aimed_at_its_target_threshold_like_its_worst_value():
    rubric = _f2([{"id": "m", "kind": "metric", "metric": dict(LINEAR)}])
    none = _scored(rubric, {"m": {"level": 0}})
    worst = _scored(rubric, {"m": {"value": 0}})
    # the target is the top level (4), whose threshold (90) scores 0.9: not 1.0
    assert none.areas[0].target_score == worst.areas[0].target_score == 90.0
    assert none.areas[0].score == worst.areas[0].score == 0.0
    assert none.criteria[0].score == worst.criteria[0].score == 0.0


def test_under_unanswered_lowest_a_blank_metric_without_levels_gates_no_more_than_its_worst():
    rubric = _f2([{"id": "m", "kind": "metric",
                   "metric": {"unit": "%", "min": 0, "max": 100, "scoring": "linear"}},
                  {"id": "l", "kind": "level"}], stage_gate="all", unanswered="lowest")
    blank = _scored(rubric, {"l": {"level": 3}})
    worst = _scored(rubric, {"m": {"value": 0}, "l": {"level": 3}})
    assert (blank.stage, blank.areas[0].gating) == (worst.stage, worst.areas[0].gating) \
        == (3, ["l"])
    # a blank criterion that has levels still counts as the lowest
    assert _scored(rubric, {"m": {"value": 0}}).areas[0].gating == ["l"]
    assert _scored(rubric, {"m": {"value": 0}}).stage == 0


def test_a_roll_up_of_the_same_criteria_as_an_area_shows_the_same_figure():
    # three criteria at 1/3, 1/3 and 2/3 of the way (rounded to 4 decimals: 0.3333,
    # 0.3333, 0.6667): the mean is 41.666…, shown 41.67; from the rounded scores it
    # would be 41.66
    m = [{"framework": "nist-csf", "item": "DE", "relationship": "subset"}]
    rubric = Rubric.model_validate({
        "format": 2, "id": "edge", "title": "t", "version": "1.0.0", "description": "d",
        "sources": {"s": {"authors": ["A"], "year": 2023, "title": "t"}},
        "scale": [{"level": lv, "name": f"N{lv}", "meaning": "m"} for lv in range(4)],
        "areas": [{"id": "DE", "title": "Detect", "criteria": [
            {"id": f"DE-{i}", "question": "q", "kind": "level", "weight": w, "mappings": m,
             "sources": [{"ref": "s", "section": "x"}]}
            for i, w in enumerate([1, 1, 1, 1])]}]})
    card = _scored(rubric, {"DE-0": {"level": 1}, "DE-1": {"level": 1}, "DE-2": {"level": 2},
                            "DE-3": {"level": 1}})
    [item] = card.rollups[0].items
    assert card.areas[0].score == item.score == 41.67
    assert [c.score for c in item.criteria] == [33.33, 33.33, 66.67, 33.33]


def test_the_shipped_csf_example_reads_the_same_for_detect_in_both_tables():
    from cyberdip.formats.documents import load_assessment

    checked = load_assessment(
        str(ROOT / "examples" / "frameworks" / "nist-csf-2.0" / "example-profile.yaml"))
    card = score(checked.rubric, checked.assessment)
    areas = {a.id: a.score for a in card.areas}
    [csf] = [r for r in card.rollups if r.framework == "nist-csf"]
    assert {i.item: i.score for i in csf.items} == areas
    assert areas["DE"] == 41.67



# -- the lean scoring a portfolio uses ---------------------------------------------------


def _both_summaries(rubric: dict, assessment: dict, data) -> tuple[str, str]:
    """``summarise`` of the lean scorecard and of the full one, as their reprs (which
    tell 50 from 50.0, and a tuple from a list), for one random set of options."""
    r, _ = rubric_model(rubric)
    a = Assessment.model_validate(assessment)
    strict = data.draw(st.booleans(), label="strict")
    min_coverage = data.draw(st.sampled_from([0.0, 50.0, 80.0, 100.0]), label="min_coverage")
    as_of = data.draw(AS_OF, label="as_of")
    weak_at = data.draw(st.integers(0, 5), label="weak_at")
    lean = summarise("unit.yaml", score_lean(r, a, strict=strict, min_coverage=min_coverage,
                                             as_of=as_of), weak_at=weak_at)
    full = summarise("unit.yaml", score(r, a, strict=strict, min_coverage=min_coverage,
                                        as_of=as_of), weak_at=weak_at)
    return repr(lean), repr(full)


@sized(150, long=2_000)
@given(case=cases(), data=st.data())
def test_a_portfolio_summarises_the_lean_score_as_the_scorecard(case, data):
    lean, full = _both_summaries(*case, data)
    assert lean == full


@sized(150, long=2_000)
@given(case=cases2(), data=st.data())
def test_a_portfolio_summarises_the_lean_score_as_the_scorecard_in_format_2(case, data):
    lean, full = _both_summaries(*case, data)
    assert lean == full


@pytest.mark.parametrize("shipped", ["rubrics/cyberdip-core.yaml",
                                     "examples/frameworks/c2m2-style/rubric.yaml",
                                     "examples/frameworks/itu-gci/rubric.yaml"])
@sized(15, long=1_000)
@given(data=st.data())
def test_a_portfolio_summarises_the_lean_score_of_a_shipped_rubric_as_the_scorecard(
        shipped, data):
    rubric = shipped_rubric(shipped)
    lean, full = _both_summaries(rubric, data.draw(assessments2(rubric)), data)
    assert lean == full


def test_the_summaries_differ_when_a_lean_figure_does():
    # the comparison above can fail: a changed recommendation or index shows
    checked = documents.check_assessment(
        documents.load(ROOT / "examples" / "pakistan-mofa-2023.yaml"))
    lean = score_lean(checked.rubric, checked.assessment)
    before = repr(summarise("x", lean, weak_at=5))
    assert lean.gaps, "the example has gaps to close"
    lean.gaps[0].recommendation = "changed"
    after = repr(summarise("x", lean, weak_at=5))
    lean.index = 101.0
    assert len({before, after, repr(summarise("x", lean, weak_at=5))}) == 3
