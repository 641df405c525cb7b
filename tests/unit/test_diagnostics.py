"""Problem formatters: text, JSON and GitHub annotations."""

from __future__ import annotations

import json

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
    assert text_line(W) == "x.yaml: warning[CD307]: 50%, done\nnext line"


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
