"""The format-2 worked examples of docs/scoring.md, read from the doc itself: the engine
must give every figure the doc works out by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cyberdip import yamlio
from cyberdip.engine.scoring import score
from cyberdip.model.assessment import Assessment
from cyberdip.model.loading import rubric_from_document

DOC = Path(__file__).resolve().parents[3] / "docs" / "scoring.md"


def block(marker: str) -> str:
    m = re.search(rf"<!-- {marker} -->\s*```\w*\n(.*?)```", DOC.read_text("utf-8"), re.S)
    assert m, f"docs/scoring.md has no block after <!-- {marker} -->"
    return m.group(1)


def scored(rubric_marker: str, assessment_text: str):
    rubric = rubric_from_document(yamlio.parse(block(rubric_marker).encode(), "rubric.yaml"))
    data = yamlio.parse(assessment_text.encode(), "a.yaml").data
    return score(rubric, Assessment.model_validate(data))


def results(marker: str) -> list[list[str]]:
    return [line.split() for line in block(marker).strip().splitlines()]


def test_the_format2_example_gives_every_figure_worked_by_hand():
    card = scored("example2-rubric", block("example2-assessment"))
    areas = {a.id: a for a in card.areas}
    groups = {g.id: g for g in card.groups}
    gaps = {g.id: g for g in card.gaps}
    lines = results("example2-results")
    assert len(lines) == 10
    for words in lines:
        kind = words[0]
        if kind == "area" and "context" in words:
            a = areas[words[1]]
            assert a.context and a.stage is None and f"{a.score:.2f}" == words[3]
        elif kind == "area":
            a = areas[words[1]]
            assert [f"{a.score:.2f}", f"{a.target_score:.2f}", str(a.stage),
                    f"{a.coverage:g}"] == [words[3], words[5], words[7], words[9]]
        elif kind == "group":
            assert f"{groups[words[1]].score:.2f}" == words[3]
        elif kind == "index":
            assert (f"{card.index:.2f}", card.band and card.band.name) == (words[1], words[3])
        elif kind == "stage":
            assert str(card.stage) == words[1]
        elif kind == "gap":
            g = gaps[words[1]]
            assert f"{g.priority:g}" == words[3]
            if "step" in words:
                assert g.steps == [" ".join(words[5:])]
        elif kind == "rollup":
            r = next(r for r in card.rollups if r.framework == words[1])
            item = next(i for i in r.items if i.item == words[2])
            assert f"{item.score:.2f}" == words[3]
    # the gaps are in the order the doc lists them, and the context area makes none
    assert [g.id for g in card.gaps] == [w[1] for w in lines if w[0] == "gap"]
    assert card.coverage == 100 and not card.provisional


def test_the_format2_example_as_a_mission_leaves_out_what_a_mission_is_not_asked():
    text = block("example2-assessment").replace("profile: headquarters", "profile: mission")
    text = re.sub(r"  policy.law:.*\n", "", text)
    card = scored("example2-rubric", text)
    assert "policy.law" not in {c.id for c in card.criteria}
    policy = next(a for a in card.areas if a.id == "policy")
    assert policy.score == 50.0
    assert card.profile == "mission" and card.profile_name == "Mission abroad"


def test_the_practices_example_reaches_mil1_held_by_the_partial_mil2_practice():
    card = scored("example3-rubric", block("example3-assessment"))
    (area,) = card.areas
    want = results("example3-results")[0]
    assert (area.id, str(area.stage), area.gating) == (want[1], want[3], want[5:])


def test_the_practices_example_falls_to_mil0_when_a_mil1_practice_is_blank():
    words = results("example3-results")[1]
    text = re.sub(rf"  {words[1]}:.*\n", "", block("example3-assessment"))
    card = scored("example3-rubric", text)
    assert str(card.areas[0].stage) == words[3]


@pytest.mark.parametrize("marker", ["example2-rubric", "example3-rubric"])
def test_the_worked_rubrics_are_valid_format_2(marker):
    rubric = rubric_from_document(yamlio.parse(block(marker).encode(), "rubric.yaml"))
    assert rubric.format == 2


def test_still_to_show_lists_only_what_is_above_the_level_claimed():
    """A criterion answered `level: 2` has claimed its level-1 and level-2 indicators:
    what is still to show for level 3 is level 3's alone."""
    card = scored("example2-rubric", """
rubric: worked-example-2
organisation: {name: m}
answers:
  policy.strategy: {level: 2}
""")
    r = next(c for c in card.criteria if c.id == "policy.strategy")
    assert (r.level, r.next_level) == (2, 3)
    assert r.missing == ["The strategy has a budget line.", "A named unit owns the strategy."]
    gap = next(g for g in card.gaps if g.id == "policy.strategy")
    assert gap.steps == r.missing
    # answered indicator by indicator, an unmet indicator below the level still shows
    card = scored("example2-rubric", """
rubric: worked-example-2
organisation: {name: m}
answers:
  policy.strategy: {indicators: {drafted: true, adopted: false, funded: true}}
""")
    r = next(c for c in card.criteria if c.id == "policy.strategy")
    assert (r.level, r.next_level) == (1, 2)
    assert r.missing == ["The strategy is formally adopted."]
