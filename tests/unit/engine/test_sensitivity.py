"""The uncertainty analysis of the weights (cyberdip.engine.sensitivity), checked against
a brute-force computation written from docs/method.md, and by the properties any
re-weighting must keep."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cyberdip import yamlio
from cyberdip.engine import sensitivity as sens
from cyberdip.engine.compare import aggregate
from cyberdip.engine.scoring import score, score_lean
from cyberdip.formats import documents
from cyberdip.model.assessment import Assessment
from cyberdip.model.loading import rubric_from_document
from tests.unit.engine.test_scoring_doc import cases, cases2, rubric_model, sized

ROOT = Path(__file__).resolve().parents[3]

# -- a tiny rubric: the format-2 worked example of docs/scoring.md -----------------------


def _block(marker: str) -> str:
    text = (ROOT / "docs" / "scoring.md").read_text("utf-8")
    m = re.search(rf"<!-- {marker} -->\s*```\w*\n(.*?)```", text, re.S)
    assert m, marker
    return m.group(1)


TINY = rubric_from_document(yamlio.parse(_block("example2-rubric").encode(), "rubric.yaml"))

#: every way each criterion of the tiny rubric can be answered (None: unanswered)
ANSWERS = {
    "policy.strategy": [None, {"level": 0}, {"level": 1}, {"level": 2}, {"level": 3},
                        {"level": 4}, {"not_applicable": "not here"}],
    "policy.law": [None, {"met": True, "evidence": ["the act"]}, {"met": False}],
    "outreach.reach": [None, {"value": 0}, {"value": 12.5}, {"value": 45}, {"value": 100}],
    "outreach.replies": [None, {"answer": "NO"}, {"answer": "PART"}, {"answer": "YES"}],
    "national.strategy": [None, {"met": True, "evidence": ["x"]}, {"met": False}],
}


def tiny_card(choice: dict, name: str = "Unit"):
    answers = {k: v for k, v in choice.items() if v is not None}
    a = Assessment.model_validate({"rubric": "worked-example-2",
                                   "organisation": {"name": name}, "answers": answers})
    return score(TINY, a)


unit_answers = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in ANSWERS.items()})


# -- the brute force, from the method as docs/method.md states it ------------------------


def exact_score(c, result) -> float | None:
    """The criterion's unrounded score, by kind, for the tiny rubric."""
    if result.status != "assessed":
        return None
    if c.kind == "choice":
        return {o.id: o.score for o in TINY.answer_scales[c.answer_scale]}[result.answer]
    if c.kind == "metric" and c.metric.scoring == "linear":
        return (result.value - c.metric.min) / (c.metric.max - c.metric.min)
    return (result.level - TINY.lowest) / (TINY.highest - TINY.lowest)


def brute_index(rubric, card, am: dict, cm: dict) -> float | None:
    by_id = {r.id: r for r in card.criteria}
    num, den = [], []
    for area in rubric.areas:
        if area.context:
            continue
        pairs = []
        for c in area.all_criteria():
            r = by_id.get(c.id)
            s = exact_score(c, r) if r is not None else None
            if s is not None:
                pairs.append((s, c.weight * cm[c.id]))
        if pairs:
            mean = sum(s * w for s, w in pairs) / sum(w for _, w in pairs)
            num.append(mean * 100)
            den.append(area.weight * am[area.id])
    if not num:
        return None
    return sum(x * w for x, w in zip(num, den, strict=True)) / sum(den)


def nearest_rank(values: list, p: float):
    """The smallest value that at least p% of the values are at or below."""
    n = len(values)
    return min(v for v in values if 100 * sum(x <= v for x in values) >= p * n)


def ranked_ones(cards: list) -> list[bool]:
    """As aggregate's league table: a unit with an index and 80% coverage is ranked."""
    return [c.index is not None and c.coverage >= 80 for c in cards]


