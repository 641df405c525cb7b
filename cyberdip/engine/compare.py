"""Scorecards to deltas (``compare``) and portfolios (``aggregate``). Pure: no I/O.

Both work from :class:`cyberdip.engine.scoring.Scorecard` objects, which carry
everything needed (areas, criteria with levels, gaps with recommendations and
citations), so neither needs the rubric.

A portfolio is built one scorecard at a time by :class:`PortfolioBuilder`, which
keeps only a small summary of each (a league-table row and a few counters), so
ten thousand missions fit in little memory.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from cyberdip.engine.scoring import (
    DEFAULT_MIN_COVERAGE,
    BandOut,
    CitationOut,
    CriterionResult,
    Gap,
    Labels,
    LeanCard,
    RubricRef,
    Scorecard,
)
from cyberdip.errors import CyberdipError
from cyberdip.model.scorecard import IndexRange

#: A criterion "at level 1 or below" is a weakness (the issue's wording).
WEAK_AT = 1
#: How ``statistics.quantiles`` computes quartiles; stated in every output.
QUARTILE_METHOD = "inclusive"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _delta(new: float | None, old: float | None) -> float | None:
    if new is None or old is None:
        return None
    return round(new - old, 2)


# -- compare ------------------------------------------------------------------------------

#: Warning codes of a comparison whose two sides may not be like for like. CD307 is the
#: existing rubric-version-mismatch; CD312 and CD313 are new (see docs/error-codes.md).
WARN_VERSION = "CD307"
WARN_UNIT = "CD312"
WARN_ORDER = "CD313"


class Snapshot(_Out):
    """One side of a comparison: who, when, and the headline figures."""

    label: str
    organisation: str
    unit: str | None
    period: str | None
    date: str | None
    rubric_version: str
    answered_version: str | None
    index: float | None
    band: str | None = None
    stage: int | None
    stage_name: str | None
    coverage: float
    provisional: bool
    gaps: int


class LikeForLike(_Out):
    """Scores on the criteria assessed (with a level) in both assessments only, weighted
    by the current rubric: what changed, with coverage held still."""

    criteria: int
    old_score: float | None
    new_score: float | None
    delta: float | None


class AreaDelta(_Out):
    id: str
    title: str
    old_score: float | None
    new_score: float | None
    delta: float | None
    like_for_like: LikeForLike
    coverage_effect: float | None = Field(
        description="The part of `delta` due to criteria assessed in one assessment only "
        "(delta minus the like-for-like delta); neither progress nor decline.")
    newly_assessed: int
    no_longer_assessed: int
    regressed: bool = Field(description="The like-for-like score went down.")
    old_stage: int | None
    new_stage: int | None
    old_stage_name: str | None
    new_stage_name: str | None
    stage_delta: int | None
    old_coverage: float | None
    new_coverage: float | None
    coverage_delta: float | None
    presence: Literal["both", "old-only", "new-only"]


Change = Literal["improved", "regressed", "unchanged", "newly-assessed", "no-longer-assessed",
                 "not-assessed", "carried-unconfirmed"]


class CriterionDelta(_Out):
    id: str
    area: str
    title: str
    critical: bool
    old_level: int | None
    new_level: int | None
    old_level_name: str | None
    new_level_name: str | None
    old_status: str
    new_status: str
    change: Change


class GapCounts(_Out):
    """Open gaps split by where they come from, so that more coverage is not read as
    decline: ``old = common_old + no_longer_assessed`` and ``new = common_new +
    newly_assessed``."""

    old: int
    new: int
    common_old: int = Field(description="Previous gaps on criteria assessed in both.")
    common_new: int = Field(description="Current gaps on criteria assessed in both.")
    newly_assessed: int = Field(description="Current gaps on criteria newly assessed.")
    no_longer_assessed: int = Field(description="Previous gaps on criteria no longer "
                                    "assessed (neither closed nor open now).")


class CompareWarning(_Out):
    """The two sides may not be like for like. ``side`` and ``field`` say where the
    difference shows (the CLI turns them into a file, line and column)."""

    code: str
    side: Literal["old", "new"]
    field: list[str]
    message: str


class PlanProgressItem(_Out):
    """One action of the earlier assessment's plan, and where it stands in the later one."""

    id: str
    title: str
    action: str | None
    own_action: bool
    owner: str | None
    due: str | None
    due_by: str | None = Field(description="The last day `due` allows (YYYY-MM-DD).")
    due_by_then: bool | None = Field(description="Whether it was due by the later "
                                     "assessment's reference date; None when that cannot "
                                     "be judged (no date on either side).")
    status: str | None = Field(description="The later assessment's status for it when it "
                               "gives one, else the earlier's.")
    status_before: str | None = Field(description="The earlier assessment's status.")
    planned_level: int | None = Field(description="The level planned: the earlier target.")
    level_now: int | None = Field(description="The level in the later assessment; None "
                                  "when it is not assessed there.")
    reached: bool | None = Field(description="`level_now` is at or above `planned_level`; "
                                 "None when either is unknown.")


