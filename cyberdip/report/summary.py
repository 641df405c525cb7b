"""The answer a reader wants first, computed once for every format: why the stage is
what it is, what would lift it, and the actions that would raise it soonest.

The HTML report's first screen, the one-page brief (HTML and PDF) and the PDF report
all take these from here, so they can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only: a scorecard's report need not import the engine
    from cyberdip.engine.scoring import Gap, Scorecard


@dataclass(frozen=True)
class Holder:
    """A criterion that holds an area's stage down: it sits at the area's stage."""

    id: str
    title: str
    area: str
    area_title: str
    level: int
    level_name: str
    #: True when this area's stage is the overall stage (lifting it lifts the stage).
    binding: bool


@dataclass(frozen=True)
class StageReason:
    """Why the overall stage is what it is, and what would lift it."""

    stage: int | None
    stage_name: str | None
    #: the next level up and its name; None at the top of the scale or with no stage
    next_stage: int | None
    next_stage_name: str | None
    #: the criteria at the overall stage in the areas at the overall stage: every one of
    #: them must reach ``next_stage`` for the stage to rise
    holders: list[Holder]
    #: areas with nothing assessed: they do not count towards the stage
    unassessed_areas: list[str]


def stage_reason(card: Scorecard) -> StageReason:
    titles = {c.id: c for c in card.criteria}
    names = {s.level: s.name for s in card.scale}
    holders = []
    for a in card.areas:
        if a.stage is None or a.stage != card.stage:
            continue
        for cid in a.gating:
            c = titles.get(cid)
            if c is None:
                continue
            if c.level is None and card.stage_gate != "practices":
                continue
            # under the practices gate the holders are the practices of the next stage not
            # yet performed (a choice answer has no level: its answer is said instead)
            level = c.level if c.level is not None else card.stage
            holders.append(Holder(cid, c.title, a.id, a.title, level,  # type: ignore[arg-type]
                                  c.level_name or c.answer_name or "not answered", True))
    nxt = None if card.stage is None else card.stage + 1
    if nxt is not None and nxt not in names:
        nxt = None
    return StageReason(card.stage, card.stage_name, nxt, names.get(nxt) if nxt is not None
                       else None, holders,
                       [a.title for a in card.areas if a.score is None])


def lift_actions(card: Scorecard, n: int = 5) -> list[Gap]:
    """The ``n`` gaps whose closing would raise the stage soonest.

    First the gaps of the criteria that hold the overall stage down (the gating
    criteria of the areas at the overall stage): the stage cannot rise until each of
    them moves. Then the gating criteria of the other areas, lowest area stage first,
    since they hold the next stage after that. Then every other gap, critical first,
    then by the roadmap's priority. Within a group the roadmap's order is kept.
    """
    area_stage = {a.id: a.stage for a in card.areas}
    gating = {cid: a.id for a in card.areas for cid in a.gating}
    order = {g.id: i for i, g in enumerate(card.gaps)}

    def key(g: Gap) -> tuple:
        if g.id in gating:
            st = area_stage.get(gating[g.id])
            tier = 0 if st is not None and st == card.stage else 1
            return (tier, st if st is not None else 99, order[g.id])
        return (2, 0 if g.critical else 1, order[g.id])

    return sorted(card.gaps, key=key)[:n]


def band_label(card: Any) -> str | None:
    """The index's band, when the scorecard has one (a rubric may define bands; this
    scorecard version may not carry the field at all): its name, or None."""
    band = getattr(card, "band", None)
    if band is None:
        return None
    if isinstance(band, str):
        return band
    for attr in ("name", "label", "title"):
        v = getattr(band, attr, None)
        if isinstance(v, str):
            return v
    return str(band)


@dataclass(frozen=True)
class Discussion:
    """Where the respondents of a merged assessment disagree, for the first screen and
    the brief: the criteria set to the lowest answer given pending discussion, and
    which of them set the stage."""

    respondents: int
    #: criteria whose levels differ at all
    disagreements: int
    #: the ids of the criteria whose spread is above ``discuss_above``: their merged
    #: answer is the lowest level given, until the group agrees
    pending: list[str]
    #: of ``pending``, the criteria that set the stage (``stage_setting``)
    stage_setting: list[str]


def stage_setting(card: Scorecard) -> set[str]:
    """The criteria that set the stage: under the `critical` gate the critical criteria
    of each area (all of an area's criteria when it has none), under `all` every
    criterion, under `practices` every criterion with a stage; never one of a context
    area, and none when the rubric has no stage."""
    context = {a.id for a in card.areas if a.context}
    out: set[str] = set()
    if card.stage_gate == "none":
        return out
    by_area: dict[str, list] = {}
    for c in card.criteria:
        if c.area not in context:
            by_area.setdefault(c.area, []).append(c)
    for crits in by_area.values():
        if card.stage_gate == "practices":
            out |= {c.id for c in crits if c.stage is not None}
        elif card.stage_gate == "critical" and any(c.critical for c in crits):
            out |= {c.id for c in crits if c.critical}
        else:
            out |= {c.id for c in crits}
    return out


def discussion(card: Scorecard) -> Discussion | None:
    """A merged assessment's disagreement (None for any other assessment)."""
    m = card.merge
    if m is None:
        return None
    gating = stage_setting(card)
    pending = [s.id for s in m.criteria if s.needs_discussion]
    return Discussion(len(m.respondents), m.disagreements, pending,
                      [cid for cid in pending if cid in gating])
