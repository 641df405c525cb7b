"""The scoring engine: pure functions from (rubric, assessment) to a scorecard.

No I/O here. ``docs/scoring.md`` states every formula below and works one
example by hand; ``tests/unit/test_scoring.py`` checks the engine gives
exactly that result.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import math
from collections.abc import Iterator
from fractions import Fraction

from cyberdip import __version__
from cyberdip.engine import outlook, plan
from cyberdip.model.assessment import (
    Answer,
    Assessment,
    EvidenceItem,
    as_date,
    evidence_text,
    indicator_level,
    is_link,
    missing_indicators,
)
from cyberdip.model.rubric import (
    AnyCriterion,
    Area,
    BooleanCriterion,
    ChoiceCriterion,
    LevelCriterion,
    MetricCriterion,
    Rubric,
    descriptor,
    max_age_months,
)
from cyberdip.model.scorecard import (  # noqa: F401 - the scorecard's models, re-exported
    AreaResult,
    BandOut,
    CarriedCount,
    CarriedFrom,
    CitationOut,
    Counts,
    CriterionResult,
    Evidence,
    EvidenceDates,
    Gap,
    GroupResult,
    IndicatorResult,
    Labels,
    MappingOut,
    MergeOut,
    OrgOut,
    RespondentOut,
    Rollup,
    RollupCriterion,
    RollupItem,
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
    """The level an answer claims: direct or from its indicators, through a boolean map,
    or through thresholds. None for criteria without levels."""
    if isinstance(c, LevelCriterion):
        if a.level is not None:
            return a.level
        return indicator_level(c, a, rubric.lowest)
    if isinstance(c, BooleanCriterion):
        if a.met is None:
            return None
        return c.boolean.met if a.met else c.boolean.not_met
    if isinstance(c, MetricCriterion):
        if a.value is None:
            # `level: <lowest>` is a metric's lowest case with no number ("not ranked");
            # a metric without thresholds has no levels, so no lowest case either
            return (rubric.lowest if a.level == rubric.lowest and c.metric.thresholds
                    else None)
        return c.metric.level_for(a.value, rubric.lowest)
    return None


def merge_level(rubric: Rubric, c: AnyCriterion, a: Answer) -> int | None:
    """Where an answer stands, to compare respondents: its level; for a choice, the
    place of the option on its scale (0 for the lowest); for a metric without levels,
    0 (respondents are then told apart by their values)."""
    if isinstance(c, ChoiceCriterion):
        ids = [o.id for o in rubric.answer_scales.get(c.answer_scale, [])]
        return ids.index(a.answer) if a.answer in ids else None
    if isinstance(c, MetricCriterion) and not c.metric.thresholds:
        return 0 if a.value is not None else None
    return answer_level(rubric, c, a)


def strict_cap(rubric: Rubric, c: AnyCriterion) -> int:
    """The highest level this criterion can reach without evidence."""
    need = rubric.scoring.evidence_from_level
    reachable = c.reachable_levels(rubric.levels)
    if need is None:
        return max(reachable)
    below = [lv for lv in reachable if lv < need]
    return max(below) if below else rubric.lowest


def supported(c: AnyCriterion, a: Answer, need: int, current=None) -> bool:
    """Whether an answer has the evidence a claim at ``need`` or above asks for: an item
    of the criterion's own evidence, or of a met indicator's at level ``need`` or above
    (what the workbook, the CSV sheet and `assess` ask for on each indicator row).
    An item counts when it is not only white space, and, given ``current`` (a test of
    an item), when it passes it: `current_evidence`'s, to leave stale items out."""
    def counts(e) -> bool:
        return bool(evidence_text(e).strip()) and (current is None or current(e))

    if any(counts(e) for e in a.evidence):
        return True
    return any(lv >= need and a.indicator(i.id) is True
               and any(counts(e) for e in a.indicator_evidence(i.id))
               for lv, i in c.indicator_list())


# -- dated evidence: the reference date, stale and expired -------------------------------


def reference_date(assessment: Assessment, as_of: dt.date | None = None) -> dt.date | None:
    """The date that stale and expired evidence (and the plan's due and overdue) are
    judged against: ``as_of`` (``--as-of``) when given, else the assessment's own `date`
    when it is a day (a YAML date, or text ``YYYY-MM-DD``); None when neither is, and
    then those checks are not made. Never the clock."""
    if as_of is not None:
        return as_of
    try:
        return as_date(assessment.date) if assessment.date is not None else None
    except ValueError:
        return None  # a `date:` such as "December 2025" names no day


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier; the last day of that month when it is
    shorter (2026-03-31 less one month is 2026-02-28)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def evidence_age(item: str | EvidenceItem, ref: dt.date | None,
                 max_months: int | None) -> tuple[bool | None, bool | None]:
    """``(stale, expired)`` of an item of evidence on the reference date ``ref``: stale
    when its `date` is before ``months_before(ref, max_months)``; expired when its
    `valid_until` is before ``ref``. An item without a date is never stale, one without
    `valid_until` never expires; ``(None, None)`` when there is no reference date."""
    if ref is None:
        return None, None
    if isinstance(item, str):
        return False, False
    stale = (item.date is not None and max_months is not None
             and item.date < months_before(ref, max_months))
    expired = item.valid_until is not None and item.valid_until < ref
    return stale, expired


