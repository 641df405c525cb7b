"""The docs show what the tool prints: every block marked ``<!-- output: COMMAND -->`` is
compared with a real run of COMMAND.

A marked block is the fenced block right after the marker. When it starts with
``$ COMMAND``, that line must be the marker's command and the rest is the output;
otherwise the whole block is the output. The command runs in an empty folder, after
the setup the marker names (``<!-- output: COMMAND | setup: NAME -->``, one of
``SETUPS``), and what it prints (stdout, then stderr) must equal the block, line for
line. A line of ``...`` alone stands for any lines left out (none or more). So a docs
page cannot go on showing 42 questions once the rubric has 47.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT

DOCS = ROOT / "docs"
MARKER = re.compile(
    r"<!-- output: (?P<command>.+?)(?: \| setup: (?P<setup>[\w-]+))? -->\n"
    r"```[a-z]*\n(?P<body>.*?)```", re.S)


def marked_blocks() -> list[tuple[str, str, str | None, str]]:
    """``(doc name, command, setup, expected output)`` for every marked block."""
    out = []
    for path in sorted(DOCS.glob("*.md")) + [ROOT / "README.md"]:
        for m in MARKER.finditer(path.read_text(encoding="utf-8")):
            body, command = m["body"], m["command"].strip()
            first, _, rest = body.partition("\n")
            if first.startswith("$ "):
                assert first[2:] == command, f"{path.name}: the block runs `{first[2:]}`, " \
                    f"but its marker says `{command}`"
                body = rest
            out.append((path.name, command, m["setup"], body))
    return out


BLOCKS = marked_blocks()


# -- what a marked command finds in its folder ------------------------------------------


def _answer_every_row(ws) -> None:
    """Every row answered: an indicator `yes`, any other question n/a with a reason (an
    answer that fits every kind of question)."""
    heads = {c.value: c.column for c in ws[1]}
    for row in ws.iter_rows(min_row=2):
        cid = row[0].value
        if not cid:
            continue
        if ":" in cid:
            ws.cell(row=row[0].row, column=heads["answer"]).value = "yes"
        else:
            ws.cell(row=row[0].row, column=heads["answer"]).value = "n/a"
            ws.cell(row=row[0].row, column=heads["N/A reason"]).value = "not asked this year"


def _set_detail(ws, name: str, value: str) -> None:
    for row in ws.iter_rows():
        if row[0].value == name:
            row[1].value = value


def _cell(ws, cid: str, column: str, value: object) -> None:
    heads = {c.value: c.column for c in ws[1]}
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == cid)
    ws.cell(row=row[0].row, column=heads[column]).value = value


def _workbook(cli, folder: Path, *, errors: bool) -> None:
    book = folder / "berlin.xlsx"
    assert cli("init", "cyberdip-core", "-o", book).code == 0
    wb = openpyxl.load_workbook(book)
    _answer_every_row(wb["Answers"])
    if not errors:
        _set_detail(wb["Start"], "organisation", "Ministry of Foreign Affairs")
    else:  # the organisation left empty, and three bad answers, one a formula
        ws = wb["Answers"]
        _cell(ws, "outreach.engagement-rate", "answer", "lots")
        _cell(ws, "outreach.engagement-rate", "N/A reason", None)
        _cell(ws, "outreach.official-channels:team-named", "answer", "maybe")
        _cell(ws, "outreach.online-services", "answer", "=B2")
        _cell(ws, "outreach.online-services", "N/A reason", None)
    wb.save(book)


def _sheet(cli, folder: Path, *, errors: bool) -> None:
    import csv
    import io

    sheet = folder / "missions.csv"
    assert cli("init", "cyberdip-core", "--format", "csv", "-o", sheet).code == 0
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"), newline="")))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "id")
    col = {h: i for i, h in enumerate(rows[head])}
    for r in rows[head + 1:]:
        if ":" in r[0]:
            r[col["answer"]] = "yes"
        else:
            r[col["answer"]], r[col["N/A reason"]] = "n/a", "not asked this year"
    for r in rows[:head]:
        if r and r[0] == "organisation":
            r[1] = "Embassy of Pakistan, Berlin"
    if errors:
        by_id = {r[0]: r for r in rows[head + 1:]}
        by_id["outreach.engagement-rate"][col["answer"]] = "about 30"
        by_id["outreach.engagement-rate"][col["N/A reason"]] = ""
        by_id["outreach.missions-active"][col["id"]] = "outreach.missions-activ"
        rows.remove(by_id["incident-response.time-to-report"])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    sheet.write_bytes(buf.getvalue().encode("utf-8-sig"))


def _respondents(cli, folder: Path) -> None:
    """Three respondents: two workbooks and a YAML file, who disagree on one criterion."""
    for name, who, envoy, rate in (("ana", "Ana", "yes", "1.5"), ("bo", "Bo", "no", "2")):
        book = folder / f"{name}.xlsx"
        assert cli("init", "cyberdip-core", "-o", book).code == 0
        wb = openpyxl.load_workbook(book)
        _set_detail(wb["Start"], "organisation", "Ministry of Foreign Affairs")
        _set_detail(wb["Start"], "respondent", who)
        _cell(wb["Answers"], "strategy.cyber-envoy:delegate-designated", "answer", envoy)
        _cell(wb["Answers"], "outreach.engagement-rate", "answer", rate)
        wb.save(book)
    (folder / "chen.yaml").write_text(
        "rubric: cyberdip-core\nrubric_version: 2.1.0\n"
        "organisation: {name: Ministry of Foreign Affairs}\nassessors: [Chen]\nanswers:\n"
        "  strategy.cyber-envoy: {level: 3, evidence: ['https://example.org/envoy.pdf']}\n"
        "  outreach.engagement-rate: {value: 2.5}\n", encoding="utf-8")


def _three_years(cli, folder: Path) -> None:
    """Three years of the Pakistan MoFA headquarters: the shipped baseline and follow-up,
    and a third year derived from the follow-up (the same answers, dated 2026; like the
    follow-up, marked illustrative)."""
    shutil.copy(ROOT / "examples" / "pakistan-mofa-2023.yaml", folder / "mofa-2023.yaml")
    shutil.copy(ROOT / "examples" / "pakistan-mofa-2025-followup.yaml",
                folder / "mofa-2025.yaml")
    (folder / "mofa-2026.yaml").write_text(
        (folder / "mofa-2025.yaml").read_text(encoding="utf-8")
        .replace('period: "2025"', 'period: "2026"').replace("date: 2025-11-28",
                                                            "date: 2026-11-30"),
        encoding="utf-8")


SETUPS = {
    "three-respondents": _respondents,
    "three-years": _three_years,
    "answered-workbook": lambda cli, folder: _workbook(cli, folder, errors=False),
    "workbook-with-errors": lambda cli, folder: _workbook(cli, folder, errors=True),
    "answered-sheet": lambda cli, folder: _sheet(cli, folder, errors=False),
    "sheet-with-errors": lambda cli, folder: _sheet(cli, folder, errors=True),
}


def test_the_docs_mark_the_outputs_they_show():
    names = {(doc, command) for doc, command, _, _ in BLOCKS}
    assert ("questionnaire.md", "cyberdip init cyberdip-core -o berlin.xlsx") in names
    assert ("questionnaire.md", "cyberdip import berlin.xlsx -o berlin.yaml") in names
    assert ("questionnaire.md", "cyberdip import missions.csv -o berlin.yaml") in names
    assert all(setup is None or setup in SETUPS for _, _, setup, _ in BLOCKS)


@pytest.mark.parametrize(("doc", "command", "setup", "expected"), BLOCKS,
                         ids=[f"{d}:{c}" + (f"|{s}" if s else "") for d, c, s, _ in BLOCKS])
def test_a_marked_block_is_what_the_command_prints(cli, tmp_path, monkeypatch, doc, command,
                                                   setup, expected):
    monkeypatch.chdir(tmp_path)
    if setup:
        SETUPS[setup](cli, tmp_path)
    args = shlex.split(command)
    assert args[0] == "cyberdip"
    r = cli(*args[1:])
    assert r.code in (0, 1), r.stdout + r.stderr
    got = r.stdout + r.stderr
    if "\n...\n" in f"\n{expected}":
        # each `...` line stands for any lines left out
        pattern = "".join(r"(?:.*\n)*?" if line == "..." else re.escape(line) + r"\n"
                          for line in expected.splitlines())
        assert re.fullmatch(pattern, got), (
            f"docs/{doc} shows another output for `{command}` than the tool prints:\n{got}")
    else:
        assert got.splitlines() == expected.splitlines(), (
            f"docs/{doc} shows another output for `{command}` than the tool prints; "
            "copy the run's output into the block")


def test_the_sheet_the_csv_route_shows_is_the_rubric_s_version():
    """The picture of the CSV sheet names the version `init` writes today."""
    from cyberdip.formats import documents

    doc = (DOCS / "questionnaire.md").read_text(encoding="utf-8")
    shown = re.search(r"^\| 3 \| rubric version \| (\S+) \|", doc, re.M)
    assert shown and shown.group(1) == documents.get_rubric("cyberdip-core").version
