"""Rubric models and their semantic checks.

A rubric says what a ready ministry has: areas, criteria, a maturity scale,
and citations back to the papers. ``docs/rubric-format.md`` is the prose
version of this module.
"""

import datetime as dt
import re
import weakref
from collections.abc import Iterator
from typing import Annotated, ClassVar, Literal

from pydantic import Field, field_validator, model_serializer, model_validator

from cyberdip.errors import Problem
from cyberdip.model.fields import PATTERN_WORDS, Int, Num, Strict, Text, Weight, did_you_mean
from cyberdip.textsafe import quote
from cyberdip.yamlio import Document

SEMVER = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"
SLUG = r"^[a-z0-9][a-z0-9-]*$"
CRITERION_ID = r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$"
#: Format 2 takes the field's own ids (``GV.OC-01``, ``1.1.a``): letters, digits, dots,
#: hyphens and underscores, starting and ending with a letter or digit. Nothing else,
#: so an id is always safe in a file name, a URL fragment and a plain YAML key.
NATIVE_ID = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,78}[A-Za-z0-9])?$"
UN_GGE_NORM = r"^13[a-k]$"

#: In JSON (and to YAML 1.2 tools such as editors) the level keys of `levels:`,
#: `recommendations:` and `thresholds:` are strings; the schema says they are numerals.
LEVEL_KEYS = {"propertyNames": {"pattern": r"^(0|[1-9][0-9]*)$"}}

