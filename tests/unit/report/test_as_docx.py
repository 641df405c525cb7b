"""report.as_docx: the gap report and the brief as editable Word documents.

Read back with python-docx and lxml: the heading styles, real tables, the marking in the
header and the footer, the page field, right to left for Urdu with the font embedded,
the same bytes for the same inputs, and user text that stays text. LibreOffice opens
each document and turns it into a PDF (skipped without ``soffice``).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cyberdip.engine.scoring import score
from cyberdip.errors import CyberdipError
from cyberdip.formats import documents
from cyberdip.report import as_docx, registry
from cyberdip.report.common import fmt_pct, fmt_score
from cyberdip.report.i18n import FSI, LRI, PDI, RubricWords
from tests.conftest import DATA, ROOT

docx = pytest.importorskip("docx")
from lxml import etree  # noqa: E402 - python-docx brings lxml

BASELINE = ROOT / "examples" / "pakistan-mofa-2023.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
URDU = re.compile("[\u0600-\u06ff]")


def urdu_letters(text: str) -> bool:
    """Holds a letter written right to left (not only the Arabic comma, a neutral)."""
    import unicodedata

    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


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


@lru_cache(maxsize=8)
def made(kind: str) -> bytes:
    """The four documents the issue names, and a RESTRICTED one."""
    if kind == "report":
        return registry.render("docx", card_of(marking="TLP:AMBER"))
    if kind == "brief":
        return registry.render("docx", card_of(marking="TLP:AMBER+STRICT"), brief=True)
    if kind == "report-ur":
        return registry.render("docx", card_of(marking="RESTRICTED"), lang="ur",
                               rubric_words=urdu_words())
    if kind == "brief-ur":
        return registry.render("docx", card_of(marking="TLP:AMBER"), lang="ur",
                               rubric_words=urdu_words(), brief=True)
    raise KeyError(kind)


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def opened(data: bytes):
    return docx.Document(io.BytesIO(data))


def text_of(element) -> str:
    """The text Word shows for ``element``: runs' text, tabs, line breaks, and a line
    after each paragraph."""
    out = []
    for e in element.iter():
        if e.tag == W + "t":
            out.append(e.text or "")
        elif e.tag == W + "tab" and e.getparent().tag == W + "r":
            out.append("\t")
        elif e.tag in (W + "br", W + "p"):
            out.append("\n")
    return "".join(out)


def headings(data: bytes) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in opened(data).paragraphs:
        if p.style.name.startswith("Heading"):
            out.setdefault(p.style.name, []).append(
                p.text.replace(FSI, "").replace(LRI, "").replace(PDI, ""))
    return out


def table_rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


# -- structure --------------------------------------------------------------------------


def test_the_report_has_real_heading_styles():
    card = card_of()
    h = headings(made("report"))
    assert h["Heading 1"] == [card.organisation.name]
    for title in ("Scores by area", "Gap roadmap", "Appendix: method", "Bibliography",
                  *(a.title for a in card.areas)):
        assert title in h["Heading 2"], title
    assert "The scale" in h["Heading 3"] and "The formulas" in h["Heading 3"]
    # the styles are Word's own, with outline levels (the navigation pane lists them)
    styles = part(made("report"), "word/styles.xml")
    for sid, level in (("Heading1", "0"), ("Heading2", "1"), ("Heading3", "2")):
        style = styles.find(f"{W}style[@{W}styleId='{sid}']")
        assert style.find(f"{W}pPr/{W}outlineLvl").get(W + "val") == level


def test_the_brief_has_the_title_and_its_sections_as_headings():
    h = headings(made("brief"))
    assert h["Heading 1"] == [card_of().organisation.name]
    assert "Scores by area" in h["Heading 3"] and "Other gaps, by priority" in h["Heading 3"]


def test_the_scores_by_area_are_a_real_table_of_the_engines_figures():
    card = card_of()
    doc = opened(made("report"))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Area")
    rows = table_rows(table)
    assert rows[0] == ["Area", "Weight", "Current score", "Target", "Stage", "Coverage"]
    body = [r for r in rows[1:] if r[1]]  # area rows (group rows have no weight)
    assert [r[0].split(" (national context)")[0] for r in body] == [a.title for a in card.areas]
    for r, a in zip(body, card.areas, strict=True):
        assert r[2:4] == [fmt_score(a.score), fmt_score(a.target_score)]
        assert r[5] == fmt_pct(a.coverage)
    # its header row repeats on every page the table runs over
    assert table.rows[0]._tr.trPr.find(W + "tblHeader") is not None


def test_the_roadmap_is_a_table_with_one_row_per_gap():
    card = card_of()
    doc = opened(made("report"))
    table = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Recommended next step")
    rows = table_rows(table)
    assert len(rows) == 1 + len(card.gaps)
    assert [r[0] for r in rows[1:]] == [str(k) for k in range(1, len(card.gaps) + 1)]
    assert [r[4] for r in rows[1:]] == [f"{g.priority:g}" for g in card.gaps]


def test_every_criterion_is_in_the_report():
    text = text_of(part(made("report"), "word/document.xml"))
    for c in card_of().criteria:
        assert c.id in text, c.id


def test_the_brief_has_the_headline_figures_and_fits_the_report_words():
    card = card_of()
    doc = opened(made("brief"))
    figures = table_rows(doc.tables[0])[0]
    assert figures[0].startswith("Readiness index")
    assert f"{fmt_score(card.index)} / 100" in figures[0]
    assert f"{card.stage} " in figures[1] and fmt_pct(card.coverage) in figures[2]


# -- the marking and the page number ----------------------------------------------------


def _header_footer(data: bytes):
    doc = opened(data)
    assert len(doc.sections) == 1  # one section: its header and footer are on every page
    sec = doc.sections[0]
    settings_ = part(data, "word/settings.xml")
    # no different first page, no odd and even pages: one header and one footer for all
    assert sec._sectPr.find(W + "titlePg") is None
    assert settings_.find(W + "evenAndOddHeaders") is None
    return sec.header, sec.footer


@pytest.mark.parametrize(("kind", "label"), [("report", "TLP:AMBER"),
                                             ("brief", "TLP:AMBER+STRICT"),
                                             ("report-ur", "RESTRICTED"),
                                             ("brief-ur", "TLP:AMBER")])
def test_the_marking_is_in_the_header_and_the_footer(kind, label):
    header, footer = _header_footer(made(kind))
    for where in (header, footer):
        assert where.paragraphs[0].text.strip("\u00a0") == label
        run = where.paragraphs[0].runs[0]
        assert run.bold
        shading = run._r.rPr.find(W + "shd")
        if label.startswith("TLP:"):  # FIRST's colour on black
            assert str(run.font.color.rgb) == "FFC000"
            assert shading.get(W + "fill") == "000000"
        else:  # any other marking: as written, black on white, in a box
            assert run.font.color.rgb is None and shading is None
            assert run._r.rPr.find(W + "bdr").get(W + "val") == "single"


def test_without_a_marking_the_header_is_empty_and_the_page_number_stays():
    data = registry.render("docx", card_of())
    header, footer = _header_footer(data)
    assert header.paragraphs[0].text == "" and footer.paragraphs[0].text == ""
    assert "PAGE" in etree.tostring(footer._element).decode()


@pytest.mark.parametrize("kind", ["report", "brief-ur"])
def test_the_footer_numbers_the_pages_with_fields(kind):
    _, footer = _header_footer(made(kind))
    xml = footer._element
    instr = [e.text.strip() for e in xml.iter(W + "instrText")]
    assert instr == ["PAGE", "NUMPAGES"]
    kinds = [e.get(W + "fldCharType") for e in xml.iter(W + "fldChar")]
    assert kinds == ["begin", "separate", "end"] * 2


# -- right to left ----------------------------------------------------------------------


def _body_paragraphs(data: bytes):
    body = part(data, "word/document.xml").find(W + "body")
    return list(body.iter(W + "p"))


@pytest.mark.parametrize("kind", ["report-ur", "brief-ur"])
def test_urdu_is_right_to_left_in_every_paragraph_table_and_the_section(kind):
    data = made(kind)
    doc = part(data, "word/document.xml")
    paragraphs = _body_paragraphs(data)
    assert paragraphs and all(p.find(f"{W}pPr/{W}bidi") is not None for p in paragraphs)
    tables = list(doc.iter(W + "tbl"))
    assert tables and all(t.find(f"{W}tblPr/{W}bidiVisual") is not None for t in tables)
    assert doc.find(f"{W}body/{W}sectPr/{W}bidi") is not None
    runs = list(doc.iter(W + "r"))
    urdu = [r for r in runs if urdu_letters(text_of(r))]
    assert len(urdu) > 50
    for r in urdu:  # each run of Urdu is right to left, with complex-script settings
        rpr = r.find(W + "rPr")
        assert rpr.find(W + "rtl") is not None, text_of(r)
        assert rpr.find(W + "rFonts").get(W + "cs") == "Noto Nastaliq Urdu"
        assert rpr.find(W + "lang").get(W + "bidi") == "ur-PK"
        if rpr.find(W + "b") is not None:
            assert rpr.find(W + "bCs") is not None
        if rpr.find(W + "sz") is not None:
            assert rpr.find(W + "szCs").get(W + "val") == rpr.find(W + "sz").get(W + "val")
    latin = [r for r in runs if re.search("[A-Za-z]", text_of(r)) and not URDU.search(
        text_of(r))]
    assert latin  # English names and figures are runs of their own, left to right
    assert all(r.find(f"{W}rPr/{W}rtl") is None for r in latin)


def test_the_organisations_english_name_stays_isolated_in_the_urdu_report():
    doc = opened(made("report-ur"))
    title = next(p for p in doc.paragraphs if p.style.name == "Heading 1")
    assert title.text == f"{FSI}Ministry of Foreign Affairs of Pakistan{PDI}"


def test_an_english_document_has_no_right_to_left_settings_and_embeds_no_font():
    data = made("report")
    doc = part(data, "word/document.xml")
    assert not list(doc.iter(W + "bidi")) and not list(doc.iter(W + "rtl"))
    assert not list(doc.iter(W + "bidiVisual"))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not [n for n in z.namelist() if n.startswith("word/fonts/")]


@pytest.mark.parametrize("kind", ["report-ur", "brief-ur"])
def test_an_urdu_document_embeds_noto_nastaliq(kind):
    from cyberdip.report.fonts import font_path

    data = made(kind)
    table = part(data, "word/fontTable.xml")
    font = table.find(f"{W}font[@{W}name='Noto Nastaliq Urdu']")
    emb = font.find(W + "embedRegular")
    key = emb.get(W + "fontKey")
    assert re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", key)
    rels = part(data, "word/_rels/fontTable.xml.rels")
    rel = next(r for r in rels if r.get("Id") == emb.get(R + "id"))
    assert rel.get("Type").endswith("/relationships/font")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        stored = z.read("word/" + rel.get("Target"))
    shipped = font_path("NotoNastaliqUrdu-Regular.ttf").read_bytes()
    assert stored != shipped  # obfuscated, as the standard asks...
    assert as_docx.obfuscate(stored, key) == shipped  # ...and whole
    assert stored[32:] == shipped[32:]
    types = part(data, "[Content_Types].xml")
    assert any(e.get("Extension") == "odttf" and e.get("ContentType").endswith(
        "obfuscatedFont") for e in types)
    assert part(data, "word/settings.xml").find(W + "embedTrueTypeFonts") is not None
    # the font may be embedded: OS/2 fsType 0 (installable)
    import struct

    n = struct.unpack(">H", shipped[4:6])[0]
    for k in range(n):
        tag, _, offset, _ = struct.unpack(">4sIII", shipped[12 + 16 * k:28 + 16 * k])
        if tag == b"OS/2":
            assert struct.unpack(">H", shipped[offset + 8:offset + 10])[0] == 0


def test_obfuscation_follows_the_standards_key_order():
    """ECMA-376 Part 1, 17.8.1: the key's bytes are the GUID's hex digits read from the
    end; each of the first 32 bytes is XORed with key[i mod 16]."""
    key = "{00112233-4455-6677-8899-AABBCCDDEEFF}"
    font = bytes(40)
    out = as_docx.obfuscate(font, key)
    assert out[:16] == bytes.fromhex("FFEEDDCCBBAA99887766554433221100")
    assert out[16:32] == out[:16] and out[32:] == bytes(8)


@given(st.text(alphabet=st.sampled_from("ab \u0627\u0628\u06d4()1.،" + FSI + LRI + PDI),
               max_size=40))
@example(f"خلاصہ {FSI}Ministry{PDI} ({LRI}2023{PDI})")
@example(f"{FSI}{FSI}a{PDI}")  # an isolate left open is a piece to the end
@settings(derandomize=True, max_examples=300)
def test_the_pieces_of_a_text_are_the_text_and_each_has_one_direction(text):
    parts = as_docx.pieces(text, True)
    assert "".join(p for p, _ in parts) == text
    for p, rtl in parts:
        assert p
        if urdu_letters(p):
            assert rtl
        if p[0] == LRI and p[-1] == PDI:
            assert not rtl or urdu_letters(p)
    assert as_docx.pieces(text, False) == ([(text, False)] if text else [(text, False)])


def test_pieces_examples():
    assert as_docx.pieces(f"مدت: {FSI}2023{PDI} · ", True) == [
        ("مدت: ", True), (f"{FSI}2023{PDI}", False), (" · ", True)]
    assert as_docx.pieces(f"{FSI}اردو{PDI}", True) == [(f"{FSI}اردو{PDI}", True)]
    assert as_docx.pieces("TLP ", True) == [("TLP ", False)]


# -- the same bytes ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["brief", "brief-ur"])
def test_same_inputs_give_the_same_bytes(kind):
    made.cache_clear()
    first = made(kind)
    made.cache_clear()
    assert made(kind) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
        assert "docProps/thumbnail.jpeg" not in z.namelist()
        assert "thumbnail" not in z.read("_rels/.rels").decode()
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == [
        "2000-01-01T00:00:00Z"] * 2
    assert "python-docx" not in core
    assert "<dc:title>Ministry of Foreign Affairs of Pakistan</dc:title>" in core


# -- user text is text ------------------------------------------------------------------

HOSTILE = ['<w:p><w:r><w:t>injected</w:t></w:r></w:p>', "]]><x/>", "&amp; &lt;", '"\'',
           "<?xml version='1.0'?>", "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
           "&e;", "javascript:alert(1)", "tab\there", "line\nbreak"]


def hostile_card(extra: str = ""):
    from cyberdip.model.assessment import Assessment

    c = documents.load_assessment(str(DATA / "assessments" / "mini-answered.yaml"))
    data = c.assessment.model_dump(mode="python")
    joined = " ".join(HOSTILE) + extra
    data["organisation"] = {"name": joined, "unit": joined, "country": joined}
    data["period"] = joined
    data["assessors"] = [joined]
    for cid in ("policy.strategy", "policy.law", "outreach.missions-online"):
        data["answers"][cid]["evidence"] = [*HOSTILE, "https://example.org/a?b=1&c=<2>",
                                            "javascript:alert(document.domain)",
                                            "file:///etc/passwd"]
        data["answers"][cid]["notes"] = joined
        data["answers"][cid]["owner"] = joined
    data["answers"]["outreach.dialogue"] = {"not_applicable": joined}
    card = score(c.rubric, Assessment.model_validate(data))
    return card.model_copy(update={"marking": "TLP:RED " + HOSTILE[0],
                                   "disclaimer": joined})


def _links(data: bytes) -> list[str]:
    rels = part(data, "word/_rels/document.xml.rels")
    return [r.get("Target") for r in rels if r.get("TargetMode") == "External"]


@pytest.mark.parametrize("lang", ["en", "ur"])
@pytest.mark.parametrize("brief", [False, True])
def test_markup_in_every_text_field_comes_out_literally(brief, lang):
    data = registry.render("docx", hostile_card(), brief=brief, lang=lang)
    doc = part(data, "word/document.xml")
    text = text_of(doc).replace(FSI, "").replace(PDI, "")
    for p in HOSTILE:
        assert p in text, p
    header = text_of(part(data, "word/header1.xml"))
    assert "TLP:RED " + HOSTILE[0] in header
    # nothing user-made became an element: no injected paragraph, no entity, no DTD
    assert not [e for e in doc.iter() if e.tag == W + "t" and e.text == "injected"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert all(b"<!DOCTYPE" not in z.read(n) for n in z.namelist()
                   if n.endswith(".xml"))
    # only http and https become links
    for target in _links(data):
        assert target.startswith(("https://", "http://")), target
    assert ("https://example.org/a?b=1&c=<2>" in _links(data)) == (not brief)


def test_control_characters_are_removed_and_line_breaks_kept():
    bad = "".join(chr(c) for c in range(0x20)) + "\x7f\x85\ufffe\uffff"
    data = registry.render("docx", hostile_card(extra=" ctl" + bad + "end"))
    text = text_of(part(data, "word/document.xml"))
    assert "ctl\t\n\nend" in text  # tab; \n; \r (as \n)... and nothing else
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]", text)


@given(st.text(max_size=60))
@example("a\r\nb\rc\x00d\ud800e\ufffe")
@settings(derandomize=True, max_examples=200)
def test_fit_keeps_every_character_xml_can_hold(text):
    out = as_docx.fit(text)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]", out)
    kept = [c for c in text.replace("\r\n", "\n").replace("\r", "\n")
            if not re.match("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]", c)]
    assert out == "".join(kept)
    from xml.sax.saxutils import escape

    assert etree.fromstring(f"<x>{escape(out)}</x>".encode()).text in (out, None)
    docx.Document().add_paragraph(out)  # python-docx takes it


# -- the writer's blocks are all known --------------------------------------------------

KNOWN = {"h1", "h2", "h3", "kicker", "p", "small", "banner", "why", "figures", "list",
         "table", "criterion", "columns", "pagebreak"}


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")),
                         ids=lambda p: p.name)
def test_every_block_the_writer_makes_has_its_own_layout(path):
    """A new kind of block falls back to its text (never lost), but it should get a
    layout of its own: this test names it."""
    from cyberdip.report.view import ReportOptions

    try:
        card = card_of(path)
    except Exception:  # not an assessment of a built-in rubric
        pytest.skip(f"{path.name} does not score on its own")
    for brief in (False, True):
        doc = as_docx.document(card, ReportOptions(), brief=brief)
        assert {b["t"] for b in doc["blocks"]} <= KNOWN


# -- without the extra ------------------------------------------------------------------


def test_without_python_docx_the_error_says_what_to_install(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "docx" else real(name, *a))
    with pytest.raises(CyberdipError) as e:
        registry.render("docx", card_of())
    assert (e.value.code, e.value.exit_code) == ("CD506", 2)
    assert "pip install 'cyberdip[word]'" in str(e.value)


# -- LibreOffice opens each document ----------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
#: Debian splits LibreOffice: soffice may be there with Calc alone (.ci/run checks the same)
_DEBIAN = Path("/usr/lib/libreoffice/program")
WRITER = SOFFICE is not None and (not _DEBIAN.is_dir() or (_DEBIAN / "libswlo.so").exists())
needs_soffice = pytest.mark.skipif(not WRITER, reason="LibreOffice Writer is not installed: "
                                   "apt-get install libreoffice-writer")
KINDS = ("report", "brief", "report-ur", "brief-ur")
MARKS = {"report": "TLP:AMBER", "brief": "TLP:AMBER+STRICT", "report-ur": "RESTRICTED",
         "brief-ur": "TLP:AMBER"}


def _calibri_metrics() -> bool:
    """Whether LibreOffice lays Latin text out as Word does: with Calibri, or Carlito
    (the same widths). Elsewhere it substitutes a wider font, and the page count of a
    document, which embeds no Latin font, is the machine's."""
    if not shutil.which("fc-match"):
        return False
    found = subprocess.run(["fc-match", "Calibri"], capture_output=True, text=True).stdout
    return any(name in found for name in ("Calibri", "Carlito"))


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Each document converted to PDF by LibreOffice, headless, in one run."""
    folder = tmp_path_factory.mktemp("docx")
    for kind in KINDS:
        (folder / f"{kind}.docx").write_bytes(made(kind))
    out = folder / "pdf"
    profile = folder / "lo-profile"
    p = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out),
                        *(str(folder / f"{k}.docx") for k in KINDS)],
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
    return {k: out / f"{k}.pdf" for k in KINDS}


@needs_soffice
@pytest.mark.parametrize("kind", KINDS)
def test_libreoffice_opens_each_document_and_makes_a_pdf(converted, kind):
    pdf = converted[kind]
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF-")
    if not shutil.which("pdftotext"):
        return
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")[:-1]
    assert pages
    if kind == "brief" and _calibri_metrics():
        assert len(pages) == 1  # the brief stays one page in Word's layout too
    for k, page in enumerate(pages, 1):
        # (pdftotext wraps a right-to-left page's lines in bidi embeddings)
        page = re.sub("[\u202a-\u202e\u2066-\u2069]", "", page)
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        assert lines[0] == MARKS[kind], (kind, k)  # the top of every page...
        assert lines[-2] == MARKS[kind], (kind, k)  # ...its bottom...
        assert lines[-1].replace(" ", "") == f"{k}/{len(pages)}", (kind, k)  # ...its number
    if kind.endswith("-ur"):
        assert sum(len(URDU.findall(p)) for p in pages) > 1000


@needs_soffice
@pytest.mark.skipif(not (shutil.which("pdffonts") and shutil.which("fc-list")),
                    reason="needs fontconfig and poppler's pdffonts")
def test_libreoffice_sets_urdu_in_the_embedded_font_when_none_is_installed(tmp_path):
    """LibreOffice sees one font, cyberdip's Latin Noto Sans (fontconfig is told so):
    Nastaliq can come only from the document, and the PDF it makes uses it."""
    import os

    from cyberdip.report.fonts import font_path

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(font_path("NotoSans-Regular.ttf"), fonts)
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{fonts}</dir>'
                    f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n",
                    encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    listed = subprocess.run(["fc-list"], capture_output=True, text=True, env=env).stdout
    assert "Nastaliq" not in listed  # the machine's own fonts are out of sight
    doc = tmp_path / "brief-ur.docx"
    doc.write_bytes(made("brief-ur"))
    p = subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                        "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                        str(doc)], capture_output=True, text=True, timeout=600, env=env)
    assert p.returncode == 0, p.stdout + p.stderr
    used = subprocess.run(["pdffonts", str(tmp_path / "brief-ur.pdf")], capture_output=True,
                          text=True, check=True).stdout
    assert re.search(r"NotoNastaliqUrdu-Regular\s+TrueType.*\byes\b", used), used


def test_a_long_name_is_the_title_cut_to_what_a_property_holds():
    card = card_of()
    name = "Ministry " * 60  # 540 characters
    card = card.model_copy(update={"organisation": card.organisation.model_copy(
        update={"name": name})})
    data = registry.render("docx", card, brief=True)
    title = opened(data).core_properties.title
    assert len(title) == 255 and title.endswith("…") and title.startswith("Ministry Ministry")
    assert headings(data)["Heading 1"] == [name]  # the heading keeps it whole
