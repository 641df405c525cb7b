"""compare.py: deltas between two scorecards and portfolios of many.

Expected figures are worked by hand from docs/scoring.md's formulas on the
fixtures in tests/data/portfolio/ (mini rubric: scale 0..4, default target 3,
policy weight 2 = strategy (w2, critical) + law (w1, boolean met=3/not=0),
outreach weight 1 = missions-online (metric 10/30/60/90) + dialogue (w1)).
"""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberdip import assessment as amod
from cyberdip.compare import (
    PortfolioBuilder,
    aggregate,
    compare,
    quartiles,
    summarise,
)
from cyberdip.errors import CyberdipError
from cyberdip.scoring import score
from tests.conftest import DATA

P = DATA / "portfolio"


def card(path, **kw):
    checked = amod.load(str(path))
    return score(checked.rubric, checked.assessment, **kw)


@pytest.fixture(scope="module")
def y2023():
    return card(P / "progress" / "2023.yaml")


@pytest.fixture(scope="module")
def y2024():
    return card(P / "progress" / "2024.yaml")


# -- compare ------------------------------------------------------------------------------


def test_headline_deltas_by_hand(y2023, y2024):
    c = compare(y2023, y2024)
    # 2023: policy (0.25*2 + 0*1)/3 = 16.67; outreach: only missions-online at 2 -> 50.0;
    # index (16.667*2 + 50)/3 = 27.78. 2024: policy (0.5*2 + 0.75)/3 = 58.33;
    # outreach (0.75 + 0.25)/2 = 50.0; index (58.333*2 + 50)/3 = 55.56.
    assert (c.old.index, c.new.index) == (27.78, 55.56)
    assert c.index_delta == pytest.approx(27.78)
    # coverage 2023: policy 100, outreach 50 -> (100*2 + 50)/3 = 83.33; 2024: 100
    assert c.coverage_delta == pytest.approx(100 - 83.33)
    # stage: policy gated by critical strategy (1, then 2); outreach min level (2, then 1)
    assert (c.old.stage, c.new.stage, c.stage_delta) == (1, 1, 0)
    policy, outreach = c.areas
    assert (policy.old_score, policy.new_score, policy.delta) == (16.67, 58.33, 41.66)
    assert (outreach.delta, outreach.old_stage, outreach.new_stage) == (0.0, 2, 1)
    assert policy.stage_delta == 1


def test_criteria_and_gaps_by_hand(y2023, y2024):
    c = compare(y2023, y2024)
    assert [(d.id, d.old_level, d.new_level) for d in c.improved] == [
        ("policy.strategy", 1, 2), ("policy.law", 0, 3), ("outreach.missions-online", 2, 3)]
    assert c.regressed == []
    assert [d.id for d in c.newly_assessed] == ["outreach.dialogue"]
    assert c.no_longer_assessed == [] and c.unchanged == 0
    # target 3: law (0) and missions-online (2) reach it; dialogue now answered at 1
    assert [g.id for g in c.gaps_closed] == ["policy.law", "outreach.missions-online"]
    assert [g.id for g in c.gaps_new] == ["outreach.dialogue"]
    assert c.regressions == [] and not c.versions_differ
    assert c.criteria_added == c.criteria_removed == []


def test_going_backwards_names_area_and_critical_regressions(y2023, y2024):
    c = compare(y2024, y2023)
    assert [d.id for d in c.regressed] == ["policy.strategy", "policy.law",
                                           "outreach.missions-online"]
    assert [d.id for d in c.no_longer_assessed] == ["outreach.dialogue"]
    assert len(c.regressions) == 2
    assert c.regressions[0].startswith("area `policy` (Policy) went down 41.7 points")
    assert "critical criterion `policy.strategy`" in c.regressions[1]
    # policy.law went down too, but it is not critical: only its area is named
    assert not any("policy.law" in r for r in c.regressions)


def test_comparing_a_card_with_itself_changes_nothing(y2024):
    c = compare(y2024, y2024)
    assert c.index_delta == 0 and c.coverage_delta == 0 and c.stage_delta == 0
    assert not (c.improved or c.regressed or c.gaps_new or c.gaps_closed or c.regressions)
    assert c.unchanged == 4


def test_rubric_versions_differ_lists_added_and_removed(y2023):
    v2 = card(P / "progress" / "2025-v2.yaml")
    c = compare(y2023, v2)
    assert c.versions_differ
    assert (c.old.rubric_version, c.new.rubric_version) == ("1.0.0", "2.0.0")
    assert c.criteria_added == ["policy.envoy"]
    assert c.criteria_removed == ["outreach.dialogue"]
    # matched by id: the three shared criteria still compare
    assert [d.id for d in c.improved] == ["policy.strategy", "policy.law",
                                          "outreach.missions-online"]


