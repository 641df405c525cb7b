"""Write the Typst source of the PDF that `cyberdip report ARGS...` makes: its template
(``doc.typ``) and its JSON input (``doc.json``), for the bare-compile floor
(baselines/floor_pdf.py). Setup only, never timed.

    python pdf_source.py OUT_FOLDER -- report ASSESSMENT -o x.pdf [--brief] ...

It runs cyberdip's own command line in this process, with the one function that hands
the document to Typst wrapped to keep a copy, so the source is exactly what cyberdip
compiles. It prints the folder of cyberdip's fonts. If cyberdip's layout changes so that
this function is gone, it fails with a message, and the figure is "not measured".
"""

import json
import sys
from importlib import resources
from pathlib import Path


def main() -> int:
    out, rest = Path(sys.argv[1]), sys.argv[sys.argv.index("--") + 1:]
    try:
        from cyberdip.report import as_pdf
        from cyberdip.report.fonts import FOLDER
    except ImportError as e:
        sys.exit(f"cannot find cyberdip's PDF writer to copy its source: {e}")
    real = as_pdf.compile_pdf
    seen: list[dict] = []

    def keep(doc: dict) -> bytes:
        seen.append(doc)
        return real(doc)

    as_pdf.compile_pdf = keep
    # the app's own entry, which raises SystemExit: the console script's `cyberdip.cli.main`
    # ends the process outright once the command is done (cli.quick_exit)
    from cyberdip.cli.app import main as cli_main

    sys.argv = ["cyberdip", *rest]
    try:
        cli_main()
    except SystemExit as e:
        if e.code not in (0, None):
            sys.exit(f"cyberdip {' '.join(rest)} exited {e.code}")
    if len(seen) != 1:
        sys.exit(f"expected one Typst compile, saw {len(seen)}")
    out.mkdir(parents=True, exist_ok=True)
    template = resources.files("cyberdip.report") / "typst" / "doc.typ"
    (out / "doc.typ").write_bytes(template.read_bytes())
    (out / "doc.json").write_text(json.dumps(seen[0], ensure_ascii=False), encoding="utf-8")
    print(FOLDER)
    return 0


if __name__ == "__main__":
    sys.exit(main())