class PlanProgress(_Out):
    """Progress against the earlier assessment's action plan (docs/cycle.md)."""

    as_of: str | None = Field(description="The later assessment's reference date.")
    items: list[PlanProgressItem] = Field(description="Every action of the earlier plan, "
                                          "in its order.")
    due: int = Field(description="Actions due by `as_of`.")
    done: int = Field(description="Of those, how many are done.")
    not_done: int = Field(description="Of those, how many are neither done nor dropped.")
    reached: int = Field(description="Actions whose criterion reached its planned level.")


class Comparison(_Out):
    """What changed between two assessments of the same rubric."""

    rubric: RubricRef
    versions_differ: bool
    warnings: list[CompareWarning]
    old: Snapshot
    new: Snapshot
    index_delta: float | None
    index_like_for_like: LikeForLike
    stage_delta: int | None
    coverage_delta: float
    criteria_added: list[str]
    criteria_removed: list[str]
    areas: list[AreaDelta]
    improved: list[CriterionDelta]
    regressed: list[CriterionDelta]
    newly_assessed: list[CriterionDelta]
    no_longer_assessed: list[CriterionDelta]
    carried: list[CriterionDelta] = Field(
        default_factory=list, description="Criteria whose current answer is carried forward "
        "and not re-confirmed: never counted as unchanged, improved or regressed.")
    unchanged: int = Field(description="Criteria assessed in both at the same level.")
    not_assessed: int = Field(description="Criteria in both rubrics assessed in neither "
                              "assessment (not assessed, or not applicable).")
    gap_counts: GapCounts
    gaps_new: list[Gap] = Field(description="Gaps opened on criteria assessed in both.")
    gaps_closed: list[Gap] = Field(description="Gaps closed on criteria assessed in both.")
    gaps_newly_assessed: list[Gap] = Field(
        description="Gaps on criteria newly assessed: coverage, not decline.")
    regressions: list[str] = Field(
        description="What `--fail-on-regression` fails on: every criterion assessed in both "
        "whose level went down.")
    plan_progress: PlanProgress | None = Field(
        None, description="Progress against the earlier assessment's action plan: the "
        "actions due by the later one's date, done or not, and whether each criterion "
        "reached its planned level; None when the earlier one has no plan.")

    @property
    def has_regression(self) -> bool:
        return bool(self.regressions)


def _snapshot(card: Scorecard, label: str) -> Snapshot:
    return Snapshot(
        label=label, organisation=card.organisation.name, unit=card.organisation.unit,
        period=card.period, date=card.date, rubric_version=card.rubric.version,
        answered_version=card.answered_version, index=card.index,
        band=card.band.name if card.band else None, stage=card.stage,
        stage_name=card.stage_name, coverage=card.coverage, provisional=card.provisional,
        gaps=len(card.gaps),
    )


def _criterion_change(old: CriterionResult, new: CriterionResult) -> Change:
    if old.level is None and new.level is None and old.score is not None \
            and new.score is not None:  # criteria without levels: by their score
        return ("improved" if new.score > old.score else "regressed"
                if new.score < old.score else "unchanged")
    if old.level is not None and new.level is not None:
        if new.level > old.level:
            return "improved"
        if new.level < old.level:
            return "regressed"
        return "unchanged"
    if new.score is not None:
        return "newly-assessed"
    if old.score is not None:
        return "no-longer-assessed"
    return "not-assessed"


def _said(c: CriterionResult) -> str | None:
    """What an answer says, for a criterion that may have no level."""
    if c.level_name is not None or c.level is not None:
        return c.level_name
    if c.answer_name is not None:
        return c.answer_name
    if c.value is not None:
        return f"{c.value:g}" + (f" {c.unit}" if c.unit else "")
    return None


def _normaliser(card: Scorecard):
    """``level -> 0..1`` on the card's own scale, unrounded (``CriterionResult.score``
    is rounded to four places, which could move a two-place area score)."""
    levels = [s.level for s in card.scale]
    lo, hi = (min(levels), max(levels)) if levels else (0, 1)
    span = (hi - lo) or 1
    return lambda level: (level - lo) / span


