"""What a scorecard is: the result of scoring one assessment, which every output is
made from. The engine (``cyberdip.engine.scoring``) fills it; the JSON Schema of
``cyberdip score --format json`` is made from it.
"""

import os
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["assessed", "not-applicable", "not-assessed"]

#: Set (to any value) by the test suite: every result object the engine makes is then
#: also validated, and must come out the same, value for value and type for type.
CHECK_ENV = "CYBERDIP_CHECK_OUTPUTS"
_CHECK = bool(os.environ.get(CHECK_ENV))


class _Out(BaseModel):
    # Built when first validated or serialised, not when the module is imported: a
    # text scorecard never needs the validators (see ``made``).
    model_config = ConfigDict(extra="forbid", defer_build=True)

    @classmethod
    def made(cls, **values: Any) -> Any:
        """A result object from values the engine computed, built without validation.

        Validating the ~160 objects of a scorecard costs more than scoring does, and the
        engine's values are already of the fields' types. That is checked, not assumed:
        under ``CYBERDIP_CHECK_OUTPUTS`` (the test suite sets it) each object is also
        validated, and any difference (a value, a type such as an int for a float, a
        missing or unknown field) raises.
        """
        out = cls.model_construct(**values)
        if _CHECK:
            _check_made(cls, values, out)
        return out


def _check_made(cls: type[_Out], values: dict[str, Any], out: _Out) -> None:
    checked = cls.model_validate(values)  # raises on a missing, unknown or bad field
    for name, value in checked.__dict__.items():
        made = out.__dict__.get(name)
        if repr(made) != repr(value):
            raise AssertionError(
                f"{cls.__name__}.{name} made without validation differs from the validated "
                f"one:\n  made:      {made!r:.300}\n  validated: {value!r:.300}")


class ScaleEntry(_Out):
    level: int
    name: str
    meaning: str


class SourceEntry(_Out):
    ref: str
    citation: str
    title: str
    venue: str | None = None
    link: str | None = None


class CitationOut(_Out):
    ref: str
    citation: str
    section: str
    topic: str | None = None


class Evidence(_Out):
    text: str
    link: bool = Field(description="True when the text is an http(s) link.")
    date: str | None = Field(None, description="The date the evidence refers to, YYYY-MM-DD.")
    valid_until: str | None = Field(None, description="The last day it holds, YYYY-MM-DD.")
    sha256: str | None = Field(None, description="The document's SHA-256, as recorded.")
    ref: str | None = Field(None, description="Where the ministry keeps the document.")
    stale: bool | None = Field(None, description="Its date is older than the evidence's "
                               "max age before the reference date; None when there is no "
                               "reference date (not checked).")
    expired: bool | None = Field(None, description="Its valid_until is before the reference "
                                 "date; None when there is no reference date.")


class IndicatorResult(_Out):
    id: str
    level: int
    text: str
    met: bool | None = Field(description="As answered; None when not answered.")
    evidence: list[Evidence] = Field(default_factory=list)


class MappingOut(_Out):
    framework: str
    item: str
    relationship: str
    note: str | None = None


class CarriedFrom(_Out):
    """Where an answer carried forward, and not yet re-confirmed, came from."""

    source: str = Field(description="The earlier assessment's file name.")
    period: str | None = None
    date: str | None = None


class CarriedCount(_Out):
    """Answers carried forward from an earlier assessment and not re-confirmed yet."""

    unconfirmed: int = Field(description="How many (answered or n/a) are still unconfirmed.")
    ids: list[str] = Field(description="Their criterion ids, in rubric order.")


class EvidenceDates(_Out):
    """Evidence that is stale or expired on the reference date (`docs/scoring.md`)."""

    checked: bool = Field(description="False when there is no reference date: the "
                          "assessment has no `date` and no --as-of was given.")
    items: int = Field(description="Items of evidence (criteria's and indicators') that are "
                       "stale or expired.")
    stale: int = Field(description="Of them, how many are stale.")
    expired: int = Field(description="Of them, how many have expired.")
    ids: list[str] = Field(description="The criteria with such an item, in rubric order.")
    claims: int = Field(description="Claims whose every supporting item is stale or expired "
                        "(`evidence_stale`); --strict scores them as unsupported.")
    dated: int = Field(0, description="Items of evidence with a `date` or a `valid_until`: "
                       "what there is to check.")


