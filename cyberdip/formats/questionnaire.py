"""The guided questionnaire, without a terminal: what to ask next, what an answer
means, and the assessment text the answers make.

``cyberdip assess`` (in ``cli/assess.py`` and ``cli/asker/``) does the asking and the saving;
this module decides everything else, so it can be tested without a terminal.
The parsers here are shared with the spreadsheet import, so an answer means the
same thing typed at a prompt and typed into a cell.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from cyberdip.model.rubric import (
    AnyCriterion,
    Area,
    BooleanCriterion,
    ChoiceCriterion,
    MetricCriterion,
    Rubric,
    descriptor,
)
from cyberdip.textsafe import quote

#: Question rows a questionnaire (a CSV sheet or a workbook's Answers sheet) may hold:
#: one per criterion, or one per indicator. ``init`` refuses to write more, and
#: ``import`` to read more, so that every questionnaire ``init`` writes imports. It is
#: the supported size of a rubric's questionnaire (docs/limits.md).
MAX_ROWS = 10_000

COMMANDS = ("skip", "back", "quit")
HELP_WORDS = ("?", "help")
NA_WORDS = ("n/a", "na", "n.a.", "not applicable")
YES = ("yes", "y", "true", "t", "met", "1")
NO = ("no", "n", "false", "f", "not met", "0")


class AnswerError(ValueError):
    """An answer that does not fit; the message says why, in the user's terms."""

    def __init__(self, message: str, code: str = "CD304") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# -- what to ask -------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One criterion in questionnaire order, with where it sits."""

    index: int  # 0-based over the whole rubric
    total: int
    area: Area
    criterion: AnyCriterion
    area_index: int  # 0-based within the area
    area_total: int

    @property
    def progress(self) -> str:
        """e.g. ``12 of 41, policy 3 of 7``."""
        return (f"{self.index + 1} of {self.total}, {self.area.id} "
                f"{self.area_index + 1} of {self.area_total}")


def items(rubric: Rubric, profile: str | None = None) -> list[Item]:
    """The criteria asked of ``profile`` (default: the rubric's first), in order,
    those inside groups included."""
    profile = profile or rubric.default_profile()
    asked = [(area, [c for c in area.all_criteria() if c.applies(profile)])
             for area in rubric.areas]
    total = sum(len(cs) for _, cs in asked)
    out: list[Item] = []
    for area, cs in asked:
        for ai, c in enumerate(cs):
            out.append(Item(len(out), total, area, c, ai, len(cs)))
    return out


@dataclass(frozen=True)
class Row:
    """One row of a sheet: a criterion, or one indicator of a criterion that has
    indicators (answered yes or no; the level follows from them). ``id`` is what the
    sheet's id column holds: ``criterion`` or ``criterion:indicator``."""

    id: str
    area: Area
    criterion: AnyCriterion
    indicator: Any = None  # model.rubric.Indicator
    level: int | None = None  # the level the indicator belongs to

    def label(self, rubric: Rubric) -> str:
        c = self.criterion
        if self.indicator is not None:
            return (f"{c.label} - level {self.level} ({rubric.level_name(self.level)})"
                    if self.level is not None else c.label)
        return c.label + (" [critical]" if c.critical else "")

    def question(self, profile: str | None) -> str:
        if self.indicator is not None:
            return self.indicator.text
        return self.criterion.question_as(profile)


#: What separates a criterion's id from one of its indicators' in a sheet's id column:
#: no id may hold it.
INDICATOR_SEP = ":"


#: How a questionnaire asks a criterion that has indicators (``init --mode``):
#: ``indicators``, one row per indicator, answered yes or no (the level follows from
#: them); ``levels``, one row for the criterion, answered with a level.
MODES = ("indicators", "levels")


def rows(rubric: Rubric, profile: str | None = None, mode: str = "indicators") -> list[Row]:
    """The rows of a sheet for ``profile``: one per criterion, or one per indicator
    where the criterion has indicators (``mode`` ``indicators``; in ``levels`` mode such
    a criterion has one row, answered with a level, as one without indicators)."""
    out: list[Row] = []
    for it in items(rubric, profile):
        c = it.criterion
        if c.indicators and mode != "levels":
            out.extend(Row(f"{c.id}{INDICATOR_SEP}{ind.id}", it.area, c, ind, lv)
                       for lv, ind in c.indicator_list())
        else:
            out.append(Row(c.id, it.area, c))
    return out


