"""Assessment models: a ministry's (or a mission's) answers to a rubric.

``docs/assessment-format.md`` is the prose version of this module.
"""

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from cyberdip import yamlio
from cyberdip.errors import Problem
from cyberdip.model.fields import Int, Num, Strict, Text, did_you_mean, pydantic_problems
from cyberdip.model.rubric import (
    AnyCriterion,
    ChoiceCriterion,
    MetricCriterion,
    Rubric,
)
from cyberdip.textsafe import quote

#: Where an action of the plan stands (docs/cycle.md, Action plan), in the order it moves.
PLAN_STATUSES = ("planned", "under-way", "done", "dropped")
PlanStatus = Literal["planned", "under-way", "done", "dropped"]

#: The longest `disclaimer:`: a caveat of two or three sentences, not a second notes field.
DISCLAIMER_MAX = 400


class Organisation(Strict):
    name: str = Field("", description="e.g. Ministry of Foreign Affairs of Pakistan "
                      "(may be left empty in a blank assessment)")
    unit: str | None = Field(None, description='e.g. "Embassy of Pakistan, Berlin"')
    country: str | None = None


#: The keys of a dated evidence item, as the file writes them.
EVIDENCE_KEYS = ("text", "date", "valid_until", "sha256", "ref")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
#: What a `ref:` may not hold, so that it fits the one cell of a spreadsheet's
#: evidence syntax (docs/questionnaire.md): a line break, `;`, `[` or `]`.
REF_FORBIDDEN = re.compile(r"[\r\n;\[\]]")


