"""Inputs the fuzz suite found crashing a command, kept as regression cases.

Each file in tests/data/fuzz-regressions/ runs through validate, score and report in a
real process (``python -m cyberdip``): the exit code is 0, 1 or 2, stderr holds no
traceback, and a failed report leaves no file. EXPECTED pins the message a case must
give, where there is one to pin.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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
