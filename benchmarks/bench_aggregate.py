"""Time `cyberdip aggregate` to HTML for 1,000 and 10,000 synthetic mission assessments.

    python benchmarks/bench_aggregate.py [--sizes 1000 10000] [--repeat 5] [--rubric ID]

For each size it generates the missions once (benchmarks/gen_missions.py, seed 1),
then runs the real CLI in a subprocess ``--repeat`` times and prints:

* the median wall time (and the fastest and slowest run);
* peak memory: the largest resident set of any one process (``ru_maxrss`` from
  ``wait4``, which covers the command and the worker processes it waited for), and
  the largest total resident set of the whole process tree, sampled every 10 ms
  from /proc (workers run at the same time, so their memory adds up);
* CPU time (user + system, all processes), which is steadier than wall time on a
  busy machine;
* the ratio of the largest size's median time to the smallest's.

It exits 1 when a target in docs/performance.md is missed: the largest size within
its share of the smallest's time (10,000 within 10 times the 1,000 time), and a peak of
less than 200 MB for the whole process tree. The ratio against a floor (parsing the
same files with CSafeLoader) is measured by run.py, which prints every tracked figure.
It runs ``python -m cyberdip`` of the Python running it (an editable install will do);
run.py times an installed wheel instead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen_missions  # noqa: E402


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_once(cmd: list[str]) -> tuple[float, float, float, float]:
    """(wall s, largest process MB, largest tree total MB, cpu s) for one run."""
    # stderr to a file, not a pipe: a pipe read only after the exit fills at 64 kB and
    # blocks cyberdip for ever (a thousand files' warnings are more than that)
    with tempfile.TemporaryFile() as err_file:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err_file)
        peak_total = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_total
            while not done.is_set():
                peak_total = max(peak_total, sum(_rss_kb(p) for p in _tree(proc.pid)))
                time.sleep(0.01)

        t = threading.Thread(target=sample, daemon=True)
        t.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        t.join()
        err_file.seek(0)
        stderr = err_file.read().decode(errors="replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"cyberdip failed ({proc.returncode}):\n{stderr}")
    return (wall, usage.ru_maxrss / 1024, peak_total / 1024, usage.ru_utime + usage.ru_stime)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rubric", default="cyberdip-core")
    ap.add_argument("--keep", type=Path, help="Generate the missions here and keep them.")
    args = ap.parse_args(argv)

    if args.keep:
        return _measure(args, args.keep)
    with tempfile.TemporaryDirectory(prefix="cyberdip-bench-") as tmp:
        return _measure(args, Path(tmp))


def _measure(args: argparse.Namespace, base: Path) -> int:
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.2f} at start")
    cmds: dict[int, list[str]] = {}
    for n in args.sizes:
        folder = base / f"missions-{n}"
        if not folder.is_dir() or len(list(folder.glob("*.yaml"))) != n:
            gen_missions.generate(folder, n, rubric_ref=args.rubric, seed=1)
        cmds[n] = [sys.executable, "-m", "cyberdip", "aggregate", str(folder), "-f", "html",
                   "-o", str(base / f"portfolio-{n}.html"), "--force"]
    # Interleave the sizes, so each sees the same machine load on average.
    runs: dict[int, list[tuple[float, float, float, float]]] = {n: [] for n in args.sizes}
    for _ in range(args.repeat):
        for n in args.sizes:
            runs[n].append(run_once(cmds[n]))
    print(f"{'size':>6}  {'median s':>8}  {'min s':>6}  {'max s':>6}  {'cpu s':>6}  "
          f"{'max proc MB':>11}  {'max total MB':>12}")
    medians: dict[int, float] = {}
    cpus: dict[int, float] = {}
    failures: list[str] = []
    for n in args.sizes:
        walls = [r[0] for r in runs[n]]
        med = medians[n] = statistics.median(walls)
        proc_mb = max(r[1] for r in runs[n])
        total_mb = max(r[2] for r in runs[n])
        cpu = cpus[n] = statistics.median(r[3] for r in runs[n])
        size = (base / f"portfolio-{n}.html").stat().st_size / 1e6
        print(f"{n:>6}  {med:>8.2f}  {min(walls):>6.2f}  {max(walls):>6.2f}  {cpu:>6.2f}  "
              f"{proc_mb:>11.0f}  {total_mb:>12.0f}   ({size:.1f} MB HTML)")
        if n == max(args.sizes) and total_mb >= 200:
            failures.append(f"{n:,} peaked at {total_mb:.0f} MB (target: under 200 MB)")
    if len(medians) > 1:
        lo, hi = min(medians), max(medians)
        ratio = medians[hi] / medians[lo]
        print(f"ratio {hi}/{lo}: {ratio:.2f} in wall time, {cpus[hi] / cpus[lo]:.2f} in CPU "
              f"time (target: at most {hi / lo:g}x for {hi / lo:g}x the files)")
        if ratio > hi / lo:
            failures.append(f"{hi:,} took {ratio:.1f}x the {lo:,} time (target {hi / lo:g}x)")
    print(f"load average {os.getloadavg()[0]:.2f} at end")
    for f in failures:
        print(f"target missed: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
