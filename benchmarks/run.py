"""One table of every figure we track, each next to its target, from an installed wheel.

    python benchmarks/run.py [--runs N] [--sizes 1000 10000] [--markdown] [--editable]

By default it builds a wheel of this checkout (``pip wheel --no-deps``), installs it with
its dependencies, its Word extra and check-jsonschema into a new virtual environment in a
temporary folder, times that environment's ``cyberdip`` entry point, and deletes it all at
the end: what a user who ran ``pip install 'cyberdip[word]'`` waits for. ``--editable``
skips the wheel and uses the environment running this script instead (quicker, for
development).

Every command is a fresh process, run ``--runs`` times (default 7); the table shows
medians. Each figure is a ratio of two commands timed side by side in this same run, one
run of each in turn (and the order swapped every other round), so that a busy machine
slows both alike. The figures and their targets:

* ``cyberdip COMMAND --help``, every command (and ``cyberdip --help``), against a minimal
  Typer app with one argument (benchmarks/baselines/minimal_typer_app.py): <= 1.2x;
* a usage error, ``cyberdip score --no-such-option``, against the same app's: <= 1.2x;
* ``cyberdip score examples/pakistan-mofa-2023.yaml`` against a floor that imports PyYAML
  and pydantic and loads the rubric and the assessment with CSafeLoader
  (baselines/floor_score.py): <= 2.0x;
* ``cyberdip report`` of the same example to HTML against ``cyberdip score``: <= 1.1x;
* ``cyberdip report`` of the same example to Word (.docx) against the HTML report:
  tracked, with no target yet (it needs the ``word`` extra);
* ``cyberdip aggregate`` (to HTML) of 1,000 generated missions (gen_missions.py) against
  reading and parsing them with CSafeLoader in two processes (baselines/floor_parse.py):
  <= 2.0x;
* ``aggregate`` of 10,000 against 1,000: <= 10x;
* ``cyberdip validate`` of the 1,000 missions against ``check-jsonschema --schemafile
  schemas/assessment.schema.json`` on the same files: <= 0.08x;
* the peak resident memory of ``aggregate`` of 10,000, summed over its process tree
  (sampled from /proc every 10 ms): < 200 MB;
* ``cyberdip score`` of an ITU GCI example naming its rubric by id, found through
  ``--packs examples/frameworks`` (three packs' manifests read, the pack's files hashed),
  against the same example naming its rubric by path: tracked, with no target.
* ``cyberdip import`` of a filled workbook (fill_workbooks.py) against a floor that loads
  the rubric as score's floor does and reads every cell with openpyxl in read-only mode
  (baselines/floor_import.py): <= 1.5x;
* the PDF report and the one-page brief of the example against score's floor plus one
  bare Typst compile of the very source cyberdip typesets (pdf_source.py writes it,
  baselines/floor_pdf.py compiles it, and must give cyberdip's PDF byte for byte):
  <= 1.5x;
* ``cyberdip merge`` of 100 filled workbooks against 10: <= 12x (linear in the count);
* the stack floors of the three figures that miss their targets, tracked with no target
  of their own: the same work with only what typer, pydantic and Jinja2 add to a floor
  (``cyberdip score`` with ``import jinja2`` first, against ``score``;
  baselines/stack_brief.py against the brief's floor; baselines/stack_aggregate.py
  against floor_parse.py). docs/performance.md reads each target's headroom over them;
* recorded without a target, each against score's floor: the offline form (``init -o
  form.html``), ``export`` (OSCAL), ``signoff`` and ``signoff --check``, ``history``,
  ``status`` of a cycle, ``sensitivity`` of 100 missions, ``plan`` (the action plan as
  CSV), ``trend`` of the example and its follow-up, and ``import-oscal`` of the built-in
  rubric exported as a catalog.

check-jsonschema is a floor, so its version is pinned (``CHECK_JSONSCHEMA_PIN``): the
wheel's environment installs that version, and an ``--editable`` run times only that
version. Timed commands write bytecode as a user's install has it, even when the caller
sets PYTHONDONTWRITEBYTECODE.

``--sizes`` changes the two portfolio sizes (the growth target scales with their ratio).
cyberdip is driven only through its command line, never imported, so the package's
internal layout can change freely. A figure that cannot be measured (say check-jsonschema
does not install) is printed as "not measured" with the reason. Exit status: 1 when any
measured figure misses its target, 2 when no cyberdip could be built or found to time at
all, else 0 (figures not measured do not fail the run; the last line counts them).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASELINES = HERE / "baselines"
EXAMPLE = "examples/pakistan-mofa-2023.yaml"
RUBRIC = "rubrics/cyberdip-core.yaml"
FOLLOWUP = "examples/pakistan-mofa-2025-followup.yaml"
ASSESSMENT_SCHEMA = "schemas/assessment.schema.json"
#: check-jsonschema is a floor: pinned, so that it does not drift with the test bounds
CHECK_JSONSCHEMA_PIN = "0.39.0"
sys.path.insert(0, str(HERE))

import bench_aggregate  # noqa: E402
import bench_validate  # noqa: E402


@dataclass
class Row:
    figure: str
    target: str
    ours: str = ""
    baseline: str = ""
    ratio: str = ""
    ok: bool | None = None  # None: not measured
    why: str = ""  # the reason it was not measured
    tracked: bool = False  # a figure we track with no target: never met nor missed


@dataclass
class Env:
    """Where the commands under test live."""

    bin: Path
    how: str  # one line for the header
    cjs: str | None = None  # check-jsonschema, or None ...
    cjs_why: str = ""  # ... and why

    @property
    def python(self) -> str:
        return str(self.bin / "python")

    @property
    def cyberdip(self) -> str:
        return str(self.bin / "cyberdip")


class NotMeasured(Exception):
    pass


def _ms(s: float) -> str:
    return f"{s * 1000:,.0f} ms"


def _s(s: float) -> str:
    return f"{s:,.2f} s"


def _short(text: str, limit: int = 200) -> str:
    lines = [ln.strip() for ln in str(text).strip().splitlines() if ln.strip()]
    one = " / ".join(lines[-3:]) if lines else "no message"
    return one if len(one) <= limit else one[: limit - 3] + "..."


def _check(cmd: list[str], what: str, **kw) -> subprocess.CompletedProcess:
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise NotMeasured(f"{what} failed (exit {p.returncode}): {_short(p.stderr or p.stdout)}")
    return p


# -- the environment under test ---------------------------------------------------------


def wheel_env(tmp: Path, log: Callable[[str], None]) -> Env:
    """Build a wheel of the checkout and install it (and check-jsonschema) in a new venv."""
    dist = tmp / "dist"
    log("building the wheel ...")
    _check([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(ROOT)],
           "pip wheel", cwd=tmp)
    wheels = sorted(dist.glob("cyberdip-*.whl"))
    if not wheels:
        raise NotMeasured(f"pip wheel made no cyberdip wheel in {dist}")
    venv = tmp / "venv"
    log(f"installing {wheels[0].name} into a temporary venv ...")
    _check([sys.executable, "-m", "venv", str(venv)], "python -m venv")
    py = str(venv / "bin" / "python")
    env = Env(venv / "bin", f"wheel {wheels[0].name}, installed in a new temporary venv")
    wheel = f"{wheels[0]}[pdf,word]"  # the extras, for the PDF and Word figures
    both = subprocess.run([py, "-m", "pip", "install", "-q", wheel,
                           f"check-jsonschema=={CHECK_JSONSCHEMA_PIN}"],
                          capture_output=True, text=True)
    if both.returncode != 0:  # perhaps only check-jsonschema is unavailable: try without it
        _check([py, "-m", "pip", "install", "-q", wheel], "pip install of the wheel")
        env.cjs_why = f"check-jsonschema did not install: {_short(both.stderr)}"
    else:
        env.cjs = str(venv / "bin" / "check-jsonschema")
    return env


def editable_env() -> Env:
    bin_ = Path(sys.executable).parent
    if not (bin_ / "cyberdip").exists():
        raise NotMeasured(f"no cyberdip entry point next to {sys.executable}")
    env = Env(bin_, f"--editable: the environment of {sys.executable} (no wheel built)")
    if (bin_ / "check-jsonschema").exists():
        env.cjs = str(bin_ / "check-jsonschema")
        pinned_check_jsonschema(env)
    else:
        env.cjs_why = f"check-jsonschema is not installed next to {sys.executable}"
    return env


def versions(env: Env) -> str:
    code = ("import importlib.metadata as m, json\n"
            "out = {}\n"
            "for d in ['cyberdip', 'typer', 'click', 'pydantic', 'PyYAML', 'Jinja2', 'rich',"
            " 'check-jsonschema']:\n"
            "    try: out[d] = m.version(d)\n"
            "    except Exception: pass\n"
            "try:\n"
            "    import yaml; out['libyaml'] = bool(yaml.__with_libyaml__)\n"
            "except Exception: out['libyaml'] = False\n"
            "print(json.dumps(out))")
    try:
        v = json.loads(_check([env.python, "-c", code], "reading versions").stdout)
    except (NotMeasured, ValueError) as e:
        return f"versions unknown ({e})"
    lib = "with libyaml" if v.pop("libyaml", False) else "WITHOUT libyaml (no CSafeLoader)"
    return ", ".join(f"{k} {val}" for k, val in v.items()) + f"; PyYAML {lib}"


def source() -> str:
    """Which code the wheel was built from: the commit, and how many files differ from it
    (read-only git commands; other people may be editing the checkout meanwhile)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True,
                              check=True).stdout

    try:
        head = git("rev-parse", "--short", "HEAD").strip()
        paths = ["cyberdip", "rubrics", "pyproject.toml"]
        changed = {*git("diff", "--name-only", "HEAD", "--", *paths).split(),
                   *git("ls-files", "--others", "--exclude-standard", "--", *paths).split()}
    except (OSError, subprocess.CalledProcessError):
        return "source: not a git checkout"
    return (f"source: commit {head}" + (f" plus uncommitted changes to {len(changed)} files of "
                                        "the package" if changed else ", unmodified"))


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