PATTERN_WORDS.update({
    SEMVER: "a semantic version such as 1.0.0 (MAJOR.MINOR.PATCH)",
    SLUG: "a valid id: lower-case letters, digits and hyphens, such as `incident-response`",
    CRITERION_ID: "a valid criterion id: dotted lower-case words such as `policy.strategy`",
    NATIVE_ID: "a valid id: letters, digits, dots, hyphens and underscores, starting and "
               "ending with a letter or digit, such as `policy.strategy` or `GV.OC-01`",
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


def _drop_unset_max_age(self, handler):
    """Leave `evidence_max_age` out of a dump while it is unset, so that a rubric that
    does not set it keeps the hash it had before the field existed (as `released`)."""
    out = handler(self)
    if isinstance(out, dict) and self.evidence_max_age is None:
        out.pop("evidence_max_age", None)
    return out


class Scoring(Strict):
    """How the rubric wants to be scored."""

    stage_gate: Literal["critical", "all", "practices", "none"] = Field(
        "critical",
        description="How an area's stage is set. `critical`: the lowest level among its "
        "critical criteria; `all`: the lowest among all its criteria; `practices`: the C2M2 "
        "rule, the highest stage L at which every criterion of stage L or below is "
        "satisfied; `none`: the rubric has no stage.",
    )
    unanswered: Literal["ignore", "lowest"] | None = Field(
        None, description="For the stage only: leave unanswered criteria out (`ignore`), "
        "or count them as the lowest answer (`lowest`, as CSET does, and as the Oxford "
        "GCSCC method reaches a stage only with evidence for all of it). Default: `lowest` "
        "in format 2, `ignore` in format 1.")
    default_target: Int | None = Field(
        None, description="The level aimed for when an answer and the assessment set none; "
        "default: the top of the scale.")
    evidence_from_level: Int | None = Field(
        None, description="Claims at or above this level need evidence; unset means never.")
    evidence_max_age: str | int | None = Field(
        None, description='How old a dated item of evidence may be before it is stale, as '
        '"N months" or "N years" (a year is 12 months); a criterion\'s own '
        'evidence_max_age overrides it. Unset: evidence never goes stale.')


    _unset_max_age = model_serializer(mode="wrap")(_drop_unset_max_age)


class Citation(Strict):
    ref: Text = Field(description="A key of the rubric's `sources`.")
    section: Text = Field(description="The section heading of the paper.")
    topic: str | None = Field(None, description="A named item within the section.")
    note: str | None = Field(None, description="What the paper says there, in our words.")


class Crosswalk(Strict):
    """The format-1 crosswalk: three fixed frameworks. Read as `intersects` mappings."""

    itu_gci: Literal[
        "legal", "technical", "organizational", "capacity-development", "cooperation"
    ] | None = Field(None, description="ITU Global Cybersecurity Index pillar.")
    nist_csf: Literal["GV", "ID", "PR", "DE", "RS", "RC"] | None = Field(
        None, description="NIST CSF 2.0 function.")
    un_gge: list[Annotated[str, Field(pattern=UN_GGE_NORM)]] = Field(
        default_factory=list, description="UN GGE 2015 norms, by paragraph letter (13a-13k).")

    def mappings(self) -> list["Mapping"]:
        out = []
        if self.itu_gci:
            out.append(Mapping(framework="itu-gci", item=self.itu_gci,
                               relationship="intersects"))
        if self.nist_csf:
            out.append(Mapping(framework="nist-csf", item=self.nist_csf,
                               relationship="intersects"))
        out.extend(Mapping(framework="un-gge-2015", item=n, relationship="intersects")
                   for n in self.un_gge)
        return out


Relationship = Literal["equal", "subset", "superset", "intersects"]


class Mapping(Strict):
    """One typed crosswalk entry: this criterion relates to `item` of `framework`."""

    framework: Annotated[str, Field(pattern=NATIVE_ID)] = Field(
        description="A key of the rubric's `frameworks` (or itu-gci, nist-csf, un-gge-2015).")
    item: Annotated[str, Field(min_length=1, max_length=80)] = Field(
        description="The framework's own id of the item, such as `GV` or `13e`.")
    relationship: Relationship = Field(
        description="Set relation of this criterion to the item: equal, subset (narrower "
        "than the item), superset (broader) or intersects (overlaps).")
    note: str | None = None


class Framework(Strict):
    """An external framework that crosswalks point to."""

    title: Text
    url: str | None = None
    items: dict[str, Text] = Field(
        default_factory=dict, description="The framework's items (id: title). When given, "
        "every mapping must name one of them.")

    @field_validator("url")
    @classmethod
    def _http_only(cls, v: str | None) -> str | None:
        return http_url(v)


#: The frameworks format-1 crosswalks name, known without being declared. The item
#: titles are short paraphrases, ours.
BUILTIN_FRAMEWORKS: dict[str, Framework] = {
    "itu-gci": Framework(title="ITU Global Cybersecurity Index pillars", items={
        "legal": "Legal measures", "technical": "Technical measures",
        "organizational": "Organizational measures",
        "capacity-development": "Capacity development", "cooperation": "Cooperation"}),
    "nist-csf": Framework(title="NIST Cybersecurity Framework 2.0 functions", items={
        "GV": "Govern", "ID": "Identify", "PR": "Protect", "DE": "Detect", "RS": "Respond",
        "RC": "Recover"}),
    "un-gge-2015": Framework(title="UN GGE 2015 norms of responsible state behaviour "
                             "(A/70/174, paragraph 13)", items={
        "13a": "Cooperate for stability and security in the use of ICTs",
        "13b": "Consider all relevant information about ICT incidents",
        "13c": "Do not knowingly let territory be used for wrongful ICT acts",
        "13d": "Cooperate against criminal and terrorist use of ICTs",
        "13e": "Respect human rights online, including privacy",
        "13f": "Do not damage critical infrastructure through ICT activity",
        "13g": "Protect one's own critical infrastructure",
        "13h": "Answer requests for help when critical infrastructure is attacked",
        "13i": "Keep the ICT supply chain sound",
        "13j": "Encourage responsible reporting of ICT vulnerabilities",
        "13k": "Do not harm emergency response teams",
    }),
}


class Indicator(Strict):
    """A short, checkable statement: true or false, shown with evidence."""

    id: Annotated[str, Field(pattern=NATIVE_ID)]
    text: Text
    note: str | None = None


class AnswerOption(Strict):
    """One answer of a criterion's own answer scale, such as C2M2's "Largely implemented"."""

    id: Annotated[str, Field(pattern=NATIVE_ID)] = Field(description="What an assessment "
                                                         "writes, such as `LI`.")
    name: Text
    score: Annotated[float, Field(strict=True, ge=0, le=1, allow_inf_nan=False)] = Field(
        description="Its score, from 0 to 1.")
    meaning: str | None = None
    satisfies: bool = Field(False, description="Whether this answer counts as the practice "
                            "being performed, for the `practices` stage gate.")


class _Criterion(Strict):
    id: Annotated[str, Field(pattern=NATIVE_ID)] = Field(
        description="Stable id: `<area>.<name>` in format 1; the field's own id in format 2.")
    title: str | None = Field(None, description="Short title; optional in format 2 (the "
                              "question is shown instead).")
    question: Text
    question_for: dict[str, Text] = Field(
        default_factory=dict, description="The question as put to one profile, keyed by "
        "profile id, when it should be worded differently.")
    weight: Weight = 1.0
    critical: bool = Field(False, description="A basic that gates the area's stage.")
    stage: Int | None = Field(None, description="The stage this criterion belongs to (C2M2's "
                              "maturity indicator level), for the `practices` stage gate.")
    applies_to: list[Annotated[str, Field(pattern=NATIVE_ID)]] | None = Field(
        None, description="The profiles this criterion applies to; default: all.")
    levels: dict[Int, Text] = Field(default_factory=dict,
                                    description="Descriptor of each level.",
                                    json_schema_extra=LEVEL_KEYS)
    indicators: dict[Int, Annotated[list[Indicator], Field(min_length=1)]] = Field(
        default_factory=dict, description="Checkable indicators per level: a level is reached "
        "when every indicator at it and below holds.", json_schema_extra=LEVEL_KEYS)
    recommendations: dict[Int, Text] = Field(
        default_factory=dict, description="What to do to reach each level, keyed by that level.",
        json_schema_extra=LEVEL_KEYS)
    sources: Annotated[list[Citation], Field(min_length=1)]
    crosswalk: Crosswalk | None = Field(None, description="Format 1's fixed crosswalk; read "
                                        "as `intersects` mappings.")
    mappings: list[Mapping] = Field(
        default_factory=list, description="Typed crosswalks: the items of external "
        "frameworks this criterion relates to, and how.")
    tags: list[Text] = Field(default_factory=list)
    evidence_max_age: str | int | None = Field(
        None, description='How old a dated item of this criterion\'s evidence may be, as '
        '"N months" or "N years"; overrides scoring.evidence_max_age.')

    _unset_max_age = model_serializer(mode="wrap")(_drop_unset_max_age)

    @property
    def label(self) -> str:
        """What to call this criterion: its title, or its question when it has none."""
        return self.title or self.question

    def all_mappings(self) -> list[Mapping]:
        """The typed mappings and the format-1 crosswalk's, in that order."""
        old = self.crosswalk.mappings() if self.crosswalk is not None else []
        return [*self.mappings, *old]

    def reachable_levels(self, scale: list[int]) -> list[int]:
        """Levels an answer to this criterion can produce, lowest first."""
        return list(scale)

    def indicator_list(self) -> list[tuple[int, Indicator]]:
        return [(lv, ind) for lv in sorted(self.indicators) for ind in self.indicators[lv]]

    def applies(self, profile: str | None) -> bool:
        return profile is None or self.applies_to is None or profile in self.applies_to

    def question_as(self, profile: str | None) -> str:
        return self.question_for.get(profile, self.question) if profile else self.question


class LevelCriterion(_Criterion):
    kind: Literal["level"]
    #: the key of an assessment's answer to it (`level:` here, or its indicators)
    answer_key: ClassVar[str] = "level"


class BooleanMap(Strict):
    met: Int = Field(description="Level when the answer is yes.")
    not_met: Int = Field(description="Level when the answer is no.")


class BooleanCriterion(_Criterion):
    kind: Literal["boolean"]
    boolean: BooleanMap
    answer_key: ClassVar[str] = "met"

    def reachable_levels(self, scale: list[int]) -> list[int]:
        return [self.boolean.not_met, self.boolean.met]


class Metric(Strict):
    unit: Text
    min: Num | None = None
    max: Num | None = None
    better: Literal["higher", "lower"] = "higher"
    scoring: Literal["thresholds", "linear"] = Field(
        "thresholds", description="`thresholds`: the score is the level's; `linear`: the "
        "score runs straight from min to max (max to min when lower is better).")
    thresholds: dict[Int, Num] = Field(
        default_factory=dict,
        description="The value needed to reach each level. Below the first: the lowest level. "
        "Optional for a linear metric, which then has no level.",
        json_schema_extra=LEVEL_KEYS)

    def level_for(self, value: float, lowest: int) -> int | None:
        """The highest level whose threshold ``value`` reaches (None without thresholds)."""
        if not self.thresholds:
            return None
        level = lowest
        for lv, t in sorted(self.thresholds.items()):
            reached = value >= t if self.better == "higher" else value <= t
            if reached:
                level = max(level, lv)
        return level

    def linear(self, value: float) -> float:
        """The value as a share of the range, 0..1, the better end at 1."""
        lo, hi = float(self.min or 0), float(self.max or 0)
        share = (value - lo) / (hi - lo)
        if self.better == "lower":
            share = 1 - share
        return min(1.0, max(0.0, share))


class MetricCriterion(_Criterion):
    kind: Literal["metric"]
    metric: Metric
    answer_key: ClassVar[str] = "value"

    def reachable_levels(self, scale: list[int]) -> list[int]:
        if not self.metric.thresholds:
            return []
        return [scale[0], *sorted(self.metric.thresholds)] if scale else []


class ChoiceCriterion(_Criterion):
    """Answered with one option of a named answer scale (C2M2's FI/LI/PI/NI)."""

    kind: Literal["choice"]
    answer_key: ClassVar[str] = "answer"
    answer_scale: Annotated[str, Field(pattern=NATIVE_ID)] = Field(
        description="A key of the rubric's `answer_scales`.")

    def reachable_levels(self, scale: list[int]) -> list[int]:
        return []


Criterion = Annotated[
    LevelCriterion | BooleanCriterion | MetricCriterion | ChoiceCriterion,
    Field(discriminator="kind"),
]


class Group(Strict):
    """A category inside an area: it organises criteria and gets its own score."""

    id: Annotated[str, Field(pattern=NATIVE_ID)]
    title: str | None = None
    description: str | None = None
    criteria: list[Criterion] = Field(default_factory=list)
    groups: list["Group"] = Field(default_factory=list)

    @property
    def label(self) -> str:
        return self.title or self.id

    def all_criteria(self) -> Iterator["AnyCriterion"]:
        yield from self.criteria
        for g in self.groups:
            yield from g.all_criteria()


class Area(Strict):
    id: Annotated[str, Field(pattern=NATIVE_ID)]
    title: Text
    description: str | None = None
    weight: Weight = 1.0
    context: bool = Field(False, description="National context: scored and shown, but left "
                          "out of the index, the stage and the coverage.")
    criteria: list[Criterion] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)

    def all_criteria(self) -> Iterator["AnyCriterion"]:
        yield from self.criteria
        for g in self.groups:
            yield from g.all_criteria()

    def walk_groups(self) -> Iterator[tuple[Group, int, str | None]]:
        """Every group of the area, depth first: (group, depth from 1, parent group id)."""
        def walk(groups: list[Group], depth: int, parent: str | None):
            for g in groups:
                yield g, depth, parent
                yield from walk(g.groups, depth + 1, g.id)
        yield from walk(self.groups, 1, None)


class Labels(Strict):
    index: Text = Field("readiness index", description='What the index is called, such as '
                        '"readiness index" or "overall score".')
    stage: Text = Field("stage", description='What a stage is called, such as "stage" or '
                        '"MIL".')


class Band(Strict):
    name: Text
    min: Annotated[float, Field(strict=True, ge=0, le=100, allow_inf_nan=False)] = Field(
        description="The lowest index in the band.")
    meaning: str | None = None


class IndexSpec(Strict):
    bands: list[Band] = Field(default_factory=list, description="Named bands on the index, "
                              "such as tiers; an index is in the band with the highest `min` "
                              "it reaches.")


class Profile(Strict):
    id: Annotated[str, Field(pattern=NATIVE_ID)]
    name: Text
    description: str | None = None


#: The SHA-256 of the file's bytes each loaded rubric was read from, by ``id()`` of the
#: rubric (an entry leaves with its rubric). Kept beside the model, not in it: a private
#: attribute would take part in ``==``, and the same rubric read from two files (a
#: catalog round trip, a copy in a pack) must still be equal.
_FILE_SHA256: dict[int, str] = {}


class Rubric(Strict):
    """A readiness rubric."""

    format: Literal[1, 2] = Field(1, description="The rubric format: 1 (the default) or 2.")
    id: Annotated[str, Field(pattern=SLUG)]
    title: Text
    version: Annotated[str, Field(pattern=SEMVER)] = Field(description="Semantic version.")
    released: dt.date | None = Field(
        None, description="The day this version was released (YYYY-MM-DD): the "
        "`last-modified` time of its OSCAL catalog (`cyberdip export`).")
    description: Text
    language: Text = "en"
    labels: Labels = Field(default_factory=Labels)
    sources: dict[str, Source] = Field(description="Bibliography keyed by a short ref.")
    glossary: dict[str, Text] = Field(default_factory=dict,
                                      description="Key terms and what they mean here.")
    tags: dict[str, Text] = Field(default_factory=dict,
                                  description="Tags criteria may carry, with their meaning.")
    profiles: list[Profile] = Field(default_factory=list, description="Whom criteria can "
                                    "apply to, such as headquarters and missions.")
    frameworks: dict[str, Framework] = Field(default_factory=dict, description="External "
                                             "frameworks the crosswalks map to.")
    scale: list[ScaleLevel] | None = Field(
        None, min_length=4, description="The stage scale; required unless "
        "`scoring.stage_gate` is `none` and no criterion is answered with a level.")
    answer_scales: dict[str, Annotated[list[AnswerOption], Field(min_length=2)]] = Field(
        default_factory=dict, description="Named answer scales for `choice` criteria, "
        "lowest first.")
    scoring: Scoring = Field(default_factory=Scoring)
    index: IndexSpec = Field(default_factory=IndexSpec)
    areas: Annotated[list[Area], Field(min_length=1)]

    @model_validator(mode="after")
    def _unanswered_default(self) -> "Rubric":
        """A blank never helps the stage in format 2: unless the rubric chooses, an
        unanswered criterion counts as its lowest answer there (`docs/scoring.md`).
        Format 1 keeps leaving it out, as it always has."""
        if self.scoring.unanswered is None:
            self.scoring.unanswered = "lowest" if self.format == 2 else "ignore"
        return self

    # -- helpers used by scoring and rendering ---------------------------------

    @property
    def levels(self) -> list[int]:
        return [s.level for s in self.scale or []]

    @property
    def lowest(self) -> int:
        return self.scale[0].level if self.scale else 0

    @property
    def highest(self) -> int:
        return self.scale[-1].level if self.scale else 1

    def level_name(self, level: int) -> str:
        for s in self.scale or []:
            if s.level == level:
                return s.name
        return str(level)

    def criteria(self) -> Iterator[tuple[Area, "AnyCriterion"]]:
        for area in self.areas:
            for c in area.all_criteria():
                yield area, c

    def criterion_ids(self) -> list[str]:
        return [c.id for _, c in self.criteria()]

    def count_criteria(self) -> int:
        return sum(1 for _ in self.criteria())

    @property
    def file_sha256(self) -> str | None:
        """The SHA-256 of the bytes of the file this rubric was read from: the one content
        hash (``formats/digest.py``) a scorecard records and a pin checks. None for a
        rubric built in memory."""
        return _FILE_SHA256.get(id(self))

    def set_file_sha256(self, sha256: str | None) -> None:
        """Record the hash of the file this rubric was read from (``formats.documents``)."""
        if sha256 is None:
            _FILE_SHA256.pop(id(self), None)
            return
        if id(self) not in _FILE_SHA256:
            weakref.finalize(self, _FILE_SHA256.pop, id(self), None)
        _FILE_SHA256[id(self)] = sha256

    def profile_ids(self) -> list[str]:
        return [p.id for p in self.profiles]

    def default_profile(self) -> str | None:
        return self.profiles[0].id if self.profiles else None

    def band_for(self, index: float | None) -> Band | None:
        if index is None:
            return None
        reached = [b for b in self.index.bands if index >= b.min]
        return max(reached, key=lambda b: b.min) if reached else None

    def framework(self, key: str) -> Framework | None:
        return self.frameworks.get(key) or BUILTIN_FRAMEWORKS.get(key)


AnyCriterion = LevelCriterion | BooleanCriterion | MetricCriterion | ChoiceCriterion


def join_indicators(texts: list[str]) -> str:
    """Indicators as one description: sentences one after another when each ends as a
    sentence does ("A. B."), else a list ("a; b")."""
    if all(t.rstrip().endswith((".", "!", "?", "\u06d4")) for t in texts):
        return " ".join(texts)
    return "; ".join(texts)


def descriptor(rubric: Rubric, criterion: AnyCriterion, level: int) -> str:
    """The rubric's words for ``criterion`` at ``level``: its descriptor; else its
    indicators at that level; else, for metrics, the threshold; else the scale's name."""
    if level in criterion.levels:
        return criterion.levels[level]
    if criterion.indicators.get(level):
        return join_indicators([i.text for i in criterion.indicators[level]])
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


def located_criteria(rubric: Rubric) -> Iterator[tuple[int, Area, tuple, AnyCriterion]]:
    """Every criterion with its area's index, the area and its data path in the file."""
    def walk(owner: Area | Group, loc: tuple):
        for ci, c in enumerate(owner.criteria):
            yield (*loc, "criteria", ci), c
        for gi, g in enumerate(owner.groups):
            yield from walk(g, (*loc, "groups", gi))

    for ai, area in enumerate(rubric.areas):
        for loc, c in walk(area, ("areas", ai)):
            yield ai, area, loc, c


def located_groups(rubric: Rubric) -> Iterator[tuple[tuple, Group]]:
    def walk(groups: list[Group], loc: tuple):
        for gi, g in enumerate(groups):
            yield (*loc, "groups", gi), g
            yield from walk(g.groups, (*loc, "groups", gi))

    for ai, area in enumerate(rubric.areas):
        yield from walk(area.groups, ("areas", ai))


def _plain_yaml_key(text: str) -> bool:
    """Whether ``text`` written as a plain YAML key reads back as that same text
    (``1.10`` would read as the number 1.1, ``true`` and ``null`` as other things)."""
    import yaml

    try:
        return yaml.safe_load(f"{text}: x") == {text: "x"}
    except yaml.YAMLError:
        return False


_MAX_AGE = re.compile(r"^\s*(\d{1,4})\s+(months?|years?)\s*$", re.IGNORECASE)
#: The longest max age a rubric may set: a century, in months.
MAX_AGE_MONTHS = 1200


def max_age_months(value: object) -> int | None:
    """An ``evidence_max_age`` in months ("24 months", "2 years"); None when unset or
    not written as the rubric format says (``validate`` refuses that, CD219)."""
    m = _MAX_AGE.match(value) if isinstance(value, str) else None
    if m is None:
        return None
    n = int(m.group(1)) * (12 if m.group(2).lower().startswith("year") else 1)
    return n if 1 <= n <= MAX_AGE_MONTHS else None


def _check_max_age(value: object, loc: tuple, err) -> None:
    if value is None or max_age_months(value) is not None:
        return
    shown = quote(str(value))[:40]
    hint = (f"write it with its unit, such as `{value} months`" if isinstance(value, int)
            and not isinstance(value, bool) else "write it as `N months` or `N years`, "
            "such as `24 months` or `2 years`")
    err(loc, "CD219", f"evidence_max_age `{shown}` is not an age of evidence: {hint}, "
        f"from 1 month to {MAX_AGE_MONTHS // 12} years")


def check(rubric: Rubric, doc: Document) -> list[Problem]:
    """Semantic checks the schema cannot express. Every problem is located."""
    out: list[Problem] = []

    def err(loc: tuple, code: str, msg: str, *, key: bool = False,
            level: str = "error") -> None:
        line, col = doc.locate(loc, key=key)
        out.append(Problem(doc.path, line, col, level, code, msg))

    v2 = rubric.format == 2
    # the scale: ordered, contiguous, unique
    levels = rubric.levels
    for i, s in enumerate(rubric.scale or []):
        if i and s.level != levels[i - 1] + 1:
            err(("scale", i, "level"), "CD203",
                f"scale level {s.level} follows {levels[i - 1]}; levels must count up by one "
                f"(expected {levels[i - 1] + 1})")
    scale = set(levels)
    lo, hi = rubric.lowest, rubric.highest
    # When the scale itself is broken, every criterion's levels would be reported
    # against a wrong scale: report the scale alone, not those consequences.
    scale_ok = not out
    if rubric.scale is None and isinstance(doc.data, dict) and "scale" in doc.data:
        # the scale is there but broken (the schema said how): nothing to check against
        return out
    if rubric.scale is None and rubric.scoring.stage_gate != "none":
        err(("scoring",) if "scoring" in (doc.data or {}) else ("areas",), "CD212",
            f"the rubric has no `scale`, so it has no stages; give a scale, or set "
            f"scoring.stage_gate to `none` (it is `{rubric.scoring.stage_gate}`)")

    for name in ("default_target", "evidence_from_level"):
        v = getattr(rubric.scoring, name)
        if v is not None and v not in scale:
            err(("scoring", name), "CD210", f"scoring.{name} is {v}, outside the scale {lo}..{hi}")
    if scale_ok and rubric.scale and rubric.scoring.evidence_from_level == lo:
        err(("scoring", "evidence_from_level"), "CD210",
            f"scoring.evidence_from_level is the lowest level, {lo}: then even the answer "
            f"\"{rubric.level_name(lo)}\" would need evidence, and --strict could not lower "
            f"an unsupported claim anywhere; use a level from {lo + 1} to {hi}, or leave it out")

    _check_max_age(rubric.scoring.evidence_max_age, ("scoring", "evidence_max_age"), err)
    for _, _, cloc, crit in located_criteria(rubric):
        _check_max_age(crit.evidence_max_age, (*cloc, "evidence_max_age"), err)

    for key, options in rubric.answer_scales.items():
        seen_options: set[str] = set()
        for oi, o in enumerate(options):
            if o.id in seen_options:
                err(("answer_scales", key, oi, "id"), "CD201",
                    f"answer `{o.id}` is used twice in answer scale `{quote(key)}`")
            seen_options.add(o.id)
        scores = [o.score for o in options]
        if scores != sorted(scores):
            err(("answer_scales", key), "CD205", (
                f"answer scale `{quote(key)}` must list its answers "
                "lowest score first"))

    seen_profiles: set[str] = set()
    for pi, prof in enumerate(rubric.profiles):
        if prof.id in seen_profiles:
            err(("profiles", pi, "id"), "CD201", f"profile id `{prof.id}` is used twice")
        seen_profiles.add(prof.id)

    names: list[str] = []
    for bi, band in enumerate(rubric.index.bands):
        if band.name in names:
            err(("index", "bands", bi, "name"), "CD201", f"band `{band.name}` is named twice")
        names.append(band.name)
    mins = [b.min for b in rubric.index.bands]
    if len(set(mins)) != len(mins):
        err(("index", "bands"), "CD205", "two bands start at the same index; give each band "
            "its own `min`")

    seen_areas: dict[str, int] = {}
    for ai, area in enumerate(rubric.areas):
        aloc = ("areas", ai)
        if area.id in seen_areas:
            err((*aloc, "id"), "CD201",
                f"area id `{area.id}` is used twice (first at areas[{seen_areas[area.id]}])")
        seen_areas.setdefault(area.id, ai)
        if area.weight <= 0:
            err((*aloc, "weight"), "CD202", f"area `{area.id}` has weight {area.weight:g}; "
                "weights must be positive")
        if not any(True for _ in area.all_criteria()):
            err((*aloc, "id"), "CD106", f"area `{area.id}` has no criteria; give it "
                "`criteria:` or `groups:` with criteria in them")
        if not v2:
            for field in ("groups",):
                if getattr(area, field):
                    err((*aloc, field), "CD213", f"`{field}` needs `format: 2` at the top of "
                        "the rubric")
    if not any(not a.context for a in rubric.areas):
        err(("areas",), "CD106", "every area is national context (`context: true`); at least "
            "one area must measure the organisation itself")

    seen_groups: dict[str, tuple] = {}
    for gloc, g in located_groups(rubric):
        if g.id in seen_groups or g.id in seen_areas:
            err((*gloc, "id"), "CD201", f"group id `{g.id}` is used twice")
        seen_groups.setdefault(g.id, gloc)
        if not any(True for _ in g.all_criteria()):
            err((*gloc, "id"), "CD106", f"group `{g.id}` has no criteria")

    seen_criteria: dict[str, tuple] = {}
    for _ai, area, cloc, c in located_criteria(rubric):
        if c.id in seen_criteria:
            first = seen_criteria[c.id]
            err((*cloc, "id"), "CD201", f"criterion id `{c.id}` is used twice "
                f"(first at {_where(first)})")
        seen_criteria.setdefault(c.id, cloc)
        if not v2 and not re.match(CRITERION_ID, c.id):
            err((*cloc, "id"), "CD211", f"criterion id `{c.id}` is not "
                f"{PATTERN_WORDS[CRITERION_ID]}; the field's own ids, such as `GV.OC-01`, "
                "need `format: 2` at the top of the rubric")
        elif not v2 and not c.id.startswith(area.id + "."):
            err((*cloc, "id"), "CD211",
                f"criterion id `{c.id}` should start with its area id: `{area.id}.`")
        elif v2 and not _plain_yaml_key(c.id):
            err((*cloc, "id"), "CD211", f"criterion id `{c.id}` would be read by YAML as a "
                "number or another value when written as a key in an assessment; add a "
                "letter, such as `c" + c.id + "`")
        if not v2:
            for field in ("indicators", "question_for", "applies_to", "stage", "mappings"):
                if getattr(c, field):
                    err((*cloc, field), "CD213", f"`{field}` needs `format: 2` at the top of "
                        "the rubric", key=True)
            if c.title is None:
                err(cloc, "CD103", f"missing key `title` in `{c.id}` (a criterion's title is "
                    "optional only in format 2)")
        if c.weight <= 0:
            err((*cloc, "weight"), "CD202",
                f"criterion `{c.id}` has weight {c.weight:g}; weights must be positive")
        for prof in list(c.applies_to or []) + list(c.question_for):
            if prof not in seen_profiles:
                known = ", ".join(rubric.profile_ids()) or "none"
                err((*cloc, "applies_to" if prof in (c.applies_to or []) else "question_for"),
                    "CD214", f"`{c.id}` names the profile `{quote(prof)}`, which the rubric's "
                    f"`profiles` does not declare (known: {known})")
        if c.stage is not None and c.stage not in scale:
            err((*cloc, "stage"), "CD210", f"`{c.id}`: stage {c.stage} is not on the scale "
                f"{lo}..{hi}")
        if rubric.scoring.stage_gate == "practices" and c.stage is None and not area.context:
            err((*cloc, "id"), "CD215", f"`{c.id}` has no `stage`; with scoring.stage_gate "
                "`practices` every criterion says which stage it belongs to")
        if scale_ok:
            _check_kind(rubric, c, cloc, err)
            for lv in sorted(set(c.levels) - scale):
                err((*cloc, "levels", lv), "CD210", f"`{c.id}` describes level {lv}, "
                    f"which is not on the scale {lo}..{hi}", key=True)
            for lv in sorted(set(c.recommendations) - scale):
                err((*cloc, "recommendations", lv), "CD210", f"`{c.id}` recommends for level "
                    f"{lv}, which is not on the scale {lo}..{hi}", key=True)
            for lv in sorted(set(c.indicators) - scale):
                err((*cloc, "indicators", lv), "CD210", f"`{c.id}` has indicators for level "
                    f"{lv}, which is not on the scale {lo}..{hi}", key=True)
            if c.indicators and not isinstance(c, LevelCriterion):
                err((*cloc, "indicators"), "CD106", f"`{c.id}`: only `level` criteria have "
                    f"indicators (this one is `{c.kind}`)", key=True)
            if c.indicators.get(lo):
                err((*cloc, "indicators", lo), "CD106", f"`{c.id}` has indicators for the "
                    f"lowest level, {lo}, which every answer reaches; start at {lo + 1}",
                    key=True)
            skipped = [lv for lv in levels if lv != lo and lv not in c.indicators]
            if c.indicators and isinstance(c, LevelCriterion) and skipped:
                err((*cloc, "indicators"), "CD218", f"`{c.id}` has indicators for level(s) "
                    f"{', '.join(map(str, sorted(c.indicators)))} but none for "
                    f"{', '.join(map(str, skipped))}; an answer of its indicators could "
                    "never reach a level without any, so give every level above "
                    f"{lo} its indicators (or describe the criterion with `levels` instead)",
                    key=True)
            ind_seen: set[str] = set()
            for lv, inds in sorted(c.indicators.items()):
                for ii, ind in enumerate(inds):
                    if ind.id in ind_seen:
                        err((*cloc, "indicators", lv, ii, "id"), "CD201",
                            f"`{c.id}`: indicator id `{ind.id}` is used twice")
                    ind_seen.add(ind.id)
            reachable = [lv for lv in c.reachable_levels(levels) if lv in scale]
            missing = [lv for lv in reachable if lv != min(reachable, default=lo)
                       and lv not in c.recommendations]
            if missing and not v2:
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
                    f"tag `{quote(tag)}` is not declared in the rubric's `tags` (known: {known})")
        if c.mappings:
            for mi, m in enumerate(c.mappings):
                fw = rubric.framework(m.framework)
                if fw is None:
                    known = ", ".join(sorted(set(rubric.frameworks) | set(BUILTIN_FRAMEWORKS)))
                    err((*cloc, "mappings", mi, "framework"), "CD216",
                        f"`{c.id}` maps to the framework `{m.framework}`, which the rubric's "
                        f"`frameworks` does not declare (known: {known})")
                elif fw.items and m.item not in fw.items:
                    hint = did_you_mean(m.item, list(fw.items))
                    err((*cloc, "mappings", mi, "item"), "CD216",
                        f"`{m.item}` is not an item of `{m.framework}`"
                        + (f": {hint}" if hint else ""))
    return out


