"""`cyberdip init --format csv` and `cyberdip import`: the spreadsheet round trip."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import yaml

from cyberdip.formats import documents
from cyberdip.model.rubric import BooleanCriterion, MetricCriterion
from cyberdip.yamlio import dump
from tests.conftest import fill_workbook

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = DATA / "rubrics" / "mini.yaml"
CSV = DATA / "csv"


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)


def test_init_csv_then_import_scores_like_the_equivalent_yaml(tmp_path, cli):
    # version 1 of the built-in rubric: one row per criterion (format 2's rows per
    # indicator are tested with the format-2 fixture below)
    sheet = tmp_path / "missions.csv"
    r = cli("init", "cyberdip-core@1", "--format", "csv", "-o", sheet)
    assert r.code == 0 and r.stdout == ""
    assert "Next: fill in the `answer` column" in r.stderr
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbf")

    rubric = documents.get_rubric("cyberdip-core@1")
    rows = read_rows(sheet)
    head = next(i for i, row in enumerate(rows) if row and row[0] == "id")
    col = {h: i for i, h in enumerate(rows[head])}
    assert [row[0] for row in rows[head + 1:]] == rubric.criterion_ids()
    answers: dict[str, dict] = {}
    # Fill every criterion the way Excel leaves cells: 3.0, TRUE/no, padded numbers.
    for i, (_, c) in enumerate(rubric.criteria()):
        row = rows[head + 1 + i]
        if not c.applies(rubric.default_profile()):
            continue  # asked of missions only: left blank, as a headquarters would
        if i % 9 == 8:
            row[col["answer"]] = "N/A"
            row[col["N/A reason"]] = "no mission in that region"
            answers[c.id] = {"not_applicable": "no mission in that region"}
            continue
        if isinstance(c, BooleanCriterion):
            met = i % 2 == 0
            row[col["answer"]] = "TRUE" if met else " no "
            answers[c.id] = {"met": met}
        elif isinstance(c, MetricCriterion):
            v = c.metric.thresholds[min(c.metric.thresholds) + 1]
            row[col["answer"]] = f" {v:g} "
            answers[c.id] = {"value": v}
        else:
            lv = i % 5
            row[col["answer"]] = f"{lv}.0"
            answers[c.id] = {"level": lv}
        if i % 4 == 0:
            row[col["evidence"]] = "Cabinet minutes\nhttps://example.org/a | annual report"
            answers[c.id]["evidence"] = ["Cabinet minutes", "https://example.org/a",
                                         "annual report"]
        if i % 5 == 0 and 4 in c.reachable_levels(rubric.levels):  # a target it can reach
            row[col["target"]] = "4.0"
            answers[c.id]["target"] = 4
    for row in rows[:head]:
        if row and row[0] == "organisation":
            row[1] = " Ministry of Foreign Affairs of Pakistan "
        if row and row[0] == "period":
            row[1] = "2024"
    rows += [[], [""] * len(col)]  # Excel leaves empty rows at the end
    write_rows(sheet, rows)

    out = tmp_path / "assessment.yaml"
    r = cli("import", sheet, "-o", out)
    assert (r.code, r.stdout) == (0, "")
    total = rubric.count_criteria()
    assert r.stderr == (f"wrote {out}: {len(answers)} of {total} criteria filled in. "
                        f"Next: `cyberdip score {out}`\n")
    v = cli("validate", out)
    assert (v.code, v.stderr) == (0, "1 file checked: all valid\n")

    by_hand = tmp_path / "by-hand.yaml"
    by_hand.write_text(dump({"rubric": "cyberdip-core@1", "rubric_version": rubric.version,
                             "organisation": {"name": "Ministry of Foreign Affairs of Pakistan"},
                             "period": "2024", "answers": answers}), encoding="utf-8")
    a = cli("score", out, "--format", "json")
    b = cli("score", by_hand, "--format", "json")
    assert a.code == b.code == 0
    assert json.loads(a.stdout) == json.loads(b.stdout)
    assert json.loads(a.stdout)["counts"]["not_assessed"] == 0


def test_errors_are_reported_by_row_and_column_and_nothing_is_written(tmp_path, cli):
    sheet = tmp_path / "missions.csv"
    sheet.write_bytes((CSV / "mini-errors.csv").read_bytes().replace(
        b"../rubrics/mini.yaml", str(MINI).encode()))
    out = tmp_path / "a.yaml"
    r = cli("import", sheet, "-o", out)
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr.splitlines() == [
        f"{sheet}:row 10:answer: error[CD302]: 7 is above the top level (4); "
        "`policy.strategy` takes a level from 0 to 4",
        f"{sheet}:row 11:answer: error[CD304]: `maybe` is not yes or no; `policy.law` takes "
        "yes or no",
        f"{sheet}:row 12:target: error[CD302]: 9 is above the top level (4)",
        f"{sheet}:row 13:id: error[CD301]: `policy.strategi` is not a criterion of `mini`: "
        "did you mean `policy.strategy`?",
        f"{sheet}: warning[CD103]: no row for 1 criterion, so not assessed (add the row to "
        "answer it): outreach.dialogue",
    ]
    assert not out.exists()


def test_the_rubric_path_in_the_sheet_is_relative_to_the_sheet(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "sub" / "a.yaml"
    out.parent.mkdir()
    r = cli("import", CSV / "mini-filled.csv", "-o", out)
    assert (r.code, r.stdout) == (0, "")
    hand = cli("score", DATA / "assessments" / "mini-answered.yaml", "--format", "json")
    mine = cli("score", out, "--format", "json")
    assert mine.code == 0 and mine.stdout == hand.stdout


def test_refuses_to_overwrite_without_force_and_never_the_input(tmp_path, cli):
    sheet = tmp_path / "s.csv"
    sheet.write_bytes((CSV / "mini-filled.csv").read_bytes().replace(
        b"../rubrics/mini.yaml", str(MINI).encode()))
    out = tmp_path / "a.yaml"
    out.write_text("keep me")
    r = cli("import", sheet, "-o", out)
    assert (r.code, r.stdout) == (2, "") and "already exists; use --force" in r.stderr
    assert out.read_text() == "keep me"
    r = cli("import", sheet, "-o", sheet, "--force")  # not even a name import writes
    assert r.code == 2 and "error[CD404]: `.csv`: `cyberdip import` writes .yaml" in r.stderr
    same = tmp_path / "same.yaml"  # the sheet under a name import would write
    same.hardlink_to(sheet)
    r = cli("import", sheet, "-o", same, "--force")
    assert r.code == 2 and "this is an input file" in r.stderr
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbf")
    r = cli("import", sheet, "-o", out, "--force")
    assert (r.code, r.stdout) == (0, "")
    assert "policy.strategy:\n    level: 2\n" in out.read_text()


def test_without_o_the_assessment_is_written_beside_the_sheet_under_its_name(tmp_path, cli):
    book = tmp_path / "berlin.xlsx"
    assert cli("init", MINI, "-o", book).code == 0
    fill_workbook(book, {"policy.law": {"answer": "yes"}}, {"organisation": "X"})
    r = cli("import", book)
    out = tmp_path / "berlin.yaml"
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr.splitlines()[-1].startswith(f"wrote {out}: 1 of 4 criteria filled in")
    assert "policy.law:\n    met: true\n" in out.read_text()
    before = out.read_bytes()
    r = cli("import", book)  # the one output rule: never over a file without --force
    assert (r.code, r.stdout, r.stderr) == (
        2, "", f"{out}: error[CD401]: already exists; use --force to overwrite it\n")
    assert out.read_bytes() == before
    assert cli("import", book, "--force").code == 0
    sheet = tmp_path / "s.yaml"  # a sheet whose name is already .yaml is never replaced
    sheet.write_bytes((CSV / "mini-filled.csv").read_bytes().replace(
        b"../rubrics/mini.yaml", str(MINI).encode()))
    r = cli("import", sheet, "--force")
    assert r.code == 2 and "this is an input file" in r.stderr
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbf")


def test_missing_rubric_and_organisation_can_be_given_as_options(tmp_path, cli):
    sheet = tmp_path / "s.csv"
    sheet.write_text("id,answer\r\npolicy.strategy,3\r\n", encoding="utf-8")
    r = cli("import", sheet, "-o", tmp_path / "a.yaml")
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr == (f"{sheet}: error[CD306]: the sheet does not say which rubric it "
                        "answers: add a row `rubric,<id>` at the top, or pass --rubric\n")
    r = cli("import", sheet, "-o", tmp_path / "a.yaml", "--rubric", MINI,
            "--organisation", "Embassy")
    assert (r.code, r.stdout) == (0, "")
    assert "warning[CD103]: no row for 3 criteria" in r.stderr
    assert "name: Embassy" in (tmp_path / "a.yaml").read_text()


def test_unreadable_sheet_exits_2(tmp_path, cli):
    r = cli("import", tmp_path / "nope.csv", "-o", tmp_path / "a.yaml")
    assert (r.code, r.stdout) == (2, "")
    assert "no such file" in r.stderr


def test_a_missing_output_folder_is_a_usage_error(tmp_path, cli):
    out = tmp_path / "nope" / "a.yaml"
    r = cli("import", CSV / "mini-filled.csv", "-o", out)
    assert (r.code, r.stdout) == (2, "")
    assert f"the folder {out.parent} does not exist" in r.stderr


# -- workbooks -----------------------------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not "
                                   "installed: apt-get install libreoffice-calc")


def through_libreoffice(path: Path, tmp_path: Path) -> Path:
    """``path`` opened and saved again as .xlsx by LibreOffice, headless."""
    out = tmp_path / "lo"
    out.mkdir(exist_ok=True)
    profile = tmp_path / "lo-profile"
    p = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "xlsx", "--outdir", str(out), str(path)],
                       capture_output=True, text=True, timeout=180)
    result = out / path.name
    assert p.returncode == 0 and result.exists(), p.stdout + p.stderr
    return result


def core_answers(rubric) -> tuple[dict, dict]:
    """Answers to every criterion of the built-in rubric, as cells (the ways Excel keeps
    them: numbers, numbers as text, TRUE, picked labels, trailing spaces) and as YAML."""
    cells: dict[str, dict] = {}
    yaml_answers: dict[str, dict] = {}
    for i, (_, c) in enumerate(rubric.criteria()):
        if i % 9 == 8:
            cells[c.id] = {"answer": "n/a", "N/A reason": "no mission in that region "}
            yaml_answers[c.id] = {"not_applicable": "no mission in that region"}
            continue
        if isinstance(c, BooleanCriterion):
            met = i % 2 == 0
            cells[c.id] = {"answer": True if met else "no"}
            yaml_answers[c.id] = {"met": met}
        elif isinstance(c, MetricCriterion):
            v = c.metric.thresholds[min(c.metric.thresholds) + 1]
            cells[c.id] = {"answer": v if i % 2 else f"{v:g} "}
            yaml_answers[c.id] = {"value": v}
        else:
            lv = i % 5
            cells[c.id] = {"answer": f"{lv} \u2013 {rubric.level_name(lv)}" if i % 2 else lv}
            yaml_answers[c.id] = {"level": lv}
        if i % 4 == 0:
            cells[c.id]["evidence"] = "Cabinet minutes\nhttps://example.org/a"
            yaml_answers[c.id]["evidence"] = ["Cabinet minutes", "https://example.org/a"]
        if i % 5 == 0 and 4 in c.reachable_levels(rubric.levels):
            cells[c.id]["target"] = f"4 \u2013 {rubric.level_name(4)}"
            yaml_answers[c.id]["target"] = 4
    return cells, yaml_answers


def _workbook_route(tmp_path: Path, cli, via_libreoffice: bool):
    book = tmp_path / "berlin.xlsx"
    # version 1 of the built-in rubric: one row per criterion (format 2's indicator
    # rows and profiles have their own test below)
    r = cli("init", "cyberdip-core@1", "-o", book)
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr.startswith(f"wrote {book}: 42 criteria to answer, one row each. Next: "
                               "send it out")
    rubric = documents.get_rubric("cyberdip-core@1")
    cells, answers = core_answers(rubric)
    fill_workbook(book, cells, {"organisation": "Ministry of Foreign Affairs of Pakistan",
                                "period": "2024"})
    if via_libreoffice:
        book = through_libreoffice(book, tmp_path)
    out = tmp_path / "from-workbook.yaml"
    r = cli("import", book, "-o", out)
    assert (r.code, r.stdout, r.stderr) == (
        0, "", f"wrote {out}: 42 of 42 criteria filled in. Next: `cyberdip score {out}`\n")
    by_hand = tmp_path / "by-hand.yaml"
    by_hand.write_text(dump({"rubric": "cyberdip-core@1", "rubric_version": rubric.version,
                             "organisation": {"name": "Ministry of Foreign Affairs of Pakistan"},
                             "period": "2024", "answers": answers}), encoding="utf-8")
    assert yaml.safe_load(out.read_text())["answers"] == answers
    a = cli("score", out, "--format", "json")
    b = cli("score", by_hand, "--format", "json")
    assert a.code == b.code == 0 and json.loads(a.stdout) == json.loads(b.stdout)


def test_a_workbook_filled_in_imports_to_the_same_assessment_as_the_yaml_route(tmp_path, cli):
    _workbook_route(tmp_path, cli, via_libreoffice=False)


@needs_soffice
def test_the_same_after_libreoffice_opened_and_saved_the_workbook(tmp_path, cli):
    _workbook_route(tmp_path, cli, via_libreoffice=True)


@needs_soffice
def test_libreoffice_keeps_the_drop_downs_and_protection(tmp_path, cli):
    book = tmp_path / "b.xlsx"
    assert cli("init", MINI, "-o", book).code == 0
    saved = openpyxl.load_workbook(through_libreoffice(book, tmp_path))
    ws = saved["Answers"]
    # (headless LibreOffice drops the frozen pane of a sheet that is not the active
    # one, a view setting; what keeps answers valid survives)
    assert ws.protection.sheet and not ws.protection.password
    assert saved["Lists"].sheet_state == "hidden"
    refs = {dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert any("Lists" in r for r in refs)


def test_a_bad_cell_is_reported_at_sheet_and_cell(tmp_path, cli):
    book = tmp_path / "berlin.xlsx"
    assert cli("init", MINI, "-o", book).code == 0
    fill_workbook(book, {"policy.strategy": {"answer": 7}, "policy.law": {"answer": "maybe"}},
                  {"organisation": "X"})
    out = tmp_path / "a.yaml"
    r = cli("import", book, "-o", out)
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr.splitlines() == [
        f"{book}:Answers!F2: error[CD302]: 7 is above the top level (4); `policy.strategy` "
        "takes a level from 0 to 4",
        f"{book}:Answers!F3: error[CD304]: `maybe` is not yes or no; `policy.law` takes yes "
        "or no",
    ]
    assert not out.exists()


def test_nine_bad_cells_one_a_formula_are_all_reported_in_one_run(tmp_path, cli):
    book = tmp_path / "berlin.xlsx"
    assert cli("init", MINI, "-o", book).code == 0
    fill_workbook(book, {
        "policy.strategy": {"answer": 7, "target": 9, "N/A reason": "none"},
        "policy.law": {"answer": "maybe", "target": "nine"},
        "outreach.missions-online": {"answer": "lots", "target": 10},
        "outreach.dialogue": {"answer": "=1+1", "target": -1}}, {"organisation": "X"})
    out = tmp_path / "a.yaml"
    r = cli("import", book, "-o", out)
    assert (r.code, r.stdout) == (1, "")
    cells = [line.split(": ")[0].removeprefix(f"{book}:") for line in r.stderr.splitlines()]
    assert sorted(cells) == sorted(["Answers!F5", "Answers!F2", "Answers!I2", "Answers!H2",
                                    "Answers!F3", "Answers!H3", "Answers!F4", "Answers!H4",
                                    "Answers!H5"])
    assert "Answers!F5: error[CD318]: this cell holds a formula" in r.stderr
    assert not out.exists()


def test_a_file_named_xlsx_that_is_not_one_is_refused_without_quoting_it(tmp_path, cli):
    fake = tmp_path / "x.xlsx"
    fake.write_text("id,answer\npolicy.law,secret-value\n")
    r = cli("import", fake, "-o", tmp_path / "a.yaml")
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == (f"{fake}: error[CD006]: this is not an Excel workbook (.xlsx): it is "
                        "not even a zip file; make one with `cyberdip init RUBRIC -o "
                        "FILE.xlsx`\n")


def test_init_xlsx_is_deterministic_and_never_overwrites(tmp_path, cli):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert cli("init", "cyberdip-core", "-o", a).code == 0
    assert cli("init", "cyberdip-core", "-f", "xlsx", "-o", b).code == 0
    assert a.read_bytes() == b.read_bytes()
    r = cli("init", "cyberdip-core", "-o", a)
    assert (r.code, r.stdout, r.stderr) == (
        2, "", f"{a}: error[CD401]: already exists; use --force to overwrite it\n")


def test_a_windows_csv_in_cp1252_with_a_decimal_comma_imports_with_a_warning(tmp_path, cli):
    sheet = tmp_path / "berlin.csv"
    sheet.write_bytes((f"rubric;{MINI}\r\norganisation;Ministère des Affaires étrangères\r\n"
                       "\r\nid;answer;evidence\r\noutreach.missions-online;12,5;Rapport 2024 "
                       "– annexe\r\n").encode("cp1252"))
    out = tmp_path / "a.yaml"
    r = cli("import", sheet, "-o", out)
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr.splitlines()[0] == (
        f"{sheet}: warning[CD007]: the file is not UTF-8 (first at row 2), so it was read as "
        "Windows-1252 (cp1252), the encoding Excel's plain \"CSV\" uses; check names and "
        "evidence in other scripts, and next time save as \"CSV UTF-8\"")
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["organisation"]["name"] == "Ministère des Affaires étrangères"
    assert data["answers"]["outreach.missions-online"] == {
        "value": 12.5, "evidence": ["Rapport 2024 – annexe"]}


def test_an_unknown_profile_is_said_at_its_cell_with_the_other_problems(tmp_path, cli):
    """The profile was checked only once the sheet had no error left, and was then
    located in the YAML file not yet written: a second round, at a place that is not."""
    sheet = tmp_path / "s.csv"
    sheet.write_text("rubric,cyberdip-core\r\norganisation,X\r\nprofile,embassy\r\n\r\n"
                     "id,answer\r\noutreach.engagement-rate,lots\r\n", encoding="utf-8")
    r = cli("import", sheet, "-o", tmp_path / "a.yaml")
    assert (r.code, r.stdout) == (1, "")
    assert [ln.split(": ")[0] + " " + ln.split(": ")[1] for ln in r.stderr.splitlines()] == [
        f"{sheet}:row 3:profile error[CD316]", f"{sheet}:row 6:answer error[CD303]"]
    from cyberdip.formats import documents

    ids = ", ".join(documents.get_rubric("cyberdip-core").profile_ids())
    assert f"is not one of `cyberdip-core`'s profiles ({ids})" in r.stderr


def test_a_number_that_could_hold_a_thousands_separator_is_warned_at_its_cell(tmp_path, cli):
    """In a semicolon sheet `1,200` is 1.2 (a decimal comma), which moves
    time-to-report from level 0 to its top level: said at the cell, not silently."""
    sheet = tmp_path / "berlin.csv"
    sheet.write_bytes(b"rubric;cyberdip-core\r\norganisation;Test Ministry\r\n\r\n"
                      b"id;answer\r\nincident-response.time-to-report;1,200\r\n"
                      b"incident-response.exercises:observed;yes\r\n")
    out = tmp_path / "a.yaml"
    r = cli("import", sheet, "-o", out)
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr.splitlines()[0] == (
        f"{sheet}:row 5:answer: warning[CD320]: `1,200` is read as 1.2, with `,` as the "
        "decimal separator, as this sheet writes decimals; if it means 1200, write 1200, "
        "without a thousands separator (`incident-response.time-to-report`)")
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["answers"]["incident-response.time-to-report"] == {"value": 1.2}
    sheet.write_bytes(sheet.read_bytes().replace(b"1,200", b"12,5"))
    r = cli("import", sheet, "-o", out, "--force")
    assert r.code == 0 and "CD320" not in r.stderr


# -- format 2: a row per indicator, choice answers, a profile ----------------------------

FORMAT2_CELLS = {
    "policy.strategy:drafted": {"answer": "yes"},
    "policy.strategy:adopted": {"answer": True},
    "policy.strategy:funded": {"answer": "yes "},
    "policy.strategy:owned": {"answer": "no", "evidence": "No unit named yet"},
    "policy.law": {"answer": "yes", "evidence": "The cybercrime act of 2016"},
    "outreach.reach": {"answer": "45"},
    "outreach.replies": {"answer": "PART \u2013 In part"},
    "national.strategy": {"answer": "yes", "evidence": "Adopted in 2021"},
}
FORMAT2_YAML = {
    "policy.strategy": {"indicators": {"drafted": True, "adopted": True, "funded": True,
                                       "owned": {"met": False,
                                                 "evidence": ["No unit named yet"]}}},
    "policy.law": {"met": True, "evidence": ["The cybercrime act of 2016"]},
    "outreach.reach": {"value": 45},
    "outreach.replies": {"answer": "PART"},
    "national.strategy": {"met": True, "evidence": ["Adopted in 2021"]},
}


def _fill_csv(sheet: Path, cells: dict) -> None:
    rows = read_rows(sheet)
    head = next(i for i, r in enumerate(rows) if r and r[0] == "id")
    cols = {h: i for i, h in enumerate(rows[head])}
    for r in rows:
        if r and r[0] == "organisation":
            r[1] = "Example Ministry"
        for column, value in cells.get(r[0] if r else "", {}).items():
            r[cols[column]] = "yes" if value is True else str(value)
    write_rows(sheet, rows)


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_indicator_rows_and_choices_import_as_the_yaml_route_answers_them(tmp_path, cli, ext):
    rubric = tmp_path / "format2.yaml"
    rubric.write_bytes((DATA / "rubrics" / "format2.yaml").read_bytes())
    sheet = tmp_path / f"hq.{ext}"
    r = cli("init", rubric, "-o", sheet)
    assert r.code == 0, r.stderr
    if ext == "csv":
        _fill_csv(sheet, FORMAT2_CELLS)
    else:
        fill_workbook(sheet, FORMAT2_CELLS, {"organisation": "Example Ministry"})
    out = tmp_path / "hq.yaml"
    r = cli("import", sheet, "-o", out)
    assert (r.code, r.stdout, r.stderr) == (
        0, "", f"wrote {out}: 5 of 5 criteria filled in. Next: `cyberdip score {out}`\n")
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["profile"] == "headquarters"
    assert data["answers"] == FORMAT2_YAML
    card = json.loads(cli("score", out, "--format", "json").stdout)
    assert (card["index"], card["band"]["name"], card["stage"]) == (54.72, "Developing", 2)


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_a_mission_sheet_asks_a_missions_questions_only(tmp_path, cli, ext):
    rubric = tmp_path / "format2.yaml"
    rubric.write_bytes((DATA / "rubrics" / "format2.yaml").read_bytes())
    sheet = tmp_path / f"berlin.{ext}"
    r = cli("init", rubric, "-o", sheet, "--profile", "mission")
    assert (r.code, r.stdout) == (0, "")
    # the rows there are to fill: one per indicator, as many as the sheet holds
    assert r.stderr.startswith(f"wrote {sheet}: 4 criteria, 8 rows to answer (indicators).")
    if ext == "csv":
        ids = [row[0] for row in read_rows(sheet) if row]
        assert len(ids) - ids.index("id") - 1 == 8
        assert "policy.law" not in ids and "outreach.reach" in ids
        profile = next(row[:2] for row in read_rows(sheet) if row and row[0] == "profile")
        assert profile == ["profile", "mission"]
    else:
        wb = openpyxl.load_workbook(sheet)
        ids = [row[0].value for row in wb["Answers"].iter_rows(min_row=2)]
        assert len(ids) == 8
        assert "policy.law" not in ids and "outreach.reach" in ids


def test_an_unknown_indicator_row_is_located_and_nothing_is_written(tmp_path, cli):
    rubric = tmp_path / "format2.yaml"
    rubric.write_bytes((DATA / "rubrics" / "format2.yaml").read_bytes())
    sheet = tmp_path / "hq.csv"
    cli("init", rubric, "-o", sheet)
    rows = read_rows(sheet)
    for r in rows:
        if r and r[0] == "policy.strategy:owned":
            r[0] = "policy.strategy:ownd"
            r[5] = "maybe"
    write_rows(sheet, rows)
    _fill_csv(sheet, {})
    out = tmp_path / "hq.yaml"
    r = cli("import", sheet, "-o", out)
    assert (r.code, r.stdout) == (1, "")
    assert "error[CD315]: `policy.strategy:ownd` is not an indicator of `worked-example-2`: " \
        "did you mean `policy.strategy:owned`?" in r.stderr
    assert not out.exists()


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_indicators_that_contradict_each_other_warn_at_the_cell(tmp_path, cli, ext):
    """Level 1 `no` and level 3 `yes`: imported as answered, with a warning (CD324) at
    the met indicator's answer cell; not on cyberdip-core 2.0, so no ladder is blamed."""
    rubric = tmp_path / "format2.yaml"
    rubric.write_bytes((DATA / "rubrics" / "format2.yaml").read_bytes())
    sheet = tmp_path / f"hq.{ext}"
    assert cli("init", rubric, "-o", sheet).code == 0
    cells = {"policy.strategy:drafted": {"answer": "no"},
             "policy.strategy:funded": {"answer": "yes", "evidence": "Budget line 2025"}}
    if ext == "csv":
        _fill_csv(sheet, cells)
        rows = read_rows(sheet)
        row = next(k for k, r in enumerate(rows, 1) if r and r[0] == "policy.strategy:funded")
        where = f"{sheet}:row {row}:answer"
    else:
        fill_workbook(sheet, cells, {"organisation": "Example Ministry"})
        ws = openpyxl.load_workbook(sheet)["Answers"]
        heads = {c.value: c.column_letter for c in ws[1]}
        row = next(r[0].row for r in ws.iter_rows(min_row=2)
                   if r[0].value == "policy.strategy:funded")
        where = f"{sheet}:Answers!{heads['answer']}{row}"
    out = tmp_path / "hq.yaml"
    r = cli("import", sheet, "-o", out)
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr.startswith(
        f"{where}: warning[CD324]: `policy.strategy`: the level-3 indicator `funded` is "
        "answered met, but the level-1 indicator `drafted` below it is not; the level counts "
        "indicators met from the bottom up, so it stays below 1. Check both answers\n")
    assert "ladder" not in r.stderr
    assert r.stderr.endswith(f"wrote {out}: 1 of 5 criteria filled in. Next: "
                             f"`cyberdip score {out}`\n")
    assert yaml.safe_load(out.read_text())["answers"]["policy.strategy"]["indicators"] == {
        "drafted": False, "funded": {"met": True, "evidence": ["Budget line 2025"]}}


