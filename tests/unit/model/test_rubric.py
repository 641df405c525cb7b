"""Rubric models and semantic checks (the CLI-level cases live in tests/data/invalid)."""

from __future__ import annotations

import copy
import os

import pytest

from cyberdip import yamlio
from cyberdip.errors import InvalidInput
from cyberdip.model import loading, rubric
from tests.conftest import DATA, ROOT

MINI = (DATA / "rubrics" / "mini.yaml").read_text()


def load(text: str) -> rubric.Rubric:
    return loading.rubric_from_document(yamlio.parse(text.encode(), "r.yaml"))


def codes(text: str) -> list[tuple[int, str]]:
    with pytest.raises(InvalidInput) as e:
        load(text)
    return [(p.line, p.code) for p in e.value.problems]


def from_data(data: dict) -> list[str]:
    """Check plain data (dumped to YAML first, so problems are located)."""
    try:
        loading.rubric_from_document(yamlio.parse(yamlio.dump(data).encode(), "r.yaml"))
    except InvalidInput as e:
        return [p.code for p in e.problems]
    return []


@pytest.fixture
def mini_data() -> dict:
    return copy.deepcopy(yamlio.parse(MINI.encode(), "mini.yaml").data)


def test_mini_loads_with_its_helpers():
    r = load(MINI)
    assert r.levels == [0, 1, 2, 3, 4] and (r.lowest, r.highest) == (0, 4)
    assert r.criterion_ids() == ["policy.strategy", "policy.law", "outreach.missions-online",
                                 "outreach.dialogue"]
    assert r.count_criteria() == 4
    assert r.level_name(2) == "Formative" and r.level_name(9) == "9"
    assert r.sources["munir2023"].citation() == "Munir, Mahmood & Malik (2023)"
    assert r.sources["munir2023"].link() == "https://doi.org/10.58669/jspga.v04.i01.01"


def test_builtin_rubric_is_valid_and_has_the_seven_areas():
    r = loading.rubric_from_document(yamlio.load(ROOT / "rubrics" / "cyberdip-core.yaml"))
    assert [a.id for a in r.areas] == ["strategy", "capacity", "outreach", "cyber-diplomacy",
                                       "legal", "security", "incident-response",
                                       "national-context"]
    assert [a.id for a in r.areas if a.context] == ["national-context"]
    assert 30 <= r.count_criteria() <= 65
    assert len(r.scale) >= 4


def test_metric_level_for_both_directions():
    m = rubric.Metric(unit="%", thresholds={1: 10, 2: 30, 3: 60, 4: 90})
    assert [m.level_for(v, 0) for v in (0, 9.9, 10, 30, 59, 60, 100)] == [0, 0, 1, 2, 2, 3, 4]
    low = rubric.Metric(unit="days", better="lower", thresholds={1: 30, 2: 14, 3: 7, 4: 1})
    assert [low.level_for(v, 0) for v in (60, 30, 10, 7, 0)] == [0, 1, 2, 3, 4]


def test_descriptor_generated_for_metric_levels():
    r = load(MINI)
    _, c = next((a, c) for a, c in r.criteria() if c.id == "outreach.missions-online")
    assert rubric.descriptor(r, c, 2) == "at least 30 % of missions"
    assert rubric.descriptor(r, c, 0) == "below 10 % of missions"


def test_http_only_links(mini_data):
    mini_data["sources"]["munir2023"]["url"] = "javascript:alert(1)"
    assert from_data(mini_data) == ["CD106"]
    mini_data["sources"]["munir2023"]["url"] = "https://example.org/paper"
    assert from_data(mini_data) == []