# -- the figures --------------------------------------------------------------------------


def ratio_row(figure: str, target: float, ours: float, base: float, base_name: str,
              fmt: Callable[[float], str] = _ms) -> Row:
    r = ours / base
    return Row(figure, f"<= {target:g}x", fmt(ours), f"{base_name} {fmt(base)}", f"{r:.2f}x",
               r <= target)


def commands(env: Env) -> list[str]:
    """The command names `cyberdip --help` lists (plain Click or Rich-boxed help)."""
    text = _check([env.cyberdip, "--help"], "cyberdip --help", cwd=ROOT).stdout
    names, inside = [], False
    for line in text.splitlines():
        bare = line.strip().strip("│|╭╮╰╯─-+ ").strip()
        if re.match(r"^commands:?$", bare, re.I):
            inside = True
            continue
        if not inside:
            continue
        if not bare:
            if names:
                break
            continue
        m = re.match(r"^\s*[│|]?\s*([a-z][a-z0-9_-]*)(?:\s{2,}|\s*[│|]?\s*$)", line)
        if m and line.startswith((" ", "│", "|")):
            names.append(m.group(1))
        elif re.match(r"^\S", line) and names:  # the next section
            break
    if not names:
        raise NotMeasured("found no commands in `cyberdip --help`")
    return names


