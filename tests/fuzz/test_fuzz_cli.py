"""Fuzz every command: the CLI never crashes, hangs, prints a traceback, leaves a
half-written or failed output behind, or touches its input.

The CLI runs in forked children of one subprocess (``driver.py``), so a segfault or a
hang shows up as a signal, while 10,000 examples per command stay within minutes.
Profiles and how to run the long one: tests/fuzz/README.md.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import fuzz_strategies as S
import pytest
from fuzz_harness import FUZZ, ROOT, ForkServer, Result
from hypothesis import given
from hypothesis import strategies as st

# The inputs are whole rubrics (100 KB): hypothesis warns when it prints one, and
# pytest's filterwarnings=error would turn that note into a failure.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")

TRACEBACK = re.compile(
    r"Traceback \(most recent call last\)"
    r"|^\s*File \"[^\"]*\", line \d+"
    r"|^(?:[a-z_]+\.)*[A-Z]\w*(?:Error|Exception|Warning):",
    re.M,
)


@contextmanager
def workdir(root: Path) -> Iterator[Path]:
    """A fresh folder laid out like a project: rubrics/mini.yaml, a/ for inputs, out/."""
    d = Path(tempfile.mkdtemp(dir=root))
    try:
        (d / "rubrics").mkdir()
        shutil.copyfile(S.MINI_RUBRIC, d / "rubrics" / "mini.yaml")
        (d / "a").mkdir()
        (d / "out").mkdir()
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def snapshot(work: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in work.rglob("*") if p.is_file()}


def check(r: Result, work: Path, before: dict[Path, bytes], *,
          output: Path | None = None, output_on_1: bool = False) -> None:
    """The four properties, plus: no temp files left, no object built from a python tag."""
    what = f"cyberdip {' '.join(r.argv)}\n--- stderr:\n{r.stderr[-3000:]}"
    assert r.signal is None, f"crashed or hung (signal {r.signal}): {what}"
    assert r.code in (0, 1, 2), f"exit code {r.code}: {what}"
    assert not TRACEBACK.search(r.stderr), f"traceback-like stderr: {what}"
    for path, data in before.items():
        assert path.exists() and path.read_bytes() == data, f"input {path} changed: {what}"
    if output is not None and r.code != 0 and not (output_on_1 and r.code == 1):
        assert not output.exists(), f"output left after a failed run (exit {r.code}): {what}"
    files = {p for p in work.rglob("*") if not p.is_dir()}
    after = files - set(before) - ({output} if output else set())
    assert not after, f"unexpected files {sorted(map(str, after))}: {what}"


def write(work: Path, name: str, data: bytes) -> Path:
    p = work / "a" / name
    p.write_bytes(data)
    return p


formats = st.sampled_from(["auto", "text", "json", "github"])


# -- validate ------------------------------------------------------------------------------


@FUZZ
@given(doc=S.mutated_document(), fmt=formats)
def test_validate_mutated(forkserver: ForkServer, fuzz_root: Path, doc, fmt) -> None:
    _, _, data = doc
    with workdir(fuzz_root) as work:
        f = write(work, "doc.yaml", data)
        before = snapshot(work)
        r = forkserver.run("validate", "-f", fmt, f, cwd=work)
        check(r, work, before)


@FUZZ
@given(data=S.spliced(), fmt=formats, folder=st.booleans())
def test_validate_spliced(forkserver: ForkServer, fuzz_root: Path, data, fmt, folder) -> None:
    with workdir(fuzz_root) as work:
        f = write(work, "doc.yaml", data)
        before = snapshot(work)
        r = forkserver.run("validate", "-f", fmt, f.parent if folder else f, cwd=work)
        check(r, work, before)


# -- score ---------------------------------------------------------------------------------


@st.composite
def assessment_setup(draw) -> tuple[bytes, bytes | None]:
    """(assessment bytes, mutated rubric bytes or None): mutated, spliced or both."""
    how = draw(st.sampled_from(["mutated", "mutated", "spliced"]))
    if how == "spliced":
        bases = tuple(p.read_bytes() for p in (*S.core_assessments(), S.MINI_ANSWERED))
        data = draw(S.spliced(bases))
        name = "mini" if b"mini.yaml" in data else "core"
    else:
        name, _, data = draw(S.mutated_document("assessment"))
        name = "mini" if name == "assessment:mini" else "core"
    rubric = None
    if draw(st.integers(0, 3)) == 0:  # also a mutated rubric
        key = "rubric:mini" if name == "mini" or "rubric:core" not in S.base_documents() \
            else "rubric:core"
        rubric = S.dump(draw(S.mutated(S.base_documents()[key][1])))
    return data, rubric


def place(work: Path, setup: tuple[bytes, bytes | None]) -> tuple[Path, list[str]]:
    """Write the assessment (and rubric); return its path and any --rubric option."""
    data, rubric = setup
    f = write(work, "assessment.yaml", data)
    if rubric is None:
        return f, []
    r = work / "rubrics" / "fuzzed.yaml"
    r.write_bytes(rubric)
    return f, ["--rubric", str(r)]


@FUZZ
@given(setup=assessment_setup(), fmt=st.sampled_from(["text", "json"]), strict=st.booleans(),
       gates=st.sampled_from([[], ["--min-coverage", "0"], ["--min-coverage", "100"],
                              ["--fail-under", "50"]]))
def test_score(forkserver: ForkServer, fuzz_root: Path, setup, fmt, strict, gates) -> None:
    with workdir(fuzz_root) as work:
        f, rubric = place(work, setup)
        before = snapshot(work)
        r = forkserver.run("score", f, "-f", fmt, *rubric, *(["--strict"] if strict else []),
                           *gates, cwd=work)
        check(r, work, before)


# -- report --------------------------------------------------------------------------------


@FUZZ
@given(setup=assessment_setup(), ext=st.sampled_from(["html", "md", "json"]),
       strict=st.booleans())
def test_report(forkserver: ForkServer, fuzz_root: Path, setup, ext, strict) -> None:
    with workdir(fuzz_root) as work:
        f, rubric = place(work, setup)
        out = work / "out" / f"report.{ext}"
        before = snapshot(work)
        r = forkserver.run("report", f, "-o", out, *rubric, *(["--strict"] if strict else []),
                           cwd=work)
        check(r, work, before, output=out)
        if r.code == 0:
            assert out.stat().st_size > 0


# -- compare -------------------------------------------------------------------------------


@FUZZ
@given(old=assessment_setup(), new=S.mutated_document("assessment"),
       fmt=st.sampled_from(["text", "json", "md", "html"]), to_file=st.booleans())
def test_compare(forkserver: ForkServer, fuzz_root: Path, old, new, fmt, to_file) -> None:
    with workdir(fuzz_root) as work:
        a, rubric = place(work, old)
        b = write(work, "new.yaml", new[2])
        out = work / "out" / f"compare.{fmt}"
        before = snapshot(work)
        r = forkserver.run("compare", a, b, "-f", fmt, *rubric,
                           *(["-o", str(out)] if to_file else []), cwd=work)
        check(r, work, before, output=out if to_file else None)


# -- aggregate -----------------------------------------------------------------------------


@FUZZ
@given(docs=st.lists(st.one_of(S.mutated_document("assessment").map(lambda d: d[2]),
                               st.sampled_from(S.core_assessments()).map(Path.read_bytes),
                               S.spliced(tuple(p.read_bytes() for p in S.core_assessments()))),
                     min_size=1, max_size=5),
       fmt=st.sampled_from(["text", "json", "csv", "md", "html"]))
def test_aggregate(forkserver: ForkServer, fuzz_root: Path, docs, fmt) -> None:
    with workdir(fuzz_root) as work:
        for i, d in enumerate(docs):
            write(work, f"m{i:02d}.yaml", d)
        out = work / "out" / f"portfolio.{fmt}"
        before = snapshot(work)
        r = forkserver.run("aggregate", work / "a", "-f", fmt, "-o", out, cwd=work)
        # files that cannot be aggregated are reported and the rest still are (exit 1)
        check(r, work, before, output=out, output_on_1=True)
        if r.code == 1 and out.exists():
            assert "left out" in r.stderr, r.stderr


# -- import --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def csv_bases(fuzz_root: Path) -> tuple[bytes, ...]:
    """A blank sheet of the built-in rubric (made by `init --format csv`) and a filled one."""
    blank = fuzz_root / "blank.csv"
    p = subprocess.run([sys.executable, "-m", "cyberdip", "init", "cyberdip-core", "--format",
                        "csv", "-o", str(blank)], capture_output=True, text=True, cwd=ROOT,
                       timeout=60)
    assert p.returncode == 0, p.stderr
    return (blank.read_bytes(), (S.DATA / "csv" / "mini-filled.csv").read_bytes())


@FUZZ
@given(data=st.data())
def test_import(forkserver: ForkServer, fuzz_root: Path, csv_bases, data) -> None:
    sheet = data.draw(S.mutated_csv(data.draw(st.sampled_from(csv_bases))))
    with workdir(fuzz_root) as work:
        f = write(work, "sheet.csv", sheet)
        out = work / "out" / "assessment.yaml"
        before = snapshot(work)
        r = forkserver.run("import", f, "-o", out, cwd=work)
        check(r, work, before, output=out)
        if r.code == 0:  # what import writes must validate
            v = forkserver.run("validate", out, cwd=work)
            assert v.code == 0, v.stdout + v.stderr


# -- the harness itself --------------------------------------------------------------------


def test_fork_server_answers_like_a_real_process(forkserver: ForkServer, fuzz_root: Path) -> None:
    """A job in a forked child gives the exit code and output of `python -m cyberdip`."""
    with workdir(fuzz_root) as work:
        good = write(work, "good.yaml", S.MINI_ANSWERED.read_bytes())
        bad = write(work, "bad.yaml", b"rubric: mini\nanswers: {a: \x00}\n")
        for argv in (["validate", bad], ["score", good, "-f", "json"], ["score", bad],
                     ["report", good, "-o", "-", "-f", "md"], ["no-such-command"]):
            forked = forkserver.run(*argv, cwd=work)
            p = subprocess.run([sys.executable, "-m", "cyberdip", *map(str, argv)], cwd=work,
                               capture_output=True, text=True, timeout=60,
                               env={**os.environ, "NO_COLOR": "1"})
            assert (forked.code, forked.stdout, forked.stderr) == (
                p.returncode, p.stdout, p.stderr), argv