def evidence_out(item: str | EvidenceItem, ref: dt.date | None,
                 max_months: int | None) -> Evidence:
    """One item of evidence as the scorecard shows it."""
    text = evidence_text(item)
    stale, expired = evidence_age(item, ref, max_months)
    if isinstance(item, str):
        return Evidence.made(text=text, link=is_link(text), stale=stale, expired=expired)
    return Evidence.made(text=text, link=is_link(text),
                    date=str(item.date) if item.date is not None else None,
                    valid_until=str(item.valid_until) if item.valid_until is not None
                    else None, sha256=item.sha256, ref=item.ref, stale=stale,
                    expired=expired)


def criterion_max_age(rubric: Rubric, c: AnyCriterion) -> int | None:
    """The max age of a criterion's evidence in months: its own `evidence_max_age`, else
    the rubric's `scoring.evidence_max_age`; None when neither is set."""
    own = max_age_months(c.evidence_max_age)
    return own if own is not None else max_age_months(rubric.scoring.evidence_max_age)


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


def band_of(rubric: Rubric, index: float | None) -> BandOut | None:
    b = rubric.band_for(index)
    return BandOut.made(name=b.name, min=b.min, meaning=b.meaning) if b is not None else None


ROLLUP_METHOD = (
    "For each item, the mean of the scores of the assessed criteria mapped to it, weighted "
    "by the criteria's weights; every relationship (equal, subset, superset, intersects) "
    "counts fully, and criteria not assessed or not applicable are left out.")


class _Static:
    """What scoring needs from a rubric that never changes between assessments.

    Built once per rubric object: aggregate scores thousands of assessments against
    the same one, and rebuilding names, reachable levels and citations per criterion
    per assessment was a good part of the cost.
    """

    def __init__(self, rubric: Rubric) -> None:
        self.names = {s.level: s.name for s in rubric.scale or []}
        levels = rubric.levels
        self.reachable: dict[str, list[int]] = {}
        self.citations: dict[str, list[CitationOut]] = {}
        self.mappings: dict[str, list[MappingOut]] = {}
        #: the innermost group of each criterion that has one
        self.group: dict[str, str] = {}
        #: criterion and area weights as exact whole numbers, for coverage
        self.exact_weight: dict[str, int] = {}
        for area in rubric.areas:
            crits = list(area.all_criteria())
            self.exact_weight.update(zip((c.id for c in crits),
                                         _as_written([c.weight for c in crits]), strict=True))
            for g, _, _ in area.walk_groups():
                for c in g.criteria:
                    self.group[c.id] = g.id
        self.exact_area_weight = dict(zip((a.id for a in rubric.areas),
                                          _as_written([a.weight for a in rubric.areas]),
                                          strict=True))
        #: each criterion's best score (``outlook.best_score``) and evidence age limit
        self.best: dict[str, float] = {}
        self.max_age: dict[str, int | None] = {}
        for _, crit in rubric.criteria():
            self.reachable[crit.id] = crit.reachable_levels(levels)
            self.best[crit.id] = outlook.best_score(rubric, crit, self.reachable[crit.id])
            self.max_age[crit.id] = criterion_max_age(rubric, crit)
            out = []
            for s in crit.sources:
                src = rubric.sources.get(s.ref)
                out.append(CitationOut.made(ref=s.ref, citation=src.citation() if src else s.ref,
                                       section=s.section, topic=s.topic))
            self.citations[crit.id] = out
            self.mappings[crit.id] = [
                MappingOut.made(framework=m.framework, item=m.item,
                                relationship=m.relationship, note=m.note)
                for m in crit.all_mappings()]
        self.options = {k: {o.id: o for o in v} for k, v in rubric.answer_scales.items()}
        # the one content hash: over the rubric file's bytes (formats/digest.py), never
        # over a model dump, which changes whenever cyberdip adds a default. Only a rubric
        # a program builds in memory, with no file, is hashed over its JSON serialisation.
        self.sha256 = rubric.file_sha256 or hashlib.sha256(
            rubric.model_dump_json().encode()).hexdigest()

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


def rubric_hash(rubric: Rubric) -> str:
    """The hash every scorecard records of the rubric it was scored on."""
    return _static(rubric).sha256


def _num(x: float) -> str:
    return f"{x:g}"


