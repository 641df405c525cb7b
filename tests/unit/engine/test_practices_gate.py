"""The `practices` stage gate (C2M2's MIL rule, as CISA's CSET applies it), checked
against a second implementation written here from the rule's statement alone.

The rule, as docs/rubric-format.md and issue 12 state it: "A domain reaches MIL L when
every practice at MIL L or below is Fully or Largely implemented, and MIL L-1 is reached
too." With ``unanswered: lowest`` a blank answer counts as not implemented (CSET counts
an unanswered practice with the partial and not-implemented ones). With ``unanswered:
ignore`` a blank answer is left out, and, in the words of the engine's
``_practices_stage`` docstring, "a stage with no criterion left to show it cannot be
reached".

Every answer combination of a small domain (MIL1: 2 practices, MIL2: 2, MIL3: 1; each
answered FI, LI, PI, NI or left blank: 5**5 = 3,125) is scored by the engine under both
options and compared with the rule below.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from cyberdip import yamlio
from cyberdip.engine.scoring import score
from cyberdip.formats import documents
from cyberdip.model.assessment import Assessment

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "frameworks" / "c2m2-style"

ANSWERS = ("FI", "LI", "PI", "NI", None)  # None: left blank
IMPLEMENTED = {"FI", "LI"}  # "Fully or Largely implemented"
#: The small domain: (practice id, its MIL).
SMALL = (("p1a", 1), ("p1b", 1), ("p2a", 2), ("p2b", 2), ("p3a", 3))
MILS = (1, 2, 3)


# -- the rule, written from its statement ------------------------------------------------


def reached_mil(practices: list[tuple[int, str | None]], unanswered: str) -> int | None:
    """The domain's MIL under the documented rule; ``practices`` is (MIL, answer or None).

    With ``ignore`` and not one practice answered, nothing is assessed and the domain
    has no MIL (None), as with every other stage gate: an area with no assessed
    criterion has no stage.
    """
    if unanswered == "lowest":
        counted = [(mil, ans in IMPLEMENTED) for mil, ans in practices]
    else:
        counted = [(mil, ans in IMPLEMENTED) for mil, ans in practices if ans is not None]
        if not counted:
            return None
    reached = 0  # MIL0: no practice needs to be implemented for it
    for level in MILS:
        at_level = [ok for mil, ok in counted if mil == level]
        at_or_below = [ok for mil, ok in counted if mil <= level]
        # a MIL with no practice left to show it is not reached
        if reached == level - 1 and at_level and all(at_or_below):
            reached = level
        else:
            break
    return reached


def holding_back(practices: list[tuple[str, int, str | None]], unanswered: str,
                 mil: int) -> list[str]:
    """The practices that keep the domain from the MIL above ``mil``: those at that
    MIL that do not count as implemented (blank ones only with ``lowest``)."""
    return sorted(pid for pid, m, ans in practices if m == mil + 1 and ans not in IMPLEMENTED
                  and (ans is not None or unanswered == "lowest"))


def test_the_rule_as_written_gives_the_documented_case():
    # the rule itself, before comparing the engine with it
    case = [(1, "LI"), (1, "LI"), (1, "FI"), (2, "FI"), (2, "PI"), (3, "FI")]
    assert reached_mil(case, "lowest") == 1
    assert reached_mil(case, "ignore") == 1
    assert reached_mil([(1, "FI"), (2, None), (3, "FI")], "lowest") == 1
    assert reached_mil([(1, "FI"), (2, None), (3, "FI")], "ignore") == 1  # no MIL2 practice
    assert reached_mil([(1, "FI"), (2, "LI"), (2, None), (3, "FI")], "ignore") == 3
    assert reached_mil([(1, None), (2, "FI")], "lowest") == 0
    assert reached_mil([(1, None), (2, None)], "ignore") is None


# -- the engine --------------------------------------------------------------------------


def _rubric_doc(unanswered: str) -> dict:
    """The small domain as a format-2 rubric, with the example's answer scale."""
    shipped = yamlio.load(EXAMPLE / "rubric.yaml").data
    return {
        "format": 2, "id": f"small-domain-{unanswered}", "title": "Small domain",
        "version": "1.0.0", "description": "Five practices at MIL1 to MIL3.",
        "labels": {"index": "implementation score", "stage": "MIL"},
        "sources": {"c2m2": shipped["sources"]["c2m2"]},
        "scale": shipped["scale"],
        "answer_scales": shipped["answer_scales"],
        "scoring": {"stage_gate": "practices", "unanswered": unanswered},
        "areas": [{
            "id": "DOMAIN", "title": "Domain",
            "criteria": [{"id": pid, "question": f"Is practice {pid} performed?",
                          "kind": "choice", "answer_scale": "fi-li-pi-ni", "stage": mil,
                          "sources": [{"ref": "c2m2", "section": "Maturity Indicator Levels"}]}
                         for pid, mil in SMALL]}],
    }


@pytest.fixture(scope="module", params=["lowest", "ignore"])
def small(request, tmp_path_factory):
    """The small domain's rubric, loaded and fully checked as a file."""
    path = tmp_path_factory.mktemp("rubric") / f"small-{request.param}.yaml"
    path.write_text(yamlio.dump(_rubric_doc(request.param)), encoding="utf-8")
    rubric = documents.load_rubric_file(path)
    assert rubric.scoring.unanswered == request.param
    return request.param, rubric


