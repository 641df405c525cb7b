"""The layers of docs/architecture.md hold: data flows one way, with no import circle.

`lint-imports` (CI) checks the layers contract in pyproject.toml; these tests check
what it does not: no two modules import each other, even lazily inside a function or
through a package's ``__init__``; inside ``cli/``, no command module imports another
command module or the app; and each folder says what lives there and what it may import.
"""

from __future__ import annotations

import importlib

import grimp
import pytest

PACKAGES = ["cyberdip.cli", "cyberdip.cli.asker", "cyberdip.report", "cyberdip.engine",
            "cyberdip.formats", "cyberdip.model"]


def _cycles(graph) -> list[list[str]]:
    """Every import circle in ``graph``, each as the modules along it (first == last).

    grimp's graph holds every import a module makes, at module level or inside a
    function, and an import of a package's ``__init__`` (``from cyberdip.cli import x``
    for a name ``x`` defined there) as an import of the package's module like any other:
    none is left out here.
    """
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


def _package(tmp_path, monkeypatch, name: str, files: dict[str, str]):
    """The import graph of a small package written to ``tmp_path``."""
    for rel, text in files.items():
        path = tmp_path / name / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return grimp.build_graph(name, cache_dir=None)


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("cyberdip")


def test_no_module_imports_one_that_imports_it_back(graph):
    assert _cycles(graph) == []


def test_a_circle_through_a_package_face_is_found(tmp_path, monkeypatch):
    # the cli's old shape: the package's __init__ registered each command module, and
    # each command module imported the app and the helpers back from the __init__
    found = _cycles(_package(tmp_path, monkeypatch, "face_circle", {
        "__init__.py": "app = []\nfrom face_circle import cmd\n",
        "cmd.py": "from face_circle import app\n",
    }))
    assert found == [["face_circle", "face_circle.cmd", "face_circle"]]


def test_a_circle_made_lazily_inside_a_function_is_found(tmp_path, monkeypatch):
    found = _cycles(_package(tmp_path, monkeypatch, "lazy_circle", {
        "__init__.py": "",
        "a.py": "from lazy_circle.b import y\nx = 1\n",
        "b.py": "y = 2\n\n\ndef later():\n    from lazy_circle.a import x\n\n    return x\n",
    }))
    assert found == [["lazy_circle.a", "lazy_circle.b", "lazy_circle.a"]]


def test_the_imports_of_cyberdip_inside_functions_are_in_the_graph(graph):
    # cli/assess.py imports the questionnaire session only when a session starts
    assert graph.direct_import_exists(importer="cyberdip.cli.assess",
                                      imported="cyberdip.cli.asker.session")


def _command_modules() -> set[str]:
    """The modules that define the commands the app registers: derived, never listed."""
    from cyberdip.cli.app import app

    return {c.callback.__module__ for c in app.registered_commands}


def test_the_command_modules_are_found():
    modules = _command_modules()
    assert {"cyberdip.cli.scorecmd", "cyberdip.cli.report", "cyberdip.cli.assess"} <= modules
    assert "cyberdip.cli.app" not in modules and "cyberdip.cli.common" not in modules


def test_the_app_s_table_names_the_module_of_every_command():
    """The app imports a command's module only when the command runs, by its table
    ``COMMANDS``: every command a module lists is there, under that module, and the
    whole app has them all, in the table's order."""
    import importlib
    import pkgutil

    import cyberdip.cli
    from cyberdip.cli import app as app_module

    defined = {}
    for info in pkgutil.iter_modules(cyberdip.cli.__path__):
        if info.name == "app":
            continue
        module = importlib.import_module(f"cyberdip.cli.{info.name}")
        for func in getattr(module, "COMMANDS", ()):
            defined[app_module.command_name(func)] = info.name
    assert defined == app_module.COMMANDS
    assert [c.name or c.callback.__name__.replace("_", "-")
            for c in app_module.app.registered_commands] == list(app_module.COMMANDS)


def test_no_command_module_imports_another_or_the_app(graph):
    commands = _command_modules()
    found = [(m, other) for m in sorted(commands)
             for other in sorted(commands - {m} | {"cyberdip.cli.app"})
             if graph.chain_exists(importer=m, imported=other)]
    assert found == []


def test_only_the_app_imports_a_command_module(graph):
    # the support modules (common, helpfmt, pool, asker) sit below every command, and
    # the package's __init__ reaches the app only inside its console-script shim
    commands = _command_modules()
    cli = {m for m in graph.modules if m.startswith("cyberdip.cli.")} - {"cyberdip.cli.app"}
    found = [(m, c) for m in sorted(cli - commands) for c in sorted(commands)
             if graph.direct_import_exists(importer=m, imported=c)]
    assert found == []
    assert not any(graph.chain_exists(importer=m, imported="cyberdip.cli.app")
                   for m in cli)


def test_the_rubric_models_and_the_salvage_checks_do_not_import_each_other(graph):
    assert not graph.direct_import_exists(importer="cyberdip.model.rubric",
                                          imported="cyberdip.model.salvage")


@pytest.mark.parametrize("package", PACKAGES)
def test_every_folder_says_what_lives_there_and_what_it_may_import(package):
    doc = importlib.import_module(package).__doc__ or ""
    assert len(doc.strip().splitlines()) >= 2, package
    assert "import" in doc, package
