"""`cyberdip compare` (progress between two assessments), `cyberdip trend` (the years
of one unit side by side) and `cyberdip aggregate` (many assessments side by side)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from cyberdip.cli.common import (
    ForceOpt,
    RubricOpt,
    StrictOpt,
    as_of_date,
    command,
    compare_problems,
    err,
    fail,
    finite,
    format_enum,
    handled,
    load_scorecard,
    load_scorecards,
    out,
    output_format,
    progress,
    refuse_to_clobber,
    report_problems,
    series_of,
    tracked,
)

OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", metavar="FILE",
    help="Write the report to this file (atomically) instead of stdout.")]


def _emit(data: bytes, output: Path | None, inputs: list[Path], force: bool,
          html: bool) -> None:
    """Write a report to ``output`` (atomic, never over an input) or to stdout."""
    if output is None:
        if html and sys.stdout.isatty():
            fail("an HTML report is a file, not terminal output: give -o FILE (e.g. -o "
                 "report.html), or redirect stdout")
        out(data.decode("utf-8"))
        return
    from cyberdip.yamlio import write_atomic

    refuse_to_clobber(output, inputs, force)
    write_atomic(output, data)
    err(f"wrote {output}")


# -- compare -----------------------------------------------------------------------------


CompareFormat = format_enum("compare")


@command("Show progress between two assessments of one rubric.")
@handled
def compare(
    old: Annotated[str, typer.Argument(metavar="PREVIOUS",
                                       help="The earlier assessment (YAML).")],
    new: Annotated[str, typer.Argument(metavar="CURRENT", help="The later assessment (YAML).")],
    rubric: RubricOpt = None,
    strict: StrictOpt = False,
    fmt: Annotated[CompareFormat | None, typer.Option(
        "--format", "-f", metavar="FORMAT", help="text, json, csv (one row per area), md "
        "(Markdown) or html (radar of current against previous); default: from the "
        "output's extension, else text.")] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    fail_on_regression: Annotated[bool, typer.Option(
        "--fail-on-regression", help="Gate: exit 1 when a criterion assessed in both went "
        "down a level (each one is named on stderr). Criteria assessed in only one of the "
        "two never count.")] = False,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="YYYY-MM-DD", callback=as_of_date, help="Judge the CURRENT "
        "assessment's stale and expired evidence against this date instead of its own "
        "`date`; PREVIOUS keeps its own.")] = None,
) -> None:
    """Show progress between two assessments of one rubric: index, stage, coverage, each
    area, criteria that improved or regressed, and gaps opened and closed.

    Criteria are matched by id. Changes on the criteria assessed in both (like for like)
    are shown apart from those due to coverage. Assessments of different rubrics cannot
    be compared (exit 1); a warning is given when the two are of different units, the
    previous one is dated later, or the rubric versions differ.

    \b
    Example:
      cyberdip compare mofa-2023.yaml mofa-2025.yaml --fail-on-regression
    """
    from cyberdip.engine.compare import compare as do_compare
    from cyberdip.engine.scoring import DEFAULT_MIN_COVERAGE
    from cyberdip.report import registry
    from cyberdip.textsafe import display_name

    fmt = CompareFormat(output_format(output, fmt, "compare", "text"))
    if output is not None:
        refuse_to_clobber(output, [Path(old), Path(new)], force)
    old_card = load_scorecard(old, rubric, strict, DEFAULT_MIN_COVERAGE)
    new_card = load_scorecard(new, rubric, strict, DEFAULT_MIN_COVERAGE, as_of)
    result = do_compare(old_card, new_card, old_label=display_name(old),
                        new_label=display_name(new), new_path=new)
    report_problems(compare_problems(result, {"old": old, "new": new}))
    _emit(registry.render(fmt.value, result), output, [Path(old), Path(new)], force,
          fmt is CompareFormat.html)
    if fail_on_regression and result.regressions:
        for r in result.regressions:
            err(f"regression: {r}")
        err(f"gate failed: {len(result.regressions)} regression"
            f"{'s' if len(result.regressions) != 1 else ''} (--fail-on-regression)")
        raise typer.Exit(1)


# -- trend -------------------------------------------------------------------------------


TrendFormat = format_enum("trend")


@command("Show the years of one unit side by side, as a time series.")
@handled
def trend(
    paths: Annotated[list[str], typer.Argument(
        metavar="ASSESSMENT", show_default=False,
        help="Two or more assessments of one unit and rubric (YAML), in any order: they "
        "are ordered by date.")],
    rubric: RubricOpt = None,
    strict: StrictOpt = False,
    fmt: Annotated[TrendFormat | None, typer.Option(
        "--format", "-f", metavar="FORMAT", help="text, html (with a chart), md "
        "(Markdown), pdf (with the chart; needs the pdf extra), json or csv (one row per "
        "year); default: from the output's extension, else text.")] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Show the assessments of one unit over the years, in time order: per year the index
    with the range it could still take, the stage, coverage, each area's score, and the
    change from the year before (as `cyberdip compare` gives it for each pair).

    The years are ordered by each assessment's `date`, else the year its `period` starts
    with, whatever order the files are given in. An assessment with neither, two that
    fall at the same time, assessments of different units and of different rubrics are
    refused (exit 1). A year whose rubric version differs from the year before is warned
    about, on stderr and in the output.

    \b
    Example:
      cyberdip trend mofa-2023.yaml mofa-2024.yaml mofa-2025.yaml -o trend.html
    """
    from cyberdip.engine.scoring import DEFAULT_MIN_COVERAGE
    from cyberdip.report import registry

    fmt = TrendFormat(output_format(output, fmt, "trend", "text"))
    if len(paths) < 2:
        fail("a trend needs two or more assessments of one unit; to see one, use "
             "`cyberdip score` or `cyberdip report`")
    inputs = [Path(p) for p in paths] + ([Path(rubric)] if rubric else [])
    if fmt is TrendFormat.pdf:
        from cyberdip.report.as_pdf import engine_available, no_engine_error

        if output is None:
            fail("a PDF is not written to stdout; give a file name, e.g. -o trend.pdf")
        if not engine_available():
            raise no_engine_error(str(output))
    if output is not None:
        refuse_to_clobber(output, inputs, force)
    cards = load_scorecards(paths, rubric, strict, DEFAULT_MIN_COVERAGE)
    if output is not None:
        refuse_to_clobber(output, inputs, force)  # again, now the rubrics have been read
    result = series_of(paths, cards)
    _emit(registry.render(fmt.value, result), output, inputs, force,
          fmt is TrendFormat.html)