def fig_help(env: Env, runs: int) -> list[Row]:
    minimal = [env.python, str(BASELINES / "minimal_typer_app.py"), "--help"]
    rows = []
    try:
        names = commands(env)
    except NotMeasured as e:
        return [Row("`cyberdip COMMAND --help`", "<= 1.2x", why=str(e))]
    for name in [None, *names]:
        argv = [env.cyberdip, "--help"] if name is None else [env.cyberdip, name, "--help"]
        label = "`cyberdip --help`" if name is None else f"`cyberdip {name} --help`"
        rows += measure(label, "<= 1.2x", lambda argv=argv, label=label: [ratio_row(
            label, 1.2, *bench_validate.paired_medians(argv, minimal, runs),
            "minimal Typer app")])
    return rows


def fig_usage_error(env: Env, runs: int) -> list[Row]:
    label = "usage error: `cyberdip score --no-such-option`"
    ours = [env.cyberdip, "score", "--no-such-option"]
    theirs = [env.python, str(BASELINES / "minimal_typer_app.py"), "--no-such-option"]
    for cmd in (ours, theirs):  # exit 2 alone could be Python failing to open the script
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if p.returncode != 2 or "no such option" not in (p.stderr + p.stdout).lower():
            raise NotMeasured(f"{' '.join(cmd[-2:])} gave exit {p.returncode} and not the "
                              f"usage error expected: {_short(p.stderr or p.stdout)}")
    ours, base = bench_validate.paired_medians(ours, theirs, runs, ok=(2,))
    return [ratio_row(label, 1.2, ours, base, "minimal Typer app")]


def fig_score(env: Env, runs: int) -> list[Row]:
    ours, base = bench_validate.paired_medians(
        [env.cyberdip, "score", EXAMPLE],
        [env.python, str(BASELINES / "floor_score.py"), RUBRIC, EXAMPLE], runs)
    return [ratio_row(f"`cyberdip score {EXAMPLE}`", 2.0, ours, base,
                      "floor_score.py")]


