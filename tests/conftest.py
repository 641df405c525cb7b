"""Shared fixtures. CLI tests assert exit code, stdout and stderr together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.errors import InvalidArgument
from typer.testing import CliRunner

# Every result object the engine builds without validation is also validated and
# compared, here and in every cyberdip process a test starts (model/scorecard.py, `made`).
os.environ["CYBERDIP_CHECK_OUTPUTS"] = "1"

# The terminal tests press Ctrl-C in a command as a person at a terminal does. A test run
# started where Ctrl-C is ignored (a background job of a shell script, nohup) would pass
# that on: a process that starts with SIGINT ignored keeps it ignored, Python then never
# raises KeyboardInterrupt, and those commands would wait for input that never comes.
# So the run takes Ctrl-C again, and the commands it starts get the terminal's default.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


# Every property test draws the same examples on every run, with or without CI=true,
# so the README's test command gives the same result every time; a busy machine
# never fails a test by a deadline or a health check on the time data took to make.
# Exploration, with new examples each run, is the long profile's job
# (HYPOTHESIS_PROFILE=long; see tests/fuzz/README.md).
# Once per run: a test that imports a helper from here (`from tests.conftest import
# ...`) runs this module a second time under that name, perhaps inside a test, where
# Hypothesis refuses (with a warning, an error here) to register profiles again.
_PROFILE_COMMON = dict(deadline=None, database=None,
                       suppress_health_check=[HealthCheck.too_slow])
try:
    settings.get_profile("repeatable")
except InvalidArgument:
    settings.register_profile("repeatable", derandomize=True, **_PROFILE_COMMON)
    settings.register_profile("explore", derandomize=False, **_PROFILE_COMMON)
    settings.load_profile("explore" if os.environ.get("HYPOTHESIS_PROFILE") == "long"
                          else "repeatable")


#: Set by ``.ci/run`` for its second run, on the oldest dependency versions that
#: pyproject.toml allows. Files generated from a tool's output (the JSON Schemas from
#: pydantic, docs/cli.md from typer's help) are committed as the newest versions make
#: them; the first CI run checks that they are fresh.
OLDEST_DEPS = bool(os.environ.get("CYBERDIP_OLDEST_DEPS"))
OLDEST_SKIP = pytest.mark.skipif(
    OLDEST_DEPS, reason="generated files are checked against the newest dependency versions")


def load_script(name: str):
    """A script of ``scripts/`` (which is not a package) as a module, for its tests."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


#: How long a test waits for a program's output before it gives up. A test waits for
#: what the program prints, never for a guess at how long it takes, so this is only
#: the bound for a program that is stuck: generous enough for a loaded 2-core machine.
PATIENCE = 120


def ctrl_c(child) -> None:
    """Press Ctrl-C in a pexpect session: SIGINT to the program, as its terminal sends it.

    Sent as a signal rather than as the ^C character, so that it takes effect whatever
    the terminal's line discipline is doing at that instant: a ^C character typed while
    a prompt was being set up was seen to be held until Enter, which made the tests that
    pressed it depend on a sleep."""
    import signal

    child.kill(signal.SIGINT)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


@pytest.fixture(autouse=True)
def _plain_env(monkeypatch):
    """Tests see what a user in a plain terminal sees: no CI annotations, no colour."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("CYBERDIP_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


def cli_app():
    """The typer app of the command line."""
    from cyberdip.cli.app import app

    return app


@pytest.fixture
def cli():
    """Run the CLI in-process: ``cli("score", path) -> Run(code, stdout, stderr)``."""
    app = cli_app()

    try:  # click < 8.2 mixes stderr into stdout unless told not to
        runner = CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 always keeps them apart, and has no such argument
        runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Run:
        r = runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)
        return Run(r.exit_code, r.stdout, r.stderr)

    return invoke


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None,
            timeout: float = PATIENCE, env: dict[str, str] | None = None) -> Run:
    """Run the real ``cyberdip`` in a subprocess, so crashes show up as exit codes."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("GITHUB_ACTIONS", None)
    p = subprocess.run([sys.executable, "-m", "cyberdip", *map(str, args)], cwd=cwd,
                       input=input, capture_output=True, text=True, timeout=timeout,
                       env=full_env)
    return Run(p.returncode, p.stdout, p.stderr)


@pytest.fixture
def subprocess_cli():
    return run_cli


def fill_workbook(path: Path, answers: dict[str, dict[str, object]],
                  details: dict[str, object], *, out: Path | None = None) -> Path:
    """Fill a workbook made by ``cyberdip init -o x.xlsx`` as a person would: details on
    the Start sheet by name, answers on the Answers sheet by column heading and row id.
    Values are written as given (a number stays a number, a date a date)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    start = wb["Start"]
    for row in start.iter_rows():
        if row[0].value in details:
            row[1].value = details[row[0].value]
    ws = wb["Answers"]
    heads = {c.value: c.column for c in ws[1]}
    for row in ws.iter_rows(min_row=2):
        cid = row[0].value
        for column, value in answers.get(cid, {}).items():
            ws.cell(row=row[0].row, column=heads[column]).value = value
    target = out or path
    wb.save(target)
    return target
