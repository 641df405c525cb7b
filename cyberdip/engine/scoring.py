"""The scoring engine: pure functions from (rubric, assessment) to a scorecard.

No I/O here. ``docs/scoring.md`` states every formula below and works one
example by hand; ``tests/unit/test_scoring.py`` checks the engine gives
exactly that result.
"""

from __future__ import annotations

import math
from fractions import Fraction

from cyberdip.model.assessment import Answer, Assessment, is_link
from cyberdip.model.rubric import (
    AnyCriterion,
    BooleanCriterion,
    LevelCriterion,
    MetricCriterion,
    Rubric,
    descriptor,
)
from cyberdip.model.scorecard import (  # noqa: F401 - the scorecard's models, re-exported
    AreaResult,
    CitationOut,
    Counts,
    CriterionResult,
    Evidence,
    Gap,
    MergeOut,
    OrgOut,
    RespondentOut,
    RubricRef,
    ScaleEntry,
    Scorecard,
    SourceEntry,
    SpreadOut,
    Status,
)

DEFAULT_MIN_COVERAGE = 80.0

# -- the formulas ----------------------------------------------------------------------


def normalise(level: int, lowest: int, highest: int) -> float:
    """A level as a share of the scale: lowest -> 0.0, highest -> 1.0."""
    return (level - lowest) / (highest - lowest)


def answer_level(rubric: Rubric, c: AnyCriterion, a: Answer) -> int | None:
    """The level an answer claims: direct, through a boolean map, or through thresholds."""
    if isinstance(c, LevelCriterion):
        return a.level
    if isinstance(c, BooleanCriterion):
        if a.met is None:
            return None
        return c.boolean.met if a.met else c.boolean.not_met
    if isinstance(c, MetricCriterion):
        if a.value is None:
            # `level: <lowest>` is a metric's lowest case with no number ("not ranked")
            return rubric.lowest if a.level == rubric.lowest else None
        return c.metric.level_for(a.value, rubric.lowest)
    return None  # pragma: no cover


def strict_cap(rubric: Rubric, c: AnyCriterion) -> int:
    """The highest level this criterion can reach without evidence."""
    need = rubric.scoring.evidence_from_level
    reachable = c.reachable_levels(rubric.levels)
    if need is None:
        return max(reachable)
    below = [lv for lv in reachable if lv < need]
    return max(below) if below else rubric.lowest


def weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """Mean of (value, weight) pairs; None when there are none."""
    total = sum(w for _, w in pairs)
    if not pairs or total <= 0:
        return None
    return sum(v * w for v, w in pairs) / total


def _r(x: float | None, nd: int = 2) -> float | None:
    return None if x is None else round(x, nd)


def floor2(x: Fraction) -> float:
    """An exact share (0..100) rounded *down* to 2 decimals: the one rounding of
    every coverage figure.

    Coverage is compared with thresholds (the provisional flag, ``--min-coverage``),
    so it must never be shown, or gated, above what was answered: 79.9992 is 79.99,
    not 80. It is computed exactly, as a fraction, so neither float noise
    (28.999999999999996 for 29) nor a tiny true shortfall (99.9999999 for 100) can
    move it across a boundary.
    """
    return math.floor(x * 100) / 100


def _as_written(weights: list[float]) -> list[int]:
    """Weights as the decimal numbers written in the rubric (0.7 is 7/10, not the
    binary float nearest to it), scaled by one common factor to whole numbers, so
    sums and shares of them are exact."""
    exact = [Fraction(repr(w)) for w in weights]
    scale = math.lcm(*(f.denominator for f in exact)) if exact else 1
    return [int(f * scale) for f in exact]


def effective_target(requested: int, reachable: list[int]) -> int:
    """The target a criterion is scored against: the one asked for, capped at the
    highest level the criterion can reach (a boolean that maps `met` to 3 can never
    reach 5). A gap is then always something an answer can close."""
    return min(requested, max(reachable))


class _Static:
    """What scoring needs from a rubric that never changes between assessments.

    Built once per rubric object: aggregate scores thousands of assessments against
    the same one, and rebuilding names, reachable levels and citations per criterion
    per assessment was a good part of the cost.
    """

    def __init__(self, rubric: Rubric) -> None:
        self.names = {s.level: s.name for s in rubric.scale}
        levels = rubric.levels
        self.reachable: dict[str, list[int]] = {}
        self.citations: dict[str, list[CitationOut]] = {}
        #: criterion and area weights as exact whole numbers, for coverage
        self.exact_weight: dict[str, int] = {}
        for area in rubric.areas:
            self.exact_weight.update(zip((c.id for c in area.criteria),
                                         _as_written([c.weight for c in area.criteria]),
                                         strict=True))
        self.exact_area_weight = dict(zip((a.id for a in rubric.areas),
                                          _as_written([a.weight for a in rubric.areas]),
                                          strict=True))
        for _, crit in rubric.criteria():
            self.reachable[crit.id] = crit.reachable_levels(levels)
            out = []
            for s in crit.sources:
                src = rubric.sources.get(s.ref)
                out.append(CitationOut(ref=s.ref, citation=src.citation() if src else s.ref,
                                       section=s.section, topic=s.topic))
            self.citations[crit.id] = out

    def name(self, level: int) -> str:
        return self.names.get(level, str(level))

    def next_level(self, cid: str, level: int) -> int | None:
        above = [lv for lv in self.reachable[cid] if lv > level]
        return min(above) if above else None


