"""`cyberdip report --lang ur`: an Urdu report has no English left in it, except what
is not the rubric's or the report's to translate.

Every text node of the HTML report is read. A run of Latin letters in it is allowed
only when it is one of these, and the test says which it was:

* **the user's own text**: what the assessment says (organisation, unit, country,
  period, assessors, evidence, notes, owners, reasons), as written;
* **a citation**: a source's author-year label, section and topic as the paper heads
  them, and the bibliography (titles, venues, links): they name published work;
* **an id**: a node that is exactly a criterion, rubric, framework, item or answer id,
  or the rubric's fingerprint, the tool's version;
* **a token of the allow-list below**, each with its reason: names and acronyms an
  Urdu text writes in Latin letters, and the report's own EN marker.

No node may be marked untranslated (the EN fall-back), whatever its script.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser

import pytest

from tests.conftest import ROOT

BASELINE = ROOT / "examples" / "pakistan-mofa-2023.yaml"
MISSIONS = sorted((ROOT / "examples" / "missions").glob("*.yaml"))
PERMANENT = sorted((ROOT / "examples" / "permanent-missions").glob("*.yaml"))

#: Latin tokens an Urdu report may hold in its own or the rubric's words, and why.
ALLOWED = {
    "cyberdip": "the tool's name",
    "sha256": "the name of the hash printed before the rubric's fingerprint",
    "strict": "the command-line option --strict, quoted as typed",
    "EN": "the marker of an untranslated string, explained in the footer",
    "L": "the variable for a level in the method's formula",
    "ITU": "acronym: International Telecommunication Union",
    "GCI": "acronym: the ITU's Global Cybersecurity Index",
    "NIST": "acronym: the US National Institute of Standards and Technology",
    "GGE": "acronym: the UN Group of Governmental Experts",
    "A/70/174": "the symbol of a UN document",
    "ICT": "acronym: information and communication technology, as the UN norms write it",
    "CERT": "acronym: computer emergency response team",
    "CSIRT": "acronym: computer security incident response team",
    "CMM": "acronym: the Oxford Cybersecurity Capacity Maturity Model",
    "GCSCC": "acronym: the Global Cyber Security Capacity Centre",
    "AI": "acronym: artificial intelligence",
    "IT": "acronym: information technology",
    "OEWG": "acronym: the UN Open-ended Working Group on ICT security",
    "GFCE": "acronym: the Global Forum on Cyber Expertise",
    "UNIDIR": "acronym: the UN Institute for Disarmament Research",
    "UNODC": "acronym: the UN Office on Drugs and Crime",
    "OSCE": "acronym: the Organization for Security and Co-operation in Europe",
    "ICRC": "acronym: the International Committee of the Red Cross",
    "WCAG": "acronym: the Web Content Accessibility Guidelines",
    "FIRST": "the name of the Forum of Incident Response and Security Teams",
    "13a": "the id of a UN GGE 2015 norm", "13e": "the id of a UN GGE 2015 norm",
    "13k": "the id of a UN GGE 2015 norm",
    "PR.AT": "a NIST CSF 2.0 category id", "RS.AN": "a NIST CSF 2.0 category id",
    "GV.PO": "a NIST CSF 2.0 category id", "PR.DS": "a NIST CSF 2.0 category id",
    "ID.IM": "a NIST CSF 2.0 category id", "ID.RA": "a NIST CSF 2.0 category id",
    "RC": "a NIST CSF 2.0 function id",
}
LATIN = re.compile(r"(?<![A-Za-z0-9])[0-9]*[A-Za-z][A-Za-z0-9]*(?:[./][A-Za-z0-9]+)*")
SKIP = {"style", "script", "title"}  # <title> repeats the h1 and the rubric title


class Nodes(HTMLParser):
    """Every text node with the classes of the elements around it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.nodes: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "img", "meta", "link", "input", "hr", "wbr"):
            self.stack.append((tag, dict(attrs).get("class") or ""))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip():
            self.nodes.append((data.strip(), list(self.stack)))


def known_strings(card: dict) -> tuple[list[str], list[str], set[str]]:
    """From the scorecard: the user's own texts, the citations, and the ids."""
    org = card["organisation"]
    user = [org.get("name"), org.get("unit"), org.get("country"), card.get("period"),
            card.get("date"), card.get("marking"), *card.get("assessors", [])]
    cites: list[str] = []
    ids = {card["rubric"]["id"], card["rubric"]["sha256"][:16], card["cyberdip_version"]}
    for c in card["criteria"]:
        ids |= {c["id"], c.get("answer")}
        user += [e["text"] for e in c["evidence"]]
        user += [c.get(k) for k in ("notes", "owner", "due", "not_applicable_reason")]
        for i in c["indicators"]:
            user += [e["text"] for e in i["evidence"]]
        for s in c["sources"]:
            cites += [s["citation"], s["section"], s.get("topic")]
        for m in c["crosswalk"]:
            ids |= {m["framework"], m["item"]}
    for g in card["gaps"]:
        for s in g["sources"]:
            cites += [s["citation"], s["section"], s.get("topic")]
    for b in card["bibliography"]:
        cites += [b["citation"], b["title"], b.get("venue"), b.get("link")]
    for r in card["rollups"]:
        ids |= {r["framework"], *(i["item"] for i in r["items"])}
    return ([u for u in user if u], [c for c in cites if c], {i for i in ids if i})


