"""What a scorecard could still become: the index's range once everything is answered,
the criteria that set the stage and how many are blank, and the stage plan (the steps
that raise the headline stage, or the blanks to answer first).

Pure functions over a criterion's results; ``docs/scoring.md`` ("What the verdict
could still become") states every rule here.
"""

from __future__ import annotations

from dataclasses import dataclass

from cyberdip.model.assessment import Answer
from cyberdip.model.rubric import AnyCriterion, ChoiceCriterion, MetricCriterion, Rubric
from cyberdip.model.scorecard import (
    AreaResult,
    CitationOut,
    CriterionResult,
    IndexRange,
    StagePlan,
    StageSetting,
    StageStep,
)


def best_score(rubric: Rubric, c: AnyCriterion, reachable: list[int]) -> float:
    """The best score (0..1) an answer to ``c`` can get: a linear metric's 1, a choice's
    best option, else the highest level it can reach on the scale."""
    if isinstance(c, ChoiceCriterion):
        return max(o.score for o in rubric.answer_scales.get(c.answer_scale, [])) \
            if rubric.answer_scales.get(c.answer_scale) else 0.0
    if isinstance(c, MetricCriterion) and c.metric.scoring == "linear":
        return 1.0
    if not reachable or rubric.highest == rubric.lowest:
        return 0.0
    return (max(reachable) - rubric.lowest) / (rubric.highest - rubric.lowest)


@dataclass(frozen=True)
class RangeRow:
    """One criterion as the range sees it."""

    status: str
    score: float | None
    best: float
    weight: float


def _mean(pairs: list[tuple[float, float]]) -> float | None:
    total = sum(w for _, w in pairs)
    if not pairs or total <= 0:
        return None
    return sum(v * w for v, w in pairs) / total


def index_range(areas: list[tuple[float, list[RangeRow]]]) -> IndexRange:
    """The index once every unanswered criterion is answered: ``low`` with each at a
    score of 0, ``high`` with each at its best. N/A criteria stay out; an area with
    nothing but N/A stays out; the areas are weighted as for the index."""
    ends = []
    for pick in (lambda r: 0.0, lambda r: r.best):
        means = []
        for weight, rows in areas:
            pairs = [(r.score if r.status == "assessed" else pick(r), r.weight)
                     for r in rows if r.status != "not-applicable"]
            m = _mean([(v, w) for v, w in pairs if v is not None])
            if m is not None:
                means.append((m * 100, weight))
        mean = _mean(means)
        ends.append(round(mean, 2) if mean is not None else None)
    return IndexRange.made(low=ends[0], high=ends[1])


def stage_setters(gate: str, results: list[CriterionResult]) -> list[CriterionResult]:
    """The criteria of one (not context) area that set its stage, N/A ones left out:
    ``practices``: those with a ``stage``; ``critical``: its critical criteria that have
    levels, or all that have levels when none is critical; ``all``: all that have levels.
    A choice and a metric without thresholds have no level, so they never set it."""
    if gate == "none":
        return []
    live = [r for r in results if r.status != "not-applicable"]
    if gate == "practices":
        return [r for r in live if r.stage is not None]
    levelled = [r for r in live if r.target is not None]
    if gate == "critical":
        critical = [r for r in levelled if r.critical]
        return critical or levelled
    return levelled


def stage_setting(gate: str, by_area: list[list[CriterionResult]]) -> StageSetting:
    setters = [r for rs in by_area for r in stage_setters(gate, rs)]
    blank = [r.id for r in setters if r.status == "not-assessed"]
    return StageSetting.made(criteria=len(setters), not_assessed=len(blank), unanswered=blank)


def _step_actions(rubric: Rubric, c: AnyCriterion, a: Answer | None, current: int | None,
                  to: int) -> list[str]:
    """What reaching level ``to`` from ``current`` takes: the rubric's recommendation
    for ``to``, else the indicators above ``current`` up to ``to`` not met yet, else
    the rubric's words for level ``to`` (the scale's meaning of ``to`` when those are
    only its name)."""
    from cyberdip.model.rubric import descriptor

    rec = c.recommendations.get(to)
    if rec:
        return [rec]
    floor = current if current is not None else rubric.lowest - 1
    todo = [i.text for lv, i in c.indicator_list()
            if floor < lv <= to and (a is None or a.indicator(i.id) is not True)]
    if todo:
        return todo
    words = descriptor(rubric, c, to)
    if words == rubric.level_name(to):
        words = next((s.meaning for s in rubric.scale or [] if s.level == to), words)
    return [words]