class _Core:
    """One criterion's figures, before any output object is made.

    What the area, group, stage and range figures are computed from, and all that a
    portfolio keeps of a criterion (``score_lean``). Its attribute names are the
    ``CriterionResult`` fields they stand for (``_stage`` and ``compare.summarise`` read
    either); ``weight`` is the criterion's weight as written and ``exact`` the same
    weight as a whole number, for coverage. The full scorecard adds ``result`` (the
    criterion's ``CriterionResult``) and ``gap_entry`` (its ``Gap``, or None).
    """

    __slots__ = ("c", "area", "id", "critical", "stage", "weight", "exact", "sources",
                 "status", "claimed", "level", "option", "value", "unsupported",
                 "evidence_stale", "carried", "max_months", "target", "gap", "next_level",
                 "score", "target_score", "satisfied", "best", "result", "gap_entry",
                 "_rubric")

    @property
    def title(self) -> str:
        return self.c.label

    @property
    def answer(self) -> str | None:
        """The option a choice was answered with."""
        return self.option.id if self.option is not None else None

    @property
    def next_descriptor(self) -> str | None:
        nxt = self.next_level
        return descriptor(self._rubric, self.c, nxt) if nxt is not None else None

    @property
    def closable(self) -> bool:
        """A gap of levels with a next level to reach: it gets a ``Gap`` entry."""
        return (self.gap > 0 and self.level is not None and self.next_level is not None
                and self.target is not None)


def _core(rubric: Rubric, st: _Static, area: Area, c: AnyCriterion, a: Answer,
          default_target: int, strict: bool, ref: dt.date | None = None) -> _Core:
    """The figures of one criterion (see docs/scoring.md)."""
    lo, hi = rubric.lowest, rubric.highest
    need = rubric.scoring.evidence_from_level
    claimed = None if a.is_na else answer_level(rubric, c, a)
    option = None
    if isinstance(c, ChoiceCriterion) and not a.is_na and a.answer is not None:
        option = st.options.get(c.answer_scale, {}).get(a.answer)
    linear = isinstance(c, MetricCriterion) and c.metric.scoring == "linear"
    value = a.value if isinstance(c, MetricCriterion) and not a.is_na else None
    answered = claimed is not None or option is not None or (linear and value is not None)
    status: Status = ("not-applicable" if a.is_na else
                      "assessed" if answered else "not-assessed")
    unsupported = (claimed is not None and need is not None and claimed >= need
                   and not supported(c, a, need))
    max_months = st.max_age[c.id]

    def current(e: str | EvidenceItem) -> bool:
        stale, expired = evidence_age(e, ref, max_months)
        return not (stale or expired)

    evidence_stale = (claimed is not None and need is not None and claimed >= need
                      and not unsupported and not supported(c, a, need, current))
    level = claimed
    carried = a.unconfirmed and status != "not-assessed"
    if claimed is not None and strict and (unsupported or carried or evidence_stale):
        level = min(claimed, strict_cap(rubric, c))
    reachable = st.reachable[c.id]

    # the score, 0..1, and where the criterion stands with its gap closed
    score: float | None = None
    target_score: float | None = None
    target: int | None = None
    gap = 0
    if reachable:
        target = effective_target(a.target if a.target is not None else default_target,
                                  reachable)
    if status == "assessed":
        if option is not None:
            options = rubric.answer_scales[c.answer_scale]  # type: ignore[union-attr]
            score, target_score = option.score, max(o.score for o in options)
        elif linear and (value is not None or level is not None):
            m = c.metric  # type: ignore[union-attr]
            # `level: <lowest>` with no number is the metric's worst case: score 0
            score = m.linear(value) if value is not None else 0.0
            if target is None:  # no thresholds, no levels: the top of its range
                target_score = 1.0
            elif target in m.thresholds:  # where the target level's threshold scores
                target_score = max(score, m.linear(m.thresholds[target]))
            else:  # the target is the lowest level: nothing to close
                target_score = score
        elif level is not None:
            score = normalise(level, lo, hi)
            # where the criterion stands once its gap is closed: never below now
            target_score = normalise(max(target if target is not None else level, level),
                                     lo, hi)
        if level is not None and target is not None:
            gap = max(0, target - level)
    k = _Core()
    k.c, k.area, k.id, k.critical, k.stage = c, area.id, c.id, c.critical, c.stage
    k.weight, k.exact, k.sources = c.weight, st.exact_weight[c.id], st.citations[c.id]
    k.status, k.claimed, k.level, k.option, k.value = status, claimed, level, option, value
    k.unsupported, k.evidence_stale, k.carried, k.max_months = (
        unsupported, evidence_stale, carried, max_months)
    k.target, k.gap, k.score, k.target_score = target, gap, score, target_score
    k.next_level = st.next_level(c.id, level) if level is not None else None
    k.satisfied = _satisfied(c, level, option, status)
    k.best = st.best[c.id]
    k.result = k.gap_entry = None
    k._rubric = rubric
    return k