def fig_packs(env: Env, runs: int, tmp: Path) -> list[Row]:
    """The cost of the rubric-pack search path (docs/packs.md): no target."""
    example = ROOT / "examples" / "frameworks" / "itu-gci" / "pakistan-2024.yaml"
    by_id = tmp / "pakistan-2024-by-id.yaml"
    text = example.read_text(encoding="utf-8")
    if "\nrubric: rubric.yaml\n" not in text:
        raise NotMeasured(f"{example.name} no longer names its rubric as rubric.yaml")
    by_id.write_text(text.replace("\nrubric: rubric.yaml\n", "\nrubric: itu-gci\n"),
                     encoding="utf-8")
    ours, base = bench_validate.paired_medians(
        [env.cyberdip, "score", str(by_id), "--packs", str(ROOT / "examples" / "frameworks")],
        [env.cyberdip, "score", str(example)], runs)
    return [Row("`cyberdip score` of a GCI example, its rubric found by id with `--packs`",
                "none (tracked)", _ms(ours), f"named by path {_ms(base)}", f"{ours / base:.2f}x",
                True, tracked=True)]


def fig_report(env: Env, runs: int, tmp: Path) -> list[Row]:
    out = tmp / "report.html"
    ours, base = bench_validate.paired_medians(
        [env.cyberdip, "report", EXAMPLE, "-o", str(out), "--force"],
        [env.cyberdip, "score", EXAMPLE], runs, ok=(0, 1))
    size = out.stat().st_size / 1024
    row = ratio_row(f"`cyberdip report {EXAMPLE} -o x.html` ({size:,.0f} KB)", 1.1, ours, base,
                    "`cyberdip score`")
    # The stack floor: what importing the template engine alone adds to `score`. Both
    # sides run the installed entry point the same way, one of them after `import jinja2`.
    entry = (f"import runpy, sys; sys.argv = ['cyberdip', 'score', {EXAMPLE!r}]; "
             f"runpy.run_path({env.cyberdip!r}, run_name='__main__')")
    with_jinja, plain = bench_validate.paired_medians(
        [env.python, "-c", f"import jinja2; {entry}"], [env.python, "-c", entry], runs)
    stack = Row("`cyberdip score` with Jinja2 imported first (its import alone)", STACK,
                _ms(with_jinja), f"`cyberdip score` {_ms(plain)}", f"{with_jinja / plain:.2f}x",
                True, tracked=True)
    return [row, stack]


def fig_word(env: Env, runs: int, tmp: Path) -> list[Row]:
    """The Word report against the HTML report of the same example: tracked, no target."""
    if subprocess.run([env.python, "-c", "import docx"], capture_output=True).returncode:
        raise NotMeasured("python-docx is not installed: pip install 'cyberdip[word]'")
    out, html = tmp / "report.docx", tmp / "report-beside.html"
    ours, base = bench_validate.paired_medians(
        [env.cyberdip, "report", EXAMPLE, "-o", str(out), "--force"],
        [env.cyberdip, "report", EXAMPLE, "-o", str(html), "--force"], runs, ok=(0, 1))
    size = out.stat().st_size / 1024
    row = ratio_row(f"`cyberdip report {EXAMPLE} -o x.docx` ({size:,.0f} KB)", 1.0, ours, base,
                    "HTML report")
    row.target, row.tracked = "none (tracked)", True
    return [row]