def gap_actions(rubric: Rubric, c: AnyCriterion, a: Answer | None, current: int | None,
                nxt: int | None, next_option: str | None) -> list[str]:
    """A gap's actions (``Gap.actions``): as :func:`_step_actions` for the next level;
    for a criterion without levels, the next answer's meaning (or name)."""
    if nxt is not None:
        return _step_actions(rubric, c, a, current, nxt)
    if isinstance(c, ChoiceCriterion):
        opts = {o.id: o for o in rubric.answer_scales.get(c.answer_scale, [])}
        o = opts.get(next_option or "")
        if o is not None:
            return [o.meaning or o.name]
    if isinstance(c, MetricCriterion):
        m = c.metric
        best = m.max if m.better == "higher" else m.min
        if best is not None:  # + 0.0 writes −0 as 0, as the gap's names do
            return [f"reach {best + 0.0:g} {m.unit}"]
    return []


def _answer_first(r: CriterionResult, sources: list[CitationOut]) -> StageStep:
    return StageStep.made(id=r.id, area=r.area, title=r.title, critical=r.critical,
                     answer_first=True, current=None, current_name=None, to_level=None,
                     to_name=None, actions=[r.question], sources=sources)


def stage_plan(rubric: Rubric, stage: int | None, areas: list[AreaResult],
               results: list[CriterionResult], reachable: dict[str, list[int]],
               answers: dict[str, Answer | None],
               citations: dict[str, list[CitationOut]]) -> StagePlan:
    """The steps that raise the headline stage to at least the next one, or why there
    are none (``docs/scoring.md``, "The stage plan")."""
    gate = rubric.scoring.stage_gate
    if gate == "none" or stage is None or not rubric.scale:
        return StagePlan.made(status="none", next_stage=None, steps=[])
    above = [lv for lv in rubric.levels if lv > stage]
    if not above:
        return StagePlan.made(status="top", next_stage=None, steps=[])
    nxt = min(above)
    by_id = {c.id: c for _, c in rubric.criteria()}
    lowest_blank = rubric.scoring.unanswered == "lowest"
    needed: list[CriterionResult] = []
    top = False
    for area in areas:
        if area.context or area.stage != stage:
            continue
        rs = [r for r in results if r.area == area.id]
        if gate == "practices":
            considered = [r for r in rs if r.stage is not None
                          and r.status != "not-applicable"
                          and (r.status == "assessed" or lowest_blank)]
            if not any(r.stage == nxt for r in considered):
                top = True  # no practice of the next stage: the area cannot reach it
            needed += [r for r in considered if r.stage <= nxt  # type: ignore[operator]
                       and not (r.status == "assessed" and r.satisfied)]
        else:
            needed += [r for r in rs if r.id in area.gating]
    blank = [r for r in needed if r.status == "not-assessed"]
    if blank:
        return StagePlan.made(status="blocked", next_stage=nxt,
                         steps=[_answer_first(r, citations.get(r.id, [])) for r in blank])
    if top:
        return StagePlan.made(status="top", next_stage=nxt, steps=[])
    steps: list[StageStep] = []
    status = "rise"
    names = {s.level: s.name for s in rubric.scale}
    for r in needed:
        c = by_id[r.id]
        a = answers.get(r.id)
        if isinstance(c, ChoiceCriterion):
            opts = rubric.answer_scales.get(c.answer_scale, [])
            ok = [o for o in opts if o.satisfies]
            if not ok:
                return StagePlan.made(status="top", next_stage=nxt, steps=[])
            o = ok[0]
            steps.append(StageStep.made(
                id=r.id, area=r.area, title=r.title, critical=r.critical, answer_first=False,
                current=None, current_name=r.answer_name, to_level=None, to_name=o.name,
                to_answer=o.id, actions=[o.meaning or o.name],
                sources=citations.get(r.id, [])))
            continue
        floor = r.stage if gate == "practices" else nxt
        up = [lv for lv in reachable.get(r.id, []) if lv >= floor]  # type: ignore[operator]
        if not up or r.level is None:
            return StagePlan.made(status="top", next_stage=nxt, steps=[])
        to = min(up)
        if r.target is None or r.target < to:
            status = "target"
        steps.append(StageStep.made(
            id=r.id, area=r.area, title=r.title, critical=r.critical, answer_first=False,
            current=r.level, current_name=r.level_name, to_level=to,
            to_name=names.get(to, str(to)), actions=_step_actions(rubric, c, a, r.level, to),
            sources=citations.get(r.id, [])))
    if status == "target":
        return StagePlan.made(status="target", next_stage=nxt, steps=[])
    return StagePlan.made(status="rise", next_stage=nxt, steps=steps)
