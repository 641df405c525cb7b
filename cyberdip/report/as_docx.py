"""Word: the gap report (or the one-page brief) as an editable ``.docx``, made with
python-docx.

python-docx is the optional extra ``cyberdip[word]`` and imported only here, when a
``.docx`` is written. The document is the PDF's: ``as_pdf.Writer`` builds the blocks and
runs (already translated, user text as data), and this module lays each block out as
Word's own structures: the title and sections in the styles Heading 1, 2 and 3, every
table a real table, lists numbered by Word, the marking in the header and the footer of
every page, and the page number a ``PAGE`` field (``NUMPAGES`` beside it).

Right to left (``--lang ur``): every paragraph is ``w:bidi``, every table
``w:bidiVisual``, the section ``w:bidi``; each run holding Urdu is ``w:rtl`` with its
complex-script settings (``w:rFonts w:cs``, ``w:bCs``, ``w:szCs``, ``w:lang w:bidi``);
English names and figures stay in runs of their own, inside the Unicode isolates the
writer put around them. The document embeds Noto Nastaliq Urdu (obfuscated as the
standard says, ``word/fonts/font1.odttf``), so Word and LibreOffice show Nastaliq
without the font installed.

The same inputs give the same bytes: the zip's entries carry a fixed date, the core
properties a fixed time, and nothing else depends on the clock or the machine.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from typing import TYPE_CHECKING, Any

from cyberdip.errors import CyberdipError
from cyberdip.report import i18n

if TYPE_CHECKING:
    from cyberdip.engine.scoring import Scorecard
    from cyberdip.report.view import ReportOptions

INSTALL_HINT = "pip install 'cyberdip[word]'"

#: The date every zip entry and the core properties carry (the workbook's too).
FIXED_STAMP = (2000, 1, 1, 0, 0, 0)
FIXED_W3CDTF = "2000-01-01T00:00:00Z"

#: The font of Latin text: Word's own default, which every copy of Word has.
LATIN_FONT = "Calibri"
#: The font of Urdu (complex-script) text, embedded in an Urdu document.
URDU_FONT = "Noto Nastaliq Urdu"
URDU_FONT_FILE = "NotoNastaliqUrdu-Regular.ttf"
#: The key the embedded font is obfuscated with (ECMA-376 Part 1, 17.8.1): any GUID
#: will do; a fixed one keeps the bytes the same.
FONT_KEY = "{6C1D6E5A-2B0F-4C7E-9A43-0C1D1F5EA8B2}"

INK, MUTED, RULE, SOFT = "1D1D1F", "5A5A60", "D5D5DA", "F4F5F7"
ACCENT, WARN, GAP, CRIT = "1F5FA8", "8A4B00", "B35C00", "9B1C1C"
BANNER = "FFF4E0"

#: A4, and the width the text runs in (mm).
PAGE_MM, MARGIN_MM = (210, 297), 15
TEXT_MM = PAGE_MM[0] - 2 * MARGIN_MM


def engine_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("docx") is not None


def no_engine_error(path: str = "") -> CyberdipError:
    return CyberdipError(
        "writing a Word document needs the optional Word extra (python-docx), which is not "
        f"installed; install it with `{INSTALL_HINT}`, or write an .html or .pdf report",
        path=path, code="CD506", exit_code=2)


# -- text Word can hold --------------------------------------------------------------

#: What XML 1.0 cannot hold (C0 controls but tab and line feed, lone surrogates,
#: U+FFFE and U+FFFF), and the controls no document should show (DEL, the C1 range).
_UNFIT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def fit(text: object) -> str:
    """``text`` as a document can hold it: a line break kept as a line break (``\\r\\n``
    and ``\\r`` too), a tab as a tab, and every other control character removed."""
    s = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _UNFIT.sub("", s)


_STRONG_RTL = frozenset({"R", "AL"})
_OPENERS = frozenset({i18n.FSI, i18n.LRI, "\u2067"})  # FSI, LRI, RLI


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in _STRONG_RTL for c in text)


def _has_ltr(text: str) -> bool:
    return any(unicodedata.bidirectional(c) == "L" for c in text)


def pieces(text: str, rtl: bool) -> list[tuple[str, bool]]:
    """``text`` cut into runs of one direction: ``(part, right_to_left)``.

    In a left-to-right document, one left-to-right piece. In a right-to-left one, each
    isolate the writer made (an English name, a figure) is a piece of its own, right to
    left only when it holds right-to-left letters (a user's own Urdu); the text between
    isolates is ours, right to left unless it holds Latin letters and no Urdu ("TLP").
    The isolate characters stay in their piece, so the text is unchanged."""
    if not rtl:
        return [(text, False)]
    out: list[tuple[str, bool]] = []
    depth, start = 0, 0

    def flush(end: int, inside: bool) -> None:
        part = text[start:end]
        if part:
            out.append((part, _has_rtl(part) if inside
                        else _has_rtl(part) or not _has_ltr(part)))

    for k, ch in enumerate(text):
        if ch in _OPENERS:
            if depth == 0:
                flush(k, False)
                start = k
            depth += 1
        elif ch == i18n.PDI and depth:
            depth -= 1
            if depth == 0:
                flush(k + 1, True)
                start = k + 1
    flush(len(text), depth > 0)
    return out


# -- XML helpers ---------------------------------------------------------------------

def _order(names: str) -> list[str]:
    return names.split()


#: Child order of the properties we touch (ECMA-376 Part 1, the CT_* sequences).
_RPR = _order("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
        "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
        "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
        "specVanish oMath")
_PPR = _order("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
        "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap "
        "overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid "
        "spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
        "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr "
        "pPrChange")
_TBLPR = _order("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
          "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook "
          "tblCaption tblDescription")
_TCPR = _order("cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
         "tcFitText vAlign hideMark")
_SECTPR = _order("headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc "
           "pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg "
           "textDirection bidi rtlGutter docGrid printerSettings")


class _Xml:
    """The few raw-XML moves python-docx has no API for, in schema order."""

    def __init__(self) -> None:
        from docx.oxml.ns import qn
        from docx.oxml.parser import OxmlElement

        self.qn, self.el = qn, OxmlElement

    def child(self, parent: Any, tag: str, order: list[str], **attrs: str) -> Any:
        """``parent``'s ``w:tag`` (made in its place in ``order`` when missing), with
        ``attrs`` set (``w:`` attributes)."""
        qtag = self.qn("w:" + tag)
        found = parent.find(qtag)
        if found is None:
            found = self.el("w:" + tag)
            later = {self.qn("w:" + t) for t in order[order.index(tag) + 1:]}
            for k, existing in enumerate(parent):
                if existing.tag in later:
                    parent.insert(k, found)
                    break
            else:
                parent.append(found)
        for k, v in attrs.items():
            found.set(self.qn("w:" + k), v)
        return found

    def border(self, parent: Any, side: str, size: int, colour: str) -> None:
        e = parent.find(self.qn("w:" + side))
        if e is None:
            e = self.el("w:" + side)
            parent.append(e)
        for k, v in (("val", "single" if size else "nil"), ("sz", str(size)), ("space", "0"),
                     ("color", colour)):
            e.set(self.qn("w:" + k), v)


# -- the document --------------------------------------------------------------------


class Builder:
    """Lays out one block document (``as_pdf.Writer``) as a python-docx Document."""

    def __init__(self, doc: dict[str, Any]) -> None:
        import docx
        from docx.shared import Pt

        self.src = doc
        self.rtl = doc["dir"] == "rtl"
        self.size = float(doc.get("size", 9.0))
        self.Pt = Pt
        self.x = _Xml()
        self.doc = docx.Document()
        self._lists = 0
        self._setup()

    # -- page, styles, properties ------------------------------------------------------
    def _setup(self) -> None:
        from docx.shared import Mm

        d, x = self.doc, self.x
        sec = d.sections[0]
        sec.page_width, sec.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        sec.left_margin = sec.right_margin = Mm(MARGIN_MM)
        sec.top_margin, sec.bottom_margin = Mm(18), Mm(18)
        sec.header_distance = sec.footer_distance = Mm(8)
        if self.rtl:
            x.child(sec._sectPr, "bidi", _SECTPR)
        styles = d.styles.element
        # every font named, never the theme's (whose complex-script font is empty): the
        # Latin font Word has everywhere (LibreOffice uses metric-compatible Carlito)
        for fonts in styles.iter(x.qn("w:rFonts")):
            for theme in ("asciiTheme", "hAnsiTheme", "cstheme"):
                fonts.attrib.pop(x.qn("w:" + theme), None)
            fonts.set(x.qn("w:ascii"), LATIN_FONT)
            fonts.set(x.qn("w:hAnsi"), LATIN_FONT)
            fonts.set(x.qn("w:cs"), URDU_FONT)
        defaults = styles.find(x.qn("w:docDefaults")).find(x.qn("w:rPrDefault")).find(
            x.qn("w:rPr"))
        lang = "ur-PK" if self.src["lang"] == "ur" else "en-GB"
        x.child(defaults, "lang", _RPR, val="en-GB", bidi="ur-PK" if self.rtl else "ar-SA")
        half = str(round(self.size * 2))
        x.child(defaults, "sz", _RPR, val=half)
        x.child(defaults, "szCs", _RPR, val=half)
        normal = d.styles["Normal"]
        normal.paragraph_format.space_after = self.Pt(3)
        # Nastaliq's letters rise and fall far from the baseline, and a line is as tall
        # as the font says: closer lines keep an Urdu page near the PDF's length
        normal.paragraph_format.line_spacing = 0.75 if self.rtl else 1.08
        for name, scale, before in (("Heading 1", 1.9, 0), ("Heading 2", 1.35, 12),
                                    ("Heading 3", 1.1, 8)):
            st = d.styles[name]
            st.font.size = self.Pt(round(self.size * scale * 2) / 2)
            rpr = st.element.get_or_add_rPr()
            x.child(rpr, "szCs", _RPR, val=str(round(self.size * scale * 2)))
            st.paragraph_format.space_before = self.Pt(before)
            st.paragraph_format.space_after = self.Pt(4)
        cp = d.core_properties
        title = " ".join(fit(self.src.get("title") or "").split())
        # a core property holds at most 255 characters (python-docx refuses more)
        cp.title = title if len(title) <= 255 else title[:254] + "…"
        cp.author = "cyberdip"
        cp.last_modified_by = "cyberdip"
        cp.comments = ""
        cp.subject = ""
        cp.keywords = ""
        cp.language = lang
        cp.revision = 1
        import datetime as dt

        cp.created = cp.modified = dt.datetime(*FIXED_STAMP)

    # -- runs ----------------------------------------------------------------------------
    def _rpr_rtl(self, run: Any) -> None:
        x = self.x
        rpr = run._r.get_or_add_rPr()
        x.child(rpr, "rtl", _RPR)
        x.child(rpr, "rFonts", _RPR, cs=URDU_FONT)
        x.child(rpr, "lang", _RPR, bidi="ur-PK")

    def _add(self, par: Any, text: str, flags: dict[str, Any], *, size: float | None = None,
             colour: str | None = None, bold: bool | None = None) -> list[Any]:
        from docx.shared import RGBColor

        runs = []
        for part, rtl in pieces(fit(text), self.rtl):
            run = par.add_run(part)
            rpr = run._r.get_or_add_rPr()
            if bold or flags.get("b") or flags.get("tag"):
                run.bold = True  # and for complex script (Urdu, and figures beside it)
                self.x.child(rpr, "bCs", _RPR)
            if flags.get("i") and not self.rtl:
                run.italic = True
            pts = size or (self.size * (0.8 if flags.get("tag") else 0.86)
                           if flags.get("small") or flags.get("tag") else None)
            if pts:
                run.font.size = self.Pt(round(pts * 2) / 2)
                self.x.child(rpr, "szCs", _RPR, val=str(round(pts * 2)))
            ink = colour or (CRIT if flags.get("crit") or flags.get("tag") else
                             MUTED if flags.get("muted") else ACCENT if flags.get("link")
                             else None)
            if ink:
                run.font.color.rgb = RGBColor.from_string(ink)
            if flags.get("link"):
                run.underline = True
            if flags.get("tag"):
                bdr = self.x.child(rpr, "bdr", _RPR)
                for k, v in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", CRIT)):
                    bdr.set(self.x.qn("w:" + k), v)
            if rtl:
                self._rpr_rtl(run)
            runs.append(run)
        return runs

    def runs(self, par: Any, runs: list[dict[str, Any]], **style: Any) -> None:
        """The writer's runs into ``par``: text, bars, line breaks, links and the EN
        mark of untranslated rubric text."""
        from docx.shared import RGBColor

        for r in runs:
            if r.get("bar") is not None:
                gap, span = r["bar"]
                self._add(par, "■" * gap + "□" * max(span - gap, 0), {}, colour=GAP)
                continue
            if r.get("br"):
                par.add_run().add_break()
                continue
            made = self._add(par, str(r.get("text", "")), r, **style)
            link = r.get("link")
            if link and made and _is_link(link):
                self._hyperlink(par, made, str(link).strip())
            if r.get("en"):
                mark = par.add_run("EN")
                mark.font.size = self.Pt(round(self.size * 0.55 * 2) / 2)
                mark.font.superscript = True
                mark.font.color.rgb = RGBColor.from_string(MUTED)

    def _hyperlink(self, par: Any, made: list[Any], url: str) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        rid = par.part.relate_to(url, RT.HYPERLINK, is_external=True)
        link = self.x.el("w:hyperlink")
        link.set(self.x.qn("r:id"), rid)
        made[0]._r.addprevious(link)
        for run in made:
            link.append(run._r)

    # -- paragraphs ----------------------------------------------------------------------
    def para(self, container: Any = None, style: str | None = None) -> Any:
        par = (container or self.doc).add_paragraph(style=style)
        if self.rtl:
            self.x.child(par._p.get_or_add_pPr(), "bidi", _PPR)
        return par

    def align(self, par: Any, where: str) -> None:
        """``start`` or ``end`` of the line, in the document's direction (in a
        right-to-left paragraph Word and LibreOffice read ``left`` as its start)."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        if where == "end":
            par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif where == "center":
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def shade(self, par: Any, fill: str, *, side: str | None = None, colour: str = INK,
              size: int = 12, box: bool = False) -> None:
        x = self.x
        ppr = par._p.get_or_add_pPr()
        if side or box:
            bdr = x.child(ppr, "pBdr", _PPR)
            for s in (("top", "left", "bottom", "right") if box else (side,)):
                x.border(bdr, s, size, colour)
        x.child(ppr, "shd", _PPR, val="clear", color="auto", fill=fill)

    def start_side(self) -> str:
        """The side a line starts on (a border is drawn on the side it names)."""
        return "right" if self.rtl else "left"

    # -- tables --------------------------------------------------------------------------
    def table(self, cols: list[Any], header: list[str] | None,
              rows: list[list[list[dict[str, Any]]]], align: list[str] | None = None,
              *, borders: bool = True, small_first: bool = False,
              widths: list[float] | None = None) -> Any:
        from docx.shared import Mm
        from docx.table import _Cell

        n = len(cols)
        has_header = header is not None and any(h for h in header)
        t = self.doc.add_table(rows=len(rows) + (1 if has_header else 0), cols=n)
        x = self.x
        tblpr = t._tbl.tblPr
        if self.rtl:
            x.child(tblpr, "bidiVisual", _TBLPR)
        x.child(tblpr, "tblW", _TBLPR, w=str(_twips(TEXT_MM)), type="dxa")
        x.child(tblpr, "tblLayout", _TBLPR, type="fixed")
        bdrs = x.child(tblpr, "tblBorders", _TBLPR)
        for side in ("top", "left", "bottom", "right", "insideV"):
            x.border(bdrs, side, 0, "auto")
        x.border(bdrs, "insideH", 4 if borders else 0, RULE)
        x.border(bdrs, "bottom", 4 if borders else 0, RULE)
        x.child(tblpr, "tblCellMar", _TBLPR)
        for side in ("left", "right"):
            x.child(tblpr.find(x.qn("w:tblCellMar")), side, ["top", "left", "bottom", "right"],
                    w="70", type="dxa")
        mm = widths or _widths(cols, header, rows, self.size)
        for k, col in enumerate(t.columns):
            col.width = Mm(mm[k])
        trs = t._tbl.tr_lst
        align = align or ["start"] * n
        if has_header:
            tr = trs[0]
            tr.get_or_add_trPr().append(x.el("w:tblHeader"))
            for k, tc in enumerate(tr.tc_lst):
                cell = _Cell(tc, t)
                cell.width = Mm(mm[k])
                tcpr = tc.get_or_add_tcPr()
                x.border(x.child(tcpr, "tcBorders", _TCPR), "bottom", 8, INK)
                par = cell.paragraphs[0]
                if self.rtl:
                    x.child(par._p.get_or_add_pPr(), "bidi", _PPR)
                self.align(par, align[k])
                self._add(par, header[k], {"b": True}, size=self.size * 0.86, colour=MUTED)
            trs = trs[1:]
        for tr, row in zip(trs, rows, strict=True):
            tr.get_or_add_trPr().append(x.el("w:cantSplit"))
            for k, (tc, runs) in enumerate(zip(tr.tc_lst, row, strict=True)):
                cell = _Cell(tc, t)
                cell.width = Mm(mm[k])
                par = cell.paragraphs[0]
                if self.rtl:
                    x.child(par._p.get_or_add_pPr(), "bidi", _PPR)
                par.paragraph_format.space_after = self.Pt(1)
                self.align(par, align[k])
                if small_first and k == 0:
                    self._add(par, runs if isinstance(runs, str) else "", {"b": True},
                              size=self.size * 0.86, colour=MUTED)
                else:
                    self.runs(par, runs)
        return t

    # -- blocks --------------------------------------------------------------------------
    def block(self, b: dict[str, Any]) -> None:
        k = b.get("t")
        if k == "h1":
            self.runs(self.para(style="Heading 1"), b["runs"])
        elif k == "h2":
            self.runs(self.para(style="Heading 2"), b["runs"])
        elif k == "h3":
            par = self.para(style="Heading 3")
            par.paragraph_format.keep_with_next = True
            self.runs(par, b["runs"])
        elif k == "kicker":
            par = self.para()
            par.paragraph_format.space_after = self.Pt(0)
            self.runs(par, b["runs"], colour=MUTED, size=self.size * 0.85)
        elif k in ("p", "small"):
            par = self.para()
            if k == "small":
                self.runs(par, b["runs"], colour=MUTED, size=self.size * 0.82)
            else:
                self.runs(par, b["runs"])
        elif k == "banner":
            par = self.para()
            self.shade(par, BANNER, box=True, colour=WARN, size=8)
            self.runs(par, b["runs"])
        elif k == "why":
            for runs in b["paras"]:
                par = self.para()
                self.shade(par, SOFT, side=self.start_side(), colour=CRIT, size=18)
                self.runs(par, runs)
        elif k == "figures":
            self.figures(b["items"])
        elif k == "list":
            self.numbered(b["items"])
        elif k == "table":
            self.table(b["cols"], b.get("header"), b["rows"], b.get("align"))
            self.para().paragraph_format.space_after = self.Pt(2)
        elif k == "criterion":
            par = self.para()
            par.paragraph_format.keep_with_next = True
            par.paragraph_format.space_before = self.Pt(6)
            par.paragraph_format.space_after = self.Pt(1)
            self.runs(par, b["title"])
            self.table([1, 4.2], None, [[r[0], r[1]] for r in b["rows"]], None,
                       borders=False, small_first=True, widths=[30, TEXT_MM - 30])
        elif k == "columns":
            for inner in b["blocks"]:
                self.block(inner)
        elif k == "pagebreak":
            from docx.enum.text import WD_BREAK

            self.para().add_run().add_break(WD_BREAK.PAGE)
        else:
            self.unknown(b)

    def unknown(self, b: dict[str, Any]) -> None:
        """A block this module does not know yet: its text, never lost. (A test holds
        every block the writer makes to a known kind.)"""
        for key in ("runs", "title"):
            if isinstance(b.get(key), list):
                self.runs(self.para(), b[key])
        for runs in b.get("paras", []) or []:
            self.runs(self.para(), runs)
        if b.get("items"):
            self.numbered(b["items"])
        if b.get("rows") and b.get("cols"):
            self.table(b["cols"], b.get("header"), b["rows"], b.get("align"))
        for inner in b.get("blocks", []) or []:
            self.block(inner)

    def figures(self, items: list[dict[str, Any]]) -> None:
        """The headline figures side by side: one table row, one cell each."""
        from docx.shared import Mm
        from docx.table import _Cell

        x = self.x
        t = self.doc.add_table(rows=1, cols=len(items))
        tblpr = t._tbl.tblPr
        if self.rtl:
            x.child(tblpr, "bidiVisual", _TBLPR)
        x.child(tblpr, "tblLayout", _TBLPR, type="fixed")
        width = TEXT_MM / len(items)
        for col in t.columns:
            col.width = Mm(width)
        for tc, f in zip(t._tbl.tr_lst[0].tc_lst, items, strict=True):
            cell = _Cell(tc, t)
            cell.width = Mm(width)
            tcpr = tc.get_or_add_tcPr()
            x.child(tcpr, "shd", _TCPR, val="clear", color="auto", fill=SOFT)
            bd = x.child(tcpr, "tcBorders", _TCPR)
            x.border(bd, "top", 18, ACCENT)
            x.border(bd, "left", 12, "FFFFFF")
            x.border(bd, "right", 12, "FFFFFF")
            lines: list[tuple[str, dict[str, Any], float, str | None]] = [
                (f["label"], {}, self.size * 0.8, MUTED)]
            value, unit = str(f["value"]), f.get("unit") or ""
            if self.rtl:  # a figure reads left to right, with its unit when that is Latin
                value = (f"{i18n.LRI}{value}{i18n.PDI}" + (" " + unit if unit else "")
                         if _has_rtl(unit) else f"{i18n.LRI}{value} {unit}".rstrip()
                         + i18n.PDI)
            elif unit:
                value += " " + unit
            lines.append((value, {"b": True}, self.size * 1.9, None))
            if f.get("band"):
                lines.append((f["band"], {"b": True}, self.size, None))
            lines.append((f.get("note") or "", {}, self.size * 0.8, MUTED))
            first = True
            for text, flags, size, colour in lines:
                par = cell.paragraphs[0] if first else cell.add_paragraph()
                first = False
                if self.rtl:
                    x.child(par._p.get_or_add_pPr(), "bidi", _PPR)
                par.paragraph_format.space_after = self.Pt(1)
                self._add(par, text, flags, size=size, colour=colour)
        self.para().paragraph_format.space_after = self.Pt(2)

    def numbered(self, items: list[list[dict[str, Any]]]) -> None:
        """A list numbered by Word, from 1 (each list its own numbering)."""
        x = self.x
        style = self.doc.styles["List Number"]
        numbering = self.doc.part.numbering_part.element
        ppr = style.element.pPr
        num_id = int(ppr.find(x.qn("w:numPr")).find(x.qn("w:numId")).get(x.qn("w:val")))
        abstract = numbering.num_having_numId(num_id).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        for item in items:
            par = self.para(style="List Number")
            numpr = x.child(par._p.get_or_add_pPr(), "numPr", _PPR)
            ilvl, nid = x.el("w:ilvl"), x.el("w:numId")
            ilvl.set(x.qn("w:val"), "0")
            nid.set(x.qn("w:val"), str(num.numId))
            numpr.append(ilvl)
            numpr.append(nid)
            par.paragraph_format.space_after = self.Pt(2)
            self.runs(par, item)

    # -- header and footer ---------------------------------------------------------------
    def furniture(self) -> None:
        """The marking at the top and the bottom of every page; under it, the page
        number as fields Word and LibreOffice fill in (``PAGE / NUMPAGES``)."""
        from docx.shared import RGBColor

        sec = self.doc.sections[0]
        m = self.src.get("marking")
        for part in (sec.header, sec.footer):
            part.is_linked_to_previous = False
            par = part.paragraphs[0]
            self.align(par, "center")
            par.paragraph_format.space_after = self.Pt(0)
            if m is not None:
                run = par.add_run("\u00a0" + fit(m["text"]) + "\u00a0")
                run.bold = True
                run.font.size = self.Pt(8.5)
                rpr = run._r.get_or_add_rPr()
                if m.get("colour"):
                    run.font.color.rgb = RGBColor.from_string(m["colour"].lstrip("#"))
                    self.x.child(rpr, "shd", _RPR, val="clear", color="auto", fill="000000")
                else:
                    bdr = self.x.child(rpr, "bdr", _RPR)
                    for k, v in (("val", "single"), ("sz", "6"), ("space", "0"),
                                 ("color", "000000")):
                        bdr.set(self.x.qn("w:" + k), v)
        par = sec.footer.add_paragraph()
        self.align(par, "center")
        par.paragraph_format.space_after = self.Pt(0)
        self._field(par, "PAGE", "1")
        self._plain(par, " / ")
        self._field(par, "NUMPAGES", "1")

    def _plain(self, par: Any, text: str) -> Any:
        from docx.shared import RGBColor

        run = par.add_run(text)
        run.font.size = self.Pt(7)
        run.font.color.rgb = RGBColor.from_string(MUTED)
        return run

    def _field(self, par: Any, code: str, shown: str) -> None:
        x = self.x
        for kind, text in (("begin", None), ("instr", f" {code} "), ("separate", None),
                           ("text", shown), ("end", None)):
            run = self._plain(par, "")
            if kind == "instr":
                e = x.el("w:instrText")
                e.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                e.text = text
                run._r.append(e)
            elif kind == "text":
                run.text = text
            else:
                e = x.el("w:fldChar")
                e.set(x.qn("w:fldCharType"), kind)
                run._r.append(e)

    # -- the whole -----------------------------------------------------------------------
    def build(self) -> bytes:
        for b in self.src["blocks"]:
            self.block(b)
        self.furniture()
        buf = io.BytesIO()
        self.doc.save(buf)
        fonts = [URDU_FONT] if self.src["lang"] == "ur" else []
        return finish(buf.getvalue(), embed=fonts)


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def _text_of(cell: Any) -> str:
    if isinstance(cell, str):
        return cell
    return "".join(str(r.get("text", "")) if r.get("bar") is None
                   else "■" * int(r["bar"][1]) for r in cell)


