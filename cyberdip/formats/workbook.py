"""The questionnaire as an Excel workbook (.xlsx), both ways, with openpyxl.

Writing (``blank_xlsx``) makes three sheets:

* **Start**: what to do, in plain words, and the details block (rubric, version,
  organisation, unit, country, period, respondent, disclaimer) as ``name | value | hint``
  rows;
* **Answers**: one row per question (``question_rows``), the headings of the CSV sheet
  (``spreadsheet.COLUMNS``) in row 1, frozen and repeated on every printed page; a
  drop-down list on every answer cell with only the answers that fit; the id and
  question columns locked by sheet protection without a password, the answer,
  evidence, target, N/A reason and notes columns open;
* **Lists** (hidden): the drop-down lists, referenced by range, since Excel caps a
  list written inline at 255 characters.

Every text from a rubric is written as a string (never a formula), with the control
characters a cell cannot hold escaped (``textsafe.for_terminal``). The same rubric gives
the same bytes: the workbook's created and modified times and every zip entry's date
are fixed.

Reading (``read``) checks the zip directory before openpyxl opens anything (a file that
is not a workbook, a zip bomb, too many entries), reads values and never evaluates a
formula, caps rows and columns, and turns the Start and Answers sheets into the
``spreadsheet.Sheet`` the CSV route fills, so an answer means the same in both. Cells
are located as Excel shows them: ``berlin.xlsx:Answers!F12``.

openpyxl is imported inside the functions: only ``init -o x.xlsx``, ``import x.xlsx``
and ``merge`` pay for it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from typing import Any

from cyberdip.errors import InvalidInput, Problem, UnreadableInput
from cyberdip.formats import questionnaire as q
from cyberdip.formats import xlsxscan
from cyberdip.formats.spreadsheet import (
    COLUMNS,
    DATE_HINT,
    DISCLAIMER_HINT,
    META,
    Sheet,
    _norm,
    read_records,
)
from cyberdip.model.rubric import (
    AnyCriterion,
    BooleanCriterion,
    ChoiceCriterion,
    MetricCriterion,
    Rubric,
)
from cyberdip.textsafe import FORMULA_START, for_terminal, quote

START, ANSWERS, LISTS = "Start", "Answers", "Lists"
#: The columns a person fills in: unlocked, and read back.
OPEN_COLUMNS = ("answer", "evidence", "target", "N/A reason", "notes",
                "action", "owner", "due", "status")
WIDTHS = {"id": 24, "area": 14, "title": 28, "question": 44, "allowed answers": 60,
          "answer": 16, "evidence": 36, "target": 14, "N/A reason": 22, "notes": 24,
          "carried": 18, "confirm": 12,
          "action": 30, "owner": 18, "due": 12, "status": 12}
#: The date written as the workbook's created/modified time and every zip entry's date,
#: so that the same rubric always gives the same bytes.
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)

#: Reading limits. A questionnaire workbook is tens of kilobytes; these are far above
#: any real one and far below what would exhaust memory.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 500
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for entries above 1 MB
#: Rows of the Answers sheet, the heading row included: the one limit ``init -o x.xlsx``
#: and ``import`` share (``questionnaire.MAX_ROWS`` question rows and the heading; read
#: from there when a sheet is read).
MAX_ROWS = q.MAX_ROWS + 1
MAX_COLUMNS = xlsxscan.MAX_COLUMNS
#: Rows with text on the Start sheet: instructions and details, a few dozen.
START_ROWS = 500


# -- the questions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One row of the Answers sheet."""

    id: str
    area: str
    title: str
    question: str
    allowed: str  # the `allowed answers` cell
    criterion: AnyCriterion
    indicator: bool = False  # a row for one indicator: yes or no


def question_rows(rubric: Rubric, profile: str | None = None, mode: str = "indicators",
                  wording: Any = None) -> list[Question]:
    """The rows of the Answers sheet, in rubric order: the questions of ``profile``
    (default: the rubric's first), one per criterion, or one per indicator where a
    criterion has indicators and ``mode`` is ``indicators`` (the same rows as the CSV
    sheet: ``questionnaire.rows``), in ``wording``'s language (default English)."""
    from cyberdip.formats.wording import Wording

    w = wording or Wording()
    rows = q.sheet_rows(rubric, profile, mode)
    return [Question(r.id, w.area(r.area), w.row_title(rubric, r), w.question(r, profile),
                     w.allowed_cell(rubric, r.criterion, r.indicator is not None,
                                    k == 0 or rows[k - 1].criterion is not r.criterion),
                     r.criterion, r.indicator is not None)
            for k, r in enumerate(rows)]


