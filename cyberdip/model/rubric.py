"""Rubric models and their semantic checks.

A rubric says what a ready ministry has: areas, criteria, a maturity scale,
and citations back to the papers. ``docs/rubric-format.md`` is the prose
version of this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import Field, field_validator

from cyberdip.errors import Problem
from cyberdip.model.fields import PATTERN_WORDS, Int, Num, Strict, Text, Weight
from cyberdip.yamlio import Document

SEMVER = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"
SLUG = r"^[a-z0-9][a-z0-9-]*$"
CRITERION_ID = r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$"
UN_GGE_NORM = r"^13[a-k]$"

#: In JSON (and to YAML 1.2 tools such as editors) the level keys of `levels:`,
#: `recommendations:` and `thresholds:` are strings; the schema says they are numerals.
LEVEL_KEYS = {"propertyNames": {"pattern": r"^(0|[1-9][0-9]*)$"}}

PATTERN_WORDS.update({
    SEMVER: "a semantic version such as 1.0.0 (MAJOR.MINOR.PATCH)",
    SLUG: "a valid id: lower-case letters, digits and hyphens, such as `incident-response`",
    CRITERION_ID: "a valid criterion id: dotted lower-case words such as `policy.strategy`",
    UN_GGE_NORM: "a UN GGE 2015 norm: 13a to 13k",
})


def http_url(value: str | None) -> str | None:
    """Only http and https links are allowed anywhere in our files and reports."""
    if value is not None and not re.match(r"^https?://[^\s]+$", value, re.IGNORECASE):
        raise ValueError("a link must start with http:// or https://")
    return value


class Source(Strict):
    """One entry of the bibliography."""

    authors: Annotated[list[Text], Field(min_length=1)]
    year: Int
    title: Text
    venue: str | None = None
    doi: str | None = None
    url: str | None = None

    @field_validator("url")
    @classmethod
    def _http_only(cls, v: str | None) -> str | None:
        return http_url(v)

    def citation(self) -> str:
        surnames = [a.split(",")[0].strip() for a in self.authors]
        who = surnames[0] if len(surnames) == 1 else (
            ", ".join(surnames[:-1]) + " & " + surnames[-1])
        return f"{who} ({self.year})"

    def link(self) -> str | None:
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url


class ScaleLevel(Strict):
    level: Annotated[int, Field(strict=True, ge=0)]
    name: Text
    meaning: Text


class Scoring(Strict):
    """How the rubric wants to be scored."""

    stage_gate: Literal["critical", "all"] = Field(
        "critical",
        description="An area reaches stage L only when its critical criteria "
        "(`critical`) or all its assessed criteria (`all`) are at L or above.",
    )
    default_target: Int | None = Field(
        None, description="The level aimed for when an answer and the assessment set none; "
        "default: the top of the scale.")
    evidence_from_level: Int | None = Field(
        None, description="Claims at or above this level need evidence; unset means never.")


class Citation(Strict):
    ref: Text = Field(description="A key of the rubric's `sources`.")
    section: Text = Field(description="The section heading of the paper.")
    topic: str | None = Field(None, description="A named item within the section.")
    note: str | None = Field(None, description="What the paper says there, in our words.")


class Crosswalk(Strict):
    itu_gci: Literal[
        "legal", "technical", "organizational", "capacity-development", "cooperation"
    ] | None = Field(None, description="ITU Global Cybersecurity Index pillar.")
    nist_csf: Literal["GV", "ID", "PR", "DE", "RS", "RC"] | None = Field(
        None, description="NIST CSF 2.0 function.")
    un_gge: list[Annotated[str, Field(pattern=UN_GGE_NORM)]] = Field(
        default_factory=list, description="UN GGE 2015 norms, by paragraph letter (13a-13k).")


class _Criterion(Strict):
    id: Annotated[str, Field(pattern=CRITERION_ID)] = Field(
        description="Stable dotted id: `<area>.<name>`.")
    title: Text
    question: Text
    weight: Weight
    critical: bool = Field(False, description="A basic that gates the area's stage.")
    levels: dict[Int, Text] = Field(default_factory=dict,
                                    description="Descriptor of each level.",
                                    json_schema_extra=LEVEL_KEYS)
    recommendations: dict[Int, Text] = Field(
        default_factory=dict, description="What to do to reach each level, keyed by that level.",
        json_schema_extra=LEVEL_KEYS)
    sources: Annotated[list[Citation], Field(min_length=1)]
    crosswalk: Crosswalk | None = None
    tags: list[Text] = Field(default_factory=list)

    def reachable_levels(self, scale: list[int]) -> list[int]:
        """Levels an answer to this criterion can produce, lowest first."""
        return list(scale)


class LevelCriterion(_Criterion):
    kind: Literal["level"]


class BooleanMap(Strict):
    met: Int = Field(description="Level when the answer is yes.")
    not_met: Int = Field(description="Level when the answer is no.")


class BooleanCriterion(_Criterion):
    kind: Literal["boolean"]
    boolean: BooleanMap

    def reachable_levels(self, scale: list[int]) -> list[int]:
        return [self.boolean.not_met, self.boolean.met]


class Metric(Strict):
    unit: Text
    min: Num | None = None
    max: Num | None = None
    better: Literal["higher", "lower"] = "higher"
    thresholds: dict[Int, Num] = Field(
        description="The value needed to reach each level. Below the first: the lowest level.",
        json_schema_extra=LEVEL_KEYS)

    def level_for(self, value: float, lowest: int) -> int:
        """The highest level whose threshold ``value`` reaches."""
        level = lowest
        for lv, t in sorted(self.thresholds.items()):
            reached = value >= t if self.better == "higher" else value <= t
            if reached:
                level = max(level, lv)
        return level


class MetricCriterion(_Criterion):
    kind: Literal["metric"]
    metric: Metric

    def reachable_levels(self, scale: list[int]) -> list[int]:
        return [scale[0], *sorted(self.metric.thresholds)]


Criterion = Annotated[
    LevelCriterion | BooleanCriterion | MetricCriterion, Field(discriminator="kind")
]


class Area(Strict):
    id: Annotated[str, Field(pattern=SLUG)]
    title: Text
    description: Text
    weight: Weight
    criteria: Annotated[list[Criterion], Field(min_length=1)]


class Rubric(Strict):
    """A cyber-diplomacy readiness rubric."""

    id: Annotated[str, Field(pattern=SLUG)]
    title: Text
    version: Annotated[str, Field(pattern=SEMVER)] = Field(description="Semantic version.")
    description: Text
    language: Text = "en"
    sources: dict[str, Source] = Field(description="Bibliography keyed by a short ref.")
    tags: dict[str, Text] = Field(default_factory=dict,
                                  description="Tags criteria may carry, with their meaning.")
    scale: Annotated[list[ScaleLevel], Field(min_length=4)]
    scoring: Scoring = Field(default_factory=Scoring)
    areas: Annotated[list[Area], Field(min_length=1)]

    # -- helpers used by scoring and rendering ---------------------------------

    @property
    def levels(self) -> list[int]:
        return [s.level for s in self.scale]

    @property
    def lowest(self) -> int:
        return self.scale[0].level

    @property
    def highest(self) -> int:
        return self.scale[-1].level

    def level_name(self, level: int) -> str:
        for s in self.scale:
            if s.level == level:
                return s.name
        return str(level)

    def criteria(self) -> Iterator[tuple[Area, AnyCriterion]]:
        for area in self.areas:
            for c in area.criteria:
                yield area, c

    def criterion_ids(self) -> list[str]:
        return [c.id for _, c in self.criteria()]

    def count_criteria(self) -> int:
        return sum(len(a.criteria) for a in self.areas)


AnyCriterion = LevelCriterion | BooleanCriterion | MetricCriterion


def descriptor(rubric: Rubric, criterion: AnyCriterion, level: int) -> str:
    """The rubric's words for ``criterion`` at ``level``, generated for metrics if unset."""
    if level in criterion.levels:
        return criterion.levels[level]
    if isinstance(criterion, MetricCriterion):
        m = criterion.metric
        ts = m.thresholds
        if level in ts:
            op = "at least" if m.better == "higher" else "at most"
            return f"{op} {_num(ts[level])} {m.unit}"
        if level == rubric.lowest and ts:
            first = ts[min(ts)]
            op = "below" if m.better == "higher" else "above"
            return f"{op} {_num(first)} {m.unit}"
    return rubric.level_name(level)