def test_a_disclaimer_in_the_workbook_travels_to_the_assessment_and_its_reports(tmp_path, cli):
    book = tmp_path / "hq.xlsx"
    assert cli("init", MINI, "-o", book).code == 0
    caveat = "Not an official self-assessment <b>draft</b>; a level is a floor."
    fill_workbook(book, {"policy.strategy": {"answer": 2}},
                  {"organisation": "Example Ministry", "disclaimer": caveat})
    out = tmp_path / "hq.yaml"
    r = cli("import", book, "-o", out)
    assert (r.code, r.stdout) == (0, "") and "error" not in r.stderr
    assert yaml.safe_load(out.read_text())["disclaimer"] == caveat
    html = tmp_path / "r.html"
    assert cli("report", out, "-o", html).code == 0
    assert "Not an official self-assessment &lt;b&gt;draft&lt;/b&gt;; a level is a floor." \
        in html.read_text()


def test_an_overlong_disclaimer_is_refused_at_its_row(tmp_path, cli):
    sheet = tmp_path / "hq.csv"
    assert cli("init", MINI, "--format", "csv", "-o", sheet).code == 0
    rows = read_rows(sheet)
    at = next(k for k, r in enumerate(rows) if r and r[0] == "period") + 1
    rows.insert(at, ["disclaimer", "x" * 401])
    write_rows(sheet, rows)
    _fill_csv(sheet, {"policy.strategy": {"answer": 2}})
    out = tmp_path / "hq.yaml"
    r = cli("import", sheet, "-o", out)
    assert (r.code, r.stdout, r.stderr) == (
        1, "", f"{sheet}:row {at + 1}:disclaimer: error[CD106]: the disclaimer has 401 "
        "characters; keep it to 400 (a caveat of two or three sentences; notes go in "
        "`notes`)\n")
    assert not out.exists()