def fig_aggregate(env: Env, runs: int, tmp: Path, sizes: list[int],
                  folders: dict[int, Path]) -> list[Row]:
    """Floor, smallest and largest size in turn, in one loop (each ratio is paired)."""
    small, large = min(sizes), max(sizes)
    cmds: dict[str, list[str]] = {
        "floor": [env.python, str(BASELINES / "floor_parse.py"), str(folders[small]),
                  "--workers", "2"]}
    for n in sorted({small, large}):
        cmds[str(n)] = [env.cyberdip, "aggregate", str(folders[n]), "-f", "html",
                        "-o", str(tmp / f"portfolio-{n}.html"), "--force"]
    cmds["stack"] = [env.python, str(BASELINES / "stack_aggregate.py"), str(folders[small]),
                     "-o", str(tmp / "portfolio-stack.html")]
    bench_aggregate.run_once(cmds["floor"])  # warm the file cache and the .pyc files
    bench_aggregate.run_once(cmds[str(small)])
    results: dict[str, list[tuple[float, float, float, float]]] = {k: [] for k in cmds}
    order = list(cmds)
    for i in range(runs):
        for k in (order if i % 2 == 0 else order[::-1]):
            results[k].append(bench_aggregate.run_once(cmds[k]))

    def med(k: str, j: int = 0) -> float:
        return statistics.median(r[j] for r in results[k])

    rows = [ratio_row(f"`cyberdip aggregate` of {small:,} missions to HTML", 2.0,
                      med(str(small)), med("floor"), "floor_parse.py, 2 processes",
                      fmt=_s)]
    rows[0].ours += f" (CPU {med(str(small), 3):.2f} s)"
    rows[0].baseline += f" (CPU {med('floor', 3):.2f} s)"
    rows.append(Row(f"the least `aggregate` of {small:,} on cyberdip's stack "
                    "(stack_aggregate.py: typer, a pydantic model per file, a Jinja2 page)",
                    STACK, f"{_s(med('stack'))} (CPU {med('stack', 3):.2f} s)",
                    f"floor_parse.py, 2 processes {_s(med('floor'))}",
                    f"{med('stack') / med('floor'):.2f}x", True, tracked=True))
    if large != small:
        grow = large / small
        rows.append(ratio_row(f"`aggregate` of {large:,} missions, against the {small:,} time",
                              grow, med(str(large)), med(str(small)),
                              f"{small:,} missions", fmt=_s))
        rows[-1].ours += f" (CPU {med(str(large), 3):.1f} s)"
    else:
        rows.append(Row("`aggregate` growth", "<= 10x", why="needs two --sizes"))
    peak = max(r[2] for r in results[str(large)])
    biggest = max(r[1] for r in results[str(large)])
    rows.append(Row(f"peak memory of `aggregate` of {large:,} (process tree)", "< 200 MB",
                    f"{peak:,.0f} MB", f"largest single process {biggest:,.0f} MB", "",
                    peak < 200))
    return rows


def fig_validate(env: Env, runs: int, folder: Path) -> list[Row]:
    n = len(list(folder.glob("*.yaml")))
    label = f"`cyberdip validate` of {n:,} assessments"
    if env.cjs is None:
        return [Row(label, "<= 0.08x", why=env.cjs_why)]
    files = sorted(str(p) for p in folder.glob("*.yaml"))
    ours, base = bench_validate.paired_medians(
        [env.cyberdip, "validate", *files],
        [env.cjs, "--schemafile", ASSESSMENT_SCHEMA, *files], runs)
    return [ratio_row(label, 0.08, ours, base, "check-jsonschema", fmt=_s)]


def measure(figure: str, target: str, fn: Callable[[], list[Row]]) -> list[Row]:
    """Run one figure; if it cannot be measured, say why instead of stopping."""
    try:
        return fn()
    except KeyboardInterrupt:
        raise
    except (Exception, SystemExit) as e:  # the helpers exit with a message on failure
        if os.environ.get("BENCH_DEBUG"):
            traceback.print_exc()
        why = _short(str(e) or type(e).__name__)
        return [Row(figure, target, why=why)]


# -- output -------------------------------------------------------------------------------


HEAD = ("Figure", "Ours", "Baseline", "Ratio", "Target", "Met")


def cells(r: Row) -> tuple[str, ...]:
    if r.ok is None:
        return (r.figure, "", "", "", r.target, f"not measured: {r.why}")
    if r.tracked or r.target == RECORDED:
        return (r.figure, r.ours, r.baseline, r.ratio, r.target, "tracked")
    return (r.figure, r.ours, r.baseline, r.ratio, r.target, "yes" if r.ok else "**no**")