# -- aggregate ---------------------------------------------------------------------------


AggregateFormat = format_enum("aggregate")


#: Rubrics (id, version) this process has already described in a summary; later
#: summaries of the same rubric leave the description out (it is most of a summary's
#: size). A forked worker inherits the parent's set, whose descriptions the parent has.
_DESCRIBED: set[tuple] = set()


def summarise_file(job: tuple[str, bool, float, int]):
    """Load, check and score one file; return ``(path, problems, summary, rubric_at)``,
    where ``rubric_at`` is ``(line, col, rubric path)`` of its ``rubric:``.

    Runs in worker processes, so it returns only small, picklable things and never
    raises for bad input: every problem is returned, located.
    """
    from cyberdip.engine.compare import portfolio_key, summarise
    from cyberdip.engine.scoring import score_lean
    from cyberdip.errors import CyberdipError, InvalidInput, Problem
    from cyberdip.formats import documents
    from cyberdip.textsafe import display_name

    path, strict, min_coverage, weak_at = job
    try:
        doc = documents.load(path)
        if documents.detect_kind(doc) != "assessment":
            return path, [Problem(path, 1, 1, "error", "CD004", "this is a rubric, not an "
                                  "assessment; aggregate assessments only")], None, (1, 1, None)
        checked = documents.check_assessment(doc)
        if checked.errors or checked.assessment is None or checked.rubric is None:
            return path, checked.problems, None, (1, 1, None)
        # a portfolio shows each unit's headline figures only: the lean scoring gives
        # them, as `score` would, without building the whole scorecard
        card = score_lean(checked.rubric, checked.assessment, strict=strict,
                          min_coverage=min_coverage)
        key = portfolio_key(card)
        summary = summarise(display_name(path), card, weak_at=weak_at,
                            with_meta=key not in _DESCRIBED)
        _DESCRIBED.add(key)
        return path, checked.warnings, summary, (*doc.locate(("rubric",)), checked.rubric_path)
    except InvalidInput as e:
        return path, e.problems, None, (1, 1, None)
    except CyberdipError as e:
        return path, [e.problem()], None, (1, 1, None)
    except OSError as e:  # a path the system refuses: report it, aggregate the rest
        return path, [Problem(path, 0, 0, "error", "CD002",
                              f"cannot use this path: {e.strerror or e}")], None, (1, 1, None)


def _results(jobs: list[tuple[str, bool, float, int]]):
    """Summaries in input order: in worker processes when there are many files."""
    from cyberdip.cli.pool import parallel_map

    return parallel_map(summarise_file, jobs)


