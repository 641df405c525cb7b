"""The spreadsheet round trip: blank sheet out, filled-in sheet back to assessment data."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from cyberdip import yamlio
from cyberdip.engine.scoring import score
from cyberdip.errors import InvalidInput
from cyberdip.formats import documents, spreadsheet

DATA = Path(__file__).resolve().parents[2] / "data"
MINI = DATA / "rubrics" / "mini.yaml"
CSV = DATA / "csv"


@pytest.fixture(scope="module")
def rubric():
    return documents.load_rubric_file(MINI)


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def fill(blank: bytes, answers: dict[str, dict[str, str]], meta: dict[str, str]) -> bytes:
    """Fill a blank sheet like a person would: by column heading."""
    rows = rows_of(blank)
    header = next(r for r in rows if r and r[0] == "id")
    for r in rows:
        if r and r[0] in meta:
            r[1] = meta[r[0]]
        if r and r[0] in answers:
            for col, v in answers[r[0]].items():
                r[header.index(col)] = v
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def test_blank_sheet_has_a_bom_details_and_one_row_per_criterion(rubric):
    data = spreadsheet.blank_csv(rubric, "../rubrics/mini.yaml")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = rows_of(data)
    assert rows[1][:2] == ["rubric", "../rubrics/mini.yaml"]
    assert rows[2][:2] == ["rubric version", "1.0.0"]
    assert rows[3][:2] == ["organisation", ""]
    h = next(i for i, r in enumerate(rows) if r and r[0] == "id")
    assert tuple(rows[h]) == spreadsheet.COLUMNS
    body = rows[h + 1:]
    assert [r[0] for r in body] == rubric.criterion_ids()
    assert all(r[5:] == [""] * 9 for r in body)  # answer and plan columns start blank
    law = body[1]
    assert law[1] == "Policy" and law[3] == "Is there a cybercrime law?"
    assert law[4].splitlines() == ["yes or no, or n/a (then give the N/A reason)",
                                   "yes = level 3: A law is in force.",
                                   "no = level 0: No law."]
    assert spreadsheet.blank_csv(rubric, "../rubrics/mini.yaml") == data  # deterministic


def test_a_filled_sheet_with_excel_cells_scores_like_the_handwritten_yaml(rubric):
    path = str(CSV / "mini-filled.csv")
    sheet = spreadsheet.parse((CSV / "mini-filled.csv").read_bytes(), path)
    data, problems = spreadsheet.to_assessment(sheet, rubric, "../rubrics/mini.yaml")
    assert problems == []
    assert data["organisation"] == {"name": "Test Ministry"}
    assert data["answers"]["policy.strategy"] == {"level": 2}  # from "2.0"
    assert data["answers"]["policy.law"] == {"met": True, "evidence": ["PECA 2016"]}  # "TRUE"
    assert data["answers"]["outreach.missions-online"] == {"value": 30}  # from " 30 "
    text = spreadsheet.to_yaml(data, "mini-filled.csv")
    doc = yamlio.parse(text.encode(), str(DATA / "assessments" / "from-csv.yaml"))
    checked = documents.check_assessment(doc)
    assert checked.problems == []
    hand = documents.load_assessment(str(DATA / "assessments" / "mini-answered.yaml"))
    assert score(checked.rubric, checked.assessment) == score(hand.rubric, hand.assessment)


def test_errors_are_located_by_row_and_column_name(rubric):
    path = "tests/data/csv/mini-errors.csv"
    sheet = spreadsheet.parse((CSV / "mini-errors.csv").read_bytes(), path)
    _, problems = spreadsheet.to_assessment(sheet, rubric, "mini")
    got = [(p.path, p.level, p.code, p.message) for p in problems]
    assert got == [
        (f"{path}:row 10:answer", "error", "CD302",
         "7 is above the top level (4); `policy.strategy` takes a level from 0 to 4"),
        (f"{path}:row 11:answer", "error", "CD304",
         "`maybe` is not yes or no; `policy.law` takes yes or no"),
        (f"{path}:row 12:target", "error", "CD302", "9 is above the top level (4)"),
        (f"{path}:row 13:id", "error", "CD301",
         "`policy.strategi` is not a criterion of `mini`: did you mean `policy.strategy`?"),
        (path, "warning", "CD103", "no row for 1 criterion, so not assessed (add the row to "
         "answer it): outreach.dialogue"),
    ]
    from cyberdip.diagnostics import text_line

    assert text_line(problems[0]).startswith(
        f"{path}:row 10:answer: error[CD302]: 7 is above the top level (4)")


def test_urdu_survives_the_round_trip(rubric):
    sheet = spreadsheet.parse((CSV / "mini-errors.csv").read_bytes(), "x.csv")
    data, _ = spreadsheet.to_assessment(sheet, rubric, "mini")
    assert data["organisation"]["name"] == "وزارت خارجہ"


@pytest.fixture
def blank(rubric):
    return spreadsheet.blank_csv(rubric, "mini")


def convert(rubric, data: bytes, **kw):
    return spreadsheet.to_assessment(spreadsheet.parse(data, "s.csv"), rubric, "mini", **kw)


def test_na_needs_a_reason_and_cannot_also_have_an_answer(rubric, blank):
    data = fill(blank, {"policy.strategy": {"answer": "n/a"},
                        "policy.law": {"answer": "yes", "N/A reason": "no law needed"},
                        "outreach.dialogue": {"N/A reason": "no channels"}},
                {"organisation": "X"})
    out, problems = convert(rubric, data)
    assert [(p.path, p.code) for p in problems] == [("s.csv:row 11:N/A reason", "CD305"),
                                                    ("s.csv:row 12:N/A reason", "CD309")]
    assert out["answers"]["outreach.dialogue"] == {"not_applicable": "no channels"}


def test_several_evidence_items_in_one_cell(rubric, blank):
    data = fill(blank, {"policy.law": {"answer": "Yes",
                                       "evidence": "PECA 2016\nhttps://a.example | minutes "}},
                {"organisation": "X"})
    out, problems = convert(rubric, data)
    assert problems == []
    assert out["answers"]["policy.law"]["evidence"] == ["PECA 2016", "https://a.example",
                                                        "minutes"]


def test_duplicate_rows_missing_organisation_and_option(rubric, blank):
    rows = rows_of(fill(blank, {"policy.law": {"answer": "no"}}, {}))
    rows.append(list(rows[-1]))
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    sheet = spreadsheet.parse(buf.getvalue().encode(), "s.csv")
    _, problems = spreadsheet.to_assessment(sheet, rubric, "mini")
    assert [(p.path, p.code) for p in problems] == [("s.csv:row 4:organisation", "CD103"),
                                                    ("s.csv:row 15:id", "CD309")]
    out, problems = spreadsheet.to_assessment(sheet, rubric, "mini", organisation="Given")
    assert out["organisation"]["name"] == "Given"
    assert [p.code for p in problems] == ["CD309"]


def test_semicolons_reordered_columns_and_no_bom(rubric):
    """Some Excel locales write `;`; columns are found by heading, in any case."""
    text = "organisation;Ministry\r\nId;Target;Answer\r\npolicy.strategy;4; 3.0 \r\n\r\n;;\r\n"
    out, problems = convert(rubric, text.encode("utf-8"))
    assert out["answers"] == {"policy.strategy": {"level": 3, "target": 4}}
    assert [p.level for p in problems] == ["warning"]  # three criteria have no row


@pytest.mark.parametrize("data,message", [
    (b"rubric,mini\r\n", "no table found"),
    (b"id,title\r\npolicy.law,x\r\n", "the column `answer` is missing"),
    # bytes neither UTF-8 nor Windows-1252 (0x81 is undefined in cp1252)
    (b"organisation,Minist\x81re\nid,answer\n", "not UTF-8 text"),
    (b"id,answer\x00\n", "NUL bytes"),
])
def test_sheets_that_cannot_be_read(data, message):
    with pytest.raises(InvalidInput) as e:
        spreadsheet.parse(data, "s.csv")
    assert message in e.value.problems[0].message


def test_a_windows_excel_csv_in_cp1252_is_read_with_a_warning_naming_the_encoding(rubric):
    data = ("organisation;Ministère des Affaires étrangères\nrubric;mini\n\nid;answer;evidence\n"
            "policy.strategy;2;Stratégie – 2024\n").encode("cp1252")
    sheet = spreadsheet.parse(data, "s.csv")
    out, problems = spreadsheet.to_assessment(sheet, rubric, "mini")
    assert out["organisation"]["name"] == "Ministère des Affaires étrangères"
    assert out["answers"]["policy.strategy"] == {"level": 2, "evidence": ["Stratégie – 2024"]}
    warning = [p for p in problems if p.code == "CD007"]
    assert len(warning) == 1 and warning[0].level == "warning"
    assert "Windows-1252 (cp1252)" in warning[0].message and "row 1" in warning[0].message


@pytest.mark.parametrize("cell,value", [("12,5", 12.5), ("12.5", 12.5), ("99,5", 99.5),
                                        ("45", 45), ("45,0 %", 45)])
def test_a_semicolon_sheet_takes_a_decimal_comma(rubric, cell, value):
    data = (f"organisation;X\n\nid;answer\noutreach.missions-online;{cell}\n"
            "policy.strategy;3,0\n").encode()
    sheet = spreadsheet.parse(data, "s.csv")
    assert sheet.decimal_comma
    out, problems = spreadsheet.to_assessment(sheet, rubric, "mini")
    assert [p for p in problems if p.level == "error"] == []
    assert out["answers"]["outreach.missions-online"] == {"value": value}
    assert out["answers"]["policy.strategy"] == {"level": 3}


def test_a_comma_sheet_keeps_the_comma_as_a_thousands_separator(rubric):
    data = b'organisation,X\n\nid,answer\noutreach.missions-online,"12,5"\n'
    out, problems = spreadsheet.to_assessment(spreadsheet.parse(data, "s.csv"), rubric, "mini")
    assert [(p.path, p.code) for p in problems if p.level == "error"] == [
        ("s.csv:row 4:answer", "CD303")]


def test_unknown_details_are_warned_about_and_ignored(rubric, blank):
    rows = rows_of(fill(blank, {}, {"organisation": "X"}))
    rows.insert(2, ["budget", "12"])
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    _, problems = convert(rubric, buf.getvalue().encode())
    assert [(p.path, p.level, p.code) for p in problems] == [
        ("s.csv:row 3:budget", "warning", "CD102")]


def test_rubric_text_cannot_become_a_spreadsheet_formula(rubric):
    area = rubric.areas[0]
    c0 = area.criteria[0].model_copy(update={"question": "=HYPERLINK(\"http://x\",\"y\")",
                                             "title": "@SUM(1)"})
    evil = rubric.model_copy(update={"areas": [area.model_copy(update={
        "title": "+cmd", "criteria": [c0]})]})
    rows = rows_of(spreadsheet.blank_csv(evil, "-mini"))
    assert rows[1][1] == "'-mini"
    row = next(r for r in rows if r and r[0] == c0.id)
    assert row[1:4] == ["'+cmd", "'@SUM(1) [critical]", "'=HYPERLINK(\"http://x\",\"y\")"]
    assert spreadsheet.safe_cell("3") == "3" and spreadsheet.safe_cell("") == ""


PAYLOADS = ["=1+1", "+1+1", "-1+1", "@SUM(1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")']


def test_no_cell_of_a_blank_sheet_can_be_a_formula(rubric):
    from cyberdip.textsafe import FORMULA_START

    payloads = iter(PAYLOADS * 4)
    areas = []
    for area in rubric.areas:
        crits = [c.model_copy(update={"title": next(payloads), "question": next(payloads)})
                 for c in area.criteria]
        areas.append(area.model_copy(update={"title": next(payloads), "criteria": crits}))
    evil = rubric.model_copy(update={"areas": areas})
    rows = rows_of(spreadsheet.blank_csv(evil, "=mini.yaml"))
    assert rows[1][1] == "'=mini.yaml"
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c and c[0] in FORMULA_START]
    h = next(i for i, r in enumerate(rows) if r and r[0] == "id")
    body = rows[h + 1:]
    assert [r[0] for r in body] == evil.criterion_ids()  # ids are unchanged
    from cyberdip.textsafe import csv_cell

    # formula text gets a ' in front; a tab or CR is written as its escape instead
    assert {r[1] for r in body} == {csv_cell(a.title) for a in areas}
    assert [r[3] for r in body] == [csv_cell(c.question) for a in areas for c in a.criteria]


def test_a_sheet_for_a_rubric_whose_name_is_not_utf8_can_still_be_written(rubric):
    import os

    rows = rows_of(spreadsheet.blank_csv(rubric, os.fsdecode(b"r\xff.yaml")))
    assert rows[1][1] == "r\\xff.yaml"


def test_the_imported_files_comment_names_the_sheet_on_one_utf8_line():
    import os

    text = spreadsheet.to_yaml({"rubric": "mini"}, os.fsdecode(b"a\xff\nrubric: x.csv"))
    text.encode("utf-8")
    assert text.splitlines()[0].startswith("# Imported from a\\xff\\nrubric: x.csv by ")


def test_a_repeated_column_heading_is_reported_at_its_cell(rubric, blank):
    rows = rows_of(blank)
    for r in rows:
        if r and r[0] == "id":
            r.append("answer")
        elif r and r[0] == "policy.strategy":
            r.append("4")
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    _, problems = convert(rubric, buf.getvalue().encode())
    dup = [p for p in problems if p.code == "CD326"]
    header = next(i for i, r in enumerate(rows, 1) if r and r[0] == "id")
    last = len(spreadsheet.COLUMNS) + 1  # the column appended
    assert [(p.path, p.level) for p in dup] == [(f"s.csv:row {header}:column {last}", "error")]
    assert dup[0].message == ("the column heading `answer` is repeated (first in column 6, "
                              f"again in column {last}); only one column of a heading is "
                              "read: merge the two columns, or rename or delete one")


@pytest.mark.parametrize("where", ["answer", "id", "target", "detail"])
def test_a_megabyte_bad_cell_is_quoted_as_a_few_dozen_characters(rubric, blank, where):
    huge = "\u00e9" * 100_000  # the csv module refuses a cell over 128 KB itself
    if where == "detail":
        data = blank.replace(b"country,", huge.encode() + b",", 1)
    else:
        data = fill(blank, {"policy.strategy": {"answer": "n/a" if where != "answer" else huge,
                                                "N/A reason": "x"}}, {"organisation": "M"})
        if where == "id":
            data = data.replace(b"\r\npolicy.strategy,", b"\r\n" + huge.encode() + b",", 1)
        if where == "target":
            data = fill(blank, {"policy.strategy": {"target": huge}}, {"organisation": "M"})
    _, problems = convert(rubric, data)
    quoted = [p for p in problems if "\u00e9" in p.message]
    assert quoted, problems
    for p in quoted:
        assert p.message.count("\u00e9") <= 40, p.message[:200]
        assert "(100,000 characters)" in p.message


def test_the_action_plan_columns_round_trip(rubric):
    """action, owner, due and status: read back as the answer's plan, a day as a date and
    a period as text; a status in other case or with a space is read as its word."""
    import datetime as dt

    blank = spreadsheet.blank_csv(rubric, "../rubrics/mini.yaml")
    filled = fill(blank, {
        "policy.strategy": {"answer": "1", "action": "Put it to the cabinet",
                            "owner": "Director, Policy Planning", "due": "2026-06-30",
                            "status": "Under way"},
        "policy.law": {"answer": "no", "due": "2026-Q3", "status": "planned"}},
        {"organisation": "M"})
    data, problems = spreadsheet.to_assessment(spreadsheet.parse(filled, "s.csv"), rubric,
                                               "mini")
    assert [p for p in problems if p.level == "error"] == []
    assert data["answers"]["policy.strategy"] == {
        "level": 1, "action": "Put it to the cabinet", "owner": "Director, Policy Planning",
        "due": dt.date(2026, 6, 30), "status": "under-way"}
    assert data["answers"]["policy.law"] == {"met": False, "due": "2026-Q3",
                                             "status": "planned"}
    card = score(rubric, __import__("cyberdip.model.assessment", fromlist=["x"])
                 .Assessment.model_validate(data))
    assert [(i.id, i.status) for i in card.plan][:2] == [("policy.strategy", "under-way"),
                                                         ("policy.law", "planned")]


def test_a_bad_status_is_refused_at_its_cell(rubric):
    blank = spreadsheet.blank_csv(rubric, "../rubrics/mini.yaml")
    filled = fill(blank, {"policy.strategy": {"answer": "1", "status": "finished"},
                          "policy.law": {"answer": "no", "status": "dropd"}},
                  {"organisation": "M"})
    _, problems = spreadsheet.to_assessment(spreadsheet.parse(filled, "s.csv"), rubric, "mini")
    errors = [(p.path, p.code, p.message) for p in problems if p.level == "error"]
    assert [e[:2] for e in errors] == [("s.csv:row 11:status", "CD336"),
                                       ("s.csv:row 12:status", "CD336")]
    assert errors[1][2].endswith("(did you mean `dropped`?)")


def test_the_plan_is_written_once_per_criterion_and_rows_that_differ_are_refused():
    """A criterion with indicators has a row each: its plan goes on any one of them, the
    same value on two is fine, and two different values are refused at the second."""
    r2 = documents.load_rubric_file(MINI.with_name("format2.yaml"))
    blank = spreadsheet.blank_csv(r2, "format2.yaml")
    same = fill(blank, {"policy.strategy:drafted": {"answer": "yes", "owner": "Policy"},
                        "policy.strategy:adopted": {"answer": "no", "owner": "Policy",
                                                    "status": "planned"}},
                {"organisation": "M"})
    data, problems = spreadsheet.to_assessment(spreadsheet.parse(same, "s.csv"), r2, "f2")
    assert [p for p in problems if p.code == "CD337"] == []
    assert (data["answers"]["policy.strategy"]["owner"],
            data["answers"]["policy.strategy"]["status"]) == ("Policy", "planned")
    differ = fill(blank, {"policy.strategy:drafted": {"answer": "yes", "owner": "Policy"},
                          "policy.strategy:adopted": {"answer": "no", "owner": "Legal"}},
                  {"organisation": "M"})
    _, problems = spreadsheet.to_assessment(spreadsheet.parse(differ, "s.csv"), r2, "f2")
    [p] = [p for p in problems if p.code == "CD337"]
    assert (p.path, p.level) == ("s.csv:row 13:owner", "error")
    assert p.message == ("`policy.strategy`: this row's `owner` (`Legal`) differs from row "
                         "12's (`Policy`); write the plan once, on one row of the criterion")


# -- one target per criterion -----------------------------------------------------------


FORMAT2 = DATA / "rubrics" / "format2.yaml"


@pytest.fixture(scope="module")
def format2():
    return documents.load_rubric_file(FORMAT2)


def _indicator_sheet(format2, targets: dict[str, str]) -> spreadsheet.Sheet:
    blank = spreadsheet.blank_csv(format2, "format2.yaml")
    answers = {f"policy.strategy:{i}": {"answer": "yes"} for i in ("drafted", "adopted")}
    for ind, t in targets.items():
        answers.setdefault(f"policy.strategy:{ind}", {})["target"] = t
    return spreadsheet.parse(fill(blank, answers, {"organisation": "M"}), "s.csv")


def test_the_blank_sheet_offers_the_target_on_a_criterions_first_row(format2):
    rows = rows_of(spreadsheet.blank_csv(format2, "format2.yaml"))
    h = next(i for i, r in enumerate(rows) if r and r[0] == "id")
    ids = [r[0] for r in rows[h + 1:]]
    # the first row of the criterion explains in full; the rest in a few words
    allowed = {r[0]: r[4] for r in rows[h + 1:]}
    assert allowed["policy.strategy:drafted"].startswith("yes if the statement holds")
    assert allowed["policy.strategy:adopted"] == "yes or no, as above"
    assert ids.index("policy.strategy:drafted") < ids.index("policy.strategy:adopted")


def test_different_targets_on_rows_of_one_criterion_are_refused_naming_both_cells(format2):
    sheet = _indicator_sheet(format2, {"drafted": "3", "funded": "4"})
    data, problems = spreadsheet.to_assessment(sheet, format2, "format2.yaml")
    errors = [p for p in problems if p.level == "error"]
    first = next(n for n, cells in sheet.rows if cells[0] == "policy.strategy:drafted")
    later = next(n for n, cells in sheet.rows if cells[0] == "policy.strategy:funded")
    assert [(p.code, p.path) for p in errors] == [("CD341", f"s.csv:row {later}:target")]
    assert f"3 at s.csv:row {first}:target, 4 here" in errors[0].message
    assert "policy.strategy" in errors[0].message


@pytest.mark.parametrize("where", [("drafted",), ("adopted",), ("drafted", "funded", "reviewed")])
def test_one_target_given_once_or_repeated_is_read_once(format2, where):
    sheet = _indicator_sheet(format2, dict.fromkeys(where, "3"))
    data, problems = spreadsheet.to_assessment(sheet, format2, "format2.yaml")
    assert [p for p in problems if p.level == "error"] == []
    assert data["answers"]["policy.strategy"]["target"] == 3


def test_level_mode_asks_a_criterion_with_indicators_once_and_reads_a_level(format2):
    blank = spreadsheet.blank_csv(format2, "format2.yaml", mode="levels")
    rows = rows_of(blank)
    h = next(i for i, r in enumerate(rows) if r and r[0] == "id")
    ids = [r[0] for r in rows[h + 1:]]
    assert ids == [c.id for _, c in format2.criteria()
                   if c.applies(format2.default_profile())]
    strategy = next(r for r in rows[h + 1:] if r[0] == "policy.strategy")
    assert strategy[4].startswith("a level from 0 to 4, or n/a")
    filled = fill(blank, {"policy.strategy": {"answer": "2", "target": "3"}},
                  {"organisation": "M"})
    data, problems = spreadsheet.to_assessment(spreadsheet.parse(filled, "s.csv"), format2,
                                               "format2.yaml")
    assert [p for p in problems if p.level == "error"] == []
    assert data["answers"]["policy.strategy"] == {"level": 2, "target": 3}


def test_carried_indicator_answers_show_as_the_level_they_reach_in_level_mode(format2):
    from cyberdip.formats import questionnaire as q

    c = next(c for _, c in format2.criteria() if c.id == "policy.strategy")
    row = q.rows_of(format2, c, "levels")[0]
    answer = {"indicators": {"drafted": True, "adopted": {"met": True, "evidence": ["Dec"]},
                             "funded": True, "owned": False}, "evidence": ["Plan"]}
    cells = spreadsheet.prefilled_cells(format2, row, answer, True)
    assert cells == {"answer": "2", "evidence": "Dec\nPlan"}
    assert spreadsheet.level_of_indicators(format2, c, {"indicators": {}}) is None


def test_a_sheet_reads_dated_evidence_and_refuses_a_bad_date_at_its_cell(rubric):
    import datetime as dt

    blank = spreadsheet.blank_csv(rubric, "../rubrics/mini.yaml")
    data = fill(blank, {"policy.strategy": {
        "answer": "2", "evidence": "Decision [date: 2023-05-01; ref: Registry 7] | minutes"}},
        {"organisation": "M"})
    got, problems = spreadsheet.to_assessment(spreadsheet.parse(data, "s.csv"), rubric, "r")
    assert [p for p in problems if p.level == "error"] == []
    assert got["answers"]["policy.strategy"]["evidence"] == [
        {"text": "Decision", "date": dt.date(2023, 5, 1), "ref": "Registry 7"}, "minutes"]
    bad = fill(blank, {"policy.strategy": {"answer": "2", "evidence": "D [date: 2023-13-01]"}},
               {"organisation": "M"})
    _, problems = spreadsheet.to_assessment(spreadsheet.parse(bad, "s.csv"), rubric, "r")
    [p] = [p for p in problems if p.level == "error"]
    assert (p.path.rsplit(":", 1)[-1], p.code) == ("evidence", "CD710")
    assert "`2023-13-01` is not a real day" in p.message
