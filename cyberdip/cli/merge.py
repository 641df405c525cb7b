"""`cyberdip merge`: several respondents' answers, one consensus assessment.

The rules are ``cyberdip.engine.merge``'s; this module reads the inputs (assessments,
workbooks or CSV sheets), shows where respondents agree and disagree, and writes.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from cyberdip.cli.common import (
    ForceOpt,
    check_folder,
    command,
    err,
    fail,
    handled,
    out,
    output_format,
    progress,
    refuse_to_clobber,
    report_problems,
    rubric_ref_for,
    sheet_assessment,
    tracked,
    write_answers,
)
from cyberdip.errors import CyberdipError, InvalidInput, Problem
from cyberdip.textsafe import display_name, quote


class Rule(str, Enum):
    median = "median"
    lowest = "lowest"


SHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv")


def _is_sheet(path: Path) -> bool:
    if path.suffix.lower() in SHEET_SUFFIXES:
        return True
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _load(path: Path, output: Path, force: bool = False) -> tuple[Any, Path, list[Problem]]:
    """One respondent's checked assessment, its rubric's path, and its warnings."""
    from cyberdip import yamlio
    from cyberdip.formats import documents, spreadsheet

    src = str(path)
    if not _is_sheet(path):
        checked = documents.load_assessment(src)
        return checked, Path(checked.rubric_path), checked.warnings
    data, problems, _, rubric_path = sheet_assessment(src, None, None, output, force)
    if any(p.level == "error" for p in problems):
        raise InvalidInput(problems)
    doc = yamlio.parse(spreadsheet.to_yaml(data, path.name).encode("utf-8"), src)
    checked = documents.check_assessment(doc, rubric_ref=str(rubric_path))
    if checked.errors:
        raise InvalidInput(checked.errors)
    return checked, rubric_path, problems


def _file_key(path: Path) -> object:
    """What identifies a file whatever its name: its device and inode (another
    spelling, a symbolic or a hard link give the same); its path when it cannot be read."""
    import os

    try:
        st = os.stat(path)
    except OSError:
        return str(path)
    return (st.st_dev, st.st_ino)


def _problems(found: list[Any], people: list[tuple[str, Path, Any]]) -> list[Problem]:
    """The engine's findings about the respondents, located at each one's file."""
    return [Problem(str(people[f.who][1]) if f.who is not None else "", 0, 0, f.level,
                    f.code, f.message) for f in found]


def _name(checked: Any, path: Path, taken: set[str]) -> str:
    """Who answered: the assessors the file names, else the file's name (a byte of it
    that is not UTF-8 shown as ``\\xff``, so the consensus can name it)."""
    a = checked.assessment
    name = ", ".join(a.assessors) if a.assessors else display_name(path.stem)
    if name in taken:
        name = f"{name} ({display_name(path.name)})"
    n = 2
    base = name
    while name in taken:
        name, n = f"{base} {n}", n + 1
    taken.add(name)
    return name


def _located(checked: Any, key: str) -> tuple[str, int, int]:
    from cyberdip import yamlio

    try:
        doc = yamlio.load(checked.path)
        line, col = doc.locate((key,))
    except CyberdipError:
        line = col = 0
    return checked.path, line, col


def agreement_text(merged: Any, rubric: Any, files: list[tuple[str, Path]]) -> str:
    """Per criterion: agree or disagree, the spread, the merged answer, and each
    respondent's answer and evidence."""
    from cyberdip.model.assessment import evidence_text
    from cyberdip.textsafe import for_terminal

    width = max(len(for_terminal(n)) for n, _ in files)
    m = merged.data["merged_from"]
    lines = [f"{len(files)} respondents: "
             + ", ".join(f"{for_terminal(n)} ({for_terminal(p.name)})" for n, p in files)
             + f". Rule: {m['rule']}"
             + (f"; a spread above {m['discuss_above']} needs discussion"
                if m.get("discuss_above") is not None else "") + ".", ""]
    for o in merged.outcomes:
        if o.merged_level is not None:
            merged_answer = next(g.said() for g in o.given if g.level == o.merged_level)
        else:
            merged_answer = "n/a" if o.how == "all n/a" else "not answered"
        if o.spread is None:
            state = "no levels given" if o.how == "not answered" else "all n/a"
        elif o.spread == 0:
            state = "agree"
        else:
            state = f"DISAGREE (spread {o.spread})"
        flag = ", NEEDS DISCUSSION" if o.needs_discussion else ""
        lines.append(f"{o.id}: {state} -> {merged_answer}{flag}")
        for g in o.given:
            ev = "; ".join(evidence_text(e) for e in g.answer.evidence) \
                if g.answer is not None else ""
            lines.append((f"  {for_terminal(g.name):<{width}}  {g.said():<5}"
                          + (f"  {for_terminal(ev)}" if ev else "")).rstrip())
    agree = sum(1 for o in merged.outcomes if o.spread == 0)
    differ = len(merged.disagreements)
    discuss = sum(1 for o in merged.outcomes if o.needs_discussion)
    none = sum(1 for o in merged.outcomes if o.spread is None)
    lines += ["", f"{len(merged.outcomes)} criteria: {agree} agree, {differ} disagree"
              f" ({discuss} need discussion), {none} with no level given."]
    return "\n".join(lines) + "\n"