def sheet_rows(rubric: Rubric, profile: str | None = None, mode: str = "indicators"
               ) -> list[Row]:
    """The rows of a questionnaire ``init`` writes (CSV or workbook): ``rows``, refused
    when there are more than ``MAX_ROWS``, which ``import`` would refuse to read."""
    out = rows(rubric, profile, mode)
    if len(out) > MAX_ROWS:
        from cyberdip.errors import CyberdipError

        raise CyberdipError(
            f"the rubric `{quote(rubric.id)}` asks {len(out):,} questions (one row per "
            f"criterion or indicator), more than the {MAX_ROWS:,} rows a questionnaire may "
            "hold and `import` reads; split the rubric, or answer in YAML (`cyberdip init` "
            "without -o x.csv or x.xlsx)", code="CD003", exit_code=2)
    return out


def rows_of(rubric: Rubric, c: AnyCriterion, mode: str = "indicators") -> list[Row]:
    """The sheet rows of one criterion (its indicators', or its own)."""
    if c.indicators and mode != "levels":
        return [Row(f"{c.id}{INDICATOR_SEP}{ind.id}", None, c, ind, lv)  # type: ignore[arg-type]
                for lv, ind in c.indicator_list()]
    return [Row(c.id, None, c)]  # type: ignore[arg-type]


def options(rubric: Rubric, c: AnyCriterion) -> list:
    """A choice criterion's answers, lowest first."""
    if isinstance(c, ChoiceCriterion):
        return list(rubric.answer_scales.get(c.answer_scale, []))
    return []


def choices(rubric: Rubric, c: AnyCriterion) -> list[tuple[str, str]]:
    """The numbered list shown under a question: (what to type or reach, what it means)."""
    if isinstance(c, BooleanCriterion):
        return [("yes", f"level {c.boolean.met}: {descriptor(rubric, c, c.boolean.met)}"),
                ("no", f"level {c.boolean.not_met}: "
                       f"{descriptor(rubric, c, c.boolean.not_met)}")]
    if isinstance(c, MetricCriterion):
        # the unit's gloss is said once, in `allowed`, not on every line
        full, name = c.metric.unit, unit_name(c.metric.unit)
        return [(str(lv), _strip_suffix(descriptor(rubric, c, lv), f" {full}", f" {name}"))
                for lv in c.reachable_levels(rubric.levels)]
    if isinstance(c, ChoiceCriterion):
        return [(o.id, o.name + (f": {o.meaning}" if o.meaning else ""))
                for o in options(rubric, c)]
    return [(str(lv), descriptor(rubric, c, lv)) for lv in rubric.levels]


def _unit_parts(unit: str) -> tuple[str, str | None]:
    m = re.fullmatch(r"(.*\S)\s*\(([^()]*)\)", unit.strip())
    return (m.group(1), m.group(2).strip()) if m else (unit, None)


def unit_name(unit: str) -> str:
    """A metric's unit without the gloss it may carry in brackets at its end:
    ``tier`` for ``tier (1 role-modelling, 2 advancing, …)``. The gloss is said once,
    where the answers are explained; a number quoted with its unit takes the name."""
    return _unit_parts(unit)[0]


def unit_explained(unit: str) -> str:
    """The unit with its gloss, as said once: ``tier: 1 role-modelling, 2 advancing, …``."""
    name, gloss = _unit_parts(unit)
    return f"{name}: {gloss}" if gloss else unit


def _strip_suffix(text: str, suffix: str, by: str) -> str:
    return text[:-len(suffix)] + by if suffix != by and text.endswith(suffix) else text


def allowed(rubric: Rubric, c: AnyCriterion, *, compact: bool = False) -> str:
    """What a valid answer looks like, in a few words; ``compact`` (for an error, which
    quotes it beside the answer given) leaves out the gloss of a metric's unit."""
    if isinstance(c, BooleanCriterion):
        return "yes or no"
    if isinstance(c, MetricCriterion):
        m = c.metric
        rng = ""
        if m.min is not None and m.max is not None:
            rng = f" from {_num(m.min)} to {_num(m.max)}"
        elif m.min is not None:
            rng = f", at least {_num(m.min)}"
        elif m.max is not None:
            rng = f", at most {_num(m.max)}"
        unit = unit_name(m.unit) if compact else unit_explained(m.unit)
        return f"a number ({unit}){rng}" + (
            ", or none" if c.reachable_levels(rubric.levels) else "")
    if isinstance(c, ChoiceCriterion):
        return "one of " + ", ".join(o.id for o in options(rubric, c))
    return f"a level from {rubric.lowest} to {rubric.highest}"


