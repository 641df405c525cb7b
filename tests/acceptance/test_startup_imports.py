"""Heavy modules stay off the start-up path (checked with ``python -X importtime``).

Every command module in cyberdip/cli imports only typer and the standard library at
import time, so ``cyberdip --version`` and ``--help`` never pay for pydantic, jinja2,
PyYAML or rich; ``validate`` needs PyYAML and pydantic but never the report stack.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pydantic", "jinja2", "yaml", "rich", "docx", "lxml", "typst")


def imported(*args: str, code: int = 0, modules: bool = False,
             env: dict[str, str | None] | None = None) -> set[str]:
    """Top-level packages ``python -X importtime -m cyberdip ARGS`` imported (with
    ``modules``, every module by its full name); ``env`` adds to the environment, and
    takes out what it sets to None."""
    env = {k: v for k, v in {**os.environ, "NO_COLOR": "1", **(env or {})}.items()
           if v is not None}
    p = subprocess.run([sys.executable, "-X", "importtime", "-m", "cyberdip", *args],
                       capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert p.returncode == code, p.stderr[-2000:]
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", p.stderr, re.M)
    assert "cyberdip.cli" in names  # the format did not change under us
    return set(names) if modules else {n.split(".")[0] for n in names}


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["score", "--help"],
                                  ["aggregate", "--help"], ["report", "-h"]])
def test_start_up_imports_nothing_heavy(args: list[str]) -> None:
    assert imported(*args).isdisjoint(HEAVY)


@pytest.mark.parametrize("args", [["score", "--no-such-option"], ["report", "--nope"],
                                  ["no-such-command"]])
def test_a_usage_error_imports_nothing_heavy(args: list[str]) -> None:
    # typer coerces an absent flag (None) through a pydantic adapter; the help and
    # completion flags are passed on as False instead (cyberdip/cli/helpfmt.py)
    assert imported(*args, code=2).isdisjoint(HEAVY)


def test_validate_does_not_import_the_report_stack() -> None:
    mods = imported("validate", "rubrics/")
    assert {"yaml", "pydantic"} <= mods  # it does parse and check
    assert mods.isdisjoint({"jinja2", "rich"})


def test_only_a_word_report_imports_python_docx(tmp_path) -> None:
    example = "tests/data/assessments/mini-answered.yaml"
    html = imported("report", example, "-o", str(tmp_path / "r.html"))
    assert html.isdisjoint({"docx", "lxml", "typst"})
    pytest.importorskip("docx")
    assert "docx" in imported("report", example, "-o", str(tmp_path / "r.docx"))


def test_score_piped_does_not_import_rich() -> None:
    # Not a terminal, so no colour: the text scorecard is laid out without rich
    # (report/as_text.py), which it would otherwise import for a tenth of its time.
    mods = imported("score", "examples/pakistan-mofa-2023.yaml")
    assert {"yaml", "pydantic"} <= mods  # it does load and score
    assert "rich" not in mods


def test_pydantic_s_plugin_scan_is_skipped_only_while_every_plugin_is_disabled() -> None:
    # cyberdip disables pydantic's plugins (it uses none); the loader pydantic would
    # import to find none imports importlib.metadata, which costs a twentieth of `score`
    # (cli/app.py, _NoPlugins)
    example = "examples/pakistan-mofa-2023.yaml"
    assert "importlib.metadata" not in imported(
        "score", example, modules=True, env={"PYDANTIC_DISABLE_PLUGINS": None})
    # a user who names the plugins to disable gets pydantic's own loader, which reads them
    named = imported("score", example, modules=True,
                     env={"PYDANTIC_DISABLE_PLUGINS": "some-plugin"})
    assert "importlib.metadata" in named


def test_the_stand_in_loader_finds_no_plugins_and_lends_the_rest_from_the_real_one():
    from cyberdip.cli.app import PLUGIN_LOADER, _NoPlugins

    stand_in = _NoPlugins(PLUGIN_LOADER)
    assert stand_in.get_plugins() == ()
    assert stand_in.PYDANTIC_ENTRY_POINT_GROUP == "pydantic"  # the real module's
    with pytest.raises(AttributeError):
        stand_in.__path__  # noqa: B018  (the import system's question: not a package)


def test_a_command_imports_its_own_command_module_and_no_other() -> None:
    # (the app imports it with importlib, which `-X importtime` does not show)
    from cyberdip.cli.app import COMMANDS

    code = ("import sys\n"
            "sys.argv = ['cyberdip', 'score', 'examples/pakistan-mofa-2023.yaml']\n"
            "from cyberdip.cli.app import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0\n"
            "print(' '.join(m for m in sys.modules if m.startswith('cyberdip.cli.')),"
            " file=sys.stderr)\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=ROOT, timeout=60, env={**os.environ, "NO_COLOR": "1"})
    assert p.returncode == 0, p.stderr[-2000:]
    mods = set(p.stderr.split())
    others = {f"cyberdip.cli.{m}" for m in COMMANDS.values()} - {"cyberdip.cli.scorecmd"}
    assert "cyberdip.cli.scorecmd" in mods and mods.isdisjoint(others)


@pytest.mark.parametrize("module", ["cyberdip.model.rubric", "cyberdip.model.assessment",
                                    "cyberdip.model.scorecard"])
def test_the_model_classes_are_written_with_evaluated_annotations(module: str) -> None:
    # pydantic compiles and evaluates a string annotation (`from __future__ import
    # annotations`) as each model class is made: about 400 of them, a twentieth of
    # `score`'s start-up. The model modules write annotations as expressions; a class
    # not yet defined is named in quotes inside one (list["PlanItem"]).
    import __future__

    import importlib
    import inspect

    from pydantic import BaseModel

    mod = importlib.import_module(module)
    assert getattr(mod, "annotations", None) is not __future__.annotations
    models = [c for c in vars(mod).values()
              if inspect.isclass(c) and issubclass(c, BaseModel) and c.__module__ == module]
    assert models  # the module still defines its models here
    written = [f"{c.__name__}.{name}" for c in models
               for name, a in vars(c).get("__annotations__", {}).items() if isinstance(a, str)]
    assert written == []
