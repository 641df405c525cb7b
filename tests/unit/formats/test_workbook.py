"""The questionnaire workbook: written with drop-down lists, locked ids and no formula;
read back with Excel's ways (numbers as text, dates, re-sorted and hidden rows), every
problem at its cell, and nothing read that is not a workbook or would not fit in memory."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cyberdip.errors import InvalidInput, UnreadableInput
from cyberdip.formats import documents, spreadsheet, workbook
from tests.conftest import fill_workbook

DATA = Path(__file__).resolve().parents[2] / "data"
MINI = DATA / "rubrics" / "mini.yaml"


@pytest.fixture(scope="module")
def rubric():
    return documents.load_rubric_file(MINI)


@pytest.fixture
def blank(rubric, tmp_path) -> Path:
    p = tmp_path / "s.xlsx"
    p.write_bytes(workbook.blank_xlsx(rubric, "mini.yaml"))
    return p


def convert(path: Path, rubric):
    sheet = workbook.read(path.read_bytes(), path.name)
    return spreadsheet.to_assessment(sheet, rubric, "mini")


def test_the_workbook_has_instructions_answers_and_a_hidden_lists_sheet(rubric, blank):
    wb = openpyxl.load_workbook(blank)
    assert wb.sheetnames == ["Start", "Answers", "Lists"]
    assert wb["Lists"].sheet_state == "hidden"
    start = wb["Start"]
    labels = {r[0].value: r[1] for r in start.iter_rows() if r[0].value}
    assert labels["rubric"].value == "mini.yaml" and labels["rubric version"].value == "1.0.0"
    assert labels["organisation"].protection.locked is False
    assert labels["rubric"].protection.locked is True
    assert "How to fill in this workbook" in [r[0].value for r in start.iter_rows()]
    ws = wb["Answers"]
    assert tuple(c.value for c in ws[1]) == spreadsheet.COLUMNS
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == rubric.criterion_ids()
    assert ws.freeze_panes == "A2"
    assert ws.protection.sheet is True and not ws.protection.password
    row = ws[2]
    locked = {spreadsheet.COLUMNS[i]: c.protection.locked for i, c in enumerate(row)}
    assert [k for k, v in locked.items() if not v] == list(workbook.OPEN_COLUMNS)
    assert row[3].alignment.wrap_text
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"


def test_every_answer_cell_has_a_drop_down_of_the_answers_that_fit(rubric, blank):
    wb = openpyxl.load_workbook(blank)
    ws, lists = wb["Answers"], wb["Lists"]
    by_cell = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    by_cell[(row, col)] = dv
    answer = spreadsheet.COLUMNS.index("answer") + 1
    target = spreadsheet.COLUMNS.index("target") + 1

    def entries(dv):
        ref = dv.formula1.split("!")[1].replace("$", "")
        return [c.value for row in lists[ref] for c in row]

    for i, (_, c) in enumerate(rubric.criteria(), 2):
        dv = by_cell[(i, answer)]
        if c.kind == "boolean":
            assert entries(dv) == ["yes", "no", "n/a"]
        elif c.kind == "level":
            assert entries(dv) == [*workbook.level_labels(rubric), "n/a"]
            assert entries(dv)[3] == f"3 \u2013 {rubric.level_name(3)}"
        else:  # a number in the metric's range
            assert dv.type == "decimal" and (dv.formula1, dv.formula2) == ("0", "100")
        assert entries(by_cell[(i, target)]) == workbook.level_labels(rubric)


def test_the_same_rubric_gives_the_same_bytes(rubric):
    a = workbook.blank_xlsx(rubric, "mini.yaml")
    assert a == workbook.blank_xlsx(rubric, "mini.yaml")
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert core.count("2000-01-01T00:00:00Z") == 2


PAYLOADS = ["=1+1", "+1+1", "-1+1", "@SUM(1)", '=HYPERLINK("http://x","y")', "\x1b]0;x\x07"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rubric_text_is_written_as_text_never_a_formula(rubric, payload, tmp_path):
    area = rubric.areas[0]
    c0 = area.criteria[0].model_copy(update={"question": payload, "title": payload})
    evil = rubric.model_copy(update={"title": payload, "areas": [area.model_copy(update={
        "title": payload, "criteria": [c0]})]})
    data = workbook.blank_xlsx(evil, payload)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells and all(c.data_type == "s" for c in cells)
    assert not any(isinstance(c.value, str) and "\x1b" in c.value for c in cells)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in sheets  # no formula element anywhere
    if payload[0] in "=+-@":
        row = wb["Answers"][2]
        assert row[1].value == payload and row[1].quotePrefix


def test_a_filled_workbook_reads_like_the_csv_route_with_excels_ways(rubric, blank):
    fill_workbook(blank, {
        "policy.strategy": {"answer": "2 \u2013 " + rubric.level_name(2), "target": "4"},
        "policy.law": {"answer": True, "evidence": "PECA 2016\nhttps://example.org/a "},
        "outreach.missions-online": {"answer": "30 ", "evidence": "  "},  # text, spaces
        "outreach.dialogue": {"answer": "n/a", "N/A reason": "no public channels yet "},
    }, {"organisation": "Test Ministry ", "period": 2023, "respondent": "Ana"})
    data, problems = convert(blank, rubric)
    assert problems == []
    assert data["organisation"] == {"name": "Test Ministry"}
    assert data["period"] == "2023" and data["assessors"] == ["Ana"]
    assert data["answers"] == {
        "policy.strategy": {"level": 2, "target": 4},
        "policy.law": {"met": True, "evidence": ["PECA 2016", "https://example.org/a"]},
        "outreach.missions-online": {"value": 30},
        "outreach.dialogue": {"not_applicable": "no public channels yet"}}


def test_rows_are_matched_by_id_when_resorted_or_hidden_and_cells_as_excel_stores(
        rubric, blank):
    wb = openpyxl.load_workbook(blank)
    ws = wb["Answers"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    rows.reverse()  # sorted the other way
    for i, values in enumerate(rows, 2):
        for j, v in enumerate(values, 1):
            ws.cell(row=i, column=j).value = v
    answer = spreadsheet.COLUMNS.index("answer") + 1
    by_id = {ws.cell(row=i, column=1).value: i for i in range(2, ws.max_row + 1)}
    ws.cell(row=by_id["policy.strategy"], column=answer).value = 3.0  # a float
    ws.cell(row=by_id["outreach.missions-online"], column=answer).value = 0.45
    ws.cell(row=by_id["outreach.missions-online"], column=answer).number_format = "0%"
    ws.row_dimensions[by_id["policy.law"]].hidden = True
    ws.cell(row=by_id["policy.law"], column=answer).value = "no"
    wb["Start"]["B14"].value = "X"  # organisation
    wb["Start"]["B17"].value = dt.datetime(2025, 6, 30)  # a date Excel made of "period"
    wb.save(blank)
    data, problems = convert(blank, rubric)
    assert problems == [] and data["period"] == "2025-06-30"
    assert data["answers"] == {"policy.strategy": {"level": 3}, "policy.law": {"met": False},
                               "outreach.missions-online": {"value": 45}}


def test_every_problem_is_located_at_its_cell_all_at_once(rubric, blank):
    fill_workbook(blank, {"policy.strategy": {"answer": "7"},
                          "policy.law": {"answer": "maybe", "target": "9"},
                          "outreach.dialogue": {"answer": "=1+1"}},
                  {"organisation": ""})
    wb = openpyxl.load_workbook(blank)
    assert wb["Answers"]["F5"].data_type == "f"  # a formula a person typed
    # the formula is one problem among the others, all in one run
    _, problems = convert(blank, rubric)
    assert [(p.path, p.level, p.code) for p in problems] == [
        ("s.xlsx:Start!B14", "error", "CD103"),
        ("s.xlsx:Answers!F2", "error", "CD302"),
        ("s.xlsx:Answers!F3", "error", "CD304"),
        ("s.xlsx:Answers!H3", "error", "CD302"),
        ("s.xlsx:Answers!F5", "error", "CD318"),  # in its row's turn
    ]
    wb["Answers"]["F5"].value = "yes-ish"
    wb.save(blank)
    _, problems = convert(blank, rubric)
    assert [(p.path, p.level, p.code) for p in problems] == [
        ("s.xlsx:Start!B14", "error", "CD103"),
        ("s.xlsx:Answers!F2", "error", "CD302"),
        ("s.xlsx:Answers!F3", "error", "CD304"),
        ("s.xlsx:Answers!H3", "error", "CD302"),
        ("s.xlsx:Answers!F5", "error", "CD302"),
    ]


def test_a_formula_in_a_detail_or_an_id_is_said_once_and_hides_nothing(rubric, blank):
    wb = openpyxl.load_workbook(blank)
    start = next(r for r in wb["Start"].iter_rows() if r[0].value == "organisation")
    start[1].value = "=A1"
    wb["Answers"]["A3"].value = '=CONCAT("policy.", "law")'  # the row of policy.law
    wb["Answers"]["F2"].value = "9"
    wb["Answers"]["J9"].value = "=1"  # the notes of a row that is otherwise empty
    wb.save(blank)
    _, problems = convert(blank, rubric)
    assert [(p.path, p.level, p.code) for p in problems] == [
        (f"s.xlsx:Start!B{start[1].row}", "error", "CD318"),  # not also "organisation empty"
        ("s.xlsx:Answers!F2", "error", "CD302"),
        ("s.xlsx:Answers!A3", "error", "CD318"),  # the row is not read: no "row has no id"
        ("s.xlsx:Answers!J9", "error", "CD318"),  # a row with no turn is not forgotten
        ("s.xlsx", "warning", "CD103"),  # policy.law has no row that could be read
    ]


def _zip(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, body in entries.items():
            z.writestr(name, body)
    return buf.getvalue()


SECRET = b"password=hunter2\n"


@pytest.mark.parametrize(("data", "code", "words"), [
    (SECRET * 10, "CD006", "not even a zip file"),
    (b"\xd0\xcf\x11\xe0" + SECRET, "CD006", "old Excel file (.xls)"),
    (_zip({"content.xml": SECRET, "mimetype": b"x"}), "CD006", "OpenDocument"),
    (_zip({"notes.txt": SECRET}), "CD006", "not an Excel workbook"),
    (b"PK\x03\x04" + SECRET, "CD006", "damaged"),
    (_zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": SECRET}), "CD006",
     "cannot be read"),
    (_zip({"[Content_Types].xml": b"", "xl/workbook.xml": b"",
           "bomb.xml": b"\0" * (60 * 1024 * 1024)}), "CD003", "zip bomb"),
    (_zip({f"f{i}.xml": b"" for i in range(workbook.MAX_ENTRIES + 1)}), "CD003",
     "more than 500 files"),
    (_zip({f"f{i}.xml": b"a" * (1024 * 1024) for i in range(101)},
          method=zipfile.ZIP_STORED), "CD003", "more than 100 MB"),
])
def test_what_is_not_a_workbook_is_refused_without_quoting_it(data, code, words):
    with pytest.raises(UnreadableInput) as e:
        workbook.read(data, "x.xlsx")
    p = e.value.problem()
    assert (p.path, p.code, e.value.exit_code) == ("x.xlsx", code, 2)
    assert words in p.message and "hunter2" not in p.message


def test_a_huge_sheet_is_refused(rubric, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Answers"
    ws.append(["id", "answer"])
    for i in range(workbook.MAX_ROWS + 1):
        ws.append([f"x{i}", 1])
    p = tmp_path / "big.xlsx"
    wb.save(p)
    with pytest.raises(UnreadableInput) as e:
        workbook.read(p.read_bytes(), "big.xlsx")
    x = e.value.problem()
    assert (x.path, x.code, e.value.exit_code) == ("big.xlsx:Answers", "CD003", 2)
    assert "more than 10,000 question rows" in x.message


def test_a_workbook_without_an_answers_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet\u202e1"
    p = tmp_path / "o.xlsx"
    wb.save(p)
    with pytest.raises(InvalidInput) as e:
        workbook.read(p.read_bytes(), "o.xlsx")
    assert "no sheet `Answers` (its sheets: Sheet\\u202e1)" in e.value.problems[0].message


def test_question_rows_are_the_criteria_in_rubric_order(rubric):
    rows = workbook.question_rows(rubric)
    assert [r.id for r in rows] == rubric.criterion_ids()
    assert rows[0].title.endswith("[critical]") == rubric.areas[0].criteria[0].critical


# -- hostile workbooks (issue: workbooks are untrusted XML) --------------------------------


def test_a_refused_part_is_refused_before_openpyxl_parses_anything(blank, monkeypatch):
    from tests import hostile

    def never(*a, **k):
        raise AssertionError("openpyxl was asked to parse a refused workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    for data in (hostile.with_dtd(blank.read_bytes()),
                 hostile.with_long_comment(blank.read_bytes(), 1_500_000),
                 hostile.with_wide_row(blank.read_bytes(), 4_000_000)):
        with pytest.raises(UnreadableInput):
            workbook.read(data, "x.xlsx")


@pytest.mark.parametrize(("state", "words"), [
    ("hidden", "the answers sheet is hidden, so a reviewer cannot see in Excel what would "
               "be imported; unhide it (Format > Sheet > Unhide)"),
    ("veryHidden", "the answers sheet is very hidden, so a reviewer cannot see in Excel "
                   "what would be imported; it is very hidden, which only a macro")])
def test_a_hidden_answers_sheet_is_refused(blank, state, words):
    from tests import hostile

    data = hostile.with_sheet_state(blank.read_bytes(), "Answers", state)
    with pytest.raises(InvalidInput) as e:
        workbook.read(data, "x.xlsx")
    p = e.value.problems[0]
    assert (p.path, p.code, e.value.exit_code) == ("x.xlsx:Answers", "CD327", 1)
    assert p.message.startswith(words)


def test_two_sheets_that_could_hold_the_answers_are_refused(rubric, tmp_path, blank):
    """A very hidden `answers` holding level 4 must not be read instead of the visible
    `Answers` holding level 1, nor the other way round."""
    from tests import hostile

    wb = openpyxl.load_workbook(blank)
    copy = wb.copy_worksheet(wb["Answers"])
    copy.title = "answers "
    p = tmp_path / "two.xlsx"
    wb.save(p)
    data = hostile.with_sheet_state(p.read_bytes(), "answers ", "veryHidden")
    with pytest.raises(InvalidInput) as e:
        workbook.read(data, "two.xlsx")
    x = e.value.problems[0]
    assert (x.path, x.code) == ("two.xlsx", "CD327")
    assert x.message.startswith("the workbook has 2 sheets that could hold the answers: "
                                "`Answers` (visible), `answers ` (veryHidden)")


def test_cyberdips_own_hidden_lists_sheet_is_expected(rubric, blank):
    data, problems = convert(blank, rubric)
    assert not [p for p in problems if p.code == "CD327"]
    assert data["rubric"] == "mini"


def test_a_password_protected_workbook_is_called_that():
    from tests import hostile

    with pytest.raises(UnreadableInput) as e:
        workbook.read(hostile.encrypted_workbook(), "secret.xlsx")
    assert (e.value.code, e.value.exit_code) == ("CD006", 2)
    assert e.value.message.startswith("this workbook is password-protected (encrypted)")
    assert ".xls" not in e.value.message


def test_a_repeated_column_heading_is_reported_at_its_cell(rubric, blank, tmp_path):
    wb = openpyxl.load_workbook(blank)
    ws = wb["Answers"]
    ws.cell(row=1, column=11).value = "Answer"
    ws.cell(row=2, column=11).value = 4
    p = tmp_path / "twice.xlsx"
    wb.save(p)
    sheet = workbook.read(p.read_bytes(), "twice.xlsx")
    _, problems = spreadsheet.to_assessment(sheet, rubric, "mini")
    dup = [x for x in problems if x.code == "CD326"]
    assert [(x.path, x.level) for x in dup] == [("twice.xlsx:Answers!K1", "error")]
    assert dup[0].message.startswith("the column heading `Answer` is repeated (first in "
                                     "column 6, again in column 11)")


def test_a_megabyte_bad_cell_is_quoted_as_a_few_dozen_characters(rubric, blank, tmp_path):
    first = rubric.criterion_ids()[0]
    # a cell holds 32,767 characters at most (the CSV test takes a megabyte)
    p = fill_workbook(blank, {first: {"answer": "x" * 32_767}}, {"organisation": "MFA"},
                      out=tmp_path / "big-cell.xlsx")
    _, problems = spreadsheet.to_assessment(workbook.read(p.read_bytes(), p.name), rubric,
                                            "mini")
    bad = [x for x in problems if x.level == "error"]
    assert bad and all(len(x.message) < 400 for x in bad)
    assert bad[0].message.startswith("`" + "x" * 39 + "\u2026 (32,767 characters)` is not")


def test_the_row_limit_is_the_supported_size():
    from cyberdip.formats import questionnaire as q

    assert q.MAX_ROWS == 10_000 and workbook.MAX_ROWS == q.MAX_ROWS + 1


@pytest.mark.parametrize("limit", [7, 40])
def test_init_and_import_share_one_row_limit(monkeypatch, limit):
    """A rubric of more questions than a questionnaire holds is refused by init, and
    one of exactly that many is written and read back (the limit made small here, so
    the test is quick; docs/limits.md measures the real one)."""
    from cyberdip.errors import CyberdipError
    from cyberdip.formats import questionnaire as q
    from tests.hostile import big_rubric

    monkeypatch.setattr(q, "MAX_ROWS", limit)
    with pytest.raises(CyberdipError) as e:
        workbook.blank_xlsx(big_rubric(q.MAX_ROWS + 1), "big.yaml")
    assert (e.value.code, e.value.exit_code) == ("CD003", 2)
    assert f"asks {limit + 1} questions" in e.value.message
    assert f"the {limit} rows" in e.value.message
    with pytest.raises(CyberdipError):
        spreadsheet.blank_csv(big_rubric(q.MAX_ROWS + 1), "big.yaml")
    with pytest.raises(UnreadableInput):  # one more row than init writes
        workbook.read(_one_more_row(workbook.blank_xlsx(big_rubric(q.MAX_ROWS), "b.yaml")),
                      "big.xlsx")
    rubric = big_rubric(q.MAX_ROWS)
    sheet = workbook.read(workbook.blank_xlsx(rubric, "big.yaml"), "big.xlsx")
    assert len(sheet.rows) == q.MAX_ROWS
    assert len(spreadsheet.parse(spreadsheet.blank_csv(rubric, "big.yaml"), "b.csv").rows) \
        == q.MAX_ROWS


def _one_more_row(xlsx: bytes) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    wb["Answers"].append(["extra.row", "", "", "", "", "1"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_action_plan_columns_have_a_status_drop_down_and_round_trip(rubric, blank,
                                                                        tmp_path):
    ws = openpyxl.load_workbook(blank)["Answers"]
    heads = [c.value for c in ws[1]]
    assert heads[-4:] == ["action", "owner", "due", "status"]
    status = next(dv for dv in ws.data_validations.dataValidation
                  if dv.formula1 == '"planned,under-way,done,dropped"')
    col = openpyxl.utils.get_column_letter(heads.index("status") + 1)
    assert f"{col}2" in status.sqref
    filled = fill_workbook(blank, {
        "policy.strategy": {"answer": "1", "action": "Put it to the cabinet",
                            "owner": "Director", "due": dt.datetime(2026, 6, 30),
                            "status": "done"},
        "policy.law": {"answer": "no", "due": "2026-H2", "status": "Dropped"}},
        {"organisation": "M"}, out=tmp_path / "f.xlsx")
    data, problems = convert(filled, rubric)
    assert [p for p in problems if p.level == "error"] == []
    assert data["answers"]["policy.strategy"] == {
        "level": 1, "action": "Put it to the cabinet", "owner": "Director",
        "due": dt.date(2026, 6, 30), "status": "done"}
    assert data["answers"]["policy.law"] == {"met": False, "due": "2026-H2",
                                             "status": "dropped"}


# -- one target per criterion, level mode, print, language ---------------------------------


FORMAT2 = DATA / "rubrics" / "format2.yaml"


@pytest.fixture(scope="module")
def format2():
    return documents.load_rubric_file(FORMAT2)


def _answers(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))["Answers"]


def test_a_criterion_has_one_open_target_cell_on_its_first_row(format2):
    ws = _answers(workbook.blank_xlsx(format2, "format2.yaml"))
    heads = [c.value for c in ws[1]]
    col = heads.index("target")
    rows = list(ws.iter_rows(min_row=2))
    first: dict[str, int] = {}
    for r in rows:
        first.setdefault(r[0].value.split(":")[0], r[0].row)
    for r in rows:
        cell = r[col]
        is_first = first[r[0].value.split(":")[0]] == r[0].row
        assert cell.protection.locked is (not is_first), r[0].value
        assert (cell.fill.fgColor.rgb == "00E7E7E7") is (not is_first), r[0].value
    target = next(v for v in ws.data_validations.dataValidation if v.promptTitle == "Target")
    letter = openpyxl.utils.get_column_letter(col + 1)
    assert {r for rng in target.sqref.ranges for line in rng.rows for r, _ in line} \
        == set(first.values())
    assert str(target.sqref).startswith(letter)


def test_an_older_workbook_with_two_targets_for_one_criterion_is_refused_at_the_cells(
        format2, tmp_path):
    book = tmp_path / "old.xlsx"
    book.write_bytes(workbook.blank_xlsx(format2, "format2.yaml"))
    fill_workbook(book, {"policy.strategy:drafted": {"answer": "yes", "target": 2},
                         "policy.strategy:funded": {"target": 4}}, {"organisation": "M"})
    sheet = workbook.read(book.read_bytes(), "old.xlsx")
    _, problems = spreadsheet.to_assessment(sheet, format2, "format2.yaml")
    assert [(p.code, p.path) for p in problems if p.level == "error"] == [
        ("CD341", "old.xlsx:Answers!H4")]
    assert "2 at old.xlsx:Answers!H2, 4 here" in problems[-1].message


def test_level_mode_gives_one_row_per_criterion_with_the_level_drop_down(format2):
    ws = _answers(workbook.blank_xlsx(format2, "format2.yaml", mode="levels"))
    ids = [r[0].value for r in ws.iter_rows(min_row=2)]
    assert ids == [c.id for _, c in format2.criteria() if c.applies(format2.default_profile())]
    row = ids.index("policy.strategy") + 2
    answer = next(v for v in ws.data_validations.dataValidation
                  if f"F{row}" in {f"F{r}" for rng in v.sqref.ranges for line in rng.rows
                                   for r, _ in line})
    assert answer.formula1 == "=Lists!$A$1:$A$6"  # the rubric's levels, and n/a


def test_the_printed_answer_sheet_is_landscape_one_page_wide_in_a_bounded_width(rubric):
    ws = _answers(workbook.blank_xlsx(rubric, "mini.yaml"))
    ps = ws.page_setup
    assert (ps.orientation, ps.paperSize, ps.fitToWidth, ps.fitToHeight) == (
        "landscape", 9, 1, 0)  # 9: A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
    widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width
              for i in range(1, len(spreadsheet.COLUMNS) + 1)]
    assert sum(widths) <= workbook.PRINT_WIDTH + 1
    assert all(c.alignment.wrap_text for c in ws[2])


def test_fitted_widths_stay_within_the_printed_width_whatever_columns_are_added():
    # a few more columns than today's (the page holds at most 19 at the narrowest width)
    for extra in range(0, 6):
        columns = spreadsheet.COLUMNS + tuple(f"new {k}" for k in range(extra))
        widths = workbook.fitted_widths(columns)
        assert sum(widths.values()) <= workbook.PRINT_WIDTH + 0.1 * len(columns)
        assert min(widths.values()) >= workbook.MIN_WIDTH
        assert widths["question"] >= widths["area"]
