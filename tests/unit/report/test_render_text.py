"""The text scorecard: wording near thresholds, and text from files kept inert."""

import re
from pathlib import Path

import pytest

from cyberdip.formats import documents
from cyberdip.report.as_text import to_text
from cyberdip.report.common import bar, fmt_pct, fmt_score


@pytest.mark.parametrize(("value", "shown"), [
    (79.99, "79.99%"), (80.0, "80%"), (79.6, "79.6%"), (100.0, "100%"), (0.0, "0%"),
    (45.5, "45.5%"), (0.01, "0.01%"),
])
def test_a_percentage_is_shown_exactly_as_the_scorecard_holds_it(value, shown):
    # The engine rounds coverage once (down, to 2 places); no output rounds it again,
    # so a share below a threshold never prints as the threshold.
    assert fmt_pct(value) == shown


@pytest.mark.parametrize(("value", "shown"), [
    (None, "—"), (49.96, "49.96"), (50.0, "50.00"), (28.57, "28.57"),
])
def test_a_score_is_shown_exactly_as_the_scorecard_holds_it(value, shown):
    assert fmt_score(value) == shown


def test_bars_scale_to_their_width_and_show_unknown_as_dots():
    assert bar(0, 10) == "░" * 10
    assert bar(55, 10) == "█" * 6 + "░" * 4
    assert bar(100, 10) == "█" * 10
    assert bar(None, 4) == "····"


# -- text from files cannot drive the terminal ----------------------------------------

DATA = Path(__file__).resolve().parents[2] / "data"

#: (what the mini rubric says, what a hostile copy says instead): a title-setting OSC,
#: clear-screen, a C1 CSI, a bidi override and isolate, a clipboard write, conceal.
RUBRIC_EDITS = [
    ("title: A two-area rubric for tests", 'title: "Rubric\\e]0;T\\a"'),
    ("name: Formative", 'name: "Form\\e[2J"'),
    ("name: Established", 'name: "Est\\x9b1m"'),
    ("    title: Policy", '    title: "Policy\\u202e"'),
    ("title: Digital diplomacy strategy", 'title: "Strategy\\e]52;c;eA==\\a"'),
    ("3: Fund it.", '3: "Fund\\e[8m it."'),
    ("section: Leadership Lapses", 'section: "Lapses\\u2067"'),
]
CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile_card(tmp_path):
    from cyberdip.engine.scoring import score

    text = (DATA / "rubrics" / "mini.yaml").read_text()
    for old, new in RUBRIC_EDITS:
        assert old in text
        text = text.replace(old, new)
    (tmp_path / "rubric.yaml").write_text(text)
    answers = (DATA / "assessments" / "mini-answered.yaml").read_text().replace(
        "../rubrics/mini.yaml", "rubric.yaml").replace(
        "{name: Test Ministry}", '{name: "9\\e]0;PWNED\\a\\e[2J", unit: "U\\x85"}').replace(
        'period: "2023"', 'period: "2023\\u2066"')
    (tmp_path / "a.yaml").write_text(answers)
    checked = documents.load_assessment(str(tmp_path / "a.yaml"))
    assert not checked.errors
    return score(checked.rubric, checked.assessment)


def test_text_from_files_is_escaped_in_the_plain_scorecard(hostile_card):
    text = to_text(hostile_card, color=False)
    assert not CONTROLS.search(text)
    lines = text.splitlines()
    assert lines[0] == "9\\u001b]0;PWNED\\u0007\\u001b[2J — U\\u0085"
    assert lines[1] == "Rubric\\u001b]0;T\\u0007 (mini 1.0.0) · period 2023\\u2066"
    for shown in ("Stage 2 Form\\u001b[2J", "Policy\\u202e", "Strategy\\u001b]52;c;eA==\\u0007",
                  "Do: Fund\\u001b[8m it.", "stage to 3 (Est\\u009b1m)", "“Lapses\\u2067”"):
        assert shown in text


def test_colour_still_works_and_is_the_only_escape_sequence(hostile_card):
    text = to_text(hostile_card, color=True)
    assert "\x1b[1m" in text  # rich's own colours are there
    assert not CONTROLS.search(re.sub(r"\x1b\[[0-9;]*m", "", text))
    assert set(re.findall(r"\x1b\[[0-9;]*m", text)) <= {
        "\x1b[0m", "\x1b[1m", "\x1b[2m", "\x1b[33m", "\x1b[1;33m", "\x1b[1;36m"}
    assert re.sub(r"\x1b\[[0-9;]*m", "", text) == to_text(hostile_card, color=False)
