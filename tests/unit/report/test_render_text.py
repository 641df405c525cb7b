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


# -- without colour, the scorecard is laid out without rich, to the same bytes ----------
#
# to_text writes the scorecard down as the calls rich's console would get (_calls); with
# no colour, when _plain_ok finds nothing it is unsure of, _plain lays them out without
# importing rich. Whatever the path, the bytes are rich's: _with_rich is rich itself.

import collections  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cyberdip.report import as_text  # noqa: E402
from tests.conftest import ROOT  # noqa: E402
from tests.unit.engine.test_scoring_doc import (  # noqa: E402
    Assessment,
    Rubric,
    cases,
    cases2,
    score,
    sized,
)


def by_rich(card, width: int = 100) -> str:
    return as_text._with_rich(as_text._calls(card, width=width, top=5), color=False,
                              width=width)


def takes_plain(card, width: int = 100) -> bool:
    return as_text._plain_ok(as_text._calls(card, width=width, top=5), width)


#: Words for the texts below: short ones with the characters the plain layout takes
#: besides ASCII (dashes, quotes, Latin letters), and words near a line's width of 100
#: cells and over it.
WORD = st.one_of(
    st.text("abcxyzABC0-9.,;:'()/&“”—–·→é", min_size=1, max_size=12),
    st.sampled_from(["Ministry", "of", "Foreign", "Affairs", "Ministère", "—", "→", "a"]),
)
LONG_WORD = st.sampled_from(["x" * 97, "y" * 98, "z" * 99, "w" * 100, "v" * 101, "u" * 140])
SPACES = st.sampled_from([" ", " ", " ", "  ", "   "])


@st.composite
def words(draw, long: bool = False) -> str:
    """A title or a sentence: words with one or more spaces between, maybe some before
    and after, from one word to lines near and over 100 cells; with ``long``, words
    near and over a line's width too."""
    word = st.one_of(WORD, WORD, LONG_WORD) if long else WORD
    n = draw(st.one_of(st.integers(1, 5), st.integers(1, 5), st.integers(1, 30)))
    out = draw(st.sampled_from(["", "", " ", "  "]))
    for i in range(n):
        out += (draw(SPACES) if i else "") + draw(word)
    return out + draw(st.sampled_from(["", "", " ", "   "]))


#: Characters the plain layout leaves to rich: wide (CJK), right to left (Urdu), a
#: combining accent, a soft hyphen, a no-break space, a line separator, a tab and an
#: escape (shown escaped), an emoji, an ideographic space.
ODD = st.sampled_from(["中文", "وزارت خارجہ", "e\u0301", "\u00ad", "\u00a0", "\u2028", "\t",
                       "\x1b[2J", "🙂", "\u3000"])


def user_text(mode: str) -> st.SearchStrategy[str]:
    """What a file may say. ``plain``: text of the characters the plain layout takes;
    ``long``: with words near and over a line's width; ``odd``: sometimes any text,
    or text with characters left to rich."""
    if mode == "plain":
        return words()
    if mode == "long":
        return st.one_of(words(), words(long=True))
    return st.one_of(
        words(), words(), words(),
        st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1,
                max_size=120),
        st.builds(lambda a, odd, b: a + odd + b, words(), ODD, words()))


#: Keys whose strings are the user's text, shown in the scorecard
TEXT_KEYS = {"title", "name", "citation", "section", "question", "unit", "period"}


def with_texts(draw, data, texts):
    """``data`` with its titles, names, citations and sections replaced at random."""
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            if k in TEXT_KEYS and isinstance(v, str) and draw(st.integers(0, 2)):
                v = draw(texts)
            elif k == "recommendations" and isinstance(v, dict):
                v = {lv: draw(texts) if draw(st.booleans()) else t for lv, t in v.items()}
            else:
                v = with_texts(draw, v, texts)
            out[k] = v
        return out
    if isinstance(data, list):
        return [with_texts(draw, v, texts) for v in data]
    return data


@st.composite
def scorecards(draw):
    """A random rubric and assessment (as the engine's doc tests make them), format 1
    or 2, with random text in every field the scorecard shows from a file."""
    rubric, assessment = draw(st.one_of(cases(), cases2()))
    texts = user_text(draw(st.sampled_from(["plain", "plain", "long", "odd"])))
    rubric, assessment = with_texts(draw, rubric, texts), with_texts(draw, assessment, texts)
    if draw(st.booleans()):
        rubric["labels"] = {"index": draw(texts), "stage": draw(texts)}
    org = assessment.setdefault("organisation", {"name": "Ministry"})
    org["name"] = draw(st.one_of(st.just(""), texts))
    if draw(st.booleans()):
        org["unit"] = draw(texts)
    if draw(st.booleans()):
        assessment["period"] = draw(texts)
    if draw(st.booleans()):
        assessment["disclaimer"] = draw(texts.filter(lambda t: len(t) <= 400))
    return score(Rubric.model_validate(rubric), Assessment.model_validate(assessment),
                 min_coverage=draw(st.sampled_from([0, 80, 100])))


def test_without_colour_the_plain_layout_is_rich_s_byte_for_byte():
    taken = collections.Counter()

    @sized(300)
    @given(card=scorecards())
    def check(card):
        calls = as_text._calls(card, width=100, top=5)
        rich = as_text._with_rich(calls, color=False, width=100)
        plain = as_text._plain_ok(calls, 100)
        if plain:
            assert as_text._plain(calls, 100) == rich
        assert to_text(card) == rich
        taken[plain] += 1

    check()
    # both paths were taken, each often enough for the comparison to mean something (a
    # sixth of the draws at least: the split moves with what ran before in the same
    # process, down to 92 plain of 300 in one order seen, so the bound keeps well clear)
    assert taken[True] >= 50 and taken[False] >= 50, taken