def level_labels(rubric: Rubric, wording: Any = None) -> list[str]:
    """``3 – Defined``: what a level's drop-down entry says (read back as ``3``); none
    for a rubric without a scale (its criteria are metrics or choices, with no levels)."""
    if wording is not None and not wording.english:
        return [wording.level_label(rubric, s.level) for s in rubric.scale or ()]
    return [f"{s.level} \u2013 {s.name}" for s in rubric.scale or ()]


# -- writing ------------------------------------------------------------------------------


def _text(value: object) -> str:
    """Text as a cell can hold it: control characters (which the file format cannot
    hold) escaped, as on a terminal; line feeds kept."""
    return for_terminal(str(value), keep="\n")


def _put(ws: Any, ref: str, value: object, *, bold: bool = False, wrap: bool = True,
         locked: bool = True) -> Any:
    """Write ``value`` to a cell as a string, never a formula. A text starting with
    ``= + - @`` also gets Excel's quote prefix, so editing it cannot turn it into one."""
    from openpyxl.styles import Alignment, Font, Protection

    cell = ws[ref]
    text = _text(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl would take "=..." for a formula
    if text and text[0] in FORMULA_START:
        cell.quotePrefix = True
    cell.alignment = Alignment(wrap_text=wrap, vertical="top")
    if bold:
        cell.font = Font(bold=True)
    if not locked:
        cell.protection = Protection(locked=False)
    return cell


INSTRUCTIONS = (
    "How to fill in this workbook",
    "1. Below, write your organisation's name next to `organisation`, and the unit, "
    "country, period and your own name if you know them.",
    "2. Go to the sheet `Answers`. For each question, pick an answer in the column "
    "`answer` from its drop-down list (the column `allowed answers` says what each "
    "level means). For a number, type the number.",
    "3. Where you can, write the evidence: a document, a decision, a link. Several items "
    "go in one cell, one per line (Alt+Enter in Excel; Ctrl+Enter in LibreOffice)."
    " An item can say its date, and the last day it holds, in brackets after it: "
    "Decision 12/2023 [date: 2023-05-01; valid until: 2025-12-31].",
    "4. `target` is optional: the level you aim to reach, one per criterion, on its "
    "first row (the greyed target cells of its other rows stay empty). Leave it empty to "
    "use the rubric's default.",
    "5. If a question does not apply to you, pick `n/a` and write why in `N/A reason`. "
    "Leave a question empty if you do not know yet: it counts as not assessed, not as zero.",
    "6. Save the file as it is (Excel Workbook, .xlsx) and send it back.",
    "The id and question columns are locked so they are not changed by mistake. The "
    "sheet has no password: Review > Unprotect Sheet lets you sort or resize.",
    "Whoever collects the files runs: cyberdip import FILE.xlsx -o assessment.yaml",
)


def _start_sheet(ws: Any, rubric: Rubric, rubric_ref: str, profile: str | None,
                 section: Any = None, wording: Any = None) -> None:
    from cyberdip.formats.spreadsheet import section_details
    from cyberdip.formats.wording import LANGUAGE_DETAIL, Wording

    w = wording or Wording()

    org = section.organisation if section is not None else {}
    who = section.respondent if section is not None else None
    ws.title = START
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 40
    ws.merge_cells("A1:C1")
    title = w._r("rubric_title", rubric.title)
    _put(ws, "A1", f"{title} ({rubric.id} {rubric.version})", bold=True, wrap=False)
    for i, line in enumerate(INSTRUCTIONS, 2):
        ws.merge_cells(f"A{i}:C{i}")
        _put(ws, f"A{i}", w.t(line), bold=i == 2)
        ws.row_dimensions[i].height = _line_height(w) * _lines(w.t(line), 16 + 34 + 40)
    top = len(INSTRUCTIONS) + 3
    details = [("rubric", rubric_ref, "(do not change)", True),
               ("rubric version", rubric.version, "(do not change)", True),
               ("organisation", str(org.get("name") or ""),
                "e.g. Ministry of Foreign Affairs", False),
               ("unit", str(org.get("unit") or ""),
                "e.g. Embassy in Berlin (leave empty for headquarters)", False),
               ("country", str(org.get("country") or ""), "", False),
               ("period", "", "e.g. 2025", False),
               ("date", "", DATE_HINT, False),
               ("respondent", who or "", "your name, when several people answer", False),
               ("disclaimer", "", DISCLAIMER_HINT, False)]
    if profile is not None:
        details.append(("profile", profile, "(do not change: the questions are this "
                        "profile's)", True))
    details += [(name, value, hint, True) for name, value, hint in section_details(section)]
    if not w.english:  # read first on import: the rest is read in this language
        details.append((LANGUAGE_DETAIL, w.lang, "(do not change)", True))
    for i, (name, value, hint, locked) in enumerate(details, top):
        _put(ws, f"A{i}", name, bold=True)
        _put(ws, f"B{i}", value, locked=locked)
        _put(ws, f"C{i}", w.t(hint) if hint else hint)
        ws.row_dimensions[i].height = _line_height(w) * max(
            _lines(name, 16), _lines(value, 34), _lines(w.t(hint) if hint else "", 40))
    ws.protection.sheet = True
    ws.page_margins.left = ws.page_margins.right = MARGIN
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if w.rtl:
        _right_to_left(ws)


def _lists_sheet(ws: Any, rubric: Rubric, wording: Any = None) -> dict[str, str]:
    """The drop-down lists, one per column; returns list name -> range formula."""
    from cyberdip.formats.wording import Wording

    w = wording or Wording()
    ws.title = LISTS
    ws.sheet_state = "hidden"
    levels = level_labels(rubric, w)
    na = w.t("n/a")
    lists = {"level": [*levels, na], "boolean": [w.t("yes"), w.t("no"), na]}
    if levels:  # a rubric without a scale has no level to aim for
        lists["target"] = levels
    for key, options in rubric.answer_scales.items():
        lists[f"choice:{key}"] = [f"{o.id} \u2013 {w.option_name(o)}" for o in options] + [na]
    refs = {}
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(i) for i in range(1, len(lists) + 1)]
    for col, (name, entries) in zip(letters, lists.items(), strict=True):
        for row, entry in enumerate(entries, 1):
            _put(ws, f"{col}{row}", entry, wrap=False)
        refs[name] = f"={LISTS}!${col}$1:${col}${len(entries)}"
    ws.protection.sheet = True
    return refs