def _assessment(answers: dict[str, str | None]) -> Assessment:
    return Assessment.model_validate({
        "rubric": "small.yaml", "organisation": {"name": "Test"},
        "answers": {pid: {"answer": a} for pid, a in answers.items() if a is not None}})


def test_engine_agrees_with_the_rule_on_every_answer_combination(small):
    unanswered, rubric = small
    disagreements = []
    combos = list(itertools.product(ANSWERS, repeat=len(SMALL)))
    assert len(combos) == 3125
    for combo in combos:
        card = score(rubric, _assessment(dict(zip((p for p, _ in SMALL), combo, strict=True))))
        (area,) = card.areas
        want = reached_mil([(mil, a) for (_, mil), a in zip(SMALL, combo, strict=True)],
                           unanswered)
        got = area.stage
        if got != want:
            disagreements.append(f"{combo}: engine {got}, rule {want}")
            continue
        assert card.stage == area.stage
        if want is not None:
            rows = [(pid, mil, a) for (pid, mil), a in zip(SMALL, combo, strict=True)]
            if sorted(area.gating) != holding_back(rows, unanswered, want):
                disagreements.append(f"{combo}: engine names {area.gating} as holding "
                                     f"MIL{want} back, rule "
                                     f"{holding_back(rows, unanswered, want)}")
    assert not disagreements, (f"{len(disagreements)} disagreement(s) with "
                               f"unanswered: {unanswered}; first: {disagreements[:5]}")


def test_every_mil_is_reached_by_some_combination(small):
    # the enumeration above is not vacuous: each outcome occurs
    unanswered, rubric = small
    seen = set()
    for combo in itertools.product(ANSWERS, repeat=len(SMALL)):
        card = score(rubric, _assessment(dict(zip((p for p, _ in SMALL), combo, strict=True))))
        seen.add(card.areas[0].stage)
    assert seen == ({0, 1, 2, 3} if unanswered == "lowest" else {None, 0, 1, 2, 3})


def test_a_blank_answer_fails_its_mil_under_lowest_and_not_under_ignore(small):
    unanswered, rubric = small
    all_fi = {pid: "FI" for pid, _ in SMALL}
    assert score(rubric, _assessment(all_fi)).areas[0].stage == 3
    blank_mil2 = {**all_fi, "p2b": None}
    blank_mil1 = {**all_fi, "p1a": None}
    got2 = score(rubric, _assessment(blank_mil2)).areas[0]
    got1 = score(rubric, _assessment(blank_mil1)).areas[0]
    if unanswered == "lowest":
        assert (got2.stage, got2.gating) == (1, ["p2b"])
        assert (got1.stage, got1.gating) == (0, ["p1a"])
    else:
        # left out: the other practice at that MIL still shows it
        assert (got2.stage, got1.stage) == (3, 3)
        # and a MIL whose only practice is blank cannot be reached
        assert score(rubric, _assessment({**all_fi, "p3a": None})).areas[0].stage == 2


# -- the shipped example -------------------------------------------------------------------


def test_shipped_example_gives_mil1_for_the_documented_case(cli):
    """"MIL1 practices LI, LI, FI; MIL2 FI, PI; MIL3 FI" gives MIL1."""
    path = EXAMPLE / "example-utility.yaml"
    data = yamlio.load(path).data
    rubric = documents.load_rubric_file(EXAMPLE / "rubric.yaml")
    mils = {c.id: c.stage for _, c in rubric.criteria()}
    by_mil = {m: sorted(data["answers"][cid]["answer"] for cid in mils if mils[cid] == m)
              for m in MILS}
    assert by_mil == {1: ["FI", "LI", "LI"], 2: ["FI", "PI"], 3: ["FI"]}
    assert rubric.scoring.stage_gate == "practices"
    assert rubric.scoring.unanswered == "lowest"
    r = cli("score", path, "--format", "json")
    assert r.code == 0, r.stderr
    card = json.loads(r.stdout)
    (area,) = card["areas"]
    assert (area["stage"], area["stage_name"]) == (1, "MIL1")
    assert (card["stage"], card["stage_name"]) == (1, "MIL1")
    assert area["gating"] == ["RESPONSE-2b"]
    assert card["labels"]["stage"] == "MIL"


def test_shipped_rubric_agrees_with_the_rule_on_every_combination():
    """The shipped domain (3 + 2 + 1 practices) too: 5**6 = 15,625 combinations."""
    rubric = documents.load_rubric_file(EXAMPLE / "rubric.yaml")
    crits = [(c.id, c.stage) for _, c in rubric.criteria()]
    assert [m for _, m in crits] == [1, 1, 1, 2, 2, 3]
    bad = []
    for combo in itertools.product(ANSWERS, repeat=len(crits)):
        a = Assessment.model_validate({
            "rubric": "rubric.yaml", "organisation": {"name": "Test"},
            "answers": {cid: {"answer": x} for (cid, _), x in zip(crits, combo, strict=True)
                        if x is not None}})
        got = score(rubric, a).areas[0].stage
        want = reached_mil([(m, x) for (_, m), x in zip(crits, combo, strict=True)], "lowest")
        if got != want:
            bad.append((combo, got, want))
    assert not bad, f"{len(bad)} disagreement(s); first: {bad[:5]}"