def as_date(value: object) -> dt.date:
    """A date as an evidence item takes it: a YAML date, or text ``YYYY-MM-DD`` naming a
    real day. Raises ValueError (saying why) for anything else."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"`{quote(str(value))[:40]}` is not a date: write the day alone, "
                         "as YYYY-MM-DD (evidence-date)")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"`{quote(value)[:40]}` is not a real day: write a date as "
                             "YYYY-MM-DD (evidence-date)") from None
    raise ValueError(f"`{quote(str(value))[:40]}` is not a date: write it as YYYY-MM-DD, "
                     "such as 2025-05-01 (evidence-date)")


class EvidenceItem(Strict):
    """An item of evidence with what is known about it: the date it refers to, the day
    after which it no longer holds, and where the ministry keeps the document (cyberdip
    never stores documents). Only `text` is required; a plain text item says the same as
    ``{text: ...}`` alone."""

    model_config = ConfigDict(frozen=True)

    text: Text = Field(description="The evidence: a document, a decision, or an http(s) link.")
    date: dt.date | None = Field(None, description="The date the evidence refers to "
                                 "(YYYY-MM-DD); judged against the rubric's "
                                 "evidence_max_age.")
    valid_until: dt.date | None = Field(None, description="The last day the evidence holds "
                                        "(YYYY-MM-DD); after it, the evidence has expired.")
    sha256: str | None = Field(None, description="The SHA-256 of the document, 64 "
                               "hexadecimal digits, where the ministry records one.",
                               json_schema_extra={"pattern": "^[0-9a-fA-F]{64}$"})
    ref: Text | None = Field(None, description="Where the ministry keeps the document, e.g. "
                             "a registry file number; one line, without ; [ or ].")

    @field_validator("date", "valid_until", mode="before")
    @classmethod
    def _date(cls, v: object) -> object:
        return None if v is None else as_date(v)

    @field_validator("sha256")
    @classmethod
    def _hash(cls, v: str | None) -> str | None:
        if v is not None and not _SHA256.match(v):
            raise ValueError(f"`{quote(v)[:40]}` is not a SHA-256 hash: write its 64 "
                             "hexadecimal digits (0-9, a-f), as `sha256sum` prints them "
                             "(evidence-hash)")
        return v

    @field_validator("ref")
    @classmethod
    def _ref(cls, v: str | None) -> str | None:
        if v is not None and REF_FORBIDDEN.search(v):
            raise ValueError(f"`{quote(v)[:40]}` cannot be a reference: keep it to one line, "
                             "without ; [ or ], so that it fits a spreadsheet cell "
                             "(evidence-reference)")
        return v

    @model_validator(mode="after")
    def _order(self) -> "EvidenceItem":
        if self.date is not None and self.valid_until is not None \
                and self.valid_until < self.date:
            raise ValueError(f"valid_until {self.valid_until} is before the evidence's date "
                             f"{self.date}: correct one of them "
                             "(evidence-valid-until-before-date)")
        return self


def _evidence_kind(v: object) -> str:
    return "item" if isinstance(v, dict | EvidenceItem) else "text"


#: One item of evidence: plain text (as always), or a mapping with its dates.
EvidenceEntry = Annotated[
    Annotated[Text, Tag("text")] | Annotated[EvidenceItem, Tag("item")],
    Discriminator(_evidence_kind)]


def evidence_text(e: str | EvidenceItem) -> str:
    """The text of an item of evidence, plain or dated."""
    return e if isinstance(e, str) else e.text


def evidence_item(e: str | EvidenceItem) -> EvidenceItem:
    """Any item of evidence as a mapping: plain text has no dates."""
    return EvidenceItem(text=e) if isinstance(e, str) else e


def evidence_data(items: list[str | EvidenceItem]) -> list[str | dict]:
    """Items of evidence as a file writes them: plain text as text, a dated item as a
    mapping of what it holds (``{text: ...}`` alone is written as the text)."""
    out: list[str | dict] = []
    for e in items:
        if isinstance(e, str):
            out.append(e)
            continue
        d = e.model_dump(exclude_none=True)
        out.append(d["text"] if set(d) == {"text"} else d)
    return out


class IndicatorAnswer(Strict):
    """One indicator, answered: met or not, with its evidence."""

    met: bool | None = Field(None, description="true or false; empty for not yet checked.")
    evidence: list[EvidenceEntry] = Field(default_factory=list)
    notes: str | None = None


class Carried(Strict):
    """The marker of an answer carried forward from an earlier assessment by `cyberdip init
    --from`, not yet re-confirmed: remove it to confirm the answer (docs/cycle.md)."""

    source: Text = Field(description="The assessment it was carried from: its file's name.")
    period: str | None = Field(None, description="That assessment's period, e.g. 2025.")
    date: dt.date | str | None = Field(None, description="That assessment's date.")


class Respondent(Strict):
    """One respondent's own answer to a criterion, kept by `cyberdip merge` (provenance)."""

    name: Text = Field(description="Who answered: an assessor's name, or the file's name.")
    level: Int | None = None
    met: bool | None = None
    value: Num | None = None
    answer: str | None = None
    indicators: dict[str, bool | IndicatorAnswer | None] = Field(default_factory=dict)
    not_applicable: str | None = None
    evidence: list[EvidenceEntry] = Field(default_factory=list)
    notes: str | None = None
    carried: Carried | None = None


class MergedFrom(Strict):
    """How `cyberdip merge` made this assessment from several respondents' answers."""

    respondents: list[Text] = Field(min_length=1, description="Who answered, in order.")
    rule: Literal["median", "lowest"] = Field(description="The consensus rule applied.")
    discuss_above: Int | None = Field(
        None, description="A spread of levels above this marks a criterion as needing "
        "discussion (its merged answer is then the lowest level given).")
    missing_sections: list[Text] = Field(
        default_factory=list, description="The sections the cycle manifest lists as sent "
        "that did not come back to this merge, by respondent.")


