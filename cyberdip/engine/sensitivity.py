"""How much the index, and a unit's place in a league table, depend on the weights.

The uncertainty and sensitivity analysis of the OECD/JRC Handbook on Constructing
Composite Indicators (step 7), for weights: every area weight and every criterion
weight is multiplied by an independent draw from U(low, high), the index is computed
again, and the spread of the draws is reported. ``docs/method.md`` states the method.

Pure: no printing and no I/O. Of what the index is made from, weights change only the
two weighted means (area scores and the index, ``docs/scoring.md`` rules 4 and 5); a
criterion's score, every level and the stage do not depend on them. So each unit's
criterion scores are taken once from its scorecard, and each draw recomputes two
weighted means per unit.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from operator import itemgetter, mul
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from cyberdip.model.rubric import ChoiceCriterion, MetricCriterion, Rubric
from cyberdip.model.scorecard import Labels, RubricRef, Scorecard

if TYPE_CHECKING:
    from cyberdip.engine.scoring import LeanCard

#: As `aggregate`'s league table: only units with at least this coverage are ranked.
DEFAULT_MIN_COVERAGE = 80.0

DEFAULT_RANGE = (0.5, 1.5)
DEFAULT_DRAWS = 1000
DEFAULT_SEED = 1
#: The interval reported: from the 5th to the 95th percentile of the draws.
PERCENTILES = (5, 95)
#: What ``vary`` may be: which weights are multiplied by a draw.
VARY = ("both", "areas", "criteria")

PERCENTILE_METHOD = (
    "nearest rank: the p-th percentile of n draws is the smallest draw that at least "
    "p% of the draws are at or below (in sorted order, draw number ceil(p × n ÷ 100))")
RANK_METHOD = (
    "as in aggregate's league table, only units whose coverage (at the rubric's weights) "
    "reaches the minimum are ranked; in each draw they are ranked by their index rounded "
    "to 2 decimals, highest first, and units with the same rounded index share the better "
    "rank (1, 2, 2, 4)")
DRAW_ORDER = (
    "one generator (Python's random.Random, seeded) per analysis; each draw takes one "
    "multiplier per scored area, in the rubric's order, then one per criterion of those "
    "areas, in the rubric's order, each low + (high - low) × random(); all are drawn "
    "whichever weights vary, so the areas' multipliers are the same with and without "
    "the criteria's; the same multipliers apply to every unit of a portfolio")


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Method(_Out):
    """How the analysis was run: enough to repeat it exactly."""

    draws: int
    seed: int
    weight_range: tuple[float, float]
    vary: str
    percentiles: tuple[int, int]
    percentile_method: str
    rank_method: str
    draw_order: str
    min_coverage: float


class UnitInterval(_Out):
    """One unit: its index at the rubric's weights, and how far the draws move it."""

    label: str
    path: str
    #: the engine's index, at the rubric's own weights (``null`` when nothing is assessed)
    index: float | None
    index_low: float | None
    index_median: float | None
    index_high: float | None
    #: coverage below the minimum: listed, with its interval, but never ranked
    provisional: bool = False
    #: the unit's place in the league table at the rubric's own weights (portfolios only)
    rank: int | None = None
    rank_low: int | None = None
    rank_high: int | None = None
    #: the share of draws (%, one decimal) in which the unit keeps its own ``rank``
    rank_held: float | None = None
    #: ``rank_low == rank_high``: the 5th-95th percentile interval of the rank is one place
    robust: bool | None = None


class Sensitivity(_Out):
    """The analysis of one assessment, or of a portfolio of one rubric."""

    rubric: RubricRef
    labels: Labels
    profile: str | None
    method: Method
    units: int
    #: whether ranks are given: two or more units with an index and enough coverage
    ranked: bool
    #: league-table order at the rubric's own weights: ranked units first, then the
    #: provisional ones; each part by index, then label, then path
    rows: list[UnitInterval]


# -- what each unit contributes ---------------------------------------------------------


class Prepared:
    """One unit, reduced to what a re-weighting needs: per scored area (by position
    among the scored areas), the positions of its assessed criteria among all the
    criteria drawn and their unrounded scores (0..1); and what the result names (its
    rubric, labels and profile). Small, so a portfolio need not keep its scorecards."""

    __slots__ = ("label", "path", "index", "coverage", "areas", "rubric", "labels",
                 "profile")

    def __init__(self, label: str, path: str, index: float | None, coverage: float,
                 areas: list[tuple[int, list[int], list[float]]], rubric: RubricRef,
                 labels: Labels, profile: str | None) -> None:
        self.label, self.path, self.index, self.coverage = label, path, index, coverage
        self.areas, self.rubric, self.labels, self.profile = areas, rubric, labels, profile