def _mean(pairs: list[tuple[float, float]]) -> float | None:
    total = sum(w for _, w in pairs)
    if not pairs or total <= 0:
        return None
    return sum(v * w for v, w in pairs) / total


def _like_for_like(n: int, old: float | None, new: float | None, scale: float) -> LikeForLike:
    o = None if old is None else round(old * scale, 2)
    w = None if new is None else round(new * scale, 2)
    return LikeForLike(criteria=n, old_score=o, new_score=w, delta=_delta(w, o))


def _criteria(n: int) -> str:
    return f"{n} criteri{'on' if n == 1 else 'a'}"


def _same(a: str | None, b: str | None) -> bool:
    def norm(s: str | None) -> str:
        return " ".join((s or "").split()).casefold()
    return norm(a) == norm(b)


_YEAR = re.compile(r"^\s*(\d{4})(?!\d)")


def _when(card: Scorecard) -> tuple[str, str] | None:
    """``(field, value)``: the assessment's date, else its period, else None."""
    if card.date:
        return "date", card.date
    if card.period:
        return "period", card.period
    return None


def _later(old: str, new: str) -> bool:
    """True when ``old`` is certainly later than ``new``: two ISO dates compared as
    dates, anything else by a leading four-digit year (an unreadable one: never)."""
    try:
        return dt.date.fromisoformat(old) > dt.date.fromisoformat(new)
    except ValueError:
        pass
    yo, yn = _YEAR.match(old), _YEAR.match(new)
    return bool(yo and yn and int(yo.group(1)) > int(yn.group(1)))


def _warnings(old: Scorecard, new: Scorecard, old_label: str,
              new_label: str) -> list[CompareWarning]:
    out: list[CompareWarning] = []
    oo, no = old.organisation, new.organisation
    if not (_same(oo.name, no.name) and _same(oo.unit, no.unit)):
        def who(o) -> str:
            return f"“{o.name}" + (f", {o.unit}" if o.unit else "") + "”"
        field = ["organisation", "name" if not _same(oo.name, no.name) else "unit"]
        out.append(CompareWarning(
            code=WARN_UNIT, side="new", field=field,
            message=f"the two assessments are of different units: {old_label} is of "
            f"{who(oo)} and {new_label} of {who(no)}; the changes may reflect the unit, "
            "not progress"))
    wo, wn = _when(old), _when(new)
    if wo is not None and wn is not None and _later(wo[1], wn[1]):
        out.append(CompareWarning(
            code=WARN_ORDER, side="old", field=[wo[0]],
            message=f"the previous assessment ({old_label}, {wo[0]} {wo[1]}) is later than "
            f"the current one ({new_label}, {wn[0]} {wn[1]}); changes are current minus "
            "previous: give the earlier file first"))
    ov = old.answered_version or old.rubric.version
    nv = new.answered_version or new.rubric.version
    if old.rubric.version != new.rubric.version or ov != nv:
        which = (f"{old_label} answers version {ov} and {new_label} version {nv}" if ov != nv
                 else f"they were scored with versions {old.rubric.version} and "
                 f"{new.rubric.version}")
        out.append(CompareWarning(
            code=WARN_VERSION, side="new",
            field=["rubric_version"] if new.answered_version else ["rubric"],
            message=f"the two assessments use different versions of `{new.rubric.id}`: "
            f"{which}; criteria matched by id may have changed meaning"))
    elif old.rubric.sha256 != new.rubric.sha256:
        out.append(CompareWarning(
            code=WARN_VERSION, side="new", field=["rubric"],
            message=f"the two assessments were scored on different contents of "
            f"`{new.rubric.id}` {new.rubric.version} (sha256 {old.rubric.sha256[:12]}… and "
            f"{new.rubric.sha256[:12]}…): the rubric changed without a new version; "
            "criteria matched by id may have changed meaning"))
    if old.profile != new.profile:
        out.append(CompareWarning(
            code=WARN_UNIT, side="new", field=["profile"],
            message=f"the two assessments answer different profiles ({old.profile} and "
            f"{new.profile}): they were asked different questions"))
    return out