def test_evidence_on_the_yes_rows_of_a_workbook_supports_its_claims(tmp_path, cli):
    """The issue's workbook: every indicator yes, a document on each row at or above
    the rubric's evidence level and none on the criteria: no claim is unsupported, and
    --strict leaves the index as it is."""
    rubric = documents.rubric_at(documents.resolve_rubric("cyberdip-core"))
    need = rubric.scoring.evidence_from_level
    book = tmp_path / "hq.xlsx"
    assert cli("init", "cyberdip-core", "-o", book).code == 0
    profile = rubric.default_profile()
    fill_workbook(book, {f"{c.id}:{i.id}": {"answer": "yes", **(
        {"evidence": f"Document {i.id}"} if lv >= need else {})}
        for _, c in rubric.criteria() if c.applies(profile) for lv, i in c.indicator_list()},
        {"organisation": "MoFA"})
    out = tmp_path / "hq.yaml"
    r = cli("import", book, "-o", out)
    assert (r.code, r.stdout) == (0, "")
    plain = json.loads(cli("score", out, "-f", "json").stdout)
    strict = json.loads(cli("score", out, "-f", "json", "--strict").stdout)
    assert plain["counts"]["unsupported"] == 0 and plain["counts"]["assessed"] > 0
    assert (strict["index"], strict["stage"]) == (plain["index"], plain["stage"])
    s = cli("score", out)
    assert (s.code, s.stderr) == (0, "") and "have no evidence" not in s.stdout


