"""Regenerate the sample reports in reports/ and the golden files in tests/golden/.

    python scripts/regen_reports.py          # rewrite what changed
    python scripts/regen_reports.py --check  # exit 1, listing stale files, change nothing

reports/ holds an HTML and a Markdown report for every assessment under examples/
(including examples/missions/ and examples/frameworks/), at the same relative path:
examples/missions/x.yaml -> reports/missions/x.html and reports/missions/x.md. Rubric
files under examples/ (examples/frameworks/*/rubric.yaml, which the assessments beside
them name) have no report and are skipped. tests/golden/ pins the templates
against the small test fixture. The tests run the same code into a temporary folder
and compare bytes, so a template change without a regeneration fails CI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REPORTS = ROOT / "reports"
GOLDEN = ROOT / "tests" / "golden"
GOLDEN_SOURCES = {"mini": ROOT / "tests" / "data" / "assessments" / "mini-answered.yaml"}
FORMATS = ("html", "md")  # names in cyberdip.report.registry


def _render(path: Path) -> dict[str, str]:
    from cyberdip.engine.scoring import score
    from cyberdip.errors import InvalidInput
    from cyberdip.formats import documents
    from cyberdip.report import registry

    checked = documents.load_assessment(str(path))
    if checked.errors:
        raise InvalidInput(checked.errors)
    card = score(checked.rubric, checked.assessment)
    return {ext: registry.render(ext, card).decode("utf-8") for ext in FORMATS}


def _is_rubric(path: Path) -> bool:
    from cyberdip import yamlio
    from cyberdip.formats import documents

    return documents.detect_kind(yamlio.load(path)) == "rubric"


def example_files() -> list[Path]:
    """The assessments under examples/, sorted: every YAML file but the rubrics."""
    if not EXAMPLES.is_dir():
        return []
    return sorted(p for p in EXAMPLES.rglob("*")
                  if p.suffix in (".yaml", ".yml") and not _is_rubric(p))


def expected() -> dict[Path, str]:
    """Every generated file (absolute path in this checkout) with its content."""
    out: dict[Path, str] = {}
    for src in example_files():
        rel = src.relative_to(EXAMPLES).with_suffix("")
        for ext, text in _render(src).items():
            out[REPORTS / rel.with_suffix(f".{ext}")] = text
    for name, src in GOLDEN_SOURCES.items():
        for ext, text in _render(src).items():
            out[GOLDEN / f"{name}.{ext}"] = text
    return out


def generated_now() -> set[Path]:
    """The report files currently in reports/ and tests/golden/ (to find leftovers)."""
    found = set()
    for folder in (REPORTS, GOLDEN):
        if folder.is_dir():
            found |= {p for p in folder.rglob("*") if p.suffix in (".html", ".md")
                      and p.name != "README.md"}
    return found


def stale() -> list[str]:
    """Files that differ from what the code generates, or should not be there."""
    want = expected()
    bad = [str(p.relative_to(ROOT)) for p, text in sorted(want.items())
           if not p.is_file() or p.read_bytes() != text.encode("utf-8")]
    bad += [f"{p.relative_to(ROOT)} (no longer generated)"
            for p in sorted(generated_now() - set(want))]
    return bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="list stale files; change nothing")
    args = ap.parse_args(argv)
    if args.check:
        bad = stale()
        for b in bad:
            print(f"stale: {b}", file=sys.stderr)
        if bad:
            print("run: python scripts/regen_reports.py", file=sys.stderr)
        return 1 if bad else 0
    from cyberdip.yamlio import write_atomic

    want = expected()
    for p in sorted(generated_now() - set(want)):
        p.unlink()
        print(f"removed {p.relative_to(ROOT)}", file=sys.stderr)
    for p, text in sorted(want.items()):
        if not p.is_file() or p.read_bytes() != text.encode("utf-8"):
            p.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(p, text)
            print(f"wrote {p.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