def compare(old: Scorecard, new: Scorecard, *, old_label: str = "old", new_label: str = "new",
            new_path: str = "") -> Comparison:
    """Compare two scorecards of the same rubric; criteria are matched by id.

    A *regression* is a drop on the criteria assessed in both: an area whose score on
    those criteria alone (like for like) went down, or a critical criterion whose level
    went down. Criteria assessed in one of the two only change the headline scores and
    gap counts through coverage; that part is reported separately and is never a
    regression.

    Raises :class:`CyberdipError` (CD310) when the rubric ids differ: scores of
    different rubrics measure different things and cannot be subtracted.
    """
    if old.rubric.id != new.rubric.id:
        raise CyberdipError(
            f"cannot compare assessments of different rubrics: {old_label} uses "
            f"`{old.rubric.id}` and {new_label} uses `{new.rubric.id}`; compare two "
            "assessments of the same rubric", path=new_path, code="CD310", exit_code=1)

    old_c = {c.id: c for c in old.criteria}
    new_c = {c.id: c for c in new.criteria}
    added = [c.id for c in new.criteria if c.id not in old_c]
    removed = [c.id for c in old.criteria if c.id not in new_c]

    def assessed(side: dict[str, CriterionResult], cid: str) -> bool:
        c = side.get(cid)
        return c is not None and c.score is not None

    common = {cid for cid in new_c if assessed(new_c, cid) and assessed(old_c, cid)}
    newly = {cid for cid in new_c if assessed(new_c, cid) and not assessed(old_c, cid)}
    dropped = {cid for cid in old_c if assessed(old_c, cid) and not assessed(new_c, cid)}

    # like for like: the criteria assessed in both, with the current rubric's weights
    norm_old, norm_new = _normaliser(old), _normaliser(new)
    lfl_pairs: dict[str, tuple[list[tuple[float, float]], list[tuple[float, float]]]] = {}
    for c in new.criteria:
        if c.id in common:
            o_pairs, n_pairs = lfl_pairs.setdefault(c.area, ([], []))
            oc = old_c[c.id]
            o_pairs.append((norm_old(oc.level) if oc.level is not None else oc.score or 0.0,
                            c.weight))
            n_pairs.append((norm_new(c.level) if c.level is not None else c.score or 0.0,
                            c.weight))

    old_a = {a.id: a for a in old.areas}
    new_a = {a.id: a for a in new.areas}
    areas: list[AreaDelta] = []
    lfl_index: list[tuple[float, float, float]] = []  # (old, new, area weight)
    order = [a.id for a in new.areas] + [a.id for a in old.areas if a.id not in new_a]
    for aid in order:
        o, n = old_a.get(aid), new_a.get(aid)
        ref = n or o
        assert ref is not None
        o_pairs, n_pairs = lfl_pairs.get(aid, ([], []))
        lo_raw, ln_raw = _mean(o_pairs), _mean(n_pairs)
        regressed = False
        if lo_raw is not None and ln_raw is not None:
            lfl_index.append((lo_raw * 100, ln_raw * 100, ref.weight))
            regressed = ln_raw < lo_raw - 1e-12
        lfl = _like_for_like(len(o_pairs), lo_raw, ln_raw, 100)
        if o is not None and n is not None:
            delta = _delta(n.score, o.score)
            stage_delta = (n.stage - o.stage if n.stage is not None and o.stage is not None
                           else None)
            coverage_delta = _delta(n.coverage, o.coverage)
        else:
            delta = stage_delta = coverage_delta = None
        effect = delta if lfl.delta is None or delta is None else _delta(delta, lfl.delta)
        areas.append(AreaDelta(
            id=aid, title=ref.title,
            old_score=o.score if o else None, new_score=n.score if n else None,
            delta=delta, like_for_like=lfl, coverage_effect=effect,
            newly_assessed=sum(new_c[x].area == aid for x in newly),
            no_longer_assessed=sum(old_c[x].area == aid for x in dropped),
            regressed=regressed,
            old_stage=o.stage if o else None, new_stage=n.stage if n else None,
            old_stage_name=o.stage_name if o else None,
            new_stage_name=n.stage_name if n else None, stage_delta=stage_delta,
            old_coverage=o.coverage if o else None, new_coverage=n.coverage if n else None,
            coverage_delta=coverage_delta,
            presence="both" if o and n else "new-only" if n else "old-only",
        ))

    buckets: dict[str, list[CriterionDelta]] = {k: [] for k in (
        "improved", "regressed", "newly-assessed", "no-longer-assessed",
        "carried-unconfirmed")}
    unchanged = neither = 0
    for c in new.criteria:
        o = old_c.get(c.id)
        if o is None:
            continue
        change = _criterion_change(o, c)
        if c.carried is not None and change != "not-assessed":
            change = "carried-unconfirmed"  # last year's answer, not this year's
        if change in buckets:
            buckets[change].append(CriterionDelta(
                id=c.id, area=c.area, title=c.title, critical=c.critical,
                old_level=o.level, new_level=c.level, old_level_name=_said(o),
                new_level_name=_said(c), old_status=o.status, new_status=c.status,
                change=change))
        elif change == "unchanged":
            unchanged += 1
        else:
            neither += 1

    old_gaps = {g.id for g in old.gaps}
    new_gaps = {g.id for g in new.gaps}
    # Only a criterion assessed in both can open or close a gap; one assessed in the
    # current assessment alone shows a gap that was there all along, unmeasured, and one
    # no longer assessed has a gap nobody measured this time (not a closed one).
    gaps_new = [g for g in new.gaps if g.id in common and g.id not in old_gaps]
    gaps_closed = [g for g in old.gaps if g.id in common and g.id not in new_gaps]
    gaps_newly = [g for g in new.gaps if g.id in newly]
    counts = GapCounts(
        old=len(old.gaps), new=len(new.gaps),
        common_old=sum(g.id in common for g in old.gaps),
        common_new=sum(g.id in common for g in new.gaps),
        newly_assessed=len(gaps_newly),
        no_longer_assessed=sum(g.id in dropped for g in old.gaps))

    # A regression is a drop on a criterion assessed in both. An area's like-for-like
    # score can only fall through such drops, so areas are shown, not counted again.
    regressions = [
        f"{'critical ' if d.critical else ''}criterion `{d.id}` ({d.title}) went down: "
        + (f"level {d.old_level} {d.old_level_name} → {d.new_level} {d.new_level_name}"
           if d.old_level is not None and d.new_level is not None
           else f"{d.old_level_name} → {d.new_level_name}")
        for d in buckets["regressed"]
    ]

    io_raw = _mean([(x, w) for x, _, w in lfl_index])
    in_raw = _mean([(y, w) for _, y, w in lfl_index])
    index_lfl = _like_for_like(len(common), io_raw, in_raw, 1)

    return Comparison(
        rubric=new.rubric,
        versions_differ=old.rubric.version != new.rubric.version,
        warnings=_warnings(old, new, old_label, new_label),
        old=_snapshot(old, old_label), new=_snapshot(new, new_label),
        index_delta=_delta(new.index, old.index),
        index_like_for_like=index_lfl,
        stage_delta=(new.stage - old.stage if new.stage is not None and old.stage is not None
                     else None),
        coverage_delta=round(new.coverage - old.coverage, 2),
        criteria_added=added, criteria_removed=removed, areas=areas,
        improved=buckets["improved"], regressed=buckets["regressed"],
        newly_assessed=buckets["newly-assessed"],
        no_longer_assessed=buckets["no-longer-assessed"], unchanged=unchanged,
        carried=buckets["carried-unconfirmed"],
        not_assessed=neither,
        gap_counts=counts, gaps_new=gaps_new, gaps_closed=gaps_closed,
        gaps_newly_assessed=gaps_newly, regressions=regressions,
        plan_progress=plan_progress(old, new),
    )


