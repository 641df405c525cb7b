"""The least `aggregate` on cyberdip's own stack: floor_parse.py's work (each file parsed
with CSafeLoader on two forked processes), with what every cyberdip portfolio has and
floor_parse.py has not: a typer command line, each file validated by a pydantic model
(here a minimal one of a mission's keys and answers), and a Jinja2 page of one row per
file. No rubric, no checks against it, no scoring.

    python stack_aggregate.py FOLDER -o OUT.html

typer, pydantic and Jinja2 are runtime dependencies the project must use; this is how
close to floor_parse.py any `aggregate` could come, so that the target's headroom over
this figure is all that is left for cyberdip's own work (docs/performance.md).
"""

from pathlib import Path
from typing import Annotated

import jinja2
import typer
from floor_parse import map_folder, parse  # the floor's own work, called as it is
from pydantic import BaseModel


class Answer(BaseModel):
    level: int | None = None
    value: float | None = None
    met: bool | None = None
    evidence: list[str] = []


class Mission(BaseModel):
    rubric: str
    rubric_version: str | None = None
    organisation: dict[str, str]
    period: str | None = None
    illustrative: bool = False
    profile: str | None = None
    answers: dict[str, Answer | None]


def load(path: str) -> tuple[str, int]:
    mission = Mission.model_validate(parse(path))
    answered = sum(a is not None for a in mission.answers.values())
    return mission.organisation.get("unit", ""), answered


PAGE = jinja2.Environment(autoescape=True).from_string(
    "<table>{% for unit, n in rows %}<tr><td>{{ unit }}</td><td>{{ n }}</td></tr>"
    "{% endfor %}</table>\n")
app = typer.Typer(add_completion=False)


@app.command()
def aggregate(folder: Path, output: Annotated[Path, typer.Option("-o")],
              force: bool = False) -> None:
    rows = map_folder(load, folder)
    output.write_text(PAGE.render(rows=rows), encoding="utf-8")
    print(f"{len(rows)} files")


if __name__ == "__main__":
    app()