def print_table(rows: list[Row], markdown: bool) -> None:
    table = [cells(r) for r in rows]
    if markdown:
        print("| " + " | ".join(HEAD) + " |")
        print("|---|---:|---|---:|---|---|")
        for c in table:
            print("| " + " | ".join(c) + " |")
        return
    table = [tuple(x.replace("**", "").replace("`", "") for x in c) for c in table]
    widths = [max(len(c[i]) for c in [HEAD, *table]) for i in range(len(HEAD))]
    for c in [HEAD, tuple("-" * w for w in widths), *table]:
        print("  ".join(x.ljust(w) if i != 3 else x.rjust(w)
                        for i, (x, w) in enumerate(zip(c, widths, strict=True))).rstrip())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000],
                    help="portfolio sizes for aggregate and validate (default 1000 10000)")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--editable", action="store_true",
                    help="time the environment running this script; build no wheel")
    args = ap.parse_args(argv)
    runs = max(1, args.runs)
    sizes = sorted(set(args.sizes))
    if sizes[0] < 1:
        ap.error("--sizes must be at least 1")

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    # time what a user's install has: bytecode cached (pip compiles a wheel's modules at
    # install; an editable checkout writes its .pyc files on the first, untimed, run)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    load_start = os.getloadavg()
    started = time.perf_counter()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="cyberdip-bench-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            env = editable_env() if args.editable else wheel_env(tmp, log)
        except NotMeasured as e:
            print(f"could not set up cyberdip to time: {e}", file=sys.stderr)
            return 2
        installed = versions(env)
        built_from = source()

        log("--help of every command ...")
        rows += measure("`cyberdip COMMAND --help`", "<= 1.2x", lambda: fig_help(env, runs))
        log("usage error ...")
        rows += measure("usage error", "<= 1.2x", lambda: fig_usage_error(env, runs))
        log("score ...")
        rows += measure(f"`cyberdip score {EXAMPLE}`", "<= 2.0x", lambda: fig_score(env, runs))
        log("report ...")
        rows += measure("`cyberdip report` of the example", "<= 1.1x",
                        lambda: fig_report(env, runs, tmp))
        log("score with a rubric pack ...")
        rows += measure("`cyberdip score` with `--packs`", "none (tracked)",
                        lambda: fig_packs(env, runs, tmp))
        log("report to Word ...")
        rows += measure("`cyberdip report` of the example to Word", "none (tracked)",
                        lambda: fig_word(env, runs, tmp))

        folders = {n: tmp / f"missions-{n}" for n in sizes}
        gen_error = ""
        for n in {sizes[0], sizes[-1]}:
            log(f"generating {n:,} missions ...")
            try:
                _check([env.python, str(HERE / "gen_missions.py"), str(folders[n]), str(n)],
                       "gen_missions.py")
            except NotMeasured as e:
                gen_error = str(e)
        if gen_error:
            rows += [Row("`cyberdip aggregate`", "see the issue", why=gen_error)]
        else:
            log(f"aggregate of {sizes[0]:,} and {sizes[-1]:,}, and the floor ...")
            rows += measure("`cyberdip aggregate`", "<= 2.0x, <= 10x, < 200 MB",
                            lambda: fig_aggregate(env, runs, tmp, sizes, folders))
            log(f"validate of {sizes[0]:,} against check-jsonschema ...")
            rows += measure(f"`cyberdip validate` of {sizes[0]:,} assessments", "<= 0.08x",
                            lambda: fig_validate(env, runs, folders[sizes[0]]))
        rows += more_figures(env, runs, tmp, log)
    load_end = os.getloadavg()

    print(f"Machine: {machine()}.")
    print(f"Timed: {env.how} ({built_from}); {installed}.")
    print(f"Medians of {runs} runs per command, each a fresh process; both sides of a ratio "
          f"timed in turn in this run. Load average (1, 5, 15 min) "
          f"{', '.join(f'{x:.2f}' for x in load_start)} at start, "
          f"{', '.join(f'{x:.2f}' for x in load_end)} at end; "
          f"{(time.perf_counter() - started) / 60:.1f} minutes in all.")
    print()
    print_table(rows, args.markdown)
    missed = [r for r in rows if r.ok is False and not r.tracked]
    unmeasured = [r for r in rows if r.ok is None]
    tracked = [r for r in rows if r.tracked or r.target == RECORDED]
    print()
    print(f"{len(rows) - len(missed) - len(unmeasured) - len(tracked)} met, {len(missed)} "
          f"missed, {len(unmeasured)} not measured"
          + (f", {len(tracked)} tracked with no target." if tracked else "."))
    return 1 if missed else 0



# -- import, PDF, merge, and the commands recorded without a target ---------------------

RECORDED = "none (recorded)"
#: A figure's stack floor: the least its command could take with typer, pydantic and
#: Jinja2, the runtime dependencies the project must use (baselines/stack_*.py)
STACK = "none (stack floor)"


def pinned_check_jsonschema(env: Env) -> None:
    """An editable run times the check-jsonschema it finds, only at the pinned version."""
    code = "import importlib.metadata as m; print(m.version('check-jsonschema'))"
    p = subprocess.run([env.python, "-c", code], capture_output=True, text=True)
    found = p.stdout.strip() if p.returncode == 0 else "of an unknown version"
    if found != CHECK_JSONSCHEMA_PIN:
        env.cjs, env.cjs_why = None, (
            f"check-jsonschema {found} is installed; the floor is version "
            f"{CHECK_JSONSCHEMA_PIN} (pip install 'check-jsonschema=={CHECK_JSONSCHEMA_PIN}')")


