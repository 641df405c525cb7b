"""Median wall time to render the HTML report through the CLI, next to `cyberdip --version`.

    python benchmarks/bench_report.py [ASSESSMENT] [--runs N]

Each run is a fresh process (what a user waits for), so the figures include Python's
start-up and the imports. Default assessment: examples/pakistan-mofa-2023.yaml, else
the mini test fixture.
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


def median_seconds(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cyberdip", *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    default = ROOT / "examples" / "pakistan-mofa-2023.yaml"
    if not default.exists():
        default = ROOT / "tests" / "data" / "assessments" / "mini-answered.yaml"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("assessment", nargs="?", default=str(default))
    ap.add_argument("--runs", type=int, default=7, help="runs per command (at least 5)")
    a = ap.parse_args()
    runs = max(a.runs, 5)
    with tempfile.TemporaryDirectory() as d:
        out = str(Path(d) / "report.html")
        median_seconds(["report", a.assessment, "-o", out], 1)  # warm the file cache
        report = median_seconds(["report", a.assessment, "-o", out], runs)
        size = Path(out).stat().st_size
    version = median_seconds(["--version"], runs)
    print(f"cyberdip --version              median {version * 1000:7.1f} ms  ({runs} runs)")
    print(f"cyberdip report ... -o x.html   median {report * 1000:7.1f} ms  ({runs} runs, "
          f"{size:,} bytes, {Path(a.assessment).name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
