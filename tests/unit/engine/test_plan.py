"""The action plan (docs/scoring.md, The action plan): which criteria it lists, what each
action says, and when an action is overdue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cyberdip.engine import plan
from cyberdip.engine.scoring import score
from cyberdip.formats import documents
from cyberdip.model.assessment import PLAN_STATUSES, Assessment

MINI = Path(__file__).resolve().parents[2] / "data" / "rubrics" / "mini.yaml"


def _card(answers: dict, **top):
    rubric = documents.rubric_at(MINI)
    a = Assessment.model_validate({"rubric": "mini", "organisation": {"name": "M"},
                                   "answers": answers, **top})
    return score(rubric, a)


@pytest.mark.parametrize(("due", "last"), [
    (dt.date(2025, 2, 3), dt.date(2025, 2, 3)),
    ("2025-02-03", dt.date(2025, 2, 3)),
    ("2025-Q1", dt.date(2025, 3, 31)), ("2025-q2", dt.date(2025, 6, 30)),
    ("2025-Q3", dt.date(2025, 9, 30)), (" 2025-Q4 ", dt.date(2025, 12, 31)),
    ("2025-H1", dt.date(2025, 6, 30)), ("2025-h2", dt.date(2025, 12, 31)),
    ("2024-02", dt.date(2024, 2, 29)), ("2025-02", dt.date(2025, 2, 28)),
    ("2025", dt.date(2025, 12, 31)),
    ("2025-02-30", None), ("2025-Q5", None), ("2025-13", None), ("soon", None),
    ("end of 2025", None), (None, None),
])
def test_the_last_day_a_due_allows(due, last):
    assert plan.due_by(due) == last


@settings(max_examples=200)
@given(due=st.one_of(st.dates(), st.sampled_from(["2025-Q3", "2025-H1", "2025-07", "2025",
                                                   "soon"])),
       status=st.sampled_from([None, *PLAN_STATUSES]),
       ref=st.one_of(st.none(), st.dates()))
@example(due="2025-Q3", status="planned", ref=dt.date(2025, 10, 1))
@example(due="2025-Q3", status="planned", ref=dt.date(2025, 9, 30))
def test_an_action_is_overdue_only_when_open_and_its_last_day_is_past(due, status, ref):
    got = plan.is_overdue(due, status, ref)
    last = plan.due_by(due)
    if status in ("done", "dropped"):
        assert got is False
    elif last is None or ref is None:
        assert got is None
    else:
        assert got is (last < ref)
    assert plan.is_overdue(None, status, ref) is False


def test_due_on_the_reference_day_is_not_overdue_and_the_day_after_is():
    assert plan.is_overdue("2025-Q3", "planned", dt.date(2025, 9, 30)) is False
    assert plan.is_overdue("2025-Q3", "under-way", dt.date(2025, 10, 1)) is True


def test_the_plan_lists_every_gap_and_every_written_action_in_rubric_order():
    card = _card({"policy.strategy": {"level": 1, "owner": "Director"},
                  "policy.law": {"met": True, "evidence": ["PECA"],
                                 "action": "Keep it under review", "status": "done"},
                  "outreach.missions-online": {"value": 30}}, date="2025-12-01")
    assert [i.id for i in card.plan] == ["policy.strategy", "policy.law",
                                         "outreach.missions-online"]
    assert {g.id for g in card.gaps} <= {i.id for i in card.plan}
    strategy, law, _ = card.plan
    # no action of its own: the rubric's recommendation for the next level
    assert (strategy.action, strategy.own_action) == ("Adopt it.", False)
    assert (strategy.current, strategy.target, strategy.target_name) == (1, 3, "Established")
    assert (law.action, law.own_action, law.status, law.overdue) == (
        "Keep it under review", True, "done", False)
    assert card.plan_as_of == "2025-12-01"


def test_overdue_is_judged_against_the_assessment_date_and_not_without_one():
    answers = {"policy.strategy": {"level": 1, "due": "2025-Q3", "status": "under-way"}}
    assert _card(answers, date=dt.date(2025, 12, 1)).plan[0].overdue is True
    assert _card(answers, date=dt.date(2025, 9, 1)).plan[0].overdue is False
    undated = _card(answers)
    assert (undated.plan_as_of, undated.plan[0].overdue) == (None, None)
    assert _card(answers, date="end of 2025").plan[0].overdue is None


#: Dated 2025-01-01, with an action due on 2025-03-31: overdue only as of a later day.
DUE_IN_MARCH = {"rubric": "mini", "organisation": {"name": "M"}, "date": "2025-01-01",
                "answers": {"policy.strategy": {"level": 1, "due": "2025-03-31"}}}


def test_the_reference_date_passed_in_decides_what_is_overdue():
    rubric = documents.rubric_at(MINI)
    a = Assessment.model_validate(DUE_IN_MARCH)
    card = score(rubric, a)
    items = plan.build(rubric, card.criteria, card.gaps, dict(a.answers),
                       ref=dt.date(2025, 4, 1))
    assert (card.plan[0].overdue, items[0].overdue) == (False, True)


def test_as_of_overrides_the_assessment_date_for_the_plan_as_for_evidence():
    card = score(documents.rubric_at(MINI), Assessment.model_validate(DUE_IN_MARCH),
                 as_of=dt.date(2025, 4, 1))
    assert (card.plan_as_of, card.reference_date) == ("2025-04-01", "2025-04-01")
    assert card.plan[0].overdue is True


@settings(max_examples=60)
@given(levels=st.lists(st.integers(0, 4), min_size=1, max_size=1),
       status=st.sampled_from(PLAN_STATUSES))
def test_a_closed_action_is_never_overdue_and_the_summary_counts_what_the_items_say(
        levels, status):
    card = _card({"policy.strategy": {"level": levels[0], "due": "2020", "status": status},
                  "outreach.missions-online": {"value": 10, "due": "2020-Q1"}},
                 date="2025-01-01")
    s = plan.summary(card.plan)
    assert s["actions"] == len(card.plan)
    assert s["overdue"] == sum(i.overdue is True for i in card.plan)
    mine = next((i for i in card.plan if i.id == "policy.strategy"), None)
    assert mine is not None  # written, so listed even at its target
    assert mine.overdue is (status not in ("done", "dropped"))



def test_a_bare_year_is_a_due_period_not_a_number():
    """YAML reads `due: 2027` as a number: it is the year, due on December 31."""
    [item] = [i for i in _card({"policy.strategy": {"level": 1, "due": 2027}},
                               date="2028-01-01").plan if i.id == "policy.strategy"]
    assert (item.due, item.due_by, item.overdue) == ("2027", "2027-12-31", True)