def test_different_rubrics_cannot_be_compared(y2023):
    other = card(P / "progress" / "other.yaml")
    with pytest.raises(CyberdipError) as e:
        compare(y2023, other, old_label="a.yaml", new_label="b.yaml", new_path="b.yaml")
    assert e.value.code == "CD310" and e.value.exit_code == 1
    assert "`mini`" in e.value.message and "`other`" in e.value.message


# -- aggregate ----------------------------------------------------------------------------

MISSIONS = ["alpha", "bravo", "charlie", "delta"]


@pytest.fixture(scope="module")
def portfolio():
    return aggregate([(f"{m}.yaml", card(P / "missions" / f"{m}.yaml")) for m in MISSIONS])


def test_league_table_by_index_with_ties_by_name(portfolio):
    # alpha: policy (0.75*2 + 0.75)/3 = 75, outreach (1 + 0.75)/2 = 87.5, index 79.17
    # bravo: policy 0.5/3 = 16.67, outreach (0 + 0.25)/2 = 12.5, index 15.28
    # charlie = delta: policy 1/3 = 33.33, outreach 50 (dialogue N/A), index 38.89
    rows = [(r.rank, r.label, r.index) for r in portfolio.table]
    assert rows == [(1, "Embassy A", 79.17), (2, "Consulate D", 38.89),
                    (2, "Embassy C", 38.89), (4, "Embassy B", 15.28)]
    assert portfolio.table[0].areas == [75.0, 87.5]
    assert portfolio.units == 4


def test_area_quartiles_inclusive_method_by_hand(portfolio):
    policy = portfolio.area_stats[0]
    # sorted 16.67, 33.33, 33.33, 75; inclusive: position (n-1)p -> 0.75, 1.5, 2.25
    assert (policy.min, policy.max, policy.units) == (16.67, 75.0, 4)
    assert policy.q1 == pytest.approx(16.67 + 0.75 * (33.33 - 16.67), abs=0.006)
    assert policy.median == pytest.approx(33.33)
    assert policy.q3 == pytest.approx(33.33 + 0.25 * (75 - 33.33), abs=0.006)
    assert portfolio.quartile_method == "inclusive"


def test_shared_weaknesses_counted_and_ranked(portfolio):
    got = [(w.id, w.units_weak, w.units_assessed) for w in portfolio.weaknesses]
    # law not met (level 0) in bravo, charlie, delta; bravo alone is low on the others;
    # dialogue is N/A in charlie and delta, so only two units assessed it.
    assert got == [("policy.law", 3, 4), ("policy.strategy", 1, 4),
                   ("outreach.dialogue", 1, 2), ("outreach.missions-online", 1, 4)]
    law = portfolio.weaknesses[0]
    assert (law.next_level, law.next_name, law.recommendation) == (3, "Established",
                                                                   "Pass a law.")
    assert law.sources[0].section == "Recommendations: Legal Framework"
    assert law.share == 75.0
    assert portfolio.weaknesses_total == 4


def test_top_limits_weaknesses():
    cards = [(m, card(P / "missions" / f"{m}.yaml")) for m in MISSIONS]
    p = aggregate(cards, top=2)
    assert len(p.weaknesses) == 2 and p.weaknesses_total == 4


def test_builder_refuses_another_rubric_and_accepts_same():
    b = PortfolioBuilder()
    b.add("a", card(P / "missions" / "alpha.yaml"))
    other = card(P / "progress" / "other.yaml")
    assert not b.accepts(other)
    assert b.accepts(card(P / "missions" / "bravo.yaml"))
    with pytest.raises(ValueError):
        b.add("o", other)


def test_summaries_give_the_same_portfolio_as_scorecards():
    cards = [(m, card(P / "missions" / f"{m}.yaml")) for m in MISSIONS]
    b = PortfolioBuilder()
    for path, c in reversed(cards):  # order of adding must not matter
        b.add_summary(summarise(path, c))
    assert b.build() == aggregate(cards)


def test_summaries_may_leave_out_the_rubric_description_once_seen():
    cards = [(m, card(P / "missions" / f"{m}.yaml")) for m in MISSIONS]
    b = PortfolioBuilder()
    bare = summarise("bravo", cards[1][1], with_meta=False)
    assert bare.meta is None and not b.knows(bare)
    with pytest.raises(ValueError):
        b.add_summary(bare)
    b.note(summarise(*cards[0]))  # described by a summary that is not added
    assert b.knows(bare)
    for path, c in cards:
        b.add_summary(summarise(path, c, with_meta=False))
    assert b.build() == aggregate(cards)


def test_quartiles_edge_cases():
    assert quartiles([]) is None
    assert quartiles([42.0]) == (42.0,) * 5


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=2,
                max_size=30))
def test_quartiles_are_ordered_and_match_statistics(values):
    lo, q1, med, q3, hi = quartiles(values)
    assert lo <= q1 + 0.01 and q1 <= med + 0.01 and med <= q3 + 0.01 and q3 <= hi + 0.01
    assert med == pytest.approx(statistics.median(values), abs=0.006)