def parse_option(rubric: Rubric, c: AnyCriterion, text: str) -> str:
    """A choice answer as typed: its id (``LI``, any case), its name, or the drop-down's
    ``LI – Largely implemented``."""
    t = _clean(text)
    head = re.split(r"\s+[\u2013\u2014:-]\s+", t, maxsplit=1)[0]
    for o in options(rubric, c):
        if t.lower() in (o.id.lower(), o.name.lower()) or head.lower() == o.id.lower():
            return o.id
    raise AnswerError(f"`{quote(t)}` is not an answer here", code="CD317")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


# -- reading what was typed --------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join(str(text).replace("\u00a0", " ").split())


def _shown(text: str) -> str:
    """An answer as a message quotes it: cleaned, and at most a few dozen characters."""
    return quote(_clean(text))


#: What a person types for a metric's lowest case, when there is no number to give
#: (a country "not ranked at all"): the lowest level, stored as ``level:``.
NONE_WORDS = ("none", "not ranked", "not ranked at all")

_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)$", re.IGNORECASE)


def parse_number(text: str, *, decimal_comma: bool = False) -> float:
    """A number as people and spreadsheets write it: ``3``, `` 3.0 ``, ``1,200``, ``45%``,
    ``79th``. With ``decimal_comma`` (a semicolon-separated sheet, written by a European
    Excel) ``12,5`` is 12.5 and ``1.200,5`` is 1200.5."""
    t = _clean(text).replace(" ", "")
    if t.endswith("%"):
        t = t[:-1]
    t = _ORDINAL.sub("", t)
    if decimal_comma and "," in t:
        if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?", t):
            t = t.replace(".", "")
        t = t.replace(",", ".", 1) if t.count(",") == 1 else t
    elif re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", t):
        t = t.replace(",", "")
    try:
        x = float(t)
    except ValueError:
        raise AnswerError(f"`{_shown(text)}` is not a number (write the number alone, "
                          "e.g. 45)", code="CD303") from None
    if not math.isfinite(x):
        raise AnswerError(f"`{_shown(text)}` is not a finite number", code="CD303")
    return x


def strip_level_label(rubric: Rubric, text: str) -> str:
    """``3`` from ``3 – Defined``, as a workbook's drop-down list writes a level; any
    other text unchanged."""
    m = re.fullmatch(r"\s*([+-]?\d+(?:\.0+)?)\s*[\u2013\u2014:-]\s*(.+?)\s*", str(text))
    if m and m.group(2).casefold() in {s.name.casefold() for s in rubric.scale or ()}:
        return m.group(1)
    return str(text)


def thousands_doubt(text: str, *, decimal_comma: bool = False) -> str | None:
    """What ``text`` could also mean, when its separator could be a thousands separator
    read as a decimal one: ``1,200`` in a semicolon-separated sheet is read as 1.2 but
    may be 1200; ``1.200`` in another sheet is read as 1.2 but may be 1200 as a European
    writes it. None when the number can be read only one way."""
    t = _ORDINAL.sub("", _clean(text).replace(" ", "").removesuffix("%"))
    sep = "," if decimal_comma else "."
    if not re.fullmatch(rf"[+-]?\d{{1,3}}{re.escape(sep)}\d{{3}}", t):
        return None
    whole = t.replace(sep, "")
    read = t.replace(",", ".")
    return (f"`{_clean(text)}` is read as {_num(float(read))}, with `{sep}` as the decimal "
            f"separator, as this sheet writes decimals; if it means {_num(float(whole))}, "
            f"write {whole}, without a thousands separator")


