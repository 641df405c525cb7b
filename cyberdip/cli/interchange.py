"""`cyberdip export` and `cyberdip import-oscal`: OSCAL out and back. The mapping lives in
``cyberdip.formats.oscal`` (docs/oscal.md); this module reads, checks and writes."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cyberdip.cli.common import (
    ForceOpt,
    RubricOpt,
    StrictOpt,
    check_folder,
    command,
    err,
    fail,
    handled,
    load_checked_scorecard,
    out,
    output_format,
    refuse_to_clobber,
)
from cyberdip.errors import InvalidInput, Problem


class OscalVersion(str, Enum):
    v112 = "1.1.2"
    v121 = "1.2.1"


@command("Write a rubric or an assessment as OSCAL JSON.")
@handled
def export(
    source: Annotated[str, typer.Argument(
        metavar="RUBRIC_OR_ASSESSMENT", help="A rubric (file or built-in id) or an "
        "assessment file.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help="The OSCAL JSON file to write (.json), or - for "
                                         "stdout.")],
    oscal_version: Annotated[OscalVersion, typer.Option(
        "--oscal-version", metavar="VERSION", help="The OSCAL version written: 1.1.2 or "
        "1.2.1.")] = OscalVersion.v112,
    findings: Annotated[bool, typer.Option(
        "--findings", help="For an assessment: add one finding per criterion with a level "
        "and a target, satisfied when the level reaches the target.")] = False,
    rubric: RubricOpt = None,
    strict: StrictOpt = False,
    force: ForceOpt = False,
) -> None:
    """Write OSCAL JSON: a rubric as a catalog, an assessment as assessment-results.

    The output is the same bytes every time for the same input (version-5 UUIDs from
    the content, no clock): a catalog's last-modified time is the rubric's `released`
    date, and the results' start the assessment's `date`. docs/oscal.md gives the
    mapping.

    \b
    Example:
      cyberdip export cyberdip-core -o cyberdip-core.catalog.json
      cyberdip export berlin.yaml -o berlin.oscal.json --findings
    """
    from cyberdip import yamlio
    from cyberdip.formats import documents, oscal

    output_format(output, None, "export", "json")
    builtins = documents.builtin_paths()
    path = str(builtins[source]) if source in builtins and not os.path.exists(source) \
        else source
    doc = documents.load(path)
    kind = documents.detect_kind(doc)
    try:
        if kind == "rubric":
            if findings or rubric or strict:
                fail("--findings, --rubric and --strict are for an assessment; this is a "
                     "rubric", 2, path=source)
            r = documents.rubric_at(Path(path))
            text = oscal.to_json(oscal.catalog(r, oscal_version.value))
            what = f"an OSCAL {oscal_version.value} catalog of {r.id} {r.version}"
        elif kind == "assessment":
            from cyberdip.engine.scoring import DEFAULT_MIN_COVERAGE

            card = load_checked_scorecard(path, rubric, strict, DEFAULT_MIN_COVERAGE)[1]
            text = oscal.to_json(oscal.assessment_results(card, oscal_version.value,
                                                          findings=findings))
            what = f"OSCAL {oscal_version.value} assessment-results"
        else:
            raise InvalidInput([Problem(path, 1, 1, "error", "CD004", "this is a "
                                        "translation; export its rubric, or an assessment")])
    except oscal.ExportError as e:
        e.path = e.path or path
        raise
    if str(output) == "-":
        out(text)
        return
    refuse_to_clobber(output, [Path(path)], force)
    check_folder(output)
    yamlio.write_atomic(output, text)
    err(f"wrote {output}: {what}")


@command("Turn an OSCAL catalog into a rubric.", name="import-oscal")
@handled
def import_oscal(
    catalog: Annotated[Path, typer.Argument(metavar="CATALOG", help="An OSCAL catalog in "
                                            "JSON.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help="The rubric file (YAML) to write.")],
    force: ForceOpt = False,
) -> None:
    """Turn an OSCAL catalog (JSON) into a format-2 rubric.

    A catalog cyberdip exported gives back the very rubric. Any other catalog gives a
    skeleton to finish by hand: groups become areas, controls criteria, statements
    questions, with a generic scale; everything that could not be carried over is
    listed on stderr.

    \b
    Example:
      cyberdip import-oscal csf.catalog.json -o csf-rubric.yaml
    """
    from cyberdip import yamlio
    from cyberdip.formats import oscal
    from cyberdip.model import loading

    output_format(output, None, "import-oscal", "yaml")
    src = str(catalog)
    imported = oscal.read_catalog(oscal.parse_json(yamlio.read_bytes(src), src), src)
    text = oscal.rubric_yaml(imported, catalog.name)
    # the same checks `cyberdip validate` runs, before anything is written
    r = loading.rubric_from_document(yamlio.parse(text.encode("utf-8"), str(output)))
    refuse_to_clobber(output, [catalog], force)
    check_folder(output)
    yamlio.write_atomic(output, text)
    if imported.ours:
        err(f"wrote {output}: {r.id} {r.version}, {r.count_criteria()} criteria, as exported")
        return
    err(f"wrote {output}: a skeleton of {r.count_criteria()} criteria to finish by hand; "
        f"not carried over ({len(imported.dropped)}):")
    for line in imported.dropped:
        err(f"  - {line}")


COMMANDS = (export, import_oscal)