class Answer(Strict):
    """One criterion's answer. Leave every value empty for "not assessed"."""

    level: Int | None = Field(None, description="For `level` criteria: the level reached "
                              "(the quick way; or answer its `indicators`).")
    indicators: dict[str, bool | IndicatorAnswer | None] = Field(
        default_factory=dict, description="For criteria with indicators: each indicator id, "
        "true or false (or met:, evidence:). The level follows from them.")
    answer: str | None = Field(None, description="For `choice` criteria: the id of the "
                               "answer, such as LI.")
    met: bool | None = Field(None, description="For `boolean` criteria: true or false.")
    value: Num | None = Field(None, description="For `metric` criteria: the measured number.")
    evidence: list[EvidenceEntry] = Field(
        default_factory=list, description="Text, or http(s) links, that support the answer; "
        "an item may be a mapping with its `date`, `valid_until`, `sha256` and `ref`.")
    notes: str | None = None
    target: Int | None = Field(None, description="The level aimed for.")
    not_applicable: str | bool | None = Field(
        None, description="Why this criterion does not apply (a reason is required).")
    owner: str | None = None
    due: dt.date | str | None = None
    respondents: list[Respondent] | None = Field(
        None, description="Each respondent's own answer, when `cyberdip merge` made this one.")
    carried: Carried | None = Field(
        None, description="Carried forward from an earlier assessment and not re-confirmed "
        "yet; remove it once the answer is confirmed (or changed).")
    action: str | None = Field(
        None, description="The action plan: what the ministry will do to reach the target "
        "(its own words; when empty, the rubric's recommendation for the next level). "
        "With `owner`, `due` and `status` (docs/cycle.md, Action plan).")
    status: PlanStatus | None = Field(
        None, description="Where the action stands: planned, under-way, done or dropped. "
        "Not covered by the sign-off's hash: updating it does not void a sign-off.")

    @field_validator("due", mode="before")
    @classmethod
    def _year_as_text(cls, v: object) -> object:
        """`due: 2027` (YAML reads a bare year as a number) is the year, as text."""
        return str(v) if isinstance(v, int) and not isinstance(v, bool) and \
            1000 <= v <= 9999 else v

    @property
    def unconfirmed(self) -> bool:
        """A carried answer not yet re-confirmed: counted apart until it is."""
        return self.carried is not None and (self.has_value or self.is_na)

    @property
    def is_na(self) -> bool:
        return self.not_applicable not in (None, False)

    @property
    def has_value(self) -> bool:
        return (self.level is not None or self.met is not None or self.value is not None
                or self.answer is not None or any(
                    self.indicator(k) is not None for k in self.indicators))

    def indicator(self, ind_id: str) -> bool | None:
        v = self.indicators.get(ind_id)
        return v.met if isinstance(v, IndicatorAnswer) else v

    def indicator_evidence(self, ind_id: str) -> list[str | EvidenceItem]:
        v = self.indicators.get(ind_id)
        return list(v.evidence) if isinstance(v, IndicatorAnswer) else []


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
    profile: str | None = Field(None, description="Whom the assessment is for, from the "
                                "rubric's `profiles` (such as headquarters or mission); "
                                "default: the rubric's first profile.")
    marking: Annotated[str, Field(min_length=1, max_length=120)] | None = Field(
        None, description='A protective marking for every report made from this file, '
        'e.g. "TLP:AMBER" or "RESTRICTED"; `cyberdip report --marking` overrides it.')
    disclaimer: Annotated[str, Field(min_length=1, max_length=DISCLAIMER_MAX)] | None = Field(
        None, description="A short caveat printed on the first page of every report and "
        'the brief, e.g. "Not an official self-assessment: a level is a floor."')
    notes: str | None = None
    default_target: Int | None = Field(None, description="Target for answers that set none.")
    answers: dict[str, Answer | None] = Field(default_factory=dict)
    merged_from: MergedFrom | None = Field(
        None, description="Set by `cyberdip merge`: the respondents and the consensus rule.")
    section: Text | None = Field(
        None, description="Set by `cyberdip init --respondent`: the section of a cycle this "
        "file answers, named by its respondent (a directorate); `cyberdip merge` and "
        "`cyberdip status` match it with the cycle manifest.")
    rubric_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = Field(
        None, description="Pins the rubric: the SHA-256 of the rubric file's bytes "
        "(`cyberdip init --pin` writes it). Scoring refuses a rubric whose file no longer "
        "has this hash.")

    def answer(self, criterion_id: str) -> Answer | None:
        return self.answers.get(criterion_id)


def indicator_level(c: AnyCriterion, a: Answer, lowest: int) -> int | None:
    """The level the indicator answers show: the highest level L, among the lowest and
    the levels that have indicators, such that every indicator at L and below is met.
    None when no indicator is answered; an unanswered one counts as not met."""
    if not c.indicators or not any(a.indicator(i.id) is not None
                                   for _, i in c.indicator_list()):
        return None
    level = lowest
    for lv in sorted(c.indicators):
        if all(a.indicator(i.id) is True for i in c.indicators[lv]):
            level = lv
        else:
            break
    return level


