"""The spreadsheet round trip: a blank questionnaire as CSV, and a filled-in CSV
back to assessment data. Pure: takes and returns bytes, text and data.

The sheet a person is emailed looks like this (UTF-8 with a BOM, so Excel shows
Urdu and other scripts correctly)::

    # How to fill in this sheet ...                    <- rows starting with # are notes
    rubric,cyberdip-core,(do not change)
    rubric version,1.0.0,(do not change)
    organisation,,e.g. Ministry of Foreign Affairs of Pakistan
    unit,,e.g. Embassy of Pakistan in Berlin (leave empty for headquarters)
    country,,
    period,,e.g. 2025
                                                       <- an empty row
    id,area,title,question,allowed answers,answer,evidence,target,N/A reason,notes
    policy.strategy,Policy,...,a level from 0 to 4 ...,,,,,

Details at the top are ``name,value`` rows; the table starts at the row whose
first cell is ``id``. Columns are found by their heading, so they may be
reordered, and columns we do not know are ignored. Several evidence items go
in one cell, one per line (Alt+Enter in Excel) or separated by `` | ``.

Problems in a sheet are located by row and column name rather than line and
column number: Excel shows row numbers and column headings, and a cell with a
line break spans several lines of the file. The location is put into the
problem's ``path`` (``missions.csv:row 14:answer``, with line and col 0), so
every problem formatter prints ``missions.csv:row 14:answer: error[CD302]: ...``
unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cyberdip.errors import InvalidInput, Problem
from cyberdip.formats import questionnaire as q
from cyberdip.model.rubric import Rubric
from cyberdip.textsafe import FORMULA_START, csv_cell, quote

COLUMNS = ("id", "area", "title", "question", "allowed answers", "answer", "evidence",
           "target", "N/A reason", "notes",
           "action", "owner", "due", "status")
REQUIRED = ("id", "answer")
META = {
    "rubric": "rubric",
    "rubric version": "rubric_version",
    "organisation": "organisation",
    "organization": "organisation",
    "unit": "unit",
    "country": "country",
    "period": "period",
    "date": "date",
    "respondent": "respondent",
    "profile": "profile",
    "disclaimer": "disclaimer",
    "section": "section",
    "carried from": "carried_from",
    "carried period": "carried_period",
    "carried date": "carried_date",
    "language": "language",
}
DATE_HINT = ("YYYY-MM-DD: the day the answers hold for; stale evidence and overdue actions "
             "are judged against it")
DISCLAIMER_HINT = ("optional: a short caveat for the first page of every report, e.g. "
                   "Not an official self-assessment")
EVIDENCE_HELP = ("one per line (Alt+Enter), or separated by ` | `; a date after an item in "
                 "brackets: Decision 12/2023 [date: 2023-05-01; valid until: 2025-12-31]")


def where(path: str, row: int, column: str) -> str:
    """The location of a cell: ``missions.csv:row 14:answer``."""
    return f"{path}:row {row}:{column}"


def cell_problem(path: str, row: int, column: str, code: str, message: str,
                 level: str = "error") -> Problem:
    return Problem(where(path, row, column), 0, 0, level, code, message)


# -- writing a blank sheet ---------------------------------------------------------------


#: Text that a spreadsheet cannot take for a formula (CSV injection): the one cell
#: escaper, ``textsafe.csv_cell``. Rubric files can come from anywhere, and their words
#: end up in these cells.
safe_cell = csv_cell


def _allowed_cell(rubric: Rubric, c: Any, indicator: bool = False) -> str:
    """The `allowed answers` cell of a row, in English (``formats.wording``)."""
    from cyberdip.formats.wording import Wording

    return Wording().allowed_cell(rubric, c, indicator)


#: The columns a questionnaire with answers carried forward adds: where the answer came
#: from (filled by `init --from`), and the respondent's word on it (yes, changed, clear).
CARRY_COLUMNS = ("carried", "confirm")
CONFIRM_HELP = ("carried answers: write yes to confirm, changed after changing it, clear to "
                "clear it; left empty it stays carried and unconfirmed")


#: The action plan's columns (docs/cycle.md, Action plan): optional, one value per
#: criterion, written on any one of its rows.
PLAN_COLUMNS = ("action", "owner", "due", "status")
PLAN_HELP = ("the last four columns are the action plan, all optional: `action` (what you "
             "will do; empty: the rubric's recommendation), `owner`, `due` (a date, or "
             "2026-Q2, 2026-H1, 2026-06, 2026) and `status` (planned, under-way, done, "
             "dropped); one value per criterion, on any of its rows")
PLAN_HELP_SENTENCE = "The " + PLAN_HELP[4:] + "."


def _level_cell(rubric: Rubric, level: int, labels: bool) -> str:
    return (f"{level} \u2013 {rubric.level_name(level)}"
            if labels and rubric.scale else str(level))


def prefilled_cells(rubric: Rubric, row: q.Row, answer: dict[str, Any], first: bool, *,
                    labels: bool = False) -> dict[str, str]:
    """The cells of one sheet row that show a carried ``answer`` (assessment data), as
    a person would have typed it; ``first``: the criterion's first row, which takes its
    target and notes. ``labels``: levels and choices as the workbook's drop-downs show
    them. What the cells say is read back to the same answer by ``to_assessment``."""
    from cyberdip.model.rubric import ChoiceCriterion, MetricCriterion

    c = row.criterion
    cells: dict[str, str] = {}
    na = answer.get("not_applicable")
    if isinstance(na, str) and na.strip():
        if first:
            cells["answer"], cells["N/A reason"] = "n/a", na
    elif row.indicator is None and answer.get("level") is None and answer.get("indicators"):
        # levels mode (``init --mode levels``): indicators answered, shown as the level
        # they reach
        lv = level_of_indicators(rubric, c, answer)
        if lv is not None:
            cells["answer"] = _level_cell(rubric, lv, labels)
        ev = [e for v in (answer.get("indicators") or {}).values() if isinstance(v, dict)
              for e in v.get("evidence") or []]
        ev += [e for e in answer.get("evidence") or [] if e not in ev]
        if ev:
            cells["evidence"] = "\n".join(ev)
    elif row.indicator is not None:
        inds = answer.get("indicators") or {}
        v = inds.get(row.indicator.id)
        met = v.get("met") if isinstance(v, dict) else v
        if met is None and answer.get("level") is not None and row.level is not None \
                and row.level <= answer["level"]:
            met = True  # a quick `level:` shown as its indicators, met up to it
        if met is not None:
            cells["answer"] = "yes" if met else "no"
        ev = list(v.get("evidence") or []) if isinstance(v, dict) else []
        top_met = [r for r in q.rows_of(rubric, c) if _met_row(answer, r)]
        if answer.get("evidence") and top_met and top_met[-1].id == row.id:
            ev += [e for e in answer["evidence"] if e not in ev]
        elif answer.get("evidence") and not top_met and first:
            ev = list(answer["evidence"])
        if ev:
            cells["evidence"] = q.evidence_cell(ev)
    else:
        if answer.get("met") is not None:
            cells["answer"] = "yes" if answer["met"] else "no"
        elif answer.get("value") is not None:
            v = answer["value"]
            cells["answer"] = str(int(v)) if float(v).is_integer() else repr(float(v))
        elif answer.get("answer") is not None and isinstance(c, ChoiceCriterion):
            o = next((o for o in q.options(rubric, c) if o.id == answer["answer"]), None)
            cells["answer"] = (f"{o.id} \u2013 {o.name}" if labels and o is not None
                               else str(answer["answer"]))
        elif answer.get("level") is not None:
            cells["answer"] = ("none" if isinstance(c, MetricCriterion)
                               else _level_cell(rubric, answer["level"], labels))
        if answer.get("evidence"):
            cells["evidence"] = q.evidence_cell(answer["evidence"])
    if first:
        if answer.get("target") is not None:
            cells["target"] = _level_cell(rubric, answer["target"], labels)
        if answer.get("notes"):
            cells["notes"] = str(answer["notes"])
        for k in PLAN_COLUMNS:  # last year's plan comes along, for its status to update
            if answer.get(k) is not None:
                cells[k] = str(answer[k])
    return cells


def level_of_indicators(rubric: Rubric, c: Any, answer: dict[str, Any]) -> int | None:
    """The level a criterion's indicators answered in ``answer`` (assessment data)
    reach: the highest whose indicators, and all below, are met; None when none is
    answered."""
    inds = answer.get("indicators") or {}
    met = {k: (v.get("met") if isinstance(v, dict) else v) for k, v in inds.items()}
    if not any(v is not None for v in met.values()):
        return None
    reached = rubric.lowest
    by_level: dict[int, list[str]] = {}
    for lv, ind in c.indicator_list():
        by_level.setdefault(lv, []).append(ind.id)
    for lv in sorted(by_level):
        if not all(met.get(i) is True for i in by_level[lv]):
            break
        reached = lv
    return reached


def _met_row(answer: dict[str, Any], r: q.Row) -> bool:
    v = (answer.get("indicators") or {}).get(r.indicator.id) if r.indicator else None
    met = v.get("met") if isinstance(v, dict) else v
    return met is True or (met is None and answer.get("level") is not None
                           and r.level is not None and r.level <= answer["level"])


def section_details(section: Any) -> list[tuple[str, str, str]]:
    """The detail rows a section adds: ``(name, value, hint)``, all not to be changed."""
    from cyberdip.formats.blank import carried_label

    out = []
    if section is not None and section.respondent is not None:
        out.append(("section", section.respondent, "(do not change: the section of the "
                    "cycle this sheet answers)"))
    if section is not None and section.carried:
        m = section.carried
        out.append(("carried from", str(m["source"]), "(do not change) the answers "
                    f"marked in `carried` are {carried_label(m)}'s; {CONFIRM_HELP}"))
        if m.get("period"):
            out.append(("carried period", str(m["period"]), "(do not change)"))
        if m.get("date"):
            out.append(("carried date", str(m["date"]), "(do not change)"))
    return out


def blank_csv(rubric: Rubric, rubric_ref: str, profile: str | None = None,
              section: Any = None, mode: str = "indicators", wording: Any = None) -> bytes:
    """One row per criterion (per indicator where a criterion has indicators) asked of
    ``profile``, blank answer columns; UTF-8 with a BOM, CRLF rows. A ``section``
    (``formats.cycle.Section``) keeps only its rows, names its respondent, and fills in
    the answers carried forward, with the columns `carried` and `confirm`."""
    from cyberdip.formats.blank import carried_label
    from cyberdip.formats.wording import LANGUAGE_DETAIL, Wording

    words = wording or Wording()
    t = words.t
    profile = profile or rubric.default_profile()
    org = section.organisation if section is not None else {}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    # Every cell with words from the rubric (or its file name) goes through csv_cell.
    help_text = ("Fill in the organisation below, then for each criterion the column "
                 "`answer` (see `allowed answers`); evidence is optional (one per line "
                 "(Alt+Enter), or separated by ` | `); target is the level you aim for, on "
                 "the criterion's first row; write n/a in `answer` and why in `N/A reason` "
                 "when a criterion does not apply. Save as CSV UTF-8, then run: cyberdip "
                 "import FILE.csv -o assessment.yaml")
    title = words._r("rubric_title", rubric.title)
    w.writerow([csv_cell(f"# {title} ({rubric.id} {rubric.version}). {t(help_text)}. "
                         f"{t(PLAN_HELP_SENTENCE)}")])
    w.writerow(["rubric", csv_cell(rubric_ref), t("(do not change)")])
    w.writerow(["rubric version", csv_cell(rubric.version), t("(do not change)")])
    if not words.english:  # read first on import: the rest is read in this language
        w.writerow([LANGUAGE_DETAIL, words.lang, t("(do not change)")])
    w.writerow(["organisation", csv_cell(str(org.get("name") or "")),
                t("e.g. Ministry of Foreign Affairs")])
    w.writerow(["unit", csv_cell(str(org.get("unit") or "")),
                t("e.g. Embassy in Berlin (leave empty for headquarters)")])
    w.writerow(["country", csv_cell(str(org.get("country") or "")), ""])
    w.writerow(["period", "", t("e.g. 2025")])
    w.writerow(["date", "", t(DATE_HINT)])
    if profile is not None:
        w.writerow(["profile", csv_cell(profile), t("(do not change: the questions below are "
                                                    "this profile's)")])
    if section is not None and section.respondent is not None:
        w.writerow(["respondent", csv_cell(section.respondent), "who answers this section"])
    for name, value, hint in section_details(section):
        w.writerow([name, csv_cell(value), csv_cell(hint)])
    prefill = section.prefill if section is not None else {}
    columns = COLUMNS + (CARRY_COLUMNS if prefill else ())
    w.writerow([])
    w.writerow([csv_cell(t(c)) for c in columns])
    done: set[str] = set()
    for row in q.sheet_rows(rubric, profile, mode):
        cid = row.criterion.id
        if section is not None and not section.holds(cid):
            continue
        cells = {"id": row.id, "area": words.area(row.area),
                 "title": words.row_title(rubric, row), "question": words.question(row, profile),
                 "allowed answers": words.allowed_cell(rubric, row.criterion,
                                                       row.indicator is not None,
                                                       cid not in done)}
        if cid in prefill:
            cells.update(prefilled_cells(rubric, row, prefill[cid], cid not in done))
            cells["carried"] = carried_label(prefill[cid].get("carried"))
        done.add(cid)
        w.writerow([csv_cell(cells.get(col, "")) for col in columns])
    return buf.getvalue().encode("utf-8-sig")


# -- reading a filled-in sheet -----------------------------------------------------------


@dataclass
class Sheet:
    """A sheet read into metadata and table rows, each with its row number: a CSV file,
    or a workbook's sheets (``formats.workbook``), which locate cells their own way."""

    path: str
    meta: dict[str, tuple[int, str]] = field(default_factory=dict)  # key -> (row, value)
    header_row: int = 0
    columns: dict[str, int] = field(default_factory=dict)  # normalised heading -> index
    headings: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: ``12,5`` is 12.5: the sheet is semicolon-separated, as a European Excel writes it.
    decimal_comma: bool = False
    #: Problems found while reading a row (a formula in a workbook's cell), said in the
    #: row's turn, and the rows that cannot be read at all (their id is a formula).
    row_problems: dict[int, list[Problem]] = field(default_factory=dict)
    unread_rows: set[int] = field(default_factory=set)
    #: Where a cell is, for a problem: ``(row, column heading or detail) -> location``.
    #: None: a CSV's ``missions.csv:row 14:answer``.
    locate: Callable[[int, str], str] | None = None
    #: The same by 0-based column index (a repeated heading has no name of its own).
    locate_column: Callable[[int, int], str] | None = None
    #: Where each criterion's target was first read: criterion id -> (row, level).
    target_at: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: The languages a sheet may be written in besides English: code ->
    #: ``formats.wording.Wording`` (its column headings are read as the English ones).
    wordings: dict[str, Any] = field(default_factory=dict)

    @property
    def language(self) -> str:
        """The language the sheet says it is written in (its `language` detail)."""
        return self.meta.get("language", (0, ""))[1].strip().lower() or "en"

    def cell(self, cells: list[str], column: str) -> str:
        i = self.columns.get(_norm(column))
        if i is None or i >= len(cells):
            return ""
        return cells[i].strip()

    def where(self, row: int, column: str) -> str:
        return self.locate(row, column) if self.locate else where(self.path, row, column)

    def where_column(self, row: int, index: int) -> str:
        """The location of the cell in 0-based column ``index`` of ``row``: a
        workbook's ``x.xlsx:Answers!K1``, a CSV's ``x.csv:row 9:column 11``."""
        if self.locate_column is not None:
            return self.locate_column(row, index)
        return where(self.path, row, f"column {index + 1}")

    def problem(self, row: int, column: str, code: str, message: str,
                level: str = "error") -> Problem:
        return Problem(self.where(row, column), 0, 0, level, code, message)


