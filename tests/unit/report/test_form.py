"""The offline form as a page: one file, its own script and style allowed by hash and
nothing else, the questions as data the page parses (never markup), and every shipped
rubric and profile made into one. What the page does in a browser is in
tests/acceptance/test_form_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cyberdip.formats import documents
from cyberdip.formats.blank import Blank
from cyberdip.formats.cycle import Section
from cyberdip.report import form
from tests.acceptance.test_shipped_files import RUBRICS, _profiles

SHA = "0" * 64


def page(rubric_ref: str, profile: str | None = None, section: Section | None = None) -> str:
    r = documents.get_rubric(rubric_ref)
    return form.render(Blank(r, rubric_ref, profile, section), rubric_sha256=SHA,
                       answers_name="berlin.answers.json")


def parts(html: str) -> tuple[str, str, str, dict]:
    """The CSP, the one script, the one style, and the questions the page embeds."""
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    data = re.findall(r'<script type="application/json" id="questions">(.*?)</script>', html,
                      re.S)
    assert csp and len(scripts) == 1 and len(styles) == 1 and len(data) == 1
    return csp.group(1), scripts[0], styles[0], json.loads(data[0])


def h(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_the_policy_allows_the_pages_own_script_and_style_by_hash_and_nothing_else():
    csp, script, style, _ = parts(page("cyberdip-core"))
    assert csp == (f"default-src 'none'; script-src '{h(script)}'; style-src '{h(style)}'; "
                   "img-src data:; base-uri 'none'; form-action 'none'")


def test_the_script_uses_no_eval_no_inline_handler_no_markup_from_text_and_no_network():
    _, script, _, _ = parts(page("cyberdip-core"))
    for banned in ("eval(", "new Function", "innerHTML", "outerHTML", "insertAdjacentHTML",
                   "document.write", "fetch(", "XMLHttpRequest", "WebSocket", "sendBeacon",
                   "EventSource", "import(", "setAttribute(\"on", ".onclick", "javascript:"):
        assert banned not in script, banned


@pytest.mark.parametrize("rubric", RUBRICS)
def test_every_shipped_rubric_and_profile_makes_a_form_of_its_questions(rubric):
    r = documents.get_rubric(rubric)
    for profile in _profiles(rubric):
        _, _, _, q = parts(page(rubric, profile))
        asked = [c.id for _, c in r.criteria() if c.applies(profile)]
        assert [c["id"] for a in q["areas"] for c in a["criteria"]] == asked
        assert q["rubric"] == {"id": r.id, "version": r.version, "ref": rubric, "sha256": SHA}
        assert q["profile"] == profile


def test_the_built_in_rubrics_form_is_under_400_kb():
    for profile in _profiles("cyberdip-core"):
        assert len(page("cyberdip-core", profile).encode("utf-8")) < 400 * 1024


def test_a_section_holds_only_its_questions_and_names_its_respondent():
    r = documents.get_rubric("cyberdip-core")
    ids = frozenset(c.id for a, c in r.criteria() if a.id == "strategy")
    _, _, _, q = parts(page("cyberdip-core", section=Section(ids, "Policy Planning")))
    assert [a["id"] for a in q["areas"]] == ["strategy"]
    assert q["respondent"] == "Policy Planning"


def test_the_storage_key_differs_by_respondent_and_by_rubric_file():
    r = documents.get_rubric("cyberdip-core")

    def key(who, sha):
        return form.questions(Blank(r, "cyberdip-core", None, Section(None, who)),
                              rubric_sha256=sha, answers_name="a.answers.json")["key"]
    assert len({key("A", SHA), key("B", SHA), key("A", "1" * 64)}) == 3


@given(st.recursive(st.text() | st.integers() | st.booleans() | st.none(),
                    lambda kids: st.lists(kids, max_size=3)
                    | st.dictionaries(st.text(max_size=5), kids, max_size=3), max_leaves=8))
def test_embedded_json_holds_no_markup_and_no_raw_control_and_reads_back_the_same(value):
    text = form._json_for_html(value)
    assert not set(text) & set("<>&")
    assert not [ch for ch in text if ch not in "\n\t" and unicodedata.category(ch)
                in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co")]
    assert json.loads(text) == value


def test_rubric_text_reaches_the_page_only_inside_the_data_block():
    hostile = "</script><script>alert(1)</script><!--"
    r = documents.get_rubric("cyberdip-core")
    r = r.model_copy(update={"title": hostile})
    html = form.render(Blank(r, "cyberdip-core", None, None), rubric_sha256=SHA,
                       answers_name="a.answers.json")
    assert hostile not in html
    assert html.count("<script") == 2
    assert parts(html)[3]["title"] == hostile
    assert "<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--: " in html


def test_the_urdu_form_is_right_to_left_in_urdu_with_its_font_allowed_and_embedded():
    from cyberdip.formats import documents as d
    from cyberdip.report import i18n

    path = d.resolve_rubric("cyberdip-core")
    r = d.rubric_at(path)
    translation, problems = d.load_translation_for(r, str(path), "ur")
    assert not [p for p in problems if p.level == "error"]
    rw = i18n.RubricWords("ur", translation)
    html = form.render(Blank(r, "cyberdip-core", None, None), rubric_sha256=SHA,
                       answers_name="a.answers.json", rubric_words=rw)
    csp, _, style, q = parts(html)
    assert html.startswith('<!DOCTYPE html>\n<html lang="ur" dir="rtl">')
    assert "font-src data:" in csp and '@font-face { font-family: "Noto Nastaliq Urdu"' in style
    # every word of the form's own is Urdu (none is left as its English message)
    assert [k for k, v in q["ui"].items() if v == form.UI[k] and k != "stop"] == []
    assert q["ui"]["stop"] == "\u06d4"
    first = q["areas"][0]["criteria"][0]
    en = parts(page("cyberdip-core"))[3]["areas"][0]["criteria"][0]
    assert first["id"] == en["id"] and first["question"] != en["question"]
    assert [i[1] for i in first["indicators"]] == [i[1] for i in en["indicators"]]
    # the Urdu page is the English one's size plus the font, about 760 KB
    font = len(style) - len(parts(page("cyberdip-core"))[2])
    assert len(html.encode()) - font < 400 * 1024
