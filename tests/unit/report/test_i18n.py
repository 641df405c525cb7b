"""report.i18n: the compiled catalogue says what its .po says, every message is
translated, and rubric strings fall back to English, marked."""

from __future__ import annotations

import gettext

import pytest

from cyberdip.report import i18n
from cyberdip.report.i18n import Localized, RubricWords
from tests.conftest import ROOT, load_script

PO = ROOT / "cyberdip" / "locale" / "ur" / "LC_MESSAGES" / "cyberdip.po"


def test_the_compiled_catalogue_matches_its_po():
    """The .mo the build hook compiled (the editable install made it) holds exactly
    the .po's translations: a .po edited without a rebuild fails here."""
    em = load_script("extract_messages")
    mo = i18n.catalogue_path("ur")
    assert mo.is_file(), "no .mo: reinstall with `pip install -e .` (hatch_build.py compiles it)"
    with open(mo, "rb") as f:
        cat = gettext.GNUTranslations(f)
    entries = em.read_po(PO)
    compiled = {k if isinstance(k, str) else k[0]: v for k, v in cat._catalog.items() if k}
    for msgid, strs in entries.items():
        if not msgid:
            continue
        if len(strs) == 1:
            assert compiled.get(msgid) == strs[0], msgid
        else:
            assert [cat._catalog[(msgid, i)] for i in range(len(strs))] == strs, msgid
    assert cat.info()["plural-forms"] == "nplurals=2; plural=(n != 1);"


def test_every_message_of_the_reports_is_translated():
    em = load_script("extract_messages")
    assert len(em.messages()) > 100
    assert em.missing(PO) == []
    assert em.main(["--check"]) == 0


def test_the_extractor_finds_a_new_message(tmp_path, monkeypatch):
    """The completeness check is not vacuous: a message no catalogue has is missing."""
    em = load_script("extract_messages")
    monkeypatch.setattr(em, "messages", lambda: [("A message nobody translated",)])
    assert em.missing(PO) == ["A message nobody translated"]


def test_urdu_words_and_plurals_come_from_the_catalogue():
    w = i18n.words("ur")
    assert w.rtl and w.dir == "rtl"
    assert w.gettext("Stage") == "مرحلہ"
    assert w.ngettext("gap of %(n)s level", "gap of %(n)s levels", 1) == "%(n)s سطح کا خلا"
    assert w.ngettext("gap of %(n)s level", "gap of %(n)s levels", 3) == "%(n)s سطحوں کا خلا"
    en = i18n.words("en")
    assert en.gettext("Stage") == "Stage" and not en.rtl


def test_isolates_keep_english_apart_in_right_to_left_text():
    w = i18n.words("ur")
    assert w.isolate("Embassy of Pakistan, Berlin") == "\u2068Embassy of Pakistan, Berlin\u2069"
    assert w.ltr("1 → 3") == "\u20661 → 3\u2069"
    assert i18n.words("en").isolate("x") == "x"


def test_a_missing_catalogue_is_a_clear_error(monkeypatch, tmp_path):
    from cyberdip.errors import CyberdipError

    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_CACHE", {})
    with pytest.raises(CyberdipError, match="reinstall cyberdip") as e:
        i18n.words("ur")
    assert (e.value.code, e.value.exit_code) == ("CD505", 3)


def test_rubric_words_fall_back_to_english_marked():
    class T:
        status = "draft"

        def lookup(self, key, english):
            return "پالیسی" if key == ("areas", "policy", "title") else None

    rw = RubricWords("ur", T())
    assert rw.area("policy", "Policy") == Localized("پالیسی", False)
    assert rw.area("outreach", "Outreach") == Localized("Outreach", True)
    assert RubricWords("ur").area("policy", "Policy") == Localized("Policy", True)
    assert RubricWords("en").area("policy", "Policy") == Localized("Policy", False)