def _validation(kind: str, refs: dict[str, str], rubric: Rubric, c: AnyCriterion,
                indicator: bool = False, wording: Any = None) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    from cyberdip.formats.wording import Wording

    t = (wording or Wording()).t
    common = dict(allow_blank=True, showErrorMessage=True, showInputMessage=True,
                  errorStyle="warning", errorTitle=t("Not an answer cyberdip reads"))
    if kind == "target":
        return DataValidation(type="list", formula1=refs["target"], promptTitle=t("Target"),
                              prompt=t("Optional: the level you aim for."),
                              error=t("Pick a level from the list, or type its number."),
                              **common)
    if isinstance(c, ChoiceCriterion) and f"choice:{c.answer_scale}" in refs:
        return DataValidation(type="list", formula1=refs[f"choice:{c.answer_scale}"],
                              promptTitle=t("Answer"), prompt=t("Pick an answer, or n/a."),
                              error=t("Pick an answer or n/a from the list."), **common)
    if isinstance(c, BooleanCriterion) or indicator:
        return DataValidation(type="list", formula1=refs["boolean"], promptTitle=t("Answer"),
                              prompt=t("yes, no, or n/a (then write why in N/A reason)."),
                              error=t("Pick yes, no or n/a from the list."), **common)
    if isinstance(c, MetricCriterion):
        m = c.metric
        # A number in range; n/a or none (the lowest case) are typed past the warning.
        prompt = _text(t("A number (%(unit)s); none when there is no number (the lowest "
                         "level); or n/a.") % {"unit": m.unit})[:250]
        bounds: dict[str, Any] = {}
        if m.min is not None and m.max is not None:
            bounds = dict(operator="between", formula1=f"{m.min:g}", formula2=f"{m.max:g}")
        elif m.min is not None:
            bounds = dict(operator="greaterThanOrEqual", formula1=f"{m.min:g}")
        elif m.max is not None:
            bounds = dict(operator="lessThanOrEqual", formula1=f"{m.max:g}")
        fits = q.allowed(rubric, c, compact=True)
        if wording is not None and not wording.english:
            fits = wording.allowed(rubric, c)
        return DataValidation(type="decimal" if bounds else None, promptTitle=t("Answer"),
                              prompt=prompt,
                              error=_text(t("Type %(fits)s, or n/a.") % {"fits": fits})[:220],
                              **bounds, **common)
    return DataValidation(type="list", formula1=refs["level"], promptTitle=t("Answer"),
                          prompt=t("Pick a level (see allowed answers), or n/a."),
                          error=t("Pick a level or n/a from the list, or type the level's "
                                  "number."), **common)


