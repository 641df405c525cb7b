"""report.summary: why the stage is what it is, and the actions that lift it soonest."""

from __future__ import annotations

import pytest

from cyberdip.engine.scoring import score
from cyberdip.formats import documents
from cyberdip.report.summary import band_label, lift_actions, stage_reason
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
    assert {h.id for h in r.holders} == binding and binding
    titles = {c.id: c.title for c in card.criteria}
    for h in r.holders:
        assert h.title == titles[h.id] and h.level == card.stage
    assert r.next_stage == card.stage + 1
    assert r.next_stage_name == next(s.name for s in card.scale if s.level == r.next_stage)
    assert r.unassessed_areas == [a.title for a in card.areas if a.score is None]


def test_the_first_actions_are_the_gaps_that_hold_the_stage_down(card):
    actions = lift_actions(card)
    assert len(actions) == min(5, len(card.gaps))
    holders = {h.id for h in stage_reason(card).holders}
    with_gaps = [g.id for g in card.gaps if g.id in holders]
    assert [g.id for g in actions[:len(with_gaps)]] == with_gaps
    # then the other areas' gating criteria, lowest area stage first
    gating = {cid: a.stage for a in card.areas for cid in a.gating}
    rest = [g for g in actions[len(with_gaps):] if g.id in gating]
    assert [gating[g.id] for g in rest] == sorted(gating[g.id] for g in rest)


def test_without_gating_gaps_the_roadmap_order_is_kept(card):
    plain = card.model_copy(update={"areas": [a.model_copy(update={"gating": []})
                                              for a in card.areas]})
    got = [g.id for g in lift_actions(plain, n=len(card.gaps))]
    crit = [g.id for g in card.gaps if g.critical] + [g.id for g in card.gaps
                                                        if not g.critical]
    assert got == crit


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