def _num(x: float) -> str:
    """A number as written, thousands separated, without the digits ``%g`` drops."""
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"


# -- checking ---------------------------------------------------------------------


def check(rubric: Rubric, doc: Document) -> list[Problem]:
    """Semantic checks the schema cannot express. Every problem is located."""
    out: list[Problem] = []

    def err(loc: tuple, code: str, msg: str, *, key: bool = False) -> None:
        line, col = doc.locate(loc, key=key)
        out.append(Problem(doc.path, line, col, "error", code, msg))

    # the scale: ordered, contiguous, unique
    levels = [s.level for s in rubric.scale]
    for i, s in enumerate(rubric.scale):
        if i and s.level != levels[i - 1] + 1:
            err(("scale", i, "level"), "CD203",
                f"scale level {s.level} follows {levels[i - 1]}; levels must count up by one "
                f"(expected {levels[i - 1] + 1})")
    scale = set(levels)
    lo, hi = rubric.lowest, rubric.highest
    # When the scale itself is broken, every criterion's levels would be reported
    # against a wrong scale: report the scale alone, not those consequences.
    scale_ok = not out

    for name in ("default_target", "evidence_from_level"):
        v = getattr(rubric.scoring, name)
        if v is not None and v not in scale:
            err(("scoring", name), "CD210", f"scoring.{name} is {v}, outside the scale {lo}..{hi}")
    if scale_ok and rubric.scoring.evidence_from_level == lo:
        err(("scoring", "evidence_from_level"), "CD210",
            f"scoring.evidence_from_level is the lowest level, {lo}: then even the answer "
            f"\"{rubric.level_name(lo)}\" would need evidence, and --strict could not lower "
            f"an unsupported claim anywhere; use a level from {lo + 1} to {hi}, or leave it out")

    seen_areas: dict[str, int] = {}
    seen_criteria: dict[str, tuple[int, int]] = {}
    for ai, area in enumerate(rubric.areas):
        aloc = ("areas", ai)
        if area.id in seen_areas:
            err((*aloc, "id"), "CD201",
                f"area id `{area.id}` is used twice (first at areas[{seen_areas[area.id]}])")
        seen_areas.setdefault(area.id, ai)
        if area.weight <= 0:
            err((*aloc, "weight"), "CD202", f"area `{area.id}` has weight {area.weight:g}; "
                "weights must be positive")
        for ci, c in enumerate(area.criteria):
            cloc = (*aloc, "criteria", ci)
            if c.id in seen_criteria:
                a0, c0 = seen_criteria[c.id]
                err((*cloc, "id"), "CD201", f"criterion id `{c.id}` is used twice "
                    f"(first at areas[{a0}].criteria[{c0}])")
            seen_criteria.setdefault(c.id, (ai, ci))
            if not c.id.startswith(area.id + "."):
                err((*cloc, "id"), "CD211",
                    f"criterion id `{c.id}` should start with its area id: `{area.id}.`")
            if c.weight <= 0:
                err((*cloc, "weight"), "CD202",
                    f"criterion `{c.id}` has weight {c.weight:g}; weights must be positive")
            if scale_ok:
                _check_kind(rubric, c, cloc, err)
                for lv in sorted(set(c.levels) - scale):
                    err((*cloc, "levels", lv), "CD210", f"`{c.id}` describes level {lv}, "
                        f"which is not on the scale {lo}..{hi}", key=True)
                for lv in sorted(set(c.recommendations) - scale):
                    err((*cloc, "recommendations", lv), "CD210", f"`{c.id}` recommends for level "
                        f"{lv}, which is not on the scale {lo}..{hi}", key=True)
                reachable = [lv for lv in c.reachable_levels(levels) if lv in scale]
                missing = [lv for lv in reachable if lv != min(reachable, default=lo)
                           and lv not in c.recommendations]
                if missing:
                    err((*cloc, "recommendations") if c.recommendations else (*cloc, "id"), "CD209",
                        f"`{c.id}` has no recommendation for reaching level(s) "
                        f"{', '.join(map(str, missing))}")
            for si, cite in enumerate(c.sources):
                if cite.ref not in rubric.sources:
                    known = ", ".join(sorted(rubric.sources)) or "none"
                    err((*cloc, "sources", si, "ref"), "CD207",
                        f"source `{cite.ref}` is not in the rubric's `sources` (known: {known})")
            for ti, tag in enumerate(c.tags):
                if tag not in rubric.tags:
                    known = ", ".join(sorted(rubric.tags)) or "none"
                    err((*cloc, "tags", ti), "CD208",
                        f"tag `{tag}` is not declared in the rubric's `tags` (known: {known})")
    return out


