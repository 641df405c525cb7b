"""Evidence on indicator rows counts (docs/scoring.md, rule 2): a claim at level L at or
above `evidence_from_level` (E) is supported when the criterion itself, or a met
indicator at a level of E or more, has evidence."""

from __future__ import annotations

from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from cyberdip.engine.scoring import score
from cyberdip.formats import documents
from cyberdip.model.assessment import Assessment

DOC = "a document"


@cache
def core():
    return documents.rubric_at(documents.resolve_rubric("cyberdip-core"))


def indicator_criteria():
    return [c for _, c in core().criteria() if c.indicators]


@st.composite
def indicator_answer(draw):
    """One criterion of cyberdip-core 2.0 answered indicator by indicator, with
    evidence on some indicator rows (met or not) and maybe on the criterion."""
    c = draw(st.sampled_from(indicator_criteria()))
    inds = {}
    for _lv, i in c.indicator_list():
        met = draw(st.sampled_from([True, False, None]))
        if met is None:
            continue
        ev = draw(st.sampled_from([[], [DOC], ["   "]]))
        inds[i.id] = {"met": met, "evidence": ev} if ev else met
    assume_any = inds or {c.indicator_list()[0][1].id: True}
    answer = {"indicators": assume_any}
    if draw(st.booleans()):
        answer["evidence"] = [draw(st.sampled_from([DOC, " "]))]
    return c, answer


def card(cid: str, answer: dict, strict: bool = False):
    a = Assessment.model_validate({"rubric": "cyberdip-core",
                                   "organisation": {"name": "M"}, "answers": {cid: answer}})
    return score(core(), a, strict=strict)


def result(cid: str, answer: dict, strict: bool = False):
    return next(r for r in card(cid, answer, strict).criteria if r.id == cid)


def with_evidence_on(answer: dict, ind: str) -> dict:
    inds = dict(answer["indicators"])
    v = inds[ind]
    inds[ind] = {"met": v["met"] if isinstance(v, dict) else v, "evidence": [DOC]}
    return {**answer, "indicators": inds}


@settings(max_examples=60, derandomize=True, deadline=None)
@given(indicator_answer())
def test_evidence_on_a_met_indicator_at_or_above_E_supports_the_claim(case):
    c, answer = case
    E = core().scoring.evidence_from_level
    met_high = [i.id for lv, i in c.indicator_list()
                if lv >= E and (answer["indicators"].get(i.id) is True or (
                    isinstance(answer["indicators"].get(i.id), dict)
                    and answer["indicators"][i.id]["met"] is True))]
    for ind in met_high:
        r = result(c.id, with_evidence_on(answer, ind))
        assert not r.unsupported, (c.id, ind)
        # and --strict then scores the claim as claimed
        assert result(c.id, with_evidence_on(answer, ind), strict=True).level == r.claimed_level


@settings(max_examples=60, derandomize=True, deadline=None)
@given(indicator_answer())
def test_evidence_below_E_or_on_an_unmet_indicator_changes_nothing(case):
    c, answer = case
    E = core().scoring.evidence_from_level
    base = result(c.id, answer)
    for lv, i in c.indicator_list():
        v = answer["indicators"].get(i.id)
        met = v["met"] if isinstance(v, dict) else v
        if v is None or (lv >= E and met is True):
            continue
        assert result(c.id, with_evidence_on(answer, i.id)).unsupported == base.unsupported


@settings(max_examples=60, derandomize=True, deadline=None)
@given(indicator_answer())
def test_unsupported_is_the_rule_as_the_doc_states_it(case):
    c, answer = case
    E = core().scoring.evidence_from_level
    r = result(c.id, answer)

    def has(ev):
        return any(e.strip() for e in ev)

    inds = answer["indicators"]
    supported = has(answer.get("evidence", [])) or any(
        lv >= E and isinstance(inds.get(i.id), dict) and inds[i.id]["met"] is True
        and has(inds[i.id]["evidence"]) for lv, i in c.indicator_list())
    assert r.unsupported == (r.claimed_level is not None and r.claimed_level >= E
                             and not supported)


def test_a_workbook_with_evidence_on_every_yes_row_has_no_unsupported_claim():
    """The issue's case: every indicator met, evidence on each row at level E and
    above, none on the criterion: no claim is unsupported, and --strict changes
    nothing."""
    E = core().scoring.evidence_from_level
    answers = {c.id: {"indicators": {i.id: ({"met": True, "evidence": [f"doc {i.id}"]}
                                            if lv >= E else True)
                                     for lv, i in c.indicator_list()}}
               for c in indicator_criteria()}
    a = Assessment.model_validate({"rubric": "cyberdip-core",
                                   "organisation": {"name": "M"}, "answers": answers})
    plain, strict = score(core(), a), score(core(), a, strict=True)
    assert plain.counts.unsupported == 0
    assert strict.index == plain.index and strict.stage == plain.stage
    # and without the indicator evidence, the same claims are unsupported
    bare = Assessment.model_validate({"rubric": "cyberdip-core", "organisation": {
        "name": "M"}, "answers": {c.id: {"indicators": {i.id: True for _, i in
                                                        c.indicator_list()}}
                                 for c in indicator_criteria()}})
    counts = score(core(), bare).counts
    assert counts.unsupported == counts.assessed > 0  # every one claims the top level
    assert score(core(), bare, strict=True).index < plain.index