def parse_level(rubric: Rubric, text: str, *, what: str = "level",
                decimal_comma: bool = False) -> int:
    """A level on the rubric's scale; ``3.0`` is read as 3, and so is ``3 – Defined``."""
    text = strip_level_label(rubric, text)
    try:
        x = parse_number(text, decimal_comma=decimal_comma)
    except AnswerError:
        raise AnswerError(f"`{_shown(text)}` is not a {what}", code="CD302") from None
    if not x.is_integer():
        raise AnswerError(f"{_shown(text)} is not a whole number; a {what} is one of "
                          f"{rubric.lowest} to {rubric.highest}", code="CD302")
    lv = int(x)
    if lv > rubric.highest:
        raise AnswerError(f"{lv} is above the top level ({rubric.highest})", code="CD302")
    if lv < rubric.lowest:
        raise AnswerError(f"{lv} is below the lowest level ({rubric.lowest})", code="CD302")
    return lv


def parse_met(text: str) -> bool:
    """yes/no, true/false (any case, as Excel writes TRUE), met/not met, 1/0."""
    t = _clean(text).lower()
    if t.endswith(".0") and t[:-2] in ("0", "1"):
        t = t[:-2]
    if t in YES:
        return True
    if t in NO:
        return False
    raise AnswerError(f"`{_shown(text)}` is not yes or no", code="CD304")


def parse_value(c: MetricCriterion, text: str, *, decimal_comma: bool = False
                ) -> float | int:
    """A metric's number, inside its range; whole numbers come back as int."""
    x = parse_number(text, decimal_comma=decimal_comma)
    m = c.metric
    if m.min is not None and x < m.min:
        raise AnswerError(f"{_num(x)} is below the smallest possible value ({_num(m.min)} "
                          f"{unit_name(m.unit)})", code="CD106")
    if m.max is not None and x > m.max:
        raise AnswerError(f"{_num(x)} is above the largest possible value ({_num(m.max)} "
                          f"{unit_name(m.unit)})", code="CD106")
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def parse_value_for(rubric: Rubric, c: AnyCriterion, text: str, *,
                    decimal_comma: bool = False) -> tuple[str, Any]:
    """``(key, value)`` for an answer to ``c``, e.g. ``("met", True)``. A metric answered
    ``none`` (its lowest case, with no number to give) is ``("level", lowest)``."""
    if isinstance(c, BooleanCriterion):
        return "met", parse_met(text)
    if isinstance(c, MetricCriterion):
        if _clean(text).lower() in NONE_WORDS and c.reachable_levels(rubric.levels):
            return "level", rubric.lowest
        return "value", parse_value(c, text, decimal_comma=decimal_comma)
    if isinstance(c, ChoiceCriterion):
        return "answer", parse_option(rubric, c, text)
    return "level", parse_level(rubric, text, decimal_comma=decimal_comma)


def is_na(text: str) -> bool:
    return _clean(text).lower() in NA_WORDS


@dataclass(frozen=True)
class Command:
    name: str  # skip, back, quit or help


@dataclass(frozen=True)
class NotApplicable:
    reason: str | None  # None: still to be asked


@dataclass(frozen=True)
class Value:
    key: str
    value: Any


Parsed = Command | NotApplicable | Value


def parse_answer(rubric: Rubric, c: AnyCriterion, text: str) -> Parsed:
    """What a line typed at the answer prompt means. Raises AnswerError when it fits nothing.

    ``n/a`` may carry its reason on the same line: ``n/a: no mission there``.
    """
    t = _clean(text)
    low = t.lower()
    if low in COMMANDS:
        return Command(low)
    if c.indicators and low in ("i", "indicators"):
        return Command("indicators")
    if low in HELP_WORDS:
        return Command("help")
    m = re.match(r"^(?:n/a|not applicable)(?:\s*[:\-,]\s*|\s+)(.*)$", t, re.IGNORECASE)
    if m or is_na(t):
        reason = m.group(1).strip() if m else ""
        return NotApplicable(reason or None)
    if not t:
        raise AnswerError(f"type an answer ({allowed(rubric, c, compact=True)}), or n/a, "
                          "skip, back, quit, or ? for help")
    try:
        key, value = parse_value_for(rubric, c, t)
    except AnswerError as e:
        # say what fits once: "`3` is not yes or no" needs no "answer with yes or no"
        fits = allowed(rubric, c, compact=True)
        hint = "or type" if fits in e.message else f"answer with {fits}, or"
        raise AnswerError(f"{e.message}; {hint} n/a, skip, back, quit, or ? for help",
                          e.code) from None
    return Value(key, value)


