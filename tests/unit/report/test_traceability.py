"""The built-in rubric is traceable to the papers, and docs/traceability.md is fresh."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cyberdip.formats import documents
from cyberdip.report import traceability

ROOT = Path(__file__).resolve().parents[3]
RUBRIC = ROOT / "rubrics" / "cyberdip-core.yaml"
SCOPE = ROOT / "docs" / "traceability.yaml"
PAPERS = ROOT / "tests" / "data" / "papers"
MUNIR = PAPERS / "munir-mahmood-malik-2023-cyber-diplomacy-pakistan-foreign-policy.txt"
KHAN = PAPERS / "khan-siraj-abbas-2022-cyber-diplomacy-internet-social-media.txt"

RECOMMENDATIONS = [
    "National Cybersecurity Policy", "Global Integration", "Capacity Enhancement",
    "Public-Private Partnership", "Legal Framework", "Diplomatic Outreach",
    "Cybersecurity Awareness", "Incident Response and Attribution",
    "Cross-Sector Collaboration", "Regular Cybersecurity Exercises",
]
CHALLENGES = [
    "Technological Stagnation",
    "Elite Foreign Policy Circles' Reluctance towards Digital Integration",
    "Leadership Lapses", "Privacy Concerns",
]
INITIATIVES = ["Digital Dashboard", "Twitter Diplomacy", "e-Visa System",
               "Online Portal for Overseas Pakistanis", "Diplomats' digital training"]
KHAN_THEMES = [
    "Global norms and avoiding an arms race", "Confidence building and transparency",
    "Cyber ambassador", "Restructuring of foreign ministries",
    "SCO, ASEAN and the EU toolbox", "UN, OSCE, G20 and EU in the pandemic",
    "Malign information on social media", "Dialogic engagement",
    "International humanitarian law", "EU cyber diplomacy toolbox",
]
#: Themes version 1 cited beyond what the section says (issue 13): now out of scope,
#: each with its reason in docs/traceability.yaml.
KHAN_OUT_OF_SCOPE = [("Introduction", "Cyber insurance"),
                     ("Cyber Diplomacy and Media", "Capacity building (Pawlak)")]


@pytest.fixture(scope="module")
def rubric():
    return documents.load_rubric_file(RUBRIC)


@pytest.fixture(scope="module")
def cited(rubric):
    return traceability.table(rubric)


@pytest.fixture(scope="module")
def scope():
    return traceability.load_scope(SCOPE)


def test_docs_traceability_is_fresh(rubric, scope):
    committed = (ROOT / "docs" / "traceability.md").read_text(encoding="utf-8")
    assert committed == traceability.to_markdown(rubric, scope), (
        "docs/traceability.md is stale: run `python -m cyberdip.report.traceability`")


def test_built_in_rubric_has_seven_areas_a_national_context_and_30_to_65_criteria(rubric):
    assert [a.id for a in rubric.areas] == [
        "strategy", "capacity", "outreach", "cyber-diplomacy", "legal", "security",
        "incident-response", "national-context"]
    assert [a.id for a in rubric.areas if a.context] == ["national-context"]
    assert 30 <= rubric.count_criteria() <= 65


# -- every heading of both papers is traced ------------------------------------------

#: Markdown headings of the Munir text that are not sections: the title, the authors'
#: names and a stray link line.
MUNIR_NOT_SECTIONS = {"Cyber Diplomacy: Forging Pakistan's Foreign Policy in the Digital World",
                      "Shahzad Munir", "Muhammad Asghar Mahmood"}


def munir_headings() -> list[str]:
    """Munir's section headings as the rubric names them: a sub-heading of
    "Recommendations:" is "Recommendations: <sub-heading>". The conclusion is a run-in
    heading ("Conclusion." opening its paragraph)."""
    out, parent = [], None
    for line in MUNIR.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^#+\s+(.*)$", line)
        if m:
            text = re.sub(r"[*\\]", "", m.group(1)).strip().rstrip(":").strip()
            if text in MUNIR_NOT_SECTIONS or text.startswith("http"):
                continue
            if text == "Recommendations":
                parent = text
                continue
            if text == "References":
                parent = None
            out.append(f"{parent}: {text}" if parent else text)
        elif line.startswith("Conclusion."):
            parent = None
            out.append("Conclusion")
    return out


def khan_headings() -> list[str]:
    """Khan's headings are unmarked: a short line standing alone between blank lines,
    from the Abstract on, without a full stop; one is written as a link."""
    lines = KHAN.read_text(encoding="utf-8").splitlines()
    start = lines.index("Abstract")
    out = []
    for i in range(start, len(lines)):
        text = re.sub(r"^\[(.*)\]\(#\)$", r"\1", lines[i].strip())
        alone = (i + 1 == len(lines) or not lines[i + 1].strip()) and not lines[i - 1].strip()
        if (alone and text and len(text) < 80 and not text.endswith((".", ",", ")"))
                and not text.startswith(("-", "Keywords", "Pak. Journal", "("))):
            out.append(text.rstrip(":"))
    return out


def test_the_heading_parsers_find_every_section():
    assert munir_headings() == [
        "Abstract", "Introduction", "Cyber Diplomacy as a Foreign Policy Tool",
        "Cyber Diplomacy in Contemporary International Relations",
        "Pakistan's Digital Diplomacy: Prospects & Challenges", "Technological Stagnation",
        "Elite Foreign Policy Circles' Reluctance towards Digital Integration",
        "Leadership Lapses", "Privacy Concerns", *[f"Recommendations: {r}" for r in
                                                    RECOMMENDATIONS],
        "Conclusion", "References"]
    assert khan_headings() == [
        "Abstract", "Introduction", "Cyber-Diplomacy: A New Strategy of Influence",
        "Responding to cyber-attacks: Prospects for the international community",
        "Cyber Diplomacy and Media", "Cyber Diplomacy and Diplomatic Security", "Findings",
        "Conclusion", "References"]


@pytest.mark.parametrize(("ref", "headings"), [("munir2023", munir_headings),
                                               ("khan2022", khan_headings)])
def test_every_heading_of_both_papers_is_in_the_scope_in_order(scope, ref, headings):
    assert [s["section"] for s in scope["papers"][ref]] == headings()


@pytest.mark.parametrize(("ref", "heading"), [
    *[("munir2023", h) for h in munir_headings()], *[("khan2022", h) for h in khan_headings()]])
def test_every_heading_of_both_papers_is_in_docs_traceability(ref, heading):
    text = (ROOT / "docs" / "traceability.md").read_text(encoding="utf-8")
    papers = text.split("\n## ")
    block = next(b for b in papers if b.startswith(
        "Munir" if ref == "munir2023" else "Khan"))
    cell = heading.replace("|", "\\|")
    assert f"\n| {cell} | " in block


def test_every_section_and_item_is_cited_or_explained(rubric, scope):
    assert traceability.problems(rubric, scope) == []
    md = traceability.to_markdown(rubric, scope)
    assert "not covered, and no reason given" not in md


@pytest.mark.parametrize(("section", "topic"), KHAN_OUT_OF_SCOPE)
def test_version_1_overreaching_khan_themes_are_out_of_scope_with_a_reason(
        cited, scope, section, topic):
    assert topic not in cited["khan2022"].get(section, {})
    sec = next(s for s in scope["papers"]["khan2022"] if s["section"] == section)
    item = next(i for i in sec["items"] if i["topic"] == topic)
    assert len(item["out_of_scope"].split()) >= 8


ISSUE_13_TOPICS = ["Internet governance", "Internet freedom and human rights online",
                   "Mediation and conflict management", "Nation branding", "Cyber deterrence",
                   "Youth and talent base (64% under thirty)", "Censorship and blackouts",
                   "International humanitarian law", "Public attribution (the EU calling out)",
                   "Digital Pakistan and e-governance", "The Digital Media Wing"]


ISSUE_20_TOPICS = [
    "Accession to and harmonisation with international cyber and cybercrime instruments",
    "Data-protection and information-security legislation",
    "Cyber capacity building as foreign policy (the ministry as provider)",
    "Social media as a source for diplomatic reporting",
    "Diplomats' job profiles, recruitment and retention of digital staff",
    "Implementing and reporting on the UN framework of responsible state behaviour",
    "Sanctions and countermeasures among responses", "Foreign correspondents",
    "Technical attachés", "Online harassment of staff", "Accessibility of official channels",
    "Forum work at permanent missions to international organisations"]


@pytest.mark.parametrize("topic", ISSUE_13_TOPICS + ISSUE_20_TOPICS)
def test_every_topic_the_rubric_missed_is_covered_or_explained(rubric, scope, topic):
    t = next(t for t in scope["topics"] if t["topic"] == topic)
    assert set(t.get("criteria", [])) <= set(rubric.criterion_ids())
    assert t.get("criteria") or t.get("out_of_scope")


@pytest.mark.parametrize("section", [f"Recommendations: {r}" for r in RECOMMENDATIONS])
def test_every_recommendation_area_of_munir_2023_is_cited(cited, section):
    assert section in cited["munir2023"]


@pytest.mark.parametrize("section", CHALLENGES)
def test_every_challenge_of_munir_2023_is_cited(cited, section):
    assert section in cited["munir2023"]


@pytest.mark.parametrize("topic", INITIATIVES)
def test_every_mofa_initiative_is_cited(cited, topic):
    section = cited["munir2023"]["Cyber Diplomacy in Contemporary International Relations"]
    assert section.get(topic)


@pytest.mark.parametrize("topic", KHAN_THEMES)
def test_every_theme_of_khan_2022_is_cited(cited, topic):
    assert any(topic in topics for topics in cited["khan2022"].values())


@pytest.mark.parametrize("tag", ["technological-stagnation", "elite-reluctance",
                                 "leadership-lapses", "privacy-concerns"])
def test_each_challenge_tag_is_used(rubric, tag):
    assert sum(tag in c.tags for _, c in rubric.criteria()) >= 2


@pytest.mark.parametrize("figure", [
    "30%", "500,000", "150 ", "79th", "National Cyber Security Policy 2021",
    "Prevention of Electronic Crimes Act 2016"])
def test_the_papers_figures_appear_in_the_rubric(figure):
    assert figure in RUBRIC.read_text(encoding="utf-8")


def test_papers_thirty_percent_of_missions_is_a_low_level(rubric):
    c = next(c for _, c in rubric.criteria() if c.id == "outreach.missions-active")
    assert c.metric.level_for(30, rubric.lowest) <= 2


@pytest.mark.parametrize(("cid", "figure"), [("outreach.missions-active", 30),
                                             ("capacity.mission-staff-trained", 30)])
def test_no_paper_figure_sits_on_a_band_boundary(rubric, cid, figure):
    c = next(c for _, c in rubric.criteria() if c.id == cid)
    assert figure not in c.metric.thresholds.values()


@pytest.mark.parametrize("figure", ["30%", "500,000", "five lac", "79th", "PECA", "150 "])
def test_the_papers_figures_stay_out_of_indicators_levels_and_questions(rubric, figure):
    for _, c in rubric.criteria():
        texts = [c.question, *c.question_for.values(), *c.levels.values(),
                 *c.recommendations.values(), *(i.text for _, i in c.indicator_list())]
        assert not [t for t in texts if figure in t], c.id


def test_to_markdown_shows_out_of_scope_and_uncovered_sections_in_paper_order(rubric):
    scope = {"papers": {"munir2023": [
        {"section": "Zeta first", "out_of_scope": "A reason."},
        {"section": "Leadership Lapses"},
        {"section": "Alpha uncovered", "items": [{"topic": "An item", "out_of_scope": "Why."}]},
    ]}}
    md = traceability.to_markdown(rubric, scope)
    rows = [ln for ln in md.splitlines() if ln.startswith(("| Zeta", "| Leadership", "| Alpha"))]
    assert rows[0] == "| Zeta first | — | *Out of scope:* A reason. |"
    assert rows[1].startswith("| Leadership Lapses | — | `")
    assert rows[2] == "| Alpha uncovered | — | **not covered, and no reason given** |"
    assert rows[3] == "| Alpha uncovered | An item | *Out of scope:* Why. |"
    problems = traceability.problems(rubric, scope)
    assert "munir2023: 'Alpha uncovered' is cited by no criterion and has no out_of_scope " \
        "reason" in problems
    assert any("'Privacy Concerns' is not a section of the paper" in p for p in problems)
