"""`cyberdip assess` (a guided questionnaire) and `cyberdip import` (a filled-in
workbook or CSV sheet).

For people who don't write YAML. The questionnaire's logic lives in
``cyberdip.formats.questionnaire`` and the sheet's in ``cyberdip.formats.spreadsheet``; this
module asks, prints and saves.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from cyberdip.cli import (
    ForceOpt,
    _color,
    app,
    check_folder,
    err,
    fail,
    handled,
    out,
    output_format,
    refuse_to_clobber,
    report_problems,
    rubric_ref_for,
)
from cyberdip.cli.helpfmt import Command
from cyberdip.errors import CyberdipError, InvalidInput, Problem

# -- assess ------------------------------------------------------------------------------


@contextmanager
def session_lock(output: Path) -> Iterator[None]:
    """Hold ``.NAME.lock`` beside ``output`` for one `assess` session.

    A second session on the same file is refused while the first runs: each would
    otherwise save over the other's answers. The lock is an OS file lock (flock, or
    msvcrt on Windows), which the system releases when a session ends in any way,
    even killed, so a left-over lock file never blocks anyone: the next session takes it.
    """
    lock = output.with_name(f".{output.name}.lock")
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise CyberdipError(f"cannot create the lock file {lock.name}: {e.strerror}",
                                path=str(output), code="CD402", exit_code=2) from None
        try:
            _lock_fd(fd)
        except OSError:
            try:
                holder = os.read(fd, 32).decode("ascii", "replace").strip()
            except OSError:
                holder = ""
            os.close(fd)
            who = f" (process {holder})" if holder.isdigit() else ""
            raise CyberdipError(
                f"another `cyberdip assess` session is answering this file{who}; finish or "
                "quit that session first, then run this command again",
                path=str(output), code="CD403", exit_code=2) from None
        # the file we locked must still be the one at that name (a finishing session
        # removes its lock file; if that happened in between, lock the new one)
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(lock))
        except OSError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield
    finally:
        try:
            os.unlink(lock)
        except OSError:
            pass
        os.close(fd)


def _lock_fd(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


class _Quit(Exception):
    pass


CRITICAL_HELP = ("[critical] marks a basic: the stage a ministry reaches is never above "
                 "the level of its weakest critical answer, however good the rest is.")
TARGET_HELP = ("the level you aim to reach (by the next assessment, say); the report "
               "measures the gap to it and lists the steps.")


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


def read(con: Any, prompt: str, default: str | None = None, *,
         show_default: bool = True) -> str:
    """One answer typed at a prompt. Text from files in the prompt and the default is
    shown escaped; a line that is not UTF-8 (a terminal set to another encoding) is
    refused and asked again, never saved. Raises EOFError at Ctrl-D."""
    from rich.prompt import Prompt
    from rich.text import Text

    from cyberdip.textsafe import for_terminal

    shown = None if default is None else for_terminal(default)
    while True:
        try:
            if shown is None:
                text = Prompt.ask(Text(for_terminal(prompt), style="bold"), console=con)
            else:
                text = Prompt.ask(Text(for_terminal(prompt), style="bold"), console=con,
                                  default=shown, show_default=show_default)
        except UnicodeDecodeError:
            text = None
        except EOFError:
            con.print()  # Ctrl-D leaves the cursor after the prompt: end that line
            raise
        if text is not None and text == shown:
            return default  # Enter keeps the answer as it is in the file
        if text is not None:
            try:
                text.encode("utf-8")
                return text
            except UnicodeEncodeError:  # bytes decoded with surrogateescape
                pass
        con.print(Text("  ✗ that was not UTF-8 text (is the terminal set to UTF-8?); "
                       "type it again", style="red"))


def _console():
    from rich.console import Console

    return Console(file=_TerminalSafe(sys.stdout), highlight=False, markup=False,
                   emoji=False)


class _Asker:
    """One questionnaire session on a terminal. Saves after every answer."""

    def __init__(self, draft: Any, output: Path, review: bool) -> None:

        from cyberdip.formats import questionnaire as q

        self.q = q
        self.draft = draft
        self.output = output
        self.walk = q.Walk(draft, review=review)
        self.review = review
        self.con = _console()
        self.explained: set[str] = set()  # [critical] and the target, explained once

    # small helpers
    def save(self) -> None:
        from cyberdip.yamlio import write_atomic

        write_atomic(self.output, self.draft.to_yaml())

    def ask(self, prompt: str, default: str | None = None) -> str:
        try:
            return read(self.con, prompt, default)
        except EOFError:
            raise _Quit from None

    def say(self, text: str, style: str | None = None) -> None:
        from rich.text import Text

        from cyberdip.textsafe import for_terminal

        self.con.print(Text(for_terminal(text, keep="\n"), style=style or ""))

    def problem(self, text: str) -> None:
        self.say(f"  ✗ {text}", "red")

    # the questions
    def show(self, item: Any) -> None:
        from rich.rule import Rule

        from cyberdip.textsafe import for_terminal

        q = self.q
        c = item.criterion
        self.con.print()
        self.con.print(Rule(for_terminal(f"{item.area.title} · {item.progress}"), style="cyan"))
        self.say(f"{c.label}{' [critical]' if c.critical else ''}  ({c.id})", "bold")
        if c.title:
            self.say(c.question_as(self.draft.profile))
        from rich.table import Table

        grid = Table.grid(padding=(0, 2), pad_edge=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column()  # long descriptors wrap under themselves, not under the number
        for label, meaning in q.choices(self.draft.rubric, c):
            grid.add_row(for_terminal(label), for_terminal(meaning, keep="\n"))
        self.con.print(grid)
        if c.critical and "critical" not in self.explained:
            self.explained.add("critical")
            self.say(CRITICAL_HELP, "dim")
        self.say(f"Answer with {q.allowed(self.draft.rubric, c)}"
                 + ("; i to answer indicator by indicator" if c.indicators else "")
                 + "; or n/a, skip, back, quit; ? explains.", "dim")

    def default_target(self, c: Any) -> int:
        """The target a criterion gets when none is typed: the assessment's default, else
        the rubric's, else the top level; never above what the criterion can reach."""
        r = self.draft.rubric
        t = self.draft.data.get("default_target")
        if not isinstance(t, int) or isinstance(t, bool):
            t = r.scoring.default_target if r.scoring.default_target is not None else r.highest
        reach = c.reachable_levels(r.levels)
        return min(t, max(reach)) if reach else t

    def help(self, c: Any) -> None:
        """What ``?`` shows, at any prompt: the question, the answers, evidence, target."""
        q = self.q
        r = self.draft.rubric
        self.say("")
        self.say(f"Help: {c.label}{' [critical]' if c.critical else ''}", "bold")
        self.say(f"The question: {c.question_as(self.draft.profile)}")
        if c.indicators:
            self.say("This question can be answered indicator by indicator: type `i` at the "
                     "answer prompt. Each indicator is a statement that holds or not (yes or "
                     "no); the level is the highest one whose indicators, and all below, "
                     "hold.")
        self.say(f"Type {q.allowed(r, c)}. What each answer means:")
        for label, meaning in q.choices(r, c):
            self.say(f"  {label}: {meaning}")
        if c.answer_key == "value":
            self.say("  none: there is no number to give, the lowest level (for example "
                     "\"not ranked at all\")")
        self.say("Or type: n/a when it does not apply to you (you are asked why); skip to "
                 "leave it for later; back for the previous question; quit to stop. Every "
                 "answer is saved at once.")
        need = r.scoring.evidence_from_level
        self.say("Evidence: links or short text that back the answer, one per line"
                 + (f"; an answer at level {need} or above without evidence is flagged in "
                    "the report" if need is not None else "") + ".")
        self.say(f"Target: {TARGET_HELP} Enter keeps the default, level "
                 f"{self.default_target(c)} for this question.")
        if c.critical:
            self.say(CRITICAL_HELP)
        self.say("")

    def criterion(self, item: Any) -> str:
        """Ask everything about one criterion; returns 'next', 'skip', 'back' or 'quit'."""
        q = self.q
        c = item.criterion
        self.show(item)
        while True:
            current = self.draft.current_text(c)
            text = self.ask("Answer", current)
            if not text.strip() and current is None and self.review:
                return "skip"  # reviewing: Enter leaves an unanswered question as it is
            try:
                parsed = q.parse_answer(self.draft.rubric, c, text)
            except q.AnswerError as e:
                self.problem(e.message)
                continue
            if parsed == q.Command("help"):
                self.help(c)
                continue
            break
        if isinstance(parsed, q.Command) and parsed.name == "indicators":
            if not self.indicators(c):
                return "quit"
            self.evidence(c)
            self.target(c)
            return "next"
        if isinstance(parsed, q.Command):
            return parsed.name
        if isinstance(parsed, q.NotApplicable):
            reason = parsed.reason
            while not reason:
                reason = self.ask("Why does it not apply? (a short reason)").strip()
                if reason.lower() in self.q.HELP_WORDS:
                    self.say("A reason is needed when a question does not apply, e.g. \"no "
                             "mission in that region\"; it is shown in the report.", "dim")
                    reason = ""
                    continue
                if not reason:
                    self.problem("a reason is needed for n/a, e.g. \"no mission in that "
                                 "region\"")
            self.draft.set_na(c.id, reason)
            self.save()
            return "next"
        self.draft.set_value(c.id, parsed.key, parsed.value)
        self.save()
        self.evidence(c)
        self.target(c)
        return "next"

    def indicators(self, c: Any) -> bool:
        """Ask each indicator in turn, yes or no; Enter keeps the answer there is (or
        leaves it unanswered). False on `quit`."""
        q = self.q
        r = self.draft.rubric
        self.say("Each statement: yes if it holds, no if not; Enter keeps what is there "
                 "(or leaves it unanswered); quit stops.", "dim")
        for lv, ind in c.indicator_list():
            now = self.draft.indicator(c.id, ind.id)
            while True:
                text = self.ask(f"level {lv} ({r.level_name(lv)}): {ind.text} Yes or no",
                                None if now is None else ("yes" if now else "no")).strip()
                low = text.lower()
                if low == "quit":
                    return False
                if low in q.HELP_WORDS:
                    self.help(c)
                    continue
                if not text:
                    break
                try:
                    self.draft.set_indicator(c.id, ind.id, q.parse_met(text))
                except q.AnswerError as e:
                    self.problem(e.message)
                    continue
                self.save()
                break
        self.say(f"The answer is now {self.draft.current_text(c)}.", "dim")
        return True

    def evidence(self, c: Any) -> None:
        have = self.draft.evidence(c.id)
        if have:
            self.say("Evidence so far:")
            for e in have:
                self.say(f"  - {e}")
            self.say("Add more evidence, one per line (type `clear` first to replace it); "
                     "an empty line ends.", "dim")
        else:
            self.say("Evidence (links or text), one per line; an empty line ends.", "dim")
        while True:
            line = self.ask("Evidence").strip()
            if not line:
                return
            if line.lower() in self.q.HELP_WORDS:
                self.help(c)
                continue
            if line.lower() == "clear":
                have = []
            elif self.looks_like_answer(c, line):
                if self.changes_answer(c, line):
                    continue
                have = have + self.q.split_evidence(line)
            elif self.bare_answer(line):
                self.problem(f"`{line}` looks like an answer, not evidence, so it is not kept "
                             f"(this question takes {self.q.allowed(self.draft.rubric, c)}; "
                             "to change an answer, type `back` at the next question). Type "
                             "evidence, or press Enter to go on.")
                continue
            else:
                have = have + self.q.split_evidence(line)
            self.draft.set_evidence(c.id, have)
            self.save()

    def looks_like_answer(self, c: Any, line: str) -> bool:
        """A bare answer (``3``, ``yes``, ``n/a``) typed at the evidence prompt, which
        is never evidence: a person answering, one prompt too late."""
        q = self.q
        try:
            parsed = q.parse_answer(self.draft.rubric, c, line)
        except q.AnswerError:
            return False
        return isinstance(parsed, q.Value | q.NotApplicable) and len(line.split()) <= 2

    def bare_answer(self, line: str) -> bool:
        """A lone number, yes/no or n/a: an answer's shape, never a piece of evidence."""
        q = self.q
        t = line.strip().lower()
        if t in q.YES or t in q.NO or q.is_na(t) or t in q.NONE_WORDS:
            return True
        try:
            q.parse_number(t)
        except q.AnswerError:
            return False
        return True

    def changes_answer(self, c: Any, line: str) -> bool:
        """Ask whether ``line`` was meant as the answer; True when it replaced it."""
        q = self.q
        while True:
            yes = self.ask(f"`{line}` looks like an answer, not evidence. Make it the answer "
                           "(yes), or keep it as evidence (no)?").strip().lower()
            if yes in q.YES or yes in q.NO:
                break
            self.problem("type yes or no")
        if yes in q.NO:
            return False
        parsed = q.parse_answer(self.draft.rubric, c, line)
        if isinstance(parsed, q.NotApplicable):
            self.draft.set_na(c.id, parsed.reason or "not applicable")
        else:
            self.draft.set_value(c.id, parsed.key, parsed.value)
        self.save()
        self.say(f"The answer is now {self.draft.current_text(c)}; go on with the evidence "
                 "(an empty line ends).", "dim")
        return True

    def target(self, c: Any) -> None:
        r = self.draft.rubric
        if not c.reachable_levels(r.levels):
            return  # no levels: it aims at the top of its own scale
        current = self.draft.target(c.id)
        if "target" not in self.explained:
            self.explained.add("target")
            self.say(f"Target: {TARGET_HELP}", "dim")
        while True:
            keep = (f"Enter keeps {current}" if current is not None
                    else f"Enter for {self.default_target(c)}, the default")
            text = self.ask(f"Target level ({r.lowest}-{r.highest}; {keep})",
                            None if current is None else str(current)).strip()
            if not text:
                return
            if text.lower() in self.q.HELP_WORDS:
                self.help(c)
                continue
            try:
                self.draft.set_target(c.id, self.q.parse_target(r, text))
            except self.q.AnswerError as e:
                self.problem(e.message)
                continue
            self.save()
            return

    def run(self) -> bool:
        """Walk the questions; True when the end was reached, False on `quit`."""
        walk = self.walk
        while walk.current is not None:
            action = self.criterion(walk.current)
            if action == "quit":
                return False
            if action == "back":
                if not walk.back():
                    self.problem("this is the first question; there is nothing before it")
                continue
            walk.advance()
        return True


