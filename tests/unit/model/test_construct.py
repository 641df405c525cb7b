"""Rebuilding a validated model from its JSON without validating it again
(``model.construct.rebuild``): the very objects validation gives, value for value, type
for type and field set for field set, or a refusal (``Unsupported``) that sends the
caller back to validation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from pydantic import BaseModel

from cyberdip.formats import checked_rubrics, documents
from cyberdip.model.construct import Unsupported, rebuild
from cyberdip.model.rubric import Rubric
from tests.unit.engine.test_scoring_doc import rubrics, rubrics2, sized


def differences(got: Any, want: Any, path: str = "$") -> list[str]:
    """Where two values differ: type, fields set, extras or value, down every level."""
    if type(got) is not type(want):
        return [f"{path}: {type(got).__name__} against {type(want).__name__}"]
    if isinstance(want, BaseModel):
        out = [] if got.model_fields_set == want.model_fields_set else [
            f"{path}: fields set {sorted(got.model_fields_set ^ want.model_fields_set)}"]
        if (got.__pydantic_extra__, got.__pydantic_private__) != (
                want.__pydantic_extra__, want.__pydantic_private__):
            out.append(f"{path}: extra or private attributes")
        for name in type(want).model_fields:
            out += differences(getattr(got, name), getattr(want, name), f"{path}.{name}")
        return out
    if isinstance(want, list | tuple):
        if len(got) != len(want):
            return [f"{path}: {len(got)} items against {len(want)}"]
        return [d for i, (g, w) in enumerate(zip(got, want, strict=True))
                for d in differences(g, w, f"{path}[{i}]")]
    if isinstance(want, dict):
        if list(got) != list(want):
            return [f"{path}: keys {list(got)[:5]} against {list(want)[:5]}"]
        return [d for k in want for d in differences(got[k], want[k], f"{path}[{k!r}]")]
    return [] if got == want else [f"{path}: {got!r:.60} against {want!r:.60}"]


def copy_of(rubric: Rubric) -> bytes:
    return checked_rubrics.render(rubric)


@pytest.mark.parametrize(("rubric_id", "path"), sorted(documents.builtin_paths().items()))
def test_a_built_in_rubric_rebuilds_as_validation_gives_it(rubric_id, path):
    text = copy_of(documents.load_rubric_file(path))
    assert differences(rebuild(Rubric, json.loads(text)),
                       Rubric.model_validate_json(text)) == []


@sized(150, long=2_000)
@given(data=rubrics() | rubrics2())
def test_random_rubrics_rebuild_as_validation_gives_them(data):
    text = copy_of(Rubric.model_validate(data))
    assert differences(rebuild(Rubric, json.loads(text)),
                       Rubric.model_validate_json(text)) == []


def test_a_field_it_does_not_know_is_refused_not_dropped():
    with pytest.raises(Unsupported, match="no field 'colour'"):
        rebuild(Rubric, {"colour": "red"})


@pytest.mark.parametrize(("field", "value", "why"), [
    ("format", 3, "not one of"),        # a Literal
    ("format", True, "not one of"),     # True == 1, but not the format 1
    ("title", 7, "str from int"),
    ("released", 20250101, "a date from int"),
    ("areas", {"a": 1}, "a list from dict"),
    ("scale", [{"level": 1.0, "name": "n", "meaning": "m"}], "int from float"),
])
def test_a_value_of_another_type_is_refused(field, value, why):
    with pytest.raises(Unsupported, match=why):
        rebuild(Rubric, {field: value})


def test_a_required_field_that_is_missing_is_refused():
    with pytest.raises(Unsupported, match="Rubric.id is required"):
        rebuild(Rubric, {"title": "t"})


def test_a_copy_it_cannot_rebuild_is_validated_instead(monkeypatch):
    path = sorted(documents.builtin_paths().values())[0]
    data = path.read_bytes()

    def refuse(cls, raw):
        raise Unsupported("not this time")

    monkeypatch.setattr("cyberdip.model.construct.rebuild", refuse)
    assert differences(checked_rubrics.lookup(data), documents.load_rubric_file(path)) == []


def test_a_model_whose_validator_reads_the_raw_input_is_refused():
    from pydantic import model_validator

    class Tidied(BaseModel):
        name: str

        @model_validator(mode="before")
        @classmethod
        def _tidy(cls, data: Any) -> Any:
            return {"name": data["name"].strip()} if isinstance(data, dict) else data

    with pytest.raises(Unsupported, match="before model validator"):
        rebuild(Tidied, {"name": "x"})