# -- the answers an offline form saved (cyberdip init -o x.html) -------------------------


def saved_form(tmp_path: Path, answers: dict, *, rubric: str = "cyberdip-core",
               version: str | None = None, sha256: str | None = None,
               form_version: int = 1) -> Path:
    """The file the offline form saves, as its script writes it (JSON, one space)."""
    from cyberdip.formats.digest import file_sha256

    path = documents.resolve_rubric(rubric)
    r = documents.rubric_at(path)
    doc = {"cyberdip_form": form_version,
           "rubric": {"id": r.id, "version": version or r.version,
                      "sha256": sha256 or file_sha256(path)},
           "assessment": {"rubric": rubric, "rubric_version": r.version,
                          "organisation": {"name": "Ministry of Foreign Affairs"},
                          "assessors": ["Policy Planning"], "profile": "headquarters",
                          "answers": answers}}
    out = tmp_path / "berlin.answers.json"
    out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return out


STRATEGY = {"strategy.digital-diplomacy-strategy": {
    "indicators": {"initiatives-under-way": True, "need-recognised": True},
    "evidence": ["Cabinet note"]},
    "strategy.coordination": {"level": 2}}


def test_import_of_saved_form_answers_writes_the_assessment_they_hold(tmp_path, cli):
    saved = saved_form(tmp_path, STRATEGY)
    r = cli("import", saved)
    out = tmp_path / "berlin.answers.yaml"  # beside it, never over it
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr == (f"wrote {out}: 2 of 54 criteria filled in. Next: "
                        f"`cyberdip score {out}`\n")
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["answers"] == STRATEGY
    assert data["assessors"] == ["Policy Planning"]
    # score reads the saved file itself as the assessment it wraps
    a = cli("score", saved, "--format", "json")
    b = cli("score", out, "--format", "json")
    assert (a.code, a.stderr, b.code, b.stderr) == (0, "", 0, "")
    assert json.loads(a.stdout)["criteria"] == json.loads(b.stdout)["criteria"]


