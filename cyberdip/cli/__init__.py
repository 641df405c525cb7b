"""The command line: the ONLY package that knows about argv, the terminal, files
written, and exit codes. This module holds the app and the shared helpers; the
commands live in the sibling modules, split along the same seams as the core.

Heavy modules (pydantic, jinja2, yaml) are imported inside the commands that
need them, so ``cyberdip --version`` starts fast.
"""

from __future__ import annotations

import copy
import functools
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from cyberdip import __version__
from cyberdip.cli.helpfmt import Group
from cyberdip.errors import CyberdipError, InvalidInput, Problem

BUG_REPORT = ("please report it to the cyberdip maintainers on the project's issue tracker, "
              "with the command you ran")

app = typer.Typer(
    name="cyberdip",
    cls=Group,
    help="How ready is a foreign ministry for cyber and digital diplomacy, and what next?\n\n"
    "Rubrics drawn from published research say what a ready ministry has; a ministry "
    "(or one of its missions) answers them; cyberdip scores the answers and writes a gap "
    "report.",
    no_args_is_help=True,
    add_completion=True,
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


def _write(stream, text: str) -> None:
    """Write, and never fail on an encoding the stream cannot hold (a strict ASCII or
    Latin-1 stdout): what it cannot encode is written as ``\\uXXXX``."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        from cyberdip.textsafe import encodable

        stream.write(encodable(text, getattr(stream, "encoding", None) or "utf-8"))
    stream.flush()


def out(text: str, *, styled: bool | None = None) -> None:
    """Write a report to stdout, safe for a terminal.

    Text from files can hold control characters (``ESC ] 0 ;`` sets the window title)
    and file names bytes that are not UTF-8: both are escaped here, in a form that
    leaves JSON valid and meaning the same (cyberdip.textsafe). Newlines and tabs are
    kept, and so are colour (SGR) sequences when ``styled`` (by default: when stdout
    is coloured); a renderer that colours must escape its content first
    (``textsafe.for_terminal``), as ``as_text.to_text`` and the diagnostics do.
    """
    from cyberdip.textsafe import for_stream

    keep_sgr = _color(sys.stdout) if styled is None else styled
    _write(sys.stdout, for_stream(text, keep_sgr=keep_sgr, json_safe=True))


def err(text: str, *, styled: bool = False) -> None:
    """Write a diagnostic line to stderr, every control character escaped and a
    non-UTF-8 file name's bytes shown as ``\\xff``. Colour (SGR) sequences are kept
    only when ``styled``: text whose content is already escaped, as the diagnostics'."""
    from cyberdip.textsafe import for_stream

    text = for_stream(text, keep_sgr=styled, json_safe=False)
    _write(sys.stderr, text if text.endswith("\n") else text + "\n")


def report_problems(problems: list[Problem]) -> None:
    from cyberdip.diagnostics import format_problems

    if problems:
        color = _color(sys.stderr)
        err(format_problems(problems, "text", color=color).rstrip("\n"), styled=color)


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
        yamlio = sys.modules.get("cyberdip.yamlio")
        if yamlio is not None:  # a new command (tests run many in one process)
            yamlio.READ_FILES.clear()
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


def _file_ids(path: Path) -> set[tuple[int, int]]:
    """``(st_dev, st_ino)`` of ``path`` and, when it is a link, of what it points to."""
    ids = set()
    for stat in (os.lstat, os.stat):
        try:
            st = stat(path)
        except (OSError, ValueError):
            continue
        ids.add((st.st_dev, st.st_ino))
    return ids


def refuse_to_clobber(output: Path, inputs: list[Path], force: bool) -> None:
    """The one rule for every command that writes a file (docs/cli.md, "Output files").

    * An input is never replaced, not even with ``--force``. Inputs are the files
      given (``inputs``) and every file this process has read (``yamlio.READ_FILES``),
      which includes the rubric an assessment names. Files are compared by device
      and inode, so another spelling of the path, a link or a bind mount is caught.
    * Any other existing file is replaced only with ``--force``.

    Call it just before writing, once everything has been read.
    """
    from cyberdip.yamlio import READ_FILES

    out_ids = _file_ids(output)
    if out_ids:
        protected = set(READ_FILES)
        for i in inputs:
            protected |= _file_ids(i)
        if out_ids & protected:
            _clobber(output, "this is an input file; choose another output name")
    if output.is_dir():
        _clobber(output, "is a directory; give a file name")
    if out_ids and not force:
        _clobber(output, "already exists; use --force to overwrite it")