def _answers_sheet(ws: Any, rubric: Rubric, refs: dict[str, str],
                   profile: str | None, section: Any = None, mode: str = "indicators",
                   wording: Any = None) -> None:
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    from cyberdip.formats.blank import carried_label
    from cyberdip.formats.spreadsheet import CARRY_COLUMNS, prefilled_cells
    from cyberdip.formats.wording import Wording

    w = wording or Wording()
    ws.title = ANSWERS
    prefill = section.prefill if section is not None else {}
    columns = COLUMNS + (CARRY_COLUMNS if prefill else ())
    letter = {name: get_column_letter(i) for i, name in enumerate(columns, 1)}
    widths = fitted_widths(columns)
    head = PatternFill("solid", fgColor="DDE4EE")
    for name in columns:
        cell = _put(ws, f"{letter[name]}1", w.t(name), bold=True, wrap=True)
        cell.fill = head
        ws.column_dimensions[letter[name]].width = widths[name]
    ws.row_dimensions[1].height = _line_height(w) * max(_lines(w.t(n), widths[n] * 0.8)
                                                        for n in columns)
    from openpyxl.worksheet.cell_range import MultiCellRange

    validations: dict[Any, Any] = {}
    cells: dict[Any, list[int]] = {}
    questions = [(qu, r) for qu, r in zip(question_rows(rubric, profile, mode, w),
                                          q.sheet_rows(rubric, profile, mode), strict=True)
                 if section is None or section.holds(qu.criterion.id)]
    done: set[str] = set()
    first_rows: list[int] = []  # a criterion's first row: the one that takes its target
    later = PatternFill("solid", fgColor="E7E7E7")
    for row, (question, qrow) in enumerate(questions, 2):
        values = {"id": question.id, "area": question.area, "title": question.title,
                  "question": question.question, "allowed answers": question.allowed}
        cid = question.criterion.id
        if cid in prefill:
            shown = prefilled_cells(rubric, qrow, prefill[cid], cid not in done, labels=True)
            # in the sheet's language, as its drop-downs offer them
            into = w.answers_from_english(rubric)
            values.update({k: into.get(v, v) if k in ("answer", "target") else v
                           for k, v in shown.items()})
            values["carried"] = carried_label(prefill[cid].get("carried"))
        first = cid not in done
        done.add(cid)
        if first:
            first_rows.append(row)
        for name in columns:
            cell = _put(ws, f"{letter[name]}{row}", values.get(name, ""),
                        locked=name not in (*OPEN_COLUMNS, "confirm")
                        or (name == "target" and not first))
            if name == "target" and not first:  # one target per criterion: its first row
                cell.fill = later
        # Office suites do not size a row to its wrapped text on opening: set it
        ws.row_dimensions[row].height = min(409, _line_height(w) * max(
            _lines(values.get(name, ""), widths[name]) for name in columns))
        c = question.criterion
        key = (id(c) if isinstance(c, MetricCriterion) else "indicator" if question.indicator
               else f"choice:{c.answer_scale}" if isinstance(c, ChoiceCriterion) else c.kind)
        if key not in validations:
            validations[key] = _validation("answer", refs, rubric, c, question.indicator, w)
            ws.add_data_validation(validations[key])
            cells[key] = []
        cells[key].append(row)
    # each validation's cells set at once, as ranges of rows: adding them one by one
    # costs the number already added each time (quadratic in the rubric's size)
    for key, rows in cells.items():
        validations[key].sqref = MultiCellRange(_row_ranges(letter["answer"], rows))
    last = len(questions) + 1
    if prefill:
        from openpyxl.worksheet.datavalidation import DataValidation

        confirm = DataValidation(type="list", formula1='"yes,changed,clear"',  # keys
                                 allow_blank=True, showErrorMessage=True,
                                 showInputMessage=True, errorStyle="warning",
                                 promptTitle="Confirm", prompt="For a carried answer: yes, "
                                 "changed or clear.", error="Pick yes, changed or clear.")
        ws.add_data_validation(confirm)
        confirm.add(f"{letter['confirm']}2:{letter['confirm']}{last}")
    if "status" in letter:  # the action plan's status: a drop-down of the four
        from openpyxl.worksheet.datavalidation import DataValidation

        status = DataValidation(type="list", formula1='"planned,under-way,done,dropped"',
                                allow_blank=True, showErrorMessage=True,
                                showInputMessage=True, errorStyle="warning",
                                promptTitle=w.t("Status"),
                                prompt=w.t("Optional: where the action stands."),
                                error=w.t("Pick planned, under-way, done or dropped."))
        ws.add_data_validation(status)
        status.add(f"{letter['status']}2:{letter['status']}{last}")
        for name, prompt in (("action", "Optional: what you will do to reach the target; "
                              "empty: the rubric's recommendation. Once per criterion."),
                             ("due", "Optional: a date, or 2026-Q2, 2026-H1, 2026-06, "
                              "2026 (due on its last day).")):
            hint = DataValidation(type=None, allow_blank=True, showInputMessage=True,
                                  promptTitle=w.t(name.title()), prompt=w.t(prompt))
            ws.add_data_validation(hint)
            hint.add(f"{letter[name]}2:{letter[name]}{last}")
    if "target" in refs and first_rows:
        target = _validation("target", refs, rubric, None, wording=w)  # type: ignore[arg-type]
        ws.add_data_validation(target)
        target.sqref = MultiCellRange(_row_ranges(letter["target"], first_rows))
    ws.freeze_panes = "A2"
    ws.protection.sheet = True
    # people may still resize, sort (after unprotecting) and filter
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    _print_setup(ws)
    if w.rtl:
        _right_to_left(ws)


