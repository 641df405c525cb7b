"""Several respondents' answers to one rubric, merged into one consensus assessment.

Pure: assessments in, assessment data and a per-criterion account out. The rules
(docs/questionnaire.md, "Several respondents"):

* Each respondent's answer is turned into the level it claims (a yes/no or a number
  through the rubric). The **spread** of a criterion is the highest level given minus
  the lowest.
* ``median``: the merged answer is the answer of the respondent whose level is the
  median; with an even number of levels, the lower of the two middle ones, so the
  consensus is never a level nobody gave and never leans upwards. ``lowest``: the
  answer with the lowest level.
* ``discuss_above``: a spread above it marks the criterion **needs discussion**. Its
  merged answer is then the lowest level given (whatever the rule), so an optimistic
  answer never stands while the group disagrees, and a note says so; the report
  shows every such criterion.
* N/A only when everyone who answered said N/A (reasons joined); otherwise the
  respondents who gave a value decide, and the others are listed.
* Evidence: every respondent's, each item once, in respondent order. Target: the
  same rule over the targets given. Notes: every respondent's, each once, one a line.
  Owner and due date: the chosen respondent's, else the first given. An answer with
  no value but with evidence, a target or notes keeps them.
* The assessment: organisation from the first respondent; period, profile, marking
  and ``disclaimer`` the first given; ``default_target`` by the rule; ``illustrative``
  when any respondent's is; ``assessors`` every respondent's, each once (a respondent
  with none is named by the file).
* Every respondent's own answer is kept in the merged answer (``respondents``), and
  ``merged_from`` names them and the rule, so the report can show who said what.
* Carried forward (docs/cycle.md): the merged answer keeps the ``carried`` marker when
  every answer at the merged level (or every N/A, for an N/A) still has it; one
  respondent's confirmed answer at that level confirms it. Sections that do not
  overlap simply combine: a criterion only one section answered takes that answer.
  ``missing_sections`` (from the cycle manifest) names the sections not merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cyberdip.engine.scoring import merge_level, shown
from cyberdip.model.assessment import Answer, Assessment
from cyberdip.model.rubric import AnyCriterion, MetricCriterion, Rubric

RULES = ("median", "lowest")


@dataclass(frozen=True)
class Given:
    """What one respondent said about one criterion."""

    name: str
    answer: Answer | None
    level: int | None  # the level the answer claims; None for N/A or not answered

    @property
    def is_na(self) -> bool:
        return self.answer is not None and self.answer.is_na

    criterion: AnyCriterion | None = None

    def shown(self) -> str:
        """The answer as a person would type it (``scoring.shown``)."""
        assert self.criterion is not None
        return shown(self.answer, self.criterion)

    def said(self) -> str:
        """The answer with the level it claims where the answer does not say it: ``level
        2 (2 of 8 indicators met)``, ``45 (level 2)``; a level, yes or no, a choice, or
        a number without levels, as typed."""
        text = self.shown()
        c = self.criterion
        if (self.level is None or text == str(self.level) or c is None
                or isinstance(c, MetricCriterion) and not c.metric.thresholds
                or c.kind in ("choice", "boolean")):
            return text
        if self.answer is not None and self.answer.level is None and self.answer.indicators:
            return f"level {self.level} ({text})"
        return f"{text} (level {self.level})"


@dataclass
class Outcome:
    """One criterion after merging: who said what, the spread, and the merged answer."""

    id: str
    given: list[Given]
    spread: int | None  # None when fewer than one respondent gave a level
    needs_discussion: bool
    merged: dict[str, Any] | None
    merged_level: int | None
    how: str  # e.g. "median", "lowest (needs discussion)", "all n/a", "not answered"

    @property
    def levels(self) -> list[int]:
        return [g.level for g in self.given if g.level is not None]


@dataclass
class Merged:
    data: dict[str, Any]
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def disagreements(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.spread]


def respondent_of(g: Given) -> dict[str, Any]:
    """The provenance kept in the merged file for one respondent."""
    out: dict[str, Any] = {"name": g.name}
    a = g.answer
    if a is not None:
        for k in ("level", "met", "value", "answer"):
            if getattr(a, k) is not None:
                out[k] = getattr(a, k)
        if a.indicators:
            out["indicators"] = {k: (v.model_dump(exclude_defaults=True) if hasattr(
                v, "model_dump") else v) for k, v in a.indicators.items()}
        if a.is_na:
            out["not_applicable"] = a.not_applicable if isinstance(a.not_applicable, str) \
                else "n/a"
        if a.evidence:
            out["evidence"] = list(a.evidence)
        if a.notes:
            out["notes"] = a.notes
        if a.unconfirmed and a.carried is not None:
            out["carried"] = a.carried.model_dump(exclude_none=True)
    return out


def _carried(chosen: list[Given]) -> dict[str, Any] | None:
    """The merged answer stays carried and unconfirmed when the answers it is made from
    all are (docs/cycle.md): one respondent's confirmation confirms it."""
    answers = [g.answer for g in chosen if g.answer is not None]
    if answers and all(a.unconfirmed for a in answers):
        return answers[0].carried.model_dump(exclude_none=True)  # type: ignore[union-attr]
    return None


