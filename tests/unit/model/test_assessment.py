"""Assessment checks against the rubric: each code the format doc promises."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberdip import yamlio
from cyberdip.formats import documents
from cyberdip.model import assessment

MINI = Path(__file__).resolve().parents[2] / "data" / "rubrics" / "mini.yaml"
FORMAT2 = MINI.with_name("format2.yaml")


def check(answers: str, extra: str = "", rubric: Path = MINI
          ) -> list[tuple[int, int, str, str, str]]:
    version = "1.0.0" if rubric == MINI else "2.0.0"
    text = (f"rubric: {rubric}\nrubric_version: {version}\norganisation: {{name: M}}\n"
            f"{extra}answers:\n{answers}")
    doc = yamlio.parse(text.encode(), "a.yaml")
    checked = documents.check_assessment(doc)
    return [(p.line, p.col, p.level, p.code, p.message) for p in checked.problems]


def test_a_clean_assessment_has_no_problems():
    assert check("  policy.strategy: {level: 2, evidence: [https://example.org/x]}\n") == []


def test_a_different_rubric_version_is_a_warning_not_an_error():
    doc = yamlio.parse(f"rubric: {MINI}\nrubric_version: 0.9.0\norganisation: {{name: M}}\n"
                       "answers: {}\n".encode(), "a.yaml")
    [p] = documents.check_assessment(doc).problems
    assert (p.line, p.col, p.level, p.code) == (2, 17, "warning", "CD307")
    assert p.message.startswith("answered against version 0.9.0 of `mini`")


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,x", "file:///etc"])
def test_evidence_with_another_scheme_is_a_warning_and_shown_as_text(link):
    [(line, col, level, code, msg)] = check(
        f"  policy.strategy:\n    level: 2\n    evidence: ['{link}']\n")
    assert (line, col, level, code) == (7, 16, "warning", "CD308")
    assert "only http and https links are shown as links" in msg


def test_plain_text_with_a_colon_is_not_mistaken_for_a_link():
    assert check("  policy.strategy:\n    level: 2\n    evidence: ['Note: see minutes']\n") == []


def test_na_and_a_value_together_is_a_conflict():
    [(line, col, level, code, msg)] = check(
        "  policy.strategy: {level: 2, not_applicable: 'no strategy office'}\n")
    assert (line, code, level) == (5, "CD309", "error")
    assert msg == ("`policy.strategy` is both answered (level) and marked not applicable; "
                   "keep one")


def test_target_outside_the_scale():
    [(_, _, _, code, msg)] = check("  policy.strategy: {level: 2, target: 9}\n")
    assert (code, msg) == ("CD302", "target 9 is outside the scale 0..4")


def test_metric_value_outside_its_range():
    [(_, _, _, code, msg)] = check("  outreach.missions-online: {value: 130}\n")
    assert code == "CD106" and msg.startswith("value 130 is outside the range")


def test_http_links_are_links_and_nothing_else_is():
    assert assessment.is_link("https://example.org/a?b=1")
    assert assessment.is_link("HTTP://EXAMPLE.ORG")
    assert not assessment.is_link("javascript:alert(1)")
    assert not assessment.is_link("https://exa mple.org")
    assert not assessment.is_link("see https://example.org")


def test_a_target_a_criterion_can_never_reach_is_a_warning():
    # policy.law is yes/no with met at 3: a target of 4 is scored against 3
    [(line, col, level, code, msg)] = check("  policy.law: {met: true, target: 4}\n")
    assert (line, col, level, code) == (5, 35, "warning", "CD311")
    assert msg == ("target 4 for `policy.law` is above the highest level it can reach "
                   "(3, Established); it is scored against 3")
    assert check("  policy.law: {met: true, target: 3}\n") == []


@pytest.mark.parametrize(("value", "fragment"), [
    (".nan", "nan is not a finite number"), (".inf", "inf is not a finite number"),
    ("-.Inf", "-inf is not a finite number"),
    ("1e20", "YAML 1.1 reads `1e20` as text, not a number"),
])
def test_a_metric_answer_must_be_a_finite_number(value, fragment):
    [(line, col, level, code, msg)] = check(f"  outreach.missions-online: {{value: {value}}}\n")
    assert (line, level, code) == (5, "error", "CD303")
    assert fragment in msg and "without units" not in msg


def test_evidence_from_the_lowest_level_is_refused_so_strict_stays_defined():
    from cyberdip.errors import InvalidInput
    from cyberdip.model import loading

    text = MINI.read_text().replace("evidence_from_level: 3", "evidence_from_level: 0")
    with pytest.raises(InvalidInput) as e:
        loading.rubric_from_document(yamlio.parse(text.encode(), "r.yaml"))
    [p] = e.value.problems
    assert p.code == "CD210" and p.message.startswith(
        "scoring.evidence_from_level is the lowest level, 0")


# -- indicators that contradict each other (CD324) ------------------------------------------

INDICATORS = st.lists(st.tuples(st.integers(1, 5), st.sampled_from([True, False, None])),
                      max_size=8).map(lambda xs: [(lv, f"i{k}", met)
                                                  for k, (lv, met) in enumerate(xs)])


@settings(max_examples=200, derandomize=True)
@given(INDICATORS)
def test_a_contradiction_is_a_met_indicator_above_one_not_met(inds):
    pairs = assessment.contradictions(inds)
    met = {i: (lv, m) for lv, i, m in inds}
    for low_lv, low, high_lv, high in pairs:
        assert met[low] == (low_lv, False) and met[high] == (high_lv, True)
        assert low_lv < high_lv
        # the pair names the lowest indicator not met below the met one
        assert low_lv == min(lv for lv, _, m in inds if m is False)
    # one pair per met indicator above an unmet one, and none when the answers climb
    assert {p[3] for p in pairs} == {i for lv, i, m in inds if m is True and any(
        lv2 < lv and m2 is False for lv2, _, m2 in inds)}


def test_a_contradiction_is_a_warning_at_the_met_indicator():
    problems = check("  policy.strategy:\n    indicators:\n      drafted: false\n"
                     "      funded: true\n", rubric=FORMAT2)
    assert problems == [(8, 7, "warning", "CD324",
                         "`policy.strategy`: the level-3 indicator `funded` is answered met, "
                         "but the level-1 indicator `drafted` below it is not; the level "
                         "counts indicators met from the bottom up, so it stays below 1. "
                         "Check both answers")]


def test_a_disclaimer_is_a_short_caveat():
    assert check("  policy.strategy: {level: 2}\n", "disclaimer: Not official.\n") == []
    (problem,) = check("  policy.strategy: {level: 2}\n", f"disclaimer: {'x' * 401}\n")
    assert problem[2:4] == ("error", "CD106")
    assert "disclaimer" in problem[4] and "400" in problem[4]


def test_level_is_refused_on_a_metric_without_levels(tmp_path):
    """`level: <lowest>` answers a metric's lowest case; a metric without thresholds has
    no levels, so no lowest case to answer (its worst is a value, `min` or `max`)."""
    rubric = tmp_path / "r.yaml"
    rubric.write_text(
        "format: 2\nid: lin\ntitle: t\nversion: 1.0.0\ndescription: d\n"
        "sources: {s: {authors: [A], year: 2023, title: t}}\nscoring: {stage_gate: none}\n"
        "areas:\n- id: a\n  title: A\n  criteria:\n  - {id: m, question: q, kind: metric, "
        "sources: [{ref: s, section: x}],\n     metric: {unit: pts, min: 0, max: 20, "
        "scoring: linear}}\n", encoding="utf-8")
    doc = yamlio.parse(f"rubric: {rubric}\norganisation: {{name: M}}\nanswers:\n"
                       "  m: {level: 0}\n".encode(), "a.yaml")
    problems = documents.check_assessment(doc).problems
    assert [(p.line, p.code, p.message) for p in problems] == [
        (4, "CD304", "`m` is a metric criterion: answer it with `value:`, not `level:`")]


def test_a_bad_status_is_refused_at_its_place_with_a_suggestion():
    doc = yamlio.parse(b"rubric: x\norganisation: {name: M}\nanswers:\n  a.b:\n"
                       b"    level: 1\n    status: Done\n  a.c: {status: finished}\n", "a.yaml")
    _, problems = assessment.validate(doc)
    assert [(p.line, p.col, p.code) for p in problems] == [(6, 13, "CD336"), (7, 17, "CD336")]
    assert problems[0].message == ("`a.b`: `Done` is not a status of an action; write one of "
                                   "planned, under-way, done, dropped (did you mean `done`?)")
    assert "did you mean" not in problems[1].message


# -- dated evidence -------------------------------------------------------------------------


def test_a_dated_item_of_evidence_is_valid_beside_plain_text():
    assert check("  policy.strategy:\n    level: 2\n    evidence:\n      - plain\n"
                 "      - {text: Decision, date: 2023-05-01, valid_until: 2025-12-31,\n"
                 "         sha256: " + "ab" * 32 + ", ref: Registry 7}\n") == []


@pytest.mark.parametrize(("item", "code", "col", "fragment"), [
    ("{text: D, date: May 2023}", "CD331", 25, "`May 2023` is not a date"),
    ("{text: D, date: '2023-02-30'}", "CD331", 25, "is not a real day"),
    ("{text: D, date: 2023-05-01 10:00:00}", "CD331", 25, "write the day alone"),
    ("{text: D, valid_until: 20230501}", "CD331", 32, "is not a date"),
    ("{text: D, sha256: abc}", "CD332", 27, "is not a SHA-256 hash"),
    ("{text: D, date: 2023-05-01, valid_until: 2022-01-01}", "CD333", 9,
     "valid_until 2022-01-01 is before the evidence's date 2023-05-01"),
    ("{text: D, ref: 'a;b'}", "CD334", 24, "cannot be a reference"),
    ("{text: D, valid_to: 2025-01-01}", "CD102", 19, "did you mean `valid_until`?"),
    ("{date: 2023-05-01}", "CD103", 9, "missing key `text`"),
])
def test_a_bad_item_of_evidence_is_located_and_says_why(item, code, col, fragment):
    [(line, c, level, got, msg)] = check(
        f"  policy.strategy:\n    level: 2\n    evidence:\n      - {item}\n")
    assert (line, c, level, got) == (8, col, "error", code)
    assert fragment in msg and "(evidence-" not in msg


def test_evidence_dated_after_the_assessment_is_a_warning():
    [(line, col, level, code, msg)] = check(
        "  policy.strategy:\n    level: 2\n    evidence:\n"
        "      - {text: Minutes, date: 2025-05-01}\n", extra="date: 2024-01-01\n")
    assert (line, level, code) == (9, "warning", "CD335")
    assert "dated 2025-05-01, after the assessment's date 2024-01-01" in msg


def test_an_item_with_only_its_text_is_written_as_that_text():
    a = assessment.Assessment.model_validate({
        "rubric": "mini", "organisation": {"name": "M"}, "answers": {"policy.strategy": {
            "level": 2, "evidence": ["plain", {"text": "alone"},
                                     {"text": "dated", "date": "2023-05-01"}]}}})
    ev = a.answers["policy.strategy"].evidence
    assert [assessment.evidence_text(e) for e in ev] == ["plain", "alone", "dated"]
    assert assessment.evidence_data(ev) == [
        "plain", "alone", {"text": "dated", "date": __import__("datetime").date(2023, 5, 1)}]