def _check_kind(rubric: Rubric, c: AnyCriterion, cloc: tuple, err) -> None:
    levels = rubric.levels
    scale = set(levels)
    if isinstance(c, LevelCriterion):
        missing = [lv for lv in levels if lv not in c.levels]
        if missing:
            err((*cloc, "levels") if c.levels else (*cloc, "kind"), "CD204",
                f"`{c.id}` has no descriptor for level(s) {', '.join(map(str, missing))}; "
                "a `level` criterion describes every level of the scale")
    elif isinstance(c, BooleanCriterion):
        b = c.boolean
        for name in ("met", "not_met"):
            v = getattr(b, name)
            if v not in scale:
                err((*cloc, "boolean", name), "CD210",
                    f"`{c.id}`: boolean.{name} is {v}, outside the scale "
                    f"{rubric.lowest}..{rubric.highest}")
        need = rubric.scoring.evidence_from_level
        if need is not None and need > rubric.lowest and b.not_met >= need:
            err((*cloc, "boolean", "not_met"), "CD106",
                f"`{c.id}`: boolean.not_met ({b.not_met}) is at or above "
                f"scoring.evidence_from_level ({need}), so answering \"no\" would need "
                f"evidence; map \"no\" to a level below {need}")
        if b.met <= b.not_met:
            err((*cloc, "boolean", "met"), "CD106",
                f"`{c.id}`: boolean.met ({b.met}) must be above boolean.not_met ({b.not_met})")
        missing = [lv for lv in (b.not_met, b.met) if lv in scale and lv not in c.levels]
        if missing:
            err((*cloc, "levels") if c.levels else (*cloc, "boolean"), "CD204",
                f"`{c.id}` has no descriptor for level(s) {', '.join(map(str, missing))} "
                "(the levels `met` and `not_met` map to)")
    else:
        m = c.metric
        mloc = (*cloc, "metric", "thresholds")
        ts = sorted(m.thresholds.items())
        expected = [lv for lv in levels if lv != rubric.lowest]
        got = [lv for lv, _ in ts]
        if got != expected:
            missing = sorted(set(expected) - set(got))
            extra = sorted(set(got) - set(expected))
            parts = []
            if missing:
                parts.append(f"no threshold for level(s) {', '.join(map(str, missing))}")
            if extra:
                parts.append(f"level(s) {', '.join(map(str, extra))} not on the scale above "
                             f"{rubric.lowest}")
            err(mloc, "CD206", f"`{c.id}`: {'; '.join(parts)}; thresholds must cover every "
                f"level from {rubric.lowest + 1} to {rubric.highest}")
        for (lv0, t0), (lv1, t1) in zip(ts, ts[1:], strict=False):
            ok = t1 > t0 if m.better == "higher" else t1 < t0
            if not ok:
                word = "rise" if m.better == "higher" else "fall"
                err((*mloc, lv1), "CD205",
                    f"`{c.id}`: the threshold for level {lv1} ({t1:g}) must {word} past "
                    f"level {lv0}'s ({t0:g}) because better is `{m.better}`")
        if m.min is not None and m.max is not None and m.min >= m.max:
            err((*cloc, "metric", "max"), "CD106", f"`{c.id}`: metric.max must be above min")
        for lv, t in ts:
            if (m.min is not None and t < m.min) or (m.max is not None and t > m.max):
                err((*mloc, lv), "CD206", f"`{c.id}`: threshold {t:g} for level {lv} is outside "
                    f"the metric's range {_num(m.min) if m.min is not None else '-inf'}.."
                    f"{_num(m.max) if m.max is not None else 'inf'}")