def plan_progress(old: Scorecard, new: Scorecard) -> PlanProgress | None:
    """Where each action of ``old``'s plan stands in ``new``: due by ``new``'s reference
    date or not, its status (``new``'s when it gives one), and whether the criterion
    reached the level planned (``old``'s target) in ``new``."""
    import datetime as dt

    if not old.plan:
        return None
    ref = dt.date.fromisoformat(new.plan_as_of) if new.plan_as_of else None
    now = {c.id: c for c in new.criteria}
    later = {i.id: i for i in new.plan}
    items = []
    for i in old.plan:
        c = now.get(i.id)
        level = c.level if c is not None else None
        then = (dt.date.fromisoformat(i.due_by) <= ref if i.due_by and ref is not None
                else False if i.due is None else None)
        status = (later[i.id].status if i.id in later and later[i.id].status is not None
                  else i.status)
        items.append(PlanProgressItem(
            id=i.id, title=i.title, action=i.action, own_action=i.own_action, owner=i.owner,
            due=i.due, due_by=i.due_by, due_by_then=then, status=status,
            status_before=i.status, planned_level=i.target, level_now=level,
            reached=(level >= i.target if level is not None and i.target is not None
                     else None)))
    due = [x for x in items if x.due_by_then]
    return PlanProgress(as_of=new.plan_as_of, items=items, due=len(due),
                        done=sum(x.status == "done" for x in due),
                        not_done=sum(x.status not in ("done", "dropped") for x in due),
                        reached=sum(x.reached is True for x in items))


