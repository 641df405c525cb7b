"""Years side by side (``cyberdip trend``): three or more assessments of one unit as a
time series. Pure: no I/O.

Each point is one assessment: its index with the range the index could still take
(``index_range``), its stage, coverage and each area's score. Every point after the
first also carries the change from the point before it, made by the two-way
:func:`cyberdip.engine.compare.compare` (so a series agrees with ``compare`` on every
pair), and that comparison's warnings: a rubric version that changed between the two
years, or a different profile.

The order is time, never the order the files were given in: an assessment's time is
its ``date`` (an ISO date), else the leading four-digit year of its ``date`` or of its
``period``. Two assessments of one year are told apart only by two different ISO dates;
anything else is a tie. A series is refused (:func:`refusals`) when an assessment has no
time (CD725), two fall at the same time (CD726), they are of different organisations or
units (CD727), or of different rubrics (CD310, as ``compare`` refuses them).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import Field

from cyberdip.engine.compare import (
    AreaRef,
    CompareWarning,
    Comparison,
    LikeForLike,
    Snapshot,
    _Out,
    _same,
    _snapshot,
    compare,
)
from cyberdip.engine.scoring import Labels, RubricRef, Scorecard
from cyberdip.errors import CyberdipError
from cyberdip.model.scorecard import IndexRange

UNDATED = "CD725"
TIE = "CD726"
MIXED_UNITS = "CD727"
DIFFERENT_RUBRIC = "CD310"

#: How a series is ordered, in the words every output prints.
ORDER_RULE = ("ordered by each assessment's date, else the year its period starts with; "
              "the order the files are given in does not matter")

_YEAR = re.compile(r"^\s*(\d{4})(?!\d)")


class When(_Out):
    """Where an assessment falls in time, and which field said so."""

    field: Literal["date", "period"]
    value: str = Field(description="The field's value as written.")
    year: int
    date: str | None = Field(description="The ISO date, when `date` is one.")


def when(card: Scorecard) -> When | None:
    """The assessment's time: its ISO ``date``, else the leading year of ``date`` or of
    ``period``; None when neither gives a year."""
    if card.date:
        try:
            d = dt.date.fromisoformat(card.date)
            return When(field="date", value=card.date, year=d.year, date=d.isoformat())
        except ValueError:
            m = _YEAR.match(card.date)
            if m:
                return When(field="date", value=card.date, year=int(m.group(1)), date=None)
    if card.period:
        m = _YEAR.match(card.period)
        if m:
            return When(field="period", value=card.period, year=int(m.group(1)), date=None)
    return None


def _key(w: When) -> tuple[int, str]:
    return (w.year, w.date or "")


class SeriesRefusal(_Out):
    """Why the assessments given cannot make one series. ``item`` is the position of the
    file in the list given; ``field`` the place in it (the CLI makes a line and column)."""

    code: str
    item: int
    field: list[str]
    message: str


def refusals(items: list[tuple[str, Scorecard]]) -> list[SeriesRefusal]:
    """Every reason the ``(label, scorecard)`` pairs cannot make one series (empty: they
    can). Each file is named, so one bad file does not hide the next."""
    out: list[SeriesRefusal] = []
    if not items:
        return out
    first_label, first = items[0]
    for i, (label, card) in enumerate(items[1:], 1):
        if card.rubric.id != first.rubric.id:
            out.append(SeriesRefusal(
                code=DIFFERENT_RUBRIC, item=i, field=["rubric"],
                message=f"cannot put assessments of different rubrics in one series: "
                f"{first_label} uses `{first.rubric.id}` and {label} uses "
                f"`{card.rubric.id}`; a series is of one rubric"))
        a, b = first.organisation, card.organisation
        if not (_same(a.name, b.name) and _same(a.unit, b.unit)):
            def who(o: Any) -> str:
                return f"“{o.name}" + (f", {o.unit}" if o.unit else "") + "”"
            out.append(SeriesRefusal(
                code=MIXED_UNITS, item=i,
                field=["organisation", "name" if not _same(a.name, b.name) else "unit"],
                message=f"a series is of one unit: {first_label} is of {who(a)} and {label} "
                f"of {who(b)}; put different units side by side with `cyberdip aggregate`"))
    times: list[tuple[int, When]] = []
    for i, (label, card) in enumerate(items):
        w = when(card)
        if w is None:
            out.append(SeriesRefusal(
                code=UNDATED, item=i, field=["period"] if card.period else ["date"],
                message=f"{label} has no date: a series is ordered by time, and this "
                "assessment has neither a `date` nor a `period` that starts with a year; "
                "add `date: YYYY-MM-DD`"))
        else:
            times.append((i, w))
    for k, (i, w) in enumerate(times):
        for j, v in times[:k]:
            if w.year == v.year and (w.date is None or v.date is None or w.date == v.date):
                out.append(SeriesRefusal(
                    code=TIE, item=i, field=[w.field],
                    message=f"{items[i][0]} ({w.field} {w.value}) and {items[j][0]} "
                    f"({v.field} {v.value}) fall at the same time, so the series cannot "
                    "order them; give each a different `date: YYYY-MM-DD`, or leave one "
                    "out"))
                break
    return out


class SeriesArea(_Out):
    """One area in one year."""

    id: str
    score: float | None = Field(description="None: nothing assessed, or the area is not "
                                "in this year's rubric version.")
    stage: int | None
    stage_name: str | None
    coverage: float | None
    delta: float | None = Field(description="The change from the point before (two-way "
                                "`compare`'s area delta); None for the first point.")


class Step(_Out):
    """The change from the point before, as the two-way ``compare`` gives it."""

    index_delta: float | None
    index_like_for_like: LikeForLike
    stage_delta: int | None
    coverage_delta: float
    improved: int
    regressed: int
    regressions: list[str]


class SeriesPoint(_Out):
    """One assessment of the series."""

    item: int = Field(description="The file's position in the list given (0: the first).")
    when: When
    snapshot: Snapshot
    index_range: IndexRange | None = Field(description="Where the index could end once "
                                           "every unanswered criterion is answered.")
    carried_unconfirmed: int
    illustrative: bool = Field(description="The assessment says it is made-up example "
                               "data (`illustrative: true`).")
    areas: list[SeriesArea] = Field(description="In the order of the series' `areas`.")
    step: Step | None = Field(description="None for the first point.")
    warnings: list[CompareWarning] = Field(description="Against the point before: side "
                                           "`old` is that point, `new` this one.")
    plan: dict[str, Any] | None = Field(
        None, description="Progress against the previous year's action plan: the two-way "
        "comparison's `plan_progress`; null for the first year and when the year before "
        "has no plan.")


class Series(_Out):
    """Assessments of one unit and one rubric, in time order."""

    rubric: RubricRef = Field(description="The latest point's rubric.")
    labels: Labels
    organisation: str
    unit: str | None
    order: str = Field(description="How the points are ordered.")
    stage_gate: str
    top_stage: int | None = Field(description="The highest level of the latest point's "
                                  "scale: the top of the stage marks.")
    areas: list[AreaRef] = Field(description="The latest rubric's areas, then any area "
                                 "only earlier versions have.")
    points: list[SeriesPoint]
    versions_differ: bool


def plan_progress(step: Comparison) -> dict[str, Any] | None:
    """The progress against the year before's action plan, as the two-way comparison
    gives it (``Comparison.plan_progress``); None when that year has no plan."""
    plan = step.plan_progress
    return None if plan is None else plan.model_dump(mode="json")


def series(items: list[tuple[str, Scorecard]], *, paths: list[str] | None = None) -> Series:
    """The series of ``(label, scorecard)`` pairs, ordered by time.

    Raises :class:`CyberdipError` with the first refusal when there is one; callers that
    report every problem call :func:`refusals` first.
    """
    if len(items) < 2:
        raise ValueError("a series needs at least two assessments")
    bad = refusals(items)
    if bad:
        r = bad[0]
        path = paths[r.item] if paths else ""
        raise CyberdipError(r.message, path=path, code=r.code, exit_code=1)
    stamped = []
    for i, (label, card) in enumerate(items):
        w = when(card)
        assert w is not None  # refusals() said so
        stamped.append((w, i, label, card))
    stamped.sort(key=lambda t: _key(t[0]))

    latest = stamped[-1][3]
    area_ids = [a.id for a in latest.areas]
    refs = {a.id: AreaRef(id=a.id, title=a.title, weight=a.weight) for a in latest.areas}
    for _, _, _, card in reversed(stamped[:-1]):
        for a in card.areas:
            if a.id not in refs:
                refs[a.id] = AreaRef(id=a.id, title=a.title, weight=a.weight)
                area_ids.append(a.id)

    points: list[SeriesPoint] = []
    for k, (w, item, label, card) in enumerate(stamped):
        step: Step | None = None
        deltas: dict[str, float | None] = {}
        warnings: list[CompareWarning] = []
        plan = None
        if k:
            _, _, prev_label, prev = stamped[k - 1]
            c = compare(prev, card, old_label=prev_label, new_label=label)
            step = Step(index_delta=c.index_delta, index_like_for_like=c.index_like_for_like,
                        stage_delta=c.stage_delta, coverage_delta=c.coverage_delta,
                        improved=len(c.improved), regressed=len(c.regressed),
                        regressions=c.regressions)
            deltas = {a.id: a.delta for a in c.areas}
            warnings = c.warnings
            plan = plan_progress(c)
        own = {a.id: a for a in card.areas}
        areas = []
        for aid in area_ids:
            a = own.get(aid)
            areas.append(SeriesArea(
                id=aid, score=a.score if a else None, stage=a.stage if a else None,
                stage_name=a.stage_name if a else None, coverage=a.coverage if a else None,
                delta=deltas.get(aid)))
        points.append(SeriesPoint(
            item=item, when=w, snapshot=_snapshot(card, label), index_range=card.index_range,
            carried_unconfirmed=card.carried.unconfirmed, illustrative=card.illustrative,
            areas=areas, step=step,
            warnings=warnings, plan=plan))

    levels = [s.level for s in latest.scale]
    return Series(
        rubric=latest.rubric, labels=latest.labels, organisation=latest.organisation.name,
        unit=latest.organisation.unit, order=ORDER_RULE, stage_gate=latest.stage_gate,
        top_stage=max(levels) if levels else None, areas=[refs[a] for a in area_ids],
        points=points,
        versions_differ=len({p.snapshot.rubric_version for p in points}) > 1)