def brute(rubric, cards: list, draws: int, seed: int, low: float, high: float):
    rng = random.Random(seed)
    ok = ranked_ones(cards)
    areas = [a for a in rubric.areas if not a.context]
    crits = [c for a in areas for c in a.all_criteria()]
    xs: list[list[float]] = [[] for _ in cards]
    rk: list[list[int]] = [[] for _ in cards]
    for _ in range(draws):
        am = {a.id: low + (high - low) * rng.random() for a in areas}
        cm = {c.id: low + (high - low) * rng.random() for c in crits}
        got = [brute_index(rubric, card, am, cm) for card in cards]
        rounded = [None if x is None or not ok[i] else round(x, 2) for i, x in enumerate(got)]
        for i, x in enumerate(got):
            if x is not None:
                xs[i].append(x)
            if rounded[i] is not None:
                rk[i].append(1 + sum(1 for y in rounded if y is not None and y > rounded[i]))
    return xs, rk


# -- the tests -----------------------------------------------------------------------


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(units=st.lists(unit_answers, min_size=1, max_size=4),
       seed=st.integers(0, 2**32), low=st.sampled_from([0.1, 0.5, 0.9, 1.0]),
       width=st.sampled_from([0.0, 0.2, 1.0, 3.0]))
def test_percentiles_and_ranks_agree_with_a_brute_force_computation(units, seed, low, width):
    cards = [tiny_card(u, f"Unit {i}") for i, u in enumerate(units)]
    high = low + width
    result = sens.analyse(TINY, [(f"Unit {i}", f"u{i}.yaml", c) for i, c in enumerate(cards)],
                          draws=60, seed=seed, weight_range=(low, high))
    xs, rk = brute(TINY, cards, 60, seed, low, high)
    by_path = {r.path: r for r in result.rows}
    ok = ranked_ones(cards)
    ranked = sum(ok) > 1
    assert result.ranked is ranked
    for i, card in enumerate(cards):
        row = by_path[f"u{i}.yaml"]
        assert row.index == card.index
        assert row.provisional is (card.coverage < 80)
        if not xs[i]:
            assert (row.index_low, row.index_median, row.index_high) == (None, None, None)
            assert row.rank is None
            continue
        assert row.index_low == round(nearest_rank(xs[i], 5), 2)
        assert row.index_median == round(nearest_rank(xs[i], 50), 2)
        assert row.index_high == round(nearest_rank(xs[i], 95), 2)
        if ranked and ok[i]:
            assert (row.rank_low, row.rank_high) == (nearest_rank(rk[i], 5),
                                                     nearest_rank(rk[i], 95))
            own = row.rank
            assert row.rank_held == round(100 * sum(r == own for r in rk[i]) / len(rk[i]), 1)
            assert row.robust is (row.rank_low == row.rank_high)
        else:
            assert row.rank is None and row.robust is None


def test_the_same_seed_gives_the_same_result_and_another_seed_another():
    cards = [("A", "a", tiny_card({"policy.strategy": {"level": 1}, "outreach.reach":
                                   {"value": 80}, "outreach.replies": {"answer": "PART"}}))]
    one = sens.analyse(TINY, cards, draws=200, seed=7)
    assert one == sens.analyse(TINY, cards, draws=200, seed=7)
    assert one.model_dump_json() == sens.analyse(TINY, cards, draws=200, seed=7).model_dump_json()
    assert one.rows[0].index_low != sens.analyse(TINY, cards, draws=200, seed=8).rows[0].index_low


def example_cards():
    """Every example assessment, scored, grouped by rubric and profile."""
    groups: dict[tuple, list] = {}
    for path in sorted(p for p in ROOT.glob("examples/**/*.yaml") if p.name != "pack.yaml"):
        doc = documents.load(str(path))
        if documents.detect_kind(doc) != "assessment":
            continue
        checked = documents.load_assessment(str(path))
        card = score(checked.rubric, checked.assessment)
        key = (card.rubric.id, card.rubric.version, card.rubric.sha256, card.profile)
        groups.setdefault(key, [checked.rubric, []])[1].append(
            (card.organisation.unit or card.organisation.name, str(path), card))
    return list(groups.values())


