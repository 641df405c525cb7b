"""`cyberdip plan`: the action plan on its own, as a CSV sheet or a one-sheet workbook in
the shape of a plan of action and milestones (POA&M)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA

MINI = DATA / "rubrics" / "mini.yaml"
BERLIN = """\
rubric: mini.yaml
rubric_version: 1.0.0
organisation: {name: Test Ministry}
date: 2026-10-01
answers:
  policy.strategy:
    level: 1
    action: Put the strategy to the cabinet
    owner: Director, Policy Planning
    due: 2026-Q2
    status: under-way
  policy.law: {met: true, evidence: ["PECA 2016"]}
  outreach.missions-online:
    value: 30
    owner: "=HYPERLINK(1)"
    due: 2026-12-31
    status: planned
"""
HEAD = ("id,criterion,title,weakness,action,action source,owner,due,due by,status,overdue,"
        "milestone,as of")


@pytest.fixture
def berlin(tmp_path) -> Path:
    shutil.copy(MINI, tmp_path / "mini.yaml")
    a = tmp_path / "berlin.yaml"
    a.write_text(BERLIN, encoding="utf-8")
    return a


def test_the_plan_goes_to_stdout_as_csv_with_overdue_judged_on_the_assessment_date(cli,
                                                                                  berlin):
    r = cli("plan", berlin)
    assert r.code == 0
    assert r.stderr == "the plan: 2 action(s), 1 overdue as of 2026-10-01, 0 without an owner\n"
    assert r.stdout == "\n".join([
        HEAD,
        "1,policy.strategy,Digital diplomacy strategy,level 1 Start-up; target level 3 "
        "Established,Put the strategy to the cabinet,ministry,\"Director, Policy Planning\","
        "2026-Q2,2026-06-30,under-way,yes,reach level 3 Established by 2026-Q2,2026-10-01",
        # the rubric's recommendation where none is written; a formula is made text
        "2,outreach.missions-online,Missions on social media,level 2 Formative; target "
        "level 3 Established,Most.,rubric,'=HYPERLINK(1),2026-12-31,2026-12-31,planned,no,"
        "reach level 3 Established by 2026-12-31,2026-10-01", ""])


def test_as_of_moves_the_reference_date_and_no_date_judges_nothing(cli, berlin, tmp_path):
    r = cli("plan", berlin, "--as-of", "2027-01-01", "-o", tmp_path / "p.csv")
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr == (f"wrote {tmp_path / 'p.csv'}: 2 action(s), 2 overdue as of "
                        "2027-01-01, 0 without an owner\n")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "p.csv").read_text("utf-8-sig"))))
    assert [(x["overdue"], x["as of"]) for x in rows] == [("yes", "2027-01-01")] * 2
    berlin.write_text(BERLIN.replace("date: 2026-10-01\n", ""), encoding="utf-8")
    r = cli("plan", berlin)
    assert r.code == 0 and r.stderr == ("the plan: 2 action(s), 0 overdue (overdue not "
                                        "judged: no date; give --as-of), 0 without an owner\n")
    assert [x["overdue"] for x in csv.DictReader(io.StringIO(r.stdout))] == ["not judged"] * 2


def test_the_workbook_is_one_sheet_and_the_same_bytes_every_time(cli, berlin, tmp_path):
    import openpyxl

    for name in ("a.xlsx", "b.xlsx"):
        r = cli("plan", berlin, "-o", tmp_path / name)
        assert (r.code, r.stdout) == (0, "") and r.stderr.startswith(f"wrote {tmp_path / name}")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert wb.sheetnames == ["Plan"]
    ws = wb["Plan"]
    assert ",".join(c.value for c in ws[1]) == HEAD
    assert [c.value for c in ws[3]][6] == "=HYPERLINK(1)"
    assert ws["G3"].data_type == "s"  # text, never a formula


def test_what_the_plan_is_never_written_to(cli, berlin, tmp_path):
    r = cli("plan", berlin, "-o", tmp_path / "p.pdf")
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == (f"{tmp_path / 'p.pdf'}: error[CD404]: `.pdf`: `cyberdip plan` writes "
                        ".csv, .xlsx; name the file accordingly\n")
    r = cli("plan", berlin, "-o", berlin.with_suffix(".csv"))
    assert r.code == 0
    r = cli("plan", berlin, "-o", berlin.with_suffix(".csv"))
    assert (r.code, r.stdout) == (2, "") and "already exists; use --force" in r.stderr
    # --as-of is read as score reads it: a day as YYYY-MM-DD, nothing else (not even
    # the compact 20270101 Python's own parser would take)
    for day in ("1 May", "20270101"):
        r = cli("plan", berlin, "--as-of", day, "-o", tmp_path / "q.csv")
        assert (r.code, r.stdout) == (2, "")
        assert f"`{day}` is not a date: give a day as YYYY-MM-DD, e.g. 2026-12-01" in r.stderr
        assert not (tmp_path / "q.csv").exists()


def test_a_bad_status_stops_the_export(cli, berlin, tmp_path):
    berlin.write_text(BERLIN.replace("status: planned", "status: finished"), encoding="utf-8")
    r = cli("plan", berlin, "-o", tmp_path / "p.csv")
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr == (f"{berlin}:17:13: error[CD336]: `outreach.missions-online`: "
                        "`finished` is not a status of an action; write one of planned, "
                        "under-way, done, dropped\n")
    assert not (tmp_path / "p.csv").exists()
