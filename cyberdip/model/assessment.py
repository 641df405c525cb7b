"""Assessment models: a ministry's (or a mission's) answers to a rubric.

``docs/assessment-format.md`` is the prose version of this module.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import Field, ValidationError

from cyberdip import yamlio
from cyberdip.errors import Problem
from cyberdip.model.fields import Int, Num, Strict, Text, did_you_mean, pydantic_problems
from cyberdip.model.rubric import BooleanCriterion, LevelCriterion, MetricCriterion, Rubric


class Organisation(Strict):
    name: str = Field("", description="e.g. Ministry of Foreign Affairs of Pakistan "
                      "(may be left empty in a blank assessment)")
    unit: str | None = Field(None, description='e.g. "Embassy of Pakistan, Berlin"')
    country: str | None = None


class Answer(Strict):
    """One criterion's answer. Leave every value empty for "not assessed"."""

    level: Int | None = Field(None, description="For `level` criteria: the level reached.")
    met: bool | None = Field(None, description="For `boolean` criteria: true or false.")
    value: Num | None = Field(None, description="For `metric` criteria: the measured number.")
    evidence: list[Text] = Field(default_factory=list,
                                 description="Text, or http(s) links, that support the answer.")
    notes: str | None = None
    target: Int | None = Field(None, description="The level aimed for.")
    not_applicable: str | bool | None = Field(
        None, description="Why this criterion does not apply (a reason is required).")
    owner: str | None = None
    due: dt.date | str | None = None

    @property
    def is_na(self) -> bool:
        return self.not_applicable not in (None, False)

    @property
    def has_value(self) -> bool:
        return self.level is not None or self.met is not None or self.value is not None


class Assessment(Strict):
    """A self-assessment against one rubric."""

    rubric: Text = Field(description="A built-in rubric id, or a path to a rubric file "
                         "(relative to this file).")
    rubric_version: str | None = Field(None, description="The rubric version answered.")
    organisation: Organisation
    period: str | None = Field(None, description='e.g. "2023" or "2024-Q2"')
    date: dt.date | str | None = None
    assessors: list[Text] = Field(default_factory=list)
    illustrative: bool = Field(False, description="True for made-up example data.")
    marking: Annotated[str, Field(min_length=1, max_length=120)] | None = Field(
        None, description='A protective marking for every report made from this file, '
        'e.g. "TLP:AMBER" or "RESTRICTED"; `cyberdip report --marking` overrides it.')
    notes: str | None = None
    default_target: Int | None = Field(None, description="Target for answers that set none.")
    answers: dict[str, Answer | None] = Field(default_factory=dict)

    def answer(self, criterion_id: str) -> Answer | None:
        return self.answers.get(criterion_id)


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):\S")


def is_link(text: str) -> bool:
    """True for the only links we ever render: http and https."""
    return bool(re.match(r"^https?://\S+$", text.strip(), re.IGNORECASE))


def validate(doc: yamlio.Document) -> tuple[Assessment | None, list[Problem]]:
    """The assessment in ``doc`` and the problems of its structure (schema); the
    checks against its rubric are :func:`check`'s. Finding the rubric is not this
    layer's business (``formats.documents.check_assessment`` does it)."""
    if not isinstance(doc.data, dict):
        return None, [Problem(doc.path, 1, 1, "error", "CD104",
                              "an assessment must be a mapping of keys to values")]
    try:
        return Assessment.model_validate(doc.data), []
    except ValidationError as e:
        return None, _relabel(pydantic_problems(e, doc, Assessment))


def _relabel(problems: list[Problem]) -> list[Problem]:
    """Give answer-value type errors the codes the assessment docs promise."""
    out = []
    for p in problems:
        if ".value:" not in p.message:
            pass
        elif p.code == "CD104" and "expected a number" in p.message:
            p = Problem(p.path, p.line, p.col, p.level, "CD303",
                        p.message + " (write the number alone, without units or %)")
        elif "YAML 1.1 reads" in p.message or "not a finite number" in p.message:
            p = Problem(p.path, p.line, p.col, p.level, "CD303", p.message)
        out.append(p)
    return out


