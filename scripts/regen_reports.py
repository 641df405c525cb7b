"""Regenerate the sample reports in reports/ and the golden files in tests/golden/.

    python scripts/regen_reports.py          # rewrite what changed
    python scripts/regen_reports.py --check  # exit 1, listing stale files, change nothing

reports/ holds an HTML and a Markdown report for every assessment under examples/
(including examples/missions/ and examples/frameworks/), at the same relative path:
examples/missions/x.yaml -> reports/missions/x.html and reports/missions/x.md. Rubric
files under examples/ (examples/frameworks/*/rubric*.yaml, which the assessments beside
them name) have no report and are skipped. A few examples also get the reports of
``EXTRA``: the one-page brief (HTML and PDF, with a marking, and with the trend against
a previous assessment where there is one) and the Urdu report (HTML, PDF and
Markdown). tests/golden/ pins the templates against the small test fixture, and the
trend (``cyberdip trend``) against a three-year series of it. The tests
run the same code into a temporary folder and compare bytes, so a template change
without a regeneration fails CI.
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
#: golden files of ``cyberdip trend``: name -> the assessments of the series (labelled by
#: their file names, as ``cyberdip trend`` run in their folder labels them)
_PROGRESS = ROOT / "tests" / "data" / "portfolio" / "progress"
GOLDEN_SERIES = {"series": [_PROGRESS / "2023.yaml", _PROGRESS / "2024.yaml",
                            _PROGRESS / "2025-v2.yaml"]}
FORMATS = ("html", "md")  # names in cyberdip.report.registry

#: example (relative to examples/, no suffix) -> {suffix of the report: how it is made}.
#: The same as ``cyberdip report EXAMPLE [options] -o reports/EXAMPLE.SUFFIX``.
EXTRA: dict[str, dict[str, dict]] = {
    "pakistan-mofa-2023": {
        "brief.html": {"brief": True, "marking": "TLP:CLEAR"},
        "brief.pdf": {"brief": True, "marking": "TLP:CLEAR"},
        "ur.html": {"lang": "ur"},
        "ur.md": {"lang": "ur"},
        "ur.pdf": {"lang": "ur"},
    },
    "pakistan-mofa-2025-followup": {
        "brief.pdf": {"brief": True, "marking": "TLP:CLEAR",
                      "previous": "pakistan-mofa-2023.yaml"},
    },
}


def _scored(path: Path):
    from cyberdip.engine.scoring import score
    from cyberdip.errors import InvalidInput
    from cyberdip.formats import documents

    checked = documents.load_assessment(str(path))
    if checked.errors:
        raise InvalidInput(checked.errors)
    return checked, score(checked.rubric, checked.assessment)


def _render(path: Path) -> dict[str, str]:
    from cyberdip.report import registry

    _checked, card = _scored(path)
    return {ext: registry.render(ext, card).decode("utf-8") for ext in FORMATS}


def render_series(paths: list[Path]) -> dict[str, str]:
    """A series' HTML and Markdown, as ``cyberdip trend`` writes them."""
    from cyberdip.engine.series import series
    from cyberdip.report import registry

    s = series([(p.name, _scored(p)[1]) for p in paths])
    return {ext: registry.render(ext, s).decode("utf-8") for ext in FORMATS}


def _is_rubric(path: Path) -> bool:
    from cyberdip import yamlio
    from cyberdip.formats import documents

    return documents.detect_kind(yamlio.load(path)) == "rubric"


def _render_extra(path: Path, how: dict, suffix: str) -> bytes:
    """One report of ``EXTRA``, as ``cyberdip report`` writes it."""
    from cyberdip.engine.compare import compare
    from cyberdip.formats import documents
    from cyberdip.report import registry
    from cyberdip.report.i18n import RubricWords

    checked, card = _scored(path)
    if how.get("marking"):
        card = card.model_copy(update={"marking": how["marking"]})
    options: dict = {"brief": how.get("brief", False), "lang": how.get("lang", "en")}
    if options["lang"] != "en":
        found = documents.load_translation_for(checked.rubric, checked.rubric_path,
                                               options["lang"])
        options["rubric_words"] = RubricWords(options["lang"], found[0] if found else None)
    if how.get("previous"):
        prev = path.parent / how["previous"]
        _old_checked, old = _scored(prev)
        options["comparison"] = compare(old, card, old_label=prev.name, new_label=path.name,
                                        new_path=str(path))
    return registry.render(suffix.rsplit(".", 1)[1], card, **options)


def example_files() -> list[Path]:
    """The assessments under examples/, sorted: every YAML file but the rubrics."""
    if not EXAMPLES.is_dir():
        return []
    return sorted(p for p in EXAMPLES.rglob("*")
                  if p.suffix in (".yaml", ".yml") and p.name != "pack.yaml" and not _is_rubric(p))


def expected(*, pdf: bool = True) -> dict[Path, str | bytes]:
    """Every generated file (absolute path in this checkout) with its content; without
    ``pdf``, the PDFs are left out (their bytes depend on the Typst version)."""
    out: dict[Path, str | bytes] = {}
    for src in example_files():
        rel = src.relative_to(EXAMPLES).with_suffix("")
        for ext, text in _render(src).items():
            out[REPORTS / rel.with_suffix(f".{ext}")] = text
        for suffix, how in EXTRA.get(rel.as_posix(), {}).items():
            if pdf or not suffix.endswith(".pdf"):
                out[REPORTS / rel.parent / f"{rel.name}.{suffix}"] = _render_extra(src, how,
                                                                                   suffix)
    for name, src in GOLDEN_SOURCES.items():
        for ext, text in _render(src).items():
            out[GOLDEN / f"{name}.{ext}"] = text
    for name, paths in GOLDEN_SERIES.items():
        for ext, text in render_series(paths).items():
            out[GOLDEN / f"{name}.{ext}"] = text
    return out


def generated_now() -> set[Path]:
    """The report files currently in reports/ and tests/golden/ (to find leftovers)."""
    found = set()
    for folder in (REPORTS, GOLDEN):
        if folder.is_dir():
            found |= {p for p in folder.rglob("*") if p.suffix in (".html", ".md", ".pdf")
                      and p.name != "README.md"}
    return found


def _bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


def stale(*, pdf: bool = True) -> list[str]:
    """Files that differ from what the code generates, or should not be there."""
    want = expected(pdf=pdf)
    bad = [str(p.relative_to(ROOT)) for p, text in sorted(want.items())
           if not p.is_file() or p.read_bytes() != _bytes(text)]
    bad += [f"{p.relative_to(ROOT)} (no longer generated)"
            for p in sorted(generated_now() - set(want)) if pdf or p.suffix != ".pdf"]
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
        if not p.is_file() or p.read_bytes() != _bytes(text):
            p.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(p, text)
            print(f"wrote {p.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