def _missing_sections(cycle: Path | None, output: Path, rubric: Any, people: list,
                      warnings: list[Problem]) -> list[str]:
    """The sections the cycle manifest lists that none of the answers is (by its
    `section:`, else its respondents' names), each with a warning (CD707)."""
    from cyberdip.formats import cycle as cy

    path = cycle if cycle is not None else output.parent / "cycle.yaml"
    if cycle is None and not path.is_file():
        return []
    manifest = cy.load_manifest(str(path))
    theirs = cy.manifest_rubric(manifest, str(path)).id
    if theirs != rubric.id:
        raise InvalidInput([Problem(str(path), 0, 0, "error", "CD706",
                                    f"this cycle is of `{theirs}`, but the answers "
                                    f"are to `{rubric.id}`; give the cycle's manifest with "
                                    "--cycle")])
    back = set()
    for name, _, checked in people:
        a = checked.assessment
        back.update([a.section] if a.section else [name, *a.assessors])
    missing = [n for n in manifest.names() if n not in back]
    for n in missing:
        warnings.append(Problem(str(path), 0, 0, "warning", "CD707",
                                f"the section for `{n}` was sent but is not among the answers "
                                "merged: its questions stay unanswered (recorded in the "
                                "merged file's `merged_from.missing_sections`)"))
    return missing