def check(a: Assessment, rubric: Rubric, doc: yamlio.Document) -> list[Problem]:
    """Check answers against the rubric: ids, kinds, levels, N/A reasons, links."""
    out: list[Problem] = []

    def add(loc: tuple, code: str, msg: str, *, level: str = "error", key: bool = False) -> None:
        line, col = doc.locate(loc, key=key)
        out.append(Problem(doc.path, line, col, level, code, msg))

    scale = set(rubric.levels)
    lo, hi = rubric.lowest, rubric.highest
    if a.rubric_version and a.rubric_version != rubric.version:
        add(("rubric_version",), "CD307",
            f"answered against version {a.rubric_version} of `{rubric.id}`, but the rubric is "
            f"now {rubric.version}; check new or changed criteria", level="warning")
    if a.default_target is not None and a.default_target not in scale:
        add(("default_target",), "CD302",
            f"default_target {a.default_target} is outside the scale {lo}..{hi}")

    criteria = {c.id: c for _, c in rubric.criteria()}
    for cid, ans in a.answers.items():
        loc = ("answers", cid)
        c = criteria.get(cid)
        if c is None:
            hint = did_you_mean(cid, list(criteria))
            add(loc, "CD301", f"`{cid}` is not a criterion of `{rubric.id}`"
                + (f": {hint}" if hint else " (run `cyberdip init` to list them)"), key=True)
            continue
        if ans is None:
            continue
        given = [k for k in ("level", "met", "value") if getattr(ans, k) is not None]
        if ans.not_applicable is True or (isinstance(ans.not_applicable, str)
                                          and not ans.not_applicable.strip()):
            add((*loc, "not_applicable"), "CD305",
                f"`{cid}` is marked not applicable without a reason; write the reason "
                "instead of `true`, e.g. not_applicable: \"no mission in that region\"")
        if ans.is_na and given:
            add((*loc, given[0]), "CD309",
                f"`{cid}` is both answered ({given[0]}) and marked not applicable; keep one")
        if len(given) > 1:
            add((*loc, given[1]), "CD309",
                f"`{cid}` has both `{given[0]}` and `{given[1]}`; give one answer")
        expected = _answer_key(c)
        for k in given:
            if k != expected:
                add((*loc, k), "CD304",
                    f"`{cid}` is a {c.kind} criterion: answer it with `{expected}:`, not `{k}:`"
                    + (" (true or false)" if expected == "met" else ""))
        if ans.level is not None and expected == "level" and ans.level not in scale:
            add((*loc, "level"), "CD302",
                f"level {ans.level} is outside the scale {lo}..{hi} of `{rubric.id}`")
        if ans.value is not None and isinstance(c, MetricCriterion):
            m = c.metric
            if (m.min is not None and ans.value < m.min) or (
                    m.max is not None and ans.value > m.max):
                add((*loc, "value"), "CD106",
                    f"value {ans.value:g} is outside the range of `{cid}` "
                    f"({m.min if m.min is not None else '-inf'}.."
                    f"{m.max if m.max is not None else 'inf'} {m.unit})")
        if ans.target is not None and ans.target not in scale:
            add((*loc, "target"), "CD302",
                f"target {ans.target} is outside the scale {lo}..{hi}")
        elif ans.target is not None:
            top = max(c.reachable_levels(rubric.levels))
            if ans.target > top:
                add((*loc, "target"), "CD311",
                    f"target {ans.target} for `{cid}` is above the highest level it can reach "
                    f"({top}, {rubric.level_name(top)}); it is scored against {top}",
                    level="warning")
        for i, ev in enumerate(ans.evidence):
            m = _SCHEME.match(ev.strip())
            if m and m.group(1).lower() not in ("http", "https") and not is_link(ev):
                add((*loc, "evidence", i), "CD308",
                    f"evidence link `{ev[:40]}` uses the `{m.group(1)}:` scheme; only http and "
                    "https links are shown as links (it will be shown as plain text)",
                    level="warning")
    return out


def _answer_key(c: Any) -> str:
    if isinstance(c, LevelCriterion):
        return "level"
    if isinstance(c, BooleanCriterion):
        return "met"
    return "value"


__all__ = ["Answer", "Annotated", "Assessment", "Organisation", "check", "is_link",
           "validate"]
