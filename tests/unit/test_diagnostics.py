"""Problem formatters: text, JSON and GitHub annotations."""

from __future__ import annotations

import json
import os

from cyberdip.diagnostics import format_problems, github_line, resolve_format, text_line
from cyberdip.errors import CODES, Problem

P = Problem("rubrics/a b.yaml", 12, 3, "error", "CD102", "unknown key `wieght`: did you mean "
            "`weight`?")
W = Problem("x.yaml", 0, 0, "warning", "CD307", "50%, done\nnext line")


def test_resolve_format():
    assert resolve_format("auto", {}) == "text"
    assert resolve_format("auto", {"GITHUB_ACTIONS": "true"}) == "github"
    assert resolve_format("auto", {"GITHUB_ACTIONS": "false"}) == "text"
    assert resolve_format("json", {"GITHUB_ACTIONS": "true"}) == "json"


def test_text():
    assert text_line(P) == ("rubrics/a b.yaml:12:3: error[CD102]: unknown key `wieght`: did you "
                            "mean `weight`?")
    # one problem, one line: a line break in a message is shown, not obeyed
    assert text_line(W) == "x.yaml: warning[CD307]: 50%, done\\nnext line"


def test_text_colour_only_when_asked():
    coloured = text_line(P, color=True)
    assert "\x1b[" in coloured and "\x1b[" not in text_line(P)
    assert coloured.replace("\x1b[0m", "").replace("\x1b[1m", "").replace("\x1b[1;31m", "") \
        == text_line(P)


def test_github_escapes_properties_and_message():
    assert github_line(P) == ("::error file=rubrics/a b.yaml,line=12,col=3,title=CD102 "
                              "unknown-key::unknown key `wieght`: did you mean `weight`?")
    assert github_line(W) == ("::warning file=x.yaml,title=CD307 rubric-version-mismatch::"
                              "50%25, done%0Anext line")
    tricky = Problem("a,b:c.yaml", 1, 1, "error", "CD001", "x")
    assert github_line(tricky).startswith("::error file=a%2Cb%3Ac.yaml,line=1,col=1,")


def test_json_is_one_document_with_names():
    doc = json.loads(format_problems([P, W], "json"))
    assert doc[0] == {"path": "rubrics/a b.yaml", "line": 12, "col": 3, "level": "error",
                      "code": "CD102", "name": "unknown-key",
                      "message": "unknown key `wieght`: did you mean `weight`?"}
    assert doc[1]["name"] == "rubric-version-mismatch"
    assert format_problems([], "json") == "[]\n"


def test_text_and_github_are_a_line_each():
    assert format_problems([P, P], "text") == text_line(P) + "\n" + text_line(P) + "\n"
    assert format_problems([], "github") == ""


def test_every_code_has_a_unique_kebab_case_name():
    names = list(CODES.values())
    assert all(n == n.lower() and " " not in n for n in names)
    assert all(code.startswith("CD") and len(code) == 5 for code in CODES)


# -- text from files cannot drive the terminal ----------------------------------------

#: A value that sets the window title, rings the bell, clears the screen, writes the
#: clipboard, and reverses the rest of the line.
EVIL = "9\x1b]0;PWNED\x07\x1b[2J\x1b]52;c;SGVsbG8=\x07\u202eX\x9b1m"
E = Problem("a\x1b[2J.yaml", 7, 3, "error", "CD301", f"`{EVIL}` is not a criterion")
SHOWN = "9\\u001b]0;PWNED\\u0007\\u001b[2J\\u001b]52;c;SGVsbG8=\\u0007\\u202eX\\u009b1m"


def _controls(s: str) -> list[str]:
    return [c for c in s if ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 or c == "\u202e"]


def test_text_escapes_control_characters_in_path_and_message():
    assert text_line(E) == f"a\\u001b[2J.yaml:7:3: error[CD301]: `{SHOWN}` is not a criterion"
    assert _controls(format_problems([E, W], "text").replace("\n", "")) == []
    assert format_problems([E, W], "text").count("\n") == 2


def test_colour_is_added_after_escaping_and_still_works():
    coloured = text_line(E, color=True)
    assert coloured.startswith("\x1b[1ma\\u001b[2J.yaml:7:3:\x1b[0m \x1b[1;31merror[CD301]:")
    assert coloured.replace("\x1b[0m", "").replace("\x1b[1m", "").replace(
        "\x1b[1;31m", "") == text_line(E)


def test_github_escapes_control_characters_but_keeps_its_line_encoding():
    line = github_line(E)
    assert _controls(line) == []
    assert line == (f"::error file=a\\u001b[2J.yaml,line=7,col=3,title=CD301 "
                    f"unknown-criterion::`{SHOWN}` is not a criterion")
    assert github_line(W).endswith("::50%25, done%0Anext line")


def test_json_stays_exact_and_valid_and_escapes_c1_and_bidi():
    text = format_problems([E], "json")
    assert _controls(text.replace("\n", "")) == []
    assert "\\u009b" in text and "\\u202e" in text
    assert json.loads(text)[0]["message"] == E.message


def test_a_non_utf8_file_name_is_shown_by_its_bytes():
    p = Problem(os.fsdecode(b"\xff\xfe.yaml"), 1, 1, "error", "CD001", "invalid YAML")
    assert text_line(p) == "\\xff\\xfe.yaml:1:1: error[CD001]: invalid YAML"
    assert github_line(p).startswith("::error file=\\xff\\xfe.yaml,")
    for fmt in ("text", "github", "json"):
        format_problems([p], fmt).encode("utf-8")  # never a UnicodeEncodeError
    assert json.loads(format_problems([p], "json"))[0]["path"] == p.path  # exact in JSON
