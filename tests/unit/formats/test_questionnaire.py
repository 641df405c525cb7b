"""The questionnaire's logic: what comes next, what an answer means, what gets written."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberdip import yamlio
from cyberdip.engine.scoring import score
from cyberdip.formats import documents
from cyberdip.formats import questionnaire as q

DATA = Path(__file__).resolve().parents[2] / "data"
MINI = DATA / "rubrics" / "mini.yaml"
ANSWERED = DATA / "assessments" / "mini-answered.yaml"


@pytest.fixture(scope="module")
def rubric():
    return documents.load_rubric_file(MINI)


def crit(rubric, cid):
    return next(c for _, c in rubric.criteria() if c.id == cid)


def test_progress_counts_overall_and_within_the_area(rubric):
    its = q.items(rubric)
    assert [i.progress for i in its] == [
        "1 of 4, policy 1 of 2", "2 of 4, policy 2 of 2",
        "3 of 4, outreach 1 of 2", "4 of 4, outreach 2 of 2"]


def test_choices_list_every_level_with_its_descriptor(rubric):
    assert q.choices(rubric, crit(rubric, "policy.strategy")) == [
        ("0", "None"), ("1", "Draft"), ("2", "Adopted"), ("3", "Funded"), ("4", "Reviewed")]
    assert q.choices(rubric, crit(rubric, "policy.law")) == [
        ("yes", "level 3: A law is in force."), ("no", "level 0: No law.")]
    metric = q.choices(rubric, crit(rubric, "outreach.missions-online"))
    assert metric[0] == ("0", "below 10 % of missions")
    assert metric[-1] == ("4", "at least 90 % of missions")


@pytest.mark.parametrize("text,expected", [
    ("3", 3), (" 3 ", 3), ("3.0", 3), ("0", 0), ("4", 4)])
def test_levels_tolerate_spaces_and_excel_floats(rubric, text, expected):
    assert q.parse_level(rubric, text) == expected


@pytest.mark.parametrize("text,message", [
    ("7", "7 is above the top level (4)"),
    ("-1", "-1 is below the lowest level (0)"),
    ("2.5", "2.5 is not a whole number"),
    ("three", "`three` is not a level"),
])
def test_bad_levels_are_explained(rubric, text, message):
    with pytest.raises(q.AnswerError) as e:
        q.parse_level(rubric, text)
    assert message in e.value.message
    assert e.value.code == "CD302"


@pytest.mark.parametrize("text", ["yes", "Yes", "TRUE", "true", " y ", "1", "1.0", "met"])
def test_yes(text):
    assert q.parse_met(text) is True


@pytest.mark.parametrize("text", ["no", "No", "FALSE", "false", "n", "0", "not met"])
def test_no(text):
    assert q.parse_met(text) is False


def test_neither_yes_nor_no():
    with pytest.raises(q.AnswerError, match="`maybe` is not yes or no"):
        q.parse_met("maybe")


@pytest.mark.parametrize("text,expected", [
    ("30", 30), ("30.0", 30), (" 45% ", 45), ("12.5", 12.5), ("100", 100)])
def test_metric_values(rubric, text, expected):
    v = q.parse_value(crit(rubric, "outreach.missions-online"), text)
    assert v == expected and type(v) is type(expected)


def test_metric_values_outside_the_range_are_refused(rubric):
    c = crit(rubric, "outreach.missions-online")
    with pytest.raises(q.AnswerError, match="above the largest possible value"):
        q.parse_value(c, "101")
    with pytest.raises(q.AnswerError, match="not a number"):
        q.parse_value(c, "about half")


def test_parse_answer_by_kind_and_commands(rubric):
    assert q.parse_answer(rubric, crit(rubric, "policy.strategy"), "2") == q.Value("level", 2)
    assert q.parse_answer(rubric, crit(rubric, "policy.law"), "no") == q.Value("met", False)
    assert q.parse_answer(rubric, crit(rubric, "outreach.missions-online"), "60") == q.Value(
        "value", 60)
    for cmd in ("skip", "BACK", " quit "):
        assert q.parse_answer(rubric, crit(rubric, "policy.law"), cmd) == q.Command(
            cmd.strip().lower())


def test_na_with_and_without_a_reason(rubric):
    c = crit(rubric, "outreach.dialogue")
    assert q.parse_answer(rubric, c, "n/a") == q.NotApplicable(None)
    assert q.parse_answer(rubric, c, "N/A: no public channels") == q.NotApplicable(
        "no public channels")
    assert q.parse_answer(rubric, c, "not applicable no channels") == q.NotApplicable(
        "no channels")


def test_an_answer_of_the_wrong_kind_names_what_fits(rubric):
    with pytest.raises(q.AnswerError) as e:
        q.parse_answer(rubric, crit(rubric, "policy.law"), "3")
    assert "is not yes or no" in e.value.message
    # said once, not twice ("is not yes or no; answer with yes or no")
    assert e.value.message == ("`3` is not yes or no; or type n/a, skip, back, quit, or ? "
                               "for help")
    with pytest.raises(q.AnswerError, match="type an answer"):
        q.parse_answer(rubric, crit(rubric, "policy.law"), "   ")


def test_evidence_splits_on_new_lines_and_bars():
    assert q.split_evidence("PECA 2016 | https://x.example/a\nminutes\r\n\n") == [
        "PECA 2016", "https://x.example/a", "minutes"]
    assert q.split_evidence("a|b") == ["a|b"]  # a bar inside a word is text


def _draft_like_the_handwritten(rubric) -> q.Draft:
    d = q.Draft.new(rubric, "../rubrics/mini.yaml", organisation="Test Ministry", period="2023")
    d.set_value("policy.strategy", "level", 2)
    d.set_value("policy.law", "met", True)
    d.set_evidence("policy.law", ["PECA 2016"])
    d.set_value("outreach.missions-online", "value", 30)
    d.set_na("outreach.dialogue", "no public channels yet")
    return d


def test_the_written_yaml_validates_and_scores_like_the_handwritten_file(rubric):
    d = _draft_like_the_handwritten(rubric)
    # written next to the hand-written one, so the relative rubric path is the same
    path = str(ANSWERED.parent / "generated.yaml")
    checked = documents.check_assessment(yamlio.parse(d.to_yaml().encode(), path))
    assert checked.problems == []
    hand = documents.load_assessment(str(ANSWERED))
    assert score(checked.rubric, checked.assessment) == score(hand.rubric, hand.assessment)


def test_answers_are_written_in_rubric_order_and_unknown_keys_kept(rubric):
    d = q.Draft(rubric, {"rubric": "mini", "organisation": {"name": "X"}, "notes": "keep me",
                         "answers": {"outreach.dialogue": {"level": 1, "owner": "Ayesha"}}})
    d.set_value("policy.strategy", "level", 3)
    d.set_target("outreach.dialogue", 4)
    data = d.to_data()
    assert list(data["answers"]) == ["policy.strategy", "outreach.dialogue"]
    assert data["answers"]["outreach.dialogue"] == {"level": 1, "target": 4, "owner": "Ayesha"}
    assert data["notes"] == "keep me"


def test_changing_an_na_to_a_value_drops_the_reason(rubric):
    d = _draft_like_the_handwritten(rubric)
    d.set_value("outreach.dialogue", "level", 2)
    assert d.get("outreach.dialogue") == {"level": 2}
    d.set_na("outreach.dialogue", "gone")
    assert d.get("outreach.dialogue") == {"not_applicable": "gone"}
    assert d.current_text(crit(rubric, "outreach.dialogue")) == "n/a: gone"
    assert d.current_text(crit(rubric, "policy.law")) == "yes"


def test_the_walk_resumes_at_the_first_unanswered_and_back_returns(rubric):
    d = q.Draft.new(rubric, "mini", organisation="X")
    d.set_value("policy.law", "met", False)
    w = q.Walk(d)
    assert w.current.criterion.id == "policy.strategy"
    assert w.advance().criterion.id == "outreach.missions-online"  # policy.law is answered
    assert w.back() and w.current.criterion.id == "policy.strategy"
    assert w.advance().criterion.id == "outreach.missions-online"
    assert w.advance().criterion.id == "outreach.dialogue"
    assert w.advance() is None


def test_back_at_the_first_question_asked_goes_to_the_criterion_before(rubric):
    d = _draft_like_the_handwritten(rubric)
    del d.answers["outreach.missions-online"]
    w = q.Walk(d)
    assert w.current.criterion.id == "outreach.missions-online"
    assert w.back() and w.current.criterion.id == "policy.law"
    w2 = q.Walk(q.Draft.new(rubric, "mini", organisation="X"))
    assert not w2.back()


def test_review_walks_every_criterion(rubric):
    w = q.Walk(_draft_like_the_handwritten(rubric), review=True)
    seen = []
    while w.current is not None:
        seen.append(w.current.criterion.id)
        w.advance()
    assert seen == rubric.criterion_ids()
    assert q.Walk(_draft_like_the_handwritten(rubric)).current is None


def test_summary_counts(rubric):
    d = _draft_like_the_handwritten(rubric)
    assert q.summary_of(d) == (3, 1, 0)
    del d.answers["policy.law"]
    assert q.summary_of(d) == (2, 1, 1)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=-50, max_value=50), st.sampled_from(["", ".0", " "]))
def test_a_level_is_accepted_exactly_when_it_is_on_the_scale(rubric, n, suffix):
    text = f" {n}{suffix}"
    if 0 <= n <= 4:
        assert q.parse_level(rubric, text) == n
    else:
        with pytest.raises(q.AnswerError):
            q.parse_level(rubric, text)


@pytest.mark.parametrize(("text", "comma", "value"), [
    ("79th", False, 79), ("1st", False, 1), ("22nd", False, 22), ("3RD", False, 3),
    ("1.200,5", True, 1200.5), ("12,5", True, 12.5), ("1,200", False, 1200),
])
def test_numbers_as_people_write_them(text, comma, value):
    assert q.parse_number(text, decimal_comma=comma) == value


@pytest.mark.parametrize(("text", "comma", "read", "could_be"), [
    ("1,200", True, 1.2, 1200), ("-4,500", True, -4.5, -4500), ("1,200%", True, 1.2, 1200),
    ("1.200", False, 1.2, 1200), ("999.999", False, 999.999, 999999),
])
def test_a_separator_that_could_be_a_thousands_one_is_doubted(text, comma, read, could_be):
    assert q.parse_number(text, decimal_comma=comma) == read
    doubt = q.thousands_doubt(text, decimal_comma=comma)
    assert doubt is not None
    assert f"is read as {q._num(read)}" in doubt and f"write {could_be}," in doubt


@pytest.mark.parametrize(("text", "comma"), [
    ("12,5", True), ("1,2000", True), ("1.200,5", True), ("1.200", True), ("1,200", False),
    ("12.5", False), ("1200", True), ("1234,567", True), ("0,25", True),
])
def test_a_number_read_only_one_way_is_not_doubted(text, comma):
    assert q.thousands_doubt(text, decimal_comma=comma) is None


def test_a_metrics_lowest_case_is_typed_as_none(rubric):
    c = crit(rubric, "outreach.missions-online")
    assert q.parse_value_for(rubric, c, " None ") == ("level", rubric.lowest)
    assert q.parse_answer(rubric, c, "none") == q.Value("level", rubric.lowest)
    draft = q.Draft.new(rubric, "mini", organisation="X")
    draft.set_value(c.id, "level", rubric.lowest)
    assert draft.current_text(c) == "none"
    with pytest.raises(q.AnswerError):  # only a metric has a lowest case without a number
        q.parse_answer(rubric, crit(rubric, "policy.strategy"), "none")


def test_help_is_a_command_at_the_answer_prompt(rubric):
    for text in ("?", "help", " HELP "):
        assert q.parse_answer(rubric, crit(rubric, "policy.strategy"), text) == q.Command("help")


def test_a_level_picked_from_a_workbook_list_is_its_number(rubric):
    name = rubric.level_name(3)
    assert q.strip_level_label(rubric, f"3 \u2013 {name}") == "3"
    assert q.parse_level(rubric, f"3 \u2013 {name}") == 3
    assert q.strip_level_label(rubric, "3 - not a level name") == "3 - not a level name"


def test_a_units_gloss_is_said_once_not_on_every_line_or_in_errors():
    """The GCI tier's unit explains its numbers (1 role-modelling, 2 advancing, ...): the
    allowed answers say it once, each level's line and an error use the unit's name."""
    core = documents.get_rubric("cyberdip-core")
    c = next(c for _, c in core.criteria() if c.id == "context.gci-tier")
    gloss = "1 role-modelling, 2 advancing, 3 establishing, 4 evolving, 5 building"
    assert gloss in c.metric.unit
    assert q.allowed(core, c) == f"a number (tier: {gloss}) from 1 to 5, or none"
    assert q.allowed(core, c, compact=True) == "a number (tier) from 1 to 5, or none"
    lines = q.choices(core, c)
    assert lines[1:] == [("1", "at most 5 tier"), ("2", "at most 4 tier"),
                         ("3", "at most 3 tier"), ("4", "at most 2 tier"),
                         ("5", "at most 1 tier")]
    cell = q.allowed(core, c) + "\n" + "\n".join(m for _, m in lines)
    assert cell.count("role-modelling") == 1
    with pytest.raises(q.AnswerError) as e:
        q.parse_answer(core, c, "7")
    assert "role-modelling" not in e.value.message
    assert e.value.message.startswith("7 is above the largest possible value (5 tier)")


@pytest.mark.parametrize(("unit", "name", "explained"), [
    ("tier (1 best, 5 worst)", "tier", "tier: 1 best, 5 worst"),
    ("% of missions", "% of missions", "% of missions"),
    ("rank (ITU GCI)", "rank", "rank: ITU GCI"),
    ("(odd)", "(odd)", "(odd)"),
])
def test_a_units_name_and_its_gloss(unit, name, explained):
    assert q.unit_name(unit) == name and q.unit_explained(unit) == explained


# -- dated evidence in a cell ---------------------------------------------------------------

import datetime as dt  # noqa: E402

CELL_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"),
                                  blacklist_characters="|"), min_size=1, max_size=30
                    ).map(str.strip).filter(bool)


@st.composite
def evidence_items(draw):
    text = draw(CELL_TEXT | st.sampled_from(["Report [PDF]", "X []", "Y [date: 2020-01-01]",
                                              "Z [ref: a] []", "[date: 2020-01-01]"]))
    if draw(st.booleans()):
        return text
    item = {"text": text}
    if draw(st.booleans()):
        item["date"] = draw(st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)))
    if draw(st.booleans()):
        item["valid_until"] = draw(st.dates(item.get("date", dt.date(1990, 1, 1)),
                                            dt.date(2040, 1, 1)))
    if draw(st.booleans()):
        item["sha256"] = draw(st.text("0123456789abcdefABCDEF", min_size=64, max_size=64))
    if draw(st.booleans()):
        item["ref"] = draw(CELL_TEXT.filter(lambda t: not set(t) & set(";[]")))
    return item


@settings(max_examples=300, derandomize=True)
@given(st.lists(evidence_items(), min_size=1, max_size=3))
def test_a_cell_of_evidence_reads_back_to_the_same_items(items):
    """Every item, plain or dated, as a cell writes it, reads back to itself; a dated
    item with only its text reads back as that text."""
    want = [i["text"] if isinstance(i, dict) and set(i) == {"text"} else i for i in items]
    assert q.parse_evidence(q.evidence_cell(items)) == want


@pytest.mark.parametrize(("cell", "want"), [
    ("Decision [date: 2023-05-01; valid until: 2025-12-31]",
     [{"text": "Decision", "date": dt.date(2023, 5, 1), "valid_until": dt.date(2025, 12, 31)}]),
    ("A [DATE: 2023-05-01] | B", [{"text": "A", "date": dt.date(2023, 5, 1)}, "B"]),
    ("A [ref: Registry 7 ; valid_until: 2030-01-01]\nhttps://example.org/x",
     [{"text": "A", "valid_until": dt.date(2030, 1, 1), "ref": "Registry 7"},
      "https://example.org/x"]),
    ("Report [PDF]", ["Report [PDF]"]),
    ("Minutes [date: 2023-05-01] []", ["Minutes [date: 2023-05-01]"]),
])
def test_details_in_brackets_date_an_item(cell, want):
    assert q.parse_evidence(cell) == want


@pytest.mark.parametrize(("cell", "fragment"), [
    ("A [date: 2023-02-30]", "`2023-02-30` is not a real day"),
    ("A [date: 2023-05-01; dated: 2023]", "`dated` is not a detail"),
    ("A [date: 2023-05-01; date: 2023-06-01]", "`date` is given twice"),
    ("A [sha256: abc]", "is not a SHA-256 hash"),
    ("A [date:]", "`date:` has no value"),
    ("A [date: 2023-05-01; valid until: 2020-01-01]", "is before the evidence's date"),
])
def test_a_detail_that_cannot_be_read_is_refused_with_the_reason(cell, fragment):
    with pytest.raises(q.AnswerError) as e:
        q.parse_evidence(cell)
    assert e.value.code == "CD710" and fragment in e.value.message
