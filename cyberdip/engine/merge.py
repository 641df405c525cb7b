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
  The action plan (owner, due date, action, status): the chosen respondent's, else
  the first given, key by key; respondents who gave different owners or statuses get
  a warning (CD715) naming whose was kept. An answer with no value but with
  evidence, a target or notes keeps them.
* The assessment: organisation from the first respondent; period, profile and
  ``disclaimer`` the first given; the strictest marking, the latest date and every
  respondent's notes (``declarations``); ``default_target`` by the rule;
  ``illustrative`` when any respondent's is; ``assessors`` every respondent's, each
  once (a respondent with none is named by the file).
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
from cyberdip.model.assessment import Answer, Assessment, evidence_data
from cyberdip.model.rubric import AnyCriterion, MetricCriterion, Rubric
from cyberdip.textsafe import quote

RULES = ("median", "lowest")
#: The most respondents one merge takes: far more than answer one ministry's
#: questionnaire, few enough that every criterion's account stays readable.
MAX_RESPONDENTS = 200
#: The Traffic Light Protocol 2.0 labels, least strict first (TLP 1.0's WHITE is CLEAR).
TLP_ORDER = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")
_TLP_ALIASES = {"TLP:WHITE": "TLP:CLEAR"}


@dataclass(frozen=True)
class Finding:
    """A problem with the respondents as a whole: ``who`` is the index of the respondent
    it is about (its file locates it), or None for the merge itself."""

    level: str  # "error" or "warning"
    code: str
    message: str
    who: int | None = None


def _tlp(marking: str) -> str | None:
    label = " ".join(marking.split()).upper()
    label = _TLP_ALIASES.get(label, label)
    return label if label in TLP_ORDER else None


def strictest_marking(markings: list[str | None], given: str | None = None
                      ) -> tuple[str | None, list[Finding]]:
    """The marking of the consensus: ``given`` (``--marking``) when there is one; else
    the strictest TLP label any respondent declared (a marking is stricter than none);
    different markings outside TLP cannot be ranked, so they are refused."""
    if given is not None:
        return given, []
    declared = [" ".join(m.split()) for m in markings if m is not None and m.strip()]
    if not declared:
        return None, []
    distinct = list(dict.fromkeys(declared))
    found: list[Finding] = []
    if len(distinct) > 1 or len(declared) < len(markings):
        shown = ", ".join(f"`{quote(m)}`" for m in distinct) + (
            " and none" if len(declared) < len(markings) else "")
        tlps = [_tlp(m) for m in distinct]
        if any(t is None for t in tlps) and len(distinct) > 1:
            return None, [Finding("error", "CD330", (
                f"the respondents declared different markings ({shown}), which cannot be "
                "ranked outside the Traffic Light Protocol; give the consensus's marking "
                "with --marking"))]
        found.append(Finding("warning", "CD330", (
            f"the respondents declared different markings ({shown}); the consensus keeps "
            "the strictest")))
    if all(_tlp(m) is not None for m in distinct):
        return max((_tlp(m) for m in distinct), key=TLP_ORDER.index), found  # type: ignore
    return distinct[0], found


def declarations(respondents: list[tuple[str, Assessment]], marking: str | None = None
                 ) -> tuple[dict[str, Any], list[Finding]]:
    """What every respondent declared about the assessment as a whole, kept in the
    consensus: the strictest marking, ``illustrative`` when any respondent's is, the
    latest date, and every respondent's notes (one paragraph each, named)."""
    out: dict[str, Any] = {}
    kept, found = strictest_marking([a.marking for _, a in respondents], marking)
    if kept is not None:
        out["marking"] = kept
    flags = [a.illustrative for _, a in respondents]
    if any(flags):
        out["illustrative"] = True
        if not all(flags):
            found.append(Finding("warning", "CD330", (
                "some respondents marked their answers illustrative (example data) and "
                "some did not; the consensus is marked illustrative")))
    dates = [a.date for _, a in respondents if a.date is not None]
    if dates:
        out["date"] = max(dates, key=lambda d: str(d.isoformat() if hasattr(
            d, "isoformat") else d))
    notes = [(name, a.notes.strip()) for name, a in respondents if a.notes and a.notes.strip()]
    if notes:
        out["notes"] = "\n\n".join(f"{name}: {text}" for name, text in notes)
    return out, found