_STATIC: dict[int, tuple[Rubric, _Static]] = {}


def _static(rubric: Rubric) -> _Static:
    cached = _STATIC.get(id(rubric))
    if cached is None or cached[0] is not rubric:
        if len(_STATIC) > 32:
            _STATIC.clear()
        cached = _STATIC[id(rubric)] = (rubric, _Static(rubric))
    return cached[1]


def score(
    rubric: Rubric,
    assessment: Assessment,
    *,
    strict: bool = False,
    min_coverage: float = DEFAULT_MIN_COVERAGE,
) -> Scorecard:
    """Score ``assessment`` against ``rubric``. Pure: same inputs, same scorecard."""
    lo, hi = rubric.lowest, rubric.highest
    st = _static(rubric)
    need = rubric.scoring.evidence_from_level
    default_target = (assessment.default_target if assessment.default_target is not None
                      else rubric.scoring.default_target if rubric.scoring.default_target
                      is not None else hi)

    results: list[CriterionResult] = []
    areas: list[AreaResult] = []
    raw_means: list[tuple[float, float]] = []
    exact_coverage: list[tuple[Fraction, int]] = []
    gaps: list[Gap] = []
    for area in rubric.areas:
        pairs: list[tuple[float, float]] = []
        target_pairs: list[tuple[float, float]] = []
        answered_w = 0  # exact whole-number weights (_Static.exact_weight)
        total_w = 0
        counts = {"assessed": 0, "not-applicable": 0, "not-assessed": 0}
        area_results: list[CriterionResult] = []
        for c in area.criteria:
            a = assessment.answer(c.id) or Answer()
            claimed = None if a.is_na else answer_level(rubric, c, a)
            status: Status = ("not-applicable" if a.is_na else
                              "assessed" if claimed is not None else "not-assessed")
            has_evidence = any(e.strip() for e in a.evidence)
            unsupported = (claimed is not None and need is not None and claimed >= need
                           and not has_evidence)
            level = claimed
            if claimed is not None and strict and unsupported:
                level = min(claimed, strict_cap(rubric, c))
            target = effective_target(a.target if a.target is not None else default_target,
                                      st.reachable[c.id])
            gap = max(0, target - level) if level is not None else 0
            nxt = st.next_level(c.id, level) if level is not None else None
            total_w += st.exact_weight[c.id]
            counts[status] += 1
            if status != "not-assessed":
                answered_w += st.exact_weight[c.id]
            if level is not None:
                pairs.append((normalise(level, lo, hi), c.weight))
                # where the criterion stands once its gap is closed: never below now
                target_pairs.append((normalise(max(target, level), lo, hi), c.weight))
            r = CriterionResult(
                id=c.id, area=area.id, title=c.title, question=c.question, kind=c.kind,
                weight=c.weight, critical=c.critical, status=status, claimed_level=claimed,
                level=level, level_name=st.name(level) if level is not None else None,
                score=_r(normalise(level, lo, hi), 4) if level is not None else None,
                value=a.value if isinstance(c, MetricCriterion) else None,
                met=a.met if isinstance(c, BooleanCriterion) else None,
                unit=c.metric.unit if isinstance(c, MetricCriterion) else None,
                target=target, gap=gap, unsupported=unsupported,
                not_applicable_reason=a.not_applicable if isinstance(a.not_applicable, str)
                else None,
                evidence=[Evidence(text=e, link=is_link(e)) for e in a.evidence],
                notes=a.notes, owner=a.owner,
                due=str(a.due) if a.due is not None else None,
                descriptor=descriptor(rubric, c, level) if level is not None else None,
                next_level=nxt,
                next_descriptor=descriptor(rubric, c, nxt) if nxt is not None else None,
                sources=list(st.citations[c.id]),
            )
            area_results.append(r)
            if gap > 0 and level is not None and nxt is not None:
                gaps.append(Gap(
                    id=c.id, area=area.id, title=c.title, critical=c.critical,
                    current=level, current_name=st.name(level),
                    target=target, target_name=st.name(target), gap=gap,
                    priority=round(gap * c.weight * area.weight * (2 if c.critical else 1), 4),
                    next_level=nxt, next_name=st.name(nxt),
                    recommendation=c.recommendations.get(nxt),
                    sources=list(st.citations[c.id]),
                ))
        stage, gating = _stage(rubric, area_results)
        area_coverage = Fraction(100 * answered_w, total_w) if total_w else Fraction(0)
        exact_coverage.append((area_coverage, st.exact_area_weight[area.id]))
        mean = weighted_mean(pairs)
        tmean = weighted_mean(target_pairs)
        if mean is not None:
            raw_means.append((mean * 100, area.weight))
        areas.append(AreaResult(
            id=area.id, title=area.title, weight=area.weight,
            score=_r(mean * 100) if mean is not None else None,
            target_score=_r(tmean * 100) if tmean is not None else None,
            stage=stage, stage_name=rubric.level_name(stage) if stage is not None else None,
            coverage=floor2(area_coverage),
            assessed=counts["assessed"], not_applicable=counts["not-applicable"],
            not_assessed=counts["not-assessed"], gating=gating,
        ))
        results.extend(area_results)

    index_mean = weighted_mean(raw_means)
    # computed once, from unrounded area coverages, and rounded once (down): the
    # same figure is shown, sets `provisional`, and is what every gate compares
    weight_sum = sum(w for _, w in exact_coverage)
    coverage = floor2(sum((c * w for c, w in exact_coverage), Fraction(0)) / weight_sum
                      if weight_sum else Fraction(0))
    stages = [a.stage for a in areas if a.stage is not None]
    stage = min(stages) if stages else None
    gaps.sort(key=lambda g: (-g.priority, -g.gap, g.id))
    return Scorecard(
        rubric=RubricRef(id=rubric.id, version=rubric.version, title=rubric.title),
        answered_version=assessment.rubric_version,
        organisation=OrgOut(**assessment.organisation.model_dump()),
        period=assessment.period,
        date=str(assessment.date) if assessment.date is not None else None,
        assessors=list(assessment.assessors),
        illustrative=assessment.illustrative,
        strict=strict,
        stage_gate=rubric.scoring.stage_gate,
        evidence_from_level=need,
        min_coverage=min_coverage,
        provisional=coverage < min_coverage,
        index=_r(index_mean),
        stage=stage,
        stage_name=rubric.level_name(stage) if stage is not None else None,
        coverage=coverage,
        counts=Counts(
            criteria=len(results),
            assessed=sum(r.status == "assessed" for r in results),
            not_applicable=sum(r.status == "not-applicable" for r in results),
            not_assessed=sum(r.status == "not-assessed" for r in results),
            unsupported=sum(r.unsupported for r in results),
        ),
        scale=[ScaleEntry(level=s.level, name=s.name, meaning=s.meaning) for s in rubric.scale],
        areas=areas,
        criteria=results,
        gaps=gaps,
        bibliography=[
            SourceEntry(ref=k, citation=v.citation(), title=v.title, venue=v.venue,
                        link=v.link())
            for k, v in sorted(rubric.sources.items())
        ],
        merge=_merge_out(rubric, assessment),
    )