def contradictions(levels_met: list[tuple[int, str, bool | None]]
                   ) -> list[tuple[int, str, int, str]]:
    """Indicators that contradict each other: ``(low level, low id, high level, high id)``
    for each indicator answered met above a lower one answered not met. ``levels_met``
    is ``(level, id, met)`` per indicator, as a criterion lists them. One pair per met
    indicator: the lowest unmet indicator below it. Empty when the answers climb."""
    unmet = sorted((lv, i) for lv, i, met in levels_met if met is False)
    out = []
    for lv, i, met in levels_met:
        below = [u for u in unmet if u[0] < lv]
        if met is True and below:
            out.append((below[0][0], below[0][1], lv, i))
    return out


def ladder_not_cumulative(rubric_id: str, version: str) -> bool:
    """cyberdip-core 2.0: some of its indicator ladders are not cumulative as worded
    (a level-3 statement can hold where a level-1 one does not), so indicators that
    contradict each other are most likely the ladder's doing, not the respondent's."""
    return rubric_id == "cyberdip-core" and version.split(".")[:2] == ["2", "0"]


def contradiction_message(cid: str, pairs: list[tuple[int, str, int, str]],
                          rubric: Rubric | None = None) -> str:
    """The words of the CD324 warning for a criterion's ``contradictions`` (the first
    named, the others counted); on cyberdip-core 2.0 they name the ladder as the likely
    cause (some of its levels are not cumulative as worded)."""
    low_lv, low, high_lv, high = pairs[0]
    more = len(pairs) - 1
    msg = (f"`{cid}`: the level-{high_lv} indicator `{high}` is answered met"
           + (f" (and {more} more above it)" if more else "")
           + f", but the level-{low_lv} indicator `{low}` below it is not; the level "
           f"counts indicators met from the bottom up, so it stays below {low_lv}. Check "
           "both answers")
    if rubric is not None and ladder_not_cumulative(rubric.id, rubric.version):
        msg += (f"; the likely cause is the rubric's ladder: in {rubric.id} "
                f"{rubric.version} some levels are not cumulative as worded")
    return msg


def missing_indicators(c: AnyCriterion, a: Answer | None, upto: int) -> list[tuple[int, str]]:
    """The indicators at ``upto`` and below not answered as met: what stands between an
    answer and level ``upto``."""
    return [(lv, i.text) for lv, i in c.indicator_list()
            if lv <= upto and (a is None or a.indicator(i.id) is not True)]


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
        return None, _plan_status(e, doc, _relabel(pydantic_problems(e, doc, Assessment)))


def _plan_status(exc: ValidationError, doc: yamlio.Document,
                 problems: list[Problem]) -> list[Problem]:
    """An action's `status` that is not one of PLAN_STATUSES: CD336, with a did-you-mean,
    in place of pydantic's generic message at the same position."""
    out, replaced = list(problems), False
    for e in exc.errors(include_url=False):
        loc = tuple(e["loc"])
        if e["type"] != "literal_error" or len(loc) != 3 or loc[0] != "answers" \
                or loc[2] != "status":
            continue
        line, col = doc.locate(loc)
        value = e.get("input")
        shown = quote(str(value))[:40] if not isinstance(value, dict | list) else "a " + (
            "mapping" if isinstance(value, dict) else "list")
        hint = did_you_mean(str(value).strip().lower().replace(" ", "-"),
                            list(PLAN_STATUSES)) if isinstance(value, str) else ""
        msg = (f"`{quote(str(loc[1]))}`: `{shown}` is not a status of an action; write one of "
               f"{', '.join(PLAN_STATUSES)}" + (f" ({hint})" if hint else ""))
        out = [p for p in out if not (p.line == line and p.col == col)]
        out.append(Problem(doc.path, line, col, "error", "CD336", msg))
        replaced = True
    return sorted(out, key=lambda p: (p.line, p.col)) if replaced else out



#: The codes of an evidence item's own checks, by the marker its message ends with.
_EVIDENCE_CODES = {"evidence-date": "CD331", "evidence-hash": "CD332",
                   "evidence-valid-until-before-date": "CD333",
                   "evidence-reference": "CD334"}