#: The printed answer sheet: landscape A4, one page wide, with narrow margins. The
#: columns together are at most ``PRINT_WIDTH`` characters wide, so that fitting them to
#: the page's width shrinks the text to no less than 9 pt (docs/questionnaire.md).
PRINT_WIDTH = 138
MARGIN = 0.4  # inches, left and right
MIN_WIDTH = 7
#: How the printed width is shared: what is asked gets the most, the cells a person
#: fills the least (they are written in the file, and wrap); a column not named here
#: gets half its ``WIDTHS``.
PRINT_SHARES = {"id": 17, "area": 12, "title": 16, "question": 30, "allowed answers": 25,
                "answer": 11, "evidence": 16, "target": 8, "N/A reason": 10, "notes": 10,
                "carried": 10, "confirm": 8, "action": 14, "owner": 10, "due": 8,
                "status": 8}


def fitted_widths(columns: tuple[str, ...]) -> dict[str, float]:
    """Each column's width (in characters): its share of the page (``PRINT_SHARES``),
    narrowed in proportion when together they are wider than ``PRINT_WIDTH``, never
    below ``MIN_WIDTH``."""
    want = {name: max(MIN_WIDTH, PRINT_SHARES.get(name, WIDTHS.get(name, 16) / 2))
            for name in columns}
    total = sum(want.values())
    if total <= PRINT_WIDTH:
        return {k: float(v) for k, v in want.items()}
    spare = PRINT_WIDTH - MIN_WIDTH * len(columns)
    above = total - MIN_WIDTH * len(columns)
    return {k: round(MIN_WIDTH + (v - MIN_WIDTH) * max(spare, 0) / above, 1)
            for k, v in want.items()}


def _print_setup(ws: Any) -> None:
    """Landscape A4, fitted to the page's width only (as many pages down as it takes),
    the heading row repeated on every page, narrow margins, centred."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.page_margins.left = ws.page_margins.right = MARGIN
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True


#: The font of a right-to-left (Urdu) workbook: one that has every contextual form of
#: the Urdu letters (a font without them, such as the DejaVu Sans LibreOffice falls back
#: to, drops the initial and medial forms of ہ). Where it is not installed, Excel and
#: LibreOffice substitute a font of the system.
RTL_FONT = "Noto Naskh Arabic"


def _right_to_left(ws: Any) -> None:
    """A sheet in a right-to-left language: columns run from the right, and every
    written cell is aligned right, read right to left, in ``RTL_FONT``."""
    from openpyxl.styles import Alignment, Font

    ws.sheet_view.rightToLeft = True
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            a = cell.alignment
            cell.alignment = Alignment(wrap_text=a.wrap_text, vertical=a.vertical,
                                       horizontal="right", readingOrder=2)
            cell.font = Font(name=RTL_FONT, bold=cell.font.bold)


def _row_ranges(column: str, rows: list[int]) -> str:
    """``F2:F5 F9``: the rows (ascending) of one column as ranges of consecutive rows."""
    out: list[str] = []
    start = prev = rows[0]
    for r in [*rows[1:], None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        out.append(f"{column}{start}" if start == prev else f"{column}{start}:{column}{prev}")
        if r is not None:
            start = prev = r
    return " ".join(out)


def _line_height(wording: Any) -> int:
    """The height of one line of text, in points: an Urdu line (Naskh, with its marks
    above and below) takes about half as much again as a Latin one."""
    return 22 if wording is not None and wording.rtl else 15


def _lines(text: str, width: int) -> int:
    """About how many lines ``text`` wraps to in a column ``width`` characters wide."""
    per = max(1, int(width))  # words wrap whole: about one character per unit of width
    return max(1, sum(max(1, -(-len(line) // per)) for line in str(text).split("\n")))


def blank_xlsx(rubric: Rubric, rubric_ref: str, profile: str | None = None,
               section: Any = None, mode: str = "indicators", wording: Any = None) -> bytes:
    """The questionnaire workbook of ``rubric`` for ``profile``, naming it as
    ``rubric_ref``; ``mode`` (``questionnaire.MODES``) says how a criterion with
    indicators is asked, ``wording`` (``formats.wording``) in which language."""
    from openpyxl import Workbook

    profile = profile or rubric.default_profile()
    wb = Workbook()
    _start_sheet(wb.active, rubric, rubric_ref, profile, section, wording)
    answers = wb.create_sheet(ANSWERS)
    refs = _lists_sheet(wb.create_sheet(LISTS), rubric, wording)
    _answers_sheet(answers, rubric, refs, profile, section, mode, wording)
    wb.active = 0
    wb.properties.creator = "cyberdip"
    wb.properties.title = _text(f"{rubric.title} questionnaire")[:200]
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue())


_W3CDTF = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _fixed_zip(data: bytes) -> bytes:
    """The same zip, with every entry dated ``FIXED_TIME`` and the core properties'
    times too (openpyxl stamps both with the current time when it saves)."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _W3CDTF.sub(lambda m: m.group(1) + stamp + m.group(3), body)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, body)
    return out.getvalue()


