"""Turning pydantic errors into located, plain-language problems."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from cyberdip import yamlio
from cyberdip.model.fields import did_you_mean, fields_at, pydantic_problems
from cyberdip.model.rubric import Rubric
from tests.conftest import DATA

MINI = (DATA / "rubrics" / "mini.yaml").read_text()


def problems(text: str):
    doc = yamlio.parse(text.encode(), "r.yaml")
    with pytest.raises(ValidationError) as e:
        Rubric.model_validate(doc.data)
    return pydantic_problems(e.value, doc, Rubric)


@pytest.mark.parametrize(("word", "choices", "want"), [
    ("wieght", ["weight", "title"], "did you mean `weight`?"),
    ("titel", ["weight", "title"], "did you mean `title`?"),
    ("colour", ["weight", "title"], ""),
    ("recomendations", ["recommendations", "levels"], "did you mean `recommendations`?"),
])
def test_did_you_mean(word, choices, want):
    assert did_you_mean(word, choices) == want


def test_fields_at_follows_lists_dicts_and_the_kind_union():
    assert "scale" in fields_at(Rubric, ())
    assert set(fields_at(Rubric, ("areas", 0))) == {"id", "title", "description", "weight",
                                                    "context", "criteria", "groups"}
    metric = fields_at(Rubric, ("areas", 0, "criteria", 1, "metric", "metric"))
    assert set(metric) == {"unit", "min", "max", "better", "scoring", "thresholds"}
    assert "boolean" in fields_at(Rubric, ("areas", 0, "criteria", 1, "boolean"))
    assert set(fields_at(Rubric, ("sources", "munir2023"))) >= {"authors", "year", "doi"}
    assert fields_at(Rubric, ("title",)) == []


def test_unknown_key_points_at_the_key_with_a_hint():
    [p] = problems(MINI.replace("    title: Outreach\n", "    titel: Outreach\n"))
    assert (p.line, p.col, p.code) == (51, 5, "CD102")
    assert p.message == "unknown key `titel`: did you mean `title`?"


def test_missing_key_without_a_near_miss_is_reported():
    [p] = problems(MINI.replace("    title: Outreach\n", ""))
    assert (p.line, p.col, p.code) == (50, 5, "CD103")
    assert p.message == "missing key `title` in areas[1]"


@pytest.mark.parametrize(("written", "word"), [("no", "false"), ("off", "false"),
                                               ("NO", "false"), ("yes", "true"), ("On", "true")])
def test_yaml_booleans_get_a_quoting_hint(written, word):
    [p] = problems(MINI.replace("    title: Outreach\n", f"    title: {written}\n"))
    assert (p.line, p.col, p.code) == (51, 12, "CD105")
    assert p.message == (f"areas[1].title: expected text, but YAML reads `{written}` as {word}; "
                         f"put it in quotes ('{written}') if you meant the text")


def test_wrong_type_says_what_was_expected_and_what_was_found():
    [p] = problems(MINI.replace("kind: boolean\n        weight: 1", "kind: boolean\n"
                                "        weight: [1]"))
    assert (p.line, p.code) == (45, "CD104")
    assert p.message == "areas[0].criteria[1].weight: expected a number, got a list"


def test_numeric_strings_are_not_numbers():
    [p] = problems(MINI.replace("kind: boolean\n        weight: 1", "kind: boolean\n"
                                "        weight: '1'"))
    assert p.code == "CD104" and p.message.endswith("expected a number, got '1'")


def test_unknown_kind_and_missing_kind():
    [p] = problems(MINI.replace("        kind: boolean\n", "        kind: yesno\n"))
    assert (p.line, p.code) == (44, "CD106")
    assert "unknown kind `yesno`; use one of level, boolean, metric" in p.message
    [p] = problems(MINI.replace("        kind: boolean\n", ""))
    assert p.code == "CD103" and "missing key `kind`" in p.message


def test_pattern_errors_speak_plainly():
    [p] = problems(MINI.replace("version: 1.0.0", "version: v1"))
    assert p.message == "version: 'v1' is not a semantic version such as 1.0.0 (MAJOR.MINOR.PATCH)"


@pytest.mark.parametrize(("old", "new", "where"), [
    ("kind: boolean\n        weight: 1", "kind: boolean\n        weight: no", (45, 17)),
    ("title: Cybercrime law\n", "title: Cybercrime law\n        colour: x\n", (43, 9)),
    ("kind: metric\n        weight: 1", "kind: metric\n        weight: off", (59, 17)),
])
def test_union_tags_are_not_mistaken_for_keys(old, new, where):
    """`boolean` and `metric` are both the union tag and a key of those criteria."""
    [p] = problems(MINI.replace(old, new))
    assert (p.line, p.col) == where
    assert "boolean" not in p.message.split(":")[0]


def test_strip_tags():
    from cyberdip.model.fields import strip_tags

    assert strip_tags(Rubric, ("areas", 0, "criteria", 1, "boolean", "boolean", "met")) == (
        "areas", 0, "criteria", 1, "boolean", "met")
    assert strip_tags(Rubric, ("areas", 0, "criteria", 1, "level", "weight")) == (
        "areas", 0, "criteria", 1, "weight")
    assert strip_tags(Rubric, ("scale", 2, "level")) == ("scale", 2, "level")


# -- every number finite -------------------------------------------------------------


@pytest.mark.parametrize(("old", "new"), [
    ("    weight: 2\n    criteria:", "    weight: .nan\n    criteria:"),
    ("    weight: 2\n    criteria:", "    weight: .inf\n    criteria:"),
    ("    weight: 2\n    criteria:", "    weight: -.inf\n    criteria:"),
])
def test_a_weight_must_be_a_finite_number(old, new):
    assert old in MINI
    [p] = problems(MINI.replace(old, new, 1))
    assert p.code == "CD106"
    assert p.message.startswith("areas[0].weight: ")
    assert "is not a finite number" in p.message


def test_a_weight_too_large_to_add_up_is_refused():
    # 1e308 is finite, but two of them add up to infinity
    [p] = problems(MINI.replace("    weight: 2\n    criteria:", "    weight: 1.0e+308\n"
                                "    criteria:", 1))
    assert (p.code, p.message) == ("CD106", "areas[0].weight: input should be less than or "
                                            "equal to 1000000")


@pytest.mark.parametrize("key", ["min", "max"])
def test_metric_bounds_must_be_finite(key):
    text = MINI.replace(f"{key}: {0 if key == 'min' else 100},", f"{key}: .nan,", 1)
    assert text != MINI
    found = problems(text)
    assert [p.code for p in found] == ["CD106"]
    assert f".metric.{key}: nan is not a finite number" in found[0].message


def test_1e20_is_text_in_yaml_11_and_the_message_says_so():
    [p] = problems(MINI.replace("    weight: 2\n    criteria:", "    weight: 1e20\n"
                                "    criteria:", 1))
    assert p.code == "CD104"
    assert p.message == ("areas[0].weight: YAML 1.1 reads `1e20` as text, not a number; "
                         "write it with a dot and a signed exponent (such as 1.0e+20) or in "
                         "full digits")
