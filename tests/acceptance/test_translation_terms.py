"""The Urdu translations use one rendering per term: the term list for translators
(docs/translation/ur-terms.yaml) is checked against every Urdu string that ships, in
the rubric translations (rubrics/*.ur.yaml) and in the report catalogue (.po)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, load_script

TERMS = ROOT / "docs" / "translation" / "ur-terms.yaml"
PO = ROOT / "cyberdip" / "locale" / "ur" / "LC_MESSAGES" / "cyberdip.po"
RUBRIC_TRANSLATIONS = sorted((ROOT / "rubrics").glob("*.ur.yaml"))


def term_list() -> dict:
    return yaml.safe_load(TERMS.read_text(encoding="utf-8"))


def pairs_of(node, where=()) -> list[tuple[str, str, str]]:
    """Every (where, English, Urdu) pair of a rubric translation: a mapping with `en`
    and `ur`."""
    out = []
    if isinstance(node, dict):
        if isinstance(node.get("en"), str) and isinstance(node.get("ur"), str):
            return [(".".join(map(str, where)), node["en"], node["ur"])]
        for k, v in node.items():
            out += pairs_of(v, (*where, k))
    return out


def all_pairs() -> list[tuple[str, str, str]]:
    out = []
    for path in RUBRIC_TRANSLATIONS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [(f"{path.name}:{w}", en, ur) for w, en, ur in pairs_of(data)]
    em = load_script("extract_messages")
    for msgid, strs in em.read_po(PO).items():
        if msgid:
            out += [(f"{PO.name}:{msgid[:40]}", msgid, s) for s in strs if s]
    return out


def pattern(term: dict) -> re.Pattern:
    return re.compile(r"\b(?:" + term.get("match", re.escape(term["en"])) + r")\b", re.I)


def problems(pairs, terms: dict) -> list[str]:
    """What in ``pairs`` breaks the term list, one line each."""
    out = []
    for where, en, ur in pairs:
        en = re.sub(r"%\(\w+\)s", "", en)  # a catalogue's fields are not words
        for t in terms["terms"]:
            if not pattern(t).search(en):
                continue
            if not any(form in ur for form in t["ur"]):
                out.append(f"{where}: `{t['en']}` is not rendered {t['ur'][0]}: {ur[:60]}")
            if any(u.lower() in en.lower() for u in t.get("unless", [])):
                continue
            for bad in t.get("forbidden", []):
                if bad in ur:
                    out.append(f"{where}: `{t['en']}` rendered {bad}, forbidden: {ur[:60]}")
        for n in terms.get("never", []):
            if n["ur"] in ur:
                out.append(f"{where}: {n['ur']} is never used ({n['note']})")
    return out


def test_the_term_list_is_well_formed():
    terms = term_list()
    assert len(terms["terms"]) >= 10
    seen = set()
    for t in terms["terms"]:
        assert set(t) <= {"en", "match", "ur", "forbidden", "unless", "note"}, t["en"]
        assert t["en"] not in seen
        seen.add(t["en"])
        assert t["ur"] and t["note"].strip()
        assert pattern(t).search(t["en"]), f"`{t['en']}` does not match its own pattern"
        assert not set(t["ur"]) & set(t.get("forbidden", [])), t["en"]


@pytest.mark.parametrize("path", [*RUBRIC_TRANSLATIONS, PO], ids=lambda p: Path(p).name)
def test_every_urdu_string_uses_the_term_list(path):
    pairs = [p for p in all_pairs() if p[0].startswith(Path(path).name + ":")]
    assert pairs
    assert problems(pairs, term_list()) == []


def test_the_check_finds_a_second_rendering_and_a_missing_one():
    """The check is not vacuous: each of the renderings the issue found is caught."""
    terms = term_list()
    bad = [("x", "Upkeep of official channels", "سرکاری ذرائع کی دیکھ بھال"),
           ("x", "Readiness index", "تیاری کا اشاریہ"),
           ("x", "Unit for cyber affairs", "سائبر امور کا شعبہ"),
           ("x", "Two-way engagement", "دو طرفہ رابطہ"),
           ("x", "New tools", "نئے آلات"),
           ("x", "Point of contact for cyber incidents", "سائبر واقعات کے لیے رابطے کا مرکز")]
    for pair in bad:
        assert problems([pair], terms), pair[1]
    good = [("x", "Upkeep of official channels", "سرکاری چینلز کی دیکھ بھال"),
            ("x", "Readiness index", "تیاری کا انڈیکس")]
    assert problems(good, terms) == []