def shipped_cards():
    """Every shipped example (examples/**, with its own rubric) and every test
    assessment the golden reports and the text tests are made from, scored."""
    paths = sorted([*(ROOT / "examples").rglob("*.yaml"),
                    *(ROOT / "tests" / "data" / "assessments").glob("*.yaml")])
    out = {}
    for p in paths:
        if p.name == "pack.yaml" or p.name.startswith("rubric"):
            continue
        try:
            checked = documents.load_assessment(str(p))
        except Exception:  # not an assessment, or one made to be refused
            continue
        if checked.assessment is not None and not checked.errors:
            out[str(p.relative_to(ROOT))] = score(checked.rubric, checked.assessment)
    return out


SHIPPED = shipped_cards()


def test_the_shipped_examples_are_found():
    assert "examples/pakistan-mofa-2023.yaml" in SHIPPED
    assert "tests/data/assessments/mini-answered.yaml" in SHIPPED
    assert sum(name.startswith("examples/") for name in SHIPPED) >= 8


@pytest.mark.parametrize("name", sorted(SHIPPED))
@pytest.mark.parametrize("width", [100, 60, 140])
def test_every_shipped_example_reads_the_same_without_rich(name, width):
    card = SHIPPED[name]
    assert to_text(card, width=width) == by_rich(card, width)
    calls = as_text._calls(card, width=width, top=5)
    if as_text._plain_ok(calls, width):
        assert as_text._plain(calls, width) == by_rich(card, width)


def test_the_worked_example_takes_the_plain_layout():
    # the figure `score` is measured on (docs/performance.md)
    assert takes_plain(SHIPPED["examples/pakistan-mofa-2023.yaml"])
    assert takes_plain(SHIPPED["tests/data/assessments/mini-answered.yaml"])


def mini_card(**changes):
    """The mini scorecard with its organisation or first area's title changed."""
    card = SHIPPED["tests/data/assessments/mini-answered.yaml"]
    org = card.organisation.model_copy(update={
        k: v for k, v in changes.items() if k in ("name", "unit")})
    areas = list(card.areas)
    if "area" in changes:
        areas[0] = areas[0].model_copy(update={"title": changes["area"]})
    return card.model_copy(update={"organisation": org, "areas": areas})


@pytest.mark.parametrize(("changes", "plain"), [
    ({}, True),
    ({"name": "Ministère des Affaires étrangères — Direction “numérique”"}, True),
    ({"name": "Ministry " + "x" * 100}, True),  # wraps: every word still fits
    ({"name": " " * 3 + "lead and trail  "}, True),
    ({"area": "A" * 40}, True),  # the table is still 100 cells or fewer
    # rich would fold a word wider than the line
    ({"name": "Ministry " + "x" * 101}, False),
    ({"name": "   " + "x" * 98}, False),  # the first word counts its indent
    ({"area": "A" * 60}, False),  # the table no longer fits: rich shrinks its columns
    ({"name": "外交部"}, False),  # two cells per character
    ({"name": "وزارت خارجہ"}, False),  # right to left, and not in the list
    ({"unit": "Cafe\u0301"}, False),  # a combining accent: no cell of its own
    ({"unit": "Cyber\u00addesk"}, False),  # soft hyphen: 0 cells in rich 13.8, 1 in 15
    ({"unit": "Cyber\u00a0desk"}, False),  # no-break space: whitespace to rich
    ({"unit": "Cyber\u3000desk"}, False),  # ideographic space: wide whitespace
])
def test_which_scorecards_take_the_plain_layout(changes, plain):
    card = mini_card(**changes)
    assert takes_plain(card) is plain
    assert to_text(card) == by_rich(card)


def test_a_coloured_scorecard_is_always_rich_s():
    card = SHIPPED["examples/pakistan-mofa-2023.yaml"]
    coloured = to_text(card, color=True)
    assert coloured == as_text._with_rich(as_text._calls(card, width=100, top=5),
                                          color=True, width=100)
    assert "\x1b[" in coloured


def test_every_character_the_plain_layout_takes_is_one_plain_cell_in_this_rich():
    # PLAIN_EXTRA's promise, checked against the rich installed (CI also runs the
    # oldest rich pyproject.toml allows)
    import re

    from rich.cells import cell_len

    extra = re.sub(r"(.)-(.)", lambda m: "".join(
        chr(i) for i in range(ord(m[1]), ord(m[2]) + 1)), as_text.PLAIN_EXTRA)
    chars = [chr(i) for i in range(0x20, 0x7f)] + list(extra)
    assert "\u00ad" not in chars and "é" in chars and "—" in chars
    for c in chars:
        assert cell_len(c) == 1, hex(ord(c))
        assert not as_text._NOT_PLAIN.search(c)
        if c != " ":
            assert not re.match(r"\s", c) and len(f"a{c}b".split()) == 1, hex(ord(c))
            assert len(f"a{c}b".splitlines()) == 1, hex(ord(c))
    assert as_text._NOT_PLAIN.search("\u00ad") and as_text._NOT_PLAIN.search("\n")


def test_a_plain_scorecard_imports_no_rich():
    code = ("import sys\n"
            "from cyberdip.formats import documents\n"
            "from cyberdip.engine.scoring import score\n"
            "from cyberdip.report.as_text import to_text\n"
            "c = documents.load_assessment('examples/pakistan-mofa-2023.yaml')\n"
            "text = to_text(score(c.rubric, c.assessment), color=False)\n"
            "assert text.startswith('Ministry of Foreign Affairs of Pakistan')\n"
            "print(any(m == 'rich' or m.startswith('rich.') for m in sys.modules))\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert (p.returncode, p.stdout, p.stderr) == (0, "False\n", "")
