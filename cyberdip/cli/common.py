"""What every command shares: printing through the terminal-safe stream, the one
rule for output files and formats, the common options, and loading a checked
scorecard. Command modules import this; it imports no command module and not ``app``.

Heavy modules (pydantic, jinja2, yaml, rich) are imported inside the functions that
need them, so ``cyberdip --version`` starts fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from cyberdip import __version__
from cyberdip.errors import CyberdipError, InvalidInput, Problem

BUG_REPORT = ("please report it to the cyberdip maintainers on the project's issue tracker, "
              "with the command you ran")

# -- the commands' registry -------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    """How ``app`` registers a command: its name (None: the function's, ``_`` as ``-``)
    and the one line ``cyberdip --help`` shows for it."""

    name: str | None
    short_help: str


def command(short_help: str, name: str | None = None) -> Callable:
    """Mark a function as a command, its help beside it; ``app`` registers every function
    a command module lists in its ``COMMANDS``. A command module never imports ``app``."""

    def mark(func: Callable) -> Callable:
        func.registration = Registration(name, short_help)  # type: ignore[attr-defined]
        return func

    return mark


PacksOpt = Annotated[list[str] | None, typer.Option(
    "--packs", metavar="DIR", help="Also look for rubrics in the rubric packs in DIR (a "
    "pack's folder, or a folder of packs); repeat for more. Searched after the built-in "
    "rubrics and before the folders in CYBERDIP_PACKS (docs/packs.md).",
    show_default=False)]


def with_packs(func: Callable) -> Callable:
    """``func`` with a ``--packs DIR`` option: the rubric packs it names are on the
    search path while the command runs (``formats/packs.py``)."""
    import inspect

    sig = inspect.signature(func, eval_str=True)
    if "packs" in sig.parameters:
        return func

    @functools.wraps(func)
    def wrapper(*args, packs: list[str] | None = None, **kwargs):
        from cyberdip.formats import packs as search

        search.use(packs)
        try:
            for folder in packs or ():
                try:
                    search.pack_manifests(folder)
                except CyberdipError as e:
                    report_problems([e.problem()])
                    raise typer.Exit(e.exit_code) from None
            return func(*args, **kwargs)
        finally:
            search.use(None)

    param = inspect.Parameter("packs", inspect.Parameter.KEYWORD_ONLY, default=None,
                              annotation=PacksOpt)
    params = list(sig.parameters.values())
    kinds = [p.kind for p in params]
    if inspect.Parameter.VAR_KEYWORD in kinds:
        params.insert(kinds.index(inspect.Parameter.VAR_KEYWORD), param)
    else:
        params.append(param)
    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {**{p.name: p.annotation for p in sig.parameters.values()},
                               "packs": PacksOpt, "return": sig.return_annotation}
    del wrapper.__wrapped__  # typer reads the signature above, not the function's
    return wrapper



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



class _TerminalSafe:
    """stdout for rich: every control character in what is printed (questions and
    level names come from rubric files) is escaped, except rich's own colours (SGR),
    newlines and tabs. Rich removes only a few control characters itself; ESC is not
    one of them, so a rubric could otherwise set the window title or clear the screen."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from cyberdip.textsafe import for_stream

        return self._stream.write(for_stream(text, keep_sgr=True, json_safe=False))

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding...
        return getattr(self._stream, name)


def console():
    """A rich console on stdout, through the terminal-safe stream."""
    from rich.console import Console

    return Console(file=_TerminalSafe(sys.stdout), highlight=False, markup=False,
                   emoji=False)


class Progress:
    """A one-line bar on stderr for long work, with a count and the time left: plain
    characters only (no colour, no control sequence but the carriage return), so it
    reads the same on any terminal and under ``NO_COLOR``; erased when the work is done.

    ``progress(unit, quiet=...)`` gives one only when stderr is a terminal and the output
    is not JSON (``quiet``). ``after``: seconds before the bar first shows (short work
    needs none); ``at_least``: fewer items than this never show one."""

    def __init__(self, unit: str, *, after: float = 0.3, at_least: int = 0) -> None:
        import time

        self.unit, self.after, self.at_least = unit, after, at_least
        self.start = time.monotonic()
        self.width = 0

    def _show(self, line: str) -> None:
        padded = "\r" + line.ljust(self.width)
        # noted before writing: a Ctrl-C just after the write still finds it to erase
        self.width = max(self.width, len(line))
        sys.stderr.write(padded)
        sys.stderr.flush()

    def clear(self) -> None:
        """Erase the bar, if one is shown, so the next line starts clean."""
        if self.width:
            self._show("")
            sys.stderr.write("\r")
            sys.stderr.flush()
            self.width = 0

    def __call__(self, done: int, total: int) -> None:
        import math
        import time

        elapsed = time.monotonic() - self.start
        if done >= total:
            self.clear()
            return
        if elapsed < self.after or total < self.at_least or done < 1:
            return
        filled = 24 * done // total
        left = math.ceil(elapsed * (total - done) / done)
        self._show(f"[{'#' * filled}{'.' * (24 - filled)}] {done:,} of {total:,} "
                   f"{self.unit}, about {left} s left")

    def track(self, items, total: int):
        """Yield ``items`` (``total`` of them), drawing the bar as they come; erased at
        the end, or when the caller stops early (Ctrl-C included)."""
        try:
            for done, item in enumerate(items, 1):
                yield item
                self(done, total)
        finally:
            self.clear()


def progress(unit: str, *, quiet: bool = False, after: float = 0.3,
             at_least: int = 0) -> Progress | None:
    """A progress bar for long work, or None when stderr is not a terminal or the output
    is JSON (``quiet``)."""
    if quiet:
        return None
    try:
        if not sys.stderr.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return Progress(unit, after=after, at_least=at_least)


def tracked(items, total: int, bar: Progress | None):
    """``items`` as they come, with ``bar`` drawn when there is one."""
    return items if bar is None else bar.track(items, total)


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
    from cyberdip.yamlio import READ_FILES, refuse_special

    out_ids = _file_ids(output)
    if out_ids:
        protected = set(READ_FILES)
        for i in inputs:
            protected |= _file_ids(i)
        if out_ids & protected:
            _clobber(output, "this is an input file; choose another output name")
    if output.is_dir():
        _clobber(output, "is a directory; give a file name")
    refuse_special(output)  # a FIFO, a device, or a link to one: never replaced
    if out_ids and not force:
        _clobber(output, "already exists; use --force to overwrite it")


def write_answers(output: Path, text: str, command: str, who: str | None = None, *,
                  parsed: Any = None) -> None:
    """Write an assessment (``text``, YAML) atomically, and append to its history one
    entry per answer that changed (``cyberdip.formats.history``); the output rule has
    been applied before. Used by every command that changes answers. ``parsed``: the
    data of ``text``, when the caller has parsed it already (to check it)."""
    from cyberdip import yamlio
    from cyberdip.formats import history

    before = None
    if output.is_file():  # replaced with --force: what it said before
        try:
            before = yamlio.parse(yamlio.read_bytes(output), str(output)).data
        except (CyberdipError, OSError):
            before = None
    yamlio.write_atomic(output, text)
    after = parsed if parsed is not None else yamlio.parse(text.encode("utf-8"),
                                                            str(output)).data
    try:
        history.record(output, command, who, history.changes(
            before if isinstance(before, dict) else None, after))
    except OSError as e:
        raise CyberdipError(f"the answers were written, but their history could not be "
                            f"appended: {e.strerror or e}", path=str(
                                history.history_path(output)), code="CD402",
                            exit_code=2) from None


def rubric_ref_for(ref: str, path: Path, output: Path) -> str:
    """How a written file names its rubric: the built-in id, or a path relative to it."""
    from cyberdip.formats import documents

    if documents.is_rubric_id(ref):  # a built-in, or a rubric of a pack on the search path
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
    ".docx": "for Word, write the gap report with `cyberdip report -o report.docx`",
    ".doc": "for Word, write a .docx report with `cyberdip report -o report.docx`",
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


def as_of_date(value: str | None):
    """``--as-of YYYY-MM-DD``: the reference date, as a date (a usage error otherwise)."""
    import datetime as dt
    import re

    if value is None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise typer.BadParameter(f"`{value[:40]}` is not a date: give a day as YYYY-MM-DD, "
                             "e.g. 2026-12-01")


AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", metavar="YYYY-MM-DD", callback=as_of_date, help="Judge stale and expired "
    "evidence against this date instead of the assessment's own `date` (never the clock).")]