def _widths(cols: list[Any], header: list[str] | None, rows: list[list[Any]],
            size: float) -> list[float]:
    """Column widths (mm) for a table of ``cols`` (``"auto"`` or a share, as the PDF
    gives them): an automatic column as wide as its longest line, within bounds; the
    rest shared out by the shares."""
    auto: dict[int, float] = {}
    for k, c in enumerate(cols):
        if c == "auto":
            longest = max([len(_text_of(r[k])) for r in rows]
                          + [len(w) for w in (header[k] if header else "").split()] + [1])
            # a character is about 0.23 of the font's size in mm wide; the cell's margins
            auto[k] = min(max(longest * 0.23 * size + 4, 10.0), 36.0)
    rest = TEXT_MM - sum(auto.values())
    shares = sum(float(c) for c in cols if c != "auto") or 1.0
    return [auto[k] if c == "auto" else max(rest * float(c) / shares, 10.0)
            for k, c in enumerate(cols)]


def _is_link(text: str) -> bool:
    from cyberdip.model.assessment import is_link

    return is_link(text)


# -- the package: embedded font, fixed dates -------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_FONT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
_W3CDTF = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
_THUMBNAIL = "docProps/thumbnail.jpeg"


def obfuscate(font: bytes, key: str = FONT_KEY) -> bytes:
    """A font as Word embeds it (ECMA-376 Part 1, 17.8.1): its first 32 bytes XORed
    with the key's 16 bytes, taken from the GUID's hex digits in reverse order. The
    same function undoes it."""
    digits = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ digits[k % 16] for k, b in enumerate(font[:32]))
    return head + font[32:]


