"""The floor for `cyberdip report ASSESSMENT -o x.pdf`: do what `score`'s floor does
(import PyYAML and pydantic, load the rubric and the assessment with CSafeLoader), then
one bare Typst compile of the very document cyberdip typesets: the same template and
the same JSON input (written by benchmarks/pdf_source.py), with cyberdip's fonts only.

    python floor_pdf.py RUBRIC ASSESSMENT SOURCE_FOLDER FONT_FOLDER [OUT.pdf]

SOURCE_FOLDER holds ``doc.typ`` and ``doc.json``; it is Typst's root, as cyberdip's
temporary folder is. With OUT.pdf the PDF is written there (to check it is cyberdip's,
byte for byte); otherwise only its size is printed.
"""

import sys
from pathlib import Path

import typst
import yaml
from pydantic import BaseModel  # noqa: F401  (the import is the point, as in floor_score)


def load(path: str):
    with open(path, "rb") as f:
        return yaml.load(f, Loader=yaml.CSafeLoader)


def compile_source(src: Path, fonts: str) -> bytes:
    """The bare compile: SOURCE_FOLDER's ``doc.typ`` with its ``doc.json``, its fonts only."""
    return typst.compile(str(src / "doc.typ"), root=str(src), font_paths=[fonts],
                         ignore_system_fonts=True,
                         sys_inputs={"doc": (src / "doc.json").read_text(encoding="utf-8")})


def main() -> None:
    rubric, assessment = load(sys.argv[1]), load(sys.argv[2])
    pdf = compile_source(Path(sys.argv[3]), sys.argv[4])
    if len(sys.argv) > 5:
        Path(sys.argv[5]).write_bytes(pdf)
    print(len(rubric["areas"]), len(assessment["answers"]), len(pdf))


if __name__ == "__main__":
    main()
