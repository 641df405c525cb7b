"""series.py: the years of one unit side by side.

The fixtures are the three years in tests/data/portfolio/progress/ (mini 1.0.0 in 2023
and 2024, mini 2.0.0 in 2025), whose figures test_compare.py works by hand.
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import tests.unit.engine.test_compare as tc
from cyberdip.engine.compare import compare
from cyberdip.engine.series import (
    ORDER_RULE,
    plan_progress,
    refusals,
    series,
    when,
)
from cyberdip.errors import CyberdipError
from cyberdip.formats import documents
from tests.conftest import DATA

PROG = DATA / "portfolio" / "progress"
FILES = ["2023.yaml", "2024.yaml", "2025-v2.yaml"]


@pytest.fixture(scope="module")
def years():
    return [(f, tc.card(PROG / f)) for f in FILES]


@pytest.fixture(scope="module")
def mini():
    return documents.rubric_at(tc.MINI)


def _with(card, **update):
    return card.model_copy(update=update)


def _org(card, **update):
    return card.model_copy(update={"organisation": card.organisation.model_copy(update=update)})


# -- order ---------------------------------------------------------------------------------


def test_the_points_are_in_time_order_whatever_the_order_given(years):
    for perm in itertools.permutations(years):
        s = series(list(perm))
        assert [p.snapshot.label for p in s.points] == FILES
        assert [p.when.year for p in s.points] == [2023, 2024, 2025]
        # item: where each point was in the list given
        assert [perm[p.item][0] for p in s.points] == FILES
    assert s.order == ORDER_RULE


def test_a_date_comes_before_the_period_and_orders_within_a_year(years):
    a, b = years[0][1], years[1][1]
    # two assessments of one year, told apart by their dates (the period says 2024 for
    # both; the later date wins the last place even when given first)
    late = _with(b, date="2024-11-30")
    early = _with(a, period="2024", date="2024-03-01")
    s = series([("late", late), ("early", early)])
    assert [p.snapshot.label for p in s.points] == ["early", "late"]
    assert [(p.when.field, p.when.date) for p in s.points] == [("date", "2024-03-01"),
                                                               ("date", "2024-11-30")]
    # a date that is not ISO still gives its leading year; a period like "2023-24" its first
    assert when(_with(a, date="2023, December")).year == 2023
    assert when(_with(a, date=None, period="2023-24")).model_dump() == {
        "field": "period", "value": "2023-24", "year": 2023, "date": None}


# -- what each point carries ---------------------------------------------------------------


def test_each_point_carries_its_index_range_stage_coverage_and_areas(years):
    s = series(years)
    for p, (_, card) in zip(s.points, years, strict=True):
        assert p.snapshot.index == card.index
        assert p.index_range == card.index_range  # the range, as the scorecard has it
        assert (p.snapshot.stage, p.snapshot.coverage) == (card.stage, card.coverage)
        own = {a.id: a.score for a in card.areas}
        assert {a.id: a.score for a in p.areas} == {a.id: own.get(a.id) for a in s.areas}
    first = s.points[0]
    # 2023 answered 83.33%: the index (27.78) could still end between 19.44 and 36.11
    assert first.index_range.low < first.snapshot.index < first.index_range.high
    assert (first.index_range.low, first.index_range.high) == (19.44, 36.11)
    assert first.step is None and all(a.delta is None for a in first.areas)
    assert [a.id for a in s.areas] == ["policy", "outreach"]
    assert s.top_stage == 4 and s.rubric.version == "2.0.0"


def test_a_changed_rubric_version_is_warned_about_on_the_year_it_changed(years):
    s = series(years)
    assert [[w.code for w in p.warnings] for p in s.points] == [[], [], ["CD307"]]
    # the very warning the two-way compare gives for that pair
    pair = compare(years[1][1], years[2][1], old_label=FILES[1], new_label=FILES[2])
    assert s.points[2].warnings == pair.warnings
    assert s.versions_differ
    assert not series(years[:2]).versions_differ


def test_each_year_shows_the_year_befores_plan_as_compare_gives_it(years):
    points = series(years).points
    cards = dict(years)
    assert points[0].plan is None
    for before, p in zip(points, points[1:], strict=False):
        pair = compare(cards[before.snapshot.label], cards[p.snapshot.label])
        assert p.plan == plan_progress(pair)
        want = pair.plan_progress
        assert p.plan == (None if want is None else want.model_dump(mode="json"))
    assert plan_progress(SimpleNamespace(plan_progress=None)) is None


# -- refusals ------------------------------------------------------------------------------


def test_different_units_are_refused_each_named(years):
    items = [years[0], ("b.yaml", _org(years[1][1], unit="Embassy Berlin")),
             ("c.yaml", _org(years[2][1], name="Another Ministry"))]
    found = refusals(items)
    assert [(r.code, r.item, r.field) for r in found] == [
        ("CD727", 1, ["organisation", "unit"]), ("CD727", 2, ["organisation", "name"])]
    assert "a series is of one unit" in found[0].message
    assert "“Test Ministry, Embassy Berlin”" in found[0].message
    with pytest.raises(CyberdipError) as e:
        series(items, paths=["a", "b", "c"])
    assert (e.value.code, e.value.path, e.value.exit_code) == ("CD727", "b", 1)
    # case and spacing do not make another unit
    assert refusals([years[0], ("b", _org(years[1][1], unit=" headquarters "))]) == []


def test_different_rubrics_are_refused_as_compare_refuses_them(years):
    other = tc.card(PROG / "other.yaml")
    found = refusals([years[0], ("other.yaml", _with(other, period="2030"))])
    assert [(r.code, r.item, r.field) for r in found] == [("CD310", 1, ["rubric"])]


def test_undated_and_tied_assessments_are_refused(years):
    a, b, c = (card for _, card in years)
    found = refusals([("a", _with(a, period=None, date=None)), ("b", b),
                      ("c", _with(c, period="2024"))])
    assert [(r.code, r.item, r.field) for r in found] == [("CD725", 0, ["date"]),
                                                          ("CD726", 2, ["period"])]
    assert "b (period 2024)" in found[1].message and "c (period 2024)" in found[1].message
    # one date and one bare year in the same year: a tie too (which came first is unknown)
    assert [r.code for r in refusals([("a", _with(a, date="2024-05-01", period="2024")),
                                      ("b", b)])] == ["CD726"]
    # the same date twice: a tie
    assert [r.code for r in refusals([("a", _with(a, date="2024-05-01")),
                                      ("b", _with(b, date="2024-05-01"))])] == ["CD726"]


def test_a_series_needs_two_assessments(years):
    with pytest.raises(ValueError):
        series(years[:1])


# -- the property: a series agrees with compare on every pair ---------------------------------

SERIES = st.lists(tc.ANSWERS, min_size=2, max_size=5)


@settings(max_examples=60, deadline=None)
@given(answers=SERIES, order=st.randoms(use_true_random=False))
@example(answers=[{k: None for k in tc.MINI_IDS}, {k: 2 for k in tc.MINI_IDS},
                  {k: None for k in tc.MINI_IDS}], order=__import__("random").Random(0))
def test_a_series_agrees_pairwise_with_two_way_compare(mini, answers, order):
    cards = [(f"{2020 + i}.yaml", tc.mini_card(mini, a, period=str(2020 + i)))
             for i, a in enumerate(answers)]
    given_order = list(cards)
    order.shuffle(given_order)
    s = series(given_order)
    assert [p.snapshot.label for p in s.points] == [label for label, _ in cards]
    for i, j in itertools.combinations(range(len(cards)), 2):
        c = compare(cards[i][1], cards[j][1], old_label=cards[i][0], new_label=cards[j][0])
        pi, pj = s.points[i], s.points[j]
        # any two years: the difference of their figures is compare's delta
        d = (None if pi.snapshot.index is None or pj.snapshot.index is None
             else round(pj.snapshot.index - pi.snapshot.index, 2))
        assert d == c.index_delta
        assert round(pj.snapshot.coverage - pi.snapshot.coverage, 2) == c.coverage_delta
        st_d = (None if pi.snapshot.stage is None or pj.snapshot.stage is None
                else pj.snapshot.stage - pi.snapshot.stage)
        assert st_d == c.stage_delta
        by_id = {a.id: a for a in c.areas}
        for k, area in enumerate(s.areas):
            o, n = pi.areas[k].score, pj.areas[k].score
            assert (None if o is None or n is None else round(n - o, 2)) == \
                by_id[area.id].delta
        if j == i + 1:  # each step is the two-way comparison of the pair
            step = pj.step
            assert step.index_delta == c.index_delta
            assert step.index_like_for_like == c.index_like_for_like
            assert (step.stage_delta, step.coverage_delta) == (c.stage_delta, c.coverage_delta)
            assert step.regressions == c.regressions
            assert [a.delta for a in pj.areas] == [by_id[a.id].delta for a in s.areas]
            assert pj.warnings == c.warnings