@pytest.mark.parametrize(("mutate", "want"), [
    (lambda d: d["areas"][0]["criteria"][0].update(weight=0), ["CD202"]),
    (lambda d: d["areas"][1].update(weight=-2), ["CD202"]),
    (lambda d: d["areas"][1]["criteria"][1].update(id="outreach.missions-online"), ["CD201"]),
    (lambda d: d["areas"][1].update(id="policy"), ["CD201", "CD211", "CD211"]),
    (lambda d: d["scale"][2].update(level=7), ["CD203", "CD203"]),
    (lambda d: d["scale"].insert(2, dict(d["scale"][1])), ["CD203"]),
    (lambda d: d["scoring"].update(default_target=9), ["CD210"]),
    # --strict would have nothing to lower a claim to: refused, not left undefined
    (lambda d: d["scoring"].update(evidence_from_level=0), ["CD210"]),
    (lambda d: d["areas"][0]["criteria"][0]["levels"].pop(3), ["CD204"]),
    (lambda d: d["areas"][0]["criteria"][0]["levels"].update({5: "extra"}), ["CD210"]),
    (lambda d: d["areas"][0]["criteria"][0]["recommendations"].pop(2), ["CD209"]),
    (lambda d: d["areas"][0]["criteria"][1]["boolean"].update(met=0), ["CD106"]),
    (lambda d: d["areas"][0]["criteria"][1]["levels"].pop(3), ["CD204"]),
    (lambda d: d["areas"][1]["criteria"][0]["metric"].update(thresholds={1: 10, 2: 5, 3: 60,
                                                                         4: 90}), ["CD205"]),
    (lambda d: d["areas"][1]["criteria"][0]["metric"].update(
        better="lower"), ["CD205", "CD205", "CD205"]),
    (lambda d: d["areas"][1]["criteria"][0]["metric"].update(thresholds={1: 10, 4: 90}),
     ["CD206"]),
    (lambda d: d["areas"][1]["criteria"][0]["metric"].update(min=50), ["CD206", "CD206"]),
    (lambda d: d["areas"][1]["criteria"][0]["metric"].update(min=100, max=0),
     ["CD106", "CD206", "CD206", "CD206", "CD206"]),
    (lambda d: d["areas"][0]["criteria"][0]["sources"][0].update(ref="nobody"), ["CD207"]),
    (lambda d: d["areas"][0]["criteria"][0]["tags"].append("nope"), ["CD208"]),
    (lambda d: d["areas"][0]["criteria"][0].update(id="outreach.strategy"), ["CD211"]),
    (lambda d: d["areas"][0]["criteria"][0].update(crosswalk={"un_gge": ["13z"]}), ["CD106"]),
    (lambda d: d["areas"][0]["criteria"][0].update(crosswalk={"nist_csf": "XX"}), ["CD106"]),
    # the max age of evidence is written with its unit, from 1 month to 100 years
    (lambda d: d["scoring"].update(evidence_max_age=24), ["CD219"]),
    (lambda d: d["scoring"].update(evidence_max_age="2 decades"), ["CD219"]),
    (lambda d: d["scoring"].update(evidence_max_age="0 months"), ["CD219"]),
    (lambda d: d["scoring"].update(evidence_max_age="101 years"), ["CD219"]),
    (lambda d: d["areas"][0]["criteria"][0].update(evidence_max_age="soon"), ["CD219"]),
    (lambda d: d["scoring"].update(evidence_max_age="2 Years"), []),
    (lambda d: d["areas"][0]["criteria"][0].update(evidence_max_age="1 month"), []),
])
def test_semantic_checks(mini_data, mutate, want):
    mutate(mini_data)
    assert sorted(from_data(mini_data)) == sorted(want)


def test_every_check_is_located_on_the_offending_line():
    text = MINI.replace("{ref: munir2023, section: \"Recommendations",
                        "{ref: nobody, section: \"Recommendations")
    assert codes(text) == [(49, "CD207")]


def test_semantic_problems_survive_schema_errors():
    """A misspelled key elsewhere must not hide a dangling ref or a duplicate id."""
    text = (MINI.replace("        weight: 2\n        critical: true",
                         "        wieght: 2\n        critical: true")
            .replace("{ref: munir2023, section: \"Recommendations",
                     "{ref: nobody, section: \"Recommendations")
            .replace("id: outreach.dialogue", "id: outreach.missions-online"))
    assert codes(text) == [(35, "CD102"), (49, "CD207"), (64, "CD201")]


def test_semantic_problems_in_the_broken_criterion_itself_are_kept():
    text = MINI.replace("        weight: 2\n        critical: true",
                        "        weight: heavy\n        critical: true").replace(
        "sources: [{ref: munir2023, section: Leadership Lapses}]\n        tags",
        "sources: [{ref: nobody, section: Leadership Lapses}]\n        tags")
    assert codes(text) == [(35, "CD104"), (39, "CD207")]


def test_no_duplicate_or_spurious_problems_from_the_patched_spots():
    # `levels` of the wrong type: the schema reports it; no CD204 "missing descriptor" too
    text = MINI.replace("levels: {0: None, 1: Draft, 2: Adopted, 3: Funded, 4: Reviewed}",
                        "levels: [None, Draft]")
    assert [c for _, c in codes(text)] == ["CD104"]
    # a bad id on a criterion: the schema reports it; no CD211 from a placeholder
    text = MINI.replace("id: policy.law", "id: Policy Law")
    assert [c for _, c in codes(text)] == ["CD106"]