class CriterionResult(_Out):
    id: str
    area: str
    group: str | None = Field(None, description="The innermost group the criterion is in.")
    title: str
    question: str
    kind: str
    weight: float
    critical: bool
    status: Status
    claimed_level: int | None = Field(description="The level the answer claims.")
    level: int | None = Field(description="The level scored (lower than claimed under --strict "
                              "when evidence is missing).")
    level_name: str | None
    score: float | None = Field(description="The scored level normalised to 0..1.")
    value: float | None = None
    met: bool | None = None
    answer: str | None = Field(None, description="For choice criteria: the answer's id.")
    answer_name: str | None = None
    unit: str | None = None
    stage: int | None = Field(None, description="The stage the criterion belongs to, if any.")
    satisfied: bool | None = Field(None, description="For the `practices` stage gate: whether "
                                   "the answer counts as the practice performed.")
    target: int | None = Field(description="The target level; None for criteria without "
                               "levels, which aim at the top of their scale.")
    gap: int
    unsupported: bool
    not_applicable_reason: str | None = None
    evidence: list[Evidence]
    notes: str | None = None
    owner: str | None = None
    due: str | None = None
    descriptor: str | None = Field(description="The rubric's words for the scored level.")
    next_level: int | None
    next_descriptor: str | None
    indicators: list[IndicatorResult] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="The indicators not yet met "
                               "that the next level needs.")
    sources: list[CitationOut]
    crosswalk: list[MappingOut] = Field(default_factory=list)
    carried: CarriedFrom | None = Field(
        None, description="Set while the answer is carried forward from an earlier "
        "assessment and not re-confirmed; under --strict it counts as unsupported.")
    max_age_months: int | None = Field(
        None, description="How old its dated evidence may be, in months: the criterion's "
        "evidence_max_age, else the rubric's; None: it never goes stale.")
    evidence_stale: bool = Field(
        False, description="The claim needs evidence and has some, but every item that "
        "would support it is stale or expired; under --strict it counts as unsupported.")


class GroupResult(_Out):
    id: str
    title: str
    area: str
    parent: str | None
    depth: int
    score: float | None
    target_score: float | None
    coverage: float
    criteria: list[str] = Field(description="Every criterion in the group, its subgroups' "
                                "included.")
    assessed: int
    not_applicable: int
    not_assessed: int


class AreaResult(_Out):
    id: str
    title: str
    context: bool = Field(False, description="National context: shown, but not counted in "
                          "the index, the stage or the coverage.")
    weight: float
    score: float | None = Field(description="0..100; None when nothing in the area is assessed.")
    target_score: float | None = Field(
        description="0..100 with every gap of the assessed criteria closed: each at its "
        "target, or where it is when that is higher.")
    stage: int | None
    stage_name: str | None
    coverage: float = Field(description="0..100, weighted share of criteria answered.")
    assessed: int
    not_applicable: int
    not_assessed: int
    gating: list[str] = Field(description="The criteria whose lowest level set the stage.")


class Gap(_Out):
    id: str
    area: str
    title: str
    critical: bool
    current: int | None = Field(description="The level now; None for criteria without levels.")
    current_name: str
    target: int | None
    target_name: str
    gap: int
    priority: float
    next_level: int | None
    next_name: str
    recommendation: str | None
    actions: list[str] = Field(default_factory=list, description="What to do, never empty: the "
                               "recommendation for the next level, else the indicators it needs "
                               "that are not met yet, else the rubric's words for the next level "
                               "or answer.")
    steps: list[str] = Field(default_factory=list, description="The indicators the next level "
                             "needs that are not met yet.")
    sources: list[CitationOut]