def _norm(heading: str) -> str:
    h = heading.replace("\u00a0", " ").strip().lower().replace("_", " ")
    h = re.sub(r"\s+", " ", h)
    return {"n/a reason": "n/a reason", "na reason": "n/a reason",
            "not applicable": "n/a reason", "allowed": "allowed answers"}.get(h, h)


def _decode(data: bytes, path: str) -> tuple[str, Problem | None]:
    """The text of a CSV, and a warning when it was not UTF-8 and was read as
    Windows-1252 (what Excel's plain "CSV" writes in Western Europe and the Americas)."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        head = data[:e.start]
        row = head.count(b"\n") + 1
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise InvalidInput([Problem(
            f"{path}:row {row}", 0, 0, "error", "CD001",
            "the file is not UTF-8 text; in Excel use File > Save As > "
            "\"CSV UTF-8 (Comma delimited)\"")]) from None
    return text, Problem(
        path, 0, 0, "warning", "CD007",
        f"the file is not UTF-8 (first at row {row}), so it was read as Windows-1252 "
        "(cp1252), the encoding Excel's plain \"CSV\" uses; check names and evidence in "
        "other scripts, and next time save as \"CSV UTF-8\"")


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab some Excel locales write instead."""
    for line in text.splitlines():
        m = re.match(r'^\s*"?id"?\s*([,;\t])', line, re.IGNORECASE)
        if m:
            return m.group(1)
    return ","


