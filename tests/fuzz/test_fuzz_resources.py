"""The resource property (docs/limits.md): for inputs within cyberdip's documented
limits, CPU time and peak memory stay within stated budgets, linear per unit of input.

Each case runs ``python -m cyberdip`` in a fresh child of ``measure.py``, which reads
``resource.getrusage(RUSAGE_CHILDREN)``: CPU seconds (user + system, every thread) and
the peak resident memory. Never wall-clock time, so a busy machine does not fail it.
The budgets are several times what was measured (docs/limits.md gives both), so a
slower machine passes; a cost that grows faster than linearly, or an input class that
escapes its bound, does not.

The ci profile measures the hostile single inputs and two sizes per budget; the long
profile (HYPOTHESIS_PROFILE=long) measures up to the supported size: 10,000 criteria
(2,000 for a PDF).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from fuzz_harness import PROFILE, ROOT

HERE = Path(__file__).resolve().parent
LONG = PROFILE == "long"


@dataclass(frozen=True)
class Cost:
    code: int
    cpu: float
    mb: float
    stderr: str


def measure(*args: str | os.PathLike[str], cwd: Path) -> Cost:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    p = subprocess.run([sys.executable, str(HERE / "measure.py"), sys.executable, "-m",
                        "cyberdip", *map(str, args)], capture_output=True, text=True,
                       cwd=cwd, env=env, timeout=1000)
    assert p.returncode == 0, p.stderr
    return Cost(**json.loads(p.stdout))


def within(cost: Cost, cpu: float, mb: float, what: str) -> None:
    assert cost.cpu <= cpu and cost.mb <= mb, (
        f"[resource-budget] {what}: {cost.cpu:.2f} s CPU and {cost.mb:.0f} MB, over the "
        f"budget of {cpu:.2f} s and {mb:.0f} MB\n{cost.stderr}")


# -- single hostile inputs: refused or bounded, at a small fixed cost ----------------------

#: CPU seconds and MB for one refused workbook (Python's start included), and for one
#: PDF with one hostile field: a handful of times the measured cost.
WORKBOOK_BUDGET = (2.0, 150)
PDF_FIELD_BUDGET = (5.0, 350)


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> bytes:
    from cyberdip.formats import documents, workbook
    from tests.conftest import fill_workbook
    from tests.hostile import DATA_RUBRIC

    p = tmp_path_factory.mktemp("book") / "b.xlsx"
    p.write_bytes(workbook.blank_xlsx(documents.load_rubric_file(DATA_RUBRIC), "mini"))
    fill_workbook(p, {}, {"organisation": "MFA"})
    return p.read_bytes()


@pytest.mark.parametrize("case", ["dtd", "comment", "attribute", "text", "wide", "hidden"])
def test_a_hostile_workbook_costs_little(tmp_path, filled, case):
    from tests import hostile as H

    book = {"dtd": lambda: H.with_dtd(filled, entities=8),
            "comment": lambda: H.with_long_comment(filled, 1_500_000),
            "attribute": lambda: H.with_long_comment(filled, 1_500_000, "attribute"),
            "text": lambda: H.with_long_comment(filled, 1_500_000, "text"),
            "wide": lambda: H.with_wide_row(filled, 4_000_000),
            "hidden": lambda: H.with_sheet_state(filled, "Answers", "veryHidden")}[case]()
    (tmp_path / "x.xlsx").write_bytes(book)
    cost = measure("import", "x.xlsx", "-o", "x.yaml", cwd=tmp_path)
    assert cost.code in (1, 2), cost.stderr
    within(cost, *WORKBOOK_BUDGET, f"import of a workbook with {case}")


@pytest.mark.parametrize("case", ["long-link", "source-url", "marks", "evidence-items",
                                  "long-word", "translation", "long-notes"])
def test_a_pdf_with_a_hostile_field_costs_little(tmp_path, case):
    pytest.importorskip("typst")
    from tests import hostile as H

    path, args = H.pdf_case(case, tmp_path)
    cost = measure("report", path, "-o", "r.pdf", *args, cwd=tmp_path)
    assert cost.code == 0, cost.stderr
    within(cost, *PDF_FIELD_BUDGET, f"PDF report with {case}")


# -- budgets per unit of input: linear up to the supported size ----------------------------

#: command -> (fixed CPU s, CPU s per criterion, fixed MB, MB per criterion)
BUDGETS = {
    "validate": (1.5, 0.0015, 100, 0.04),
    "score": (1.5, 0.002, 100, 0.05),
    "report-html": (2.0, 0.004, 120, 0.08),
    "report-pdf": (3.0, 0.006, 200, 0.45),
    "import-xlsx": (2.0, 0.002, 120, 0.06),
}
SIZES = [200, 1_000] + ([2_000, 5_000, 10_000] if LONG else [])


@pytest.mark.parametrize("criteria", SIZES)
@pytest.mark.parametrize("command", list(BUDGETS))
def test_cost_stays_within_a_linear_budget(tmp_path, command, criteria):
    from tests import hostile as H

    if command == "report-pdf":
        pytest.importorskip("typst")
        if criteria > 2_000:
            pytest.skip("a PDF is supported up to 2,000 criteria (docs/limits.md)")
    assessment = H.big_case(tmp_path, criteria)
    args = {"validate": ["validate", "big.yaml"],
            "score": ["score", assessment],
            "report-html": ["report", assessment, "-o", "r.html"],
            "report-pdf": ["report", assessment, "-o", "r.pdf"],
            "import-xlsx": ["import", "big.xlsx", "-o", "x.yaml"]}[command]
    if command == "import-xlsx":
        from cyberdip.formats import documents, workbook

        rubric = documents.load_rubric_file(tmp_path / "big.yaml")
        (tmp_path / "big.xlsx").write_bytes(workbook.blank_xlsx(rubric, "big.yaml"))
    cost = measure(*args, cwd=tmp_path)
    assert cost.code in (0, 1), cost.stderr  # 1: the import's empty organisation
    cpu0, cpu1, mb0, mb1 = BUDGETS[command]
    within(cost, cpu0 + cpu1 * criteria, mb0 + mb1 * criteria,
           f"{command} of {criteria:,} criteria")


def test_the_budgets_cover_the_supported_size():
    """The supported size of docs/limits.md fits the limits that refuse larger inputs."""
    from cyberdip import yamlio
    from cyberdip.formats import questionnaire as q
    from tests.hostile import big_rubric_text

    text = big_rubric_text(10_000, levels=True)
    assert len(text.encode()) < yamlio.MAX_BYTES
    assert q.MAX_ROWS >= 10_000
    assert (ROOT / "docs" / "limits.md").is_file()