# -- loading a checked scorecard -------------------------------------------------------


def load_scorecard(assessment: str, rubric: str | None, strict: bool, min_coverage: float,
                   as_of=None):
    """Load, check and score one assessment; warnings go to stderr."""
    return load_checked_scorecard(assessment, rubric, strict, min_coverage, as_of)[1]


def load_checked_scorecard(assessment: str, rubric: str | None, strict: bool,
                           min_coverage: float, as_of=None):
    """The checked assessment (with its rubric and the rubric's path) and its scorecard,
    which carries the assessment's protective marking. ``as_of``: the reference date of
    stale evidence (``--as-of``), else the assessment's own date."""
    from cyberdip.engine.scoring import score
    from cyberdip.formats import documents

    checked = documents.load_assessment(assessment, rubric_ref=rubric)
    report_problems(checked.warnings)
    card = score(checked.rubric, checked.assessment, strict=strict, min_coverage=min_coverage,
                 as_of=as_of)
    if checked.assessment.marking:
        card = card.model_copy(update={"marking": " ".join(checked.assessment.marking.split())})
    signed = signoff_of(checked)
    if signed is not None:
        card = card.model_copy(update={"signoff": signed})
    return checked, card


def signoff_of(checked):
    """The sign-off beside the assessment, checked against its answers and rubric now
    (None when there is none); a damaged one is reported as a warning and left out."""
    from cyberdip import yamlio
    from cyberdip.formats import digest
    from cyberdip.formats import signoff as so
    from cyberdip.model.scorecard import SignOffOut

    path = so.signoff_path(Path(checked.path))
    try:
        if not path.is_file():
            return None
        record = so.parse(yamlio.read_bytes(path), str(path))
        status = so.status(record, digest.answers_sha256(yamlio.load(checked.path).data),
                           digest.file_sha256(checked.rubric_path))
    except CyberdipError as e:
        p = e.problem()
        report_problems([Problem(p.path, p.line, p.col, "warning", p.code,
                                 p.message + "; the reports show no sign-off")])
        return None
    return SignOffOut(signed_by=record.signed_by, role=record.role, date=record.date,
                      holds=status.holds, changed=[w for w, c in (
                          ("answers", status.answers_changed),
                          ("rubric", status.rubric_changed)) if c],
                      signed_with_key=so.signature_path(Path(checked.path)).is_file())


