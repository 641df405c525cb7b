"""The floor for `cyberdip score ASSESSMENT`: import PyYAML and pydantic, and load the
rubric and the assessment with libyaml's CSafeLoader. Nothing is checked or scored, so
no tool that reads these files and validates them with pydantic can start faster.

    python floor_score.py RUBRIC ASSESSMENT

``from pydantic import BaseModel`` rather than a bare ``import pydantic``: pydantic 2
imports its submodules lazily, so the bare import loads only part of what any use of it
needs (about 44 ms against 69 ms here); BaseModel brings in pydantic.main and the rest.
"""

import sys

import yaml
from pydantic import BaseModel  # noqa: F401  (the import is the point)


def load(path: str):
    with open(path, "rb") as f:
        return yaml.load(f, Loader=yaml.CSafeLoader)


if __name__ == "__main__":
    rubric, assessment = load(sys.argv[1]), load(sys.argv[2])
    print(len(rubric["areas"]), len(assessment["answers"]))
