"""The built-in rubric is traceable to the papers, and docs/traceability.md is fresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from cyberdip.formats import documents
from cyberdip.report import traceability

ROOT = Path(__file__).resolve().parents[3]
RUBRIC = ROOT / "rubrics" / "cyberdip-core.yaml"

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
    "Cyber ambassador and ministry restructuring",
    "UN, SCO, ASEAN and the EU Cyber Diplomacy Toolbox",
    "Malign information on social media", "Dialogic engagement",
    "Capacity building as foreign policy", "Cyber insurance",
]


@pytest.fixture(scope="module")
def rubric():
    return documents.load_rubric_file(RUBRIC)


@pytest.fixture(scope="module")
def cited(rubric):
    return traceability.table(rubric)


def test_docs_traceability_is_fresh(rubric):
    committed = (ROOT / "docs" / "traceability.md").read_text(encoding="utf-8")
    assert committed == traceability.to_markdown(rubric), (
        "docs/traceability.md is stale: run `python -m cyberdip.report.traceability`")


def test_built_in_rubric_has_the_six_areas_and_30_to_50_criteria(rubric):
    assert [a.id for a in rubric.areas] == [
        "policy", "capacity", "legal", "outreach", "awareness", "incident-response"]
    assert 30 <= rubric.count_criteria() <= 50


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
    c = next(c for _, c in rubric.criteria() if c.id == "outreach.missions-on-social-media")
    assert c.metric.level_for(30, rubric.lowest) <= 2
