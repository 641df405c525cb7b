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

from cyberdip.engine.compare import (
    PortfolioBuilder,
    aggregate,
    compare,
    quartiles,
    summarise,
)
from cyberdip.engine.scoring import score
from cyberdip.errors import CyberdipError
from cyberdip.formats import documents
from cyberdip.model import assessment as amod
from tests.conftest import DATA

P = DATA / "portfolio"


def card(path, **kw):
    checked = documents.load_assessment(str(path))
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
    assert c.no_longer_assessed == [] and c.unchanged == 0 and c.not_assessed == 0
    # target 3: law (0) and missions-online (2) reach it; dialogue now answered at 1, a gap
    # that was there all along, unmeasured: not a new one
    assert [g.id for g in c.gaps_closed] == ["policy.law", "outreach.missions-online"]
    assert c.gaps_new == []
    assert [g.id for g in c.gaps_newly_assessed] == ["outreach.dialogue"]
    assert c.gap_counts.model_dump() == {"old": 3, "new": 2, "common_old": 3, "common_new": 1,
                                         "newly_assessed": 1, "no_longer_assessed": 0}
    assert c.regressions == [] and not c.versions_differ and c.warnings == []
    assert c.criteria_added == c.criteria_removed == []


def test_going_backwards_names_every_criterion_that_dropped(y2023, y2024):
    c = compare(y2024, y2023)
    assert [d.id for d in c.regressed] == ["policy.strategy", "policy.law",
                                           "outreach.missions-online"]
    assert [d.id for d in c.no_longer_assessed] == ["outreach.dialogue"]
    # policy: strategy and law assessed in both, so like for like is the headline score
    policy = c.areas[0]
    assert policy.regressed and policy.like_for_like.model_dump() == {
        "criteria": 2, "old_score": 58.33, "new_score": 16.67, "delta": -41.66}
    # outreach: the headline stays at 50.0 (dialogue at 1 is no longer assessed), but
    # missions-online, the one criterion assessed in both, fell 3 -> 2: 75 -> 50
    outreach = c.areas[1]
    assert (outreach.old_score, outreach.new_score, outreach.delta) == (50.0, 50.0, 0.0)
    assert outreach.like_for_like.model_dump() == {
        "criteria": 1, "old_score": 75.0, "new_score": 50.0, "delta": -25.0}
    assert (outreach.coverage_effect, outreach.no_longer_assessed) == (25.0, 1)
    assert outreach.regressed
    # a regression is a drop on a criterion assessed in both: each is named once, and
    # the areas they pulled down are shown, not counted again
    assert c.regressions == [
        "critical criterion `policy.strategy` (Digital diplomacy strategy) went down: "
        "level 2 Formative → 1 Start-up",
        "criterion `policy.law` (Cybercrime law) went down: level 3 Established → 0 Absent",
        "criterion `outreach.missions-online` (Missions on social media) went down: "
        "level 3 Established → 2 Formative"]
    # dialogue's gap (level 1, target 3) was not closed: it was not measured this time
    assert c.gaps_closed == []
    assert c.gap_counts.no_longer_assessed == 1


def test_comparing_a_card_with_itself_changes_nothing(y2024):
    c = compare(y2024, y2024)
    assert c.index_delta == 0 and c.coverage_delta == 0 and c.stage_delta == 0
    assert not (c.improved or c.regressed or c.gaps_new or c.gaps_closed or c.regressions)
    assert c.unchanged == 4 and c.warnings == [] and c.index_like_for_like.delta == 0


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


# -- like for like, coverage and regressions ------------------------------------------------

MINI = DATA / "rubrics" / "mini.yaml"
MINI_IDS = ["policy.strategy", "policy.law", "outreach.missions-online", "outreach.dialogue"]


@pytest.fixture(scope="module")
def mini():
    from cyberdip.formats import documents

    return documents.rubric_at(MINI)


