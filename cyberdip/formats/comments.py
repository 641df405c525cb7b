"""YAML comment lines: text from a rubric written as comments of a YAML file (the blank
assessment, the file `assess` saves), so that no text can add a key. Its own module,
below both ``formats.blank`` and ``formats.questionnaire``, which both write them."""

from __future__ import annotations

import textwrap

WRAP = 86


def comment_lines(text: str, indent: str) -> list[str]:
    """``text`` as YAML comment lines. Every line break in it (YAML's and Python's)
    starts a new comment line, and control characters, which YAML allows nowhere, not
    even in a comment, are written as escapes: rubric text cannot add a key."""
    from cyberdip.textsafe import for_terminal

    lines = []
    for para in text.splitlines() or [""]:
        para = for_terminal(para)
        wrapped = textwrap.wrap(para, WRAP - len(indent) - 2) or [""]
        lines.extend(f"{indent}# {w}".rstrip() for w in wrapped)
    return lines


__all__ = ["WRAP", "comment_lines"]
