"""Hostile text in an assessment cannot change the structure of a report.

Every payload of the three vendored XSS lists (tests/data/xss/) goes into evidence
(as text, and inside an http link), notes, not-applicable reasons, owners, the
organisation's name and unit, and the disclaimer. Payloads are batched, many per
report, so the whole corpus renders in a few seconds.

The proof compares each hostile report with its *benign twin*: the same scorecard with
every user string replaced by a harmless placeholder (a link stays a link). Parsed with
``html.parser``, the two must have exactly the same sequence of elements and attribute
names. So a payload can add no element and no attribute anywhere, not even one the
template uses elsewhere. On top: every href is http(s) or a ``#fragment``, no ``on*``
attribute, no ``<script>``/``<iframe>``/``<object>``/``<embed>``/``<base>``/``<form>``,
and the CSP meta tag is the one from STYLE.md. The Markdown report gets the same
treatment after rendering it with markdown-it (raw HTML *enabled*, so an escaping
failure would show up as an element).
"""

from __future__ import annotations

from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
XSS = ROOT / "tests" / "data" / "xss"
LISTS = ["payloadbox-xss-payload-list.txt", "rsnake-xss.txt", "url-payloads.txt"]
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
FORBIDDEN = {"script", "iframe", "object", "embed", "base", "form", "frame", "frameset",
             "applet", "link", "meta-refresh", "img", "video", "audio", "input", "button",
             "svgscript", "foreignobject", "animate", "set", "use", "image"}
BATCH = 500


@lru_cache(maxsize=1)
def payloads() -> tuple[str, ...]:
    out: list[str] = []
    for name in LISTS:
        text = (XSS / name).read_text(encoding="utf-8", errors="surrogateescape")
        out += [line for line in text.splitlines() if line.strip()]
    # surrogates cannot be encoded; the lists are UTF-8 so this keeps every line
    return tuple(p.encode("utf-8", "replace").decode("utf-8") for p in out)


@lru_cache(maxsize=1)
def _mini():
    from cyberdip.formats import documents

    checked = documents.load_assessment(str(ROOT / "tests/data/assessments/mini-answered.yaml"))
    return checked.rubric, checked.assessment


def mini_card():
    from cyberdip.engine.scoring import score

    rubric, a = _mini()
    return score(rubric, a)