def criterion_score(rubric: Rubric, crit, result) -> float | None:
    """A criterion's score (0..1), unrounded, as the engine computes it from the answer
    its scorecard records: a choice's option score, a linear metric's linear score, else
    the normalised level (``docs/scoring.md``, rule 3 and "The fields format 2 adds").
    None unless assessed."""
    if result.status != "assessed":
        return None
    if isinstance(crit, ChoiceCriterion) and result.answer is not None:
        options = {o.id: o for o in rubric.answer_scales.get(crit.answer_scale, [])}
        option = options.get(result.answer)
        if option is not None:
            return option.score
    if (isinstance(crit, MetricCriterion) and crit.metric.scoring == "linear"
            and result.value is not None):
        return crit.metric.linear(result.value)
    if result.level is not None:
        return (result.level - rubric.lowest) / (rubric.highest - rubric.lowest)
    return None


def scored_areas(rubric: Rubric) -> list:
    """The areas whose scores make the index: every area but national context."""
    return [a for a in rubric.areas if not a.context]


def prepare(rubric: Rubric, card: Scorecard | LeanCard, label: str, path: str
            ) -> Prepared:
    """What ``analyse`` needs of one scorecard of ``rubric`` (or of its ``LeanCard``,
    which has every field read here, with the same values)."""
    results = {r.id: r for r in card.criteria}
    areas: list[tuple[int, list[int], list[float]]] = []
    position = 0
    for ai, area in enumerate(scored_areas(rubric)):
        places: list[int] = []
        scores: list[float] = []
        for crit in area.all_criteria():
            r = results.get(crit.id)
            s = criterion_score(rubric, crit, r) if r is not None else None
            if s is not None:
                places.append(position)
                scores.append(s)
            position += 1
        if places:
            areas.append((ai, places, scores))
    return Prepared(label, path, card.index, card.coverage, areas, card.rubric, card.labels,
                    card.profile)


# -- the draws ---------------------------------------------------------------------------


class _Fast:
    """One unit's index, unrounded, for given weights (one per scored area, one per
    criterion of the scored areas, in the rubric's order), its lookups built once since
    it runs once per unit and draw. The engine's arithmetic, in the engine's order:
    each weighted mean forms every product, sums them, sums the weights, and divides
    once (``docs/scoring.md``, "Arithmetic and rounding"); weights that sum to nothing
    give no mean."""

    __slots__ = ("areas",)

    def __init__(self, unit: Prepared) -> None:
        self.areas = [(ai, (lambda w, p=places[0]: (w[p],)) if len(places) == 1
                       else itemgetter(*places), scores)
                      for ai, places, scores in unit.areas]

    def __call__(self, aw: Sequence[float], cw: Sequence[float]) -> float | None:
        means: list[float] = []
        weights: list[float] = []
        for ai, pick, scores in self.areas:
            ws = pick(cw)
            total = sum(ws)
            if total > 0:
                means.append(sum(map(mul, scores, ws)) / total * 100)
                weights.append(aw[ai])
        total = sum(weights)
        if not weights or total <= 0:
            return None
        return sum(map(mul, means, weights)) / total


def percentile(sorted_values: Sequence, p: float):
    """The nearest-rank percentile (PERCENTILE_METHOD) of values already sorted."""
    n = len(sorted_values)
    k = max(1, math.ceil(p * n / 100))
    return sorted_values[min(k, n) - 1]


def ranks(indices: Sequence[float | None]) -> list[int | None]:
    """Competition ranks (RANK_METHOD) of indices already rounded; None for None."""
    present = sorted((x for x in indices if x is not None), reverse=True)
    first: dict[float, int] = {}
    for i, x in enumerate(present, 1):
        first.setdefault(x, i)
    return [None if x is None else first[x] for x in indices]


def _check(draws: int, weight_range: tuple[float, float], vary: str) -> None:
    low, high = weight_range
    if draws < 1:
        raise ValueError("draws must be 1 or more")
    if not (math.isfinite(low) and math.isfinite(high) and 0 < low <= high):
        raise ValueError("the weight range must be two finite numbers, 0 < low <= high")
    if vary not in VARY:
        raise ValueError(f"vary must be one of {', '.join(VARY)}")