def test_a_wrong_answer_in_saved_form_answers_is_named_at_its_line_by_criterion(tmp_path, cli):
    saved = saved_form(tmp_path, {
        "strategy.digital-diplomacy-strategy": {"indicators": {"need-recognised": "maybe"}},
        "strategy.coordination": {"level": 9}})
    r = cli("import", saved)
    assert (r.code, r.stdout) == (1, "")
    lines = r.stderr.splitlines()
    assert lines[0].startswith(f"{saved}:21:25: error[CD106]: answers.strategy.digital-"
                               "diplomacy-strategy.indicators.need-recognised: ")
    assert f"{saved}:25:14: error[CD302]: level 9 is outside the scale 0..5" in r.stderr
    assert not (tmp_path / "berlin.answers.yaml").exists()


NEWER = "these answers were saved by a newer offline form than this cyberdip reads"
OLDER = ("these answers were given in a form made from `cyberdip-core` 2.0.0, but the "
         "rubric found is `cyberdip-core` 2.1.0; read them against the rubric they answer "
         "(`--rubric cyberdip-core@2.0`)")
EDITED = "the rubric `cyberdip-core` 2.1.0 has changed since the form was made"


@pytest.mark.parametrize(("change", "code", "says"), [
    ({"form_version": 2}, "CD740", NEWER),
    ({"version": "2.0.0"}, "CD741", OLDER),
    ({"sha256": "ab" * 32}, "CD742", EDITED),
])
def test_saved_form_answers_are_refused_against_another_rubric_than_theirs(
        tmp_path, cli, change, code, says):
    saved = saved_form(tmp_path, STRATEGY, **change)
    r = cli("import", saved)
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr.startswith(f"{saved}:2:") and f"error[{code}]: {says}" in r.stderr, r.stderr


def test_a_json_file_that_is_not_saved_form_answers_is_refused_without_quoting_it(tmp_path, cli):
    other = tmp_path / "package.json"
    other.write_text('{"cyberdip_form": 1, "name": "secret-value"}\n', encoding="utf-8")
    r = cli("import", other, "-o", tmp_path / "x.yaml")
    assert (r.code, r.stdout) == (1, "")
    assert "error[CD740]: this is not a complete file of answers saved by the offline form" \
        in r.stderr
    assert "secret-value" not in r.stderr
