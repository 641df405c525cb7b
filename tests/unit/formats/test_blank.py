"""The blank assessment `init` writes: every question asked of the profile, ready to
fill in, and valid as it stands."""

from __future__ import annotations

from pathlib import Path

import pytest

from cyberdip import yamlio
from cyberdip.formats import documents
from cyberdip.formats.blank import blank_assessment
from cyberdip.model import assessment as amod

DATA = Path(__file__).resolve().parents[2] / "data"
FORMAT2 = DATA / "rubrics" / "format2.yaml"


def _blank(profile: str | None = None) -> tuple[str, dict]:
    rubric = documents.rubric_at(FORMAT2)
    text = blank_assessment(rubric, "format2.yaml", profile)
    return text, yamlio.parse(text.encode(), "blank.yaml").data


def test_a_format2_blank_lists_criteria_inside_groups_and_indicators_by_id():
    text, data = _blank()
    assert data["profile"] == "headquarters"
    assert set(data["answers"]) == {"policy.strategy", "policy.law", "outreach.reach",
                                    "outreach.replies", "national.strategy"}
    # indicators are answered one by one, each under its level and text
    assert data["answers"]["policy.strategy"]["indicators"] == {
        "drafted": None, "adopted": None, "funded": None, "owned": None, "reviewed": None}
    assert "# level 3 (Established): A named unit owns the strategy." in text
    # a choice criterion is answered with `answer:`, its options listed
    assert data["answers"]["outreach.replies"] == {"answer": None, "evidence": []}
    assert "# Answer: one of NO, PART, YES." in text
    assert "national context" in text and "# [Core documents]" in text


def test_a_mission_blank_asks_only_a_missions_questions_in_its_words():
    text, data = _blank("mission")
    assert data["profile"] == "mission"
    assert "policy.law" not in data["answers"]
    assert "# Does your mission run an active official account?" in text


@pytest.mark.parametrize("profile", [None, "mission"])
def test_a_blank_is_a_valid_assessment_as_it_stands(profile):
    text, _ = _blank(profile)
    doc = yamlio.parse(text.encode(), str(FORMAT2.parent / "blank.yaml"))
    a, problems = amod.validate(doc)
    assert problems == [] and a is not None
    rubric = documents.rubric_at(FORMAT2)
    assert [p for p in amod.check(a, rubric, doc) if p.level == "error"] == []
