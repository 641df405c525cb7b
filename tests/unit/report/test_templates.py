"""The rubric speaks for itself: no report names the instrument in its own words."""

from __future__ import annotations

import re
from pathlib import Path

REPORT = Path(__file__).resolve().parents[3] / "cyberdip" / "report"


def test_no_template_or_writer_hard_codes_the_instruments_name():
    sources = [*sorted((REPORT / "templates").glob("*.j2")), *sorted(REPORT.glob("*.py")),
               *sorted((REPORT / "typst").glob("*.typ"))]
    assert len(sources) > 10
    found = [p.name for p in sources
             if re.search(r"digital diplomacy readiness", p.read_text(encoding="utf-8"), re.I)]
    assert found == []