@command("Merge several respondents' answers into one consensus.")
@handled
def merge(
    inputs: Annotated[list[Path], typer.Argument(
        metavar="ANSWERS...", help="Two or more respondents' answers to the same rubric: "
        "assessments (.yaml), or workbooks (.xlsx) and sheets (.csv) as `import` reads "
        "them.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help="The consensus assessment (YAML) to write.")],
    rule: Annotated[Rule, typer.Option(
        "--rule", help="median: the middle level given (the lower middle one for an even "
        "count); lowest: the lowest level given.")] = Rule.median,
    discuss_above: Annotated[int | None, typer.Option(
        "--discuss-above", min=0, metavar="N", help="Mark a criterion 'needs discussion' "
        "when the levels given differ by more than N; its merged answer is then the lowest "
        "level given.")] = None,
    force: ForceOpt = False,
    marking: Annotated[str | None, typer.Option(
        "--marking", metavar="TEXT", help="The consensus's protective marking (e.g. "
        "TLP:AMBER), when the respondents declared different markings that cannot be "
        "ranked; by default the strictest TLP label any respondent declared is kept.")
    ] = None,
    cycle: Annotated[Path | None, typer.Option(
        "--cycle", metavar="FILE", help="The cycle manifest `init --respondent` wrote: "
        "sections it lists that are not among ANSWERS are reported missing. Default: "
        "cycle.yaml in the output's folder, when there is one.")] = None,
) -> None:
    """Merge several respondents' answers into one consensus assessment.

    Shows, for every criterion, whether the respondents agree, the spread of their
    levels and each one's answer and evidence; writes the consensus, which keeps who
    said what (each answer's `respondents`) and scores and reports like any assessment.
    The report shows the spread for every criterion where they disagree. The
    consensus keeps the strictest marking, `illustrative` when any respondent has it,
    the latest date and everyone's notes. Each file counts once; respondents of
    different units or profiles are not merged.

    \b
    Example:
      cyberdip merge ana.xlsx bo.xlsx chen.yaml -o consensus.yaml --discuss-above 1
    """
    from cyberdip import yamlio
    from cyberdip.engine.merge import merge as merge_answers
    from cyberdip.formats import documents
    from cyberdip.formats.blank import comment_lines

    output_format(output, None, "merge", "yaml")  # an assessment, always YAML
    if len(inputs) < 2:
        fail("give two or more respondents' answers to merge (ANSWERS...)", 2)
    from cyberdip.engine.merge import MAX_RESPONDENTS, check_respondents

    if len(inputs) > MAX_RESPONDENTS:  # before reading thousands of files
        fail(f"{len(inputs)} respondents' answers were given; a merge takes at most "
             f"{MAX_RESPONDENTS}: merge them in groups, or check the file list", 2)
    loaded: list[tuple[Path, Any, Path]] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    bar = progress("respondents' files", after=0, at_least=20)
    for path in tracked(inputs, len(inputs), bar):  # every file's problems, not the first's
        try:
            checked, rubric_path, found = _load(path, output, force)
        except InvalidInput as e:
            problems.extend(e.problems)
            continue
        except CyberdipError as e:
            if e.exit_code == 2:
                raise
            problems.append(e.problem() if e.path else Problem(str(path), 0, 0, "error",
                                                                 e.code, e.message))
            continue
        warnings.extend(found)
        loaded.append((path, checked, rubric_path))
    if problems:
        raise InvalidInput(problems)
    first_path, first, rubric_path = loaded[0]
    rubric = first.rubric
    names: set[str] = set()
    people = [(_name(checked, path, names), path, checked) for path, checked, _ in loaded]
    version = first.assessment.rubric_version or rubric.version
    for name, _path, checked in people[1:]:
        if checked.rubric.id != rubric.id:
            problems.append(Problem(*_located(checked, "rubric"), "error", "CD310",
                                    f"`{quote(name)}` answered the rubric "
                                    f"`{checked.rubric.id}`, but `{quote(people[0][0])}` "
                                    f"answered `{rubric.id}`; merge answers "
                                    "to one rubric"))
            continue
        theirs = checked.assessment.rubric_version or checked.rubric.version
        if theirs != version or checked.rubric.version != rubric.version:
            problems.append(Problem(*_located(checked, "rubric_version"), "error", "CD319",
                                    f"`{quote(name)}` answered version {quote(theirs)} of "
                                    f"`{rubric.id}`, but `{quote(people[0][0])}` answered "
                                    f"{quote(version)}; merge answers "
                                    "to one version of the rubric"))
    found = check_respondents([(n, c.assessment) for n, _, c in people],
                              [_file_key(p) for _, p, _ in people],
                              people[0][2].rubric.default_profile())
    problems += _problems(found, people)
    if any(p.level == "error" for p in problems):
        raise InvalidInput([p for p in problems if p.level == "error"])
    said = [(c.assessment.disclaimer, p) for _, p, c in people if c.assessment.disclaimer]
    if len({" ".join(d.split()) for d, _ in said}) > 1:
        warnings.append(Problem(str(next(p for d, p in said if d != said[0][0])), 0, 0,
                                "warning", "CD325", "the respondents' disclaimers differ; the "
                                f"merged assessment keeps the first (from {said[0][1].name}). "
                                "Edit `disclaimer:` in the merged file if another should "
                                "stand"))
    missing = _missing_sections(cycle, output, rubric, people, warnings)
    report_problems(warnings + problems)
    refuse_to_clobber(output, [*inputs, *(r for _, _, r in loaded)], force)
    check_folder(output)
    ref = rubric_ref_for(first.assessment.rubric if not _is_sheet(first_path) else
                         (rubric.id if rubric.id in documents.builtin_paths() else
                          str(rubric_path)), rubric_path, output)
    merged = merge_answers(rubric, ref, [(n, c.assessment) for n, _, c in people],
                           rule=rule.value, discuss_above=discuss_above, marking=marking,
                           missing_sections=missing)
    declared = _problems(merged.findings, people)
    if any(p.level == "error" for p in declared):
        raise InvalidInput([p for p in declared if p.level == "error"])
    report_problems(declared)
    head = comment_lines(
        f"Merged by `cyberdip merge` from {len(people)} respondents' answers to "
        f"{rubric.title} ({rubric.id} {rubric.version}): "
        + ", ".join(display_name(p.name) for _, p, _ in people) + f"; rule: {rule.value}"
        + (f", needs discussion above a spread of {discuss_above}"
           if discuss_above is not None else "")
        + ". Each answer keeps every respondent's own under `respondents`.", "")
    text = "\n".join(head) + "\n" + yamlio.dump(merged.data)
    doc = yamlio.parse(text.encode("utf-8"), str(output))
    checked = documents.check_assessment(doc, rubric_ref=str(rubric_path))
    if checked.errors:  # a merge of valid answers is valid; this is the second line
        raise InvalidInput(checked.errors)
    write_answers(output, text, "merge", parsed=doc.data)
    out(agreement_text(merged, rubric, [(n, p) for n, p, _ in people]))
    discuss = sum(1 for o in merged.outcomes if o.needs_discussion)
    err(f"wrote {output}: {len(people)} respondents, {len(merged.disagreements)} of "
        f"{rubric.count_criteria()} criteria with different levels"
        + (f", {discuss} needing discussion" if discuss_above is not None else "")
        + f". Next: `cyberdip report {output} -o report.html`")


COMMANDS = (merge,)