def check_gates(card, min_coverage_gate: float | None, fail_under: float | None) -> int:
    failed = 0
    from cyberdip.report.common import fmt_pct, fmt_score

    # The gates compare the very figures the scorecard holds and every output shows.
    # `not x >= gate` rather than `x < gate`: a NaN must fail a gate, never pass it
    # (the models refuse non-finite numbers; this is the second line of defence).
    if min_coverage_gate is not None and not card.coverage >= min_coverage_gate:
        short = fmt_pct(round(min_coverage_gate - card.coverage, 2))[:-1]
        err(f"gate failed: coverage is {fmt_pct(card.coverage)}, {short} points below "
            f"--min-coverage {min_coverage_gate:g}")
        failed = 1
    if fail_under is not None:
        if card.index is None:
            err(f"gate failed: nothing is assessed, so the index cannot reach --fail-under "
                f"{fail_under:g}")
            failed = 1
        elif not card.index >= fail_under:
            err(f"gate failed: index is {fmt_score(card.index)}, "
                f"{fmt_score(round(fail_under - card.index, 2))} points below --fail-under "
                f"{fail_under:g}")
            failed = 1
    return failed


def compare_problems(result, paths: dict[str, str]) -> list:
    """A comparison's warnings as located problems: each names the file and, when it
    can be found again, the line and column of the field that differs."""
    from cyberdip import yamlio

    problems = []
    for w in result.warnings:
        path = paths[w.side]
        try:
            line, col = yamlio.load(path).locate(tuple(w.field))
        except (CyberdipError, OSError):  # read a moment ago; if not now, no position
            line, col = 0, 0
        problems.append(Problem(path, line, col, "warning", w.code, w.message))
    return problems


def located(path: str, field: list[str], level: str, code: str, message: str):
    """A problem at ``field`` of the YAML file ``path`` (no position when it cannot be
    found again)."""
    from cyberdip import yamlio

    try:
        line, col = yamlio.load(path).locate(tuple(field))
    except (CyberdipError, OSError):
        line, col = 0, 0
    return Problem(path, line, col, level, code, message)


def load_scorecards(paths: list[str], rubric: str | None, strict: bool,
                    min_coverage: float) -> list:
    """Load, check and score every file of ``paths``; every problem of every file is
    reported (one bad file does not hide the next), then the first failure's exit code
    stops the command (2 when a file could not be read, else 1)."""
    cards, failed = [], 0
    for path in paths:
        try:
            cards.append(load_scorecard(path, rubric, strict, min_coverage))
        except InvalidInput as e:
            report_problems(e.problems)
            failed = max(failed, 1)
        except CyberdipError as e:
            report_problems([e.problem()])
            failed = max(failed, e.exit_code)
    if failed:
        raise typer.Exit(failed)
    return cards