def rubric_ref_for(ref: str, path: Path, output: Path) -> str:
    """How a written file names its rubric: the built-in id, or a path relative to it."""
    from cyberdip.formats import documents

    if ref in documents.builtin_paths():
        return ref
    return nameable_path(os.path.relpath(path.resolve(), output.resolve().parent), ref)


def nameable_path(relative: str, rubric: str) -> str:
    """A rubric's path as the written file will name it; refused when it is not UTF-8
    or holds a control character, since a sheet (and a person reading the file) could
    not name it faithfully."""
    from cyberdip.textsafe import for_terminal

    if for_terminal(relative) != relative:
        fail("the rubric's path is not UTF-8 text, or holds a control character, so the "
             "file written could not name it; rename the rubric file (or its folder) and "
             "try again", 2, path=for_terminal(rubric))
    return relative


def check_folder(output: Path) -> None:
    """Fail early, before any question is asked, when the output's folder is missing."""
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        fail(f"the folder {folder} does not exist; create it first, or choose "
             "another output name", 2, path=output)


#: What to do instead, for formats people ask for that cyberdip does not write.
_INSTEAD = {
    ".pdf": "for a PDF, write the gap report with `cyberdip report -o report.pdf`",
    ".xlsx": "for Excel, write a .csv sheet and open it in Excel",
    ".xls": "for Excel, write an .xlsx workbook (init) or a .csv sheet",
    ".ods": "for a spreadsheet, write an .xlsx workbook (init) or a .csv sheet and open it "
            "there",
    ".docx": "for a document, write an .html or .md report",
    ".doc": "for a document, write an .html or .md report",
}


def output_format(output: str | os.PathLike[str] | None, fmt: Enum | None, command: str,
                  default: str) -> str:
    """The format to write: ``--format`` when given, else the output's extension, else
    ``default`` (for stdout); the formats ``command`` writes are the registry's. An
    extension it does not write is a usage error that says what to do instead; nothing
    is written."""
    if fmt is not None:
        return fmt.value
    if output is None or os.fspath(output) == "-":
        return default
    from cyberdip.report.registry import EXTENSIONS, formats_for

    formats = formats_for(command)
    suffix = Path(os.fspath(output)).suffix.lower()
    kind = EXTENSIONS.get(suffix)
    if kind in formats:
        return kind
    names = ", ".join("." + f if f != "text" else ".txt" for f in formats)
    what = f"`{suffix}`" if suffix else "no extension"
    instead = _INSTEAD.get(suffix)
    raise CyberdipError(
        f"{what}: `cyberdip {command}` writes {names}"
        + (f"; {instead}" if instead else "")
        + "; name the file accordingly"
        + (f", or pass --format {'|'.join(formats)}" if len(formats) > 1 else ""),
        path=os.fspath(output), code="CD404", exit_code=2)


def format_enum(command: str) -> type[Enum]:
    """The ``--format`` choices of ``command``, from the one registry of output formats:
    a format added there is offered by every command it names, with nothing else to
    change."""
    from cyberdip.report.registry import formats_for

    return Enum(f"{command.title()}Format", {n: n for n in formats_for(command)}, type=str)


def finite(value: float | None) -> float | None:
    """A gate's threshold must be an ordinary number: ``nan`` passes a range check (it
    is neither below 0 nor above 100), would pass or fail a gate at random, and is not
    JSON. Refused as a usage error."""
    import math

    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number from 0 to 100")
    return value


ForceOpt = Annotated[bool, typer.Option(
    "--force", help="Replace the output file if it exists (never an input file).")]
RubricOpt = Annotated[str | None, typer.Option(
    "--rubric", metavar="RUBRIC", help="Score against this rubric (built-in id or file) "
    "instead of the one the assessment names.")]
