"""`cyberdip signoff` and `cyberdip history`: the yearly cycle's record of who approved
which answers, and of every change to them. The statement, its hashes and the history
file live in ``cyberdip.formats.signoff``, ``.digest`` and ``.history``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cyberdip.cli.common import (
    ForceOpt,
    as_of_date,
    command,
    err,
    fail,
    handled,
    out,
    refuse_to_clobber,
    sheet_wordings,
)
from cyberdip.errors import CyberdipError, InvalidInput

DEFAULT_STATEMENT = ("I have reviewed these answers and their evidence, and approve them as "
                     "this assessment.")


def _current(assessment: Path):
    """The assessment checked, with the hashes of its answers and of its rubric file."""
    from cyberdip import yamlio
    from cyberdip.formats import digest, documents

    checked = documents.load_assessment(str(assessment))
    if checked.errors:
        raise InvalidInput(checked.errors)
    data = yamlio.load(assessment).data
    rubric = checked.rubric
    return (checked, digest.answers_sha256(data),
            digest.file_sha256(checked.rubric_path), f"{rubric.id} {rubric.version}")


@command("Sign off an assessment's answers, or check a sign-off.")
@handled
def signoff(
    assessment: Annotated[Path, typer.Argument(metavar="ASSESSMENT",
                                               help="The assessment (YAML) to sign off.")],
    by: Annotated[str | None, typer.Option(
        "--by", metavar="NAME", help="Who signs off (required unless --check).")] = None,
    role: Annotated[str | None, typer.Option(
        "--role", metavar="ROLE", help="Their role, e.g. 'Director, Digital Diplomacy' "
        "(required unless --check).")] = None,
    statement: Annotated[str, typer.Option(
        "--statement", metavar="TEXT", help="What they approve.")] = DEFAULT_STATEMENT,
    date: Annotated[str | None, typer.Option(
        "--date", metavar="YYYY-MM-DD", help="The day of the sign-off; default: today.")]
    = None,
    key: Annotated[Path | None, typer.Option(
        "--key", metavar="PRIVATE_KEY", help="Also sign the statement with this SSH key "
        "(ssh-keygen -Y sign, namespace cyberdip), into ASSESSMENT's .signoff.sig.")] = None,
    check: Annotated[bool, typer.Option(
        "--check", help="Check the sign-off beside ASSESSMENT instead: exit 0 when it "
        "still holds, 1 when an answer or the rubric changed since.")] = False,
    allowed_signers: Annotated[Path | None, typer.Option(
        "--allowed-signers", metavar="FILE", help="With --check: an SSH allowed-signers "
        "file; the signature must be by a key it lists.")] = None,
    force: ForceOpt = False,
) -> None:
    """Record who approved an assessment's answers, bound to their content.

    Writes a small statement beside the assessment (`berlin.signoff` beside
    `berlin.yaml`): who, their role, the day, what they approve, and the SHA-256 of the
    answers and of the rubric file. Any later change to an answer or to the rubric
    voids it, and every report says so. Updating an action plan's owner, due date or
    status does not.

    Without --key the sign-off records an approval but proves nothing about who made
    it: anyone who can edit the files can write one. With --key it is signed with an
    SSH key, and anyone holding an allowed-signers file can check who signed it, with
    `cyberdip signoff --check --allowed-signers FILE` or with ssh-keygen alone:
    `ssh-keygen -Y verify -f FILE -I PRINCIPAL -n cyberdip -s berlin.signoff.sig <
    berlin.signoff`.

    \b
    Example:
      cyberdip signoff berlin.yaml --by "A. Khan" --role "Director" --key ~/.ssh/id_ed25519
      cyberdip signoff berlin.yaml --check --allowed-signers allowed_signers
    """
    from cyberdip.formats import signoff as so

    if check:
        _check(assessment, allowed_signers)
        return
    if by is None or role is None:
        fail("give --by NAME and --role ROLE (or --check to check a sign-off)", 2)
    if allowed_signers is not None:
        fail("--allowed-signers goes with --check", 2)
    who, what = so.clean_text(by, "name (--by)"), so.clean_text(role, "role (--role)")
    text = so.clean_text(statement, "statement")
    day = _day(date)
    checked, answers, rubric_sha, rubric = _current(assessment)
    record = so.SignOff(assessment.name, answers, rubric, rubric_sha, who, what, day, text)
    target, sig_target = so.signoff_path(assessment), so.signature_path(assessment)
    body = record.text().encode("utf-8")
    signature = so.sign(body, key) if key is not None else None
    from cyberdip import yamlio
    from cyberdip.formats import history

    refuse_to_clobber(target, [assessment], force)
    if signature is not None:
        refuse_to_clobber(sig_target, [assessment], force)
    yamlio.write_atomic(target, body)
    if signature is not None:
        yamlio.write_atomic(sig_target, signature)
    elif sig_target.exists() and force:
        sig_target.unlink()  # an older signature is of another statement
    history.append(history.history_path(assessment), [
        {"at": history.now(), "by": who, "command": "signoff", "criterion": None,
         "from": None, "to": {"answers-sha256": answers, "rubric-sha256": rubric_sha,
                              "role": what, "date": day, "signed": signature is not None}}])
    err(f"wrote {target}{' and ' + str(sig_target) if signature is not None else ''}: "
        f"signed off by {who} ({what}) on {day}"
        + ("" if signature is not None else "; not signed with a key (see --key)"))


def _day(date: str | None) -> str:
    import datetime as dt

    from cyberdip.formats import signoff as so

    if date is None:
        return so.today()
    try:
        return dt.date.fromisoformat(date.strip()).isoformat()
    except ValueError:
        fail(f"--date `{date[:40]}` is not a date: write it as YYYY-MM-DD", 2)


def _check(assessment: Path, allowed_signers: Path | None) -> None:
    from cyberdip.formats import signoff as so

    path = so.signoff_path(assessment)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CyberdipError("no sign-off beside this assessment (`cyberdip signoff` records "
                            "one)", path=str(path), code="CD712", exit_code=1) from None
    record = so.parse(data, str(path))
    _, answers, rubric_sha, _ = _current(assessment)
    status = so.status(record, answers, rubric_sha)
    sig = so.signature_path(assessment)
    if allowed_signers is not None:
        if not sig.exists():
            raise CyberdipError("the sign-off is not signed with a key, so there is no "
                                "signature to check", path=str(path), code="CD704")
        status.signer = so.verify(data, sig, allowed_signers)
    elif sig.exists():
        status.notes.append("signed with a key; give --allowed-signers FILE to check who "
                            "signed")
    out(status.line() + "\n")
    for note in status.notes:
        err(f"note: {note}")
    if not status.holds:
        raise typer.Exit(1)


@command("Show the history of an assessment's answers.")
@handled
def history(
    assessment: Annotated[Path, typer.Argument(metavar="ASSESSMENT",
                                               help="The assessment (YAML).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the entries as JSON "
                                          "Lines, as the file holds them.")] = False,
) -> None:
    """Show who changed which answer, when, with which command, from what to what.

    `assess`, `import`, `merge` and `signoff` append to a history file beside the
    assessment (`berlin.history.jsonl` beside `berlin.yaml`); entries are never
    rewritten. Each entry holds the hash of the one before it, so a removed or edited
    entry shows as a break: the command then exits 1, naming the line.

    \b
    Example:
      cyberdip history berlin.yaml
    """
    from cyberdip.formats import history as h

    path = h.history_path(assessment)
    if not path.is_file():
        raise CyberdipError("no history beside this assessment yet (`import`, `merge`, "
                            "`assess` and `signoff` start one when they write or sign its "
                            "answers)", path=str(path), code="CD711", exit_code=1)
    entries = h.read(path)
    broken = [e.line for e in entries if e.data is None or not e.chained]
    if as_json:
        from cyberdip.textsafe import json_dumps

        out("".join(json_dumps(e.data, line=True) + "\n" for e in entries
                    if e.data is not None))
    else:
        out("".join(_entry_line(e.data) + "\n" for e in entries if e.data is not None))
    if broken:
        err(f"{path}:{broken[0]}: error[CD705]: the history is damaged or was edited at "
            f"line {broken[0]} ({len(broken)} line(s) in all): entries are never "
            "rewritten, so compare it with a backup")
        raise typer.Exit(1)


def _show(value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, dict) and set(value) <= {"level", "evidence", "notes", "target"} \
            and "level" in value:
        return f"level {value['level']}"
    if isinstance(value, dict) and "met" in value and len(value) == 1:
        return "met" if value["met"] else "not met"
    if isinstance(value, dict) and "value" in value and len(value) == 1:
        return str(value["value"])
    return json.dumps(value, ensure_ascii=False, sort_keys=True)[:120]


def _entry_line(e: dict) -> str:
    what = e.get("criterion") or "(the whole assessment)"
    if e.get("command") == "signoff":
        to = e.get("to") or {}
        return (f"{e.get('at')}  {e.get('by')}  signoff  signed off as "
                f"{to.get('role')} on {to.get('date')}"
                + (", with a key" if to.get("signed") else ""))
    return (f"{e.get('at')}  {e.get('by')}  {e.get('command')}  {what}: "
            f"{_show(e.get('from'))} -> {_show(e.get('to'))}")


#: What `status` reads in a cycle's folder, and at most how many files.
_ANSWER_SUFFIXES = (".yaml", ".yml", ".xlsx", ".csv")
_MAX_FILES = 500


def _cycle_files(folder: Path, manifest_path: Path, rubric) -> list[tuple[str, dict]]:
    """Every questionnaire or assessment in ``folder`` that names a section, read as
    assessment data; a file that cannot be read is noted and left out."""
    from cyberdip import yamlio
    from cyberdip.formats import spreadsheet, workbook

    found = []
    names = sorted(p for p in folder.iterdir() if p.suffix.lower() in _ANSWER_SUFFIXES
                   and p.is_file() and p.resolve() != manifest_path.resolve())
    for path in names[:_MAX_FILES]:
        try:
            if path.suffix.lower() in (".yaml", ".yml"):
                data = yamlio.load(path).data
            else:
                wordings = sheet_wordings()
                sheet = workbook.read_sheet(str(path), wordings)
                if "section" not in sheet.meta:
                    continue
                data, _ = spreadsheet.to_assessment(sheet, rubric, rubric.id,
                                                    wording=wordings.get(sheet.language))
        except CyberdipError as e:
            err(f"note: {path.name} left out: {e.message[:120]}")
            continue
        if isinstance(data, dict) and data.get("section"):
            found.append((path.name, data))
    if len(names) > _MAX_FILES:
        err(f"note: only the first {_MAX_FILES} files of {folder} were read")
    return found


@command("Which sections of a cycle are back, missing, or to re-confirm.")
@handled
def status(
    target: Annotated[Path, typer.Argument(
        metavar="CYCLE", help="The cycle manifest (cycle.yaml), or the folder holding it.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")]
    = False,
) -> None:
    """Show which sections of a cycle are back, which are missing, and how many answers
    each holds that were carried forward and still need re-confirming.

    Reads the cycle manifest `init --respondent` wrote, and every questionnaire or
    assessment (.xlsx, .csv, .yaml) in its folder that names a section. A section is
    back when such a file holds an answer its respondent gave or confirmed; a
    questionnaire still as it was sent is not. Exit 0 whatever the status.

    \b
    Example:
      cyberdip status cycle.yaml
      cyberdip status . --json
    """
    from cyberdip.formats import cycle as cy

    path = target / "cycle.yaml" if target.is_dir() else target
    if not path.is_file():
        raise CyberdipError("no cycle manifest here (`cyberdip init --respondent NAME` starts "
                            "one)", path=str(path), code="CD002", exit_code=2)
    manifest = cy.load_manifest(str(path))
    rubric = cy.manifest_rubric(manifest, str(path))
    folder = path.parent if str(path.parent) else Path(".")
    sections = cy.section_status(manifest, _cycle_files(folder, path, rubric))
    missing = [s.respondent for s in sections if not s.back]
    if as_json:
        from cyberdip.textsafe import json_dumps

        out(json_dumps({"manifest": str(path), "rubric": rubric.id,
                        "rubric_version": rubric.version,
                        "sections": [s.as_json() for s in sections],
                        "back": len(sections) - len(missing), "missing": missing,
                        "to_confirm": sum(len(s.to_confirm) for s in sections)}) + "\n")
        return
    out(_status_text(rubric, sections, missing))


def _status_text(rubric, sections, missing: list[str]) -> str:
    from cyberdip.textsafe import for_terminal

    width = max((len(for_terminal(s.respondent)) for s in sections), default=0)
    lines = [f"{len(sections)} sections of {rubric.id} {rubric.version}: "
             f"{len(sections) - len(missing)} back, {len(missing)} missing."]
    for s in sections:
        who = for_terminal(s.respondent).ljust(width)
        if s.back:
            lines.append(f"  back     {who}  {for_terminal(s.file or '')}: {s.answered} "
                         "answered or confirmed" + (f", {len(s.to_confirm)} carried to re-confirm"
                                       if s.to_confirm else ""))
        else:
            lines.append(f"  MISSING  {who}  (sent as {for_terminal(s.sent)})")
    waiting = [s for s in sections if s.to_confirm]
    if waiting:
        lines += ["", "Carried forward, still to re-confirm:"]
        lines += [f"  {for_terminal(s.respondent)}: " + ", ".join(s.to_confirm)
                  for s in waiting]
    return "\n".join(lines) + "\n"


@command("Export the action plan as CSV or a workbook (POA&M).")
@handled
def plan(
    assessment: Annotated[Path, typer.Argument(metavar="ASSESSMENT",
                                               help="The assessment (YAML).")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE", help="The plan to write: .csv, or .xlsx for a "
        "one-sheet workbook; without it, CSV on stdout. An existing file is replaced only "
        "with --force; an input file never is.")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="YYYY-MM-DD", callback=as_of_date, help="Judge overdue actions "
        "against this day instead of the assessment's `date`.")] = None,
    rubric: Annotated[str | None, typer.Option(
        "--rubric", metavar="RUBRIC", help="Score against this rubric (built-in id or "
        "file) instead of the one the assessment names.")] = None,
    force: ForceOpt = False,
) -> None:
    """Write the action plan on its own, in the shape a plan of action and milestones
    (POA&M) takes: one row per criterion below its target or with an action written,
    with the weakness (level now against the target), the action (the ministry's own,
    or the rubric's recommendation), owner, due date, status, whether it is overdue,
    and the milestone (the level to reach, by the due date).

    Overdue is judged against --as-of, else the assessment's `date`; with neither it
    is not judged, and the rows say so. A due date may be a day (2026-06-30) or a
    period (2026-Q2, 2026-H1, 2026-06, 2026), due on its last day.

    \b
    Example:
      cyberdip plan berlin.yaml -o berlin-plan.csv
      cyberdip plan berlin.yaml --as-of 2026-09-30 -o berlin-plan.xlsx
    """
    from cyberdip.cli.common import check_folder, load_checked_scorecard
    from cyberdip.engine import plan as planning
    from cyberdip.engine.scoring import DEFAULT_MIN_COVERAGE
    from cyberdip.formats import poam

    kind = "csv"
    if output is not None and str(output) != "-":
        suffix = output.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            what = f"`{suffix}`" if suffix else "no extension"
            raise CyberdipError(f"{what}: `cyberdip plan` writes .csv, .xlsx; name the file "
                                "accordingly", path=str(output), code="CD404", exit_code=2)
        kind = suffix[1:]
        refuse_to_clobber(output, [assessment], force)  # early, before any work
        check_folder(output)
    # --as-of is a date already: the shared option's callback checked it, as for score
    _, card = load_checked_scorecard(str(assessment), rubric, False, DEFAULT_MIN_COVERAGE,
                                     as_of=as_of)
    items, when = card.plan, card.plan_as_of
    title = f"Action plan: {card.organisation.name}"[:200]
    data = (poam.plan_xlsx(items, when, title) if kind == "xlsx"
            else poam.plan_csv(items, when))
    n = planning.summary(items)
    said = (f"{n['actions']} action(s), {n['overdue']} overdue"
            + (f" as of {when}" if when else " (overdue not judged: no date; give --as-of)")
            + f", {n['without_owner']} without an owner")
    if output is None or str(output) == "-":
        out(data.decode("utf-8-sig").replace("\r\n", "\n"))
        err(f"the plan: {said}")
        return
    from cyberdip import yamlio

    refuse_to_clobber(output, [assessment], force)  # again, now the rubric has been read
    yamlio.write_atomic(output, data)
    err(f"wrote {output}: {said}")


COMMANDS = (signoff, history, status, plan)