def series_of(paths: list[str], cards: list):
    """The series of the scored ``cards`` (one per path), or every refusal reported at
    its file, line and column (exit 1); the warnings of the series go to stderr."""
    from cyberdip.engine.series import refusals, series
    from cyberdip.textsafe import display_name

    items = [(display_name(p), c) for p, c in zip(paths, cards, strict=True)]
    bad = refusals(items)
    if bad:
        raise InvalidInput([located(paths[r.item], r.field, "error", r.code, r.message)
                            for r in bad])
    result = series(items)
    problems = []
    for k, p in enumerate(result.points):
        for w in p.warnings:
            side = p if w.side == "new" else result.points[k - 1]
            problems.append(located(paths[side.item], w.field, "warning", w.code,
                                    w.message))
    report_problems(problems)
    return result


# -- a filled-in sheet (import and merge) ----------------------------------------------


def sheet_assessment(src: str, rubric: str | None, organisation: str | None, output: Path,
                     force: bool = False):
    """A sheet's assessment data, every problem found in it, and its rubric:
    ``(data, problems, rubric, rubric_path)``. The rubric is ``rubric`` when given, else
    the one the sheet names (relative to the sheet's folder)."""
    from cyberdip.formats import documents, spreadsheet, workbook

    sheet = workbook.read_sheet(src, sheet_wordings())
    ref = rubric
    if ref is None:
        row, ref = sheet.meta.get("rubric", (0, ""))
        if not ref:
            raise InvalidInput([Problem(sheet.where(row, "rubric") if row else src,
                                        0, 0, "error", "CD306",
                                        "the sheet does not say which rubric it answers: add a "
                                        "row `rubric,<id>` at the top, or pass --rubric")])
        try:
            path = documents.resolve_rubric(ref, relative_to=src)
        except CyberdipError as e:  # name the cell it came from
            raise InvalidInput([Problem(sheet.where(row, "rubric"), 0, 0, "error",
                                        "CD306", e.message + "; fix the cell or pass --rubric")]
                               ) from None
    else:
        path = documents.resolve_rubric(ref)
    r = documents.rubric_at(path)
    # an output aimed at the rubric is refused before its name is even looked at
    refuse_to_clobber(output, [Path(src), path], force)
    wording = (questionnaire_wording(r, path, sheet.language, quiet=True)
               if sheet.language in sheet.wordings else None)
    data, problems = spreadsheet.to_assessment(
        sheet, r, rubric_ref_for(ref, path, output), organisation=organisation,
        wording=wording)
    return data, problems, r, path


# -- a questionnaire's language (init --lang, assess --lang, import) -----------------


def questionnaire_languages() -> list[str]:
    """The languages a questionnaire can be written in: those of the reports."""
    from cyberdip.report.i18n import LANGUAGES

    return list(LANGUAGES)


def sheet_wordings() -> dict:
    """Every language besides English a filled sheet may be written in, with its own
    words (column headings, yes, no, n/a), to read it back."""
    from cyberdip.formats.wording import Wording
    from cyberdip.report.i18n import LANGUAGES, words

    return {lang: Wording(lang, words(lang).gettext, None, rtl=d == "rtl")
            for lang, (_, _, d) in LANGUAGES.items() if lang != "en"}


def questionnaire_wording(rubric, rubric_path, lang: str, *, quiet: bool = False):
    """A questionnaire's words in ``lang``: cyberdip's own from its catalogue, the
    rubric's from the translation beside it (English where it has none, said once
    unless ``quiet``); errors in the translation stop the command (exit 1)."""
    from cyberdip.formats import documents
    from cyberdip.formats.wording import Wording
    from cyberdip.report.i18n import LANGUAGES, RubricWords, words

    if lang == "en":
        return Wording()
    if lang not in LANGUAGES:
        fail(f"--lang {lang}: a questionnaire is written in one of "
             f"{', '.join(LANGUAGES)}", 2)
    name = LANGUAGES[lang][0]
    found = documents.load_translation_for(rubric, str(rubric_path), lang)
    if found is None:
        if not quiet:
            err(f"warning: the rubric `{rubric.id}` has no {name} translation "
                f"({documents.translation_path(rubric_path, lang).name}); its words stay in "
                "English")
        rw = RubricWords(lang)
    else:
        translation, problems = found
        errors = [p for p in problems if p.level == "error"]
        if errors:
            raise InvalidInput(errors)
        cov = translation.coverage
        if cov.translated < cov.total and not quiet:
            err(f"warning: {translation.path}: the {name} translation covers "
                f"{cov.translated} of {cov.total} rubric strings; the rest stay in English")
        rw = RubricWords(lang, translation)
    return Wording(lang, words(lang).gettext, rw, rtl=LANGUAGES[lang][2] == "rtl")
