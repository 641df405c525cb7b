"""The action plan on its own, in the shape a plan of action and milestones (POA&M)
takes: a CSV sheet, or a one-sheet workbook. Pure: a scorecard's plan in, bytes out;
the same plan always gives the same bytes.

One row per item of the scorecard's ``plan`` (docs/cycle.md, Action plan):

- ``id``: the row's number, 1 up, in the rubric's order;
- ``criterion``, ``title``: the criterion's id and title;
- ``weakness``: where it stands against its target (``level 1 Start-up; target 3
  Established``);
- ``action`` and ``action source``: the ministry's own words (``ministry``) or the
  rubric's recommendation (``rubric``);
- ``owner``, ``due`` (as written), ``due by`` (its last day, YYYY-MM-DD);
- ``status``; ``overdue``: yes, no, or ``not judged``;
- ``milestone``: the level to reach, by the due date when there is one;
- ``as of``: the reference date overdue was judged against (empty: not judged).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from cyberdip.textsafe import csv_cell

COLUMNS = ("id", "criterion", "title", "weakness", "action", "action source", "owner", "due",
           "due by", "status", "overdue", "milestone", "as of")
SHEET = "Plan"


def _level(level: int | None, name: str | None) -> str:
    if level is None:
        return name or "—"
    return f"level {level} {name}" if name and name != str(level) else f"level {level}"


def rows(plan: list[Any], as_of: str | None) -> list[dict[str, str]]:
    """The rows of the plan (``Scorecard.plan``), as text, in COLUMNS."""
    out = []
    for k, i in enumerate(plan, 1):
        aim = _level(i.target, i.target_name) if (i.target is not None or i.target_name) \
            else ""
        milestone = ("reach " + aim if aim else "") + (f" by {i.due}" if i.due and aim else
                                                       i.due or "")
        out.append({
            "id": str(k), "criterion": i.id, "title": i.title,
            "weakness": f"{_level(i.current, i.current_name)}; target {aim or '—'}",
            "action": i.action or "",
            "action source": ("ministry" if i.own_action else "rubric") if i.action else "",
            "owner": i.owner or "", "due": i.due or "", "due by": i.due_by or "",
            "status": i.status or "",
            "overdue": "yes" if i.overdue else "not judged" if i.overdue is None else "no",
            "milestone": milestone, "as of": as_of or ""})
    return out


def plan_csv(plan: list[Any], as_of: str | None) -> bytes:
    """The plan as a CSV sheet: UTF-8 with a BOM (so Excel shows every script), CRLF
    rows, a heading row, and every cell safe from being read as a formula."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for r in rows(plan, as_of):
        w.writerow([csv_cell(r[c]) for c in COLUMNS])
    return buf.getvalue().encode("utf-8-sig")


def plan_xlsx(plan: list[Any], as_of: str | None, title: str = "Action plan") -> bytes:
    """The plan as a workbook of one sheet, ``Plan``: the same columns as the CSV, text
    cells only (never a formula), the heading row frozen and filtered."""
    from openpyxl import Workbook

    from cyberdip.formats.workbook import FIXED_TIME, _fixed_zip, _put, _text

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    widths = {"id": 5, "criterion": 28, "title": 30, "weakness": 30, "action": 50,
              "action source": 10, "owner": 24, "due": 12, "due by": 12, "status": 11,
              "overdue": 10, "milestone": 30, "as of": 12}
    from openpyxl.utils import get_column_letter

    for j, col in enumerate(COLUMNS, 1):
        letter = get_column_letter(j)
        _put(ws, f"{letter}1", col, bold=True, wrap=False)
        ws.column_dimensions[letter].width = widths[col]
    body = rows(plan, as_of)
    for k, r in enumerate(body, 2):
        for j, col in enumerate(COLUMNS, 1):
            _put(ws, f"{get_column_letter(j)}{k}", r[col])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(len(body) + 1, 1)}"
    wb.properties.creator = "cyberdip"
    wb.properties.title = _text(title)[:200]
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue())


__all__ = ["COLUMNS", "SHEET", "plan_csv", "plan_xlsx", "rows"]
