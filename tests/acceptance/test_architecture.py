"""The layers of docs/architecture.md hold: data flows one way, with no import circle.

`lint-imports` (CI) checks the layers contract in pyproject.toml; these tests check
what it does not: no two modules import each other, even lazily inside a function,
and each folder says what lives there and what it may import.
"""

from __future__ import annotations

import importlib

import grimp
import pytest

PACKAGES = ["cyberdip.cli", "cyberdip.report", "cyberdip.engine", "cyberdip.formats",
            "cyberdip.model"]


def _cycles(graph) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.find_modules_directly_imported_by(m)):
            if state.get(n) == 1:
                found.append(stack[stack.index(n):] + [n])
            elif n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(graph.modules):
        if m not in state:
            visit(m)
    return found


def test_no_module_imports_one_that_imports_it_back():
    graph = grimp.build_graph("cyberdip")
    # a package's __init__ registering its modules is not a circle of behaviour
    cycles = [c for c in _cycles(graph)
              if not any(a + "." in b or b + "." in a for a, b in zip(c, c[1:], strict=False))]
    assert cycles == []


def test_the_rubric_models_and_the_salvage_checks_do_not_import_each_other():
    graph = grimp.build_graph("cyberdip")
    assert not graph.direct_import_exists(importer="cyberdip.model.rubric",
                                          imported="cyberdip.model.salvage")


@pytest.mark.parametrize("package", PACKAGES)
def test_every_folder_says_what_lives_there_and_what_it_may_import(package):
    doc = importlib.import_module(package).__doc__ or ""
    assert len(doc.strip().splitlines()) >= 2, package
    assert "import" in doc, package