def _unguard(cell: str) -> str:
    """Undo ``csv_cell``'s guard: the ``'`` put before text a spreadsheet would take
    for a formula (``'-r.yaml``) is not part of the text."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_START:
        return cell[1:]
    return cell


def parse(data: bytes, path: str, wordings: dict[str, Any] | None = None) -> Sheet:
    """Split a CSV into its ``name,value`` details and its table (its headings read in
    the language its `language` detail names, one of ``wordings``). Raises InvalidInput
    when there is no table at all."""
    text, guessed = _decode(data, path)
    if "\x00" in text:
        raise InvalidInput([Problem(path, 0, 0, "error", "CD001",
                                    "the file contains NUL bytes (is it an .xlsx file? save "
                                    "it as CSV UTF-8)")])
    delimiter = _delimiter(text)
    sheet = Sheet(path, decimal_comma=delimiter == ";", wordings=dict(wordings or {}))
    if guessed is not None:
        sheet.problems.append(guessed)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        raise InvalidInput([Problem(path, 0, 0, "error", "CD001",
                                    f"cannot read the CSV: {e}")]) from None
    return read_records(sheet, [[_unguard(c) for c in cells] for cells in records])


def read_records(sheet: Sheet, records: list[list[str]], *, first_row: int = 1,
                 details: bool = True) -> Sheet:
    """Fill ``sheet`` from its rows of cells: ``name,value`` details (when ``details``),
    then the table from the row whose first cell is ``id``. Raises InvalidInput when
    there is no table, or it lacks a required column."""
    path = sheet.path
    aliases: dict[str, str] = {}
    for n, cells in enumerate(records, first_row):
        first = cells[0].strip() if cells else ""
        if not sheet.header_row:
            if not any(c.strip() for c in cells) or first.startswith("#"):
                continue
            if sheet.language in sheet.wordings and not aliases:
                # headings in the sheet's language: read as the English they translate
                aliases = sheet.wordings[sheet.language].headings(
                    COLUMNS + CARRY_COLUMNS)
            if _norm(aliases.get(first, first)) == "id":
                sheet.header_row = n
                sheet.headings = [h.strip() for h in cells]
                for i, h in enumerate(cells):
                    if not h.strip():
                        continue
                    first_at = sheet.columns.setdefault(_norm(aliases.get(h.strip(), h)), i)
                    if first_at != i:  # its cells would be dropped without a word
                        sheet.problems.append(Problem(
                            sheet.where_column(n, i), 0, 0, "error", "CD326",
                            f"the column heading `{quote(h.strip())}` is repeated (first "
                            f"in column {first_at + 1}, again in column {i + 1}); only one "
                            "column of a heading is read: merge the two columns, or rename "
                            "or delete one"))
                continue
            key = META.get(_norm(first)) if details else None
            if not details:
                continue
            if key is None:
                sheet.problems.append(sheet.problem(
                    n, first, "CD102", f"`{quote(first)}` is not a detail cyberdip knows "
                    f"(known: {', '.join(sorted(set(META) - {'organization'}))}); the row "
                    "is ignored", level="warning"))
                continue
            sheet.meta[key] = (n, cells[1].strip() if len(cells) > 1 else "")
            continue
        if not any(c.strip() for c in cells) or first.startswith("#"):
            continue  # empty rows (Excel keeps some at the end) and notes
        sheet.rows.append((n, cells))
    if not sheet.header_row and sheet.language != "en" \
            and sheet.language not in sheet.wordings:
        known = ", ".join(["en", *sorted(sheet.wordings)])
        raise InvalidInput([sheet.problem(
            sheet.meta["language"][0], "language", "CD342",
            f"the sheet says it is written in `{quote(sheet.language)}`, a language cyberdip "
            f"does not read questionnaires in (it reads {known}); make the sheet again with "
            "`cyberdip init --lang`")])
    if not sheet.header_row:
        raise InvalidInput([Problem(path, 0, 0, "error", "CD103",
                                    "no table found: one row must start with the heading `id` "
                                    "(make a sheet with `cyberdip init RUBRIC --format csv`)")])
    missing = [c for c in REQUIRED if c not in sheet.columns]
    if missing:
        raise InvalidInput([sheet.problem(
            sheet.header_row, missing[0], "CD103",
            f"the column `{missing[0]}` is missing from the headings "
            f"({', '.join(quote(h) for h in sheet.headings[:20] if h)}); expected "
            f"{', '.join(COLUMNS)}")])
    if len(sheet.rows) > q.MAX_ROWS:
        raise InvalidInput([Problem(path, 0, 0, "error", "CD003", (
            f"the sheet has {len(sheet.rows):,} question rows, more than the "
            f"{q.MAX_ROWS:,} a questionnaire may hold (one per criterion or indicator); "
            "split the rubric, or answer in YAML"))])
    return sheet


def _answer(sheet: Sheet, rubric: Rubric, c: Any, row: int, cells: list[str],
            out: list[Problem]) -> dict[str, Any] | None:
    ans: dict[str, Any] = {}
    raw = sheet.cell(cells, "answer")
    reason = sheet.cell(cells, "N/A reason")
    if raw and not q.is_na(raw):
        try:
            key, value = q.parse_value_for(rubric, c, raw, decimal_comma=sheet.decimal_comma)
            ans[key] = value
            doubt = q.thousands_doubt(raw, decimal_comma=sheet.decimal_comma)
            if key == "value" and doubt:
                out.append(sheet.problem(row, "answer", "CD320", f"{doubt} (`{c.id}`)",
                                         level="warning"))
        except q.AnswerError as e:
            fits = q.allowed(rubric, c, compact=True)
            out.append(sheet.problem(row, "answer", e.code,
                                     f"{e.message}; `{c.id}` takes {fits}"))
        if reason:
            out.append(sheet.problem(row, "N/A reason", "CD309",
                                    f"`{c.id}` has both an answer ({quote(raw)}) and an N/A "
                                    f"reason; "
                                    "keep one"))
    elif reason:
        ans["not_applicable"] = reason
    elif raw:
        out.append(sheet.problem(row, "N/A reason", "CD305",
                                f"`{c.id}` is marked n/a without a reason; write why it does "
                                "not apply in `N/A reason`"))
    evidence = _evidence(sheet, row, cells, out)
    if evidence:
        ans["evidence"] = evidence
    _target_and_notes(sheet, rubric, row, cells, ans, out, c.id)
    return ans or None


def _evidence(sheet: Sheet, row: int, cells: list[str], out: list[Problem]) -> list[Any]:
    """A row's evidence cell: its items, plain or dated (``q.parse_evidence``); a detail
    that cannot be read is an error at the cell (CD710), and the cell is not read."""
    try:
        return q.parse_evidence(sheet.cell(cells, "evidence"))
    except q.AnswerError as e:
        out.append(sheet.problem(row, "evidence", e.code, e.message))
        return []


def _target_and_notes(sheet: Sheet, rubric: Rubric, row: int, cells: list[str],
                      ans: dict[str, Any], out: list[Problem], cid: str | None = None
                      ) -> None:
    """A row's `target` and `notes` into ``ans``; notes from several rows of one
    criterion (its indicators) are kept, one a line. Targets on several rows of
    criterion ``cid`` must agree (CD341): a criterion has one target."""
    t = sheet.cell(cells, "target")
    if t:
        try:
            target = q.parse_target(rubric, t, decimal_comma=sheet.decimal_comma)
        except q.AnswerError as e:
            out.append(sheet.problem(row, "target", e.code, e.message))
        else:
            first = sheet.target_at.setdefault(cid, (row, target)) if cid else (row, target)
            if first[1] != target:
                # a criterion has one target: never pick one of two without a word
                out.append(sheet.problem(row, "target", "CD341", (
                    f"`{cid}` has a target on more than one of its rows, and they differ: "
                    f"{first[1]} at {sheet.where(first[0], 'target')}, {target} here; a "
                    "criterion has one target: keep it on the criterion's first row and "
                    "clear the others")))
            else:
                ans["target"] = target
    notes = sheet.cell(cells, "notes")
    if notes:
        ans["notes"] = (ans["notes"] + "\n" + notes) if ans.get("notes") else notes
    _plan_cells(sheet, row, cells, ans, out)


#: Where a plan value of a criterion was first read: ``ans[_PLAN_ROWS][column] = row``,
#: taken out of the answer before it is returned.
_PLAN_ROWS = "\0plan-rows"


def _plan_cells(sheet: Sheet, row: int, cells: list[str], ans: dict[str, Any],
                out: list[Problem]) -> None:
    """A row's action plan cells into ``ans``: a status must be one of the four (CD336);
    a due written as a day becomes a date; two rows of one criterion that give
    different values in a column are refused (CD337)."""
    import datetime as dt

    from cyberdip.model.assessment import PLAN_STATUSES
    from cyberdip.model.fields import did_you_mean

    cid = sheet.cell(cells, "id").split(q.INDICATOR_SEP, 1)[0]
    seen = ans.get(_PLAN_ROWS, {})
    for column in PLAN_COLUMNS:
        raw = sheet.cell(cells, column)
        if not raw:
            continue
        value: Any = raw
        if column == "status":
            word = re.sub(r"[\s_]+", "-", raw.strip().lower())
            word = {"underway": "under-way"}.get(word, word)
            if word not in PLAN_STATUSES:
                hint = did_you_mean(word, list(PLAN_STATUSES))
                out.append(sheet.problem(row, column, "CD336", (
                    f"`{cid}`: `{quote(raw)[:40]}` is not a status of an action; write one "
                    f"of {', '.join(PLAN_STATUSES)}" + (f" ({hint})" if hint else ""))))
                continue
            value = word
        elif column == "due" and re.fullmatch(r"\d{4}-\d\d-\d\d", raw):
            try:
                value = dt.date.fromisoformat(raw)
            except ValueError:
                value = raw  # not a day: kept as written, never judged
        if column in seen and ans.get(column) != value:
            out.append(sheet.problem(row, column, "CD337", (
                f"`{cid}`: this row's `{column}` (`{quote(raw)[:40]}`) differs from row "
                f"{seen[column]}'s (`{quote(str(ans.get(column)))[:40]}`); write the plan "
                "once, on one row of the criterion")))
            continue
        seen.setdefault(column, row)
        ans[_PLAN_ROWS] = seen
        ans[column] = value


def to_assessment(sheet: Sheet, rubric: Rubric, rubric_ref: str, *,
                  organisation: str | None = None, wording: Any = None
                  ) -> tuple[dict[str, Any], list[Problem]]:
    """Assessment data from a sheet, and every problem found (errors and warnings).
    A sheet in another language is read with its ``wording`` (``formats.wording``):
    what its drop-downs offer means what the English ones do."""
    path = sheet.path
    problems = list(sheet.problems)
    _in_english(sheet, rubric, wording, problems)
    meta = {k: v for k, (_, v) in sheet.meta.items()}
    org_name = organisation or meta.get("organisation", "")
    row = sheet.meta.get("organisation", (0, ""))[0]
    at = sheet.where(row, "organisation") if row else path
    if not org_name and not any(p.path == at for p in problems):  # a formula, said already
        problems.append(Problem(
            at, 0, 0, "error", "CD103",
            "the organisation is empty: write the ministry's or mission's name next to "
            "`organisation` at the top of the sheet (or pass --organisation)"))
    version = meta.get("rubric_version") or None
    if version and version != rubric.version:
        problems.append(sheet.problem(sheet.meta["rubric_version"][0], "rubric version",
                                     "CD307", f"the sheet was made for version {version} of "
                                     f"`{rubric.id}`, but the rubric is now {rubric.version}; "
                                     "check new or changed criteria", level="warning"))
    org: dict[str, Any] = {"name": org_name}
    for k in ("unit", "country"):
        if meta.get(k):
            org[k] = meta[k]
    data: dict[str, Any] = {"rubric": rubric_ref, "rubric_version": version or rubric.version,
                            "organisation": org}
    for k in ("period", "date"):
        if meta.get(k):
            data[k] = meta[k]
    if meta.get("respondent"):
        data["assessors"] = [meta["respondent"]]
    if meta.get("disclaimer"):
        from cyberdip.model.assessment import DISCLAIMER_MAX

        if len(meta["disclaimer"]) > DISCLAIMER_MAX:
            problems.append(sheet.problem(
                sheet.meta["disclaimer"][0], "disclaimer", "CD106",
                f"the disclaimer has {len(meta['disclaimer'])} characters; keep it to "
                f"{DISCLAIMER_MAX} (a caveat of two or three sentences; notes go in `notes`)"))
        else:
            data["disclaimer"] = meta["disclaimer"]

    profile, refused = meta.get("profile") or None, False
    if profile is not None:
        data["profile"] = profile
        if profile not in rubric.profile_ids():  # said at its cell, with the others
            known = ", ".join(rubric.profile_ids())
            problems.append(sheet.problem(
                sheet.meta["profile"][0], "profile", "CD316",
                f"profile `{profile}` is not one of `{rubric.id}`'s "
                + (f"profiles ({known})" if known else "(it has no profiles; remove the row)")))
            profile, refused = None, True  # then which rows belong is not known either
    criteria = {c.id: c for _, c in rubric.criteria()}
    seen: dict[str, int] = {}
    found: dict[str, dict[str, Any] | None] = {}
    for row, cells in sheet.rows:
        problems.extend(sheet.row_problems.get(row, []))
        if row in sheet.unread_rows:
            continue
        rid = sheet.cell(cells, "id")
        if q.INDICATOR_SEP in rid:
            _indicator_row(sheet, rubric, criteria, rid, row, cells, seen, found, problems)
            continue
        cid = sheet.cell(cells, "id")
        if not cid:
            problems.append(sheet.problem(row, "id", "CD103",
                                         "this row has no id; put the row back as `init` "
                                         "wrote it, or delete it"))
            continue
        if cid in seen:
            problems.append(sheet.problem(row, "id", "CD309",
                                         f"`{quote(cid)}` is already answered on row "
                                         f"{seen[cid]}; "
                                         "keep one of the two rows"))
            continue
        seen[cid] = row
        c = criteria.get(cid)
        if c is None:
            from cyberdip.model.fields import did_you_mean

            hint = did_you_mean(cid, list(criteria))
            problems.append(sheet.problem(row, "id", "CD301",
                                         f"`{quote(cid)}` is not a criterion of "
                                         f"`{rubric.id}`"
                                         + (f": {hint}" if hint else "")))
            continue
        found[cid] = _answer(sheet, rubric, c, row, cells, problems)
    _contradictions(sheet, rubric, criteria, found, seen, problems)
    read = {row for row, _ in sheet.rows}  # a row of nothing but a formula has no turn
    problems.extend(p for row, ps in sorted(sheet.row_problems.items()) if row not in read
                    for p in ps)
    _carried(sheet, meta, criteria, found, problems)
    if meta.get("section"):
        data["section"] = meta["section"]
    asked = {c.id for _, c in rubric.criteria()
             if c.applies(profile or rubric.default_profile())}
    missing = [cid for cid in criteria if cid not in seen and cid in asked
               and not any(k.startswith(cid + q.INDICATOR_SEP) for k in seen)]
    if missing and not refused and not meta.get("section"):  # a section: some only
        what = "criterion" if len(missing) == 1 else "criteria"
        problems.append(Problem(path, 0, 0, "warning", "CD103",
                                f"no row for {len(missing)} {what}, so not assessed (add the "
                                "row to answer it): "
                                f"{', '.join(missing)}"))
    for ans in found.values():
        if ans is not None:
            ans.pop(_PLAN_ROWS, None)
    data["answers"] = {cid: found[cid] for cid in criteria if found.get(cid)}
    return data, problems


def _in_english(sheet: Sheet, rubric: Rubric, wording: Any, out: list[Problem]) -> None:
    """The answer and target cells of a sheet in another language, as the English
    sheet would hold them (``n/a``, ``yes``, ``3 – Defined``); a language cyberdip
    does not know is refused at its cell (CD342)."""
    from cyberdip.formats.wording import to_english

    lang = sheet.language
    if lang == "en":
        return
    if wording is None or wording.lang != lang:
        known = ", ".join(["en", *sorted(sheet.wordings)])
        out.append(sheet.problem(sheet.meta["language"][0], "language", "CD342", (
            f"the sheet says it is written in `{quote(lang)}`, a language cyberdip does not "
            f"read questionnaires in (it reads {known}); make the sheet again with "
            "`cyberdip init --lang`")))
        return
    table = wording.answers_to_english(rubric)
    for _, cells in sheet.rows:
        for column in ("answer", "target"):
            i = sheet.columns.get(column)
            if i is not None and i < len(cells):
                cells[i] = to_english(cells[i], table)


def _carried(sheet: Sheet, meta: dict[str, str], criteria: dict[str, Any],
             found: dict[str, dict[str, Any] | None], out: list[Problem]) -> None:
    """The `carried` and `confirm` columns (docs/cycle.md): a criterion whose rows say
    where its answer was carried from stays marked ``carried:`` until a row of it says
    yes or changed in `confirm`; clear drops the answer."""
    from cyberdip.formats.cycle import CONFIRM_WORDS

    if "carried" not in sheet.columns and "confirm" not in sheet.columns:
        return
    marker: dict[str, Any] = {"source": meta.get("carried_from") or "an earlier assessment"}
    for key in ("period", "date"):
        if meta.get(f"carried_{key}"):
            marker[key] = meta[f"carried_{key}"]
    said: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    was: set[str] = set()
    for row, cells in sheet.rows:
        cid = sheet.cell(cells, "id").split(q.INDICATOR_SEP, 1)[0]
        if cid not in criteria:
            continue
        if sheet.cell(cells, "carried"):
            was.add(cid)
        word = sheet.cell(cells, "confirm").strip().lower()
        if not word:
            continue
        if word not in CONFIRM_WORDS:
            out.append(sheet.problem(row, "confirm", "CD708", f"`{word[:40]}` is not a word "
                                     "of the `confirm` column: write yes (the carried answer "
                                     "holds), changed (you changed it) or clear (no answer), "
                                     "or leave it empty"))
            continue
        said.setdefault(cid, set()).add(CONFIRM_WORDS[word])
        first.setdefault(cid, row)
    for cid, words in said.items():
        if "clear" in words and len(words) > 1:
            out.append(sheet.problem(first[cid], "confirm", "CD708", f"`{cid}`: its rows say both "
                                     f"clear and {' and '.join(sorted(words - {'clear'}))} in "
                                     "`confirm`; keep one"))
        elif "clear" in words:
            found[cid] = None
    for cid in was - set(said):
        if found.get(cid):
            found[cid] = {**found[cid], "carried": dict(marker)}  # type: ignore[dict-item]


def _contradictions(sheet: Sheet, rubric: Rubric, criteria: dict[str, Any],
                    found: dict[str, dict[str, Any] | None], seen: dict[str, int],
                    out: list[Problem]) -> None:
    """A warning (CD324) at the answer cell of an indicator answered yes above one
    answered no, as `validate` gives it on the YAML."""
    from cyberdip.model.assessment import contradiction_message, contradictions

    for cid, ans in found.items():
        inds = (ans or {}).get("indicators")
        if not inds:
            continue
        met = {k: v["met"] if isinstance(v, dict) else v for k, v in inds.items()}
        pairs = contradictions([(lv, i.id, met.get(i.id))
                                for lv, i in criteria[cid].indicator_list()])
        if pairs:
            out.append(sheet.problem(seen[f"{cid}{q.INDICATOR_SEP}{pairs[0][3]}"], "answer",
                                     "CD324", contradiction_message(cid, pairs, rubric),
                                     level="warning"))


def _indicator_row(sheet: Sheet, rubric: Rubric, criteria: dict[str, Any], rid: str,
                   row: int, cells: list[str], seen: dict[str, int],
                   found: dict[str, dict[str, Any] | None], out: list[Problem]) -> None:
    """One indicator's row: yes or no (with its evidence) into the criterion's
    `indicators`; n/a, with a reason, marks the whole criterion not applicable; a
    target or notes go to the criterion."""
    from cyberdip.model.fields import did_you_mean

    cid, ind = rid.split(q.INDICATOR_SEP, 1)
    c = criteria.get(cid)
    known = [i.id for _, i in c.indicator_list()] if c is not None else []
    if c is None or ind not in known:
        hint = did_you_mean(rid, [f"{k}{q.INDICATOR_SEP}{i.id}" for k, cc in criteria.items()
                                  for _, i in cc.indicator_list()])
        out.append(sheet.problem(row, "id", "CD315", f"`{quote(rid)}` is not an indicator of "
                                 f"`{rubric.id}`" + (f": {hint}" if hint else "")))
        return
    if rid in seen:
        out.append(sheet.problem(row, "id", "CD309", f"`{quote(rid)}` is already answered on row "
                                 f"{seen[rid]}; keep one of the two rows"))
        return
    seen[rid] = row
    ans = found.get(cid) or {}
    raw = sheet.cell(cells, "answer")
    reason = sheet.cell(cells, "N/A reason")
    evidence = _evidence(sheet, row, cells, out)
    if raw and q.is_na(raw) or (reason and not raw):
        if not reason:
            out.append(sheet.problem(row, "N/A reason", "CD305",
                                     f"`{cid}` is marked n/a without a reason; write why it "
                                     "does not apply in `N/A reason`"))
        else:
            ans["not_applicable"] = reason
    elif raw:
        try:
            met = q.parse_met(raw)
        except q.AnswerError as e:
            out.append(sheet.problem(row, "answer", "CD304",
                                     f"{e.message}; an indicator takes yes or no"))
        else:
            inds = ans.setdefault("indicators", {})
            inds[ind] = {"met": met, "evidence": evidence} if evidence else met
            evidence = []
    if evidence:  # evidence on a row left unanswered belongs to the criterion
        ans.setdefault("evidence", []).extend(evidence)
    _target_and_notes(sheet, rubric, row, cells, ans, out, cid)
    if "not_applicable" in ans and ans.get("indicators"):
        out.append(sheet.problem(row, "answer", "CD309", f"`{cid}` has indicators answered "
                                 "and is marked n/a; keep one"))
    found[cid] = ans or None


def to_yaml(data: dict[str, Any], source: str) -> str:
    """The assessment file made from a sheet."""
    from cyberdip.textsafe import for_terminal
    from cyberdip.yamlio import dump

    # The name on one line, in UTF-8: a line break or a non-UTF-8 byte is escaped.
    return (f"# Imported from {for_terminal(source)} by `cyberdip import`. Check it with "
            "`cyberdip validate`, score it with `cyberdip score`.\n" + dump(data))


__all__ = ["COLUMNS", "META", "Sheet", "blank_csv", "cell_problem", "parse", "read_records",
           "safe_cell", "to_assessment", "to_yaml", "where", "PLAN_COLUMNS"]
