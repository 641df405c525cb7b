"""`cyberdip init` and `cyberdip score`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cyberdip.cli.common import (
    ForceOpt,
    RubricOpt,
    StrictOpt,
    _color,
    check_gates,
    command,
    err,
    fail,
    finite,
    format_enum,
    handled,
    load_scorecard,
    out,
    output_format,
    refuse_to_clobber,
    rubric_ref_for,
)

# -- init and score ----------------------------------------------------------------------


BlankFormat = format_enum("init")


@command("Write a blank questionnaire: Excel workbook, CSV or YAML.")
@handled
def init(
    rubric: Annotated[str, typer.Argument(metavar="RUBRIC",
                                          help="A built-in rubric id or a rubric file.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help="The file to write (.yaml, .xlsx or .csv).")],
    force: ForceOpt = False,
    fmt: Annotated[BlankFormat | None, typer.Option(
        "--format", "-f", metavar="FORMAT", help="yaml (an assessment file), xlsx (an Excel "
        "workbook with drop-down answers) or csv (a plain sheet); fill in either sheet, then "
        "`cyberdip import`; default: from the output's extension.")] = None,
    profile: Annotated[str | None, typer.Option(
        "--profile", metavar="PROFILE", help="For a rubric with profiles (such as "
        "headquarters and mission): whom the assessment is for; only its questions are "
        "listed. Default: the rubric's first profile.")] = None,
) -> None:
    """Write a blank assessment, every criterion listed with its question and levels.

    A .yaml file is an assessment to fill in. A .xlsx file is an Excel workbook (an
    instructions sheet, and one row per question with a drop-down list of the answers
    that fit); a .csv file is a plain sheet. Fill either in with Excel or LibreOffice
    and turn it into an assessment with `cyberdip import`.

    \b
    Example:
      cyberdip init cyberdip-core -o berlin.xlsx
    """
    from cyberdip.formats import documents
    from cyberdip.formats.blank import Blank
    from cyberdip.report import registry
    from cyberdip.yamlio import write_atomic

    kind = output_format(output, fmt, "init", "yaml")
    path = documents.resolve_rubric(rubric)
    r = documents.rubric_at(path)
    if profile is not None and profile not in r.profile_ids():
        known = ", ".join(r.profile_ids())
        fail(f"--profile {profile}: " + (f"the rubric's profiles are {known}" if known else
                                           "this rubric has no profiles"), 2)
    refuse_to_clobber(output, [path], force)
    ref = rubric_ref_for(rubric, path, output)
    write_atomic(output, registry.render(kind, Blank(r, ref, profile)))
    chosen = profile or r.default_profile()
    n = sum(1 for _, c in r.criteria() if c.applies(chosen))
    if kind == "csv":
        err(f"wrote {output}: {n} criteria to answer. Next: fill in the "
            f"`answer` column (Excel: save as CSV UTF-8), then `cyberdip import {output} "
            "-o assessment.yaml`")
        return
    if kind == "xlsx":
        err(f"wrote {output}: {n} questions to answer. Next: send it out; "
            "each respondent fills in the sheet `Answers` in Excel or LibreOffice; then "
            f"`cyberdip import {output} -o assessment.yaml` (several respondents: "
            "`cyberdip merge`)")
        return
    err(f"wrote {output}: {n} criteria to answer. Next: fill it in, then "
        f"`cyberdip score {output}`")


ScoreFormat = format_enum("score")


@command("Score an assessment: index, stage, coverage and top gaps.")
@handled
def score(
    assessment: Annotated[str, typer.Argument(metavar="ASSESSMENT",
                                              help="The assessment file (YAML).")],
    rubric: RubricOpt = None,
    fmt: Annotated[ScoreFormat, typer.Option("--format", "-f", metavar="FORMAT",
                                             help="text (a scorecard) or json.")] =
    ScoreFormat.text,
    strict: StrictOpt = False,
    min_coverage: Annotated[float | None, typer.Option(
        "--min-coverage", min=0, max=100, metavar="PERCENT", callback=finite,
        help="Gate: exit 1 when coverage (the share answered, 0 to 100) is below "
        "PERCENT. Also marks results below it provisional (default 80).")] = None,
    fail_under: Annotated[float | None, typer.Option(
        "--fail-under", min=0, max=100, metavar="INDEX", callback=finite,
        help="Gate: exit 1 when the index (0 to 100) is below INDEX.")] = None,
) -> None:
    """Score an assessment: index, stage, coverage, and the gaps that matter most.

    \b
    Example:
      cyberdip score berlin.yaml --fail-under 50 --min-coverage 80
    """
    from cyberdip.engine.scoring import DEFAULT_MIN_COVERAGE
    from cyberdip.report import registry

    card = load_scorecard(assessment, rubric, strict,
                          DEFAULT_MIN_COVERAGE if min_coverage is None else min_coverage)
    options = {"color": _color(sys.stdout)} if fmt is ScoreFormat.text else {}
    out(registry.render(fmt.value, card, **options).decode("utf-8"))
    raise typer.Exit(check_gates(card, min_coverage, fail_under))


COMMANDS = (init, score)
