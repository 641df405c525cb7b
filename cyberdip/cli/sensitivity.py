"""`cyberdip sensitivity`: how far the index, and each unit's place in a league table,
move when the weights move (engine: ``cyberdip.engine.sensitivity``)."""

from __future__ import annotations

import math
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cyberdip.cli.common import (
    ForceOpt,
    StrictOpt,
    command,
    err,
    fail,
    finite,
    format_enum,
    handled,
    out,
    output_format,
    progress,
    refuse_to_clobber,
    report_problems,
)

SensitivityFormat = format_enum("sensitivity")


class Vary(str, Enum):
    both = "both"
    areas = "areas"
    criteria = "criteria"


def _weight_range(value: str | None) -> tuple[float, float] | None:
    """``LOW,HIGH``: two finite numbers, 0 < LOW <= HIGH."""
    if value is None:
        return None
    parts = value.split(",")
    try:
        low, high = (float(p) for p in parts) if len(parts) == 2 else (math.nan, math.nan)
    except ValueError:
        low = high = math.nan
    if not (math.isfinite(low) and math.isfinite(high) and 0 < low <= high <= 1000):
        raise typer.BadParameter(
            f"{value[:40]!r}: give two numbers LOW,HIGH with 0 < LOW <= HIGH <= 1000, "
            "for example 0.5,1.5")
    return low, high


def _units(files: list[str], strict: bool, min_coverage: float):
    """Score each file; return ``(rubric, units, left out)``. Every problem is reported
    on stderr, located; a file of another rubric, version or profile than the first
    valid one is left out (CD310)."""
    from cyberdip.engine.scoring import score_lean
    from cyberdip.engine.sensitivity import prepare
    from cyberdip.errors import CyberdipError, InvalidInput, Problem
    from cyberdip.formats import documents
    from cyberdip.textsafe import display_name

    rubric = None
    key: tuple | None = None
    units = []
    failed: list[str] = []
    for path in files:
        try:
            checked = documents.load_assessment(path)
        except InvalidInput as e:
            report_problems(e.problems)
            failed.append(path)
            continue
        except CyberdipError as e:
            report_problems([e.problem()])
            failed.append(path)
            continue
        report_problems(checked.warnings)
        # the draws need each criterion's score and the headline figures: the lean
        # scoring gives them, as `score` would, without the whole scorecard
        card = score_lean(checked.rubric, checked.assessment, strict=strict,
                          min_coverage=min_coverage)
        this = (card.rubric.id, card.rubric.version, card.rubric.sha256, card.profile)
        if key is None:
            rubric, key = checked.rubric, this
        elif this != key:
            what = ("another rubric" if this[:2] != key[:2] else
                    "another profile" if this[3] != key[3] else
                    "a rubric of the same id and version but other contents")
            report_problems([Problem(path, 1, 1, "error", "CD310",
                                     f"this assessment answers {what} than the first one "
                                     f"(`{key[0]}` {key[1]}, profile {key[3] or 'none'}); "
                                     "left out (analyse each rubric and profile separately)")])
            failed.append(path)
            continue
        org = card.organisation
        # only what the draws need is kept: a portfolio of thousands holds no scorecards
        units.append(prepare(checked.rubric, card, org.unit or org.name, display_name(path)))
    return rubric, units, failed


