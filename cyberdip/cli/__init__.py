"""The command line: the ONLY package that knows about argv, the terminal, files
written, and exit codes. This module holds the app and the shared helpers; the
commands live in the sibling modules, split along the same seams as the core.

Heavy modules (pydantic, jinja2, yaml) are imported inside the commands that
need them, so ``cyberdip --version`` starts fast.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from cyberdip import __version__
from cyberdip.errors import CyberdipError, InvalidInput, Problem

BUG_REPORT = ("please report it to the cyberdip maintainers on the project's issue tracker, "
              "with the command you ran")

app = typer.Typer(
    name="cyberdip",
    help="How ready is a foreign ministry for cyber and digital diplomacy, and what next?\n\n"
    "Rubrics drawn from published research say what a ready ministry has; a ministry "
    "(or one of its missions) answers them; cyberdip scores the answers and writes a gap "
    "report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# -- output helpers ------------------------------------------------------------------


def _color(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def out(text: str) -> None:
    """Write a report to stdout."""
    sys.stdout.write(text)
    sys.stdout.flush()


def err(text: str) -> None:
    """Write a diagnostic line to stderr."""
    sys.stderr.write(text if text.endswith("\n") else text + "\n")
    sys.stderr.flush()


def report_problems(problems: list[Problem]) -> None:
    from cyberdip.diagnostics import format_problems

    if problems:
        err(format_problems(problems, "text", color=_color(sys.stderr)).rstrip("\n"))


def fail(message: str, code: int = 2, *, path: str | os.PathLike[str] | None = None,
         ) -> NoReturn:
    """Stop with ``path: error: message`` (or ``error: message``) and an exit code."""
    err(f"{path}: error: {message}" if path is not None else f"error: {message}")
    raise typer.Exit(code)


def handled(func):
    """Turn every failure inside a command into a message and an exit code.

    CyberdipError -> its located problems and exit 1 or 2; Ctrl-C -> 130;
    anything unexpected -> one line asking for a bug report, exit 3. A user
    never sees a traceback (set CYBERDIP_DEBUG=1 to get one).
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except InvalidInput as e:
            report_problems(e.problems)
            raise typer.Exit(1) from None
        except CyberdipError as e:
            report_problems([e.problem()])
            raise typer.Exit(e.exit_code) from None
        except KeyboardInterrupt:
            err("interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            _quiet_broken_pipe()
            raise typer.Exit(0) from None
        except OSError as e:
            # A path the system refused (too long, a loop, no permission...): the
            # input or the output cannot be used, which is exit 2, not a bug.
            where = os.fsdecode(e.filename) if e.filename is not None else ""
            report_problems([Problem(where, 0, 0, "error", "CD002",
                                     f"cannot use this path: {e.strerror or e}")])
            raise typer.Exit(2) from None
        except Exception as e:  # noqa: BLE001 - the last line of defence
            if os.environ.get("CYBERDIP_DEBUG"):
                raise
            err(f"internal error: {type(e).__name__}: {e} -- this is a bug in cyberdip "
                f"{__version__}; {BUG_REPORT} (CYBERDIP_DEBUG=1 shows details)")
            raise typer.Exit(3) from None

    return wrapper


def _quiet_broken_pipe() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def _version(value: bool) -> None:
    if value:
        print(f"cyberdip {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """How ready is a foreign ministry for cyber and digital diplomacy, and what next?"""


def _clobber(output: Path, message: str) -> NoReturn:
    raise CyberdipError(message, path=str(output), code="CD401", exit_code=2)


def refuse_to_clobber(output: Path, inputs: list[Path], force: bool) -> None:
    """Never overwrite an input; never overwrite anything else without --force."""
    try:
        resolved = output.resolve()
    except OSError:
        resolved = output
    for i in inputs:
        try:
            if i.exists() and resolved == i.resolve():
                _clobber(output, "this is an input file; choose another output name")
        except OSError:
            pass
    if output.exists() and output.is_dir():
        _clobber(output, "is a directory; give a file name")
    if output.exists() and not force:
        _clobber(output, "already exists; use --force to overwrite it")


RubricOpt = Annotated[str | None, typer.Option(
    "--rubric", help="Score against this rubric (built-in id or file) instead of the one "
    "the assessment names.")]
StrictOpt = Annotated[bool, typer.Option(
    "--strict", help="Score unsupported claims (no evidence) at the highest level that "
    "needs none.")]


def main() -> None:
    """Console entry point: run the app and map click's own errors to our exit codes."""
    if sys.argv[1:] == ["--version"]:
        # Typer builds every command (inspecting each signature) before it even
        # looks at --version; answering here keeps `cyberdip --version` as fast
        # as a one-command typer app (benchmarks/bench_validate.py).
        print(f"cyberdip {__version__}")
        sys.exit(0)
    try:  # typer >= 0.2x vendors click; click itself may not even be installed
        from typer.exceptions import TyperException as UsageErrors
    except ImportError:  # older typer raises click's own exceptions
        from click import ClickException as UsageErrors

    try:
        code = app(standalone_mode=False, prog_name="cyberdip")
    except typer.Exit as e:
        code = e.exit_code
    except UsageErrors as e:
        e.show() if hasattr(e, "show") else err(f"error: {e}")
        code = 2
    except (typer.Abort, KeyboardInterrupt):
        err("interrupted")
        code = 130
    except BrokenPipeError:
        _quiet_broken_pipe()
        code = 0
    except Exception as e:  # noqa: BLE001
        if os.environ.get("CYBERDIP_DEBUG"):
            raise
        err(f"internal error: {type(e).__name__}: {e} -- this is a bug in cyberdip "
            f"{__version__}; {BUG_REPORT}")
        code = 3
    sys.exit(code if isinstance(code, int) else 0)



# Register the commands. Each module imports only typer at import time.
from cyberdip.cli import checks, interactive, portfolio, report, scorecmd  # noqa: E402,F401

#: The order of ``cyberdip --help``: checking, answering, scoring, reporting, comparing.
_ORDER = ["validate", "rubrics", "schema", "init", "assess", "import", "score", "report",
          "compare", "aggregate"]
app.registered_commands.sort(
    key=lambda c: _ORDER.index(n) if (n := c.name or c.callback.__name__) in _ORDER else 99)