# -- aggregate ----------------------------------------------------------------------------


class AreaRef(_Out):
    id: str
    title: str
    weight: float


class UnitRow(_Out):
    """One assessment in the league table."""

    rank: int | None = Field(description="Its place by index among the units at or above "
                             "the portfolio's `min_coverage`; None for a unit below it, "
                             "listed after the ranked ones and not ranked.")
    label: str
    organisation: str
    unit: str | None
    country: str | None
    period: str | None
    path: str
    index: float | None
    index_range: IndexRange | None = Field(None, description="Where the index could end "
                                           "once every unanswered criterion is answered: "
                                           "the unit's scorecard's `index_range`.")
    stage: int | None
    stage_name: str | None
    band: str | None = None
    coverage: float
    provisional: bool
    areas: list[float | None]


class StageCount(_Out):
    """How many units are at one stage ("71 of 120 at stage 0")."""

    stage: int | None = Field(description="None: units with no stage yet.")
    stage_name: str | None
    units: int
    provisional: int = Field(description="How many of them are below `min_coverage`.")


class AreaStats(_Out):
    id: str
    title: str
    units: int
    min: float | None
    q1: float | None
    median: float | None
    q3: float | None
    max: float | None


class Weakness(_Out):
    id: str
    area: str
    title: str
    critical: bool
    units_weak: int
    units_assessed: int
    share: float
    next_level: int | None
    next_name: str | None
    recommendation: str | None
    sources: list[CitationOut]


class Portfolio(_Out):
    """Many assessments of one rubric side by side."""

    rubric: RubricRef
    labels: Labels
    profile: str | None = None
    bands: list[BandOut] = Field(default_factory=list)
    units: int
    quartile_method: str
    weak_at: int
    areas: list[AreaRef]
    min_coverage: float = Field(DEFAULT_MIN_COVERAGE, description="Units at or above this "
                                "coverage are ranked; the others are listed below them, "
                                "provisional and not ranked.")
    ranked: int = Field(0, description="How many units are ranked.")
    stages: list[StageCount] = Field(default_factory=list, description="Units per stage, "
                                     "lowest stage first, units with no stage last.")
    table: list[UnitRow]
    area_stats: list[AreaStats]
    index_stats: AreaStats
    weaknesses: list[Weakness]
    weaknesses_total: int


def quartiles(values: list[float]) -> tuple[float, float, float, float, float] | None:
    """(min, q1, median, q3, max) with ``statistics.quantiles(method="inclusive")``.

    "inclusive" treats the data as the whole population (the same as numpy's
    default linear interpolation). One value gives that value five times.
    """
    if not values:
        return None
    data = sorted(values)
    if len(data) == 1:
        v = data[0]
        return v, v, v, v, v
    q1, med, q3 = statistics.quantiles(data, n=4, method=QUARTILE_METHOD)
    return data[0], round(q1, 2), round(med, 2), round(q3, 2), data[-1]


def unit_label(card: Scorecard) -> str:
    return card.organisation.unit or card.organisation.name


class UnitSummary(NamedTuple):
    """What a portfolio keeps of one scorecard: small, and cheap to pickle.

    ``criteria`` holds, per criterion in rubric order, ``(level, next_level,
    next_name, recommendation)`` with the last three set only for weak levels;
    ``meta`` describes the rubric (areas and criteria) so a summary can start a
    portfolio without the scorecard; it is the same for every summary of one
    rubric, so it may be left out (None) once the builder has seen it.
    """

    path: str
    #: (id, version, profile, title, sha256, bands, labels): the first three are the
    #: portfolio's key, since a profile asks its own set of questions
    rubric: tuple
    row: tuple
    criteria: tuple
    meta: tuple | None


_ROW_KEYS = ("label", "organisation", "unit", "country", "period", "path", "index",
             "index_range", "stage", "stage_name", "band", "coverage", "provisional", "areas")