StrictOpt = Annotated[bool, typer.Option(
    "--strict", help="Score unsupported claims (no evidence) at the highest level that "
    "needs none.")]


def _show_usage_error(e: Exception) -> None:
    """click's usage message, through ``err``: it repeats what was typed, which may
    hold control characters or a non-UTF-8 file name."""
    import io

    buf = io.StringIO()
    try:
        e.show(file=buf)  # type: ignore[attr-defined]
    except (AttributeError, TypeError):
        buf = io.StringIO(f"error: {e}")
    err(buf.getvalue().rstrip("\n"))


def main() -> None:
    """Console entry point: run the app and map click's own errors to our exit codes."""
    if sys.argv[1:] == ["--version"]:
        # Typer builds every command (inspecting each signature) before it even
        # looks at --version; answering here keeps `cyberdip --version` as fast
        # as a one-command typer app (benchmarks/bench_validate.py).
        print(f"cyberdip {__version__}")
        sys.exit(0)
    # pydantic looks for plugins among every installed package's entry points the
    # first time it builds a model (about 20 ms of start-up); cyberdip uses none
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        code = app_for(sys.argv[1:])(standalone_mode=False, prog_name="cyberdip")
    except typer.Exit as e:
        code = e.exit_code
    except (typer.Abort, KeyboardInterrupt):
        err("interrupted")
        code = 130
    except BrokenPipeError:
        _quiet_broken_pipe()
        code = 0
    except Exception as e:  # noqa: BLE001
        if _is_usage_error(e):
            _show_usage_error(e)
            code = 2
        elif os.environ.get("CYBERDIP_DEBUG"):
            raise
        else:
            err(f"internal error: {type(e).__name__}: {e} -- this is a bug in cyberdip "
                f"{__version__}; {BUG_REPORT}")
            code = 3
    sys.exit(code if isinstance(code, int) else 0)


def app_for(argv: list[str]) -> typer.Typer:
    """The app with only the command ``argv`` names, when it names one.

    Typer builds every registered command (and, in recent versions, a pydantic
    adapter for each of their parameters) before it runs any. ``cyberdip score``
    needs only ``score``: building the other nine cost a fifth of its start-up.
    ``cyberdip --help`` and anything that names no command get the whole app.
    """
    name = argv[0] if argv else ""
    chosen = [c for c in app.registered_commands
              if (c.name or c.callback.__name__.replace("_", "-")) == name]
    if not chosen:
        return app
    one = copy.copy(app)
    one.registered_commands = chosen
    return one


#: Where click's exceptions live, by typer version: typer.exceptions (newest),
#: typer._click.exceptions (0.26, vendored), or click itself (older).
_USAGE_ERRORS = (("typer.exceptions", "TyperException"),
                 ("typer._click.exceptions", "ClickException"),
                 ("click.exceptions", "ClickException"))


def _is_usage_error(e: Exception) -> bool:
    """A usage error from whichever click typer uses; never an internal error. Only
    modules already imported are looked at: an exception cannot come from another."""
    for module, name in _USAGE_ERRORS:
        kind = getattr(sys.modules.get(module), name, None)
        if kind is not None and isinstance(e, kind):
            return True
    return False



# Register the commands. Each module imports only typer at import time.
from cyberdip.cli import (  # noqa: E402,F401
    checks,
    interactive,
    merge,
    portfolio,
    report,
    scorecmd,
    sensitivity,
)
from cyberdip.cli.helpfmt import Command  # noqa: E402

# registered from here, not by a decorator in the module: the shape the cli room is
# moving to (the app registers its commands; command modules never import the app)
app.command("sensitivity", cls=Command, short_help=sensitivity.SHORT_HELP)(
    sensitivity.sensitivity)

#: The order of ``cyberdip --help``: checking, answering, scoring, reporting, comparing.
_ORDER = ["validate", "rubrics", "schema", "init", "assess", "import", "merge", "score",
          "report", "compare", "aggregate", "sensitivity"]
app.registered_commands.sort(
    key=lambda c: _ORDER.index(n) if (n := c.name or c.callback.__name__) in _ORDER else 99)