def workbooks(env: Env, tmp: Path, n: int) -> list[Path]:
    """``n`` filled questionnaires of the built-in rubric (fill_workbooks.py), made once."""
    folder = tmp / "respondents"
    made = sorted(folder.glob("respondent-*.xlsx"))
    if len(made) < n:
        blank = tmp / "blank.xlsx"
        if not blank.exists():
            _check([env.cyberdip, "init", "cyberdip-core", "-o", str(blank)],
                   "cyberdip init", cwd=ROOT)
        _check([env.python, str(HERE / "fill_workbooks.py"), str(blank), str(folder), str(n)],
               "fill_workbooks.py", cwd=ROOT)
        made = sorted(folder.glob("respondent-*.xlsx"))
    return made[:n]


def fig_import(env: Env, runs: int, tmp: Path) -> list[Row]:
    book = workbooks(env, tmp, 1)[0]
    ours, base = bench_validate.paired_medians(
        [env.cyberdip, "import", str(book), "-o", str(tmp / "imported.yaml"), "--force"],
        [env.python, str(BASELINES / "floor_import.py"), RUBRIC, str(book)], runs)
    return [ratio_row("`cyberdip import` of a filled workbook", 1.5, ours, base,
                      "floor_import.py (openpyxl read-only)")]


def fig_pdf(env: Env, runs: int, tmp: Path, brief: bool) -> list[Row]:
    """The PDF against score's floor plus one bare Typst compile of the same source,
    which must give cyberdip's PDF byte for byte (else the floor is not the same work)."""
    what = "brief" if brief else "report"
    out, again = tmp / f"{what}.pdf", tmp / f"{what}-floor.pdf"
    args = ["report", EXAMPLE, "-o", str(out), "--force", *(["--brief"] if brief else [])]
    src = tmp / f"typst-{what}"
    fonts = _check([env.python, str(HERE / "pdf_source.py"), str(src), "--", *args],
                   "pdf_source.py", cwd=ROOT).stdout.strip().splitlines()[-1]
    floor = [env.python, str(BASELINES / "floor_pdf.py"), RUBRIC, EXAMPLE, str(src), fonts]
    _check([*floor, str(again)], "floor_pdf.py", cwd=ROOT)
    if out.read_bytes() != again.read_bytes():
        raise NotMeasured("the bare Typst compile did not give cyberdip's PDF byte for byte")
    ours, base = bench_validate.paired_medians([env.cyberdip, *args], floor, runs)
    size = out.stat().st_size / 1024
    label = (f"`cyberdip report {EXAMPLE} {'--brief ' if brief else ''}-o x.pdf` "
             f"({size:,.0f} KB)")
    rows = [ratio_row(label, 1.5, ours, base, "floor_score + bare `typst` compile")]
    if brief:  # the stack floor: typer and one pydantic model on top of the same work
        least = tmp / "brief-stack.pdf"
        stack = [env.python, str(BASELINES / "stack_brief.py"), RUBRIC, EXAMPLE, str(src),
                 fonts, "-o", str(least), "--brief"]
        _check(stack, "stack_brief.py", cwd=ROOT)
        if least.read_bytes() != out.read_bytes():
            raise NotMeasured("stack_brief.py did not give cyberdip's PDF byte for byte")
        theirs, base = bench_validate.paired_medians(stack, floor, runs)
        rows.append(Row("the least brief on cyberdip's stack (stack_brief.py: typer, one "
                        "pydantic model, the same compile)", STACK, _ms(theirs),
                        f"floor_score + bare `typst` compile {_ms(base)}",
                        f"{theirs / base:.2f}x", True, tracked=True))
    return rows


def fig_merge(env: Env, runs: int, tmp: Path, small: int = 10, large: int = 100) -> list[Row]:
    books = workbooks(env, tmp, large)
    out = tmp / "consensus.yaml"
    ours, base = bench_validate.paired_medians(
        [env.cyberdip, "merge", *map(str, books), "-o", str(out), "--force"],
        [env.cyberdip, "merge", *map(str, books[:small]), "-o", str(out), "--force"], runs)
    row = ratio_row(f"`cyberdip merge` of {large} workbooks, against {small}", 1.2 * large / small,
                    ours, base, f"{small} workbooks", fmt=_s)
    row.target = f"<= {1.2 * large / small:g}x (linear)"
    return [row]