def mini_card(rubric, answers: dict, **meta):
    """A scorecard of the mini rubric from answers given as levels (None: not assessed);
    policy.law is boolean (met = 3, not met = 0) and missions-online a metric, so their
    levels become the answers that reach them."""
    thresholds = {0: 0, 1: 10, 2: 30, 3: 60, 4: 90}
    raw = {}
    for cid, lv in answers.items():
        if lv is None:
            raw[cid] = None
        elif cid == "policy.law":
            raw[cid] = {"met": lv == 3, "evidence": ["x"]}
        elif cid == "outreach.missions-online":
            raw[cid] = {"value": thresholds[lv], "evidence": ["x"]}
        else:
            raw[cid] = {"level": lv, "evidence": ["x"]}
    doc = {"rubric": "mini", "organisation": {"name": "Test Ministry", "unit": "HQ"},
           "answers": raw, **meta}
    return score(rubric, amod.Assessment.model_validate(doc))


def test_newly_assessed_criteria_at_lower_levels_are_not_a_regression(mini):
    # law newly assessed, not met (level 0): policy's headline falls from strategy alone
    # (2/4 = 50.0) to (0.5*2 + 0*1)/3 = 33.33, but nothing assessed in both went down
    old = mini_card(mini, {"policy.strategy": 2, "outreach.missions-online": 2})
    new = mini_card(mini, {"policy.strategy": 2, "policy.law": 0,
                           "outreach.missions-online": 2})
    c = compare(old, new)
    policy = c.areas[0]
    assert (policy.old_score, policy.new_score, policy.delta) == (50.0, 33.33, -16.67)
    assert policy.like_for_like.model_dump() == {"criteria": 1, "old_score": 50.0,
                                                 "new_score": 50.0, "delta": 0.0}
    assert (policy.coverage_effect, policy.newly_assessed, policy.regressed) == (-16.67, 1,
                                                                                 False)
    assert c.regressions == [] and c.regressed == []
    # the law's gap (0 -> target 3) was there before, unmeasured: not a new gap
    assert c.gaps_new == [] and [g.id for g in c.gaps_newly_assessed] == ["policy.law"]
    g = c.gap_counts
    assert (g.old, g.new, g.common_old, g.common_new, g.newly_assessed) == (2, 3, 2, 2, 1)
    # index: like for like is unchanged, the headline fell only through coverage
    assert c.index_like_for_like.delta == 0.0 and c.index_delta < 0


def test_a_drop_on_a_criterion_assessed_in_both_is_a_regression(mini):
    # law met (3) -> not met (0), not critical; strategy unchanged at 2
    # policy like for like: (0.5*2 + 0.75)/3 = 58.33 -> (0.5*2 + 0)/3 = 33.33
    old = mini_card(mini, {"policy.strategy": 2, "policy.law": 3})
    new = mini_card(mini, {"policy.strategy": 2, "policy.law": 0, "outreach.dialogue": 4})
    c = compare(old, new)
    assert [d.id for d in c.regressed] == ["policy.law"]
    assert c.regressions == ["criterion `policy.law` (Cybercrime law) went down: level 3 "
                             "Established → 0 Absent"]
    assert c.areas[0].regressed and not c.areas[1].regressed
    # an area with nothing assessed before has no like-for-like score: never a regression
    assert c.areas[1].like_for_like.old_score is None and c.areas[1].newly_assessed == 1


def test_a_critical_criterion_going_down_is_named_even_when_its_area_rises(mini):
    # strategy (critical, weight 2) 3 -> 2 while law 0 -> 3: policy like for like
    # (0.75*2 + 0)/3 = 50 -> (0.5*2 + 0.75)/3 = 58.33, up
    c = compare(mini_card(mini, {"policy.strategy": 3, "policy.law": 0}),
                mini_card(mini, {"policy.strategy": 2, "policy.law": 3}))
    assert not c.areas[0].regressed and c.areas[0].like_for_like.delta == 8.33
    assert c.regressions == ["critical criterion `policy.strategy` (Digital diplomacy "
                             "strategy) went down: level 3 Established → 2 Formative"]


def test_a_gap_no_longer_assessed_is_neither_closed_nor_open(mini):
    c = compare(mini_card(mini, {"policy.strategy": 1, "outreach.dialogue": 1}),
                mini_card(mini, {"policy.strategy": 3}))
    assert [g.id for g in c.gaps_closed] == ["policy.strategy"]
    assert c.gap_counts.model_dump() == {"old": 2, "new": 0, "common_old": 1, "common_new": 0,
                                         "newly_assessed": 0, "no_longer_assessed": 1}
    assert c.areas[1].no_longer_assessed == 1 and c.areas[1].new_score is None
    assert c.not_assessed == 2  # law and missions-online, in neither