def english_left(html: str, card: dict) -> tuple[list[str], dict[str, int]]:
    """The Latin runs of the report that are none of the allowed kinds, and a count of
    the allowed ones by kind (so a test can see the check was exercised)."""
    p = Nodes()
    p.feed(html)
    user, cites, ids = known_strings(card)
    seen = {"user": 0, "citation": 0, "id": 0, "allowed": 0, "urdu": 0}
    bad = []
    known = sorted({(s, "user") for s in user if len(s) > 2}
                   | {(s, "citation") for s in cites if len(s) > 2},
                   key=lambda x: (-len(x[0]), x))
    for text, stack in p.nodes:
        if any(tag in SKIP for tag, _ in stack):
            continue
        if any("untranslated" in cls.split() for _, cls in stack):
            bad.append(f"marked untranslated: {text[:80]}")
            continue
        if re.search("[\u0600-\u06ff]", text):
            seen["urdu"] += 1
        if not LATIN.search(text):
            continue
        if text in ids or text.strip("()") in ids:
            seen["id"] += 1
            continue
        rest = text
        for s, kind in known:  # longest first: a citation can hold the country's name
            if s in rest:
                rest = rest.replace(s, " ")
                seen[kind] += 1
        for token in LATIN.findall(rest):
            if token in ALLOWED:
                seen["allowed"] += 1
            else:
                bad.append(f"{token!r} in {text[:80]!r} ({' > '.join(t for t, _ in stack[-3:])})")
    return bad, seen


def urdu_report(cli, tmp_path, assessment, *extra):
    out = tmp_path / "ur.html"
    r = cli("report", assessment, "--lang", "ur", "-o", out, *extra)
    assert r.stdout == "" and r.code in (0, 1)
    assert r.stderr.splitlines()[-1].startswith(f"wrote {out}: html report")
    js = tmp_path / "card.json"
    assert cli("report", assessment, "-o", js).code in (0, 1)
    return out.read_text(encoding="utf-8"), json.loads(js.read_text(encoding="utf-8"))


def test_the_urdu_report_of_the_baseline_has_no_english_but_names_citations_and_ids(
        cli, tmp_path):
    html, card = urdu_report(cli, tmp_path, BASELINE)
    bad, seen = english_left(html, card)
    assert bad == []
    # the check saw every kind it allows, and a report that is mostly Urdu
    assert seen["user"] and seen["citation"] and seen["id"] and seen["allowed"]
    assert seen["urdu"] > 300
    # the strings that had no place in the translation format before are in Urdu now
    for urdu in ("اعتماد سازی کا اقدام", "صدر دفتر", "سرکاری چینل", "تیاری کا انڈیکس",
                 "قانونی اقدامات", "ذیلی حصہ"):
        assert urdu in html, urdu


@pytest.mark.parametrize("assessment", MISSIONS + PERMANENT, ids=lambda p: p.stem)
def test_a_mission_report_asks_the_mission_worded_questions_in_urdu(cli, tmp_path,
                                                                    assessment):
    html, card = urdu_report(cli, tmp_path, assessment)
    bad, _seen = english_left(html, card)
    assert bad == []
    assert card["profile"] in ("mission", "permanent-mission")
    assert "آپ کے مشن" in html  # "your mission": the question_for wording, translated


def test_the_check_finds_english_the_translation_leaves_out(cli, tmp_path):
    """The check is not vacuous: with a glossary entry and a profile name taken out of
    the translation, the report shows them in English, marked, and the check says so."""
    rubric = ROOT / "rubrics" / "cyberdip-core.yaml"
    shutil.copy(rubric, tmp_path / "cyberdip-core.yaml")
    ur = (ROOT / "rubrics" / "cyberdip-core.ur.yaml").read_text(encoding="utf-8")
    cut = re.sub(r"\n  attribution:\n(    .*\n)+", "\n", ur, count=1)
    assert cut != ur
    (tmp_path / "cyberdip-core.ur.yaml").write_text(cut, encoding="utf-8")
    out = tmp_path / "x.html"
    r = cli("report", BASELINE, "--rubric", tmp_path / "cyberdip-core.yaml", "--lang", "ur",
            "-o", out)
    assert r.code in (0, 1) and r.stdout == ""
    assert "the Urdu translation covers" in r.stderr
    js = tmp_path / "card.json"
    cli("report", BASELINE, "--rubric", tmp_path / "cyberdip-core.yaml", "-o", js)
    bad, _ = english_left(out.read_text(encoding="utf-8"), json.loads(js.read_text()))
    assert any("marked untranslated: attribution" in b for b in bad)
    assert any("Deciding, and possibly saying in public" in b for b in bad)


def test_an_english_word_outside_the_allowed_kinds_is_reported():
    card = {"organisation": {"name": "Ministry X"}, "assessors": [], "criteria": [],
            "gaps": [], "bibliography": [], "rollups": [],
            "rubric": {"id": "r", "sha256": "0" * 64}, "cyberdip_version": "0"}
    html = ("<p>Ministry X کی رپورٹ</p><p>ITU کا انڈیکس</p><p>Readiness index</p>"
            '<p><span class="untranslated">انڈیکس</span></p>')
    bad, seen = english_left(html, card)
    assert [b.split(" in ")[0] for b in bad[:2]] == ["'Readiness'", "'index'"]
    assert bad[2].startswith("marked untranslated")
    assert seen["user"] == 1 and seen["allowed"] == 1
