"""`cyberdip validate`, `cyberdip rubrics` and `cyberdip schema`."""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import Annotated

import typer

from cyberdip.cli.common import (
    _color,
    command,
    err,
    handled,
    out,
    progress,
    tracked,
)

# -- validate --------------------------------------------------------------------------


class ProblemFormat(str, Enum):
    auto = "auto"
    text = "text"
    json = "json"
    github = "github"


@command("Check rubrics and assessments: every problem at file:line:col.")
@handled
def validate(
    paths: Annotated[list[str], typer.Argument(
        help="Rubric, assessment or translation files, or folders (their *.yaml and *.yml files), "
        "or rubric ids; a pack's pack.yaml (or its folder) checks the whole pack.",
        show_default=False, metavar="PATH")],
    fmt: Annotated[ProblemFormat, typer.Option(
        "--format", "-f", metavar="FORMAT", help="How to print problems: auto, text, json "
        "or github; auto picks github under GitHub Actions.")] = ProblemFormat.auto,
    fail_on_warning: Annotated[bool, typer.Option(
        "--fail-on-warning", help="Exit 1 when there is a warning, not only an error.")]
    = False,
) -> None:
    """Check rubric and assessment files and report every problem at file:line:col.

    A rubric pack (docs/packs.md) is checked whole: its manifest, each file's hash, and
    each rubric, translation and example in it.

    Exit 0 when every file is valid, 1 when any is invalid (or, with --fail-on-warning,
    has a warning), 2 when any cannot be read.

    \b
    Example:
      cyberdip validate rubrics/ assessments/
    """
    from cyberdip.diagnostics import format_problems, resolve_format
    from cyberdip.formats import documents
    from cyberdip.formats.validate import coverage_line, exit_code, validate_paths

    # a rubric id (built-in, or of a pack on the search path) names its file
    targets = [str(documents.resolve_rubric(p))
               if not os.path.exists(p) and documents.is_rubric_id(p) else p for p in paths]
    from cyberdip.cli.pool import parallel_map

    bar = progress("files", quiet=fmt.value == "json", after=0, at_least=100)

    def with_bar(func, files):
        return tracked(parallel_map(func, files), len(files), bar)

    results = validate_paths(targets, map_=with_bar)
    problems = [p for r in results for p in r.problems]
    fmt_name = resolve_format(fmt.value, dict(os.environ))
    if fmt_name == "json":
        from cyberdip.textsafe import json_dumps

        payload = {
            "files": [{"path": r.path, "kind": r.kind, "valid": not r.errors and not r.unreadable,
                       "problems": [p.as_dict() for p in r.problems],
                       **({"coverage": _coverage_dict(r)} if r.coverage is not None else {})}
                      for r in results],
        }
        out(json_dumps(payload) + "\n")
    else:
        out(format_problems(problems, fmt_name, color=_color(sys.stdout)))
    bad = sum(1 for r in results if r.errors or r.unreadable)
    n_err = sum(1 for p in problems if p.level == "error")
    n_warn = len(problems) - n_err
    summary = f"{len(results)} file{'s' if len(results) != 1 else ''} checked"
    if bad:
        summary += (f", {n_err} error{'s' if n_err != 1 else ''} "
                    f"in {bad} file{'s' if bad != 1 else ''}")
    else:
        summary += ": all valid"
    if n_warn:
        summary += f", {n_warn} warning{'s' if n_warn != 1 else ''}"
    for r in results:
        if r.coverage is not None:
            err(coverage_line(r))
    if fail_on_warning and n_warn and not bad:
        summary += " (--fail-on-warning: a warning fails the check)"
    err(summary)
    raise typer.Exit(exit_code(results, fail_on_warning=fail_on_warning))


def _coverage_dict(r) -> dict:
    c = r.coverage
    return {"language": r.language, "total": c.total, "translated": c.translated,
            "stale": c.stale, "missing": c.missing, "percent": c.percent,
            "partial": r.partial}


# -- rubrics and schema ------------------------------------------------------------------


@command("List the rubrics: built-in ones and those in rubric packs.")
@handled
def rubrics() -> None:
    """List the rubrics: id (as an assessment or `init` names it), version, areas,
    criteria, where it comes from (built-in, or the folder of its rubric pack) and title.

    The packs are those in the folders given with --packs, then in CYBERDIP_PACKS.

    \b
    Example:
      cyberdip rubrics --packs ~/our-rubrics
    """
    from cyberdip.formats import documents, packs

    found = documents.rubric_candidates()
    newest = {}
    for c in found:
        if c.id not in newest or packs.version_key(c.version) > packs.version_key(newest[c.id]):
            newest[c.id] = c.version
    stems = {path: stem for stem, path in documents.builtin_paths().items()}
    rows = []
    for c in found:
        if c.pack is not None:
            packs.check_intact(c.pack)
        if c.version == newest[c.id]:
            name = c.id
        elif c.pack is None and "@" in stems.get(c.path, ""):
            name = stems[c.path]
        else:
            name = f"{c.id}@{'.'.join(c.version.split('.')[:2])}"
        r = documents.rubric_at(c.path)
        rows.append((name, r.version, str(len(r.areas)), str(r.count_criteria()), c.origin,
                     r.title))
    header = ("id", "version", "areas", "criteria", "from", "title")
    widths = [max(len(x[i]) for x in [header, *rows]) for i in range(5)]
    lines = []
    for row in [header, *rows]:
        cells = [row[i].ljust(widths[i]) if i in (0, 4) else row[i].rjust(widths[i])
                 for i in range(5)]
        lines.append("  ".join(cells) + "  " + row[5])
    out("\n".join(lines) + "\n")


class SchemaName(str, Enum):
    rubric = "rubric"
    assessment = "assessment"
    scorecard = "scorecard"


@command("Print the JSON Schema of a file format, for editors.")
@handled
def schema(
    name: Annotated[SchemaName, typer.Argument(
        help="Which file format: rubric, assessment or scorecard.", metavar="NAME")],
) -> None:
    """Print the JSON Schema of a file format (for editors and other tools).

    \b
    Example:
      cyberdip schema assessment > assessment.schema.json
    """
    from cyberdip.formats.schemas import schema_json

    out(schema_json(name.value))


COMMANDS = (validate, rubrics, schema)