EXAMPLES = example_cards()


@pytest.mark.parametrize("rubric, units", EXAMPLES,
                         ids=[f"{u[0][2].rubric.id}-{u[0][2].profile}" for _, u in EXAMPLES])
def test_weights_fixed_at_one_give_zero_width_intervals_at_the_engines_index(rubric, units):
    result = sens.analyse(rubric, units, draws=5, weight_range=(1.0, 1.0))
    portfolio = aggregate([(path, card) for _, path, card in units])
    ranks = {r.path: r.rank for r in portfolio.table}
    for row in result.rows:
        assert row.index_low == row.index_median == row.index_high == row.index
        if result.ranked:
            # the league table of `aggregate`, in every draw: the same units ranked, at
            # the same places, and the provisional ones not ranked at all
            assert row.rank == row.rank_low == row.rank_high == ranks[row.path]
            assert row.robust is (None if row.rank is None else True)
            assert row.rank_held == (None if row.rank is None else 100.0)


@pytest.mark.parametrize("rubric, units", EXAMPLES,
                         ids=[f"{u[0][2].rubric.id}-{u[0][2].profile}" for _, u in EXAMPLES])
def test_a_criterions_score_is_the_one_its_scorecard_shows(rubric, units):
    crits = {c.id: c for _, c in rubric.criteria()}
    for _, _, card in units:
        for r in card.criteria:
            s = sens.criterion_score(rubric, crits[r.id], r)
            assert (None if s is None else round(s, 4)) == r.score


@settings(max_examples=60, deadline=None, derandomize=True)
@given(u=unit_answers, seed=st.integers(0, 10_000))
def test_the_index_of_every_draw_lies_between_the_lowest_and_highest_criterion_score(u, seed):
    """Every index is a mean of means of criterion scores, whatever the weights."""
    card = tiny_card(u)
    row = sens.analyse(TINY, [("U", "u", card)], draws=30, seed=seed).rows[0]
    context = {a.id for a in card.areas if a.context}
    scores = [100 * r.score for r in card.criteria
              if r.score is not None and r.area not in context]
    if not scores:
        assert row.index_low is None
        return
    assert min(scores) - 0.01 <= row.index_low <= row.index_median <= row.index_high
    assert row.index_high <= max(scores) + 0.01


def test_with_one_area_assessed_drawing_area_weights_alone_moves_nothing():
    card = tiny_card({"policy.strategy": {"level": 1}, "policy.law": {"met": True,
                                                                      "evidence": ["x"]}})
    row = sens.analyse(TINY, [("U", "u", card)], vary="areas").rows[0]
    assert row.index_low == row.index_high == card.index
    moved = sens.analyse(TINY, [("U", "u", card)], vary="criteria").rows[0]
    assert moved.index_low < card.index < moved.index_high


def test_area_multipliers_are_the_same_with_and_without_the_criteria_drawn():
    """All multipliers are drawn whatever varies: varying the areas alone is the
    'both' analysis with the criterion multipliers set to one."""
    cards = [(f"U{i}", f"u{i}", tiny_card(u)) for i, u in enumerate([
        {"policy.strategy": {"level": 1}, "outreach.replies": {"answer": "YES"}},
        {"policy.strategy": {"level": 3}, "outreach.replies": {"answer": "NO"}}])]
    rows = sens.analyse(TINY, cards, draws=100, seed=3, vary="areas").rows
    rng = random.Random(3)
    areas = [a for a in TINY.areas if not a.context]
    crits = [c for a in areas for c in a.all_criteria()]
    only_areas: list[list[float]] = [[], []]
    for _ in range(100):
        am = {a.id: 0.5 + rng.random() for a in areas}
        for _ in crits:  # drawn, and not used
            rng.random()
        for i, (_, _, card) in enumerate(cards):
            only_areas[i].append(brute_index(TINY, card, am, {c.id: 1.0 for c in crits}))
    by_path = {r.path: r for r in rows}
    for i in range(2):
        assert by_path[f"u{i}"].index_low == round(nearest_rank(only_areas[i], 5), 2)