def _relabel(problems: list[Problem]) -> list[Problem]:
    """Give answer-value type errors the codes the assessment docs promise."""
    out = []
    for p in problems:
        marker = re.search(r" \((evidence-[a-z-]+)\)$", p.message)
        if marker and marker.group(1) in _EVIDENCE_CODES:
            p = Problem(p.path, p.line, p.col, p.level, _EVIDENCE_CODES[marker.group(1)],
                        p.message[:marker.start()])
        elif ".value:" not in p.message:
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
    profile = a.profile or rubric.default_profile()
    if a.profile is not None and a.profile not in rubric.profile_ids():
        known = ", ".join(rubric.profile_ids())
        add(("profile",), "CD316", f"profile `{a.profile}` is not one of `{rubric.id}`'s "
            + (f"profiles ({known})" if known else "(it has no profiles; remove `profile:`)"))
        profile = None
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
            add(loc, "CD301", f"`{quote(cid)}` is not a criterion of `{rubric.id}`"
                + (f": {hint}" if hint else " (run `cyberdip init` to list them)"), key=True)
            continue
        if ans is None:
            continue
        if not c.applies(profile):
            add(loc, "CD316", f"`{quote(cid)}` is not asked of the profile `{quote(profile)}` "
                              f"(it applies to "
                f"{', '.join(c.applies_to or [])}); the answer is ignored", key=True,
                level="warning")
            continue
        given = [k for k in ("level", "met", "value", "answer") if getattr(ans, k) is not None]
        if ans.not_applicable is True or (isinstance(ans.not_applicable, str)
                                          and not ans.not_applicable.strip()):
            add((*loc, "not_applicable"), "CD305",
                f"`{quote(cid)}` is marked not applicable without a reason; write the reason "
                "instead of `true`, e.g. not_applicable: \"no mission in that region\"")
        if ans.is_na and given:
            add((*loc, given[0]), "CD309",
                f"`{quote(cid)}` is both answered ({given[0]}) and marked not applicable; keep one")
        if len(given) > 1:
            add((*loc, given[1]), "CD309",
                f"`{quote(cid)}` has both `{given[0]}` and `{given[1]}`; give one answer")
        expected = c.answer_key
        for k in given:
            if (k == "level" and isinstance(c, MetricCriterion) and ans.level == lo
                    and c.metric.thresholds):
                continue  # a metric's lowest case with no number to give ("none")
            if k != expected:
                add((*loc, k), "CD304",
                    f"`{quote(cid)}` is a {c.kind} criterion: answer it with `{expected}:`, "
                    f"not `{k}:`"
                    + (" (true or false)" if expected == "met" else "")
                    + (f" (or `level: {lo}` for its lowest case, when there is no number)"
                       if expected == "value" and k == "level" and isinstance(c, MetricCriterion)
                       and c.metric.thresholds else ""))
        _check_indicators(c, ans, loc, add, lo, rubric)
        if isinstance(c, ChoiceCriterion) and ans.answer is not None:
            options = [o.id for o in rubric.answer_scales.get(c.answer_scale, [])]
            if ans.answer not in options:
                hint = did_you_mean(ans.answer, options)
                add((*loc, "answer"), "CD317", f"`{quote(ans.answer)}` is not an answer of "
                                               f"`{quote(cid)}`; "
                    f"answer with one of {', '.join(options)}" + (f" ({hint})" if hint else ""))
        if ans.level is not None and expected == "level" and ans.level not in scale:
            add((*loc, "level"), "CD302",
                f"level {ans.level} is outside the scale {lo}..{hi} of `{rubric.id}`")
        if ans.value is not None and isinstance(c, MetricCriterion):
            m = c.metric
            if (m.min is not None and ans.value < m.min) or (
                    m.max is not None and ans.value > m.max):
                add((*loc, "value"), "CD106",
                    f"value {ans.value:g} is outside the range of `{quote(cid)}` "
                    f"({m.min if m.min is not None else '-inf'}.."
                    f"{m.max if m.max is not None else 'inf'} {m.unit})")
        if ans.target is not None and ans.target not in scale:
            add((*loc, "target"), "CD302",
                f"target {ans.target} is outside the scale {lo}..{hi}")
        elif ans.target is not None and not c.reachable_levels(rubric.levels):
            add((*loc, "target"), "CD311", f"`{quote(cid)}` has no levels, so a target level does "
                "not apply to it; it is scored against the top of its scale", level="warning")
        elif ans.target is not None:
            top = max(c.reachable_levels(rubric.levels))
            if ans.target > top:
                add((*loc, "target"), "CD311",
                    f"target {ans.target} for `{quote(cid)}` is above the highest level it "
                    f"can reach "
                    f"({top}, {rubric.level_name(top)}); it is scored against {top}",
                    level="warning")
        _check_evidence_dates(a, ans, loc, add)
        for i, item in enumerate(ans.evidence):
            ev = evidence_text(item)
            m = _SCHEME.match(ev.strip())
            if m and m.group(1).lower() not in ("http", "https") and not is_link(ev):
                add((*loc, "evidence", i), "CD308",
                    f"evidence link `{ev[:40]}` uses the `{m.group(1)}:` scheme; only http and "
                    "https links are shown as links (it will be shown as plain text)",
                    level="warning")
    return out


