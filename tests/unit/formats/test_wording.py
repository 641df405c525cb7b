"""A questionnaire in Urdu: every word of cyberdip's translated, the rubric's from its
translation, right to left; and what a person picks in Urdu read back as the English."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from cyberdip.errors import InvalidInput
from cyberdip.formats import blank, documents, spreadsheet, workbook
from cyberdip.formats.wording import Wording, to_english
from cyberdip.report.i18n import RubricWords, words

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
CORE = ROOT / "rubrics" / "cyberdip-core.yaml"
FORMAT2 = DATA / "rubrics" / "format2.yaml"


def urdu(rubric_path: Path, gettext=None) -> tuple:
    r = documents.rubric_at(rubric_path)
    found = documents.load_translation_for(r, str(rubric_path), "ur")
    rw = RubricWords("ur", found[0] if found else None)
    return r, Wording("ur", gettext or words("ur").gettext, rw, rtl=True)


@pytest.fixture(scope="module")
def core():
    return urdu(CORE)


@pytest.fixture(scope="module")
def book(core):
    r, w = core
    return openpyxl.load_workbook(io.BytesIO(workbook.blank_xlsx(r, "cyberdip-core",
                                                                 wording=w)))


def test_every_message_the_questionnaire_asks_for_has_an_urdu_translation():
    """Whatever the rubric (levels, indicators, a metric, a choice, a yes-or-no) and the
    mode, each of cyberdip's own messages a sheet or blank asks for is in the Urdu
    catalogue: none stays in English unnoticed."""
    cat = words("ur")
    asked: set[str] = set()

    def recording(message: str) -> str:
        asked.add(message)
        return cat.gettext(message)

    for path in (CORE, FORMAT2):
        r, w = urdu(path, recording)
        for mode in ("indicators", "levels"):
            workbook.blank_xlsx(r, "r", mode=mode, wording=w)
            spreadsheet.blank_csv(r, "r", mode=mode, wording=w)
            blank.blank_assessment(r, "r", mode=mode, wording=w)
    assert len(asked) > 50
    untranslated = sorted(m for m in asked if cat.gettext(m) == m)
    assert untranslated == []


def test_the_urdu_workbook_runs_right_to_left_with_urdu_headings(book):
    for name in ("Start", "Answers"):
        ws = book[name]
        assert ws.sheet_view.rightToLeft is True
        written = [c for row in ws.iter_rows() for c in row if c.value is not None]
        assert written and all(c.alignment.horizontal == "right"
                               and c.alignment.readingOrder == 2 for c in written)
        assert {c.font.name for c in written} == {workbook.RTL_FONT}
    heads = [c.value for c in book["Answers"][1]]
    assert heads == [words("ur").gettext(h) for h in spreadsheet.COLUMNS]
    assert heads[0] == "شناخت" and "جواب" in heads
    details = {r[0].value: r[1].value for r in book["Start"].iter_rows() if r[0].value}
    assert details["language"] == "ur"


def test_no_english_message_is_left_in_the_urdu_workbook(book):
    english = set(workbook.INSTRUCTIONS) | set(spreadsheet.COLUMNS) | {
        "yes", "no", "n/a", "(do not change)", spreadsheet.DISCLAIMER_HINT}
    cells = {c.value for ws in book for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)}
    assert cells & english == set()
    prompts = {v.prompt for v in book["Answers"].data_validations.dataValidation}
    assert prompts and not any(p.isascii() for p in prompts)


def test_the_urdu_drop_downs_offer_the_levels_in_urdu_with_their_numbers(core, book):
    r, w = core
    levels = [c.value for c in book["Lists"]["A"] if c.value]
    assert levels == [f"{s.level} \u2013 {w.level_name(r, s.level)}" for s in r.scale] + [
        "لاگو نہیں"]
    assert all(not name.isascii() for name in (w.level_name(r, s.level) for s in r.scale))


def test_each_urdu_answer_reads_back_as_the_english_one(core):
    r, w = core
    table = w.answers_to_english(r)
    assert to_english("ہاں", table) == "yes" and to_english(" نہیں ", table) == "no"
    assert to_english("لاگو نہیں", table) == "n/a"
    for s in r.scale:
        english = f"{s.level} \u2013 {s.name}"
        assert to_english(w.level_label(r, s.level), table) == english
    assert to_english("free text", table) == "free text"


def test_the_urdu_csv_and_yaml_say_the_rubrics_words_in_urdu(core):
    r, w = core
    sheet = spreadsheet.blank_csv(r, "cyberdip-core", wording=w).decode("utf-8-sig")
    assert "language,ur," in sheet and "شناخت,دائرہ" in sheet
    text = blank.blank_assessment(r, "cyberdip-core", wording=w)
    assert "حکمتِ عملی" in text and "rubric: \"cyberdip-core\"" in text


def test_a_sheet_in_a_language_cyberdip_does_not_read_is_refused_at_its_cell():
    r = documents.rubric_at(FORMAT2)
    data = spreadsheet.blank_csv(r, "format2.yaml").decode("utf-8-sig")
    lines = data.split("\r\n")
    lines.insert(3, "language,fr,")
    sheet = spreadsheet.parse("\r\n".join(lines).encode("utf-8"), "s.csv",
                              {"ur": Wording("ur", words("ur").gettext)})
    _, problems = spreadsheet.to_assessment(sheet, r, "format2.yaml")
    assert [(p.code, p.path) for p in problems if p.level == "error"][:1] == [
        ("CD342", "s.csv:row 4:language")]
    # a sheet whose headings cannot be read is refused before anything else
    urdu_heads = spreadsheet.blank_csv(r, "format2.yaml", wording=Wording(
        "ur", words("ur").gettext)).decode("utf-8-sig").replace("language,ur,", "language,fr,")
    with pytest.raises(InvalidInput) as e:
        spreadsheet.parse(urdu_heads.encode("utf-8"), "s.csv",
                          {"ur": Wording("ur", words("ur").gettext)})
    assert [(p.code, p.path) for p in e.value.problems] == [("CD342", "s.csv:row 4:language")]