def test_ranks_are_competition_ranks_of_rounded_indices():
    assert sens.ranks([50.0, 70.0, 50.0, None, 10.0]) == [2, 1, 2, None, 4]
    assert sens.ranks([]) == []


@pytest.mark.parametrize("values, p, expected", [
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5, 1), ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95, 10),
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5), ([3], 5, 3), ([3], 95, 3),
    (list(range(1, 1001)), 5, 50), (list(range(1, 1001)), 95, 950)])
def test_the_nearest_rank_percentile(values, p, expected):
    assert sens.percentile(values, p) == expected == nearest_rank(values, p)


def test_progress_is_reported_every_fifty_draws_and_at_the_end():
    seen = []
    sens.analyse(TINY, [("U", "u", tiny_card({"policy.strategy": {"level": 2}}))], draws=120,
                 progress=lambda done, total: seen.append((done, total)))
    assert seen == [(50, 120), (100, 120), (120, 120)]


@pytest.mark.parametrize("kwargs", [{"draws": 0}, {"weight_range": (0.0, 1.0)},
                                    {"weight_range": (1.5, 0.5)},
                                    {"weight_range": (0.5, float("inf"))},
                                    {"vary": "nothing"}])
def test_meaningless_settings_are_refused(kwargs):
    with pytest.raises(ValueError):
        sens.analyse(TINY, [("U", "u", tiny_card({}))], **kwargs)


# -- the lean scoring the command uses ---------------------------------------------------


def _prepared(p: sens.Prepared) -> str:
    return repr([getattr(p, k) for k in sens.Prepared.__slots__])


def _both_prepared(rubric: dict, assessment: dict, data) -> tuple[str, str]:
    """What ``prepare`` keeps of the lean scorecard and of the full one, as reprs."""
    r, _ = rubric_model(rubric)
    a = Assessment.model_validate(assessment)
    strict = data.draw(st.booleans(), label="strict")
    min_coverage = data.draw(st.sampled_from([0.0, 80.0, 100.0]), label="min_coverage")
    lean = sens.prepare(r, score_lean(r, a, strict=strict, min_coverage=min_coverage),
                        "unit", "unit.yaml")
    full = sens.prepare(r, score(r, a, strict=strict, min_coverage=min_coverage),
                        "unit", "unit.yaml")
    return _prepared(lean), _prepared(full)


@sized(100, long=2_000)
@given(case=cases(), data=st.data())
def test_a_unit_is_prepared_from_the_lean_score_as_from_the_scorecard(case, data):
    lean, full = _both_prepared(*case, data)
    assert lean == full


@sized(100, long=2_000)
@given(case=cases2(), data=st.data())
def test_a_unit_is_prepared_from_the_lean_score_as_from_the_scorecard_in_format_2(case, data):
    lean, full = _both_prepared(*case, data)
    assert lean == full


def test_a_prepared_unit_differs_when_a_criterion_s_figure_does():
    # the comparison above can fail: a changed level shows in what is prepared
    checked = documents.check_assessment(
        documents.load(ROOT / "examples" / "pakistan-mofa-2023.yaml"))
    lean = score_lean(checked.rubric, checked.assessment)
    before = _prepared(sens.prepare(checked.rubric, lean, "u", "u.yaml"))
    k = next(k for k in lean.criteria if k.level is not None and k.level > 0)
    k.level -= 1
    assert _prepared(sens.prepare(checked.rubric, lean, "u", "u.yaml")) != before
