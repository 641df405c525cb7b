"""report.pdf_bounds: what reaches Typst is cut to what a page can show, cheaply, and
the cut is marked; a document within the bounds passes unchanged."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cyberdip.report import pdf_bounds as pb


def doc_of(*blocks):
    return {"lang": "en", "dir": "ltr", "title": "T", "fonts": ["Noto Sans"], "size": 8.6,
            "marking": None, "page_numbers": True, "blocks": list(blocks)}


def para(*texts, **flags):
    return {"t": "p", "runs": [{"text": t, **flags} for t in texts]}


def test_an_ordinary_document_passes_unchanged():
    doc = doc_of(para("Ministry of Foreign Affairs", "\u0648\u0632\u0627\u0631\u062a"),
                 {"t": "list", "items": [[{"text": "one"}], [{"text": "two", "b": True}]]},
                 {"t": "table", "cols": ["auto", 1], "align": ["start", "end"],
                  "header": ["a", "b"], "rows": [[[{"text": "x"}], [{"bar": [1, 4]}]]]},
                 para("see", link="https://example.org/a"))
    assert pb.bound(doc) == (doc, False)


def test_a_long_text_is_cut_and_marked():
    (out, cut) = pb.bound(doc_of(para("a" * 100_000)))
    text = out["blocks"][0]["runs"][0]["text"]
    assert cut and text.endswith(" [\u2026]") and len(text) < pb.MAX_TEXT + 200


def test_a_run_of_combining_marks_keeps_the_first_few():
    (out, cut) = pb.bound(doc_of(para("a" + "\u0301" * 20_000 + "b\u0308")))
    text = out["blocks"][0]["runs"][0]["text"]
    assert cut and text == "a" + "\u0301" * pb.MAX_MARKS + "b\u0308"


def test_an_unbroken_word_gets_break_opportunities_and_loses_nothing():
    word = "x" * 1_000
    (out, cut) = pb.bound(doc_of(para(word)))
    text = out["blocks"][0]["runs"][0]["text"]
    assert not cut and text.replace(pb.ZWSP, "") == word
    assert max(len(w) for w in text.split(pb.ZWSP)) == pb.MAX_WORD


def test_a_link_too_long_for_typst_is_dropped_and_its_text_kept():
    url = "https://example.org/" + "a" * 9_000
    (out, cut) = pb.bound(doc_of(para(url, link=url)))
    run = out["blocks"][0]["runs"][0]
    assert cut and "link" not in run and run["text"].startswith("https://example.org/aaa")


def test_paragraphs_lists_and_tables_are_cut_with_the_count_left_out():
    many = [{"text": f"item {i}"} for i in range(25_000)]
    (out, cut) = pb.bound(doc_of({"t": "p", "runs": many},
                                 {"t": "list", "items": [[r] for r in many]},
                                 {"t": "table", "cols": [1, 1], "align": ["start", "end"],
                                  "header": ["a", "b"], "rows": [[[r], [r]] for r in many]}))
    p, lst, table = out["blocks"]
    assert cut
    assert len(p["runs"]) == pb.MAX_RUNS + 1
    assert p["runs"][-1]["text"] == f" [\u2026 +{25_000 - pb.MAX_RUNS:,}]"
    assert len(lst["items"]) == pb.MAX_ITEMS + 1
    assert lst["items"][-1][0]["text"] == f"[\u2026 +{25_000 - pb.MAX_ITEMS:,}]"
    assert len(table["rows"]) == pb.MAX_ROWS + 1 and len(table["rows"][-1]) == 2


def test_a_paragraph_is_cut_by_its_characters_too():
    (out, cut) = pb.bound(doc_of({"t": "p", "runs": [{"text": "\u0627" * 3_000}] * 300}))
    runs = out["blocks"][0]["runs"]
    assert cut and sum(len(r["text"]) for r in runs) <= pb.MAX_PARAGRAPH + pb.MAX_TEXT + 50


def _marks_in_a_row(text: str) -> int:
    most = run = 0
    for ch in text:
        run = run + 1 if unicodedata.category(ch) in ("Mn", "Me") else 0
        most = max(most, run)
    return most


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.text(st.characters(codec="utf-8"), max_size=5_000), max_size=30),
       st.sampled_from(["p", "list"]))
@example(["\u0301" * 50 + "x" * 5_000], "p")
def test_every_text_that_reaches_typst_is_within_the_bounds(texts, kind):
    runs = [{"text": t} for t in texts]
    block = {"t": "p", "runs": runs} if kind == "p" else {"t": "list", "items": [runs]}
    (out, cut) = pb.bound(doc_of(block))
    got = out["blocks"][0]["runs"] if kind == "p" else (out["blocks"][0]["items"] or [[]])[0]
    for r in got:
        t = r["text"]
        assert len(t) <= pb.MAX_TEXT + len(pb.CUT) + pb.MAX_TEXT // pb.MAX_WORD + 1
        assert _marks_in_a_row(t) <= pb.MAX_MARKS
        assert all(len(w) <= pb.MAX_WORD for w in t.replace(pb.ZWSP, " ").split())
    if not cut:  # nothing cut: only break opportunities were added
        assert [r["text"].replace(pb.ZWSP, "") for r in got] == \
            [t.replace(pb.ZWSP, "") for t in texts]