def recorded_row(env: Env, label: str, cmd: list[str], runs: int) -> Row:
    """A command without a target yet: its time, and its ratio to score's load floor."""
    ours, base = bench_validate.paired_medians(
        cmd, [env.python, str(BASELINES / "floor_score.py"), RUBRIC, EXAMPLE], runs)
    return Row(label, RECORDED, _ms(ours) if ours < 10 else _s(ours),
               f"floor_score.py {_ms(base)}", f"{ours / base:.2f}x", True)


def fig_recorded(env: Env, runs: int, tmp: Path) -> list[Row]:
    """The offline form, OSCAL export, sign-off and its check, history, status, the
    sensitivity analysis, the action plan, the trend and the OSCAL catalog import."""
    work = tmp / "recorded"
    work.mkdir(exist_ok=True)
    copy = work / "example.yaml"
    copy.write_bytes((ROOT / EXAMPLE).read_bytes())
    signoff = [env.cyberdip, "signoff", str(copy), "--by", "A. Khan", "--role", "Director",
               "--date", "2026-01-01", "--force"]
    _check(signoff, "cyberdip signoff", cwd=ROOT)  # the sign-off and history to read back
    cycle = work / "cycle"
    cycle.mkdir(exist_ok=True)
    for areas, who in (("strategy", "Policy Planning"), ("capacity", "Human Resources")):
        _check([env.cyberdip, "init", "cyberdip-core", "--areas", areas, "--respondent", who,
                "-o", str(cycle / f"{areas}.xlsx")], "cyberdip init --respondent", cwd=ROOT)
    missions = work / "missions"
    _check([env.python, str(HERE / "gen_missions.py"), str(missions), "100"], "gen_missions.py")
    catalog = work / "core.catalog.json"  # the built-in rubric as an OSCAL catalog, to read back
    _check([env.cyberdip, "export", RUBRIC, "-o", str(catalog), "--force"], "cyberdip export",
           cwd=ROOT)
    todo = [
        ("`cyberdip init cyberdip-core -o form.html` (the offline form)",
         [env.cyberdip, "init", "cyberdip-core", "-o", str(work / "form.html"), "--force"]),
        (f"`cyberdip export {EXAMPLE} -o x.json` (OSCAL)",
         [env.cyberdip, "export", EXAMPLE, "-o", str(work / "x.oscal.json"), "--force"]),
        ("`cyberdip signoff` of the example", signoff),
        ("`cyberdip signoff --check` of the example",
         [env.cyberdip, "signoff", str(copy), "--check"]),
        ("`cyberdip history` of the example", [env.cyberdip, "history", str(copy)]),
        ("`cyberdip status` of a cycle of 2 sections", [env.cyberdip, "status", str(cycle)]),
        ("`cyberdip sensitivity` of 100 missions (1,000 draws)",
         [env.cyberdip, "sensitivity", str(missions)]),
        (f"`cyberdip plan {EXAMPLE} -o x.csv` (the action plan)",
         [env.cyberdip, "plan", EXAMPLE, "-o", str(work / "plan.csv"), "--force"]),
        ("`cyberdip trend` of the example and its follow-up",
         [env.cyberdip, "trend", EXAMPLE, FOLLOWUP]),
        ("`cyberdip import-oscal` of the built-in rubric as a catalog",
         [env.cyberdip, "import-oscal", str(catalog), "-o", str(work / "core.yaml"), "--force"]),
    ]
    rows = []
    for label, cmd in todo:
        rows += measure(label, RECORDED, lambda label=label, cmd=cmd: [
            recorded_row(env, label, cmd, runs)])
    return rows


def more_figures(env: Env, runs: int, tmp: Path, log: Callable[[str], None]) -> list[Row]:
    rows: list[Row] = []
    log("import of a filled workbook ...")
    rows += measure("`cyberdip import` of a filled workbook", "<= 1.5x",
                    lambda: fig_import(env, runs, tmp))
    for brief in (False, True):
        log(f"PDF {'brief' if brief else 'report'} and a bare Typst compile ...")
        rows += measure(f"`cyberdip report{' --brief' if brief else ''} -o x.pdf`", "<= 1.5x",
                        lambda brief=brief: fig_pdf(env, runs, tmp, brief))
    log("merge of 10 and of 100 workbooks ...")
    rows += measure("`cyberdip merge` of 100 workbooks, against 10", "<= 12x (linear)",
                    lambda: fig_merge(env, runs, tmp))
    log("form, export, signoff, history, status, sensitivity, plan, trend, import-oscal "
        "(recorded) ...")
    rows += measure("recorded commands", RECORDED, lambda: fig_recorded(env, runs, tmp))
    return rows

if __name__ == "__main__":
    sys.exit(main())