def test_schema_errors_in_the_scale_stop_the_semantic_pass_quietly():
    text = MINI.replace("  - {level: 4, name: Strategic, meaning: Planned and measured.}\n", "")
    text = text.replace("  - {level: 3, name: Established, meaning: Works everywhere.}\n", "")
    assert [c for _, c in codes(text)] == ["CD106"]


def test_a_document_that_is_not_a_mapping():
    with pytest.raises(InvalidInput) as e:
        loading.rubric_from_document(yamlio.parse(b"- a\n", "r.yaml"))
    assert [(p.line, p.col, p.code) for p in e.value.problems] == [(1, 1, "CD104")]


# -- property: any damage to a valid rubric gives located problems, never a crash ------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_JUNK = st.one_of(st.none(), st.booleans(), st.integers(-3, 9), st.floats(-1, 200),
                  st.text(max_size=5), st.lists(st.integers(0, 5), max_size=3),
                  st.dictionaries(st.sampled_from(["x", "level", "ref", 1]), st.integers(0, 5),
                                  max_size=2))


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "120")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_rubrics_give_located_problems(data):
    doc = copy.deepcopy(yamlio.parse(MINI.encode(), "mini.yaml").data)
    targets = [p for p in _paths(doc) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(targets))
        parent = doc
        try:
            for seg in path[:-1]:
                parent = parent[seg]
            action = data.draw(st.sampled_from(["replace", "delete", "rename"]))
            if action == "replace":
                parent[path[-1]] = data.draw(_JUNK)
            elif action == "delete":
                del parent[path[-1]]
            elif isinstance(parent, dict):
                parent[str(path[-1]) + "x"] = parent.pop(path[-1])
        except (KeyError, IndexError, TypeError):
            continue
    text = yamlio.dump(doc)
    try:
        loading.rubric_from_document(yamlio.parse(text.encode(), "r.yaml"))
    except InvalidInput as e:
        lines = text.count("\n") + 1
        for p in e.problems:
            assert p.code.startswith("CD") and p.message
            assert 1 <= p.line <= lines
        assert len(set(e.problems)) == len(e.problems), "a problem reported twice"


def test_indicators_join_as_sentences_or_as_a_list():
    from cyberdip.model.rubric import join_indicators

    assert join_indicators(["A plan exists.", "It is funded."]) == "A plan exists. It is funded."
    assert join_indicators(["a plan", "funding"]) == "a plan; funding"
    assert join_indicators(["منصوبہ موجود ہے۔", "فنڈ ہیں۔"]) == "منصوبہ موجود ہے۔ فنڈ ہیں۔"


def _with_indicators(levels: list[int]) -> dict:
    return {
        "format": 2, "id": "ind", "title": "t", "version": "1.0.0", "description": "d",
        "sources": {"s": {"authors": ["A"], "year": 2023, "title": "t"}},
        "scale": [{"level": lv, "name": f"N{lv}", "meaning": "m"} for lv in range(5)],
        "areas": [{"id": "a", "title": "A", "criteria": [{
            "id": "c", "question": "q", "kind": "level", "sources": [{"ref": "s", "section": "x"}],
            "indicators": {lv: [{"id": f"i{lv}", "text": f"T{lv}."}] for lv in levels}}]}]}


@pytest.mark.parametrize(("levels", "want"), [
    ([1, 2, 3, 4], []),
    # a level between two with indicators would be passed over by every indicator answer
    ([1, 3, 4], ["CD218"]),
    # levels above the last with indicators could never be reached by them either
    ([1, 2], ["CD218"]),
])
def test_indicators_describe_every_level_above_the_lowest(levels, want):
    assert from_data(_with_indicators(levels)) == want


def test_a_missing_indicator_level_is_named_with_its_fix():
    text = yamlio.dump(_with_indicators([1, 3]))
    with pytest.raises(InvalidInput) as e:
        load(text)
    [p] = e.value.problems
    assert p.code == "CD218"
    assert p.message.startswith("`c` has indicators for level(s) 1, 3 but none for 2, 4;")


@pytest.mark.parametrize(("text", "months"), [
    ("24 months", 24), ("2 years", 24), ("1 year", 12), (" 1 month ", 1),
    ("100 years", 1200), ("0 months", None), ("24", None), (24, None), (None, None),
])
def test_the_max_age_of_evidence_in_months(text, months):
    from cyberdip.model.rubric import max_age_months

    assert max_age_months(text) == months