def _card(batch: list[str], sub):
    """The mini assessment with ``batch`` spread over every free-text field.

    ``sub`` maps a payload to what is actually written: the payload itself for the
    hostile report, a placeholder for its benign twin.
    """
    from cyberdip.engine.scoring import score
    from cyberdip.model.assessment import Assessment

    rubric, base = _mini()
    data = base.model_dump(mode="python")
    third = -(-len(batch) // 3)
    parts = [batch[i * third:(i + 1) * third] for i in range(3)]

    def link(p: str) -> str:
        return sub("https://example.org/?q=" + "".join(p.split()), link=True)

    def joined(ps: list[str]) -> str:
        return " ".join(sub(p) for p in ps) or sub("x")

    # every payload: in the organisation's name and unit, in evidence as text and inside
    # a link, and in notes; one third also in a not-applicable reason and the owner
    data["organisation"] = {"name": joined(batch), "unit": joined(batch)}
    answers = data["answers"]
    for k, cid in enumerate(["policy.strategy", "policy.law", "outreach.missions-online"]):
        answers[cid]["evidence"] = [sub(p) for p in parts[k]] + [link(p) for p in parts[k]]
        answers[cid]["notes"] = joined(parts[(k + 1) % 3])
    answers["policy.strategy"]["owner"] = joined(parts[1])
    answers["outreach.dialogue"] = {"not_applicable": joined(parts[2])}
    # and the assessment's disclaimer, on the first page (longer than a file may hold:
    # what is escaped does not depend on the length)
    card = score(rubric, Assessment.model_validate(data))
    return card.model_copy(update={"disclaimer": joined(batch)})


def _hostile(p: str, link: bool = False) -> str:
    return p


def _benign(p: str, link: bool = False) -> str:
    return "https://example.org/x" if link else "x"


def hostile_cards(batch: int = BATCH) -> list:
    ps = list(payloads())
    return [_card(ps[i:i + batch], _hostile) for i in range(0, len(ps), batch)]


class Skeleton(HTMLParser):
    """The element/attribute structure of a document, and the attribute values to check."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shape: list[tuple] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.elements: list[tuple[str, dict]] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.shape.append(("start", tag, tuple(sorted(k for k, _ in attrs))))
        self.attrs += [(tag, k, v) for k, v in attrs]
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.shape.append(("end", tag))

    def handle_comment(self, data):
        self.other.append(f"comment {data[:40]!r}")

    def handle_pi(self, data):
        self.other.append(f"pi {data[:40]!r}")

    def unknown_decl(self, data):
        self.other.append(f"decl {data[:40]!r}")


def skeleton(html: str) -> Skeleton:
    s = Skeleton()
    s.feed(html)
    s.close()
    return s


def assert_same_structure(hostile: str, benign: str) -> None:
    h, b = skeleton(hostile), skeleton(benign)
    assert h.other == b.other == []
    if h.shape != b.shape:  # show the first difference, not two 10,000-item lists
        i = next(i for i, (x, y) in enumerate(zip(h.shape, b.shape, strict=False)) if x != y)
        pytest.fail(f"structure differs at item {i}: hostile {h.shape[i]} vs benign "
                    f"{b.shape[i]}; context {h.shape[max(0, i - 3):i + 3]}")
    tags = {t for kind, t, *_ in h.shape if kind == "start"}
    assert not tags & FORBIDDEN
    for tag, name, value in h.attrs:
        assert not name.lower().startswith("on"), (tag, name, value)
        if name in ("href", "src", "xlink:href", "action", "formaction"):
            v = (value or "").strip().lower()
            assert v.startswith(("https://", "http://", "#")), (tag, name, value)
        if name == "style" and value not in ("text-align:left", "text-align:right",
                                             "text-align:center"):
            pytest.fail(f"inline style attribute on <{tag}>: {value!r}")


def _md_html(md: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").enable(
        "strikethrough").render(md)


def test_the_corpus_is_all_there():
    ps = payloads()
    assert len(ps) >= 6613 + 73 + 60 - 5  # a few lists have blank lines
    assert any("<script" in p.lower() for p in ps)
    assert any(p.strip().lower().startswith("javascript:") for p in ps)
    for lic in ("LICENSE-payloadbox", "LICENSE-PayloadsAllTheThings"):
        assert "MIT License" in (XSS / lic).read_text(encoding="utf-8")


def test_the_checker_catches_an_injected_element():
    """The comparison is not vacuous: one unescaped payload is caught."""
    from cyberdip.report import as_html

    card = _card(["<b>x</b>"], _hostile)
    twin = _card(["<b>x</b>"], _benign)
    html = as_html.to_html(card)
    broken = html.replace("&lt;b&gt;x&lt;/b&gt;", "<b>x</b>", 1)
    assert broken != html
    assert_same_structure(html, as_html.to_html(twin))
    with pytest.raises(pytest.fail.Exception, match="structure differs"):
        assert_same_structure(broken, as_html.to_html(twin))


@pytest.mark.parametrize("start", range(0, 7000, BATCH))
def test_every_payload_is_inert_in_html_and_markdown(start):
    from cyberdip.report import as_html, as_markdown

    batch = list(payloads()[start:start + BATCH])
    if not batch:
        pytest.skip("past the end of the corpus")
    card, twin = _card(batch, _hostile), _card(batch, _benign)
    # every payload really reaches the scorecard
    assert card.organisation.name == " ".join(batch)
    html, twin_html = as_html.to_html(card), as_html.to_html(twin)
    assert_same_structure(html, twin_html)
    csp = [a.get("content") for t, a in skeleton(html).elements
           if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp == [CSP]
    md, twin_md = as_markdown.to_markdown(card), as_markdown.to_markdown(twin)
    assert_same_structure(_md_html(md), _md_html(twin_md))


# -- the brief and the Urdu report --------------------------------------------------------

CSP_FONT = CSP + "; font-src data:"


@lru_cache(maxsize=1)
def _urdu_words():
    from cyberdip.formats import documents
    from cyberdip.report.i18n import RubricWords

    checked = documents.load_assessment(str(ROOT / "tests/data/assessments/mini-answered.yaml"))
    found = documents.load_translation_for(checked.rubric, checked.rubric_path, "ur")
    return RubricWords("ur", found[0])


def _csp(html: str) -> list[str | None]:
    return [a.get("content") for t, a in skeleton(html).elements
            if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]


@pytest.mark.parametrize("start", range(0, 7000, BATCH))
def test_every_payload_is_inert_in_the_brief_and_the_urdu_report(start):
    """The same proof for the brief (with a hostile marking too) and for the Urdu
    report in HTML and Markdown, whose user text is wrapped in <bdi>."""
    from cyberdip.report import registry

    batch = list(payloads()[start:start + BATCH])
    if not batch:
        pytest.skip("past the end of the corpus")
    card = _card(batch, _hostile).model_copy(update={"marking": batch[0]})
    twin = _card(batch, _benign).model_copy(update={"marking": "x"})
    brief = registry.render("html", card, brief=True).decode()
    assert_same_structure(brief, registry.render("html", twin, brief=True).decode())
    assert _csp(brief) == [CSP]
    ur = {"lang": "ur", "rubric_words": _urdu_words()}
    html = registry.render("html", card, **ur).decode()
    assert_same_structure(html, registry.render("html", twin, **ur).decode())
    assert _csp(html) == [CSP_FONT]
    assert '<html lang="ur" dir="rtl">' in html
    md = registry.render("md", card, **ur).decode()
    assert_same_structure(_md_html(md), _md_html(registry.render("md", twin, **ur).decode()))


# -- Word ---------------------------------------------------------------------------------

_TEXT_TAGS = {"t", "tab", "br", "cr"}  # how python-docx writes a text's tabs and breaks


def _docx_parts(data: bytes) -> tuple[list[tuple[str, tuple[str, ...]]], str, list[str]]:
    """A .docx's element structure (text left out), its text, and its external links."""
    import io
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        assert not any(b"<!DOCTYPE" in z.read(n) for n in z.namelist() if n.endswith(".xml"))
    shape, text = [], []
    for e in doc.iter():
        tag = e.tag.replace(w, "w:")
        if tag[2:] in _TEXT_TAGS:
            text.append(e.text or "" if tag == "w:t" else "\t" if tag == "w:tab" else "\n")
            continue
        shape.append((tag, tuple(sorted(k.split("}")[-1] for k in e.attrib))))
    links = [r.get("Target") for r in rels if r.get("TargetMode") == "External"]
    return shape, "".join(text), links


@pytest.mark.parametrize("start", range(0, 7000, BATCH))
def test_every_payload_is_text_in_word(start):
    """The Word report (English) and brief (Urdu): a payload adds no element and no
    attribute against the benign twin, every payload is in the text as written (less
    the control characters XML cannot hold), and every link is http(s)."""
    pytest.importorskip("docx")
    from cyberdip.report import registry
    from cyberdip.report.as_docx import fit
    from cyberdip.report.i18n import FSI, PDI

    batch = list(payloads()[start:start + BATCH])
    if not batch:
        pytest.skip("past the end of the corpus")
    card = _card(batch, _hostile).model_copy(update={"marking": batch[0]})
    twin = _card(batch, _benign).model_copy(update={"marking": "x"})
    for options in ({}, {"lang": "ur", "rubric_words": _urdu_words(), "brief": True}):
        shape, text, links = _docx_parts(registry.render("docx", card, **options))
        twin_shape, _, _ = _docx_parts(registry.render("docx", twin, **options))
        if not options:
            assert shape == twin_shape
        else:  # right to left, a run splits where the text changes direction
            assert set(shape) == set(twin_shape)
        text = text.replace(FSI, "").replace(PDI, "")
        for p in batch:
            assert fit(p) in text, p
        assert all(t.startswith(("https://", "http://")) for t in links)
        assert bool(links) == (not options)  # the report shows evidence; the brief does not