def _score_criterion(rubric: Rubric, st: _Static, area: Area, c: AnyCriterion, a: Answer,
                     default_target: int, strict: bool, profile: str | None = None,
                     ref: dt.date | None = None) -> _Core:
    """A criterion's figures with its ``CriterionResult`` and ``Gap`` made."""
    k = _core(rubric, st, area, c, a, default_target, strict, ref)
    span = rubric.highest - rubric.lowest
    status, level, option, value, nxt, max_months = (
        k.status, k.level, k.option, k.value, k.next_level, k.max_months)
    score, target_score, target, gap = k.score, k.target_score, k.target, k.gap
    indicators = [
        IndicatorResult.made(id=i.id, level=lv, text=i.text, met=a.indicator(i.id),
                        evidence=[evidence_out(e, ref, max_months)
                                  for e in a.indicator_evidence(i.id)])
        for lv, i in c.indicator_list()] if not a.is_na else []
    # still to show: only what lies above the level claimed (a `level: 2` answer has
    # shown its level-1 and level-2 indicators by claiming it)
    missing = ([t for lv, t in missing_indicators(c, a, nxt) if level is None or lv > level]
               if nxt is not None and c.indicators and gap > 0 else [])
    answer_name = option.name if option is not None else None
    k.result = CriterionResult.made(
        id=c.id, area=area.id, group=st.group.get(c.id), title=c.label,
        question=c.question_as(profile), kind=c.kind,
        weight=c.weight, critical=c.critical, status=status, claimed_level=k.claimed,
        level=level, level_name=st.name(level) if level is not None else None,
        score=_r(score, 4),
        value=value,
        met=a.met if isinstance(c, BooleanCriterion) else None,
        answer=option.id if option is not None else None, answer_name=answer_name,
        unit=c.metric.unit if isinstance(c, MetricCriterion) else None,
        stage=c.stage, satisfied=k.satisfied,
        target=target, gap=gap, unsupported=k.unsupported,
        not_applicable_reason=a.not_applicable if isinstance(a.not_applicable, str) else None,
        evidence=[evidence_out(e, ref, max_months) for e in a.evidence],
        notes=a.notes, owner=a.owner,
        due=str(a.due) if a.due is not None else None,
        descriptor=(descriptor(rubric, c, level) if level is not None else
                    option.meaning or option.name if option is not None else None),
        next_level=nxt,
        next_descriptor=k.next_descriptor,
        indicators=indicators, missing=missing,
        sources=list(k.sources), crosswalk=list(st.mappings[c.id]),
        carried=(CarriedFrom.made(source=a.carried.source, period=a.carried.period,
                             date=str(a.carried.date) if a.carried.date is not None
                             else None)
                 if k.carried and a.carried is not None else None),
        max_age_months=max_months, evidence_stale=k.evidence_stale,
    )
    w = 2 if c.critical else 1
    if k.closable:
        k.gap_entry = Gap.made(
            id=c.id, area=area.id, title=c.label, critical=c.critical,
            current=level, current_name=st.name(level),
            target=target, target_name=st.name(target), gap=gap,
            priority=round(gap * c.weight * area.weight * w, 4),
            next_level=nxt, next_name=st.name(nxt),
            recommendation=c.recommendations.get(nxt), steps=missing,
            actions=outlook.gap_actions(rubric, c, a, level, nxt, None),
            sources=list(k.sources),
        )
    elif (status == "assessed" and level is None and score is not None
          and target_score is not None and target_score > score):
        # criteria without levels: the gap is the distance to the top of their scale
        if option is not None:
            options = rubric.answer_scales[c.answer_scale]  # type: ignore[union-attr]
            above = [o for o in options if o.score > option.score]
            now, nxt_name, top_name = option.name, above[0].name, options[-1].name
            nxt_option: str | None = above[0].id
        else:
            m = c.metric  # type: ignore[union-attr]
            best = m.max if m.better == "higher" else m.min
            now, nxt_name = f"{_num(value or 0)} {m.unit}", f"{_num(best or 0)} {m.unit}"
            top_name = nxt_name
            nxt_option = None
        k.gap_entry = Gap.made(
            id=c.id, area=area.id, title=c.label, critical=c.critical,
            current=None, current_name=now, target=None, target_name=top_name, gap=0,
            priority=round((target_score - score) * span * c.weight * area.weight * w, 4),
            next_level=None, next_name=nxt_name,
            recommendation=None, steps=[],
            actions=outlook.gap_actions(rubric, c, a, None, None, nxt_option),
            sources=list(k.sources))
    return k


def _satisfied(c: AnyCriterion, level: int | None, option, status: str) -> bool | None:
    """Whether an answer counts as the practice performed (the `practices` gate)."""
    if c.stage is None or status != "assessed":
        return None
    if option is not None:
        return bool(option.satisfies)
    return level is not None and level >= c.stage


