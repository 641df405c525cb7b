"""report/trend.py: a series of assessments as text, Markdown, CSV, HTML and PDF.

The golden files (tests/golden/series.html and .md) are the three years of
tests/data/portfolio/progress/; regenerate them with ``python scripts/regen_reports.py``.
"""

from __future__ import annotations

import pytest

from cyberdip.engine.series import series
from cyberdip.report import registry, trend
from tests.conftest import ROOT, load_script


@pytest.fixture(scope="module")
def regen():
    return load_script("regen_reports")


@pytest.fixture(scope="module")
def years(regen):
    return [(p.name, regen._scored(p)[1]) for p in regen.GOLDEN_SERIES["series"]]


@pytest.mark.parametrize("ext", ["html", "md"])
def test_golden_files_pin_the_trend(regen, ext):
    golden = (ROOT / "tests" / "golden" / f"series.{ext}").read_text(encoding="utf-8")
    made = regen.render_series(regen.GOLDEN_SERIES["series"])[ext]
    assert made == golden, "the trend changed: run python scripts/regen_reports.py"


def test_the_golden_series_shows_three_years_with_ranges_and_the_version_warning():
    md = (ROOT / "tests" / "golden" / "series.md").read_text(encoding="utf-8")
    assert "| 2023 | 2023.yaml | 27.78 | 19.44–36.11 | — | 1 Start-up | — | 83.33% | 1.0.0 |" \
        in md
    assert "> **Warning** (CD307, 2025): the two assessments use different versions of " \
        "`mini`" in md
    html = (ROOT / "tests" / "golden" / "series.html").read_text(encoding="utf-8")
    assert html.count('class="index-point"') == 3 and "<script" not in html


def test_markdown_is_a_github_table(years):
    from markdown_it import MarkdownIt

    md = trend.to_markdown(series(years))
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert html.count("<table>") == 2
    assert "<td>+27.78 ▲</td>" in html.replace('<td style="text-align:right">', "<td>")


HOSTILE = '<img src=x onerror=alert(1)>|*[x](javascript:alert(1))*'


def _hostile(years):
    out = []
    for label, card in years:
        card = card.model_copy(update={
            "period": f"{card.period} {HOSTILE}",
            "organisation": card.organisation.model_copy(update={"unit": HOSTILE})})
        out.append((f"{HOSTILE}{label}", card))
    return series(out)


def test_hostile_names_are_escaped_in_every_format(years):
    s = _hostile(years)
    html = registry.render("html", s).decode("utf-8")
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    from markdown_it import MarkdownIt

    md = registry.render("md", s).decode("utf-8")
    shown = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    assert "<img" not in shown and "<a " not in shown and "<em>" not in shown
    assert shown.count("<table>") == 2  # the `|` in the names did not break the tables
    text = registry.render("text", s).decode("utf-8")
    assert HOSTILE in text  # plain text holds the words as they are
    csv_text = registry.render("csv", s).decode("utf-8")
    assert "\n=" not in csv_text and ",=" not in csv_text


def test_the_pdf_document_holds_the_chart_and_every_string_as_text(years):
    doc = trend.pdf_document(_hostile(years))
    kinds = [b["t"] for b in doc["blocks"]]
    assert kinds[:3] == ["kicker", "h1", "p"] and "svg" in kinds and kinds.count("table") == 2
    chart = next(b["svg"] for b in doc["blocks"] if b["t"] == "svg")
    assert chart.startswith('<svg class="chart trend"') and 'font-family="Noto Sans"' in chart
    assert "<img" not in chart and "&lt;img" in chart
    # the warning's identifiers lose their backticks (the PDF shows text, not Markdown)
    banner = next(b for b in doc["blocks"] if b["t"] == "banner")
    assert "versions of mini:" in banner["runs"][1]["text"]


def test_the_pdf_is_deterministic(years):
    pytest.importorskip("typst")
    s = series(years)
    a = registry.render("pdf", s)
    assert a.startswith(b"%PDF-") and registry.render("pdf", s) == a
