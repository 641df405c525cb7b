"""Markdown and HTML reports: golden files, escaping, banners, determinism.

Regenerate the golden files and reports/ after an intended template change with
``python scripts/regen_reports.py`` (see docs/reports.md).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberdip.formats import documents
from cyberdip.report import as_html, as_markdown, common
from tests.conftest import OLDEST_DEPS, load_script

ROOT = Path(__file__).resolve().parents[3]


def _regen():
    return load_script("regen_reports")


@pytest.fixture(scope="module")
def card():
    from cyberdip.engine.scoring import score

    c = documents.load_assessment(str(ROOT / "tests/data/assessments/mini-answered.yaml"))
    return score(c.rubric, c.assessment)


def _md_html(md: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").render(md)


# -- golden files and reports/ ---------------------------------------------------------


@pytest.mark.parametrize("ext", ["html", "md"])
def test_golden_files_pin_the_templates(card, ext):
    fn = as_html.to_html if ext == "html" else as_markdown.to_markdown
    golden = (ROOT / "tests" / "golden" / f"mini.{ext}").read_text(encoding="utf-8")
    assert fn(card) == golden, "templates changed: run python scripts/regen_reports.py"


def test_reports_folder_is_fresh():
    """reports/ holds exactly the reports the code makes from examples/, byte for byte
    (the PDFs too, except on the oldest Typst allowed, whose bytes differ)."""
    assert _regen().stale(pdf=not OLDEST_DEPS) == []


def test_every_example_has_both_reports():
    regen = _regen()
    want = {p.relative_to(ROOT).as_posix() for p in regen.expected()}
    for src in regen.example_files():
        stem = src.relative_to(ROOT / "examples").with_suffix("").as_posix()
        assert {f"reports/{stem}.html", f"reports/{stem}.md"} <= want


def test_output_is_deterministic(card):
    assert as_html.to_html(card) == as_html.to_html(card.model_copy(deep=True))
    assert as_markdown.to_markdown(card) == as_markdown.to_markdown(card.model_copy(deep=True))


# -- content ----------------------------------------------------------------------------


def test_html_has_every_part_the_issue_asks_for(card):
    html = as_html.to_html(card)
    assert ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            'style-src \'unsafe-inline\'; img-src data:">') in html
    for part in ('id="summary"', 'id="areas"', 'id="area-policy"', 'id="area-outreach"',
                 'id="roadmap"', 'id="method"', 'id="bibliography"', '<svg class="chart radar"',
                 '<caption>Scores by area', "@media print", "size: A4"):
        assert part in html, part
    assert "<script" not in html.lower()
    # the index and stage the engine computed, and the gaps in priority order
    assert f"{card.index:.2f}" in html and card.stage_name in html
    roadmap = html[html.index('id="roadmap"'):html.index('id="method"')]
    positions = [roadmap.index(f'href="#c-{g.id}"') for g in card.gaps]
    assert positions == sorted(positions)
    # descriptors for the current and the next level
    assert "2 Formative: Adopted" in html and "3 Established: Funded" in html
    assert "Not applicable: no public channels yet" in html


def test_every_attribute_is_quoted(card):
    html = as_html.to_html(card)
    for tag in re.findall(r"<[a-zA-Z][^>]*>", html):
        bare = re.sub(r'"[^"]*"', '""', tag)
        assert not re.search(r"=[^\"]", bare), tag


def test_banners_appear_only_when_due(card):
    plain = as_html.to_html(card)
    assert "Provisional" not in plain and "Illustrative</strong>" not in plain
    flagged = card.model_copy(update={"provisional": True, "illustrative": True,
                                      "coverage": 42.0})
    html, md = as_html.to_html(flagged), as_markdown.to_markdown(flagged)
    assert "<strong>Provisional</strong> Only 42% of the rubric" in html
    assert "<strong>Illustrative</strong>" in html
    assert "**PROVISIONAL:** Only 42% of the rubric" in md and "**ILLUSTRATIVE:**" in md


def test_only_http_links_become_links(card):
    from cyberdip.engine.scoring import Evidence

    crit = card.criteria[0].model_copy(update={"evidence": [
        Evidence(text="https://example.org/a?b=1&c=2", link=True),
        Evidence(text="javascript:alert(1)", link=False),
        # a tampered scorecard claiming a link: the template checks again
        Evidence(text="javascript:alert(2)", link=True)]})
    c = card.model_copy(update={"criteria": [crit, *card.criteria[1:]]})
    html = as_html.to_html(c)
    assert '<a class="ext" href="https://example.org/a?b=1&amp;c=2"' in html
    assert 'href="javascript' not in html
    md_html = _md_html(as_markdown.to_markdown(c))
    assert 'href="https://example.org/a?b=1&amp;c=2"' in md_html
    assert 'href="javascript' not in md_html


def test_markdown_is_github_shaped(card):
    md = as_markdown.to_markdown(card)
    assert md.startswith("# Test Ministry\n\n")
    assert "| Area | Weight | Current score | Target | Stage | Coverage |" in md
    assert "[Policy](#policy)" in md
    html = _md_html(md)
    assert html.count("<table>") == 1 + 1 + len(card.areas) + 1 + bool(card.plan) + 1
    # summary, areas, each area, roadmap, the action plan, scale


# -- Markdown escaping --------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
               max_size=60)
       | st.sampled_from(["<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
                          "![i](http://e/x.png)", "<http://evil>", "a | b", "`code`",
                          "&lt;script&gt;", "*em* _em_ ~~s~~ $x$", "\\", "#", "- a", "+ b",
                          "1. c", "2) d", "---", "===", "> q", "    code"]))
def test_md_escape_is_inert_and_keeps_the_words(text):
    out = str(common.md_escape(text))
    html = _md_html(f"- {out}\n\n| a |\n|---|\n| {out} |\n")
    assert re.findall(r"<(\w+)", html) == ["ul", "li", "table", "thead", "tr", "th",
                                           "tbody", "tr", "td"]
    # what a reader sees is the original text (whitespace collapsed)
    from html import unescape

    li = re.search(r"<li>(.*?)</li>", html, re.S).group(1)
    assert unescape(li).strip() == " ".join(text.split())


def test_md_url_cannot_close_the_link():
    url = "https://e.org/a)b<c>d|e[f]"
    md = f"[x](<{common.md_url(url)}>)"
    assert 'href="https://e.org/a%29b%3Cc%3Ed%7Ce%5Bf%5D"' in _md_html(md)


def test_the_environment_is_strict():
    import jinja2

    env = common.environment()
    assert env is common.environment()  # one, shared
    assert env.autoescape is True and env.undefined is jinja2.StrictUndefined
    assert env.keep_trailing_newline


def test_a_coverage_just_below_the_minimum_never_prints_as_the_minimum(card):
    c = card.model_copy(update={"provisional": True, "coverage": 79.6, "min_coverage": 80.0})
    html, md = as_html.to_html(c), as_markdown.to_markdown(c)
    assert "Only 79.6% of the rubric is answered, below the 80%" in html
    assert "Only 79.6% of the rubric is answered, below the 80%" in md