def summarise(path: str, card: Scorecard | LeanCard, *, weak_at: int = WEAK_AT,
              with_meta: bool = True) -> UnitSummary:
    """Reduce a scorecard to what :class:`PortfolioBuilder` needs; a ``LeanCard``
    (``scoring.score_lean``) has every field read here, with the same values."""
    org = card.organisation
    span = card.index_range
    row = (unit_label(card), org.name, org.unit, org.country, card.period, path, card.index,
           (span.low, span.high) if span is not None else None,
           card.stage, card.stage_name, card.band.name if card.band else None, card.coverage,
           card.provisional,
           tuple(a.score for a in card.areas))
    gaps = {g.id: g for g in card.gaps} if card.gaps else {}
    crit = []
    for c in card.criteria:
        lv = c.level
        if lv is None or lv > weak_at:
            crit.append((lv, None, None, None))
            continue
        g = gaps.get(c.id)
        if g is not None:
            crit.append((lv, g.next_level, g.next_name, g.recommendation or c.next_descriptor))
        else:
            crit.append((lv, c.next_level, None, c.next_descriptor))
    meta = (
        tuple((a.id, a.title, a.weight) for a in card.areas),
        tuple((c.id, c.area, c.title, c.critical,
               tuple((s.ref, s.citation, s.section, s.topic) for s in c.sources))
              for c in card.criteria),
    ) if with_meta else None
    r = card.rubric
    rubric = (r.id, r.version, card.profile, r.title, r.sha256,
              tuple((b.name, b.min, b.meaning) for b in card.bands),
              (card.labels.index, card.labels.stage))
    return UnitSummary(path, rubric, row, tuple(crit), meta)


def portfolio_key(s: UnitSummary | Scorecard | LeanCard) -> tuple:
    """What every unit of one portfolio shares: rubric id, version and profile."""
    if isinstance(s, UnitSummary):
        return tuple(s.rubric[:3])
    return (s.rubric.id, s.rubric.version, s.profile)


class _Weak:
    """Running counts for one criterion across units."""

    __slots__ = ("assessed", "weak", "next_levels", "recs")

    def __init__(self) -> None:
        self.assessed = 0
        self.weak = 0
        self.next_levels: Counter[int] = Counter()
        self.recs: dict[int, tuple[str | None, str | None]] = {}