def _start(rubric_arg: str, output: Path, review: bool):
    """Load the file to resume, or ask for the details of a new one."""
    from cyberdip.formats import documents
    from cyberdip.formats import questionnaire as q

    path = documents.resolve_rubric(rubric_arg)
    rubric = documents.rubric_at(path)
    if output.exists():
        if output.is_dir():
            fail("is a directory; give a file name", path=output)
        if path.exists() and os.path.samefile(output, path):  # by device and inode
            fail("this is the rubric; choose another output name", path=output)
        # refuses an invalid file, with located errors
        checked = documents.load_assessment(str(output))
        report_problems(checked.warnings)
        if checked.rubric is not None and checked.rubric.id != rubric.id:
            fail(f"answers the rubric `{checked.rubric.id}`, not `{rubric.id}`; "
                 "choose another output file", 1, path=output)
        from cyberdip import yamlio

        data = yamlio.load(output).data  # the plain mapping, so nothing in it is dropped
        draft = q.Draft(rubric, data)
        left = len(draft.unanswered())
        if review:
            err(f"reviewing {output}: every answer is shown; press Enter to keep it")
        elif left:
            err(f"resuming {output}: {left} of {len(draft.asked())} criteria to answer")
        else:
            err(f"{output}: every criterion is answered; use --review to change answers")
        return draft, False
    if review:
        fail("no such file to review; run without --review to start it", path=output)
    return None, True