def analyse(
    rubric: Rubric,
    units: Sequence[Prepared | tuple[str, str, Scorecard]],
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    weight_range: tuple[float, float] = DEFAULT_RANGE,
    vary: str = "both",
    min_coverage: float = DEFAULT_MIN_COVERAGE,
    progress: Callable[[int, int], None] | None = None,
) -> Sensitivity:
    """The uncertainty analysis of ``units`` (each made by :func:`prepare`, or a ``(label,
    path, scorecard)``; all scored on ``rubric`` for one profile) over ``draws``
    weightings drawn from ``seed``. Units below ``min_coverage`` keep their interval but
    are not ranked, as in `aggregate`'s league table.

    ``progress(done, draws)``, when given, is called after every 50th draw and after
    the last: the caller may show it; the result never depends on it.
    """
    _check(draws, weight_range, vary)
    low, high = weight_range
    areas = scored_areas(rubric)
    area_w = [a.weight for a in areas]
    crit_w = [c.weight for a in areas for c in a.all_criteria()]
    prepared = [u if isinstance(u, Prepared) else prepare(rubric, u[2], u[0], u[1])
                for u in units]
    fast = [_Fast(u) for u in prepared]
    rng = random.Random(seed)
    span = high - low
    vary_areas, vary_criteria = vary in ("both", "areas"), vary in ("both", "criteria")
    rankable = [u.index is not None and u.coverage >= min_coverage for u in prepared]
    ranked = sum(rankable) > 1
    nominal_rank = ranks([u.index if ok else None for u, ok in zip(prepared, rankable,
                                                                   strict=True)])
    samples: list[list[float]] = [[] for _ in prepared]
    rank_samples: list[list[int]] = [[] for _ in prepared]
    for d in range(draws):
        am = [low + span * rng.random() for _ in area_w]
        cm = [low + span * rng.random() for _ in crit_w]
        aw = list(map(mul, area_w, am)) if vary_areas else area_w
        cw = list(map(mul, crit_w, cm)) if vary_criteria else crit_w
        rounded: list[float | None] = []
        for i, f in enumerate(fast):
            x = f(aw, cw)
            if x is not None:
                samples[i].append(x)
            rounded.append(None if x is None or not rankable[i] else round(x, 2))
        if ranked:
            for i, r in enumerate(ranks(rounded)):
                if r is not None:
                    rank_samples[i].append(r)
        if progress is not None and ((d + 1) % 50 == 0 or d + 1 == draws):
            progress(d + 1, draws)

    lo_p, hi_p = PERCENTILES
    rows: list[UnitInterval] = []
    for i, u in enumerate(prepared):
        xs = sorted(samples[i])
        row = UnitInterval(
            label=u.label, path=u.path, index=u.index,
            provisional=u.coverage < min_coverage,
            index_low=round(percentile(xs, lo_p), 2) if xs else None,
            index_median=round(percentile(xs, 50), 2) if xs else None,
            index_high=round(percentile(xs, hi_p), 2) if xs else None)
        rs = sorted(rank_samples[i])
        if ranked and rs and rankable[i]:
            own = nominal_rank[i]
            row.rank, row.rank_low, row.rank_high = own, percentile(rs, lo_p), percentile(rs,
                                                                                       hi_p)
            row.rank_held = round(100 * sum(r == own for r in rs) / len(rs), 1)
            row.robust = row.rank_low == row.rank_high
        rows.append(row)
    rows.sort(key=lambda r: (r.provisional, r.index is None, -(r.index or 0.0), r.label,
                             r.path))
    first = prepared[0] if prepared else None
    return Sensitivity(
        rubric=first.rubric if first is not None else RubricRef(
            id=rubric.id, version=rubric.version, title=rubric.title, sha256=""),
        labels=first.labels if first is not None else Labels(
            index=rubric.labels.index, stage=rubric.labels.stage),
        profile=first.profile if first is not None else None,
        method=Method(draws=draws, seed=seed, weight_range=(low, high), vary=vary,
                      percentiles=PERCENTILES, percentile_method=PERCENTILE_METHOD,
                      rank_method=RANK_METHOD, draw_order=DRAW_ORDER,
                      min_coverage=min_coverage),
        units=len(prepared), ranked=ranked, rows=rows)
