"""The answer a reader wants first, computed once for every format: why the stage is
what it is, what would lift it, the steps that would raise it (the stage plan), the
other gaps, and what the headline cannot say in one figure (the outlook).

The HTML report's first screen, the one-page brief (HTML and PDF) and the PDF report
all take these from here, so they can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    #: areas with nothing assessed and no stage: they do not count towards the stage
    #: (under ``unanswered: lowest`` an area whose stage-setting criteria are blank has
    #: stage 0, and counts)
    unassessed_areas: list[str]
    #: criteria that gate the stage but are not answered: under ``unanswered: lowest``
    #: each counts at the lowest level, so it holds the stage down until it is answered
    blanks: list[Holder] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many criteria must rise for the stage to rise: the holders and blanks."""
        return len(self.holders) + len(self.blanks)


def stage_reason(card: Scorecard) -> StageReason:
    titles = {c.id: c for c in card.criteria}
    names = {s.level: s.name for s in card.scale}
    holders, blanks = [], []
    for a in card.areas:
        if a.stage is None or a.stage != card.stage:
            continue
        for cid in a.gating:
            c = titles.get(cid)
            if c is None:
                continue
            if c.level is None and card.stage_gate != "practices":
                if c.status == "not-assessed":
                    blanks.append(Holder(cid, c.title, a.id, a.title, card.stage,
                                         "not answered", True))
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
                       [a.title for a in card.areas
                       if a.score is None and a.stage is None], blanks)


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
    """The criteria that set the stage, as the engine counts them for the headline
    (``engine.outlook.stage_setters``, docs/scoring.md): never one of a context area,
    never an N/A one, and none when the rubric has no stage."""
    from cyberdip.engine.outlook import stage_setters

    context = {a.id for a in card.areas if a.context}
    gate = card.stage_gate if card.scale else "none"
    by_area: dict[str, list] = {}
    for c in card.criteria:
        if c.area not in context:
            by_area.setdefault(c.area, []).append(c)
    return {r.id for rows in by_area.values() for r in stage_setters(gate, rows)}


def discussion(card: Scorecard) -> Discussion | None:
    """A merged assessment's disagreement (None for any other assessment)."""
    m = card.merge
    if m is None:
        return None
    gating = stage_setting(card)
    pending = [s.id for s in m.criteria if s.needs_discussion]
    return Discussion(len(m.respondents), m.disagreements, pending,
                      [cid for cid in pending if cid in gating])

@dataclass(frozen=True)
class StageList:
    """The stage plan as every report shows it: the steps that raise the stage (or the
    blanks to answer first), and the other gaps under their own heading."""

    #: ``rise``, ``blocked``, ``top``, ``target`` or ``none`` (``docs/scoring.md``)
    status: str
    next_stage: int | None
    next_stage_name: str | None
    steps: list[Any]
    #: the gaps that are not steps of the list, by priority
    others: list[Gap]


def stage_list(card: Scorecard, n_other: int = 5) -> StageList:
    """The stage plan of ``card``, and up to ``n_other`` other gaps by priority (a
    scorecard written before the plan existed has none: its gaps are all "other")."""
    plan = getattr(card, "stage_plan", None)
    if plan is None:
        return StageList("none", None, None, [], list(card.gaps[:n_other]))
    names = {s.level: s.name for s in card.scale}
    ids = {s.id for s in plan.steps}
    others = [g for g in card.gaps if g.id not in ids][:n_other]
    return StageList(plan.status, plan.next_stage, names.get(plan.next_stage)
                     if plan.next_stage is not None else None, list(plan.steps), others)


@dataclass(frozen=True)
class Outlook:
    """What the headline cannot say in one figure: the range the index could end in,
    the stage-setting criteria still blank, and the rule for blanks when it lets them
    out of the stage."""

    #: (low, high) while coverage is below 100% and the range is known
    index_range: tuple[float, float] | None
    #: (not answered, of how many) when some criteria set the stage
    setting: tuple[int, int] | None
    #: True when blanks are left out of the stage (``unanswered: ignore``)
    blanks_ignored: bool


def outlook(card: Scorecard) -> Outlook:
    r = getattr(card, "index_range", None)
    rng = ((r.low, r.high) if r is not None and r.low is not None and r.high is not None
           and card.coverage < 100 else None)
    s = getattr(card, "stage_setting", None)
    staged = card.stage_gate != "none"
    setting = (s.not_assessed, s.criteria) if s is not None and s.criteria and staged else None
    return Outlook(rng, setting, staged and card.unanswered == "ignore")


def outlook_lines(card: Scorecard) -> list[str]:
    """The outlook in plain English sentences (text and CSV outputs)."""
    o, out = outlook(card), []
    if o.index_range:
        out.append(f"Once everything is answered, the index could end anywhere between "
                   f"{o.index_range[0]:.2f} and {o.index_range[1]:.2f}.")
    if o.setting and o.setting[0]:
        verb = "is" if o.setting[0] == 1 else "are"
        out.append(f"{o.setting[0]} of the {o.setting[1]} criteria that set the stage "
                   f"{verb} not answered yet.")
    if o.blanks_ignored:
        out.append("Unanswered criteria are left out of the stage (rule: ignore).")
    return out


def plan_heading(plan: StageList) -> str | None:
    """The stage list's heading in plain English (None when there is no list), or the
    sentence that says why there is none."""
    n = len(plan.steps)
    if plan.status == "rise" and n:
        return (f"The {'step' if n == 1 else f'{n} steps'} that would raise the stage to "
                f"{plan.next_stage} ({plan.next_stage_name})")
    if plan.status == "blocked":
        return (f"Answer {'this criterion' if n == 1 else f'these {n} criteria'} first: "
                f"{'it sets' if n == 1 else 'they set'} the stage, and until "
                f"{'it is' if n == 1 else 'they are'} answered the stage cannot rise")
    if plan.status == "target":
        return "The stage is at its targets: raising it would take steps beyond them."
    if plan.status == "top" and plan.next_stage is not None:
        return ("No step can raise the stage: a criterion that holds it is at the highest "
                "level it can reach.")
    return None