def parse_target(rubric: Rubric, text: str, *, decimal_comma: bool = False) -> int:
    try:
        return parse_level(rubric, text, what="target level", decimal_comma=decimal_comma)
    except AnswerError as e:
        if e.message.endswith("is not a target level"):
            raise AnswerError(f"{e.message}; a target is a level from {rubric.lowest} to "
                              f"{rubric.highest}", e.code) from None
        raise


def split_evidence(cell: str) -> list[str]:
    """Evidence items in one cell or line: separated by new lines or `` | ``."""
    parts = re.split(r"\r\n|\r|\n|\s\|\s", str(cell))
    return [p.strip() for p in parts if p.strip()]


# -- dated evidence in one cell ------------------------------------------------------------
#
# An item of evidence may end with what is known about it, in square brackets, each
# detail `name: value`, separated by `;` (docs/questionnaire.md, "Dated evidence in a
# cell"):  Cabinet decision 12/2023 [date: 2023-05-01; valid until: 2025-12-31]
# The brackets sit inside one item, so they cannot be confused with the `` | `` or the
# line break between items. A trailing `[]` says "no details" and is dropped: it keeps
# a plain text that itself ends in brackets from being read as details.

#: The details' names in a cell, and the keys they stand for in the file.
CELL_KEYS = {"date": "date", "valid until": "valid_until", "sha256": "sha256", "ref": "ref"}
_DETAILS = re.compile(r"^(.*?)\s*\[([^\[\]]*)\]\s*$", re.S)
_DETAIL = re.compile(r"^\s*([A-Za-z0-9_ ]+?)\s*:\s*(.*?)\s*$", re.S)


def _detail_key(name: str) -> str | None:
    return CELL_KEYS.get(" ".join(name.replace("_", " ").lower().split()))


def _details(inner: str) -> list[tuple[str | None, str, str]] | None:
    """``(key, name as written, value)`` per detail; None when the brackets hold no
    details at all (their first part names none), so they are part of the text."""
    parts = [p for p in inner.split(";")]
    first = _DETAIL.match(parts[0])
    if first is None or _detail_key(first.group(1)) is None:
        return None
    out = []
    for p in parts:
        m = _DETAIL.match(p)
        if m is None:
            out.append((None, p.strip(), ""))
        else:
            out.append((_detail_key(m.group(1)), m.group(1), m.group(2)))
    return out


def parse_evidence_item(text: str) -> str | dict[str, Any]:
    """One item as a cell writes it: plain text, or a mapping of its text and details.
    Raises AnswerError (CD710) for a detail that cannot be read."""
    from pydantic import ValidationError

    from cyberdip.model.assessment import EvidenceItem

    m = _DETAILS.match(text)
    if m is None or not m.group(1).strip():
        return text
    body, inner = m.group(1).strip(), m.group(2)
    if not inner.strip():
        return body  # `[]`: no details, the text as written before it
    found = _details(inner)
    if found is None:
        return text
    item: dict[str, Any] = {"text": body}
    for key, name, value in found:
        if key is None:
            raise AnswerError(f"`{quote(name)[:40]}` is not a detail of an item of evidence: "
                              "write `date: YYYY-MM-DD`, `valid until: YYYY-MM-DD`, "
                              "`sha256: ...` or `ref: ...`, separated by `;`", "CD710")
        if key in item:
            raise AnswerError(f"`{name}` is given twice for the evidence "
                              f"`{quote(body)[:40]}`; keep one", "CD710")
        if not value:
            raise AnswerError(f"`{name}:` has no value for the evidence "
                              f"`{quote(body)[:40]}`; give one or leave it out", "CD710")
        item[key] = value
    try:
        checked = EvidenceItem(**item)
    except ValidationError as e:
        reason = e.errors(include_url=False)[0]["msg"].removeprefix("Value error, ")
        reason = re.sub(r" \(evidence-[a-z-]+\)$", "", reason)
        raise AnswerError(f"the evidence `{quote(body)[:40]}`: {reason}", "CD710") from None
    out: dict[str, Any] = {"text": body}
    for key in ("date", "valid_until", "sha256", "ref"):
        if getattr(checked, key) is not None:
            out[key] = getattr(checked, key)
    return out


