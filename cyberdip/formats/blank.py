"""A blank assessment for a rubric: every criterion listed, with its question and
level descriptors as comments, ready to fill in. Pure: returns text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cyberdip.formats.comments import WRAP, comment_lines  # noqa: F401 - importers use it
from cyberdip.formats.cycle import Section
from cyberdip.formats.questionnaire import Row
from cyberdip.model.rubric import (
    BooleanCriterion,
    ChoiceCriterion,
    MetricCriterion,
    Rubric,
    descriptor,
)


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
    profile: str | None = None
    section: Section | None = None
    #: ``init --pin``: the SHA-256 of the rubric file's bytes, written as ``rubric_sha256``
    pin: str | None = None
    #: How a criterion with indicators is asked (``questionnaire.MODES``).
    mode: str = "indicators"
    #: The questionnaire's language (``formats.wording.Wording``); None: English.
    wording: Any = None


def carried_label(marker: dict | None) -> str:
    """``2025 (berlin-2025.yaml)``: where carried answers came from, in a few words."""
    if not marker:
        return ""
    period = marker.get("period")
    return f"{period} ({marker['source']})" if period else str(marker["source"])


def _scalar(value: object) -> str:
    return _q(str(value)) if value not in (None, "") else ""


#: What the head of a blank assessment says, as one text (translated whole).
YAML_HELP = ("Fill in one answer per criterion: `level:` (a number on the scale), `met:` "
             "(true or false) or `value:` (a number), as the comment above each says. Leave "
             "it empty if not assessed yet; write `not_applicable: \"reason\"` if it does "
             "not apply. Evidence is a list of text or http(s) links. Check the file with "
             "`cyberdip validate FILE`.")


def blank_assessment(rubric: Rubric, rubric_ref: str, profile: str | None = None,
                     section: Section | None = None, pin: str | None = None,
                     mode: str = "indicators", wording: Any = None) -> str:
    """The blank assessment as YAML text. With profiles, only the criteria of
    ``profile`` (default: the rubric's first) are listed, worded for it. A ``section``
    lists only its criteria, names its respondent, and pre-fills the answers carried
    forward, each marked ``carried:``. In ``levels`` mode a criterion with indicators
    is answered with ``level:``, as one without; ``wording`` (``formats.wording``)
    writes the comments in its language (the keys stay as they are)."""
    from cyberdip.formats.wording import Wording
    from cyberdip.yamlio import dump

    w = wording or Wording()
    profile = profile or rubric.default_profile()
    section = section or Section()
    org = section.organisation
    out = [
        *comment_lines(f"A self-assessment against {rubric.title} ({rubric.id} "
                  f"{rubric.version}).", ""),
        "# Fill in one answer per criterion: `level:` (a number on the scale), `met:` (true or",
        "# false) or `value:` (a number), as the comment above each says. Leave it empty if not",
        "# assessed yet; write `not_applicable: \"reason\"` if it does not apply. Evidence is a",
        "# list of text or http(s) links. Check the file with `cyberdip validate FILE`.",
        "# (For completion in an editor: `cyberdip schema assessment > assessment.schema.json`",
        "# and a first line `# yaml-language-server: $schema=assessment.schema.json`.)",
    ]
    if not w.english:  # the head in the questionnaire's language
        out = [*comment_lines(w._r("rubric_title", rubric.title) + f" ({rubric.id} "
                              f"{rubric.version})", ""), *comment_lines(w.t(YAML_HELP), "")]
    if rubric.scale:
        out += ["#", "# " + w.t("The scale:")]
    for s in rubric.scale or []:
        out.extend(comment_lines(f"{s.level} {w.level_name(rubric, s.level)}: "
                                 f"{w._r('scale_meaning', s.level, s.meaning)}", ""))
    if rubric.glossary:
        out += ["#", "# " + w.t("Terms used here:")]
        for term, meaning in rubric.glossary.items():
            out.extend(comment_lines(f"{w._r('term', term)}: "
                                     f"{w._r('definition', term, meaning)}", ""))
    if section.respondent is not None:
        out += ["#"] + comment_lines(f"The section for {section.respondent}: only its "
                                     "questions are listed.", "")
    if section.prefill:
        out += ["#"] + comment_lines(
            f"{len(section.prefill)} answers are carried forward from "
            f"{carried_label(section.carried)}, each marked `carried:`. For each, confirm "
            "it (delete its `carried:` lines), change it (and delete them), or clear it "
            "(delete the answer). Until then it counts apart as carried and unconfirmed.",
            "")
    out += [
        "",
        f"rubric: {_q(rubric_ref)}",
        f"rubric_version: {_q(rubric.version)}",
        *([f"rubric_sha256: {pin}   # the rubric pinned: scoring refuses it once its file "
           "changes"] if pin else []),
        "organisation:",
        f'  name: {_q(str(org.get("name") or ""))}        # e.g. Ministry of Foreign Affairs',
        f"  unit: {_scalar(org.get('unit'))}          "
        "# e.g. Embassy in Berlin (leave empty for headquarters)",
        f"  country: {_scalar(org.get('country'))}".rstrip(),
        "period:           # e.g. \"2025\"",
        "date:             # YYYY-MM-DD",
        (f"assessors: [{_q(section.respondent)}]" if section.respondent is not None
         else "assessors: []"),
    ]
    if section.respondent is not None:
        out += comment_lines("The section of the cycle this file answers (do not change).",
                             "")
        out.append(f"section: {_q(section.respondent)}")
    if profile is not None:
        names = ", ".join(f"{p.id} ({p.name})" for p in rubric.profiles)
        out.extend(comment_lines(f"Whom this assessment is for: one of {names}. The questions "
                                 "below are those of this profile.", ""))
        out.append(f"profile: {_q(profile)}")
    out.append("answers:")
    for area in rubric.areas:
        asked = [c for c in area.all_criteria() if c.applies(profile)
                 and section.holds(c.id)]
        if not asked:
            continue
        out.append("")
        out.extend(comment_lines(f"== {w.area(area)} ({area.id}) =="
                                 + (" national context" if area.context else ""), "  "))
        groups = {c.id: g for g, _, _ in area.walk_groups() for c in g.criteria}
        for c in asked:
            out.append("")
            group = groups.get(c.id)
            if group is not None:
                out.extend(comment_lines(f"[{group.label}]", "  "))
            if c.title:
                crit = " [critical]" if w.english else " [" + w.t("critical") + "]"
                out.extend(comment_lines(f"{w._r('criterion', c.id, 'title', c.title)}"
                                         f"{crit if c.critical else ''}", "  "))
            out.extend(comment_lines(w.question(Row(c.id, area, c), profile), "  "))
            if c.stage is not None:
                out.extend(comment_lines(f"({rubric.labels.stage} {c.stage}: "
                                         f"{rubric.level_name(c.stage)})", "  "))
            if c.id in section.prefill:
                out.extend(comment_lines("Carried forward, to re-confirm: keep it and "
                                         "delete `carried:`, change it, or clear it.", "  "))
                out.append(f"  {c.id}:")
                out.extend("    " + line for line in
                           dump(section.prefill[c.id]).rstrip("\n").split("\n"))
                continue
            if c.indicators and mode != "levels":
                out.append(f"  {c.id}:")
                out.extend(comment_lines(
                    "Answer each indicator true or false (the level follows from them), or "
                    "give `level:` instead. A level is reached when every indicator at it "
                    "and below is true.", "    "))
                out.append("    indicators:")
                for lv, ind in c.indicator_list():
                    out.extend(comment_lines(
                        f"level {lv} ({rubric.level_name(lv)}): {ind.text}" if w.english
                        else w.t("level %(level)s (%(name)s)") % {
                            "level": lv, "name": w.level_name(rubric, lv)}
                        + ": " + w._r("indicator", c.id, ind.id, ind.text), "      "))
                    out.append(f"      {ind.id}:")
                out.append("    evidence: []")
                continue
            if isinstance(c, ChoiceCriterion):
                key = "answer"
                options = rubric.answer_scales.get(c.answer_scale, [])
                out.extend(comment_lines("Answer: one of "
                                         f"{', '.join(o.id for o in options)}.", "  "))
                for o in options:
                    out.extend(comment_lines(f"{o.id}: {o.name}"
                                             + (f" - {o.meaning}" if o.meaning else ""), "  "))
            elif isinstance(c, BooleanCriterion):
                key = "met"
                out.extend(comment_lines("Answer met: true or false.", "  "))
                out.extend(comment_lines(f"true  -> {descriptor(rubric, c, c.boolean.met)}", "  "))
                out.extend(comment_lines(f"false -> {descriptor(rubric, c, c.boolean.not_met)}",
                                    "  "))
            elif isinstance(c, MetricCriterion):
                key = "value"
                m = c.metric
                out.extend(comment_lines(f"Answer value: a number ({m.unit})"
                                         + (f", from {m.min:g} to {m.max:g}."
                                            if m.min is not None and m.max is not None
                                            else "."), "  "))
                for lv in c.reachable_levels(rubric.levels):
                    out.extend(comment_lines(f"{lv} <- {descriptor(rubric, c, lv)}", "  "))
            else:
                key = "level"
                out.extend(comment_lines("Answer level: one of "
                                    f"{', '.join(map(str, rubric.levels))}.", "  ")
                           if w.english else comment_lines(
                               "level: " + w.allowed(rubric, c), "  "))
                for lv in rubric.levels:
                    out.extend(comment_lines(f"{lv}: {w.descriptor(rubric, c, lv)}", "  "))
            out.append(f"  {c.id}:")
            out.append(f"    {key}:")
            out.append("    evidence: []")
    return "\n".join(out) + "\n"