@app.command(cls=Command, short_help="Answer a rubric question by question in the terminal.")
@handled
def assess(
    rubric: Annotated[str, typer.Argument(metavar="RUBRIC",
                                          help="A built-in rubric id or a rubric file.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help="The assessment file to write (or resume).")],
    review: Annotated[bool, typer.Option(
        "--review", help="Walk through every answer, showing the current one as the "
        "default.")] = False,
) -> None:
    """Answer a rubric question by question in the terminal; saved after every answer.

    Run it again on the same file to resume at the first unanswered question.

    \b
    Example:
      cyberdip assess cyberdip-core -o berlin.yaml
    """

    if not sys.stdin.isatty():
        fail("`cyberdip assess` asks questions and needs a terminal, but its input is not "
             "one. To answer from a file, use `cyberdip init RUBRIC --format csv` and "
             "`cyberdip import`, or `cyberdip init RUBRIC -o FILE.yaml`", 2)
    check_folder(output)
    with session_lock(output):
        _assess(rubric, output, review)


def _assess(rubric: str, output: Path, review: bool) -> None:
    from cyberdip.formats import documents
    from cyberdip.formats import questionnaire as q

    draft, new = _start(rubric, output, review)
    path = documents.resolve_rubric(rubric)
    r = documents.rubric_at(path)
    if new:
        from cyberdip.textsafe import for_terminal

        con = _console()
        con.print(f"{for_terminal(r.title)} ({r.id} {r.version}): {r.count_criteria()} "
                  "questions. "
                  "Your answers are saved after each one; stop any time and run the same "
                  "command again to continue.")
        try:
            name = ""
            while not name:
                name = read(con, "Organisation (e.g. Ministry of Foreign Affairs)").strip()
            unit = read(con, "Unit or mission (Enter for headquarters)", "",
                        show_default=False).strip()
            period = read(con, "Period (e.g. 2025; Enter to leave out)", "",
                          show_default=False).strip()
            profile = None
            while r.profiles and profile is None:
                names = "; ".join(f"{p.id} ({p.name})" for p in r.profiles)
                said = read(con, f"Whom is it for: {names}? (Enter for "
                            f"{r.default_profile()})", "", show_default=False).strip()
                profile = said or r.default_profile()
                if profile not in r.profile_ids():
                    con.print(f"  ✗ `{for_terminal(profile)}` is not one of "
                              f"{', '.join(r.profile_ids())}", style="red")
                    profile = None
        except EOFError:
            fail("stopped before anything was answered; nothing was written", 1)
        draft = q.Draft.new(r, rubric_ref_for(rubric, path, output), organisation=name,
                            unit=unit or None, period=period or None, profile=profile)
        from cyberdip.yamlio import write_atomic

        write_atomic(output, draft.to_yaml())
    asker = _Asker(draft, output, review)
    try:
        finished = asker.run()
    except _Quit:
        finished = False
    except KeyboardInterrupt:
        answered, na, left = q.summary_of(draft)
        err(f"\ninterrupted: your answers are saved in {output} ({answered} answered, {na} "
            f"not applicable, {left} to go). Run `cyberdip assess {rubric} -o {output}` to "
            "continue.")
        raise typer.Exit(130) from None
    # Every answer was saved as it was given; an untouched file is left as it was.
    answered, na, left = q.summary_of(draft)
    if not finished:
        err(f"saved {output}: {answered} answered, {na} not applicable, {left} to go. "
            f"Run `cyberdip assess {rubric} -o {output}` to continue.")
        raise typer.Exit(0)
    from cyberdip.cli.scorecmd import load_scorecard
    from cyberdip.engine.scoring import DEFAULT_MIN_COVERAGE
    from cyberdip.report import as_text

    card = load_scorecard(str(output), str(path), False, DEFAULT_MIN_COVERAGE)
    out("\n" + as_text.to_text(card, color=_color(sys.stdout)))
    more = (f" {left} question(s) were skipped: run `cyberdip assess {rubric} -o {output}` "
            "again to answer them." if left else "")
    err(f"saved {output}: {answered} answered, {na} not applicable.{more} Next: "
        f"`cyberdip report {output} -o report.html`")


# -- import ------------------------------------------------------------------------------


def read_sheet(src: str):
    """A filled-in questionnaire sheet: an Excel workbook (by its content, or its name)
    or a CSV file, as a ``spreadsheet.Sheet``."""
    from cyberdip import yamlio
    from cyberdip.formats import spreadsheet, workbook

    data = yamlio.read_bytes(src, max_bytes=workbook.MAX_FILE_BYTES)
    if workbook.looks_like_workbook(data) or src.lower().endswith((".xlsx", ".xlsm")):
        return workbook.read(data, src)
    return spreadsheet.parse(data, src)


def sheet_assessment(src: str, rubric: str | None, organisation: str | None, output: Path,
                     force: bool = False):
    """A sheet's assessment data, every problem found in it, and its rubric:
    ``(data, problems, rubric, rubric_path)``. The rubric is ``rubric`` when given, else
    the one the sheet names (relative to the sheet's folder)."""
    from cyberdip.formats import documents, spreadsheet

    sheet = read_sheet(src)
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
    data, problems = spreadsheet.to_assessment(
        sheet, r, rubric_ref_for(ref, path, output), organisation=organisation)
    return data, problems, r, path


@app.command("import", cls=Command,
             short_help="Turn a filled-in workbook or CSV sheet into an assessment.")
@handled
def import_csv(
    csv_file: Annotated[Path, typer.Argument(metavar="SHEET", help="A workbook (.xlsx) or "
                                             "sheet (.csv) made by `cyberdip init` and "
                                             "filled in.")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE", help="The assessment file (YAML) to write; "
        "default: the sheet's name with .yaml, in the sheet's folder.")] = None,
    rubric: Annotated[str | None, typer.Option(
        "--rubric", metavar="RUBRIC", help="The rubric (built-in id or file), when the "
        "sheet's `rubric` row is missing or wrong.")] = None,
    organisation: Annotated[str | None, typer.Option(
        "--organisation", metavar="NAME",
        help="The organisation's name, when the sheet leaves it empty.")]
    = None,
    force: ForceOpt = False,
) -> None:
    """Turn a filled-in questionnaire (Excel workbook or CSV) into an assessment file.

    Every problem is reported at once, at the cell: `berlin.xlsx:Answers!F12: ...` in a
    workbook, `missions.csv:row 14:answer: ...` in a CSV sheet. Nothing is written until
    all are fixed.

    Without -o, the assessment is written beside the sheet, under its name with .yaml
    (berlin.xlsx gives berlin.yaml); like any output, never over an existing file
    without --force.

    \b
    Example:
      cyberdip import berlin.xlsx -o berlin.yaml
    """
    from cyberdip import yamlio
    from cyberdip.formats import documents, spreadsheet

    if output is None:
        output = csv_file.with_suffix(".yaml")
    output_format(output, None, "import", "yaml")  # an assessment, always YAML
    src = str(csv_file)
    # the sheet first: an output aimed at it is refused before anything else is said
    refuse_to_clobber(output, [csv_file], force)
    data, problems, r, path = sheet_assessment(src, rubric, organisation, output, force)
    check_folder(output)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise InvalidInput(problems)
    report_problems(problems)
    text = spreadsheet.to_yaml(data, csv_file.name)
    # The same checks `cyberdip validate` runs, before anything is written.
    doc = yamlio.parse(text.encode("utf-8"), str(output))
    checked = documents.check_assessment(doc, rubric_ref=str(path))
    if checked.errors:
        raise InvalidInput(checked.errors)
    yamlio.write_atomic(output, text)
    answered = sum(1 for a in data["answers"].values() if a)
    profile = data.get("profile") or r.default_profile()
    asked = sum(1 for _, c in r.criteria() if c.applies(profile))
    err(f"wrote {output}: {answered} of {asked} criteria filled in. Next: "
        f"`cyberdip score {output}`")