def _pick(given: list[Given], rule: str, c: AnyCriterion) -> Given:
    """The respondent whose answer is the consensus under ``rule``: ordered by level,
    then (for a metric) by how far the value is from better."""
    def key(g: Given) -> tuple[int, float]:
        v = g.answer.value if g.answer is not None and g.answer.value is not None else 0.0
        if isinstance(c, MetricCriterion) and c.metric.better == "lower":
            v = -v
        return (g.level if g.level is not None else 0, v)

    ranked = sorted(given, key=key)
    return ranked[0] if rule == "lowest" else ranked[(len(ranked) - 1) // 2]


def _by_rule(values: list[int], rule: str) -> int | None:
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[0] if rule == "lowest" else ordered[(len(ordered) - 1) // 2]


def _rest(given: list[Given], chosen: Given | None, rule: str, merged: dict[str, Any]
          ) -> dict[str, Any]:
    """What travels with the merged answer besides its value: evidence, target, notes,
    owner and due date (module docstring)."""
    out = dict(merged)
    answers = [g.answer for g in given if g.answer is not None]
    evidence = list(dict.fromkeys(e for a in answers for e in a.evidence))
    if evidence:
        out["evidence"] = evidence
    target = _by_rule([a.target for a in answers if a.target is not None], rule)
    if target is not None:
        out["target"] = target
    notes = list(dict.fromkeys(a.notes for a in answers if a.notes))
    if notes:
        out["notes"] = "\n".join(notes)
    first = [chosen.answer] if chosen is not None and chosen.answer is not None else []
    for k in ("owner", "due"):
        v = next((getattr(a, k) for a in first + answers if getattr(a, k) is not None), None)
        if v is not None:
            out[k] = v if k == "owner" else str(v)
    return out


def merge_criterion(rubric: Rubric, c: AnyCriterion, given: list[Given], rule: str,
                    discuss_above: int | None) -> Outcome:
    valued = [g for g in given if g.level is not None]
    nas = [g for g in given if g.is_na]
    if not valued:
        if nas:
            reasons = list(dict.fromkeys(
                str(g.answer.not_applicable) for g in nas
                if g.answer is not None and isinstance(g.answer.not_applicable, str)))
            merged = _rest(given, None, rule, {"not_applicable": "; ".join(reasons) or "n/a"})
            if _carried(nas):
                merged["carried"] = _carried(nas)
            return Outcome(c.id, given, None, False, merged, None, "all n/a")
        rest = _rest(given, None, rule, {})
        return Outcome(c.id, given, None, False, rest or None, None, "not answered")
    levels = [g.level for g in valued]
    spread = max(levels) - min(levels)
    discuss = discuss_above is not None and spread > discuss_above
    chosen = _pick(valued, "lowest" if discuss else rule, c)
    a = chosen.answer
    assert a is not None
    merged: dict[str, Any] = {}
    for k in ("level", "met", "value", "answer"):
        if getattr(a, k) is not None:
            merged[k] = getattr(a, k)
    if a.indicators:  # the chosen respondent's indicator answers: its level, as given
        merged["indicators"] = {k: (v.model_dump(exclude_defaults=True) if hasattr(
            v, "model_dump") else v) for k, v in a.indicators.items()}
    merged = _rest(valued, chosen, rule, merged)
    targets = [g.answer.target for g in given
               if g.answer is not None and g.answer.target is not None]
    if targets:
        merged["target"] = _by_rule(targets, rule)
    how = rule
    notes = []
    if discuss:
        how = "lowest (needs discussion)"
        notes.append(f"Needs discussion: respondents gave levels {min(levels)} to "
                     f"{max(levels)} (spread {spread}, above {discuss_above}); the lowest "
                     "is kept until the group agrees.")
    if nas:
        notes.append(f"{', '.join(g.name for g in nas)} marked it not applicable.")
    if notes:
        merged["notes"] = "\n".join([merged["notes"], " ".join(notes)]) \
            if merged.get("notes") else " ".join(notes)
    same = [g for g in valued if g.level == chosen.level]
    if _carried(same):
        merged["carried"] = _carried(same)
    return Outcome(c.id, given, spread, discuss, merged, chosen.level, how)


def merge(rubric: Rubric, rubric_ref: str, respondents: list[tuple[str, Assessment]], *,
          rule: str = "median", discuss_above: int | None = None,
          missing_sections: list[str] | None = None) -> Merged:
    """Merge ``respondents`` (name, assessment) of one rubric into one assessment."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}")
    first = respondents[0][1]
    data: dict[str, Any] = {
        "rubric": rubric_ref, "rubric_version": rubric.version,
        "organisation": first.organisation.model_dump(exclude_none=True)}
    profile = next((a.profile for _, a in respondents if a.profile), None)
    if profile:
        data["profile"] = profile
    for k in ("period", "marking", "disclaimer"):
        v = next((getattr(a, k) for _, a in respondents if getattr(a, k)), None)
        if v:
            data[k] = v
    if any(a.illustrative for _, a in respondents):
        data["illustrative"] = True
    target = _by_rule([a.default_target for _, a in respondents
                       if a.default_target is not None], rule)
    if target is not None:
        data["default_target"] = target
    data["assessors"] = list(dict.fromkeys(
        who for name, a in respondents for who in (a.assessors or [name])))
    from_: dict[str, Any] = {"respondents": [name for name, _ in respondents], "rule": rule}
    if discuss_above is not None:
        from_["discuss_above"] = discuss_above
    if missing_sections:
        from_["missing_sections"] = list(missing_sections)
    data["merged_from"] = from_
    answers: dict[str, Any] = {}
    result = Merged(data)
    for _, c in rubric.criteria():
        given = []
        for name, a in respondents:
            ans = a.answer(c.id)
            level = None if ans is None or ans.is_na else merge_level(rubric, c, ans)
            given.append(Given(name, ans, level, c))
        outcome = merge_criterion(rubric, c, given, rule, discuss_above)
        result.outcomes.append(outcome)
        said = [g for g in given if g.answer is not None and (g.answer.has_value
                                                              or g.answer.is_na)]
        if outcome.merged is None and not said:
            continue
        merged = dict(outcome.merged or {})
        merged["respondents"] = [respondent_of(g) for g in given]
        answers[c.id] = merged
    data["answers"] = answers
    return result


__all__ = ["RULES", "Given", "Merged", "Outcome", "merge", "merge_criterion"]
