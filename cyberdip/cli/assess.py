"""`cyberdip assess`: a guided questionnaire in the terminal, for people who don't
write YAML. The questionnaire's logic lives in ``cyberdip.formats.questionnaire`` and the
session's in ``cyberdip.cli.asker``; this module starts, resumes and ends a session.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from cyberdip.cli.common import (
    _color,
    check_folder,
    command,
    console,
    err,
    fail,
    handled,
    load_scorecard,
    out,
    questionnaire_languages,
    questionnaire_wording,
    report_problems,
    rubric_ref_for,
    write_answers,
)


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
        carried = sum(draft.carried(c.id) for c in draft.asked())
        if review:
            err(f"reviewing {output}: every answer is shown; press Enter to keep it")
        elif left or carried:
            err(f"resuming {output}: {left} of {len(draft.asked())} criteria to answer"
                + (f", {carried} carried forward to re-confirm" if carried else ""))
        else:
            err(f"{output}: every criterion is answered; use --review to change answers")
        return draft, False
    if review:
        fail("no such file to review; run without --review to start it", path=output)
    return None, True


@command("Answer a rubric question by question in the terminal.")
@handled
def assess(
    rubric: Annotated[str, typer.Argument(metavar="RUBRIC",
                                          help="A built-in rubric id or a rubric file.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help="The assessment file to write (or resume).")],
    review: Annotated[bool, typer.Option(
        "--review", help="Walk through every answer, showing the current one as the "
        "default.")] = False,
    plan: Annotated[bool, typer.Option(
        "--plan", help="Also ask, for each criterion below its target, for its action "
        "plan: the action, owner, due date and status (each optional; Enter skips). With "
        "--review, for a file already answered.")] = False,
    lang: Annotated[str, typer.Option(
        "--lang", metavar="LANG", help="The language of the questions and prompts: en or "
        "ur (Urdu). What you type stays the same: numbers, y or n (or ہاں, نہیں), n/a, "
        "skip, back, quit.")] = "en",
) -> None:
    """Answer a rubric question by question in the terminal; saved after every answer.

    Run it again on the same file to resume at the first unanswered question.
    With --lang ur the questions and prompts are in Urdu.

    \b
    Example:
      cyberdip assess cyberdip-core -o berlin.yaml
      cyberdip assess cyberdip-core -o berlin.yaml --review --plan
    """

    if lang not in questionnaire_languages():
        fail(f"--lang {lang}: a questionnaire is written in one of "
             f"{', '.join(questionnaire_languages())}", 2)
    if not sys.stdin.isatty():
        fail("`cyberdip assess` asks questions and needs a terminal, but its input is not "
             "one. To answer from a file, use `cyberdip init RUBRIC --format csv` and "
             "`cyberdip import`, or `cyberdip init RUBRIC -o FILE.yaml`", 2)
    from cyberdip.cli.asker.lock import session_lock

    check_folder(output)
    with session_lock(output):
        _assess(rubric, output, review, plan, lang)


def _assess(rubric: str, output: Path, review: bool, plan: bool = False,
            lang: str = "en") -> None:
    from cyberdip.cli.asker.prompt import Quit, read
    from cyberdip.cli.asker.session import Asker
    from cyberdip.formats import documents
    from cyberdip.formats import questionnaire as q

    draft, new = _start(rubric, output, review)
    path = documents.resolve_rubric(rubric)
    r = documents.rubric_at(path)
    w = questionnaire_wording(r, path, lang)
    t = w.t
    if new:
        from cyberdip.textsafe import for_terminal

        con = console()
        if w.english:
            con.print(f"{for_terminal(r.title)} ({r.id} {r.version}): {r.count_criteria()} "
                      "questions. "
                      "Your answers are saved after each one; stop any time and run the same "
                      "command again to continue.")
        else:
            con.print(f"{for_terminal(w._r('rubric_title', r.title))} ({r.id} {r.version}): "
                      + t("%(n)s questions. Your answers are saved after each one; stop any "
                          "time and run the same command again to continue.")
                      % {"n": r.count_criteria()})
        try:
            name = ""
            while not name:
                name = read(con, t("Organisation (e.g. Ministry of Foreign Affairs)")).strip()
            unit = read(con, t("Unit or mission (Enter for headquarters)"), "",
                        show_default=False).strip()
            period = read(con, t("Period (e.g. 2025; Enter to leave out)"), "",
                          show_default=False).strip()
            profile = None
            while r.profiles and profile is None:
                names = "; ".join(f"{p.id} ({w._r('profile', p.id, p.name)})"
                                  for p in r.profiles)
                said = read(con, t("Whom is it for: %(names)s? (Enter for %(default)s)")
                            % {"names": names, "default": r.default_profile()}, "",
                            show_default=False).strip()
                profile = said or r.default_profile()
                if profile not in r.profile_ids():
                    con.print(f"  ✗ `{for_terminal(profile)}` is not one of "
                              f"{', '.join(r.profile_ids())}", style="red")
                    profile = None
        except EOFError:
            fail("stopped before anything was answered; nothing was written", 1)
        draft = q.Draft.new(r, rubric_ref_for(rubric, path, output), organisation=name,
                            unit=unit or None, period=period or None, profile=profile)
        write_answers(output, draft.to_yaml(), "assess")
    asker = Asker(draft, output, review, plan, w)
    try:
        finished = asker.run()
    except Quit:
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
    from cyberdip.engine.scoring import DEFAULT_MIN_COVERAGE
    from cyberdip.report import as_text

    card = load_scorecard(str(output), str(path), False, DEFAULT_MIN_COVERAGE)
    out("\n" + as_text.to_text(card, color=_color(sys.stdout)))
    more = (f" {left} question(s) were skipped: run `cyberdip assess {rubric} -o {output}` "
            "again to answer them." if left else "")
    err(f"saved {output}: {answered} answered, {na} not applicable.{more} Next: "
        f"`cyberdip report {output} -o report.html`")


COMMANDS = (assess,)