LEVELS = st.one_of(st.none(), st.integers(0, 4))
ANSWERS = st.fixed_dictionaries({
    "policy.strategy": LEVELS, "policy.law": st.sampled_from([None, 0, 3]),
    "outreach.missions-online": LEVELS, "outreach.dialogue": LEVELS})


@settings(max_examples=150, deadline=None)
@given(old=ANSWERS, new=ANSWERS)
def test_only_a_drop_on_criteria_assessed_in_both_is_a_regression(mini, old, new):
    c = compare(mini_card(mini, old), mini_card(mini, new))
    both = [k for k in MINI_IDS if old[k] is not None and new[k] is not None]
    down = [k for k in both if new[k] < old[k]]
    up = [k for k in both if new[k] > old[k]]
    if not down:
        assert c.regressions == []  # however many criteria were newly assessed, or dropped
    if down and not up:
        assert c.regressions and all(c.areas[0 if k.startswith("policy") else 1].regressed
                                     for k in down)
    g = c.gap_counts
    assert g.old == g.common_old + g.no_longer_assessed
    assert g.new == g.common_new + g.newly_assessed
    assert len(c.gaps_new) - len(c.gaps_closed) == g.common_new - g.common_old
    for a in c.areas:
        if not (a.newly_assessed or a.no_longer_assessed) and a.delta is not None:
            # the same criteria assessed: like for like is the headline, coverage adds 0
            assert a.like_for_like.delta == a.delta and a.coverage_effect == 0
        if a.delta is not None and a.like_for_like.delta is not None:
            assert a.coverage_effect == pytest.approx(a.delta - a.like_for_like.delta,
                                                      abs=0.011)


# -- warnings: are the two like for like? ---------------------------------------------------


def test_no_warnings_for_two_years_of_one_unit(y2023, y2024):
    assert compare(y2023, y2024).warnings == []


def test_warns_when_the_units_differ(mini):
    a = mini_card(mini, {"policy.strategy": 1})
    b = mini_card(mini, {"policy.strategy": 1},
                  organisation={"name": "Test Ministry", "unit": "Embassy B"})
    [w] = compare(a, b, old_label="a.yaml", new_label="b.yaml").warnings
    assert (w.code, w.side, w.field) == ("CD312", "new", ["organisation", "unit"])
    assert w.message == ("the two assessments are of different units: a.yaml is of “Test "
                         "Ministry, HQ” and b.yaml of “Test Ministry, Embassy B”; the changes "
                         "may reflect the unit, not progress")
    # case and spacing alone are not a different unit
    c = mini_card(mini, {}, organisation={"name": "test  ministry", "unit": "hq"})
    assert compare(a, c).warnings == []


@pytest.mark.parametrize("old_meta,new_meta,field", [
    ({"date": "2025-01-10"}, {"date": "2024-12-31"}, "date"),
    ({"period": "2025"}, {"period": "2024-Q3"}, "period"),
    ({"date": "2025-01-10", "period": "2023"}, {"period": "2024"}, "date"),
])
def test_warns_when_the_previous_one_is_later(mini, old_meta, new_meta, field):
    old = mini_card(mini, {}, **old_meta)
    new = mini_card(mini, {}, **new_meta)
    [w] = compare(old, new, old_label="a.yaml", new_label="b.yaml").warnings
    assert (w.code, w.side, w.field) == ("CD313", "old", [field])
    assert w.message.startswith(f"the previous assessment (a.yaml, {field} ")
    assert compare(new, old).warnings == []  # the right way round


@pytest.mark.parametrize("old_meta,new_meta", [
    ({"period": "2024"}, {"period": "2024"}),  # the same period
    ({"period": "spring"}, {"period": "2023"}),  # cannot tell
    ({}, {"date": "2020-01-01"}),  # one side undated
])
def test_no_order_warning_when_it_cannot_be_told(mini, old_meta, new_meta):
    assert compare(mini_card(mini, {}, **old_meta), mini_card(mini, {}, **new_meta)
                   ).warnings == []


