"""The worked cycle in docs/cycle.md runs with the tool, end to end: every command of
the section, in order, with the directorates' answers and the later edit the page
describes, gives the outputs the page shows.

The cycle: three directorates get their sections, pre-filled with last year's answers;
one section never comes back and is reported missing; the answers that came back are
partly re-confirmed and merged; the director signs off with an SSH key; an answer
changed afterwards voids the sign-off; the brief goes up in Word, in English and in
Urdu; three years of the unit are shown as a trend chart.
"""

from __future__ import annotations

import csv
import json
import re
import shlex
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from cyberdip import yamlio
from tests.conftest import ROOT, fill_workbook

DOC = ROOT / "docs" / "cycle.md"


def worked_example() -> list[tuple[str, str]]:
    """The ``sh`` and ``text`` blocks of the section, in order: (kind, body)."""
    text = DOC.read_text(encoding="utf-8")
    tail = text[text.index("<!-- tests/acceptance/test_docs_cycle.py"):]
    end = tail.find("\n## ")
    tail = tail if end < 0 else tail[:end]
    return re.findall(r"```(sh|text)\n(.*?)```", tail, re.S)


def commands(body: str) -> list[str]:
    return [line for line in body.splitlines() if line.startswith("cyberdip ")]


def answer_as_the_page_says(folder: Path) -> None:
    """Policy Planning confirms its strategy rows and dates its section; Cyber Security
    confirms secure practice and changes the time to report to 20; Public Diplomacy
    does not reply."""
    import datetime as dt

    import openpyxl

    wb = openpyxl.load_workbook(folder / "policy.xlsx")
    ids = [r[0].value for r in wb["Answers"].iter_rows(min_row=2)]
    fill_workbook(folder / "policy.xlsx",
                  {i: {"confirm": "yes"} for i in ids if i.startswith("strategy.")},
                  {"period": "2026", "date": dt.datetime(2026, 11, 30)})
    path = folder / "security.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "id")
    col = {h: i for i, h in enumerate(rows[head])}
    for r in rows[head + 1:]:
        if r and r[0] == "incident-response.time-to-report":
            r[col["answer"]], r[col["confirm"]] = "20", "changed"
        elif r and r[0].startswith("security.secure-practice"):
            r[col["confirm"]] = "yes"
        elif r and r[0].startswith("incident-response.response-plan"):
            r[col["confirm"]] = "yes"
            if r[0].endswith(":first-steps"):
                r[col["evidence"]] = EXPIRED
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)


#: The dated evidence Cyber Security gives its response plan (docs/cycle.md).
EXPIRED = "Incident response plan, 2023 [date: 2023-03-01; valid until: 2025-12-31]"


def director_key(folder: Path) -> None:
    """The director's SSH key, and the ministry's allowed-signers file naming it."""
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "dg",
                    "-f", str(folder / "director_key")], check=True)
    public = (folder / "director_key.pub").read_text(encoding="utf-8").split()
    (folder / "allowed_signers").write_text(f"dg@mofa.example {public[0]} {public[1]}\n",
                                            encoding="utf-8")


def mark_standing_mechanism(folder: Path) -> None:
    """"A week later someone marks a standing coordination mechanism as in place"."""
    path = folder / "berlin-2026.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  strategy.coordination:"))
    j = next(k for k in range(at + 1, len(lines))
             if lines[k].strip() == "standing-mechanism: false")
    lines[j] = lines[j].replace("false", "true")
    path.write_text("".join(lines), encoding="utf-8")
    assert yamlio.load(path).data["answers"]["strategy.coordination"]["indicators"][
        "standing-mechanism"] is True


@pytest.mark.skipif(shutil.which("ssh-keygen") is None,
                    reason="needs OpenSSH's ssh-keygen (CI installs openssh-client)")