def parse_evidence(cell: str) -> list[str | dict[str, Any]]:
    """Every item of evidence in a cell or a typed line, plain or with its details.
    Raises AnswerError (CD710) at the first detail that cannot be read."""
    return [parse_evidence_item(p) for p in split_evidence(cell)]


def evidence_cell_item(e: Any) -> str:
    """One item of evidence (text, a mapping from the file, or an ``EvidenceItem``) as
    a cell writes it, read back by ``parse_evidence_item`` to the same item."""
    if hasattr(e, "model_dump"):
        e = e.model_dump(exclude_none=True)
    if not isinstance(e, dict):
        text = str(e)
        m = _DETAILS.match(text)
        if m is not None and m.group(1).strip() and (
                not m.group(2).strip() or _details(m.group(2)) is not None):
            return f"{text} []"  # it ends like details, and is not: say so
        return text
    details = [f"{name}: {e[key]}" for name, key in CELL_KEYS.items()
               if e.get(key) is not None]
    return (f"{e['text']} [{'; '.join(details)}]" if details
            else evidence_cell_item(str(e["text"])))


def evidence_cell(items: list[Any]) -> str:
    """Items of evidence in one cell, one a line."""
    return "\n".join(evidence_cell_item(e) for e in items)


# -- the answers so far ------------------------------------------------------------------


ANSWER_ORDER = ("level", "met", "value", "answer", "indicators", "not_applicable", "evidence",
                "target", "notes",
                "owner", "due", "action", "status")
#: An answer's action plan (docs/cycle.md, Action plan), in the order `assess` asks it.
PLAN_KEYS = ("action", "owner", "due", "status")


def is_answered(answer: Any) -> bool:
    """True when an answer (a mapping from the file) has a value or a reason for N/A."""
    if not isinstance(answer, dict):
        return False
    if any(answer.get(k) is not None for k in ("level", "met", "value", "answer")):
        return True
    inds = answer.get("indicators")
    if isinstance(inds, dict) and any(
            (v.get("met") if isinstance(v, dict) else v) is not None for v in inds.values()):
        return True
    na = answer.get("not_applicable")
    return na not in (None, False, "")


