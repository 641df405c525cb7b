"""Inputs the fuzz suite found crashing a command, kept as regression cases.

Each file in tests/data/fuzz-regressions/ runs through validate, score and report in a
real process (``python -m cyberdip``): the exit code is 0, 1 or 2, stderr holds no
traceback, and a failed report leaves no file. EXPECTED pins the message a case must
give, where there is one to pin.

Below them, the faults the fuzz suite found that the code still has, each the smallest
input that shows it, as a strict xfail: when the fix lands the test passes, which fails
the suite. Then delete its xfail mark here and its entry in KNOWN_BUGS
(tests/fuzz/fuzz_properties.py), and the fuzz tests check that property again.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
import yaml
from fuzz_properties import KNOWN_BUGS, RAW_CONTROL

from tests.conftest import PATIENCE

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "tests" / "data" / "fuzz-regressions").glob("*.yaml"))

#: case file name -> (command, exit code, regex on the located message)
EXPECTED = {
    "rubric-name-too-long.yaml": ("score", 1, r":4:9: error\[CD306\]: rubric `Illustrative "
                                             r"mission .*` not found: it is neither a built-in"),
}


@pytest.mark.parametrize("command", ["validate", "score", "report"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fuzz_regression(case: Path, command: str, tmp_path: Path, subprocess_cli) -> None:
    before = case.read_bytes()
    out = tmp_path / "report.html"
    args = [command, case] + (["-o", out] if command == "report" else [])
    r = subprocess_cli(*args, cwd=tmp_path)
    assert r.code in (0, 1, 2), r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    if command == "report" and r.code != 0:
        assert not out.exists()
    assert case.read_bytes() == before
    want = EXPECTED.get(case.name)
    if want and want[0] == command:
        assert r.code == want[1], r.stderr
        assert re.match(re.escape(str(case)) + want[2], r.stderr), r.stderr


def test_every_case_is_here() -> None:
    assert {c.name for c in CASES} >= set(EXPECTED)


def test_report_to_an_output_name_too_long_is_a_usage_error(tmp_path: Path,
                                                            subprocess_cli) -> None:
    out = tmp_path / ("y" * 300 + ".html")
    r = subprocess_cli("report", ROOT / "examples" / "pakistan-mofa-2023.yaml", "-o", out,
                       cwd=tmp_path)
    assert r.code == 2, r.stderr
    assert r.stderr == f"{out}: error[CD002]: cannot use this path: File name too long\n"
    assert not list(tmp_path.iterdir())


# -- found by the fuzz suite, not fixed yet -----------------------------------------------

MINI = ROOT / "tests" / "data" / "rubrics" / "mini.yaml"
ANSWERED = ROOT / "tests" / "data" / "assessments" / "mini-answered.yaml"
SHEET = ROOT / "tests" / "data" / "csv" / "mini-filled.csv"
ESCAPE = "9\x1b]0;PWNED\x07\x1b[2J"  # sets the window title, clears the screen


def project(tmp_path: Path, *, title: str | None = None, question: str | None = None,
            escape_answers: bool = False) -> tuple[Path, Path]:
    """tmp_path/rubrics/mini.yaml (its title or first question replaced) and
    tmp_path/a/x.yaml answering it (its organisation, unit and period ESCAPE)."""
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "a").mkdir()
    rubric = yaml.safe_load(MINI.read_text())
    if title is not None:
        rubric["title"] = rubric["areas"][0]["title"] = title
    if question is not None:
        rubric["areas"][0]["criteria"][0]["question"] = question
    r = tmp_path / "rubrics" / "mini.yaml"
    r.write_text(yaml.safe_dump(rubric, allow_unicode=True, sort_keys=False))
    answers = yaml.safe_load(ANSWERED.read_text())
    if escape_answers:
        answers["organisation"] = {"name": ESCAPE, "unit": ESCAPE}
        answers["period"] = ESCAPE
    a = tmp_path / "a" / "x.yaml"
    a.write_text(yaml.safe_dump(answers, allow_unicode=True, sort_keys=False))
    return r, a


WRITTEN = [("report", "md"), ("report", "html"), ("compare", "txt"), ("compare", "md"),
           ("compare", "csv"), ("compare", "html"), ("aggregate", "txt"), ("aggregate", "md"),
           ("aggregate", "csv"), ("aggregate", "html"), ("init", "csv")]


@pytest.mark.parametrize(("command", "ext"), WRITTEN, ids=[f"{c}-{e}" for c, e in WRITTEN])
def test_written_files_hold_no_raw_control_characters(tmp_path: Path, cli, command,
                                                      ext) -> None:
    rubric, a = project(tmp_path, title=ESCAPE, escape_answers=True)
    out = tmp_path / f"out.{ext}"
    args = {"report": ["report", a], "compare": ["compare", a, a],
            "aggregate": ["aggregate", a.parent], "init": ["init", rubric]}[command]
    r = cli(*args, "-o", out)
    assert r.code == 0, r.stderr
    raw = RAW_CONTROL.search(out.read_text(encoding="utf-8"))
    assert raw is None, f"U+{ord(raw.group()):04X} raw in {out.name}"


@pytest.mark.parametrize("title", ["A\nb: c", "A\u2028b", ESCAPE],
                         ids=["newline-injects-a-key", "line-separator", "escape"])
def test_init_yaml_from_a_rubric_with_a_line_break_validates(tmp_path: Path, cli,
                                                             title) -> None:
    rubric, _ = project(tmp_path, title=title)
    assert cli("validate", rubric).code == 0  # the rubric is valid
    blank = tmp_path / "blank.yaml"
    assert cli("init", rubric, "-o", blank).code == 0
    v = cli("validate", blank)
    assert v.code == 0, v.stdout + v.stderr


@pytest.mark.parametrize("name", ["del\x7f.yaml", "csi\x9b.yaml", "nel\x85x.yaml"],
                         ids=["DEL", "C1-CSI", "NEL"])
def test_init_refuses_a_rubric_whose_name_holds_a_control(tmp_path: Path, cli,
                                                          name) -> None:
    # it wrote a blank naming the rubric with DEL or a C1 control raw (YAML refuses
    # them), or NEL folded to a space (another file); now it asks for a rename
    rubric = tmp_path / name
    rubric.write_bytes(MINI.read_bytes())
    blank = tmp_path / "blank.yaml"
    r = cli("init", rubric, "-o", blank)
    assert (r.code, r.stdout) == (2, "")
    assert "holds a control character" in r.stderr and "rename the rubric file" in r.stderr
    assert not blank.exists()


@pytest.mark.parametrize("name", ["out.html", "out.pdf", "out.csv", "out"])
def test_import_refuses_an_output_extension_it_does_not_write(tmp_path: Path, cli,
                                                              name) -> None:
    out = tmp_path / name
    r = cli("import", SHEET, "-o", out)
    assert (r.code, "[CD404]" in r.stderr, out.exists()) == (2, True, False), r.stderr


@pytest.mark.parametrize("command", ["aggregate", "compare"])
def test_csv_cell_with_a_carriage_return_stays_one_cell(tmp_path: Path, cli, command) -> None:
    import csv

    _, a = project(tmp_path, title="\r=1+1")
    a.write_text(a.read_text().replace("Test Ministry", '"\\r=1+1"'))
    out = tmp_path / "out.csv"
    args = ["aggregate", a.parent] if command == "aggregate" else ["compare", a, a]
    assert cli(*args, "-o", out).code == 0
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert [row[0] for row in rows if row and row[0].startswith("=")] == []
    assert len(rows) == (2 if command == "aggregate" else 3), rows


def spawn_assess(tmp_path: Path, rubric: Path, env: dict[str, str] | None = None):
    import pexpect

    full = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", **(env or {})}
    full.pop("CYBERDIP_DEBUG", None)
    return pexpect.spawn(sys.executable, ["-m", "cyberdip", "assess", str(rubric), "-o",
                                          "x.yaml"], cwd=str(tmp_path), env=full, timeout=PATIENCE)


@pytest.mark.parametrize("stdin", ["strict", "surrogateescape"])
def test_assess_survives_a_typed_byte_that_is_not_utf8(tmp_path: Path, stdin) -> None:
    import pexpect

    env = {"PYTHONIOENCODING": "utf-8:strict"} if stdin == "strict" else {
        "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8:surrogateescape"}
    child = spawn_assess(tmp_path, MINI, env)
    child.expect("Organisation")
    child.send(b"Minist\xe8re\n")  # Latin-1, as a terminal set to it types it
    # refused, and asked again: it must never reach the file
    child.expect("not UTF-8 text")
    child.expect("Organisation")
    child.sendline("Ministere")
    i = child.expect(["Unit", pexpect.EOF])
    assert i == 0, child.before
    if i == 0:
        child.sendline("")
        child.expect("Period")
        child.sendline("")
        child.expect([r"Answer: ", pexpect.EOF])
        child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    assert b"internal error" not in child.before, child.before
    assert child.exitstatus in (0, 1, 2), child.before


def test_assess_escapes_sgr_sequences_from_the_rubric(tmp_path: Path) -> None:
    import pexpect

    rubric, _ = project(tmp_path, question="Is there a strategy?\x1b[8m hidden\x1b[0m")
    child = spawn_assess(tmp_path, rubric)
    for prompt, text in (("Organisation", "O"), ("Unit", ""), ("Period", "")):
        child.expect(prompt)
        child.sendline(text)
    child.expect("Answer: ")
    shown = child.before
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    assert b"hidden" in shown
    assert b"\x1b[8m" not in shown, shown


def test_every_known_bug_has_its_xfail_test() -> None:
    names = {name for name, value in globals().items() if name.startswith("test_")}
    assert set(KNOWN_BUGS.values()) <= names