def _shown(a: Answer, c: AnyCriterion) -> str:
    """An answer as a person types it: ``3``, ``yes``, ``45``, ``none``, ``n/a``, ``—``."""
    if a.is_na:
        return "n/a"
    if a.met is not None:
        return "yes" if a.met else "no"
    if a.value is not None:
        return f"{a.value:g}"
    if a.level is not None:
        return "none" if isinstance(c, MetricCriterion) else str(a.level)
    return "\u2014"


def _merge_out(rubric: Rubric, assessment: Assessment) -> MergeOut | None:
    """Each respondent's answer and the spread of their levels, per criterion, for an
    assessment `cyberdip merge` made (None for any other)."""
    m = assessment.merged_from
    if m is None:
        return None
    spreads: list[SpreadOut] = []
    for _, c in rubric.criteria():
        a = assessment.answer(c.id)
        if a is None or not a.respondents:
            continue
        people = []
        for p in a.respondents:
            given = Answer(level=p.level, met=p.met, value=p.value,
                           not_applicable=p.not_applicable, evidence=list(p.evidence))
            level = None if given.is_na else answer_level(rubric, c, given)
            people.append(RespondentOut(
                name=p.name, answer=_shown(given, c), level=level,
                evidence=[Evidence(text=e, link=is_link(e)) for e in p.evidence]))
        levels = [r.level for r in people if r.level is not None]
        spread = max(levels) - min(levels) if levels else None
        spreads.append(SpreadOut(
            id=c.id, spread=spread, respondents=people,
            needs_discussion=bool(spread is not None and m.discuss_above is not None
                                  and spread > m.discuss_above)))
    return MergeOut(respondents=list(m.respondents), rule=m.rule,
                    discuss_above=m.discuss_above,
                    disagreements=sum(1 for s in spreads if s.spread), criteria=spreads)


def _stage(rubric: Rubric, results: list[CriterionResult]) -> tuple[int | None, list[str]]:
    """The gated stage of one area: the lowest level among its gating criteria.

    Gating criteria are the assessed critical ones when the rubric's
    ``stage_gate`` is ``critical`` (falling back to every assessed criterion
    when the area has none assessed), or every assessed criterion for ``all``.
    """
    assessed = [r for r in results if r.level is not None]
    gating = assessed
    if rubric.scoring.stage_gate == "critical":
        critical = [r for r in assessed if r.critical]
        if critical:
            gating = critical
    if not gating:
        return None, []
    stage = min(r.level for r in gating if r.level is not None)
    return stage, sorted(r.id for r in gating if r.level == stage)