# -- reading ------------------------------------------------------------------------------


ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def looks_like_workbook(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC)


#: The streams an encrypted Office file holds in its OLE container (MS-OFFCRYPTO),
#: as their names are stored: UTF-16LE.
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"),
                      "EncryptionInfo".encode("utf-16-le"))


def _encrypted(data: bytes) -> bool:
    """Whether an OLE container is a password-protected workbook (Excel saves one as
    an OLE file holding an ``EncryptedPackage`` stream, whatever its extension)."""
    return any(name in data for name in _ENCRYPTED_STREAMS)


def check_zip(data: bytes, path: str) -> xlsxscan.Scan:
    """Refuse, before openpyxl sees it, what is not an .xlsx or would exhaust memory.
    Nothing of the file is quoted: it is not what it was named as."""
    if data.startswith(OLE_MAGIC) and _encrypted(data):
        raise UnreadableInput("this workbook is password-protected (encrypted), so cyberdip "
                              "cannot read it; open it in Excel, remove the password (File > "
                              "Info > Protect Workbook > Encrypt with Password, then clear "
                              "it) and save it again", path=path, code="CD006")
    if data.startswith(OLE_MAGIC):
        raise UnreadableInput("this is an old Excel file (.xls), not a workbook cyberdip "
                              "reads; open it in Excel and save it as Excel Workbook (.xlsx)",
                              path=path, code="CD006")
    if not data.startswith(ZIP_MAGIC):
        raise UnreadableInput("this is not an Excel workbook (.xlsx): it is not even a zip "
                              "file; make one with `cyberdip init RUBRIC -o FILE.xlsx`",
                              path=path, code="CD006")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise UnreadableInput("this workbook is damaged: its zip directory cannot be read "
                              "(was the download or the copy cut short?)", path=path,
                              code="CD006") from None
    if len(infos) > MAX_ENTRIES:
        raise UnreadableInput(f"this workbook holds more than {MAX_ENTRIES} files; a "
                              "questionnaire never does, so it is not read", path=path,
                              code="CD003")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(
                info.compress_size, 1):
            raise UnreadableInput("this workbook expands to far more than its size (a zip "
                                  "bomb?), so it is not read", path=path, code="CD003")
    if total > MAX_UNCOMPRESSED:
        raise UnreadableInput(f"this workbook expands to more than "
                              f"{MAX_UNCOMPRESSED // (1024 * 1024)} MB, far more than a "
                              "questionnaire; it is not read", path=path, code="CD003")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        what = ("an OpenDocument spreadsheet (.ods): save it as Excel Workbook (.xlsx)"
                if "content.xml" in names else "a zip file, but not an Excel workbook (.xlsx)")
        raise UnreadableInput(f"this is {what}", path=path, code="CD006")
    # every XML part, streamed, before openpyxl parses any: no DTD, no over-long token,
    # no row far wider than a questionnaire
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return xlsxscan.scan(z, path)