def _figures(scored: list[_Core]) -> tuple[float | None, float | None, Fraction, dict]:
    """Score, target score and exact coverage of a set of criteria, and their counts."""
    pairs = [(s.score, s.weight) for s in scored if s.score is not None]
    tpairs = [(s.target_score, s.weight) for s in scored
              if s.score is not None and s.target_score is not None]
    total = sum(s.exact for s in scored)
    answered = sum(s.exact for s in scored if s.status != "not-assessed")
    counts = {"assessed": 0, "not-applicable": 0, "not-assessed": 0}
    for s in scored:
        counts[s.status] += 1
    coverage = Fraction(100 * answered, total) if total else Fraction(0)
    return weighted_mean(pairs), weighted_mean(tpairs), coverage, counts


class _Walk:
    """One assessment scored area by area: what both the scorecard (``score``) and a
    portfolio's summary of it (``score_lean``) are made from."""

    def __init__(self, rubric: Rubric, assessment: Assessment, *, strict: bool,
                 min_coverage: float, as_of: dt.date | None, full: bool) -> None:
        self.ref = ref = reference_date(assessment, as_of)
        self.st = st = _static(rubric)
        default_target = (assessment.default_target if assessment.default_target is not None
                          else rubric.scoring.default_target if rubric.scoring.default_target
                          is not None else rubric.highest)
        profile = assessment.profile or rubric.default_profile()
        if profile is not None and profile not in rubric.profile_ids():
            profile = None
        self.profile = profile
        self.cores: list[_Core] = []  # every applicable criterion, in rubric order
        self.areas: list[AreaResult] = []
        self.groups: list[GroupResult] = []
        range_rows: list[tuple[float, list[outlook.RangeRow]]] = []  # for the index's range
        #: the counted (not context) areas' criteria, area by area: theirs are the gaps
        self.counted: list[list[_Core]] = []
        raw_means: list[tuple[float, float]] = []
        exact_coverage: list[tuple[Fraction, int]] = []

        def make(area: Area, c: AnyCriterion) -> _Core:
            a = assessment.answer(c.id) or Answer()
            if full:
                return _score_criterion(rubric, st, area, c, a, default_target, strict,
                                        profile, ref)
            return _core(rubric, st, area, c, a, default_target, strict, ref)

        for area in rubric.areas:
            scored = {c.id: make(area, c) for c in area.all_criteria() if c.applies(profile)}
            if not scored:
                continue  # nothing in this area is asked of this profile
            cores = list(scored.values())
            mean, tmean, area_coverage, counts = _figures(cores)
            stage, gating = (None, []) if area.context else _stage(rubric, st, cores)
            if not area.context:
                exact_coverage.append((area_coverage, st.exact_area_weight[area.id]))
                if mean is not None:
                    raw_means.append((mean * 100, area.weight))
                range_rows.append((area.weight, [
                    outlook.RangeRow(s.status, s.score, s.best, s.weight) for s in cores]))
                self.counted.append(cores)
            self.areas.append(AreaResult.made(
                id=area.id, title=area.title, context=area.context, weight=area.weight,
                score=_r(mean * 100) if mean is not None else None,
                target_score=_r(tmean * 100) if tmean is not None else None,
                stage=stage, stage_name=rubric.level_name(stage) if stage is not None else None,
                coverage=floor2(area_coverage),
                assessed=counts["assessed"], not_applicable=counts["not-applicable"],
                not_assessed=counts["not-assessed"], gating=gating,
            ))
            if full:
                self.groups.extend(_groups(area, scored))
            self.cores.extend(cores)

        # computed once, from unrounded area coverages, and rounded once (down): the
        # same figure is shown, sets `provisional`, and is what every gate compares
        weight_sum = sum(w for _, w in exact_coverage)
        self.coverage = floor2(sum((c * w for c, w in exact_coverage), Fraction(0))
                               / weight_sum if weight_sum else Fraction(0))
        self.provisional = self.coverage < min_coverage
        stages = [a.stage for a in self.areas if a.stage is not None and not a.context]
        self.stage = min(stages) if stages else None
        self.stage_name = rubric.level_name(self.stage) if self.stage is not None else None
        index_mean = weighted_mean(raw_means)
        self.index = _r(index_mean)
        self.index_range = outlook.index_range(range_rows)
        self.band = band_of(rubric, self.index)
        self.bands = [BandOut.made(name=b.name, min=b.min, meaning=b.meaning)
                      for b in sorted(rubric.index.bands, key=lambda b: -b.min)]
        self.rubric = RubricRef.made(id=rubric.id, version=rubric.version,
                                     title=rubric.title, sha256=st.sha256)
        self.labels = Labels.made(index=rubric.labels.index, stage=rubric.labels.stage)


    def counted_cores(self) -> Iterator[_Core]:
        """The counted areas' criteria, in rubric order: those the gaps come from."""
        return (k for area in self.counted for k in area)


