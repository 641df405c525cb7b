"""One registry of output formats: every format is a module with `render`, and every
command chooses through it."""

from __future__ import annotations

import importlib

import pytest

from cyberdip.engine.compare import compare
from cyberdip.engine.scoring import score
from cyberdip.formats import documents
from cyberdip.formats.blank import Blank
from cyberdip.report import registry
from tests.conftest import DATA

ANSWERED = DATA / "assessments" / "mini-answered.yaml"


@pytest.fixture(scope="module")
def results():
    checked = documents.load_assessment(str(ANSWERED))
    card = score(checked.rubric, checked.assessment)
    return {"scorecard": card, "comparison": compare(card, card),
            "blank": Blank(checked.rubric, "mini.yaml")}


def test_every_format_is_one_module_with_a_render_function():
    for f in registry.FORMATS.values():
        assert callable(importlib.import_module(f.module).render), f.name
        assert f.extensions and all(e.startswith(".") for e in f.extensions)


def test_every_extension_means_exactly_one_format():
    seen = [e for f in registry.FORMATS.values() for e in f.extensions]
    assert len(seen) == len(set(seen)) == len(registry.EXTENSIONS)


@pytest.mark.parametrize(("fmt", "kind"), [
    ("text", "scorecard"), ("json", "scorecard"), ("md", "scorecard"), ("html", "scorecard"),
    ("text", "comparison"), ("json", "comparison"), ("md", "comparison"),
    ("html", "comparison"), ("csv", "comparison"), ("yaml", "blank"), ("csv", "blank"),
])
def test_each_format_turns_its_results_into_bytes(results, fmt, kind):
    data = registry.render(fmt, results[kind])
    assert isinstance(data, bytes) and data
    data.decode("utf-8-sig")  # always UTF-8 (a CSV sheet for Excel starts with a BOM)


def test_a_result_a_format_cannot_hold_is_a_clear_error(results):
    with pytest.raises(TypeError, match="no YAML form for Scorecard"):
        registry.render("yaml", results["scorecard"])


def test_a_commands_format_choices_come_from_the_registry():
    from cyberdip.cli.portfolio import AggregateFormat
    from cyberdip.cli.report import ReportFormat

    assert [f.value for f in ReportFormat] == registry.formats_for("report")
    assert [f.value for f in AggregateFormat] == registry.formats_for("aggregate")
    assert registry.formats_for("report") == ["html", "md", "pdf", "json", "docx"]
