"""report.summary: why the stage is what it is, and the steps that raise it."""

from __future__ import annotations

import pytest

from cyberdip.engine.scoring import score
from cyberdip.formats import documents
from cyberdip.report.summary import band_label, stage_list, stage_reason
from tests.conftest import ROOT

BASELINE = ROOT / "examples" / "pakistan-mofa-2023.yaml"


@pytest.fixture(scope="module")
def card():
    c = documents.load_assessment(str(BASELINE))
    return score(c.rubric, c.assessment)


def test_the_reason_names_the_criteria_at_the_stage_in_the_areas_at_the_stage(card):
    r = stage_reason(card)
    assert r.stage == card.stage
    binding = {cid for a in card.areas if a.stage == card.stage for cid in a.gating}
    # those answered at the stage, and those blank (each counts at the lowest level)
    assert {h.id for h in r.holders} | {h.id for h in r.blanks} == binding and binding
    status = {c.id: c.status for c in card.criteria}
    assert all(status[h.id] == "not-assessed" for h in r.blanks)
    assert all(status[h.id] == "assessed" for h in r.holders)
    assert r.count == len(binding)
    titles = {c.id: c.title for c in card.criteria}
    for h in [*r.holders, *r.blanks]:
        assert h.title == titles[h.id] and h.level == card.stage
    assert r.next_stage == card.stage + 1
    assert r.next_stage_name == next(s.name for s in card.scale if s.level == r.next_stage)
    # an area with nothing answered counts once a blank sets its stage (rule: lowest)
    assert r.unassessed_areas == [a.title for a in card.areas
                                  if a.score is None and a.stage is None]


def test_the_stage_list_holds_the_plan_and_the_other_gaps_follow(card):
    plan = stage_list(card)
    assert plan.status == card.stage_plan.status
    assert [st.id for st in plan.steps] == [st.id for st in card.stage_plan.steps]
    steps = {st.id for st in plan.steps}
    # the other gaps: every gap not a step, by priority, the first five
    assert [g.id for g in plan.others] == [g.id for g in card.gaps if g.id not in steps][:5]
    # every step of a rising plan is a criterion that holds the stage down
    holders = {h.id for h in stage_reason(card).holders}
    if plan.status == "rise":
        assert steps == holders


def test_a_scorecard_without_a_plan_lists_its_gaps_as_other(card):
    old = card.model_copy(update={"stage_plan": None})
    plan = stage_list(old)
    assert (plan.status, plan.steps) == ("none", [])
    assert [g.id for g in plan.others] == [g.id for g in card.gaps[:5]]


def test_no_stage_gives_no_holders(card):
    empty = card.model_copy(update={"stage": None, "stage_name": None})
    r = stage_reason(empty)
    assert (r.stage, r.holders, r.next_stage) == (None, [], None)


def test_band_is_shown_only_when_the_scorecard_has_one(card):
    assert band_label(card) is None

    class WithBand:
        band = "Developing"

    class WithNamedBand:
        class band:  # noqa: N801 - a stand-in for a model with a name
            name = "Advanced"

    assert band_label(WithBand()) == "Developing"
    assert band_label(WithNamedBand()) == "Advanced"


SHIPPED = sorted([*ROOT.glob("examples/*.yaml"), *ROOT.glob("examples/missions/*.yaml"),
                  *ROOT.glob("examples/permanent-missions/*.yaml"),
                  *[p for p in ROOT.glob("examples/frameworks/*/*.yaml")
                    if not p.name.startswith(("rubric", "pack."))]])  # rubric*.yaml, pack.yaml


def _flat(text: str) -> str:
    import html
    import re

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_listed_step_of_every_shipped_report_says_what_to_do(path):
    """No item reads only "from level 1 to 2": each step of the stage list and each
    other gap shows what to do, in the text scorecard and in the HTML report."""
    from cyberdip.report import registry
    from cyberdip.report.as_text import to_text

    checked = documents.load_assessment(str(path))
    card = score(checked.rubric, checked.assessment)
    plan = stage_list(card)
    text = " ".join(to_text(card, width=2000).split())
    rendered = registry.render("html", card)
    page = _flat(rendered.decode() if isinstance(rendered, bytes) else rendered)
    for g in card.gaps:
        assert g.actions, g.id  # the scorecard itself carries what to do
    for item in [*plan.steps, *plan.others]:
        assert item.actions, item.id
        first = " ".join(item.actions[0].split()).rstrip(".")
        assert first in page, (item.id, first)
    for g in plan.others:
        said = g.recommendation or (g.steps[0] if g.steps else g.actions[0])
        assert " ".join(said.split()).rstrip(".") in text, g.id
