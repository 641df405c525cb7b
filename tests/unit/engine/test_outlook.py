"""engine.outlook: what a verdict could still become, stated as properties and tested
over random format-2 rubrics and answers, and over the built-in rubric.

- Blanks never help: removing any one answer never raises the headline stage, under
  format 2's default rule for blanks (`unanswered: lowest`).
- The index's range: low <= index, low <= high, and removing an answer other than an
  N/A never raises low.
- The stage plan: applying every step of a `rise` plan raises the stage to at least
  the next one; a `blocked` plan lists only unanswered criteria that set the stage.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cyberdip.engine.scoring import score
from cyberdip.formats import documents
from cyberdip.model import assessment as amod
from cyberdip.model import rubric as rmod
from cyberdip.model.assessment import Assessment
from cyberdip.model.rubric import Rubric
from cyberdip.yamlio import Document
from tests.conftest import ROOT

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

# -- random format-2 rubrics and answers ---------------------------------------------------

OPTIONS = [{"id": "NI", "name": "Not implemented", "score": 0},
           {"id": "PI", "name": "Partly implemented", "score": 0.4},
           {"id": "LI", "name": "Largely implemented", "score": 0.8, "satisfies": True},
           {"id": "FI", "name": "Fully implemented", "score": 1, "satisfies": True}]


@st.composite
def criterion(draw, cid: str, top: int, gate: str) -> dict[str, Any]:
    kinds = ["level", "level", "boolean", "metric", "choice"]
    kind = draw(st.sampled_from(kinds + ([] if gate == "practices" else ["linear"])))
    linear = kind == "linear"
    kind = "metric" if linear else kind
    c: dict[str, Any] = {"id": cid, "question": f"Is {cid} in place?", "kind": kind,
                         "weight": draw(st.sampled_from([1, 2, 0.5])),
                         "sources": [{"ref": "s", "section": "x"}]}
    if draw(st.booleans()):
        c["critical"] = True
    if kind == "level":
        c["indicators"] = {lv: [{"id": f"i{lv}", "text": f"{cid} shows {lv}."}]
                           for lv in range(1, top + 1)}
    elif kind == "boolean":
        met = draw(st.integers(1, top))
        c["boolean"] = {"met": met, "not_met": draw(st.integers(0, met - 1))}
    elif linear:  # a metric without levels: scored on a line, it never sets the stage
        c["metric"] = {"unit": "%", "min": 0, "max": 100, "scoring": "linear"}
    elif kind == "metric":
        c["metric"] = {"unit": "days", "thresholds": {lv: 10 * lv for lv in range(1, top + 1)}}
    else:
        c["answer_scale"] = "impl"
    if kind != "choice" and not linear and draw(st.booleans()):
        c["recommendations"] = {lv: f"Do step {lv} of {cid}." for lv in
                                draw(st.lists(st.integers(1, top), max_size=2, unique=True))}
    if gate == "practices":
        c["stage"] = draw(st.integers(1, top))
    return c


@st.composite
def rubrics(draw, unanswered: str | None = None) -> dict[str, Any]:
    top = draw(st.integers(3, 5))
    gate = draw(st.sampled_from(["critical", "all", "practices"]))
    areas = []
    for i in range(draw(st.integers(1, 3))):
        n = draw(st.integers(1, 4))
        areas.append({"id": f"a{i}", "title": f"Area {i}", "weight": draw(st.sampled_from([1, 2])),
                      "criteria": [draw(criterion(f"a{i}.c{j}", top, gate)) for j in range(n)]})
    scoring: dict[str, Any] = {"stage_gate": gate}
    if unanswered is not None:
        scoring["unanswered"] = unanswered
    if draw(st.booleans()):
        scoring["default_target"] = draw(st.integers(1, top))
    return {"format": 2, "id": "random", "title": "Random", "version": "2.0.0",
            "description": "Generated.",
            "sources": {"s": {"authors": ["Munir, Shahzad"], "year": 2023, "title": "t"}},
            "scale": [{"level": lv, "name": f"N{lv}", "meaning": f"M{lv}"}
                      for lv in range(top + 1)],
            "answer_scales": {"impl": OPTIONS}, "scoring": scoring, "areas": areas}


@st.composite
def answer(draw, c: dict[str, Any], top: int) -> dict[str, Any] | None:
    how = draw(st.sampled_from(["blank", "na", "value", "value", "value"]))
    if how == "blank":
        return None
    if how == "na":
        return {"not_applicable": "Not asked of us."}
    kind = c["kind"]
    if kind == "level":
        if draw(st.booleans()):
            return {"level": draw(st.integers(0, top))}
        return {"indicators": {f"i{lv}": draw(st.booleans()) for lv in range(1, top + 1)}}
    if kind == "boolean":
        return {"met": draw(st.booleans())}
    if kind == "metric":
        return {"value": float(draw(st.integers(0, 10 * top + 5)))}
    return {"answer": draw(st.sampled_from([o["id"] for o in OPTIONS]))}


@st.composite
def cases(draw, unanswered: str | None = None) -> tuple[dict, dict]:
    rubric = draw(rubrics(unanswered))
    top = rubric["scale"][-1]["level"]
    answers = {}
    for area in rubric["areas"]:
        for c in area["criteria"]:
            a = draw(answer(c, top))
            if a is not None:
                answers[c["id"]] = a
    return rubric, {"rubric": "random", "organisation": {"name": "Ministry"}, "answers": answers}


def scored(rubric: dict, assessment: dict):
    r = Rubric.model_validate(rubric)
    a = Assessment.model_validate(assessment)
    problems = rmod.check(r, Document("rubric.yaml", rubric, None))
    problems += amod.check(a, r, Document("assessment.yaml", assessment, None))
    errors = [f"{p.code} {p.message}" for p in problems if p.level == "error"]
    assert not errors, f"the generator made an invalid input: {errors}"
    return score(r, a)


def without(assessment: dict, cid: str) -> dict:
    return {**assessment, "answers": {k: v for k, v in assessment["answers"].items() if k != cid}}


def not_above(after: int | None, before: int | None) -> bool:
    """The stage after removing an answer is not above the stage before. No stage is
    below every stage; a stage may appear from none only at the lowest level (a blank
    counts as its lowest answer)."""
    if after is None:
        return True
    if before is None:
        return after == 0
    return after <= before


# -- blanks never help ----------------------------------------------------------------------


def test_format_2_counts_a_blank_as_its_lowest_answer_unless_the_rubric_chooses():
    base = {"format": 2, "id": "r", "title": "t", "version": "1.0.0", "description": "d",
            "sources": {"s": {"authors": ["A, B"], "year": 2023, "title": "t"}},
            "areas": [{"id": "a", "title": "A", "criteria": [
                {"id": "a.c", "question": "q", "kind": "boolean", "boolean": {"met": 1,
                 "not_met": 0}, "sources": [{"ref": "s", "section": "x"}]}]}],
            "scale": [{"level": lv, "name": f"N{lv}", "meaning": "m"} for lv in range(4)]}
    assert Rubric.model_validate(base).scoring.unanswered == "lowest"
    chosen = {**base, "scoring": {"unanswered": "ignore"}}
    assert Rubric.model_validate(chosen).scoring.unanswered == "ignore"
    fmt1 = {k: v for k, v in base.items() if k != "format"}
    assert Rubric.model_validate(fmt1).scoring.unanswered == "ignore"


@SETTINGS
@given(case=cases())
def test_removing_an_answer_never_raises_the_stage_under_the_format_2_default(case):
    rubric, assessment = case
    before = scored(rubric, assessment)
    assert before.unanswered == "lowest"
    for cid in assessment["answers"]:
        after = scored(rubric, without(assessment, cid))
        assert not_above(after.stage, before.stage), (cid, before.stage, after.stage)


def core_with_default_rule() -> Rubric:
    """cyberdip-core 2.0 as it scores under format 2's default for blanks (2.0 itself
    states `ignore`, to keep its published figures; 2.1 takes the default)."""
    rubric = documents.get_rubric("cyberdip-core@2.0")
    rubric = rubric.model_copy(deep=True)
    rubric.scoring.unanswered = "lowest"
    return rubric


@pytest.fixture(scope="module")
def baseline():
    """The 2023 baseline as answered on cyberdip-core 2.0 (the frozen copy)."""
    checked = documents.load_assessment(str(ROOT / "tests" / "data" / "v2.0-examples"
                                            / "pakistan-mofa-2023.yaml"))
    return checked.assessment


def test_removing_any_one_answer_of_the_baseline_never_raises_the_stage(baseline):
    rubric = core_with_default_rule()
    before = score(rubric, baseline)
    for cid in baseline.answers:
        after = score(rubric, baseline.model_copy(update={"answers": {
            k: v for k, v in baseline.answers.items() if k != cid}}))
        assert not_above(after.stage, before.stage), cid


def test_cyberdip_core_2_1_as_shipped_takes_the_default_and_blanks_never_help():
    """2.1 states no rule for blanks, so format 2's default applies: removing any one
    answer of its 2023 baseline never raises the stage."""
    rubric = documents.get_rubric("cyberdip-core")
    assert rubric.version.startswith("2.1") and rubric.scoring.unanswered == "lowest"
    base = documents.load_assessment(str(ROOT / "examples" / "pakistan-mofa-2023.yaml"))
    before = score(rubric, base.assessment)
    for cid in base.assessment.answers:
        less = base.assessment.model_copy(update={"answers": {
            k: v for k, v in base.assessment.answers.items() if k != cid}})
        assert not_above(score(rubric, less).stage, before.stage), cid


def test_blanking_the_baseline_s_level_1_answers_no_longer_raises_its_stage(baseline):
    """The case the issue reports: removing the level-1 answers raised 2.0's stage from
    1 to 2. Under the default rule for blanks it cannot."""
    rubric = core_with_default_rule()
    before = score(rubric, baseline)
    ones = [r.id for r in before.criteria if r.level == 1]
    assert ones
    blanked = baseline.model_copy(update={"answers": {
        k: v for k, v in baseline.answers.items() if k not in ones}})
    assert not_above(score(rubric, blanked).stage, before.stage)
    # 2.0 as shipped leaves blanks out, and says so
    shipped = documents.get_rubric("cyberdip-core@2.0")
    assert shipped.scoring.unanswered == "ignore"
    assert score(shipped, blanked).stage == 2  # the figure 2.0 keeps, as promised


@st.composite
def core_answers(draw) -> Assessment:
    rubric = documents.get_rubric("cyberdip-core")
    answers: dict[str, Any] = {}
    top = rubric.highest
    for _, c in rubric.criteria():
        if c.applies("headquarters") and draw(st.integers(0, 2)):
            if c.kind == "level" and c.indicators:
                answers[c.id] = {"indicators": {i.id: draw(st.booleans())
                                                for _, i in c.indicator_list()}}
            elif c.kind == "level":
                answers[c.id] = {"level": draw(st.integers(0, top))}
    return Assessment.model_validate({"rubric": "cyberdip-core",
                                      "organisation": {"name": "Ministry"},
                                      "answers": answers})


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(assessment=core_answers(), data=st.data())
def test_removing_an_answer_to_cyberdip_core_never_raises_its_stage(assessment, data):
    rubric = core_with_default_rule()
    before = score(rubric, assessment)
    if not assessment.answers:
        return
    cid = data.draw(st.sampled_from(sorted(assessment.answers)), label="removed")
    after = score(rubric, assessment.model_copy(update={"answers": {
        k: v for k, v in assessment.answers.items() if k != cid}}))
    assert not_above(after.stage, before.stage)


# -- the index's range ---------------------------------------------------------------------


@SETTINGS
@given(case=cases())
def test_the_range_holds_the_index_and_its_low_end_never_rises_when_an_answer_goes(case):
    rubric, assessment = case
    card = scored(rubric, assessment)
    low, high = card.index_range.low, card.index_range.high
    if low is None:
        assert card.index is None and high is None
        return
    assert low <= high
    if card.index is not None:
        assert low <= card.index
        # the high end is above the index whenever every blank can reach a score of 1
        # (a blank boolean whose `met` is below the top cannot)
        top = rubric["scale"][-1]["level"]
        crits = {c["id"]: c for a in rubric["areas"] for c in a["criteria"]}
        if all(crits[r.id]["kind"] != "boolean" or crits[r.id]["boolean"]["met"] == top
               for r in card.criteria if r.status == "not-assessed"):
            assert card.index <= high
    if card.counts.not_assessed == 0:
        assert low == high == card.index  # nothing left to answer: no range
    for cid, a in assessment["answers"].items():
        if "not_applicable" in a:
            continue
        after = scored(rubric, without(assessment, cid)).index_range.low
        assert after is not None and after <= low, (cid, low, after)


def test_a_blank_counts_0_at_the_low_end_whatever_the_lowest_option_scores():
    rubric = {"format": 2, "id": "r", "title": "t", "version": "1.0.0", "description": "d",
              "sources": {"s": {"authors": ["A, B"], "year": 2023, "title": "t"}},
              "answer_scales": {"s": [{"id": "LOW", "name": "Low", "score": 0.5},
                                      {"id": "TOP", "name": "Top", "score": 1}]},
              "scoring": {"stage_gate": "none"},
              "areas": [{"id": "a", "title": "A", "criteria": [
                  {"id": f"a.{n}", "question": "q", "kind": "choice", "answer_scale": "s",
                   "sources": [{"ref": "s", "section": "x"}]} for n in ("x", "y")]}]}
    card = scored(rubric, {"rubric": "r", "organisation": {"name": "m"},
                           "answers": {"a.x": {"answer": "TOP"}}})
    assert card.index == 100.0
    assert (card.index_range.low, card.index_range.high) == (50.0, 100.0)


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(assessment=core_answers(), data=st.data())
def test_cyberdip_core_s_index_lies_in_its_range(assessment, data):
    rubric = documents.get_rubric("cyberdip-core")
    card = score(rubric, assessment)
    low, high = card.index_range.low, card.index_range.high
    assert low is not None and high is not None and low <= high
    if card.index is not None:
        assert low <= card.index <= high
    if assessment.answers:
        cid = data.draw(st.sampled_from(sorted(assessment.answers)), label="removed")
        after = score(rubric, assessment.model_copy(update={"answers": {
            k: v for k, v in assessment.answers.items() if k != cid}}))
        assert after.index_range.low <= low


# -- the stage plan ------------------------------------------------------------------------


def apply_step(rubric: dict, answers: dict, step) -> None:
    """Set the step's criterion to the step's level or answer, as a respondent would."""
    c = next(c for a in rubric["areas"] for c in a["criteria"] if c["id"] == step.id)
    if step.to_answer is not None:
        answers[step.id] = {"answer": step.to_answer}
    elif c["kind"] == "level":
        answers[step.id] = {"level": step.to_level}
    elif c["kind"] == "boolean":
        assert step.to_level == c["boolean"]["met"]
        answers[step.id] = {"met": True}
    else:
        answers[step.id] = {"value": float(c["metric"]["thresholds"][step.to_level])}


@SETTINGS
@given(case=cases())
@example(case=({"format": 2, "id": "random", "title": "Random", "version": "2.0.0",
                "description": "Generated.",
                "sources": {"s": {"authors": ["Munir, Shahzad"], "year": 2023, "title": "t"}},
                "scale": [{"level": lv, "name": f"N{lv}", "meaning": f"M{lv}"}
                          for lv in range(4)],
                "answer_scales": {"impl": OPTIONS}, "scoring": {"stage_gate": "critical"},
                "areas": [{"id": "a0", "title": "Area 0", "weight": 1, "criteria": [
                    {"id": "a0.c0", "question": "q", "kind": "level", "weight": 1,
                     "critical": True, "sources": [{"ref": "s", "section": "x"}],
                     "indicators": {lv: [{"id": f"i{lv}", "text": f"shows {lv}."}]
                                    for lv in range(1, 4)}},
                    {"id": "a0.c1", "question": "q", "kind": "level", "weight": 1,
                     "sources": [{"ref": "s", "section": "x"}],
                     "indicators": {lv: [{"id": f"i{lv}", "text": f"shows {lv}."}]
                                    for lv in range(1, 4)}}]}]},
               {"rubric": "random", "organisation": {"name": "Ministry"},
                "answers": {"a0.c0": {"level": 1}, "a0.c1": {"level": 1}}}))
def test_applying_every_step_of_the_plan_raises_the_stage(case):
    rubric, assessment = case
    card = scored(rubric, assessment)
    plan = card.stage_plan
    if plan.status == "blocked":
        # only unanswered criteria that set the stage, to answer first
        assert plan.steps and all(s.answer_first for s in plan.steps)
        assert {s.id for s in plan.steps} <= set(card.stage_setting.unanswered)
        return
    if plan.status != "rise":
        assert plan.steps == []
        return
    assert plan.steps and plan.next_stage is not None
    answers = dict(assessment["answers"])
    for step in plan.steps:
        assert step.actions  # every step says what to do
        apply_step(rubric, answers, step)
    after = scored(rubric, {**assessment, "answers": answers})
    assert after.stage is not None and after.stage >= plan.next_stage
    # and none of the steps is there for nothing: leave any one out, and it does not rise
    for skipped in plan.steps:
        partial = dict(assessment["answers"])
        for step in plan.steps:
            if step is not skipped:
                apply_step(rubric, partial, step)
        assert scored(rubric, {**assessment, "answers": partial}).stage < plan.next_stage


def test_the_baseline_s_plan_lists_only_its_stage_setting_criteria(baseline):
    card = score(documents.get_rubric("cyberdip-core@2.0"), baseline)
    plan = card.stage_plan
    assert plan.status == "rise" and plan.next_stage == card.stage + 1
    holders = {cid for a in card.areas if a.stage == card.stage for cid in a.gating}
    assert {s.id for s in plan.steps} == holders
    critical = {r.id for r in card.criteria if r.critical}
    assert {s.id for s in plan.steps} <= critical


def test_a_blank_metric_without_levels_neither_blocks_nor_sets_the_stage():
    rubric = {"format": 2, "id": "r", "title": "t", "version": "1.0.0", "description": "d",
              "sources": {"s": {"authors": ["A, B"], "year": 2023, "title": "t"}},
              "scale": [{"level": lv, "name": f"N{lv}", "meaning": "m"} for lv in range(4)],
              "areas": [{"id": "a", "title": "A", "criteria": [
                  {"id": "a.lvl", "question": "q", "kind": "level", "critical": True,
                   "levels": {lv: f"L{lv}" for lv in range(4)},
                   "sources": [{"ref": "s", "section": "x"}]},
                  {"id": "a.pct", "question": "q", "kind": "metric", "critical": True,
                   "metric": {"unit": "%", "min": 0, "max": 100, "scoring": "linear"},
                   "sources": [{"ref": "s", "section": "x"}]}]}]}
    blank = scored(rubric, {"rubric": "r", "organisation": {"name": "m"},
                            "answers": {"a.lvl": {"level": 2}}})
    worst = scored(rubric, {"rubric": "r", "organisation": {"name": "m"},
                            "answers": {"a.lvl": {"level": 2}, "a.pct": {"value": 0}}})
    assert blank.stage == worst.stage == 2
    assert blank.stage_setting.criteria == 1 and blank.stage_setting.not_assessed == 0
    assert blank.stage_plan.status == "rise"