def test_the_worked_cycle_runs_as_the_page_shows(cli, tmp_path, monkeypatch):
    pytest.importorskip("docx")
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "examples" / "pakistan-mofa-2025-followup.yaml",
                tmp_path / "berlin-2025.yaml")
    shutil.copy(ROOT / "examples" / "pakistan-mofa-2023.yaml", tmp_path / "berlin-2023.yaml")
    blocks = worked_example()
    kinds = [k for k, _ in blocks]
    assert kinds == ["sh", "sh", "text", "sh", "sh", "sh", "sh", "text", "sh"], kinds
    bodies = [b for _, b in blocks]
    send, chase, shown, merge, progress, sign, check_again, void, publish = bodies

    for line in commands(send):
        r = cli(*shlex.split(line)[1:])
        assert (r.code, r.stdout) == (0, ""), r.stderr
    assert [s["respondent"] for s in yamlio.load(tmp_path / "cycle.yaml").data["sections"]] \
        == ["Policy Planning", "Cyber Security", "Public Diplomacy"]

    answer_as_the_page_says(tmp_path)
    (line,) = commands(chase)
    r = cli(*shlex.split(line)[1:])
    assert (r.code, r.stdout, r.stderr) == (0, shown, "")

    for line in commands(merge):
        r = cli(*shlex.split(line)[1:])
        assert r.code == 0, r.stderr
    merged = yamlio.load(tmp_path / "berlin-2026.yaml").data
    assert merged["merged_from"]["missing_sections"] == ["Public Diplomacy"]
    assert merged["answers"]["incident-response.time-to-report"]["value"] == 20
    assert (merged["period"], str(merged["date"])) == ("2026", "2026-11-30")
    assert "14 answer(s) carried forward" in " ".join(r.stdout.split())
    said = " ".join(r.stdout.split())
    assert "Incident response plan, 2023" in said and "expired" in said.lower(), said[-2000:]
    card = cli("score", "berlin-2026.yaml", "--format", "json")
    dates = json.loads(card.stdout)["evidence_dates"]
    assert (dates["checked"], dates["expired"]) == (True, 1)
    assert "incident-response.response-plan" in dates["ids"]

    (line,) = commands(progress)
    r = cli(*shlex.split(line)[1:])
    assert r.code == 0, r.stderr
    plan = json.loads(cli(*shlex.split(line)[1:], "--format", "json").stdout)["plan_progress"]
    assert plan["items"] and "Progress against the previous plan" in r.stdout

    director_key(tmp_path)
    sign_off, check = commands(sign)
    r = cli(*shlex.split(sign_off)[1:])
    assert r.code == 0, r.stderr
    assert (tmp_path / "berlin-2026.signoff.sig").is_file()
    r = cli(*shlex.split(check)[1:])
    assert (r.code, r.stderr) == (0, ""), r.stderr
    assert "Signed off by A. Khan (Director General, Digital Diplomacy) on 2026-12-01" \
        in " ".join(r.stdout.split())
    # the signature checks with OpenSSH alone too
    with open(tmp_path / "berlin-2026.signoff", "rb") as statement:
        v = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", "allowed_signers", "-I",
                            "dg@mofa.example", "-n", "cyberdip", "-s",
                            "berlin-2026.signoff.sig"], stdin=statement, capture_output=True)
    assert v.returncode == 0, v.stderr

    mark_standing_mechanism(tmp_path)
    (line,) = commands(check_again)
    r = cli(*shlex.split(line)[1:])
    assert r.code == 1
    assert void.strip() in " ".join((r.stdout + r.stderr).split())
    r = cli("score", "berlin-2026.yaml")
    assert "Changed since sign-off on 2026-12-01" in " ".join(r.stdout.split())

    for line in commands(publish):
        r = cli(*shlex.split(line)[1:])
        assert (r.code, r.stdout) == (0, ""), r.stderr
    for name in ("brief.docx", "brief-ur.docx"):
        with zipfile.ZipFile(tmp_path / name) as z:
            body = z.read("word/document.xml").decode("utf-8")
        assert "Changed since sign-off" in body or "تبدیل" in body, name
    with zipfile.ZipFile(tmp_path / "brief-ur.docx") as z:
        assert "<w:bidi/>" in z.read("word/document.xml").decode("utf-8")
    chart = (tmp_path / "trend.html").read_text(encoding="utf-8")
    assert chart.count("<svg") >= 1 and "<script" not in chart
    for year in ("2023", "2025", "2026"):
        assert year in chart
