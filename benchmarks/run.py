"""One table of every figure we track, each next to its target.

    python benchmarks/run.py [--runs N] [--sizes 1000 10000] [--markdown]

Every command runs as a fresh process (what a user waits for), at least five times;
the table shows medians. Where a figure is a ratio, both sides are timed in this same
run, alternating one run of each, so that a busy machine slows both alike:

* start-up: `cyberdip --version` against a minimal Typer app (target <= 1.3x);
* validate: `cyberdip validate rubrics/` against `check-jsonschema --schemafile
  schemas/rubric.schema.json rubrics/*.yaml` (target <= 1.0x);
* score: `cyberdip score examples/pakistan-mofa-2023.yaml`, and the HTML report of the
  same file (no targets set; tracked, shown with their cost above start-up);
* aggregate: `cyberdip aggregate` to HTML over 1,000 and 10,000 synthetic missions
  (benchmarks/gen_missions.py): 1,000 in <= 3 s and <= 200 MB peak (the whole process
  tree), 10,000 in <= 11x the 1,000 time.

It reuses the timing code of bench_validate.py (the minimal Typer app and
``paired_medians``), bench_report.py (``median_seconds``) and bench_aggregate.py
(``run_once``: wall time and peak memory from wait4 and /proc). It exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

import bench_aggregate  # noqa: E402
import bench_report  # noqa: E402
import bench_validate  # noqa: E402
import gen_missions  # noqa: E402


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f", {int(line.split()[1]) / 1024 / 1024:.1f} GB RAM"
    except OSError:
        pass
    return (f"{os.cpu_count()} CPUs ({cpu}){ram}, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def ms(s: float) -> str:
    return f"{s * 1000:,.0f} ms"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="runs per command (at least 5)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000],
                    help="portfolio sizes for aggregate (default 1000 10000)")
    args = ap.parse_args(argv)
    runs = max(5, args.runs)
    cyberdip = str(BIN / "cyberdip")
    load_start = os.getloadavg()[0]
    rows: list[tuple[str, str, str, str, bool | None]] = []  # what, figure, vs, target, ok

    with tempfile.TemporaryDirectory(prefix="cyberdip-bench-") as tmp:
        t = Path(tmp)
        minimal = t / "minimal_typer_app.py"
        minimal.write_text(bench_validate.MINIMAL_TYPER_APP)
        ours, base = bench_validate.paired_medians(
            [cyberdip, "--version"], [sys.executable, str(minimal), "--version"], runs)
        version = ours
        rows.append(("start-up: `cyberdip --version`", ms(ours),
                     f"minimal Typer app {ms(base)}: **{ours / base:.2f}x**", "<= 1.3x",
                     ours / base <= 1.3))

        rubrics = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "rubrics").glob("*.yaml"))
        schema = ROOT / "schemas" / "rubric.schema.json"
        if not schema.exists():  # made by `cyberdip schema rubric`
            schema = t / "rubric.schema.json"
            import subprocess

            schema.write_bytes(subprocess.run([cyberdip, "schema", "rubric"], check=True,
                                              capture_output=True).stdout)
        ours, base = bench_validate.paired_medians([cyberdip, "validate", "rubrics/"],
                            [str(BIN / "check-jsonschema"), "--schemafile", str(schema),
                             *rubrics], runs)
        rows.append(("`cyberdip validate rubrics/`", ms(ours),
                     f"check-jsonschema {ms(base)}: **{ours / base:.2f}x**", "<= 1.0x",
                     ours / base <= 1.0))

        example = "examples/pakistan-mofa-2023.yaml"
        score = bench_report.median_seconds(["score", example], runs)
        rows.append((f"`cyberdip score {example}`", ms(score),
                     f"{ms(score - version)} above start-up", "none set", None))
        out = str(t / "report.html")
        report = bench_report.median_seconds(["report", example, "-o", out], runs)
        rows.append((f"HTML report of {example}", ms(report),
                     f"{ms(report - version)} above start-up; "
                     f"{Path(out).stat().st_size / 1024:,.0f} KB", "none set", None))

        medians: dict[int, float] = {}
        for n in args.sizes:
            folder = t / f"missions-{n}"
            gen_missions.generate(folder, n, rubric_ref="cyberdip-core", seed=1)
            cmd = [sys.executable, "-m", "cyberdip", "aggregate", str(folder), "-f", "html",
                   "-o", str(t / f"portfolio-{n}.html"), "--force"]
            results = [bench_aggregate.run_once(cmd) for _ in range(runs)]
            medians[n] = med = statistics.median(r[0] for r in results)
            peak = max(r[2] for r in results)  # the whole process tree, summed
            cpu = statistics.median(r[3] for r in results)
            if n == 1000:
                rows.append(("`aggregate` 1,000 missions to HTML", f"{med:.2f} s",
                             f"CPU time {cpu:.2f} s (all processes)", "<= 3 s", med <= 3.0))
                rows.append(("`aggregate` 1,000: peak memory (process tree)", f"{peak:.0f} MB",
                             "", "<= 200 MB", peak <= 200))
            else:
                ratio = f"**{med / medians[1000]:.1f}x** the 1,000 time" if 1000 in medians \
                    else ""
                target = "<= 11x the 1,000 time" if n == 10000 else "none set"
                ok = (med / medians[1000] <= 11) if n == 10000 and 1000 in medians else None
                rows.append((f"`aggregate` {n:,} missions to HTML", f"{med:.2f} s",
                             f"{ratio}; CPU time {cpu:.2f} s; peak {peak:.0f} MB", target, ok))

    print(f"Machine: {machine()}.  ")
    print(f"Medians of {runs} runs, each a fresh process; ratios measured in the same run "
          f"(`python benchmarks/run.py`). Load average {load_start:.2f} at start, "
          f"{os.getloadavg()[0]:.2f} at end.")
    print()
    print("| Figure | Median | Compared with | Target | Met |")
    print("|---|---:|---|---|---|")
    for what, fig, vs, target, ok in rows:
        met = "—" if ok is None else ("yes" if ok else "**no**")
        print(f"| {what} | {fig} | {vs} | {target} | {met} |")
    missed = [r[0] for r in rows if r[4] is False]
    for m in missed:
        print(f"target missed: {m}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