class PortfolioBuilder:
    """Add scorecards (or their summaries) one at a time; then ``build``.

    Every one must be of the same rubric id and version as the first; the
    caller checks that with :meth:`accepts` (it owns the messages).
    """

    def __init__(self, *, weak_at: int = WEAK_AT) -> None:
        self.weak_at = weak_at
        self.rubric: RubricRef | None = None
        self.areas: list[AreaRef] = []
        self._rows: list[dict] = []
        self._area_scores: list[list[float]] = []
        self._ids: list[str] = []
        self._crit: list[_Weak] = []
        self._meta: list[tuple] = []
        self._metas: dict[tuple, tuple] = {}
        self._about: tuple = ()

    def note(self, s: UnitSummary) -> None:
        """Remember the rubric description a summary carries (even one left out)."""
        if s.meta is not None:
            self._metas.setdefault(portfolio_key(s), s.meta)

    def knows(self, s: UnitSummary) -> bool:
        """True when ``s`` can be added: it carries its rubric description, or one of
        the same rubric was seen before."""
        return s.meta is not None or portfolio_key(s) in self._metas

    def accepts(self, key: tuple | Scorecard | LeanCard | UnitSummary) -> bool:
        if isinstance(key, Scorecard | LeanCard | UnitSummary):
            key = portfolio_key(key)
        return self.rubric is None or tuple(key) == self._key

    @property
    def _key(self) -> tuple:
        return self._about[:3]

    def add(self, path: str, card: Scorecard) -> None:
        self.add_summary(summarise(path, card, weak_at=self.weak_at))

    def add_summary(self, s: UnitSummary) -> None:
        self.note(s)
        if self.rubric is None:
            if not self.knows(s):
                raise ValueError("the first summary of a rubric must describe it")
            rid, version, _profile, title, sha, _bands, _labels = s.rubric
            self._about = tuple(s.rubric)
            self.rubric = RubricRef(id=rid, version=version, title=title, sha256=sha)
            areas, crits = self._metas[portfolio_key(s)]
            self.areas = [AreaRef(id=a, title=t, weight=w) for a, t, w in areas]
            self._area_scores = [[] for _ in areas]
            self._ids = [c[0] for c in crits]
            self._meta = list(crits)
            self._crit = [_Weak() for _ in crits]
        elif not self.accepts(s):
            raise ValueError("a summary of another rubric")  # the caller checks first
        row = dict(zip(_ROW_KEYS, s.row, strict=True))
        if row["index_range"] is not None:
            low, high = row["index_range"]
            row["index_range"] = {"low": low, "high": high}
        scores = row["areas"] = list(row["areas"])
        for bucket, v in zip(self._area_scores, scores, strict=True):
            if v is not None:
                bucket.append(v)
        self._rows.append(row)
        for w, (lv, nxt, name, rec) in zip(self._crit, s.criteria, strict=True):
            if lv is None:
                continue
            w.assessed += 1
            if lv <= self.weak_at:
                w.weak += 1
                if nxt is not None:
                    w.next_levels[nxt] += 1
                    if nxt not in w.recs or (w.recs[nxt][0] is None and name is not None):
                        w.recs[nxt] = (name, rec)

    def build(self, *, top: int = 10, min_coverage: float = DEFAULT_MIN_COVERAGE
              ) -> Portfolio:
        """The portfolio. Only units at or above ``min_coverage`` are ranked; the rest
        follow them in the table, in the same order, with no rank."""
        if self.rubric is None:
            raise ValueError("nothing added")
        rows = sorted(self._rows, key=lambda r: (
            r["coverage"] < min_coverage, r["index"] is None, -(r["index"] or 0.0),
            r["label"], r["path"]))
        table: list[UnitRow] = []
        rank = 0
        prev: object = object()
        ranked = 0
        for i, r in enumerate(rows, 1):
            # provisional is this portfolio's rule, whatever the unit was scored with
            r = {**r, "provisional": r["coverage"] < min_coverage}
            if r["provisional"]:
                table.append(UnitRow(rank=None, **r))
                continue
            ranked += 1
            if r["index"] != prev:
                rank, prev = i, r["index"]
            table.append(UnitRow(rank=rank, **r))
        per_stage: dict[int | None, list[dict]] = {}
        for r in rows:
            per_stage.setdefault(r["stage"], []).append(r)
        stages = [StageCount(stage=st, stage_name=rs[0]["stage_name"], units=len(rs),
                             provisional=sum(r["coverage"] < min_coverage for r in rs))
                  for st, rs in sorted(per_stage.items(),
                                       key=lambda kv: (kv[0] is None, kv[0] or 0))]

        stats = [_stats(a.id, a.title, vals) for a, vals in zip(self.areas, self._area_scores,
                                                                  strict=True)]
        index_stats = _stats("index", "Index", [r["index"] for r in rows
                                                if r["index"] is not None])
        weak: list[Weakness] = []
        for w, (cid, area, title, critical, sources) in zip(self._crit, self._meta, strict=True):
            if not w.weak:
                continue
            nxt = (min(w.next_levels, key=lambda lv: (-w.next_levels[lv], lv))
                   if w.next_levels else None)
            name, rec = w.recs[nxt] if nxt is not None else (None, None)
            weak.append(Weakness(
                id=cid, area=area, title=title, critical=critical, units_weak=w.weak,
                units_assessed=w.assessed, share=round(100 * w.weak / len(rows), 1),
                next_level=nxt, next_name=name, recommendation=rec,
                sources=[CitationOut(ref=r, citation=c, section=sec, topic=t)
                         for r, c, sec, t in sources]))
        weak.sort(key=lambda x: (-x.units_weak, not x.critical, x.id))
        _rid, _version, profile, _title, _sha, bands, (index_label, stage_label) = self._about
        return Portfolio(
            rubric=self.rubric, labels=Labels(index=index_label, stage=stage_label),
            profile=profile,
            bands=[BandOut(name=n, min=m, meaning=mean) for n, m, mean in bands],
            units=len(rows), quartile_method=QUARTILE_METHOD,
            weak_at=self.weak_at, areas=self.areas, min_coverage=min_coverage,
            ranked=ranked, stages=stages, table=table, area_stats=stats,
            index_stats=index_stats, weaknesses=weak[:top], weaknesses_total=len(weak),
        )


def _stats(aid: str, title: str, values: list[float]) -> AreaStats:
    q = quartiles(values)
    if q is None:
        return AreaStats(id=aid, title=title, units=0, min=None, q1=None, median=None, q3=None,
                         max=None)
    lo, q1, med, q3, hi = q
    return AreaStats(id=aid, title=title, units=len(values), min=lo, q1=q1, median=med, q3=q3,
                     max=hi)


def aggregate(cards: list[tuple[str, Scorecard]], *, top: int = 10,
              weak_at: int = WEAK_AT, min_coverage: float = DEFAULT_MIN_COVERAGE
              ) -> Portfolio:
    """A portfolio of ``(path, scorecard)`` pairs, all of one rubric (see the builder)."""
    b = PortfolioBuilder(weak_at=weak_at)
    for path, card in cards:
        b.add(path, card)
    return b.build(top=top, min_coverage=min_coverage)
