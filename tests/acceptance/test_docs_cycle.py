"""The worked cycle in docs/cycle.md runs with the tool: its commands, in order, with the
directorates' answers the page describes, give the status output the page shows."""

from __future__ import annotations

import csv
import re
import shlex
import shutil
from pathlib import Path

from cyberdip import yamlio
from tests.conftest import ROOT, fill_workbook

DOC = ROOT / "docs" / "cycle.md"


def worked_example() -> tuple[list[list[str]], str]:
    """The `sh` blocks after the marker, and the `text` block (status's output)."""
    text = DOC.read_text(encoding="utf-8")
    tail = text[text.index("<!-- tests/acceptance/test_docs_cycle.py"):]
    tail = tail[:tail.index("\n## ")]  # up to the next section
    blocks = re.findall(r"```(sh|text)\n(.*?)```", tail, re.S)
    sh = [[line for line in body.splitlines() if line.startswith("cyberdip ")]
          for kind, body in blocks if kind == "sh"]
    shown = next(body for kind, body in blocks if kind == "text")
    return sh, shown


def run(cli, line: str, cwd: Path):
    """One command of the page, run in ``cwd`` (the test's current folder)."""
    return cli(*shlex.split(line)[1:])


def answer_as_the_page_says(folder: Path) -> None:
    """Policy Planning confirms its strategy rows; Cyber Security confirms secure
    practice and changes the time to report to 20; Public Diplomacy does not reply."""
    import openpyxl

    wb = openpyxl.load_workbook(folder / "policy.xlsx")
    ids = [r[0].value for r in wb["Answers"].iter_rows(min_row=2)]
    fill_workbook(folder / "policy.xlsx",
                  {i: {"confirm": "yes"} for i in ids if i.startswith("strategy.")}, {})
    path = folder / "security.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "id")
    col = {h: i for i, h in enumerate(rows[head])}
    for r in rows[head + 1:]:
        if r and r[0] == "incident-response.time-to-report":
            r[col["answer"]], r[col["confirm"]] = "20", "changed"
        elif r and r[0].startswith("security.secure-practice"):
            r[col["confirm"]] = "yes"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)


def test_the_worked_cycle_runs_as_the_page_shows(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "examples" / "pakistan-mofa-2025-followup.yaml",
                tmp_path / "berlin-2025.yaml")
    (send, chase, merge), shown = worked_example()
    for line in send:
        r = run(cli, line, tmp_path)
        assert (r.code, r.stdout) == (0, ""), r.stderr
    assert [s["respondent"] for s in yamlio.load(tmp_path / "cycle.yaml").data["sections"]] \
        == ["Policy Planning", "Cyber Security", "Public Diplomacy"]
    answer_as_the_page_says(tmp_path)
    (line,) = chase
    r = run(cli, line, tmp_path)
    assert (r.code, r.stdout, r.stderr) == (0, shown, "")
    for line in merge:
        r = run(cli, line, tmp_path)
        assert r.code == 0, r.stderr
    merged = yamlio.load(tmp_path / "berlin-2026.yaml").data
    assert merged["merged_from"]["missing_sections"] == ["Public Diplomacy"]
    assert merged["answers"]["incident-response.time-to-report"]["value"] == 20
    assert "15 answer(s) carried forward" in " ".join(r.stdout.split())
