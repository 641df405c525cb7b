"""`cyberdip import`: a filled-in workbook or CSV sheet (made by `cyberdip init`) into
an assessment file, every problem reported at its cell. The sheet's logic lives in
``cyberdip.formats.spreadsheet`` and ``cyberdip.formats.workbook``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cyberdip.cli.common import (
    ForceOpt,
    check_folder,
    command,
    err,
    handled,
    output_format,
    refuse_to_clobber,
    report_problems,
    sheet_assessment,
    write_answers,
)
from cyberdip.errors import InvalidInput


@command("Turn a filled-in sheet or saved form into an assessment.", name="import")
@handled
def import_csv(
    csv_file: Annotated[Path, typer.Argument(metavar="SHEET", help="A workbook (.xlsx), "
                                             "sheet (.csv) or the answers an offline form "
                                             "saved (.json), made by `cyberdip init` and "
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
    """Turn a filled-in questionnaire (Excel workbook, CSV, or the answers file an offline
    form saved) into an assessment file.

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
    if _is_form_answers(csv_file):
        _import_form(csv_file, output, rubric, organisation, force)
        return
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
    write_answers(output, text, "import", ", ".join(data.get("assessors") or []) or None,
                  parsed=doc.data)
    answered = sum(1 for a in data["answers"].values() if a)
    profile = data.get("profile") or r.default_profile()
    asked = sum(1 for _, c in r.criteria() if c.applies(profile))
    err(f"wrote {output}: {answered} of {asked} criteria filled in. Next: "
        f"`cyberdip score {output}`")


def _is_form_answers(path: Path) -> bool:
    """Answers an offline form saved: a JSON file (``berlin.answers.json``)."""
    return path.suffix.lower() == ".json"


def _import_form(src: Path, output: Path, rubric: str | None, organisation: str | None,
                 force: bool) -> None:
    """The answers an offline form saved, checked as any assessment (every problem at
    its line in the saved file, by criterion and indicator), written as YAML."""
    from cyberdip import yamlio
    from cyberdip.formats import documents, spreadsheet

    checked = documents.load_assessment(str(src), rubric_ref=rubric)
    refuse_to_clobber(output, [src, Path(checked.rubric_path)], force)
    check_folder(output)
    data = dict(documents.load(str(src)).data)
    if rubric is not None:
        data["rubric"] = rubric
    if organisation and not (data.get("organisation") or {}).get("name"):
        data["organisation"] = {**(data.get("organisation") or {}), "name": organisation}
    report_problems(checked.warnings)
    text = spreadsheet.to_yaml(data, src.name)
    doc = yamlio.parse(text.encode("utf-8"), str(output))
    again = documents.check_assessment(doc, rubric_ref=checked.rubric_path)
    if again.errors:
        raise InvalidInput(again.errors)
    write_answers(output, text, "import", ", ".join(data.get("assessors") or []) or None,
                  parsed=doc.data)
    r = checked.rubric
    profile = data.get("profile") or r.default_profile()
    asked = sum(1 for _, c in r.criteria() if c.applies(profile))
    answered = sum(1 for a in (data.get("answers") or {}).values() if a)
    err(f"wrote {output}: {answered} of {asked} criteria filled in. Next: "
        f"`cyberdip score {output}`")


COMMANDS = (import_csv,)
