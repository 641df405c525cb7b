"""The stack floors of benchmarks/run.py (benchmarks/baselines/stack_*.py) do the work
they stand for, so a newer typer, pydantic or Jinja2 cannot quietly break the figures
docs/performance.md reads the missed targets against."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import PATIENCE, ROOT

BASELINES = ROOT / "benchmarks" / "baselines"
EXAMPLE = "examples/pakistan-mofa-2023.yaml"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=PATIENCE)


def test_the_least_aggregate_reads_every_mission_into_its_page(tmp_path):
    folder = tmp_path / "missions"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.yaml").write_bytes((ROOT / EXAMPLE).read_bytes())
    page = tmp_path / "page.html"
    r = _run(str(BASELINES / "stack_aggregate.py"), str(folder), "-o", str(page))
    assert (r.returncode, r.stdout, r.stderr) == (0, "3 files\n", "")
    html = page.read_text(encoding="utf-8")
    assert html.count("<tr>") == 3 and "Headquarters, Islamabad" in html


@pytest.mark.skipif(importlib.util.find_spec("typst") is None, reason="needs the pdf extra")
def test_the_least_brief_compiles_cyberdips_own_brief_byte_for_byte(tmp_path):
    ours, source = tmp_path / "brief.pdf", tmp_path / "source"
    made = _run(str(ROOT / "benchmarks" / "pdf_source.py"), str(source), "--", "report",
                EXAMPLE, "--brief", "-o", str(ours))
    assert made.returncode == 0, made.stderr
    fonts = made.stdout.strip().splitlines()[-1]
    least = tmp_path / "least.pdf"
    r = _run(str(BASELINES / "stack_brief.py"), "rubrics/cyberdip-core.yaml", EXAMPLE,
             str(source), fonts, "-o", str(least), "--brief")
    assert (r.returncode, r.stderr) == (0, ""), r.stderr
    assert least.read_bytes() == ours.read_bytes()
