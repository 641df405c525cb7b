"""`cyberdip report`: the gap report as HTML, Markdown or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cyberdip.cli import (
    ForceOpt,
    RubricOpt,
    StrictOpt,
    app,
    err,
    fail,
    finite,
    format_enum,
    handled,
    out,
    output_format,
    refuse_to_clobber,
)
from cyberdip.cli.helpfmt import Command

ReportFormat = format_enum("report")


@app.command(cls=Command, short_help="Write the gap report as HTML, Markdown or JSON.")
@handled
def report(
    assessment: Annotated[str, typer.Argument(metavar="ASSESSMENT",
                                              help="The assessment file (YAML).")],
    output: Annotated[str, typer.Option(
        "--output", "-o", metavar="FILE", help="The report file to write (.html, .md or "
        ".json), or - for stdout. An existing file is replaced only with --force; an input "
        "file never is.")],
    fmt: Annotated[ReportFormat | None, typer.Option(
        "--format", "-f", metavar="FORMAT", help="html, md or json (default: from the "
        "output's extension; md for -).")] = None,
    rubric: RubricOpt = None,
    strict: StrictOpt = False,
    force: ForceOpt = False,
    min_coverage: Annotated[float | None, typer.Option(
        "--min-coverage", min=0, max=100, metavar="PERCENT", callback=finite,
        help="Mark the report provisional when coverage (the share answered, 0 to 100) "
        "is below PERCENT (default 80), and exit 1 after writing it when it is.")] = None,
) -> None:
    """Write the gap report: cover, summary, radar chart, every area, roadmap, method.

    HTML is one self-contained file (no scripts, no network) that prints cleanly to A4;
    Markdown renders on GitHub; JSON is the scorecard.

    \b
    Example:
      cyberdip report berlin.yaml -o berlin.html
    """
    from cyberdip.cli.scorecmd import check_gates, load_scorecard
    from cyberdip.engine.scoring import DEFAULT_MIN_COVERAGE
    from cyberdip.report import common, registry

    kind = ReportFormat(output_format(output, fmt, "report", "md"))  # - : Markdown
    if output != "-":
        target = Path(output)
        if target.suffix.lower() in (".yaml", ".yml"):
            fail("a report is never written to a .yaml file (it could be an "
                 "input: an assessment or a rubric); name it .html, .md or .json", path=output)
        inputs = [Path(assessment)] + ([Path(rubric)] if rubric else [])
        refuse_to_clobber(target, inputs, force)  # early, before any work
        if not target.parent.is_dir() and str(target.parent):
            fail(f"the folder {target.parent} does not exist; create it first", path=output)
    card = load_scorecard(assessment, rubric, strict,
                          DEFAULT_MIN_COVERAGE if min_coverage is None else min_coverage)
    data = registry.render(kind.value, card)
    if output == "-":
        out(data.decode("utf-8"))
    else:
        from cyberdip.yamlio import write_atomic

        refuse_to_clobber(target, inputs, force)  # again, now the rubric has been read too
        write_atomic(target, data)  # raises CD402 (exit 2) when it cannot write
        note = " (provisional: coverage below the minimum)" if card.provisional else ""
        err(f"wrote {output}: {kind.value} report, index {common.fmt_score(card.index)}, "
            f"{len(card.gaps)} gap(s){note}")
    raise typer.Exit(check_gates(card, min_coverage, None))