def _groups(area: Area, scored: dict[str, _Core]) -> list[GroupResult]:
    out = []
    for g, depth, parent in area.walk_groups():
        inside = [scored[c.id] for c in g.all_criteria() if c.id in scored]
        if not inside:
            continue
        gmean, gtmean, gcov, gcounts = _figures(inside)
        out.append(GroupResult.made(
            id=g.id, title=g.label, area=area.id, parent=parent, depth=depth,
            score=_r(gmean * 100) if gmean is not None else None,
            target_score=_r(gtmean * 100) if gtmean is not None else None,
            coverage=floor2(gcov), criteria=[s.id for s in inside],
            assessed=gcounts["assessed"], not_applicable=gcounts["not-applicable"],
            not_assessed=gcounts["not-assessed"]))
    return out


def score(
    rubric: Rubric,
    assessment: Assessment,
    *,
    strict: bool = False,
    min_coverage: float = DEFAULT_MIN_COVERAGE,
    as_of: dt.date | None = None,
) -> Scorecard:
    """Score ``assessment`` against ``rubric``. Pure: same inputs, same scorecard.
    Stale and expired evidence are judged against ``reference_date(assessment,
    as_of)``, never the clock."""
    w = _Walk(rubric, assessment, strict=strict, min_coverage=min_coverage, as_of=as_of,
              full=True)
    st, ref, profile, stage = w.st, w.ref, w.profile, w.stage
    results = [k.result for k in w.cores]
    raw_scores = {k.id: k.score for k in w.cores}  # each criterion's unrounded score, 0..1
    gaps = sorted((k.gap_entry for k in w.counted_cores() if k.gap_entry is not None),
                  key=lambda g: (-g.priority, -g.gap, g.id))
    counted = [k.result for k in w.counted_cores()]
    return Scorecard.made(
        cyberdip_version=__version__,
        rubric=w.rubric,
        labels=w.labels,
        profile=profile,
        profile_name=next((p.name for p in rubric.profiles if p.id == profile), None),
        answered_version=assessment.rubric_version,
        organisation=OrgOut.made(**assessment.organisation.model_dump()),
        period=assessment.period,
        date=str(assessment.date) if assessment.date is not None else None,
        assessors=list(assessment.assessors),
        illustrative=assessment.illustrative,
        disclaimer=(" ".join(assessment.disclaimer.split())
                    if assessment.disclaimer is not None else None),
        strict=strict,
        stage_gate=rubric.scoring.stage_gate,
        unanswered=rubric.scoring.unanswered,
        evidence_from_level=rubric.scoring.evidence_from_level,
        min_coverage=float(min_coverage),
        provisional=w.provisional,
        index=w.index,
        index_range=w.index_range,
        band=w.band,
        bands=w.bands,
        stage=stage,
        stage_name=w.stage_name,
        coverage=w.coverage,
        counts=Counts.made(
            criteria=len(counted),
            assessed=sum(r.status == "assessed" for r in counted),
            not_applicable=sum(r.status == "not-applicable" for r in counted),
            not_assessed=sum(r.status == "not-assessed" for r in counted),
            unsupported=sum(r.unsupported for r in counted),
        ),
        stage_setting=outlook.stage_setting(
            rubric.scoring.stage_gate if rubric.scale else "none",
            [[k.result for k in area] for area in w.counted]),
        stage_plan=outlook.stage_plan(rubric, stage, w.areas, results, st.reachable,
                                      dict(assessment.answers), st.citations),
        scale=[ScaleEntry.made(level=s.level, name=s.name, meaning=s.meaning)
               for s in rubric.scale or []],
        areas=w.areas,
        groups=w.groups,
        criteria=results,
        gaps=gaps,
        rollups=_rollups(rubric, results, raw_scores),
        glossary=dict(rubric.glossary),
        bibliography=[
            SourceEntry.made(ref=k, citation=v.citation(), title=v.title, venue=v.venue,
                        link=v.link())
            for k, v in sorted(rubric.sources.items())
        ],
        merge=_merge_out(rubric, assessment, ref),
        carried=CarriedCount.made(unconfirmed=sum(r.carried is not None for r in results),
                             ids=[r.id for r in results if r.carried is not None]),
        # one reference date for stale evidence and overdue actions
        plan=plan.build(rubric, results, gaps, dict(assessment.answers), ref=ref),
        plan_as_of=ref.isoformat() if ref is not None else None,
        reference_date=ref.isoformat() if ref is not None else None,
        evidence_dates=_evidence_dates(results, ref),
    )