@command("Put many assessments side by side: ranks, spread, shared gaps.")
@handled
def aggregate(
    paths: Annotated[list[str], typer.Argument(
        help="Assessment files, or folders (their *.yaml and *.yml files, sorted).",
        show_default=False, metavar="PATH")],
    rubric: Annotated[str | None, typer.Option(
        "--rubric", metavar="RUBRIC", help="The rubric of the portfolio (built-in id or "
        "file). Without it, the rubric of the first valid file is used. Assessments of any "
        "other rubric (or version) are reported and left out.")] = None,
    strict: StrictOpt = False,
    fmt: Annotated[AggregateFormat | None, typer.Option(
        "--format", "-f", metavar="FORMAT", help="text, json, csv (the league table), md "
        "(Markdown) or html (with a heat map of area by unit); default: from the output's "
        "extension, else text.")] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    top: Annotated[int, typer.Option(
        "--top", min=1, metavar="N", help="How many shared weaknesses to list (1 or "
        "more).")] = 10,
    min_coverage: Annotated[float, typer.Option(
        "--min-coverage", min=0, max=100, metavar="PERCENT", callback=finite,
        help="Rank only the units with at least this coverage (0 to 100); the others are "
        "listed below them, marked provisional and not ranked.")] = 80.0,
) -> None:
    """Put many assessments of one rubric side by side: a league table by index, the
    spread of each area (median and quartiles), and the weaknesses units share.

    Files that cannot be read, are invalid, or answer another rubric are reported on
    stderr at file:line:col; the rest are still aggregated, and the exit code is then 1.

    \b
    Example:
      cyberdip aggregate missions/ -o missions.html
    """
    from cyberdip.engine.compare import WEAK_AT, PortfolioBuilder, portfolio_key
    from cyberdip.errors import Problem
    from cyberdip.formats import documents
    from cyberdip.report import registry
    from cyberdip.textsafe import display_name

    fmt = AggregateFormat(output_format(output, fmt, "aggregate", "text"))
    files = documents.collect(paths)
    failed: list[str] = []
    problems: list[Problem] = []
    for p in paths:
        if os.path.isdir(p) and not documents.collect([p]):
            problems.append(Problem(p, 0, 0, "error", "CD002",
                                    "no .yaml or .yml files in this folder"))
            failed.append(p)
    report_problems(problems)
    if output is not None:
        refuse_to_clobber(output, [Path(f) for f in files], force)

    builder = PortfolioBuilder(weak_at=WEAK_AT)
    chosen = ""
    if rubric is not None:
        r = documents.get_rubric(rubric)
        key: tuple | None = (r.id, r.version, None)
        chosen = f"given by --rubric {display_name(rubric)}"
    else:
        key = None
    jobs = [(f, strict, min_coverage, WEAK_AT) for f in files]
    _DESCRIBED.clear()  # a new portfolio: describe each rubric once more
    first = ""
    rubric_paths: set[str] = set()
    bar = progress("files", quiet=fmt.value == "json", after=0, at_least=100)
    for path, found, summary, (line, col, rubric_path) in tracked(_results(jobs), len(jobs),
                                                                   bar):
        if rubric_path:
            rubric_paths.add(rubric_path)
        if summary is not None and not builder.knows(summary):
            # never expected (see _DESCRIBED), but cheap to make certain: describe again
            _DESCRIBED.clear()
            path, found, summary, (line, col, _) = summarise_file(
                (path, strict, min_coverage, WEAK_AT))
        if summary is not None:
            builder.note(summary)
            if key is None:
                key = portfolio_key(summary)
                first = path
            elif key[2] is None and key[:2] == portfolio_key(summary)[:2]:
                key = portfolio_key(summary)  # --rubric named no profile: the first decides
            if portfolio_key(summary) != key:
                rid, version, profile = portfolio_key(summary)
                if (rid, version) != key[:2]:
                    what = (f"version {version} of `{rid}`" if rid == key[0] else f"`{rid}`")
                    msg = (f"this assessment answers {what}, but the portfolio is of "
                           f"`{key[0]}` {key[1]}; left out (aggregate each rubric separately"
                           + ("" if rubric else ", or choose one with --rubric") + ")")
                else:
                    msg = (f"this assessment is for the profile `{profile}`, but the "
                           f"portfolio's is `{key[2]}`; left out (aggregate each profile "
                           "separately: they answer different questions)")
                found = [*found, Problem(path, line, col, "error", "CD310", msg)]
                summary = None
        report_problems(list(found))
        if summary is None:
            failed.append(path)
        else:
            builder.add_summary(summary)

    if builder.rubric is None:
        if not files:
            fail("no assessment files found in the paths given", 2)
        err("error: the file could not be aggregated" if len(files) == 1 else
            f"error: none of the {len(files)} files could be aggregated")
        raise typer.Exit(1)
    if not chosen:
        chosen = f"taken from the first valid file, {display_name(first)}"
    portfolio = builder.build(top=top, min_coverage=min_coverage)
    source = f"Portfolio rubric {chosen}."
    # text and Markdown say where the rubric came from in a sentence; HTML in its note
    options = {AggregateFormat.text: {"source": source}, AggregateFormat.md: {"source": source},
               AggregateFormat.html: {"source": chosen}}.get(fmt, {})
    # the rubrics were read by worker processes: name them as inputs here
    inputs = [Path(f) for f in [*files, *sorted(rubric_paths)]]
    _emit(registry.render(fmt.value, portfolio, **options), output, inputs, force,
          fmt is AggregateFormat.html)
    summary_line = (f"aggregated {portfolio.units} of {len(files)} file"
                    f"{'s' if len(files) != 1 else ''} ({portfolio.rubric.id} "
                    f"{portfolio.rubric.version}, {chosen})")
    if failed:
        err(f"{summary_line}; {len(failed)} left out: see the problems above")
        raise typer.Exit(1)
    err(summary_line)


COMMANDS = (compare, trend, aggregate)
