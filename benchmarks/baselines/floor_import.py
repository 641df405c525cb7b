"""The floor for `cyberdip import WORKBOOK`: do what `score`'s floor does (import PyYAML
and pydantic, load the rubric with libyaml's CSafeLoader), then open the workbook with
openpyxl in read-only mode and read the value of every cell of every sheet. Nothing is
checked or written.

    python floor_import.py RUBRIC WORKBOOK
"""

import sys

import openpyxl
import yaml
from pydantic import BaseModel  # noqa: F401  (the import is the point, as in floor_score)


def main() -> None:
    with open(sys.argv[1], "rb") as f:
        rubric = yaml.load(f, Loader=yaml.CSafeLoader)
    wb = openpyxl.load_workbook(sys.argv[2], read_only=True, data_only=True)
    cells = filled = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                cells += 1
                filled += value is not None
    wb.close()
    print(len(rubric["areas"]), cells, filled)


if __name__ == "__main__":
    main()