class IndexRange(_Out):
    """Where the index could end once every unanswered criterion is answered."""

    low: float | None = Field(description="Every unanswered criterion at a score of 0.")
    high: float | None = Field(description="Every unanswered criterion at the best score "
                               "it can reach.")


class StageSetting(_Out):
    """The criteria that set the stage, and how many of them are not answered yet."""

    criteria: int = Field(description="The applicable criteria that set the stage.")
    not_assessed: int = Field(description="How many of them are not answered yet.")
    unanswered: list[str] = Field(description="Their ids.")


class StageStep(_Out):
    """One step of the stage plan: a criterion to raise, or to answer first."""

    id: str
    area: str
    title: str
    critical: bool
    answer_first: bool = Field(description="True for an unanswered criterion that blocks "
                               "the stage: answer it first.")
    current: int | None
    current_name: str | None
    to_level: int | None = Field(description="The level the step reaches; None for a choice "
                                 "or a step to answer first.")
    to_name: str | None
    to_answer: str | None = Field(None, description="For a choice: the answer to reach.")
    actions: list[str] = Field(description="What to do.")
    sources: list[CitationOut] = Field(default_factory=list)


class StagePlan(_Out):
    """What raising the headline stage takes (`docs/scoring.md`, The stage plan)."""

    status: Literal["rise", "blocked", "top", "target", "none"]
    next_stage: int | None
    steps: list[StageStep] = Field(description="`rise`: every step needed to reach at least "
                                   "`next_stage`; `blocked`: the criteria to answer first; "
                                   "otherwise empty.")


class Counts(_Out):
    criteria: int
    assessed: int
    not_applicable: int
    not_assessed: int
    unsupported: int


class RubricRef(_Out):
    id: str
    version: str
    title: str
    sha256: str = Field(description="SHA-256 of the bytes of the rubric file scored on.")


class BandOut(_Out):
    name: str
    min: float
    meaning: str | None = None


class RollupCriterion(_Out):
    id: str
    relationship: str
    score: float | None


class RollupItem(_Out):
    item: str
    title: str | None
    score: float | None = Field(description="0..100; None when no mapped criterion is assessed.")
    criteria: list[RollupCriterion] = Field(description="The criteria mapped to the item.")
    assessed: int


class Rollup(_Out):
    framework: str
    title: str
    method: str
    items: list[RollupItem]


class Labels(_Out):
    index: str
    stage: str

    @property
    def index_title(self) -> str:
        """The index's label as a heading: "Readiness index"."""
        return self.index[:1].upper() + self.index[1:]

    @property
    def stage_title(self) -> str:
        return self.stage[:1].upper() + self.stage[1:]


class OrgOut(_Out):
    name: str
    unit: str | None = None
    country: str | None = None


class RespondentOut(_Out):
    name: str
    answer: str = Field(description="As typed: a level, yes or no, a number, n/a, or — "
                        "for no answer.")
    level: int | None = Field(description="The level the answer claims.")
    evidence: list[Evidence]


class SpreadOut(_Out):
    id: str
    spread: int | None = Field(description="Highest level given minus the lowest; None "
                               "when no respondent gave a level.")
    needs_discussion: bool
    respondents: list[RespondentOut]


class SignOffOut(_Out):
    """The sign-off beside the assessment (``berlin.signoff``), as it stands now."""

    signed_by: str
    role: str
    date: str
    holds: bool = Field(description="False once an answer or the rubric changed since.")
    changed: list[str] = Field(default_factory=list, description="What changed since: "
                               "`answers`, `rubric`.")
    signed_with_key: bool = Field(description="Whether an SSH signature is beside it "
                                  "(`cyberdip signoff --check` verifies who signed).")


class MergeOut(_Out):
    """Who answered a merged assessment, and where they disagree (`cyberdip merge`)."""

    respondents: list[str]
    rule: str
    discuss_above: int | None
    disagreements: int = Field(description="Criteria whose spread is above 0.")
    criteria: list[SpreadOut]