@dataclass
class Draft:
    """An assessment being answered, kept as the plain mapping the file holds.

    Keys this questionnaire does not ask about (notes, owner, assessors ...) are
    kept as they are, so answering or reviewing never drops what someone wrote.
    """

    rubric: Rubric
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def new(cls, rubric: Rubric, rubric_ref: str, *, organisation: str, unit: str | None = None,
            period: str | None = None, profile: str | None = None) -> Draft:
        org: dict[str, Any] = {"name": organisation}
        if unit:
            org["unit"] = unit
        data: dict[str, Any] = {"rubric": rubric_ref, "rubric_version": rubric.version,
                                "organisation": org}
        if period:
            data["period"] = period
        if profile or rubric.profiles:
            data["profile"] = profile or rubric.default_profile()
        data["answers"] = {}
        return cls(rubric, data)

    @property
    def answers(self) -> dict[str, Any]:
        a = self.data.get("answers")
        if not isinstance(a, dict):
            a = {}
            self.data["answers"] = a
        return a

    def get(self, cid: str) -> dict[str, Any]:
        a = self.answers.get(cid)
        return dict(a) if isinstance(a, dict) else {}

    def answered(self, cid: str) -> bool:
        return is_answered(self.answers.get(cid))

    @property
    def profile(self) -> str | None:
        p = self.data.get("profile")
        return p if isinstance(p, str) and p in self.rubric.profile_ids() else (
            self.rubric.default_profile())

    def asked(self) -> list[AnyCriterion]:
        """The criteria asked of this assessment's profile."""
        return [it.criterion for it in items(self.rubric, self.profile)]

    def indicator(self, cid: str, ind: str) -> bool | None:
        v = (self.get(cid).get("indicators") or {}).get(ind)
        v = v.get("met") if isinstance(v, dict) else v
        return v if isinstance(v, bool) else None

    def set_indicator(self, cid: str, ind: str, met: bool | None) -> None:
        """Answer one indicator (None: not answered); a quick level is dropped, since
        the indicators now set the level."""
        ans = self.get(cid)
        for k in ("level", "not_applicable"):
            ans.pop(k, None)
        inds = dict(ans.get("indicators") or {})
        old = inds.get(ind)
        if isinstance(old, dict):
            inds[ind] = {**old, "met": met}
        else:
            inds[ind] = met
        ans["indicators"] = inds
        self._put(cid, ans)

    def indicator_evidence(self, cid: str, ind: str) -> list[Any]:
        v = (self.get(cid).get("indicators") or {}).get(ind)
        ev = v.get("evidence") if isinstance(v, dict) else None
        return [e if isinstance(e, dict) else str(e) for e in ev] if isinstance(ev, list) \
            else []

    def set_indicator_evidence(self, cid: str, ind: str, evidence: list[Any]) -> None:
        """The evidence that one indicator holds: ``{met: ..., evidence: [...]}`` in
        the file, as the workbook and the CSV sheet write an indicator row's evidence."""
        ans = self.get(cid)
        inds = dict(ans.get("indicators") or {})
        old = inds.get(ind)
        met = old.get("met") if isinstance(old, dict) else old
        rest = {k: v for k, v in old.items() if k not in ("met", "evidence")} \
            if isinstance(old, dict) else {}
        inds[ind] = {"met": met, "evidence": list(evidence), **rest} if evidence or rest \
            else met
        ans["indicators"] = inds
        self._put(cid, ans)

    def _put(self, cid: str, ans: dict[str, Any]) -> None:
        known = [k for k in ANSWER_ORDER if k in ans]
        rest = [k for k in ans if k not in ANSWER_ORDER]
        self.answers[cid] = {k: ans[k] for k in known + rest}

    def set_value(self, cid: str, key: str, value: Any) -> None:
        ans = self.get(cid)
        for k in ("level", "met", "value", "answer", "not_applicable"):
            ans.pop(k, None)
        if key == "level":
            ans.pop("indicators", None)  # a quick level replaces the indicator answers
        ans[key] = value
        self._put(cid, ans)

    def set_na(self, cid: str, reason: str) -> None:
        ans = self.get(cid)
        for k in ("level", "met", "value", "answer", "indicators"):
            ans.pop(k, None)
        ans["not_applicable"] = reason
        self._put(cid, ans)

    def evidence(self, cid: str) -> list[Any]:
        """The criterion's evidence: text, or a mapping for a dated item."""
        ev = self.get(cid).get("evidence")
        return [e if isinstance(e, dict) else str(e) for e in ev] if isinstance(ev, list) \
            else []

    def set_evidence(self, cid: str, evidence: list[Any]) -> None:
        ans = self.get(cid)
        if evidence:
            ans["evidence"] = list(evidence)
        else:
            ans.pop("evidence", None)
        self._put(cid, ans)

    def target(self, cid: str) -> int | None:
        t = self.get(cid).get("target")
        return t if isinstance(t, int) and not isinstance(t, bool) else None

    def set_target(self, cid: str, target: int | None) -> None:
        ans = self.get(cid)
        if target is None:
            ans.pop("target", None)
        else:
            ans["target"] = target
        self._put(cid, ans)

    def current_text(self, c: AnyCriterion) -> str | None:
        """The current answer as it would be typed, to offer as the default."""
        ans = self.get(c.id)
        na = ans.get("not_applicable")
        if na not in (None, False, ""):
            return f"n/a: {na}" if isinstance(na, str) else "n/a"
        v = ans.get(c.answer_key)
        if v is None and c.indicators and isinstance(ans.get("indicators"), dict):
            met = sum(1 for i in ans["indicators"].values()
                      if (i.get("met") if isinstance(i, dict) else i) is True)
            return f"indicators ({met} met)" if ans["indicators"] else None
        if v is None and isinstance(c, MetricCriterion) and ans.get("level") is not None:
            return "none"  # the metric's lowest case, answered without a number
        if v is None:
            return None
        if isinstance(v, bool):
            return "yes" if v else "no"
        return _num(v) if isinstance(v, int | float) else str(v)

    def carried(self, cid: str) -> bool:
        """An answer carried forward (``carried:``) and not re-confirmed yet."""
        return self.answered(cid) and isinstance(self.get(cid).get("carried"), dict)

    def carried_from(self, cid: str) -> str:
        m = self.get(cid).get("carried") or {}
        period = m.get("period")
        return f"{period} ({m.get('source')})" if period else str(m.get("source"))

    def confirm(self, cid: str) -> None:
        """The carried answer holds: its marker goes."""
        ans = self.get(cid)
        ans.pop("carried", None)
        self._put(cid, ans)

    def clear(self, cid: str) -> None:
        """The carried answer is cleared: not assessed."""
        self.answers.pop(cid, None)

    def unanswered(self) -> list[str]:
        return [c.id for c in self.asked() if not self.answered(c.id)]

    def plan(self, cid: str) -> dict[str, str]:
        """The criterion's action plan as written (action, owner, due, status), as text."""
        ans = self.get(cid)
        return {k: str(ans[k]) for k in PLAN_KEYS if ans.get(k) is not None}

    def set_plan(self, cid: str, values: dict[str, Any]) -> None:
        """Write the criterion's action plan: a value of None or "" removes that key."""
        ans = self.get(cid)
        for k in PLAN_KEYS:
            if k in values:
                if values[k] in (None, ""):
                    ans.pop(k, None)
                else:
                    ans[k] = values[k]
        self._put(cid, ans)

    def to_data(self) -> dict[str, Any]:
        """The mapping to write: answers in rubric order, then any the rubric lacks."""
        data = dict(self.data)
        answers = self.answers
        order = [cid for cid in self.rubric.criterion_ids() if cid in answers]
        order += [cid for cid in answers if cid not in order]
        data["answers"] = {cid: answers[cid] for cid in order}
        return data

    def to_yaml(self) -> str:
        from cyberdip.formats.comments import comment_lines
        from cyberdip.yamlio import dump

        head = ("\n".join(comment_lines(f"A self-assessment against {self.rubric.title} "
                                    f"({self.rubric.id} {self.rubric.version}).", "")) + "\n"
                "# Written by `cyberdip assess`; run it again to continue, or with --review "
                "to change answers.\n")
        return head + dump(self.to_data())


