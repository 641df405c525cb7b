"""What a scorecard is: the result of scoring one assessment, which every output is
made from. The engine (``cyberdip.engine.scoring``) fills it; the JSON Schema of
``cyberdip score --format json`` is made from it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["assessed", "not-applicable", "not-assessed"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


class CriterionResult(_Out):
    id: str
    area: str
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
    unit: str | None = None
    target: int
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
    sources: list[CitationOut]


class AreaResult(_Out):
    id: str
    title: str
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
    current: int
    current_name: str
    target: int
    target_name: str
    gap: int
    priority: float
    next_level: int
    next_name: str
    recommendation: str | None
    sources: list[CitationOut]


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


class OrgOut(_Out):
    name: str
    unit: str | None = None
    country: str | None = None


class Scorecard(_Out):
    """The whole result of scoring one assessment: what every output is made from."""

    rubric: RubricRef
    answered_version: str | None
    organisation: OrgOut
    period: str | None
    date: str | None
    assessors: list[str]
    illustrative: bool
    strict: bool
    stage_gate: str
    evidence_from_level: int | None
    min_coverage: float
    provisional: bool
    index: float | None = Field(description="0..100, the area-weighted mean of area scores.")
    stage: int | None
    stage_name: str | None
    coverage: float
    counts: Counts
    scale: list[ScaleEntry]
    areas: list[AreaResult]
    criteria: list[CriterionResult]
    gaps: list[Gap]
    bibliography: list[SourceEntry]
    marking: str | None = Field(None, description="The protective marking every page of the "
                                "report carries (e.g. TLP:AMBER): the assessment's, or the "
                                "one given on the command line.")
