"""formats.cycle: which criteria a section holds, answers carried forward, the cycle
manifest, and which sections are back. Rules stated as properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cyberdip import yamlio
from cyberdip.formats import cycle as cy
from cyberdip.formats import documents
from tests.conftest import DATA

MINI = documents.rubric_at(DATA / "rubrics" / "mini.yaml")
ALL = [c.id for _, c in MINI.criteria()]
AREAS = [a.id for a in MINI.areas]

names = st.sampled_from(["Policy", "Legal", "Outreach", "IT", "Protocol"])


@given(st.lists(st.tuples(names, st.integers(0, 9)), max_size=12))
def test_the_manifest_keeps_one_entry_per_respondent_the_last_sent(puts):
    m = cy.Manifest("mini.yaml", "1.0.0")
    for who, n in puts:
        m.put({"respondent": who, "file": f"{n}.csv", "ids": []})
    first_seen = list(dict.fromkeys(who for who, _ in puts))
    assert m.names() == first_seen
    last = {who: f"{n}.csv" for who, n in puts}
    assert {e["respondent"]: e["file"] for e in m.sections} == last


@given(st.lists(st.tuples(names, st.integers(0, 9)), max_size=6))
def test_a_manifest_reads_back_as_written(puts):
    m = cy.Manifest("mini.yaml", "1.0.0")
    for who, n in puts:
        m.put({"respondent": who, "file": f"{n}.csv", "ids": ALL[:n % 4]})
    back, problems = cy.read_manifest(yamlio.parse(m.text().encode(), "c.yaml").data, "c.yaml")
    assert problems == [] and back == m


@given(st.lists(st.sampled_from(AREAS), max_size=2),
       st.lists(st.sampled_from(ALL), max_size=3))
def test_a_section_holds_its_areas_and_criteria_in_rubric_order(areas, criteria):
    ids, errors = cy.select(MINI, [",".join(areas)], criteria)
    assert errors == []
    want = {c.id for a in MINI.areas if a.id in areas for c in a.all_criteria()} | set(criteria)
    assert ids == [cid for cid in ALL if cid in want]


def test_an_unknown_id_gets_a_did_you_mean():
    ids, errors = cy.select(MINI, ["outreech"], ["policy.lw"])
    assert errors == ["--areas: `outreech` is not an area of `mini`; did you mean `outreach`?",
                      "--criteria: `policy.lw` is not a criterion of `mini`; did you mean "
                      "`policy.law`?"]


answers = st.fixed_dictionaries({}, optional={
    "level": st.integers(0, 4), "evidence": st.lists(st.text(min_size=1), max_size=2),
    "notes": st.text(min_size=1), "owner": st.just("Desk"),
    "respondents": st.just([{"name": "A"}]),
    "carried": st.just({"source": "berlin-2023.yaml", "period": "2023"})})


@given(st.dictionaries(st.sampled_from(ALL), answers), st.lists(st.sampled_from(ALL)))
def test_carrying_marks_every_answer_given_and_keeps_an_older_mark(previous, ids):
    data = {"period": "2025", "answers": previous}
    carried, marker = cy.carry(data, "berlin-2025.yaml", ids)
    assert marker == {"source": "berlin-2025.yaml", "period": "2025"}
    assert set(carried) == {cid for cid in ids if "level" in previous.get(cid, {})}
    for cid, a in carried.items():
        old = previous[cid]
        assert a["carried"] == old.get("carried", marker)  # never re-confirmed: the old mark
        assert "respondents" not in a
        assert a.get("evidence", []) == old.get("evidence", [])  # the text as written


def test_a_questionnaire_as_it_was_sent_is_not_back():
    m = cy.Manifest("mini.yaml", "1.0.0", [{"respondent": "Policy", "file": "p.csv"},
                                            {"respondent": "Legal", "file": "l.csv"}])
    sent = {"section": "Policy", "answers": {"policy.law": {"met": True, "carried": {
        "source": "x.yaml"}}}}
    confirmed = {"section": "Policy", "answers": {
        "policy.law": {"met": True}, "policy.strategy": {"level": 2, "carried": {
            "source": "x.yaml"}}}}
    st_sent = cy.section_status(m, [("p.csv", sent)])
    assert [s.back for s in st_sent] == [False, False]
    st_back = cy.section_status(m, [("p.csv", sent), ("p-back.yaml", confirmed)])
    assert st_back[0].as_json() == {"respondent": "Policy", "sent": "p.csv", "back": True,
                                    "file": "p-back.yaml", "answered": 1,
                                    "to_confirm": ["policy.strategy"]}
    assert not st_back[1].back
