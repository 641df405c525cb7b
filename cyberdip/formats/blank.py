"""A blank assessment for a rubric: every criterion listed, with its question and
level descriptors as comments, ready to fill in. Pure: returns text."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from cyberdip.model.rubric import BooleanCriterion, MetricCriterion, Rubric, descriptor

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


def _q(s: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML). DEL and the C1
    controls, which YAML refuses raw, are ``\\uXXXX`` escapes, which it reads back
    to the very same characters."""
    from cyberdip.textsafe import json_dumps

    return json_dumps(s, indent=None)


@dataclass(frozen=True)
class Blank:
    """A blank questionnaire of ``rubric``, naming it as ``rubric_ref``: what `init`
    writes, as YAML (an assessment to fill in) or CSV (a sheet for Excel)."""

    rubric: Rubric
    rubric_ref: str


def blank_assessment(rubric: Rubric, rubric_ref: str) -> str:
    out = [
        *comment_lines(f"A self-assessment against {rubric.title} ({rubric.id} "
                  f"{rubric.version}).", ""),
        "# Fill in one answer per criterion: `level:` (a number on the scale), `met:` (true or",
        "# false) or `value:` (a number), as the comment above each says. Leave it empty if not",
        "# assessed yet; write `not_applicable: \"reason\"` if it does not apply. Evidence is a",
        "# list of text or http(s) links. Check the file with `cyberdip validate FILE`.",
        "# (For completion in an editor: `cyberdip schema assessment > assessment.schema.json`",
        "# and a first line `# yaml-language-server: $schema=assessment.schema.json`.)",
        "#",
        "# The scale:",
    ]
    for s in rubric.scale:
        out.extend(comment_lines(f"{s.level} {s.name}: {s.meaning}", ""))
    out += [
        "",
        f"rubric: {_q(rubric_ref)}",
        f"rubric_version: {_q(rubric.version)}",
        "organisation:",
        '  name: ""        # e.g. Ministry of Foreign Affairs',
        "  unit:           # e.g. Embassy in Berlin (leave empty for headquarters)",
        "  country:",
        "period:           # e.g. \"2025\"",
        "date:             # YYYY-MM-DD",
        "assessors: []",
        "answers:",
    ]
    for area in rubric.areas:
        out.append("")
        out.extend(comment_lines(f"== {area.title} ({area.id}) ==", "  "))
        for c in area.criteria:
            out.append("")
            out.extend(comment_lines(f"{c.title}{' [critical]' if c.critical else ''}", "  "))
            out.extend(comment_lines(c.question, "  "))
            if isinstance(c, BooleanCriterion):
                key = "met"
                out.extend(comment_lines("Answer met: true or false.", "  "))
                out.extend(comment_lines(f"true  -> {descriptor(rubric, c, c.boolean.met)}", "  "))
                out.extend(comment_lines(f"false -> {descriptor(rubric, c, c.boolean.not_met)}",
                                    "  "))
            elif isinstance(c, MetricCriterion):
                key = "value"
                m = c.metric
                out.extend(comment_lines(f"Answer value: a number ({m.unit}).", "  "))
                for lv in c.reachable_levels(rubric.levels):
                    out.extend(comment_lines(f"{lv} <- {descriptor(rubric, c, lv)}", "  "))
            else:
                key = "level"
                out.extend(comment_lines("Answer level: one of "
                                    f"{', '.join(map(str, rubric.levels))}.", "  "))
                for lv in rubric.levels:
                    out.extend(comment_lines(f"{lv}: {descriptor(rubric, c, lv)}", "  "))
            out.append(f"  {c.id}:")
            out.append(f"    {key}:")
            out.append("    evidence: []")
    return "\n".join(out) + "\n"
