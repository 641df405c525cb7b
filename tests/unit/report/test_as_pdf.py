"""report.as_pdf: the gap report and the brief typeset by Typst, offline.

Checked through poppler (``pdfinfo``, ``pdftotext``, ``pdffonts``): the page count, the
marking on every page, the fonts embedded, the same bytes for the same inputs, and
user text that reaches Typst as data, never as markup.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

import pytest

from cyberdip.engine.scoring import score
from cyberdip.formats import documents
from cyberdip.report import as_pdf, registry
from cyberdip.report.i18n import RubricWords
from tests.conftest import DATA, ROOT

typst = pytest.importorskip("typst")
POPPLER = all(shutil.which(t) for t in ("pdfinfo", "pdftotext", "pdffonts"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils is not installed")
BASELINE = ROOT / "examples" / "pakistan-mofa-2023.yaml"


@lru_cache(maxsize=4)
def checked(path=BASELINE):
    return documents.load_assessment(str(path))


def card_of(path=BASELINE, marking=None):
    c = checked(path)
    card = score(c.rubric, c.assessment)
    return card.model_copy(update={"marking": marking}) if marking else card


def urdu_words(path=BASELINE):
    c = checked(path)
    found = documents.load_translation_for(c.rubric, c.rubric_path, "ur")
    return RubricWords("ur", found[0] if found else None)


def tool(tmp_path, name, pdf: bytes, *args: str) -> str:
    f = tmp_path / "x.pdf"
    f.write_bytes(pdf)
    return subprocess.run([name, *args, str(f), *(["-"] if name == "pdftotext" else [])],
                          capture_output=True, text=True, check=True).stdout


def pages(tmp_path, pdf: bytes) -> int:
    info = tool(tmp_path, "pdfinfo", pdf)
    return int(next(ln.split()[1] for ln in info.splitlines() if ln.startswith("Pages:")))


def page_texts(tmp_path, pdf: bytes) -> list[str]:
    return tool(tmp_path, "pdftotext", pdf, "-layout").split("\f")[:-1]


def fonts(tmp_path, pdf: bytes) -> list[tuple[str, str]]:
    """(font name, embedded yes/no) per font of the PDF."""
    out = []
    for ln in tool(tmp_path, "pdffonts", pdf).splitlines()[2:]:
        cols = ln.split()
        out.append((cols[0].split("+")[-1], cols[-5]))
    return out


@pytest.fixture(scope="module")
def report_pdf():
    return registry.render("pdf", card_of(marking="TLP:AMBER"))


@pytest.fixture(scope="module")
def brief_pdf():
    return registry.render("pdf", card_of(marking="TLP:AMBER+STRICT"), brief=True)


@needs_poppler
def test_the_baseline_report_fits_sixteen_pages_with_the_marking_on_each(tmp_path, report_pdf):
    n = pages(tmp_path, report_pdf)
    # cyberdip-core 2.1 added 11 criteria, a legal area, 37 glossary terms, an action for
    # every step and the six-theme view: 12 pages on 2.0, 15 on 2.1; the action plan's
    # table, one more
    assert 4 <= n <= 17
    texts = page_texts(tmp_path, report_pdf)
    assert len(texts) == n
    for k, text in enumerate(texts, 1):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        assert lines[0] == "TLP:AMBER", k  # top of the page
        assert "TLP:AMBER" in lines[-2:], k  # bottom (above the page number)
        # no near-empty page: each but the last is mostly full
        if k < n:
            assert len(lines) > 40, (k, len(lines))
    # nothing broken mid-word: a line ending in a hyphen breaks a word that has one
    # ("one-off"), never one Typst hyphenated
    import json

    source = json.dumps(as_pdf.document(card_of(), as_pdf.ReportOptions()), ensure_ascii=False)
    for t in texts:
        lines = [ln.strip() for ln in t.splitlines() if ln.strip()]
        for a in lines[:-1]:
            if a.endswith("-") and a[-2:-1].isalpha():
                # the part before the break is written so in the source ("video-" of
                # "video-conferencing"): Typst broke no word of its own (pdftotext may
                # put a table's next cell on the next line, so the rest is not checked)
                part = a.split()[-1]
                assert part in source, part


@needs_poppler
def test_the_report_pdf_has_every_part(tmp_path, report_pdf):
    text = " ".join(" ".join(page_texts(tmp_path, report_pdf)).split())
    card = card_of()
    assert f"Why stage {card.stage}?" in text
    for a in card.areas:
        assert a.title in text
    for c in card.criteria:
        assert c.id in text  # the dense per-criterion section has every criterion
    assert "Gap roadmap" in text and "Appendix: method" in text and "Bibliography" in text


@needs_poppler
def test_fonts_are_embedded(tmp_path, report_pdf):
    got = fonts(tmp_path, report_pdf)
    assert got and all(emb == "yes" for _, emb in got)
    assert {"NotoSans-Regular", "NotoSans-Bold"} <= {name for name, _ in got}


@needs_poppler
def test_the_brief_is_one_page_with_everything_the_issue_lists(tmp_path, brief_pdf):
    assert pages(tmp_path, brief_pdf) == 1
    text = " ".join(page_texts(tmp_path, brief_pdf)[0].split())
    card = card_of()
    assert text.count("TLP:AMBER+STRICT") == 2  # top and bottom
    assert card.organisation.name in text and "Period: 2023" in text and "2023-12-03" in text
    from cyberdip.report.common import fmt_pct
    from cyberdip.report.summary import stage_reason

    assert "Readiness index" in text and f"{card.index:.2f}" in text
    reason = stage_reason(card)
    holders = [*reason.holders, *reason.blanks]  # blanks: stage-setters not answered yet
    assert f"Why stage {card.stage}?" in text and holders
    assert all(" ".join(h.title.split()[:3]) in text for h in holders)
    assert "Coverage" in text and fmt_pct(card.coverage) in text and "Provisional" in text
    for a in card.areas:
        assert a.title in text
    plan, others = card.stage_plan, [g for g in card.gaps
                                     if g.id not in {s.id for s in card.stage_plan.steps}]
    assert plan.status in ("rise", "blocked")
    if plan.status == "rise":
        assert (f"The {len(plan.steps)} steps that would raise the stage to "
                f"{plan.next_stage}" in text)
    else:  # 2.1 counts a blank stage-setter at the lowest level: answer those first
        assert f"Answer these {len(plan.steps)} criteria first" in text
    assert "Other gaps, by priority" in text
    lo, hi = card.index_range.low, card.index_range.high
    assert f"the index could end anywhere between {lo:.2f} and {hi:.2f}" in text
    s = card.stage_setting
    assert f"{s.not_assessed} of the {s.criteria} criteria that set the stage" in text
    # a rubric that leaves blanks out of the stage (2.0) says so; 2.1 takes the default
    assert ("rule: ignore" in text) == (card.unanswered == "ignore")
    # each step, and as many other gaps as keep the brief to five items, cited
    assert text.count("Source:") == len(plan.steps) + min(5 - len(plan.steps), len(others))
    assert "Munir, Mahmood & Malik (2023)" in text


@needs_poppler
def test_the_brief_shows_the_trend_against_a_previous_assessment(tmp_path):
    from cyberdip.engine.compare import compare

    new = card_of(ROOT / "examples" / "pakistan-mofa-2025-followup.yaml")
    old = card_of()
    c = compare(old, new)
    pdf = registry.render("pdf", new, brief=True, comparison=c)
    assert pages(tmp_path, pdf) == 1
    text = " ".join(page_texts(tmp_path, pdf)[0].split())
    assert f"Trend: the index was {old.index:.2f} in 2023" in text
    assert "Previous" in text and "Change" in text


def test_same_inputs_give_the_same_bytes(brief_pdf):
    again = registry.render("pdf", card_of(marking="TLP:AMBER+STRICT"), brief=True)
    assert again == brief_pdf
    assert b"/CreationDate" not in brief_pdf and b"/ModDate" not in brief_pdf


@needs_poppler
def test_the_urdu_pdf_is_right_to_left_in_nastaliq(tmp_path):
    pdf = registry.render("pdf", card_of(marking="TLP:RED"), lang="ur",
                          rubric_words=urdu_words())
    n = pages(tmp_path, pdf)
    # Nastaliq's lines are about twice as tall as Latin ones: on 2.0, with every indicator
    # in Urdu, the English report's 12 pages became 15. On 2.1 the English report has 15
    # and the Urdu one 17 while most of the new text is untranslated (shown in English);
    # the limit leaves room for the translation
    assert n <= 22
    got = fonts(tmp_path, pdf)
    assert ("NotoNastaliqUrdu-Regular", "yes") in got
    texts = page_texts(tmp_path, pdf)
    for t in texts:
        assert t.count("TLP:RED") == 2
    arabic = sum(1 for ch in "".join(texts) if "\u0600" <= ch <= "\u06ff")
    assert arabic > 2000
    doc = as_pdf.document(card_of(), as_pdf.ReportOptions("ur", urdu_words()))
    assert doc["dir"] == "rtl" and doc["lang"] == "ur"
    # an English name inside the Urdu text is isolated
    name = doc["blocks"][1]["runs"][0]["text"]
    assert name == "\u2068Ministry of Foreign Affairs of Pakistan\u2069"


@needs_poppler
def test_the_urdu_brief_is_one_page(tmp_path):
    pdf = registry.render("pdf", card_of(marking="TLP:AMBER"), lang="ur",
                          rubric_words=urdu_words(), brief=True)
    assert pages(tmp_path, pdf) == 1


# -- user text is data, never markup ----------------------------------------------------

PAYLOADS = ['#read("/etc/passwd")', "]#[", '#import "x.typ": *', "[unbalanced", "unbalanced]",
            "{ #let x = 1", "$x^2$", "@ref", "<label>", "back\\slash \\", "*bold* _em_ `raw`",
            '#include "doc.typ"', "= Heading", "// comment", "/* open comment"]


def hostile_card():
    """The mini assessment with every payload in every free-text field."""
    from cyberdip.model.assessment import Assessment

    c = documents.load_assessment(str(DATA / "assessments" / "mini-answered.yaml"))
    data = c.assessment.model_dump(mode="python")
    joined = " ".join(PAYLOADS)
    data["organisation"] = {"name": joined, "unit": joined, "country": joined}
    data["period"] = joined
    data["assessors"] = [joined]
    for cid in ("policy.strategy", "policy.law", "outreach.missions-online"):
        data["answers"][cid]["evidence"] = list(PAYLOADS)
        data["answers"][cid]["notes"] = joined
        data["answers"][cid]["owner"] = joined
        data["answers"][cid]["due"] = joined
    data["answers"]["outreach.dialogue"] = {"not_applicable": joined}
    card = score(c.rubric, Assessment.model_validate(data))
    return card.model_copy(update={"marking": "TLP:RED " + PAYLOADS[0]})


@needs_poppler
@pytest.mark.parametrize("brief", [False, True])
def test_markup_in_every_text_field_comes_out_literally(tmp_path, brief):
    pdf = registry.render("pdf", hostile_card(), brief=brief)
    text = " ".join(tool(tmp_path, "pdftotext", pdf, "-raw").split())
    for p in PAYLOADS:
        assert " ".join(p.split()) in text, p
    assert "root:" not in text  # /etc/passwd was not read
    assert text.count('#read("/etc/passwd")') >= 3  # name, unit, marking at least


def test_typst_can_read_only_its_own_folder(monkeypatch):
    """The root is a fresh folder holding the template alone: even markup that asks
    for a file outside it cannot have it (this is the defence behind the data rule)."""
    import json
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as root:
        main = Path(root) / "doc.typ"
        main.write_text('#read("/etc/passwd")', encoding="utf-8")
        with pytest.raises(typst.TypstError) as e:
            typst.compile(str(main), root=root, sys_inputs={"doc": json.dumps({})})
        # the path is taken inside the root, where there is nothing but the template
        assert "root:" not in str(e.value)
        assert f"searched at {root}/etc/passwd" in str(e.value) or "root" in str(e.value)


def test_without_the_engine_a_clear_error(monkeypatch):
    import builtins

    from cyberdip.errors import CyberdipError

    real = builtins.__import__

    def no_typst(name, *a, **k):
        if name == "typst":
            raise ImportError("no typst")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_typst)
    with pytest.raises(CyberdipError, match=r"pip install 'cyberdip\[pdf\]'") as e:
        as_pdf.compile_pdf({})
    assert (e.value.code, e.value.exit_code) == ("CD405", 2)


def test_an_urdu_list_of_area_names_reads_right_to_left_in_its_sentence():
    """The areas with nothing assessed are named in the reason for the stage, joined by
    the Urdu comma, bare inside the sentence's isolate: isolated one by one, the list
    had no strong letter of its own and ran left to right, last name first."""
    from cyberdip.report.i18n import FSI, PDI
    from cyberdip.report.view import ReportOptions

    # the 2023 baseline on 2.0, which leaves blanks out of the stage: four areas with
    # nothing assessed do not count (on 2.1 a blank criterion holds its area at stage 0)
    frozen = ROOT / "tests" / "data" / "v2.0-examples" / "pakistan-mofa-2023.yaml"
    card = card_of(frozen)
    rw = urdu_words(frozen)
    why = as_pdf.Writer(card, ReportOptions(lang="ur", rubric_words=rw)).why()
    text = "".join(run["text"] for para in why["paras"] for run in para)
    blank = [rw.area(a.id, a.title).text for a in card.areas
             if a.score is None and a.stage is None]
    assert len(blank) >= 2
    assert f"{FSI}{'، '.join(blank)}{PDI}" in text


# -- Urdu: what Typst can do for a right-to-left report, and what it cannot ------------

BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                               "\u2066\u2067\u2068\u2069"))


def glyph_runs(pdf: bytes) -> list[tuple[float, float]]:
    """``(x, y)`` of every run of glyphs Typst placed on the page: each starts with its
    own ``1 0 0 -1 x y cm``, y being the run's baseline measured up from the page's
    foot (a Nastaliq glyph raised or lowered by the font is a run of its own)."""
    import re
    import zlib

    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            s = zlib.decompress(m.group(1))
        except zlib.error:
            continue
        out += [(float(g[1]), float(g[2])) for g in re.finditer(
            rb"1 0 0 -1 ([\d.]+) ([\d.]+) cm[^Q]*?Tf", s)]
    return out


def urdu_table(rows: list[list[str]]) -> dict:
    return {"lang": "ur", "dir": "rtl", "title": "t", "fonts": ["Noto Sans", "Noto Nastaliq Urdu"],
            "size": 8, "leading": 0.45, "spacing": 0.5, "marking": None,
            "page_numbers": False,
            "blocks": [{"t": "table", "cols": [2, "auto"], "align": ["start", "end"],
                        "header": ["", ""], "rows": [[[{"text": t}] for t in row]
                                                     for row in rows]}]}


@pytest.mark.parametrize("urdu", ["ابتدائی", "قومی تناظر", "مرحلے میں شامل نہیں"])
def test_figures_in_an_urdu_table_sit_on_the_baseline_of_the_urdu_beside_them(urdu):
    """Nastaliq's lines are measured by their glyphs' bounds, which lifted the short
    Latin figures in the next cell above the Urdu baseline. In a table every cell's
    line now has the same edges, so one row has one baseline."""
    from collections import Counter

    runs = glyph_runs(as_pdf.compile_pdf(urdu_table([[urdu, "24.35"]])))
    middle = 595.276 / 2  # A4: right to left, the Urdu is in the right half
    urdu_ys = [y for x, y in runs if x > middle]
    figure_ys = {y for x, y in runs if x < middle}
    assert urdu_ys and len(figure_ys) == 1
    # most of a Nastaliq word's glyphs sit on the line; the rest rise or fall from it
    baseline = Counter(urdu_ys).most_common(1)[0][0]
    assert figure_ys.pop() == pytest.approx(baseline, abs=0.01)


@needs_poppler
def test_english_evidence_in_an_urdu_report_reads_item_by_item(tmp_path):
    """Several English items side by side in a right-to-left line run from the right:
    read from the left, the second seemed to start the list, and a wrapped item was cut
    in two around the first. Each item now has a line of its own."""
    doc = as_pdf.document(card_of(), as_pdf.ReportOptions("ur", urdu_words()))
    rows = [r for b in doc["blocks"] if b["t"] == "criterion" for r in b["rows"]]
    evidence = next(r[1] for r in rows if len(r[1]) > 1 and any(x.get("br") for x in r[1]))
    assert not any(x["text"].strip() == "·" for x in evidence)
    english = as_pdf.document(card_of(), as_pdf.ReportOptions())
    assert not any(x.get("br") for b in english["blocks"] if b["t"] == "criterion"
                   for r in b["rows"] for x in r[1])
    pdf = registry.render("pdf", card_of(), lang="ur", rubric_words=urdu_words())
    lines = {ln.translate(BIDI_MARKS).strip()
             for ln in tool(tmp_path, "pdftotext", pdf).splitlines()}
    for item in ("Munir et al. (2023), Leadership Lapses: no centralised digital-media "
                 "strategy",
                 "Munir et al. (2023), Cyber Diplomacy in Contemporary International "
                 "Relations: joint workshop with the Digital Media Wing"):
        assert item in lines


@needs_poppler
def test_what_the_urdu_pdf_text_layer_holds(tmp_path):
    """The Urdu PDF says its language, and the text it shows left to right (names,
    ids, figures, dates) is extracted whole. Its Nastaliq words are not: Typst places
    their glyphs at many heights and maps some to the wrong letters, so copying or
    searching Urdu in the PDF fails (docs/reports.md says so, and points to the HTML)."""
    from importlib.metadata import version

    pdf = registry.render("pdf", card_of(), lang="ur", rubric_words=urdu_words())
    if tuple(int(x) for x in version("typst").split(".")[:2]) >= (0, 15):
        assert b"/Lang(ur)" in pdf  # Typst 0.14 writes no document language
    text = tool(tmp_path, "pdftotext", pdf).translate(BIDI_MARKS)
    from cyberdip.report.common import fmt_pct, fmt_score

    card = card_of()
    for whole in ("Ministry of Foreign Affairs of Pakistan", "Headquarters, Islamabad",
                  fmt_score(card.index), fmt_pct(card.coverage), "2023-12-03",
                  "strategy.digital-diplomacy-strategy"):
        assert whole in text


# -- what reaches Typst is bounded (issue: the PDF engine is given only what it can take)


def _case_card(tmp_path, name):
    from tests import hostile

    path, args = (hostile.pdf_case_urdu_evidence(tmp_path) if name == "urdu-evidence"
                  else hostile.pdf_case(name, tmp_path))
    c = documents.load_assessment(path)
    lang = "ur" if "--lang" in args or name == "urdu-evidence" else "en"
    return score(c.rubric, c.assessment), lang, c


def _words(c, lang):
    if lang == "en":
        return {}
    found = documents.load_translation_for(c.rubric, c.rubric_path, "ur")
    return {"lang": "ur", "rubric_words": RubricWords("ur", found[0] if found else None)}


def _banner(doc) -> str | None:
    found = [b for b in doc["blocks"] if b["t"] == "banner"
             and b["runs"][0]["text"].startswith(("Shortened", "\u0645\u062e\u062a\u0635\u0631"))]
    return found[0]["runs"][1]["text"] if found else None


@pytest.mark.parametrize("name", ["long-link", "source-url", "marks", "evidence-items",
                                  "long-word", "translation", "long-notes", "urdu-evidence"])
@pytest.mark.parametrize("brief", [False, True])
def test_every_hostile_field_is_cut_the_report_says_so_and_typst_lays_it_out(
        tmp_path, name, brief):
    """Each input the issue names (a 9,000-character link, 20,000 combining marks, 25,000
    evidence items, a 4 MB word, a 100,000-character translation) gives a PDF, never an
    engine error, and the report says that text was shortened. docs/limits.md gives the
    time and memory each took before and after."""
    from cyberdip.report.view import options_from

    card, lang, c = _case_card(tmp_path, name)
    opts = options_from(_words(c, lang))
    doc = as_pdf.document(card, opts, brief=brief)
    shortened = _banner(doc)
    if brief and name in ("long-link", "source-url", "marks", "evidence-items", "long-notes",
                          "urdu-evidence"):
        return  # the brief shows no evidence, notes or sources: nothing of it is cut
    assert shortened is not None
    pdf = as_pdf.compile_pdf(doc)
    assert pdf.startswith(b"%PDF-")


def test_a_report_with_nothing_too_long_has_no_shortened_banner():
    from cyberdip.report.view import options_from

    for brief in (False, True):
        doc = as_pdf.document(card_of(), options_from({}), brief=brief)
        assert _banner(doc) is None


@needs_poppler
def test_the_pdf_shows_every_framework_view_the_six_themes_among_them(tmp_path, report_pdf):
    """Issue 20: every report of a rubric that declares the themes shows the six-theme
    view, the PDF too; each item names the part that is national context."""
    text = " ".join(" ".join(page_texts(tmp_path, report_pdf)).split())
    card = card_of()
    assert card.rollups and any(r.framework == "themes" for r in card.rollups)
    assert "Scores by framework" in text
    for r in card.rollups:
        assert " ".join(r.title.split()[:3]) in text, r.framework
    assert "national context: " in text