class LeanCard:
    """What a portfolio keeps of a scorecard (``compare.summarise`` and
    ``sensitivity.prepare`` read it as they read a :class:`Scorecard`), made without the
    scorecard's ~160 output objects.

    ``aggregate`` and ``sensitivity`` score many assessments and use only their
    headline figures, the range, the stage, each criterion's figures and the criteria
    left weak, so they skip the per-criterion results, evidence, indicators, roll-ups,
    plans and bibliography. Every figure here is the one ``score`` gives: both are
    computed by one walk of the rubric (``_Walk``), and property tests hold what
    ``summarise`` and ``prepare`` make of the two equal. ``criteria`` holds each
    criterion's figures (``id``, ``area``, ``title``, ``critical``, ``sources``,
    ``status``, ``level``, ``value``, ``answer``, ``next_level``, ``next_descriptor``);
    ``gaps`` the criteria of counted areas with a level to reach (``id``,
    ``next_level``, ``next_name``, ``recommendation``).
    """

    __slots__ = ("rubric", "labels", "profile", "organisation", "period", "index",
                 "index_range", "band", "bands", "stage", "stage_name", "coverage",
                 "provisional", "areas", "criteria", "gaps")


class _LeanGap:
    __slots__ = ("id", "next_level", "next_name", "recommendation")


def score_lean(
    rubric: Rubric,
    assessment: Assessment,
    *,
    strict: bool = False,
    min_coverage: float = DEFAULT_MIN_COVERAGE,
    as_of: dt.date | None = None,
) -> LeanCard:
    """The figures of ``score(rubric, assessment, ...)`` that a portfolio keeps."""
    w = _Walk(rubric, assessment, strict=strict, min_coverage=min_coverage, as_of=as_of,
              full=False)
    card = LeanCard()
    card.rubric, card.labels, card.profile = w.rubric, w.labels, w.profile
    card.organisation, card.period = assessment.organisation, assessment.period
    card.index, card.index_range, card.band, card.bands = (
        w.index, w.index_range, w.band, w.bands)
    card.stage, card.stage_name = w.stage, w.stage_name
    card.coverage, card.provisional = w.coverage, w.provisional
    card.areas, card.criteria = w.areas, w.cores
    card.gaps = []
    for k in w.counted_cores():
        if k.closable:  # what a full scorecard's Gap entry says of the next level
            g = _LeanGap()
            g.id, g.next_level = k.id, k.next_level
            g.next_name = w.st.name(k.next_level)
            g.recommendation = k.c.recommendations.get(k.next_level)
            card.gaps.append(g)
    return card


def _evidence_dates(results: list[CriterionResult], ref: dt.date | None) -> EvidenceDates:
    """The stale and expired items of the criteria's and indicators' evidence."""
    items: list[tuple[str, Evidence]] = []
    for r in results:
        items += [(r.id, e) for e in r.evidence]
        items += [(r.id, e) for i in r.indicators for e in i.evidence]
    flagged = [(cid, e) for cid, e in items if e.stale or e.expired]
    ids = {cid for cid, _ in flagged}
    return EvidenceDates.made(checked=ref is not None, items=len(flagged),
                         stale=sum(bool(e.stale) for _, e in flagged),
                         expired=sum(bool(e.expired) for _, e in flagged),
                         ids=[r.id for r in results if r.id in ids],
                         claims=sum(r.evidence_stale for r in results),
                         dated=sum(e.date is not None or e.valid_until is not None
                                   for _, e in items))


def shown(a: Answer | None, c: AnyCriterion) -> str:
    """An answer as a person types it: ``3``, ``yes``, ``45``, ``none`` (a metric's
    lowest case), ``LI`` (a choice), ``3 of 5 indicators met``, ``n/a``, ``—``."""
    if a is None or (not a.has_value and not a.is_na):
        return "\u2014"
    if a.is_na:
        return "n/a"
    if a.met is not None:
        return "yes" if a.met else "no"
    if a.value is not None:
        return f"{a.value:g}"
    if a.answer is not None:
        return a.answer
    if a.level is not None:
        return "none" if isinstance(c, MetricCriterion) else str(a.level)
    if a.indicators:
        met = sum(1 for k in a.indicators if a.indicator(k) is True)
        return f"{met} of {len(c.indicator_list())} indicators met"
    return "\u2014"


def _merge_out(rubric: Rubric, assessment: Assessment,
               ref: dt.date | None = None) -> MergeOut | None:
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
            given = Answer(level=p.level, met=p.met, value=p.value, answer=p.answer,
                           indicators=dict(p.indicators), not_applicable=p.not_applicable,
                           evidence=list(p.evidence))
            level = None if given.is_na else merge_level(rubric, c, given)
            people.append(RespondentOut.made(
                name=p.name, answer=shown(given, c), level=level,
                evidence=[evidence_out(e, ref, criterion_max_age(rubric, c))
                          for e in p.evidence]))
        levels = [r.level for r in people if r.level is not None]
        spread = max(levels) - min(levels) if levels else None
        spreads.append(SpreadOut.made(
            id=c.id, spread=spread, respondents=people,
            needs_discussion=bool(spread is not None and m.discuss_above is not None
                                  and spread > m.discuss_above)))
    return MergeOut.made(respondents=list(m.respondents), rule=m.rule,
                    discuss_above=m.discuss_above,
                    disagreements=sum(1 for s in spreads if s.spread), criteria=spreads)


