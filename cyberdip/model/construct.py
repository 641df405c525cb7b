"""Models rebuilt from data that passed validation before, without validating it again.

The checked copy of a built-in rubric (``formats/checked_rubrics.py``) is a rubric that
went through the full load and every check, dumped as JSON. Validating it again would
make pydantic build the schema of every rubric model first (about 15 ms of a command's
start), to learn nothing new. :func:`rebuild` turns such JSON back into the same models
with ``model_construct``, following the fields' types: nested models, lists, dicts (with
their keys' types), unions of models told apart by their discriminator, dates.

It reads only what the rubric models use. Anything else raises :class:`Unsupported`,
and the caller validates the data in full instead; a test holds the rebuilt rubric
equal, value for value and type for type, to the one a full load gives.
"""

from __future__ import annotations

import copy
import datetime as dt
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel


class Unsupported(Exception):
    """A type or a value this module does not rebuild: validate the data instead."""


def rebuild(cls: type[BaseModel], data: Any) -> Any:
    """``cls`` from ``data``: the JSON of ``model_dump(by_alias=True,
    exclude_unset=True)`` of a validated model. The fields the data holds are the
    fields set, as validation would have them; the others take their defaults."""
    return _converter(cls)(data)


Convert = Callable[[Any], Any]
_MODELS: dict[type, Convert] = {}
_NONE = type(None)
_PLAIN = (str, int, bool, float)


def _converter(tp: Any) -> Convert:
    """The function that turns JSON data into a value of type ``tp``."""
    discriminator = None
    while typing.get_origin(tp) is Annotated:
        for meta in tp.__metadata__:
            discriminator = getattr(meta, "discriminator", None) or discriminator
        tp = typing.get_args(tp)[0]
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return _model(tp)
    if origin in (Union, types.UnionType):
        return _union(typing.get_args(tp), discriminator)
    if origin is list:
        (item_type,) = typing.get_args(tp)
        return _list(item_type)
    if origin is dict:
        key_type, item_type = typing.get_args(tp)
        return _dict(_bare(key_type), item_type)
    if origin is Literal:
        return _literal(typing.get_args(tp))
    if tp is dt.date:
        return _date
    if tp in _PLAIN:
        return _plain(tp)
    raise Unsupported(f"the type {tp!r}")


def _model(cls: type[BaseModel]) -> Convert:
    if cls in _MODELS:
        return _MODELS[cls]
    fields: dict[str, tuple[str, Convert]] = {}
    defaults: list[tuple[str, Any]] = []

    def convert(data: Any) -> Any:
        if not isinstance(data, dict):
            raise Unsupported(f"{cls.__name__} from {type(data).__name__}")
        values: dict[str, Any] = {}
        for key, raw in data.items():
            found = fields.get(key)
            if found is None:
                raise Unsupported(f"{cls.__name__} has no field {key!r}")
            values[found[0]] = found[1](raw)
        fields_set = set(values)
        # every default given here: pydantic's own filling in inspects each default
        # factory's signature, which costs more than the rest of the rebuild
        for name, make in defaults:
            if name not in fields_set:
                values[name] = make()
        made = cls.model_construct(_fields_set=fields_set, **values)
        for check in after:  # what they set, validation would have set
            made = check(made)
        return made

    # A model validator that runs after the fields are validated may set fields (a
    # rubric's `unanswered` default), so it runs here too; one that runs before or
    # around them reads the raw input, which a dump no longer is.
    after: list[Callable[[Any], Any]] = []
    for decorator in cls.__pydantic_decorators__.model_validators.values():
        if decorator.info.mode != "after":
            raise Unsupported(f"{cls.__name__} has a {decorator.info.mode} model validator")
        after.append(decorator.func)
    _MODELS[cls] = convert  # first: a model can hold itself (a group's groups)
    for name, info in cls.model_fields.items():
        tp = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        fields[info.alias or name] = (name, _converter(tp))
        defaults.append((name, _default(cls, name, info)))
    return convert


def _default(cls: type, name: str, info: Any) -> Callable[[], Any]:
    if info.default_factory is not None:
        return info.default_factory
    if info.is_required():
        def missing() -> Any:
            raise Unsupported(f"{cls.__name__}.{name} is required and missing")
        return missing
    value = info.default
    if isinstance(value, list | dict | set):
        return lambda: copy.deepcopy(value)
    return lambda: value


def _list(item_type: Any) -> Convert:
    item = _converter(item_type)

    def convert(raw: Any) -> list:
        if not isinstance(raw, list):
            raise Unsupported(f"a list from {type(raw).__name__}")
        return [item(x) for x in raw]
    return convert


def _dict(key_type: Any, item_type: Any) -> Convert:
    item = _converter(item_type)
    if key_type is str:
        def key(k: str) -> Any:
            return k
    elif key_type is int:
        def key(k: str) -> Any:
            if not (k.isascii() and k.isdigit()):
                raise Unsupported(f"the key {k!r} is not a whole number")
            return int(k)
    else:
        raise Unsupported(f"a key of type {key_type!r}")

    def convert(raw: Any) -> dict:
        if not isinstance(raw, dict):
            raise Unsupported(f"a dict from {type(raw).__name__}")
        return {key(k): item(v) for k, v in raw.items()}
    return convert


def _literal(allowed: tuple[Any, ...]) -> Convert:
    def convert(raw: Any) -> Any:
        if not any(type(a) is type(raw) and a == raw for a in allowed):
            raise Unsupported(f"{raw!r} is not one of {allowed}")
        return raw
    return convert


def _date(raw: Any) -> dt.date:
    if not isinstance(raw, str):
        raise Unsupported(f"a date from {type(raw).__name__}")
    return dt.date.fromisoformat(raw)


def _plain(tp: type) -> Convert:
    def convert(raw: Any) -> Any:
        if type(raw) is not tp:  # an int is not a float, nor a bool an int
            raise Unsupported(f"{tp.__name__} from {type(raw).__name__}")
        return raw
    return convert


def _union(members: tuple[Any, ...], discriminator: str | None) -> Convert:
    optional = _NONE in members
    members = tuple(m for m in members if m is not _NONE)
    if len(members) == 1:
        inner = _converter(members[0])
    elif discriminator is not None:
        tagged: dict[Any, Convert] = {}
        for m in members:
            model = _bare(m)
            field = model.model_fields.get(discriminator) if isinstance(model, type) else None
            if field is None:
                raise Unsupported(f"{model!r} has no {discriminator}")
            for tag in typing.get_args(field.annotation):
                tagged[tag] = _model(model)

        def inner(raw: Any) -> Any:
            tag = raw.get(discriminator) if isinstance(raw, dict) else None
            if tag not in tagged:
                raise Unsupported(f"no member of the union has {discriminator} {tag!r}")
            return tagged[tag](raw)
    elif all(m in _PLAIN for m in members):
        def inner(raw: Any) -> Any:  # such as `str | int`: the JSON value's type decides
            if type(raw) not in members:
                raise Unsupported(f"{type(raw).__name__} in the union {members!r}")
            return raw
    else:
        raise Unsupported(f"the union {members!r}")

    def convert(raw: Any) -> Any:
        if raw is None:
            if optional:
                return None
            raise Unsupported("None where the union does not allow it")
        return inner(raw)
    return convert


def _bare(tp: Any) -> Any:
    while typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    return tp