def _cell_text(cell: Any) -> tuple[str, bool]:
    """A cell's value as the text a person typed, and whether it holds a formula.
    Tolerates what Excel and LibreOffice store: numbers (``3.0`` is 3; a percentage
    cell's 0.45 is 45), booleans (TRUE), dates (``2025-06-30``)."""
    v = cell.value
    if getattr(cell, "data_type", None) == "f":  # read, never evaluated
        # LibreOffice saves a boolean cell as the constant formula =TRUE() or =FALSE()
        const = re.fullmatch(r"=\s*(TRUE|FALSE)\s*\(\s*\)\s*", str(v or ""), re.IGNORECASE)
        if const:
            return ("yes" if const.group(1).upper() == "TRUE" else "no"), False
        return "", True
    if v is None:
        return "", False
    if isinstance(v, bool):
        return ("yes" if v else "no"), False
    if isinstance(v, dt.datetime):
        return (v.date().isoformat() if v.time() == dt.time(0) else v.isoformat()), False
    if isinstance(v, dt.date | dt.time):
        return v.isoformat(), False
    if isinstance(v, int | float):
        x = float(v)
        if "%" in str(getattr(cell, "number_format", "") or ""):
            x = round(x * 100, 9)
        if x != x or x in (float("inf"), float("-inf")):
            return str(v), False
        return (str(int(x)) if x.is_integer() and abs(x) < 2**53 else repr(x)), False
    return str(v), False


@dataclass
class _Grid:
    """A sheet's cells as text, row by row, and where formulas were found."""

    rows: list[list[str]]
    formulas: set[tuple[int, int]]  # (row, 0-based column)


def _grid(ws: Any, path: str, name: str, max_rows: int | None = None) -> _Grid:
    """The cells of ``ws``, refusing more than ``max_rows`` rows with text (default: a
    questionnaire's question rows and its heading)."""
    rows: list[list[str]] = []
    formulas: set[tuple[int, int]] = set()
    filled = 0
    max_rows = max_rows or q.MAX_ROWS + 1
    for r, row in enumerate(ws.iter_rows(max_col=MAX_COLUMNS), 1):
        # rows with text count toward the questionnaire's limit; empty rows (Excel keeps
        # formatted ones) toward a hard one, as a zip bomb would: exit 2 for both
        if r > 2 * max_rows + 100:
            raise UnreadableInput(f"the sheet has more than {2 * max_rows + 100:,} rows; a "
                                  "questionnaire has one per question, so it is not read",
                                  path=f"{path}:{_shown_sheet(name)}", code="CD003")
        cells = []
        for c, cell in enumerate(row):
            text, formula = _cell_text(cell)
            if formula:
                formulas.add((r, c))
            cells.append(text)
        if any(cells):
            filled += 1
            if filled > max_rows:
                raise UnreadableInput(
                    f"the sheet has more than {max_rows - 1:,} question rows, the most a "
                    f"questionnaire holds (one per criterion or indicator, as `init` "
                    "writes them); split the rubric, or answer in YAML",
                    path=f"{path}:{_shown_sheet(name)}", code="CD003")
        rows.append(cells)
    return _Grid(rows, formulas)


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def read(data: bytes, path: str, wordings: dict[str, Any] | None = None) -> Sheet:
    """A filled-in workbook as a ``spreadsheet.Sheet``: the details of its Start sheet
    and the rows of its Answers sheet; a cell holding a formula is among its
    ``problems``. Raises UnreadableInput for a file that is not a workbook (or too big),
    InvalidInput for a workbook without a usable Answers sheet."""
    found = check_zip(data, path)
    answers_entry = _answers_entry(found, path)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it drops (extensions, unknown styles); the
            # values it reads are what matter here
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False,
                               keep_links=False)
            try:
                names = list(wb.sheetnames)
                answers_name = (answers_entry.name if answers_entry is not None
                                and answers_entry.name in names else None)
                if answers_name is None:
                    raise InvalidInput([Problem(path, 0, 0, "error", "CD103", (
                        "the workbook has no sheet `Answers` (its sheets: "
                        f"{', '.join(for_terminal(n) for n in names[:10])}); make one with "
                        "`cyberdip init RUBRIC -o FILE.xlsx`"))])
                answers = _grid(wb[answers_name], path, answers_name)
                start_name = next((n for n in names if n.strip().lower() == "start"), None)
                start = (_grid(wb[start_name], path, start_name, START_ROWS) if start_name
                         else None)
            finally:
                wb.close()
    except (InvalidInput, UnreadableInput):
        raise
    except Exception:  # noqa: BLE001 - openpyxl's many errors on a damaged file
        raise UnreadableInput("this workbook cannot be read: a part of it is damaged or "
                              "not what Excel writes; open it in Excel or LibreOffice and "
                              "save it again as .xlsx", path=path, code="CD006") from None
    return _sheet(path, answers_name, answers, start_name, start, wordings)


def _is_answers(name: str) -> bool:
    return name.strip().lower() == ANSWERS.lower()