def test_warns_when_the_answered_versions_differ(mini):
    old = mini_card(mini, {}, rubric_version="0.9.0")
    new = mini_card(mini, {}, rubric_version="1.0.0")
    [w] = compare(old, new, old_label="a.yaml", new_label="b.yaml").warnings
    assert (w.code, w.side, w.field) == ("CD307", "new", ["rubric_version"])
    assert w.message == ("the two assessments use different versions of `mini`: a.yaml "
                         "answers version 0.9.0 and b.yaml version 1.0.0; criteria matched by "
                         "id may have changed meaning")


def test_warns_when_scored_with_different_rubric_versions(y2023):
    c = compare(y2023, card(P / "progress" / "2025-v2.yaml"))
    assert [(w.code, w.field) for w in c.warnings] == [("CD307", ["rubric_version"])]
    assert "1.0.0" in c.warnings[0].message and "2.0.0" in c.warnings[0].message


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


def test_each_row_carries_the_range_its_unit_s_index_could_still_take(tmp_path):
    # bravo with its strategy left blank: its index could still rise or fall
    blank = tmp_path / "bravo-blank.yaml"
    blank.write_text((P / "missions" / "bravo.yaml").read_text().replace(
        "../../rubrics/mini.yaml", str(DATA / "rubrics" / "mini.yaml")).replace(
        "  policy.strategy: {level: 1}\n", ""))
    cards = {f"{m}.yaml": card(P / "missions" / f"{m}.yaml") for m in MISSIONS}
    cards["bravo-blank.yaml"] = card(blank)
    p = aggregate(list(cards.items()))
    for r in p.table:
        assert r.index_range == cards[r.path].index_range
        assert r.index_range.low <= r.index <= r.index_range.high
    wide = [r.path for r in p.table if r.index_range.low < r.index_range.high]
    assert wide == ["bravo-blank.yaml"]


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


# -- progress against the earlier plan ------------------------------------------------------


def _mini_card(answers: dict, date: str | None):
    rubric = documents.load_rubric_file(DATA / "rubrics" / "mini.yaml")
    data = {"rubric": "mini", "organisation": {"name": "M"}, "answers": answers}
    if date:
        data["date"] = date
    return score(rubric, amod.Assessment.model_validate(data))


def test_plan_progress_lists_each_earlier_action_due_done_and_reached():
    old = _mini_card({"policy.strategy": {"level": 1, "due": "2026-Q2", "status": "done"},
                      "policy.law": {"met": False, "due": "2027"},
                      "outreach.missions-online": {"value": 30, "due": "2026-06-30"}},
                     "2025-11-01")
    new = _mini_card({"policy.strategy": {"level": 3},
                      "outreach.missions-online": {"value": 40, "status": "under-way"}},
                     "2026-11-01")
    pp = compare(old, new).plan_progress
    assert pp is not None and pp.as_of == "2026-11-01"
    assert [(i.id, i.due_by_then, i.status, i.planned_level, i.level_now, i.reached)
            for i in pp.items] == [
        ("policy.strategy", True, "done", 3, 3, True),
        ("policy.law", False, None, 3, None, None),  # not assessed now: not known
        ("outreach.missions-online", True, "under-way", 3, 2, False)]  # the later status
    assert (pp.due, pp.done, pp.not_done, pp.reached) == (2, 1, 1, 1)
    assert compare(_mini_card({}, None), new).plan_progress is None  # no earlier plan
    undated = compare(old, _mini_card({"policy.strategy": {"level": 3}}, None)).plan_progress
    assert [i.due_by_then for i in undated.items] == [None, None, None]
    assert undated.due == 0


@settings(max_examples=60, deadline=None)
@given(before=st.integers(0, 4), after=st.one_of(st.none(), st.integers(0, 4)),
       target=st.integers(0, 4))
def test_a_criterion_reached_its_planned_level_exactly_when_it_is_at_or_above_it(
        before, after, target):
    old = _mini_card({"policy.strategy": {"level": before, "target": target,
                                          "action": "Act"}}, "2025-01-01")
    new = _mini_card({"policy.strategy": {"level": after}} if after is not None else {},
                     "2026-01-01")
    [item] = [i for i in compare(old, new).plan_progress.items if i.id == "policy.strategy"]
    assert item.planned_level == target
    assert item.reached is (None if after is None else after >= target)
