"""Shared pydantic building blocks, and turning pydantic errors into located problems."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Sequence
from typing import Annotated, Any, Union

from annotated_types import Le, MinLen
from pydantic import BaseModel, ConfigDict, Tag, ValidationError
from pydantic.types import AllowInfNan
from pydantic.types import Strict as StrictType

from cyberdip.errors import Problem
from cyberdip.textsafe import quote
from cyberdip.yamlio import Document

#: A number written as a number: no YAML booleans, no numeric strings, and finite:
#: `.nan` and `.inf` would make every sum, gate and JSON output that uses them wrong.
#: (These shared types hold constraints, never a ``Field``: pydantic before 2.7 let a
#: field that adds its own ``Field(...)`` to a shared one write into it, so a default of
#: one field, such as ``language: Text = "en"``, became every other Text field's.)
Num = Annotated[float, StrictType(), AllowInfNan(False)]
#: Weights are relative importances. The cap keeps a sum of thousands of them finite
#: (``1e308`` passes as a number, but two of them add up to infinity).
MAX_WEIGHT = 1_000_000
Weight = Annotated[float, StrictType(), AllowInfNan(False), Le(MAX_WEIGHT)]
#: A whole number written as one.
Int = Annotated[int, StrictType()]
#: Text that is not empty.
Text = Annotated[str, MinLen(1)]


class Strict(BaseModel):
    """Base for every file model: unknown keys are errors, never ignored."""

    # Each model is built when first used, not when imported: a built-in rubric is
    # rebuilt from its checked copy without validation (``model/construct.py``).
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    if len(word) > 200:  # no id is that long, and comparing costs its length squared
        return ""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else ""


def _unwrap(t: Any) -> Any:
    while True:
        origin = typing.get_origin(t)
        if origin is Annotated:
            t = typing.get_args(t)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(t) if a is not type(None)]
            if len(args) == 1:
                t = args[0]
            else:
                return t
        else:
            return t


def _union_member(t: Any, tag: str) -> Any | None:
    for member in typing.get_args(t):
        # a member named by a callable discriminator's Tag (an evidence item: text or
        # a mapping): the tag is pydantic's, not a key in the file
        if typing.get_origin(member) is Annotated and any(
                isinstance(m, Tag) and m.tag == tag for m in typing.get_args(member)[1:]):
            return typing.get_args(member)[0]
        member = _unwrap(member)
        if isinstance(member, type) and issubclass(member, BaseModel):
            kind = member.model_fields.get("kind")
            if kind is not None and tag in typing.get_args(kind.annotation):
                return member
    return None


def walk_types(model: type[BaseModel], loc: Sequence[Any]):
    """Follow a pydantic error ``loc`` through ``model``'s types, one segment at a time.

    Yields ``(seg, tag, info, t)``: ``tag`` is True when the segment is a tagged
    union's discriminator (pydantic inserts it; it is not a key in the file),
    ``info`` is the FieldInfo when the segment names a model field, and ``t`` is the
    type reached, or None once the path leaves the model.
    """
    t: Any = model
    for seg in loc:
        t = _unwrap(t)
        origin = typing.get_origin(t)
        info, tag = None, False
        if isinstance(t, type) and issubclass(t, BaseModel):
            info = t.model_fields.get(seg) if isinstance(seg, str) else None
            t = info.annotation if info is not None else None
        elif origin is list:
            t = typing.get_args(t)[0]
        elif origin is dict:
            t = typing.get_args(t)[1]
        elif origin in (Union, types.UnionType) and isinstance(seg, str):
            t = _union_member(t, seg)
            tag = t is not None
        else:
            t = None
        yield seg, tag, info, t


def fields_at(model: type[BaseModel], loc: Sequence[Any]) -> list[str]:
    """The keys allowed in the mapping at data path ``loc`` under ``model``."""
    steps = list(walk_types(model, loc))
    t = _unwrap(steps[-1][3] if steps else model)
    if isinstance(t, type) and issubclass(t, BaseModel):
        return [f.alias or name for name, f in t.model_fields.items()]
    return []


#: Plain words for the regular expressions our models use, so a user reads "a
#: version number like 1.0.0" instead of the expression. Model modules add theirs.
PATTERN_WORDS: dict[str, str] = {}

def strip_tags(model: type[BaseModel], loc: Sequence[Any]) -> tuple[Any, ...]:
    """``loc`` without the discriminator tags pydantic inserts for a tagged union.

    Pydantic reports ``areas.0.criteria.1.boolean.weight`` for the weight of a
    ``kind: boolean`` criterion; the ``boolean`` there is the union tag, not the
    criterion's ``boolean:`` key, and following it would point at the wrong line.
    """
    return tuple(seg for seg, tag, _, _ in walk_types(model, loc) if not tag)


#: What YAML 1.1 reads as a number (PyYAML's float rule): a dot is required, and an
#: exponent needs a sign, so `1e20` and `1.5e3` are text there.
_EXPONENT_WITHOUT_DOT_OR_SIGN = re.compile(
    r"^[-+]?(\d[\d_]*)?(\.\d*)?[eE]\d+$|^[-+]?\d[\d_]*[eE][-+]?\d+$")


def _yaml11_text_number(value: Any) -> bool:
    return isinstance(value, str) and bool(_EXPONENT_WITHOUT_DOT_OR_SIGN.match(value.strip()))


_TYPE_WORDS = {
    "string_type": "text",
    "float_type": "a number",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "date_type": "a date (YYYY-MM-DD)",
}


def _written(doc: Document, loc: Sequence[Any]) -> str | None:
    node = doc.node_at(loc)
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return node.value
    return None


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value) if isinstance(value, str) else str(value)
    return quote(text)


def pydantic_problems(
    exc: ValidationError, doc: Document, model: type[BaseModel], *, prefix: Sequence[Any] = ()
) -> list[Problem]:
    """Turn a ValidationError into located, plain-language problems."""
    errors = exc.errors(include_url=False)
    extras: dict[tuple, list[str]] = {}
    for e in errors:
        if e["type"] == "extra_forbidden":
            parent = tuple(prefix) + strip_tags(model, e["loc"][:-1])
            extras.setdefault(parent, []).append(str(e["loc"][-1]))

    problems: list[Problem] = []
    for e in errors:
        loc = tuple(prefix) + strip_tags(model, e["loc"])
        kind = e["type"]
        value = e.get("input")
        field = str(loc[-1]) if loc else ""
        where = _path_text(doc.data_path(loc)) if kind != "extra_forbidden" else ""
        line, col = doc.locate(loc)
        code = "CD106"
        if kind == "extra_forbidden":
            allowed = fields_at(model, tuple(prefix) + tuple(e["loc"][:-1]))
            hint = did_you_mean(field, allowed)
            line, col = doc.locate(loc, key=True)
            code = "CD102"
            msg = f"unknown key `{quote(field)}`" + (f": {hint}" if hint else "")
            if not hint and allowed:
                msg += f" (allowed here: {', '.join(sorted(allowed))})"
        elif kind == "missing":
            parent = loc[:-1]
            unknown = extras.get(parent, [])
            if any(did_you_mean(u, [field]) for u in unknown):
                continue  # the unknown-key message already names this key
            line, col = doc.locate(parent)
            code = "CD103"
            msg = f"missing key `{quote(field)}`" + (
                f" in {_path_text(doc.data_path(parent))}" if parent else "")
        elif kind == "union_tag_not_found":
            code = "CD103"
            msg = f"{where}: missing key `kind` (one of level, boolean, metric)"
        elif kind == "union_tag_invalid":
            line, col = doc.locate(loc + ("kind",))
            code = "CD106"
            tag = value.get("kind") if isinstance(value, dict) else value
            msg = f"{where}: unknown kind `{quote(tag)}`; use one of level, boolean, metric"
        elif isinstance(value, bool) and kind in _TYPE_WORDS:
            written = quote(_written(doc, loc) or str(value).lower())
            code = "CD105"
            msg = (
                f"{where}: expected {_TYPE_WORDS[kind]}, but YAML reads `{written}` as "
                f"{str(value).lower()}; put it in quotes ('{written}') if you meant the text"
            )
        elif kind == "float_type" and _yaml11_text_number(value):
            code = "CD104"
            msg = (f"{where}: YAML 1.1 reads `{quote(value)}` as text, not a number; write it "
                   "with a dot and a signed exponent (such as 1.0e+20) or in full digits")
        elif kind == "finite_number":
            code = "CD106"
            msg = (f"{where}: {_describe(value)} is not a finite number; give an ordinary "
                   "number (.nan and .inf are not allowed)")
        elif kind in _TYPE_WORDS:
            code = "CD104"
            msg = f"{where}: expected {_TYPE_WORDS[kind]}, got {_describe(value)}"
        elif kind == "string_pattern_mismatch" and (e.get("ctx") or {}).get(
                "pattern") in PATTERN_WORDS:
            msg = (f"{where}: {_describe(value)} is not {PATTERN_WORDS[e['ctx']['pattern']]}")
        else:
            reason = e["msg"]
            if reason.startswith("Value error, "):
                reason = reason[len("Value error, "):]
            msg = f"{where}: {reason[:1].lower() + reason[1:]}"
        problems.append(Problem(doc.path, line, col, "error", code, msg))
    return problems


def _path_text(loc: Sequence[Any]) -> str:
    out = ""
    for seg in loc:
        seg = seg if isinstance(seg, int) else quote(seg)
        out += f"[{seg}]" if isinstance(seg, int) else (f".{seg}" if out else str(seg))
    return out or "the document"