def _answers_entry(found: xlsxscan.Scan, path: str) -> xlsxscan.SheetEntry | None:
    """The sheet that holds the answers, as the workbook lists it. Refuses two sheets
    that could both be it, and an answers sheet a reviewer cannot see in Excel (hidden,
    or very hidden): what is imported must be what the workbook shows. The hidden
    ``Lists`` sheet ``init`` writes is expected, and any other hidden sheet is not read."""
    candidates = [s for s in found.sheets if _is_answers(s.name)]
    if len(candidates) > 1:
        shown = ", ".join(f"`{quote(for_terminal(s.name))}` ({s.state})" for s in candidates)
        raise InvalidInput([Problem(path, 0, 0, "error", "CD327", (
            f"the workbook has {len(candidates)} sheets that could hold the answers: "
            f"{shown}; keep one sheet named `{ANSWERS}` and delete or rename the others "
            "(a hidden one too: Format > Sheet > Unhide)"))])
    if candidates and candidates[0].state != "visible":
        entry = candidates[0]
        how = ("unhide it (Format > Sheet > Unhide)" if entry.state == "hidden" else
               "it is very hidden, which only a macro or the VBA editor can undo; copy "
               "the answers into a visible sheet named `Answers`")
        state = "very hidden" if entry.state == "veryHidden" else "hidden"
        raise InvalidInput([Problem(f"{path}:{_shown_sheet(entry.name)}", 0, 0, "error",
                                    "CD327", (
            f"the answers sheet is {state}, so a reviewer cannot see in Excel what would be "
            f"imported; {how}, check it, save and import again"))])
    return candidates[0] if candidates else None


def _shown_sheet(name: str) -> str:
    shown = for_terminal(quote(name))
    if not re.fullmatch(r"\w+", shown):
        shown = "'" + shown.replace("'", "''") + "'"
    return shown


def _sheet(path: str, answers_name: str, answers: _Grid, start_name: str | None,
           start: _Grid | None, wordings: dict[str, Any] | None = None) -> Sheet:
    def ref(sheet_name: str, row: int, col: int) -> str:
        return f"{path}:{_shown_sheet(sheet_name)}!{_letter(col)}{row}"

    meta_rows: dict[str, int] = {}

    def locate(row: int, column: str) -> str:
        key = META.get(_norm(column))
        if key is not None and start_name and meta_rows.get(key) == row:
            return ref(start_name, row, 1)
        col = sheet.columns.get(_norm(column))
        return ref(answers_name, row, col if col is not None else 0)

    sheet = Sheet(path, locate=locate,
                  locate_column=lambda row, col: ref(answers_name, row, col),
                  wordings=dict(wordings or {}))
    problems: list[Problem] = []
    if start is not None and start_name is not None:
        for r, cells in enumerate(start.rows, 1):
            key = META.get(_norm(cells[0])) if cells else None
            if key is None or key in sheet.meta:
                continue
            if (r, 1) in start.formulas:  # read as empty
                problems.append(_formula(ref(start_name, r, 1)))
            sheet.meta[key] = (r, cells[1].strip() if len(cells) > 1 else "")
            meta_rows[key] = r
    read_records(sheet, answers.rows, details=False)
    # A formula is one problem among the others, said in its row's turn: every cell is
    # reported in one run. A formula cell reads as empty, and a row whose id is a
    # formula is not read at all.
    read_cols = {sheet.columns.get(_norm(c))
                 for c in ("id", *OPEN_COLUMNS, "carried", "confirm")} - {None}
    id_col = sheet.columns.get("id")
    for r, c in sorted(answers.formulas):
        if c in read_cols and r > sheet.header_row:
            sheet.row_problems.setdefault(r, []).append(_formula(ref(answers_name, r, c)))
            if c == id_col:
                sheet.unread_rows.add(r)
    sheet.problems[:0] = problems
    return sheet


def _formula(where: str) -> Problem:
    return Problem(where, 0, 0, "error", "CD318",
                   "this cell holds a formula; cyberdip reads what is typed and never runs "
                   "a formula: type the answer itself")


__all__ = ["ANSWERS", "LISTS", "START", "Question", "blank_xlsx", "check_zip", "level_labels",
           "looks_like_workbook", "question_rows", "read"]


def read_sheet(src: str, wordings: dict[str, Any] | None = None) -> Sheet:
    """A filled-in questionnaire sheet: an Excel workbook (by its content, or its name)
    or a CSV file, as a ``spreadsheet.Sheet``; ``wordings``: the languages besides
    English it may be written in (``formats.wording``)."""
    from cyberdip import yamlio
    from cyberdip.formats import spreadsheet

    data = yamlio.read_bytes(src, max_bytes=MAX_FILE_BYTES)
    if looks_like_workbook(data) or src.lower().endswith((".xlsx", ".xlsm")):
        return read(data, src, wordings)
    return spreadsheet.parse(data, src, wordings)