def _check_evidence_dates(a: Assessment, ans: Answer, loc: tuple, add) -> None:
    """A warning (CD335) for an item of evidence dated after the assessment's own date:
    evidence from the future is most likely a typing error."""
    day = a.date if isinstance(a.date, dt.date) else None
    if day is None:
        return
    where = [((*loc, "evidence", i), e) for i, e in enumerate(ans.evidence)]
    for ind, v in ans.indicators.items():
        if isinstance(v, IndicatorAnswer):
            where += [((*loc, "indicators", ind, "evidence", i), e)
                      for i, e in enumerate(v.evidence)]
    for at, e in where:
        if isinstance(e, EvidenceItem) and e.date is not None and e.date > day:
            add((*at, "date"), "CD335", f"the evidence `{quote(e.text)[:40]}` is dated "
                f"{e.date}, after the assessment's date {day}; check the year", level="warning")


def _check_indicators(c: AnyCriterion, ans: Answer, loc: tuple, add, lowest: int,
                      rubric: Rubric | None = None) -> None:
    """Indicator answers name real indicators and agree with a quick `level`."""
    if not ans.indicators:
        return
    known = {i.id: lv for lv, i in c.indicator_list()}
    if not known:
        add((*loc, "indicators"), "CD315", f"`{c.id}` has no indicators; answer it with "
            f"`{c.answer_key}:`", key=True)
        return
    for ind in ans.indicators:
        if ind not in known:
            hint = did_you_mean(ind, list(known))
            add((*loc, "indicators", ind), "CD315", f"`{quote(ind)}` is not an indicator of "
                                                    f"`{c.id}`"
                + (f": {hint}" if hint else f" (its indicators: {', '.join(known)})"), key=True)
    pairs = contradictions([(lv, i.id, ans.indicator(i.id)) for lv, i in c.indicator_list()])
    if pairs:
        add((*loc, "indicators", pairs[0][3]), "CD324",
            contradiction_message(c.id, pairs, rubric), key=True, level="warning")
    derived = indicator_level(c, ans, lowest)
    if ans.level is None or derived is None:
        return
    for ind, lv in known.items():
        if lv <= ans.level and ans.indicator(ind) is False:
            add((*loc, "indicators", ind), "CD314",
                f"`{c.id}` claims level {ans.level}, but its level-{lv} indicator "
                f"`{quote(ind)}` is "
                f"answered not met; the indicators give level {derived}. Correct the level or "
                "the indicator")
            return
    if derived > ans.level:
        add((*loc, "level"), "CD314",
            f"`{c.id}` claims level {ans.level}, but every indicator up to level {derived} is "
            f"answered met; the indicators give level {derived}. Correct the level or the "
            "indicators")


__all__ = ["DISCLAIMER_MAX", "EVIDENCE_KEYS", "Answer", "Annotated", "Assessment", "Carried",
           "EvidenceEntry", "EvidenceItem", "IndicatorAnswer", "as_date", "evidence_data",
           "evidence_item", "evidence_text", "PlanStatus", "PLAN_STATUSES",
           "MergedFrom", "Organisation", "Respondent", "check", "contradiction_message",
           "contradictions", "indicator_level", "is_link", "ladder_not_cumulative",
           "missing_indicators", "validate"]
