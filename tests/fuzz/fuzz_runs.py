"""The plumbing of a fuzz example: its work folder, its input files, and ``check``,
which applies the properties that hold for every run (fuzz_properties.py)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import fuzz_properties as P
import fuzz_strategies as S
from fuzz_harness import Result


@contextmanager
def workdir(root: Path, folder: str = "a") -> Iterator[Path]:
    """A fresh folder laid out like a project: rubrics/mini.yaml, FOLDER/ for inputs
    (``a`` unless a test draws another name, non-UTF-8 bytes and all), out/."""
    d = Path(tempfile.mkdtemp(dir=root))
    try:
        (d / "rubrics").mkdir()
        shutil.copyfile(S.MINI_RUBRIC, d / "rubrics" / "mini.yaml")
        (d / folder).mkdir(exist_ok=True)
        (d / "out").mkdir(exist_ok=True)
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def write(work: Path, name: str, data: bytes, folder: str = "a") -> Path:
    p = work / folder / name
    p.write_bytes(data)
    return p


def describe(r: Result) -> str:
    return (f"cyberdip {r.argv!r} (exit {r.code}, signal {r.signal})\n"
            f"--- stdout:\n{r.stdout[-2000:]}\n--- stderr:\n{r.stderr[-3000:]}")


def check(r: Result, work: Path, before: dict[Path, Any], *, output: Path | None = None,
          output_on_1: bool = False, fmt: str | None = "text", codes: tuple[int, ...] = (0, 1, 2),
          replaced: frozenset[Path] = frozenset(), also: frozenset[Path] = frozenset(),
          ) -> str:
    """The properties of every run; returns the description failures print.

    exit-code, no-traceback (stdout and stderr), no-raw-controls (stderr; stdout as its
    format promises, with strict-json, finite-numbers and csv-cells), inputs-unchanged
    (``replaced``: an output that existed, written with --force), no-output-on-failure,
    no-stray-files (``also``: other files the run may make).
    """
    what = describe(r)
    P.ran_to_an_exit(r, what, codes)
    P.no_traceback(r.stderr, "stderr", what)
    P.no_traceback(r.stdout, "stdout", what)
    P.no_raw_controls(r.stderr, "stderr", what)
    if fmt is not None:  # None: a terminal, which the test checks itself
        P.stdout_safe(r.stdout, fmt, what)
    after = P.snapshot(work)
    P.inputs_unchanged(before, after, what, replaced)
    P.no_output_after_failure(r.code, output, output is not None and output in before, what,
                              output_on_1)
    P.no_stray_files(before, after, what, also | ({output} if output is not None else set()))
    return what