def finish(data: bytes, *, embed: list[str]) -> bytes:
    """The saved package made fixed and complete: every entry dated ``FIXED_STAMP``,
    the core properties' times too; python-docx's sample thumbnail dropped; and the
    fonts in ``embed`` embedded (cyberdip's own files), which Word and LibreOffice use
    when the font is not installed."""
    from lxml import etree

    from cyberdip.report.fonts import font_path

    src = zipfile.ZipFile(io.BytesIO(data))
    parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    order = [i.filename for i in src.infolist() if i.filename != _THUMBNAIL]
    parts.pop(_THUMBNAIL, None)
    rels = etree.fromstring(parts["_rels/.rels"])
    for rel in list(rels):
        if rel.get("Target") == _THUMBNAIL:
            rels.remove(rel)
    parts["_rels/.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                          standalone=True)
    parts["docProps/core.xml"] = _W3CDTF.sub(
        lambda m: m.group(1) + FIXED_W3CDTF.encode() + m.group(3), parts["docProps/core.xml"])
    if embed:
        types = etree.fromstring(parts["[Content_Types].xml"])
        ct = types.nsmap[None]
        if not any(e.get("Extension") == "odttf" for e in types):
            e = etree.SubElement(types, f"{{{ct}}}Default")
            e.set("Extension", "odttf")
            e.set("ContentType", _FONT_TYPE)
            types.insert(0, e)
        parts["[Content_Types].xml"] = etree.tostring(
            types, xml_declaration=True, encoding="UTF-8", standalone=True)
        table = etree.fromstring(parts["word/fontTable.xml"])
        font_rels = etree.Element(f"{{{_PKG}}}Relationships", nsmap={None: _PKG})
        for k, name in enumerate(embed, 1):
            target = f"fonts/font{k}.odttf"
            parts["word/" + target] = obfuscate(font_path(URDU_FONT_FILE).read_bytes())
            order.append("word/" + target)
            rel = etree.SubElement(font_rels, f"{{{_PKG}}}Relationship")
            rel.set("Id", f"rId{k}")
            rel.set("Type", f"{_R}/font")
            rel.set("Target", target)
            font = next((f for f in table if f.get(f"{{{_W}}}name") == name), None)
            if font is None:
                font = etree.SubElement(table, f"{{{_W}}}font")
                font.set(f"{{{_W}}}name", name)
                for tag, val in (("charset", "00"), ("family", "auto"),
                                 ("pitch", "variable")):
                    etree.SubElement(font, f"{{{_W}}}{tag}").set(f"{{{_W}}}val", val)
            emb = etree.SubElement(font, f"{{{_W}}}embedRegular")
            emb.set(f"{{{_R}}}id", f"rId{k}")
            emb.set(f"{{{_W}}}fontKey", FONT_KEY)
        parts["word/fontTable.xml"] = etree.tostring(
            table, xml_declaration=True, encoding="UTF-8", standalone=True)
        parts["word/_rels/fontTable.xml.rels"] = etree.tostring(
            font_rels, xml_declaration=True, encoding="UTF-8", standalone=True)
        order.append("word/_rels/fontTable.xml.rels")
        settings = etree.fromstring(parts["word/settings.xml"])
        if settings.find(f"{{{_W}}}embedTrueTypeFonts") is None:
            # after what precedes it in CT_Settings, before the rest
            before = {f"{{{_W}}}{t}" for t in ("writeProtection", "view", "zoom",
                                               "removePersonalInformation",
                                               "removeDateAndTime",
                                               "doNotDisplayPageBoundaries",
                                               "displayBackgroundShape",
                                               "printPostScriptOverText",
                                               "printFractionalCharacterWidth",
                                               "printFormsData")}
            at = sum(1 for e in settings if e.tag in before)
            settings.insert(at, etree.Element(f"{{{_W}}}embedTrueTypeFonts"))
        parts["word/settings.xml"] = etree.tostring(
            settings, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in order:
            entry = zipfile.ZipInfo(name, date_time=FIXED_STAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, parts[name])
    return out.getvalue()


def document(card: Scorecard, opts: ReportOptions, *, brief: bool = False) -> dict[str, Any]:
    """The block document the PDF is made from (``as_pdf.Writer``), whole: Word lays
    out long texts and tables without the bounds Typst needs."""
    from cyberdip.report.as_pdf import Writer

    writer = Writer(card, opts)
    if brief:
        from cyberdip.report.brief import brief_document

        return brief_document(writer)
    return writer.report()


def render(result: Any, **options: Any) -> bytes:
    """A scorecard as a Word document: the gap report, or with ``brief=True`` the
    brief."""
    from cyberdip.report.view import options_from

    if type(result).__name__ != "Scorecard":
        raise TypeError(f"no Word form for {type(result).__name__}")
    if not engine_available():
        raise no_engine_error()
    doc = document(result, options_from(options), brief=bool(options.get("brief")))
    return Builder(doc).build()