def _rollups(rubric: Rubric, results: list[CriterionResult],
             raw: dict[str, float | None]) -> list[Rollup]:
    """Scores rolled up by each framework the crosswalks name (ROLLUP_METHOD), from
    the criteria's unrounded scores (``raw``), each figure rounded once at the end, as
    the area scores are: a roll-up of the same criteria as an area shows the same."""
    by_framework: dict[str, dict[str, list[tuple[CriterionResult, str]]]] = {}
    for r in results:
        if r.status == "not-applicable":
            continue
        for m in r.crosswalk:
            by_framework.setdefault(m.framework, {}).setdefault(m.item, []).append(
                (r, m.relationship))
    out = []
    for key, items in by_framework.items():
        fw = rubric.framework(key)
        order = list(fw.items) if fw and fw.items else []
        keys = [k for k in order if k in items] + sorted(k for k in items if k not in order)
        rows = []
        for item in keys:
            mapped = items[item]
            pairs = [(raw[r.id], r.weight) for r, _ in mapped if raw[r.id] is not None]
            mean = weighted_mean(pairs)
            rows.append(RollupItem.made(
                item=item, title=fw.items.get(item) if fw else None,
                score=_r(mean * 100) if mean is not None else None,
                criteria=[RollupCriterion.made(id=r.id, relationship=rel,
                                          score=_r(raw[r.id] * 100)  # type: ignore[operator]
                                          if raw[r.id] is not None else None)
                          for r, rel in mapped],
                assessed=len(pairs)))
        out.append(Rollup.made(framework=key, title=fw.title if fw else key, method=ROLLUP_METHOD,
                          items=rows))
    return out


def _stage(rubric: Rubric, st: _Static, results: list[_Core]
           ) -> tuple[int | None, list[str]]:
    """The gated stage of one area, and the criteria that set it.

    ``critical``: the lowest level among the assessed critical criteria (every
    assessed criterion when the area has none assessed); ``all``: the lowest among
    all of them; ``practices``: the C2M2 rule (``_practices_stage``); ``none``: no
    stage. With ``unanswered: lowest``, an applicable criterion left unanswered
    counts as the lowest level, when it has levels (a choice or a metric without
    thresholds has none, answered or not, so it never gates).
    """
    gate = rubric.scoring.stage_gate
    if gate == "none" or not rubric.scale:
        return None, []
    if gate == "practices":
        return _practices_stage(rubric, results)
    lowest_for_blank = rubric.scoring.unanswered == "lowest"

    def level_of(r: _Core) -> int | None:
        if r.level is not None:
            return r.level
        # a blank counts at the lowest level only where an answer would give a level
        # (not a choice, nor a metric without thresholds: they reach no level)
        if lowest_for_blank and r.status == "not-assessed" and st.reachable[r.id]:
            return rubric.lowest
        return None

    assessed = [r for r in results if level_of(r) is not None]
    gating = assessed
    if gate == "critical":
        critical = [r for r in assessed if r.critical]
        if critical:
            gating = critical
    if not gating:
        return None, []
    stage = min(level_of(r) for r in gating)  # type: ignore[type-var]
    return stage, sorted(r.id for r in gating if level_of(r) == stage)


def _practices_stage(rubric: Rubric, results: list[_Core]
                     ) -> tuple[int | None, list[str]]:
    """The C2M2 rule, as CSET applies it: an area reaches stage L when every criterion
    of stage L or below is satisfied (an answer that `satisfies`, or a level at or
    above the criterion's stage), and stage L-1 is reached too. Not-applicable
    criteria are left out; unanswered ones count as not satisfied with
    ``unanswered: lowest``, and are left out with ``ignore``. A stage with no
    criterion left to show it cannot be reached. Returns the stage and the criteria
    that keep the area from the next one."""
    blank_fails = rubric.scoring.unanswered == "lowest"
    considered: list[tuple[int, bool, str]] = []
    for r in results:
        if r.stage is None or r.status == "not-applicable":
            continue
        if r.status == "not-assessed":
            if blank_fails:
                considered.append((r.stage, False, r.id))
            continue
        considered.append((r.stage, bool(r.satisfied), r.id))
    if not considered and not blank_fails:
        return None, []
    stage = rubric.lowest
    for lv in rubric.levels:
        if lv == rubric.lowest:
            continue
        at = [x for x in considered if x[0] == lv]
        below_ok = all(ok for s, ok, _ in considered if s <= lv)
        if at and below_ok:
            stage = lv
        else:
            break
    holding = sorted(cid for s, ok, cid in considered if s <= stage + 1 and not ok)
    return stage, holding