@command("Show how far the weights move the index and the ranks.")
@handled
def sensitivity(
    paths: Annotated[list[str], typer.Argument(
        help="Assessment files, or folders (their *.yaml and *.yml files, sorted).",
        show_default=False, metavar="PATH")],
    weight_range: Annotated[str | None, typer.Option(
        "--weight-range", metavar="LOW,HIGH", help="Multiply each weight by a draw from "
        "U(LOW, HIGH); default 0.5,1.5 (each weight from half to one and a half times its "
        "value).", callback=lambda v: _weight_range(v) and v)] = None,
    draws: Annotated[int, typer.Option(
        "--draws", min=1, max=100_000, metavar="N", help="How many weightings to draw (1 to "
        "100,000).")] = 1000,
    seed: Annotated[int, typer.Option(
        "--seed", min=0, metavar="N", help="Seed of the draws: the same seed gives the "
        "same output, byte for byte.")] = 1,
    vary: Annotated[Vary, typer.Option(
        "--vary", metavar="WHICH", help="Which weights to draw: both, areas or "
        "criteria.")] = Vary.both,
    strict: StrictOpt = False,
    min_coverage: Annotated[float, typer.Option(
        "--min-coverage", min=0, max=100, metavar="PERCENT", callback=finite,
        help="Rank only units whose coverage (the share answered) is at least PERCENT, as "
        "aggregate does; the others keep their interval, unranked.")] = 80.0,
    fmt: Annotated[SensitivityFormat | None, typer.Option(
        "--format", "-f", metavar="FORMAT", help="text, json, csv (one row per unit), md "
        "(Markdown) or html (with a chart of the intervals); default: from the output's "
        "extension, else text.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE",
        help="Write the result to this file (atomically) instead of stdout.")] = None,
    force: ForceOpt = False,
) -> None:
    """Show how far the index, and each unit's place in a league table, move when the
    weights move: the uncertainty and sensitivity analysis of the OECD/JRC Handbook on
    composite indicators.

    Each area weight and each criterion weight is multiplied by an independent draw
    from U(0.5, 1.5), the index is computed again, and this is repeated 1,000 times.
    For each unit the 5th to 95th percentile of its index is shown and, for two or more
    units, of its rank; a place whose rank interval is one place wide is robust. Levels
    and stages do not depend on weights, so they do not move. The draws are seeded: the
    output is the same on every run. docs/method.md states the method.

    \b
    Example:
      cyberdip sensitivity missions/ --draws 5000 -o sensitivity.md
    """
    from cyberdip.engine.sensitivity import DEFAULT_RANGE, analyse
    from cyberdip.formats import documents
    from cyberdip.report import registry
    from cyberdip.yamlio import write_atomic

    bounds = _weight_range(weight_range) or DEFAULT_RANGE
    kind = output_format(output, fmt, "sensitivity", "text")
    if kind == "html" and output is None and _is_terminal(sys.stdout):
        fail("an HTML page is a file, not terminal output: give -o FILE (e.g. -o "
             "sensitivity.html), or redirect stdout")
    files = documents.collect(paths)
    failed: list[str] = []
    for p in paths:
        if os.path.isdir(p) and not documents.collect([p]):
            from cyberdip.errors import Problem

            report_problems([Problem(p, 0, 0, "error", "CD002",
                                     "no .yaml or .yml files in this folder")])
            failed.append(p)
    if not files:
        fail("no assessment files found in the paths given", 2)
    if output is not None:
        refuse_to_clobber(output, [Path(f) for f in files], force)
    rubric, units, left_out = _units(files, strict, min_coverage)
    failed += left_out
    if rubric is None:
        err("error: the file could not be analysed" if len(files) == 1 else
            f"error: none of the {len(files)} files could be analysed")
        raise typer.Exit(1)
    bar = progress("draws", quiet=kind == "json")
    try:
        result = analyse(rubric, units, draws=draws, seed=seed, weight_range=bounds,
                         vary=vary.value, min_coverage=min_coverage, progress=bar)
    finally:  # Ctrl-C included: "interrupted" starts a clean line
        if bar is not None:
            bar.clear()
    data = registry.render(kind, result)
    if output is None:
        out(data.decode("utf-8"))
    else:
        refuse_to_clobber(output, [Path(f) for f in files], force)
        write_atomic(output, data)
        err(f"wrote {output}")
    line = (f"analysed {len(units)} of {len(files)} file{'s' if len(files) != 1 else ''} "
            f"({result.rubric.id} {result.rubric.version}): {draws:,} draws, seed {seed}")
    if failed:
        err(f"{line}; {len(failed)} left out: see the problems above")
        raise typer.Exit(1)
    err(line)


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


COMMANDS = (sensitivity,)
