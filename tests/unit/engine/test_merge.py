"""Merging respondents: the consensus rules, the spread, and the provenance kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberdip.engine.merge import (
    MAX_RESPONDENTS,
    TLP_ORDER,
    check_respondents,
    merge,
    strictest_marking,
)
from cyberdip.formats import documents
from cyberdip.model.assessment import Assessment

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def rubric():
    return documents.load_rubric_file(DATA / "rubrics" / "mini.yaml")


def person(answers: dict) -> Assessment:
    return Assessment.model_validate({"rubric": "mini", "organisation": {"name": "MoFA"},
                                      "answers": answers})


def run(rubric, levels: list, **kw):
    people = [(f"p{i}", person({"policy.strategy": a} if a is not None else {}))
              for i, a in enumerate(levels)]
    return merge(rubric, "mini", people, **kw)


@pytest.mark.parametrize(("levels", "rule", "expected"), [
    ([1, 3, 4], "median", 3), ([1, 3, 4], "lowest", 1), ([4, 1, 3, 2], "median", 2),
    ([2, 2], "median", 2), ([3], "median", 3),
])
def test_the_rules(rubric, levels, rule, expected):
    m = run(rubric, [{"level": lv} for lv in levels], rule=rule)
    assert m.data["answers"]["policy.strategy"]["level"] == expected
    o = m.outcomes[0]
    assert o.spread == max(levels) - min(levels) and not o.needs_discussion


def test_a_spread_above_the_limit_needs_discussion_and_keeps_the_lowest(rubric):
    m = run(rubric, [{"level": 1, "evidence": ["a"]}, {"level": 3}, {"level": 4,
            "evidence": ["b", "a"]}], rule="median", discuss_above=2)
    a = m.data["answers"]["policy.strategy"]
    assert a["level"] == 1 and a["evidence"] == ["a", "b"]
    assert "Needs discussion: respondents gave levels 1 to 4 (spread 3, above 2)" in a["notes"]
    assert a["respondents"] == [{"name": "p0", "level": 1, "evidence": ["a"]},
                                {"name": "p1", "level": 3},
                                {"name": "p2", "level": 4, "evidence": ["b", "a"]}]
    assert m.outcomes[0].needs_discussion and m.data["merged_from"] == {
        "respondents": ["p0", "p1", "p2"], "rule": "median", "discuss_above": 2}
    m = run(rubric, [{"level": 1}, {"level": 3}], discuss_above=2)
    assert not m.outcomes[0].needs_discussion


def test_not_applicable_only_when_everyone_who_answered_says_so(rubric):
    m = run(rubric, [{"not_applicable": "no mission"}, None, {"not_applicable": "none here"}])
    assert m.data["answers"]["policy.strategy"]["not_applicable"] == "no mission; none here"
    m = run(rubric, [{"not_applicable": "no mission"}, {"level": 2}])
    a = m.data["answers"]["policy.strategy"]
    assert a["level"] == 2 and a["notes"] == "p0 marked it not applicable."


def test_booleans_and_metrics_merge_by_the_level_they_claim(rubric):
    people = [(n, person({"policy.law": {"met": met},
                          "outreach.missions-online": {"value": v}}))
              for n, met, v in (("a", True, 80), ("b", False, 10), ("c", True, 50))]
    m = merge(rubric, "mini", people)
    assert m.data["answers"]["policy.law"]["met"] is True
    assert m.data["answers"]["outreach.missions-online"]["value"] == 50
    assert [o.id for o in m.disagreements] == ["policy.law", "outreach.missions-online"]


def test_the_merged_data_is_a_valid_assessment_that_scores(rubric):
    from cyberdip.engine.scoring import score

    m = run(rubric, [{"level": 1}, {"level": 4}], discuss_above=1)
    a = Assessment.model_validate(m.data)
    card = score(rubric, a)
    assert card.merge is not None and card.merge.disagreements == 1
    sp = card.merge.criteria[0]
    assert (sp.id, sp.spread, sp.needs_discussion) == ("policy.strategy", 3, True)
    assert [(r.name, r.answer, r.level) for r in sp.respondents] == [("p0", "1", 1),
                                                                      ("p1", "4", 4)]
    plain = score(rubric, person({"policy.strategy": {"level": 1}}))
    assert plain.merge is None


# -- format 2: indicators, choices, metrics without levels --------------------------------

FORMAT2 = Path(__file__).resolve().parents[2] / "data" / "rubrics" / "format2.yaml"


def person2(answers: dict, profile: str = "headquarters") -> Assessment:
    return Assessment.model_validate({"rubric": str(FORMAT2), "organisation": {"name": "M"},
                                      "profile": profile, "answers": answers})


def test_indicator_answers_merge_by_the_level_they_give_and_keep_each_persons_indicators():
    r = documents.rubric_at(FORMAT2)
    people = [("Ana", person2({"policy.strategy": {"indicators": {
                  "drafted": True, "adopted": True, "funded": True, "owned": True}}})),
              ("Bo", person2({"policy.strategy": {"indicators": {"drafted": True,
                                                                 "adopted": False}}})),
              ("Chen", person2({"policy.strategy": {"level": 2}}))]
    m = merge(r, "format2.yaml", people)
    o = next(o for o in m.outcomes if o.id == "policy.strategy")
    assert ([g.level for g in o.given], o.spread, o.merged_level) == ([3, 1, 2], 2, 2)
    kept = m.data["answers"]["policy.strategy"]["respondents"]
    assert kept[0]["indicators"]["owned"] is True and kept[2] == {"name": "Chen", "level": 2}
    assert m.data["profile"] == "headquarters"
    # the merged file is an assessment of its own, and shows the spread when scored
    from cyberdip.engine.scoring import score

    card = score(r, Assessment.model_validate(m.data))
    sp = next(s for s in card.merge.criteria if s.id == "policy.strategy")
    assert (sp.spread, [x.level for x in sp.respondents]) == (2, [3, 1, 2])


def test_choices_merge_by_their_place_on_the_answer_scale():
    r = documents.rubric_at(FORMAT2)
    people = [(n, person2({"outreach.replies": {"answer": a}}))
              for n, a in (("Ana", "YES"), ("Bo", "NO"), ("Chen", "PART"))]
    for rule, want in (("median", "PART"), ("lowest", "NO")):
        m = merge(r, "format2.yaml", people, rule=rule)
        assert m.data["answers"]["outreach.replies"]["answer"] == want
    o = next(o for o in merge(r, "format2.yaml", people).outcomes if o.id == "outreach.replies")
    assert o.spread == 2  # NO (0) to YES (2)


# -- what respondents declare about the whole, and who counts ---------------------------


def declared(**extra) -> Assessment:
    return Assessment.model_validate({"rubric": "mini", "organisation": {"name": "MoFA"},
                                      "answers": {}, **extra})


@pytest.mark.parametrize(("markings", "kept"), [
    (["TLP:RED", "TLP:RED"], "TLP:RED"),
    (["TLP:GREEN", "TLP:AMBER+STRICT", "TLP:AMBER"], "TLP:AMBER+STRICT"),
    (["TLP:CLEAR", None], "TLP:CLEAR"),
    (["tlp:amber", "TLP:WHITE"], "TLP:AMBER"),
    (["RESTRICTED", "RESTRICTED"], "RESTRICTED"),
    (["RESTRICTED", None], "RESTRICTED"),
    ([None, None], None),
])
def test_the_consensus_keeps_the_strictest_marking(rubric, markings, kept):
    people = [(f"p{i}", declared(**({"marking": m} if m else {})))
              for i, m in enumerate(markings)]
    m = merge(rubric, "mini", people)
    assert m.data.get("marking") == kept
    differ = len(set(markings)) > 1
    assert [f.code for f in m.findings] == (["CD330"] if differ else [])
    assert all(f.level == "warning" for f in m.findings)


@settings(max_examples=50, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(TLP_ORDER), min_size=1, max_size=6))
def test_no_tlp_marking_is_ever_weakened(markings):
    kept, _ = strictest_marking(list(markings))
    assert TLP_ORDER.index(kept) == max(TLP_ORDER.index(m) for m in markings)


def test_markings_outside_tlp_that_differ_need_marking(rubric):
    people = [("a", declared(marking="RESTRICTED")), ("b", declared(marking="TLP:RED"))]
    m = merge(rubric, "mini", people)
    assert [(f.level, f.code) for f in m.findings] == [("error", "CD330")]
    assert "--marking" in m.findings[0].message
    m = merge(rubric, "mini", people, marking="SECRET")
    assert m.data["marking"] == "SECRET" and m.findings == []


def test_illustrative_date_and_notes_are_kept(rubric):
    import datetime as dt

    people = [("Ana", declared(illustrative=True, date="2024-05-01", notes="Ana's note")),
              ("Bo", declared(date=dt.date(2024, 6, 1), notes="Bo's note")),
              ("Chen", declared())]
    m = merge(rubric, "mini", people)
    assert m.data["illustrative"] is True
    assert str(m.data["date"]) == "2024-06-01"  # the latest respondent's
    assert m.data["notes"] == "Ana: Ana's note\n\nBo: Bo's note"
    assert [f.message.split(";")[0] for f in m.findings] == [
        "some respondents marked their answers illustrative (example data) and some did "
        "not"]


def test_one_file_twice_is_refused_and_a_copy_warned_about():
    same = declared(answers={"policy.strategy": {"level": 2}})
    other = declared(answers={"policy.strategy": {"level": 3}})
    found = check_respondents([("a", same), ("a2", same), ("b", other), ("c", same)],
                              [(1, 10), (1, 10), (1, 11), (1, 12)])
    assert [(f.level, f.code, f.who) for f in found] == [
        ("error", "CD329", 1), ("warning", "CD329", 3)]
    assert found[1].message.startswith("`c` gave exactly the same answers as `a`")


def test_different_units_and_profiles_are_refused_but_one_unit_merges():
    hq = declared(organisation={"name": "MoFA"})
    berlin = declared(organisation={"name": "MoFA", "unit": "Embassy Berlin"})
    mission = declared(organisation={"name": "MoFA"}, profile="mission")
    found = check_respondents([("a", hq), ("b", berlin), ("c", mission)])
    assert [(f.code, f.who) for f in found] == [("CD312", 1), ("CD328", 2)]
    # two sections of one ministry's assessment share its unit: they merge
    assert check_respondents([("a", berlin), ("b", berlin.model_copy())]) == []


def test_the_number_of_respondents_is_capped():
    people = [(f"p{i}", declared(answers={"policy.strategy": {"level": i % 5}}))
              for i in range(MAX_RESPONDENTS + 1)]
    [f] = check_respondents(people)
    assert (f.level, f.code) == ("error", "CD003")
    assert f"at most {MAX_RESPONDENTS}" in f.message
    assert [f for f in check_respondents(people[:MAX_RESPONDENTS])
            if f.level == "error"] == []


def test_a_megabyte_name_or_unit_is_quoted_as_a_few_dozen_characters():
    huge = "N" * 1_000_000
    a = declared(organisation={"name": "MoFA", "unit": huge})
    b = declared(organisation={"name": "MoFA"}, profile=huge)
    found = check_respondents([(huge, a), ("b", b)])
    assert found and all(len(f.message) < 600 for f in found)
    assert all("(1,000,000 characters)" in f.message for f in found)


def test_the_action_plan_travels_with_the_consensus_answer_and_differences_are_named(rubric):
    """Owner, due, action and status: the chosen respondent's, else the first given, key
    by key; different owners or statuses are a warning (CD715) naming whose was kept."""
    people = [("Policy", person({"policy.strategy": {"level": 1, "owner": "Director",
                                                     "status": "done"}})),
              ("IT", person({"policy.strategy": {"level": 2, "owner": "CIO",
                                                 "status": "planned", "due": "2026-Q2",
                                                 "action": "Fund it"}})),
              ("Legal", person({"policy.strategy": {"level": 3}}))]
    m = merge(rubric, "mini", people)  # the median is IT's level 2
    a = m.data["answers"]["policy.strategy"]
    assert (a["level"], a["owner"], a["status"], a["due"], a["action"]) == (
        2, "CIO", "planned", "2026-Q2", "Fund it")
    assert [(f.level, f.code, f.message) for f in m.findings] == [
        ("warning", "CD715", "`policy.strategy`: the respondents gave different owners for "
         "its action (Policy: Director; IT: CIO); the merged answer keeps IT's"),
        ("warning", "CD715", "`policy.strategy`: the respondents gave different statuses for "
         "its action (Policy: done; IT: planned); the merged answer keeps IT's")]
    m = merge(rubric, "mini", people, rule="lowest")  # Policy's level 1: its plan, IT's due
    a = m.data["answers"]["policy.strategy"]
    assert (a["owner"], a["status"], a["due"]) == ("Director", "done", "2026-Q2")
    same = merge(rubric, "mini", [people[0], ("Again", people[0][1])])
    assert [f for f in same.findings if f.code == "CD715"] == []


def test_respondents_keep_their_dated_evidence_and_the_merge_keeps_each_item_once(rubric):
    import datetime as dt

    dated = {"text": "Decision", "date": dt.date(2023, 5, 1), "ref": "Registry 7"}
    m = run(rubric, [{"level": 2, "evidence": [dated, "minutes"]},
                     {"level": 2, "evidence": [dated]}])
    answer = m.data["answers"]["policy.strategy"]
    assert answer["evidence"] == [dated, "minutes"]
    assert [r["evidence"] for r in answer["respondents"]] == [[dated, "minutes"], [dated]]
    Assessment.model_validate(m.data)  # a valid assessment, dates and all