def _where(loc: tuple) -> str:
    out = ""
    for seg in loc:
        out += f"[{seg}]" if isinstance(seg, int) else (f".{seg}" if out else str(seg))
    return out


def _check_kind(rubric: Rubric, c: AnyCriterion, cloc: tuple, err) -> None:
    levels = rubric.levels
    scale = set(levels)
    v2 = rubric.format == 2
    needs_scale = isinstance(c, LevelCriterion | BooleanCriterion) or (
        isinstance(c, MetricCriterion) and c.metric.thresholds)
    if needs_scale and not rubric.scale:
        err((*cloc, "kind"), "CD212", f"`{c.id}` is answered with a level, but the rubric has "
            "no `scale`; add one, or use a linear metric or a choice criterion")
        return
    if isinstance(c, LevelCriterion):
        missing = [lv for lv in levels if lv not in c.levels]
        if missing and not v2:
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
        if missing and not v2:
            err((*cloc, "levels") if c.levels else (*cloc, "boolean"), "CD204",
                f"`{c.id}` has no descriptor for level(s) {', '.join(map(str, missing))} "
                "(the levels `met` and `not_met` map to)")
    elif isinstance(c, ChoiceCriterion):
        if c.answer_scale not in rubric.answer_scales:
            known = ", ".join(sorted(rubric.answer_scales)) or "none"
            err((*cloc, "answer_scale"), "CD217", f"`{c.id}` uses the answer scale "
                f"`{c.answer_scale}`, which the rubric's `answer_scales` does not declare "
                f"(known: {known})")
    else:
        m = c.metric
        mloc = (*cloc, "metric", "thresholds")
        if m.scoring == "linear" and (m.min is None or m.max is None):
            err((*cloc, "metric", "scoring"), "CD106", f"`{c.id}`: a linear metric needs "
                "both `min` and `max`, the ends of its score")
        ts = sorted(m.thresholds.items())
        expected = [lv for lv in levels if lv != rubric.lowest]
        got = [lv for lv, _ in ts]
        if got != expected and (ts or m.scoring == "thresholds"):
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
