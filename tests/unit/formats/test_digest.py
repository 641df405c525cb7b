"""The content hash: the same facts hash the same, any change to an answer or its
evidence changes it, and the action plan's bookkeeping never does."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from cyberdip.formats.digest import answers_sha256, canonical_answers, file_sha256

BASE = {"rubric": "cyberdip-core", "rubric_version": "2.0.0",
        "organisation": {"name": "Ministry"},
        "answers": {"a.one": {"level": 2, "evidence": ["Strategy 2021"]},
                    "a.two": {"indicators": {"x": True, "y": {"met": False,
                                                              "evidence": ["memo"]}}},
                    "a.three": {"value": 45}}}

levels = st.integers(0, 5)
texts = st.text(min_size=1, max_size=20)


def test_the_same_facts_in_another_spelling_hash_the_same():
    other = copy.deepcopy(BASE)
    other["answers"]["a.three"] = {"value": 45.0}  # the same number
    other["answers"]["a.two"]["indicators"]["x"] = {"met": True}  # the long form
    other["answers"]["a.one"]["evidence"] = "Strategy 2021"  # one item, not a list
    other["answers"]["a.four"] = None  # an empty answer is no answer
    other["answers"]["a.five"] = {"evidence": [], "notes": None}
    assert answers_sha256(other) == answers_sha256(BASE)


def test_what_the_hash_does_not_cover():
    other = copy.deepcopy(BASE)
    other["answers"]["a.one"].update(owner="Policy Planning", due="2027-06-30",
                                     status="under way")  # the plan's bookkeeping
    other["organisation"] = {"name": "Another name"}
    other["notes"] = "edited"
    other["marking"] = "TLP:AMBER"
    assert answers_sha256(other) == answers_sha256(BASE)


@settings(max_examples=150)
@given(cid=st.sampled_from(sorted(BASE["answers"])), level=levels, evidence=texts,
       which=st.sampled_from(["level", "evidence", "indicator", "value", "target",
                              "profile", "rubric_version", "remove"]))
def test_any_change_to_an_answer_or_what_it_means_changes_the_hash(cid, level, evidence,
                                                                   which):
    other = copy.deepcopy(BASE)
    a = other["answers"][cid]
    if which == "level":
        a["level"] = level if a.get("level") != level else level + 1
    elif which == "evidence":
        a["evidence"] = [*(a.get("evidence") or []), evidence]
    elif which == "indicator":
        inds = a.setdefault("indicators", {})
        inds["x"] = inds.get("x") is not True
    elif which == "value":
        a["value"] = (a.get("value") or 0) + 0.5
    elif which == "target":
        a["target"] = level
    elif which == "profile":
        other["profile"] = "mission"
    elif which == "rubric_version":
        other["rubric_version"] = "2.1.0"
    else:
        del other["answers"][cid]
    assert answers_sha256(other) != answers_sha256(BASE)


def test_the_canonical_form_is_sorted_compact_json():
    text = canonical_answers({"rubric": "r", "answers": {"b": {"level": 1}, "a": {"met": True}}})
    assert text == b'{"answers":{"a":{"met":true},"b":{"level":1}},"rubric":"r"}'


def test_a_rubric_is_hashed_over_its_bytes(tmp_path):
    f = tmp_path / "r.yaml"
    f.write_bytes(b"id: r\n")
    import hashlib

    assert file_sha256(f) == hashlib.sha256(b"id: r\n").hexdigest()
    f.write_bytes(b"id: r\n\n")  # a blank line is a change to the file
    assert file_sha256(f) == hashlib.sha256(b"id: r\n\n").hexdigest()


@settings(max_examples=100)
@given(cid=st.sampled_from(sorted(BASE["answers"])),
       plan=st.fixed_dictionaries({}, optional={
           "action": texts, "owner": texts,
           "due": st.one_of(texts, st.dates()),
           "status": st.sampled_from(["planned", "under-way", "done", "dropped"])}))
def test_the_action_plan_never_changes_the_hash(cid, plan):
    """Writing or updating an action, its owner, its due date or its status leaves the
    hash, and so a sign-off, as it was (docs/cycle.md, Action plan)."""
    other = copy.deepcopy(BASE)
    other["answers"][cid].update(plan)
    assert answers_sha256(other) == answers_sha256(BASE)
    other["answers"]["a.new"] = dict(plan)  # a plan alone is no answer either
    assert answers_sha256(other) == answers_sha256(BASE)


def test_the_plan_is_left_out_but_answers_and_evidence_beside_it_count():
    with_plan = copy.deepcopy(BASE)
    with_plan["answers"]["a.one"].update(action="Publish it", status="done")
    changed = copy.deepcopy(with_plan)
    changed["answers"]["a.one"]["evidence"] = ["Strategy 2021", "Cabinet minute"]
    assert answers_sha256(changed) != answers_sha256(with_plan)
    changed = copy.deepcopy(with_plan)
    changed["answers"]["a.one"]["level"] = 3
    assert answers_sha256(changed) != answers_sha256(with_plan)


def test_a_dated_item_with_only_its_text_hashes_as_that_text():
    import datetime as dt

    def data(ev):
        return {"rubric": "r", "answers": {"c": {"level": 2, "evidence": ev}}}

    assert answers_sha256(data(["x"])) == answers_sha256(data([{"text": "x"}])) \
        == answers_sha256(data([{"text": "x", "date": None}]))
    assert answers_sha256(data([{"text": "x", "date": dt.date(2023, 5, 1)}])) \
        == answers_sha256(data([{"text": "x", "date": "2023-05-01"}])) \
        != answers_sha256(data(["x"]))