def check_respondents(respondents: list[tuple[str, Assessment]],
                      files: list[object] | None = None,
                      default_profile: str | None = None) -> list[Finding]:
    """What makes respondents unfit to merge into one consensus, or worth a warning:
    more than ``MAX_RESPONDENTS``; one file given twice (``files`` holds what identifies
    each file, such as its device and inode: another spelling, a link and a hard link are
    the same file); different units or profiles (a section of one ministry's assessment
    shares its unit, so sections merge); identical answers from different files (a
    copy counts as a respondent, and decides the median)."""
    found: list[Finding] = []
    if len(respondents) > MAX_RESPONDENTS:
        return [Finding("error", "CD003", (
            f"{len(respondents)} respondents' answers were given; a merge takes at most "
            f"{MAX_RESPONDENTS}: merge them in groups (each group's consensus is an "
            "assessment) or check the file list"))]
    first_seen: dict[object, int] = {}
    for i, key in enumerate(files or []):
        if key in first_seen:
            found.append(Finding("error", "CD329", (
                f"this is the same file as respondent {first_seen[key] + 1} (another name "
                "of it, or a link); each respondent counts once: give each file once"), i))
        else:
            first_seen[key] = i
    name0, a0 = respondents[0]
    for i, (name, a) in enumerate(respondents[1:], 1):
        if (a.organisation.unit or None) != (a0.organisation.unit or None):
            found.append(Finding("error", "CD312", (
                f"`{quote(name)}` answered for the unit "
                f"`{quote(a.organisation.unit or '(none)')}`, but `{quote(name0)}` for "
                f"`{quote(a0.organisation.unit or '(none)')}`; merge the answers of "
                "one unit (sections of one assessment share its unit); compare different "
                "units with `cyberdip aggregate`"), i))
        # the profile each answered: its own, else the rubric's first (``default_profile``)
        mine, first = a.profile or default_profile, a0.profile or default_profile
        if mine != first:
            found.append(Finding("error", "CD328", (
                f"`{quote(name)}` answered the profile `{quote(mine or '(default)')}`, "
                f"but `{quote(name0)}` `{quote(first or '(default)')}`: they were asked "
                "different questions; merge answers of one profile"), i))
    seen: dict[str, int] = {}
    for i, (name, a) in enumerate(respondents):
        if any(f.who == i and f.code == "CD329" for f in found):
            continue
        key = repr(sorted((k, v.model_dump(mode="json") if v is not None else None)
                          for k, v in a.answers.items()))
        if a.answers and key in seen:
            found.append(Finding("warning", "CD329", (
                f"`{quote(name)}` gave exactly the same answers as "
                f"`{quote(respondents[seen[key]][0])}` "
                "(a copy of one file?); each counts as a respondent and weighs on the "
                "median"), i))
        else:
            seen.setdefault(key, i)
    return found


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
    #: where the respondents' declarations differ (markings, illustrative); errors
    #: among them mean no consensus can be written
    findings: list[Finding] = field(default_factory=list)

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
            out["evidence"] = evidence_data(list(a.evidence))
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
        out["evidence"] = evidence_data(evidence)
    target = _by_rule([a.target for a in answers if a.target is not None], rule)
    if target is not None:
        out["target"] = target
    notes = list(dict.fromkeys(a.notes for a in answers if a.notes))
    if notes:
        out["notes"] = "\n".join(notes)
    first = [chosen.answer] if chosen is not None and chosen.answer is not None else []
    for k in ("owner", "due", "action", "status"):
        v = next((getattr(a, k) for a in first + answers if getattr(a, k) is not None), None)
        if v is not None:
            out[k] = str(v) if k == "due" else v
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


def plan_differences(cid: str, given: list[Given], merged: dict[str, Any]) -> list[Finding]:
    """A warning (CD715) for each of an action's `owner` and `status` that respondents
    gave differently: the merged answer keeps one (``_rest``), and says whose."""
    out = []
    for key, what in (("owner", "owners"), ("status", "statuses")):
        said = [(g.name, getattr(g.answer, key)) for g in given
                if g.answer is not None and getattr(g.answer, key) is not None]
        if len({v for _, v in said}) < 2:
            continue
        keeper = next((n for n, v in said if v == merged.get(key)), said[0][0])
        out.append(Finding("warning", "CD715", (
            f"`{cid}`: the respondents gave different {what} for its action ("
            + "; ".join(f"{quote(n)}: {quote(str(v))[:40]}" for n, v in said)
            + f"); the merged answer keeps {quote(keeper)}'s")))
    return out


def merge(rubric: Rubric, rubric_ref: str, respondents: list[tuple[str, Assessment]], *,
          rule: str = "median", discuss_above: int | None = None,
          marking: str | None = None, missing_sections: list[str] | None = None) -> Merged:
    """Merge ``respondents`` (name, assessment) of one rubric into one assessment; what
    they declared about the whole (marking, illustrative, date, notes) is kept
    (``declarations``), and ``findings`` says where they differ; ``missing_sections``:
    the sections a cycle sent out that did not come back."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}")
    first = respondents[0][1]
    data: dict[str, Any] = {
        "rubric": rubric_ref, "rubric_version": rubric.version,
        "organisation": first.organisation.model_dump(exclude_none=True)}
    declared, findings = declarations(respondents, marking)
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
    data.update(declared)
    answers: dict[str, Any] = {}
    result = Merged(data, findings=findings)
    for _, c in rubric.criteria():
        given = []
        for name, a in respondents:
            ans = a.answer(c.id)
            level = None if ans is None or ans.is_na else merge_level(rubric, c, ans)
            given.append(Given(name, ans, level, c))
        outcome = merge_criterion(rubric, c, given, rule, discuss_above)
        result.outcomes.append(outcome)
        result.findings.extend(plan_differences(c.id, given, outcome.merged or {}))
        said = [g for g in given if g.answer is not None and (g.answer.has_value
                                                              or g.answer.is_na)]
        if outcome.merged is None and not said:
            continue
        merged = dict(outcome.merged or {})
        merged["respondents"] = [respondent_of(g) for g in given]
        answers[c.id] = merged
    data["answers"] = answers
    return result


__all__ = ["MAX_RESPONDENTS", "RULES", "TLP_ORDER", "Finding", "Given", "Merged", "Outcome",
           "check_respondents", "declarations", "merge", "merge_criterion", "plan_differences",
           "strictest_marking"]
