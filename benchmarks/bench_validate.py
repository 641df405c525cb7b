"""Median wall time of `cyberdip validate` and `cyberdip --version`, as ratios to baselines.

    python benchmarks/bench_validate.py [--runs N]

Pairs, each command a fresh process run N times (default 7, at least 5):

* `cyberdip validate rubrics/` against `check-jsonschema --schemafile
  schemas/rubric.schema.json rubrics/*.yaml` on the same files. Target: at most
  1.0x, although validate also does the semantic checks a schema cannot.
* `cyberdip --version` against a minimal Typer app with one option. Target: at
  most 1.3x.

Both sides use the console scripts of the Python running this script (the venv).
These two pairs are older figures, kept for comparison; benchmarks/run.py prints the
figures tracked now, from an installed wheel, and reuses ``paired_medians`` from here.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# The same job as `cyberdip --version`: an app with an eager --version option and
# one command. (Running a command instead would make the baseline slower, and the
# ratio flattering: typer then imports pydantic to convert the parameters.)
MINIMAL_TYPER_APP = '''\
import typer

app = typer.Typer()


def _version(value: bool) -> None:
    if value:
        print("minimal 1.0")
        raise typer.Exit(0)


@app.callback()
def root(version: bool = typer.Option(False, "--version", callback=_version,
                                      is_eager=True)) -> None:
    pass


@app.command()
def hello(name: str = "world") -> None:
    print(f"hello {name}")


if __name__ == "__main__":
    app()
'''


def _run(cmd: list[str], ok: tuple[int, ...] = (0,)) -> float:
    """Wall seconds of one run of ``cmd`` (from the checkout's root), which must exit
    with one of the ``ok`` codes (a usage error is timed with ``ok=(2,)``)."""
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=1800)
    elapsed = time.perf_counter() - t
    if p.returncode not in ok:
        shown = " ".join(cmd if len(cmd) < 12 else [*cmd[:10], f"... ({len(cmd)} args)"])
        raise SystemExit(f"{shown} exited {p.returncode}, expected {' or '.join(map(str, ok))}:"
                         f" {p.stderr.decode(errors='replace').strip()[-800:]}")
    return elapsed


def paired_medians(ours: list[str], theirs: list[str], runs: int, *,
                   ok: tuple[int, ...] = (0,),
                   ok_theirs: tuple[int, ...] | None = None) -> tuple[float, float]:
    """Median seconds of each command, runs interleaved so both see the same machine load.

    The order alternates too (ours first, then theirs first), so neither side always
    runs right after the other's disk and CPU-cache footprint.
    """
    ok_theirs = ok if ok_theirs is None else ok_theirs
    _run(ours, ok), _run(theirs, ok_theirs)  # warm the file cache and the .pyc files
    a, b = [], []
    for i in range(runs):
        if i % 2:
            b.append(_run(theirs, ok_theirs))
            a.append(_run(ours, ok))
        else:
            a.append(_run(ours, ok))
            b.append(_run(theirs, ok_theirs))
    return statistics.median(a), statistics.median(b)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="runs per command (at least 5)")
    runs = max(5, ap.parse_args().runs)

    rubrics = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "rubrics").glob("*.yaml"))
    schema = "schemas/rubric.schema.json"
    cyberdip = str(BIN / "cyberdip")
    rows = []

    ours, theirs = paired_medians(
        [cyberdip, "validate", "rubrics/"],
        [str(BIN / "check-jsonschema"), "--schemafile", schema, *rubrics], runs)
    rows.append(("cyberdip validate rubrics/", ours,
                 f"check-jsonschema --schemafile {schema} rubrics/*.yaml", theirs, 1.0))

    with tempfile.TemporaryDirectory() as tmp:
        minimal = Path(tmp) / "minimal_typer_app.py"
        minimal.write_text(MINIMAL_TYPER_APP)
        ours, theirs = paired_medians([cyberdip, "--version"],
                                      [sys.executable, str(minimal), "--version"], runs)
    rows.append(("cyberdip --version", ours, "a minimal typer app --version", theirs, 1.3))

    print(f"median of {runs} runs each, Python {sys.version.split()[0]}")
    missed = 0
    for name, a, base, b, target in rows:
        ratio = a / b
        verdict = "ok" if ratio <= target else "MISSED"
        missed += ratio > target
        print(f"{name}: {a * 1000:.0f} ms vs {base}: {b * 1000:.0f} ms = {ratio:.2f}x "
              f"(target <= {target}x: {verdict})")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
