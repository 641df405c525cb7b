"""The action plan: what the ministry will do about each criterion below its target.

Pure: a scored assessment's criteria and gaps, its answers and a reference date in,
the plan's items out. ``docs/scoring.md`` ("The action plan") states the rules:

* One item per criterion that has a gap (``gaps``), and per criterion whose answer
  writes any of ``action``, ``owner``, ``due`` or ``status``, in the rubric's order.
* The action is the ministry's own ``action``; else the gap's ``actions`` joined as
  one text (:func:`cyberdip.model.rubric.join_indicators`); else none.
* ``due`` is judged by the last day it allows (:func:`due_by`): a date itself; the
  last day of a quarter (``2025-Q3``), a half (``2025-H2``), a month (``2025-09``) or a
  year (``2025``). Other text is shown as written and not judged.
* ``overdue``: the last day is before the reference date and the status is neither
  done nor dropped. The reference date is the one stale evidence is judged against
  (:func:`cyberdip.engine.scoring.reference_date`), passed in as ``ref``; with none,
  nothing is judged (``overdue`` is None wherever a ``due`` is given).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from cyberdip.model.assessment import PLAN_STATUSES, Answer
from cyberdip.model.rubric import Rubric, join_indicators
from cyberdip.model.scorecard import CriterionResult, Gap, PlanItem

#: The statuses that close an action: it is never overdue.
CLOSED = ("done", "dropped")
#: An answer's keys that make a plan item even without a gap.
PLAN_FIELDS = ("action", "owner", "due", "status")

_PERIOD = re.compile(r"^(\d{4})(?:-(?:(Q[1-4])|(H[12])|(0[1-9]|1[0-2])))?$", re.IGNORECASE)

__all__ = ["CLOSED", "PLAN_FIELDS", "PLAN_STATUSES", "as_date", "build", "due_by",
           "is_overdue", "summary"]


def as_date(value: Any) -> dt.date | None:
    """A date written as a YAML date or as ``YYYY-MM-DD`` text; None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def due_by(due: Any) -> dt.date | None:
    """The last day ``due`` allows: the date itself, or the last day of the quarter
    (``2025-Q3``), half (``2025-H2``), month (``2025-09``) or year (``2025``) it names,
    case and surrounding spaces aside; None for any other text."""
    day = as_date(due)
    if day is not None or due is None:
        return day
    m = _PERIOD.match(str(due).strip())
    if m is None:
        return None
    year = int(m.group(1))
    if m.group(2):
        month = 3 * int(m.group(2)[1])
    elif m.group(3):
        month = 6 * int(m.group(3)[1])
    elif m.group(4):
        month = int(m.group(4))
    else:
        month = 12
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def is_overdue(due: Any, status: str | None, ref: dt.date | None) -> bool | None:
    """False with no ``due`` or a closed status; None when it cannot be judged (no
    reference date, or a due that names no day); else whether the due's last day is
    before ``ref``."""
    if due is None or status in CLOSED:
        return False
    last = due_by(due)
    if last is None or ref is None:
        return None
    return last < ref


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def build(rubric: Rubric, criteria: list[CriterionResult], gaps: list[Gap],
          answers: dict[str, Answer | None], *, ref: dt.date | None) -> list[PlanItem]:
    """The plan's items (module docstring): ``criteria`` in the rubric's order, ``gaps``
    as scored (national-context areas have none), ``answers`` the assessment's, ``ref``
    the reference date (None: no due is judged)."""
    by_gap = {g.id: g for g in gaps}
    out = []
    for r in criteria:
        a = answers.get(r.id) or Answer()
        written = any(getattr(a, k) is not None for k in PLAN_FIELDS)
        gap = by_gap.get(r.id)
        if gap is None and not written:
            continue
        own = a.action is not None and bool(a.action.strip())
        action = (a.action.strip() if own else
                  join_indicators(list(gap.actions)) if gap is not None and gap.actions
                  else None)
        last = due_by(a.due)
        out.append(PlanItem.made(
            id=r.id, area=r.area, title=r.title, action=action, own_action=own,
            owner=a.owner, due=_text(a.due),
            due_by=last.isoformat() if last is not None else None, status=a.status,
            current=r.level, current_name=r.level_name if r.level is not None else (
                gap.current_name if gap is not None else None),
            target=r.target, target_name=(rubric.level_name(r.target) if r.target is not None
                                          else gap.target_name if gap is not None else None),
            overdue=is_overdue(a.due, a.status, ref)))
    return out


def summary(items: list[PlanItem]) -> dict[str, int]:
    """What the brief counts in one line: actions, overdue, without an owner, and those
    whose overdue could not be judged."""
    return {"actions": len(items),
            "overdue": sum(i.overdue is True for i in items),
            "without_owner": sum(not (i.owner or "").strip() for i in items
                                 if i.status not in CLOSED),
            "not_judged": sum(i.overdue is None for i in items)}