# -- where to go next --------------------------------------------------------------------


@dataclass
class Walk:
    """The order questions are asked in, and ``back``.

    Normally only unanswered criteria, and answers carried forward and not
    re-confirmed, are asked, in rubric order; with ``review`` every criterion is.
    ``back`` returns to the question asked before (or, at the first question asked, to
    the criterion before it).
    """

    draft: Draft
    review: bool = False
    history: list[int] = field(default_factory=list)
    position: int | None = None

    def __post_init__(self) -> None:
        self.items = items(self.draft.rubric, self.draft.profile)
        self.position = self._next_from(0)

    def _wanted(self, i: int) -> bool:
        cid = self.items[i].criterion.id
        return self.review or not self.draft.answered(cid) or self.draft.carried(cid)

    def _next_from(self, start: int) -> int | None:
        for i in range(start, len(self.items)):
            if self._wanted(i):
                return i
        return None

    @property
    def current(self) -> Item | None:
        return None if self.position is None else self.items[self.position]

    def advance(self) -> Item | None:
        """After an answer or ``skip``: the next question, or None at the end."""
        if self.position is not None:
            self.history.append(self.position)
            self.position = self._next_from(self.position + 1)
        return self.current

    def back(self) -> bool:
        """Go to the previous question; False when there is none."""
        if self.history:
            self.position = self.history.pop()
            return True
        here = len(self.items) if self.position is None else self.position
        if here > 0:
            self.position = here - 1
            return True
        return False


def summary_of(draft: Draft) -> tuple[int, int, int]:
    """(answered, not applicable, left unanswered)."""
    answered = na = 0
    asked = draft.asked()
    for c in asked:
        a = draft.answers.get(c.id)
        if is_answered(a):
            if a.get("not_applicable") not in (None, False, ""):
                na += 1
            else:
                answered += 1
    total = len(asked)
    return answered, na, total - answered - na


__all__ = ["HELP_WORDS", "NO", "YES", "AnswerError", "Command", "Draft", "Item",
           "NotApplicable", "Value", "Walk",
           "allowed", "choices", "is_answered", "items", "parse_answer",
           "parse_level", "parse_met", "parse_number", "parse_target", "parse_value",
           "parse_value_for", "split_evidence", "parse_evidence", "parse_evidence_item",
           "evidence_cell", "evidence_cell_item", "CELL_KEYS", "strip_level_label", "summary_of"]