class Scorecard(_Out):
    """The whole result of scoring one assessment: what every output is made from."""

    cyberdip_version: str
    rubric: RubricRef
    labels: Labels
    profile: str | None = None
    profile_name: str | None = None
    answered_version: str | None
    organisation: OrgOut
    period: str | None
    date: str | None
    assessors: list[str]
    illustrative: bool
    strict: bool
    stage_gate: str
    unanswered: str = Field(description="For the stage: `ignore` leaves unanswered criteria "
                            "out; `lowest` counts them as the lowest answer.")
    evidence_from_level: int | None
    min_coverage: float
    provisional: bool
    index: float | None = Field(description="0..100, the area-weighted mean of area scores.")
    index_range: IndexRange | None = Field(
        None, description="The range the index could take once everything is answered.")
    band: BandOut | None = None
    bands: list[BandOut] = Field(default_factory=list)
    stage: int | None
    stage_name: str | None
    coverage: float
    counts: Counts
    stage_setting: StageSetting | None = None
    stage_plan: StagePlan | None = None
    scale: list[ScaleEntry]
    areas: list[AreaResult]
    groups: list[GroupResult] = Field(default_factory=list)
    criteria: list[CriterionResult]
    gaps: list[Gap]
    rollups: list[Rollup] = Field(default_factory=list)
    glossary: dict[str, str] = Field(default_factory=dict)
    bibliography: list[SourceEntry]
    merge: MergeOut | None = Field(
        None, description="Set when the assessment was made by `cyberdip merge`: each "
        "respondent's answer per criterion, and the spread of their levels.")
    marking: str | None = Field(None, description="The protective marking every page of the "
                                "report carries (e.g. TLP:AMBER): the assessment's, or the "
                                "one given on the command line.")
    signoff: SignOffOut | None = Field(None, description="The sign-off beside the "
                                       "assessment file, and whether it still holds.")
    disclaimer: str | None = Field(None, description="The assessment's own caveat "
                                   "(`disclaimer:`), printed on the first page of every "
                                   "report and the brief.")
    carried: CarriedCount = Field(
        default_factory=lambda: CarriedCount(unconfirmed=0, ids=[]),
        description="The answers carried forward from an earlier assessment "
        "(`cyberdip init --from`) and not re-confirmed yet.")
    plan: list["PlanItem"] = Field(
        default_factory=list, description="The action plan: one item per criterion below "
        "its target, or with an action written, in the rubric's order.")
    plan_as_of: str | None = Field(
        None, description="The reference date `overdue` is judged against: --as-of, else "
        "the assessment's `date`; None when there is neither, and nothing is judged.")

    reference_date: str | None = Field(
        None, description="The date stale and expired evidence are judged against: "
        "--as-of, else the assessment's `date`; None when neither is a date.")
    evidence_dates: EvidenceDates = Field(
        default_factory=lambda: EvidenceDates(checked=False, items=0, stale=0, expired=0,
                                              ids=[], claims=0, dated=0),
        description="Evidence that is stale or expired on the reference date.")


class PlanItem(_Out):
    """One action of the plan: a criterion below its target, or one the assessment
    writes an action for (docs/scoring.md, The action plan)."""

    id: str
    area: str
    title: str
    action: str | None = Field(description="The ministry's own `action`, else what the "
                               "gap's `actions` say, joined; None when there is neither.")
    own_action: bool = Field(description="True when `action` is the ministry's own words.")
    owner: str | None
    due: str | None = Field(description="As written: a date, or text such as 2025-Q3.")
    due_by: str | None = Field(description="The last day `due` allows (YYYY-MM-DD): the "
                               "date itself, or the last day of a quarter, half, month or "
                               "year; None when `due` is not one of those.")
    status: str | None = Field(description="planned, under-way, done or dropped; None "
                               "when not given.")
    current: int | None = Field(description="The level scored now.")
    current_name: str | None
    target: int | None = Field(description="The level planned: the criterion's target.")
    target_name: str | None
    overdue: bool | None = Field(description="`due_by` is before the reference date and "
                                 "the status is neither done nor dropped; None when that "
                                 "cannot be judged (no reference date, or a `due` that "
                                 "is no date).")

