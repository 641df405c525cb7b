"""The least PDF brief on cyberdip's own stack: floor_pdf.py's work (PyYAML's
CSafeLoader, then one bare Typst compile of the very document cyberdip typesets), with
the two things every cyberdip command has and floor_pdf.py has not: a typer command line
(here the brief's own options), and the assessment validated by a pydantic model (here
one model of three fields). No checks, no scoring, no document built.

    python stack_brief.py RUBRIC ASSESSMENT SOURCE_FOLDER FONT_FOLDER -o OUT.pdf --brief

typer and pydantic are runtime dependencies the project must use; this is how close to
floor_pdf.py any cyberdip brief could come, so that the target's headroom over this
figure is all that is left for cyberdip's own work (docs/performance.md).
"""

from pathlib import Path
from typing import Annotated

import typer
from floor_pdf import compile_source, load  # the floor's own work, called as it is
from pydantic import BaseModel


class Assessment(BaseModel):
    rubric: str
    organisation: dict
    answers: dict


app = typer.Typer(add_completion=False)


@app.command()
def report(rubric: str, assessment: str, source: Path, fonts: str,
           output: Annotated[Path, typer.Option("-o")], brief: bool = False,
           force: bool = False) -> None:
    rubric_data = load(rubric)
    checked = Assessment.model_validate(load(assessment))
    pdf = compile_source(source, fonts)
    output.write_bytes(pdf)
    print(len(rubric_data["areas"]), len(checked.answers), len(pdf))


if __name__ == "__main__":
    app()
