"""The fuzz suite's hypothesis profiles and the client of the fork server (driver.py).

Profiles (see tests/fuzz/README.md):

* ``ci`` (default): a few dozen examples per test, the same ones on every run; the
  whole fuzz suite takes well under two minutes on a 2-core machine, so it runs with
  every ``pytest``.
* ``long``: 10,000 examples per test (so per command), new ones on every run. Select
  it with
  ``HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/fuzz`` (add
  ``-k validate`` etc. to pick commands).

The profiles are applied to the fuzz tests only (``FUZZ`` below), so selecting ``long``
does not slow down the other property tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, settings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

_COMMON = dict(deadline=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.filter_too_much,
                                      HealthCheck.function_scoped_fixture])
# The ci profile, which every `pytest` runs, draws the same examples every time, with
# or without CI=true, so whether the README's test command passes never depends on the
# draw (a draw that found a crash in a shipped file one run in ten was a failure: the
# shipped files are now covered by tests/acceptance/test_shipped_files.py, every run).
# The long profile explores new examples on every run.
settings.register_profile("ci", max_examples=int(os.environ.get("FUZZ_EXAMPLES", 40)),
                          derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=int(os.environ.get("FUZZ_EXAMPLES", 10_000)),
                          **_COMMON)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if PROFILE not in ("ci", "long"):
    PROFILE = "ci"
#: The settings every fuzz test runs with.
FUZZ = settings.get_profile(PROFILE)


#: The environment of the fork server and of every real process a fuzz test compares it
#: with: no colour, no CI annotations, and stdout that is strict UTF-8 (a lone surrogate
#: from a file name that is not UTF-8 must never reach it).
ENV = {"NO_COLOR": "1", "PYTHONIOENCODING": "utf-8:strict", "TERM": "dumb"}


def environment() -> dict[str, str]:
    env = {**os.environ, **ENV}
    for name in ("GITHUB_ACTIONS", "CYBERDIP_DEBUG", "FORCE_COLOR"):
        env.pop(name, None)
    return env


@dataclass
class Result:
    """One run. ``stdout`` and ``stderr`` are decoded with ``surrogateescape``: a byte
    that is not UTF-8 shows as U+DC80 to U+DCFF. For a terminal run (``tty=``), stdout is
    what the CLI wrote to the terminal, ``sent`` counts the answers typed and ``stalled``
    says the CLI stopped without a prompt or an exit (and was killed)."""

    argv: list[str]
    code: int | None
    signal: int | None
    stdout: str
    stderr: str
    sent: int = 0
    stalled: bool = False


class ForkServer:
    """One ``python tests/fuzz/driver.py`` subprocess that runs CLI jobs in forked children."""

    def __init__(self) -> None:
        self.scratch = tempfile.mkdtemp(prefix="cyberdip-fuzz-io-")
        self.proc: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, str(HERE / "driver.py")], cwd=ROOT,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                env=environment())

    def run(self, *argv: str | os.PathLike[str], cwd: Path, timeout: int = 30,
            stdio: str = "utf-8:strict", tty: list[str] | None = None) -> Result:
        """Run ``cyberdip ARGV`` in a forked child; ``stdio`` is its PYTHONIOENCODING;
        ``tty`` runs it in a pseudo-terminal and types these answers (driver.py)."""
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        args = [os.fspath(a) for a in argv]
        job = {"argv": args, "cwd": os.fspath(cwd), "timeout": timeout, "scratch": self.scratch,
               "stdio": stdio, "tty": tty}
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the fork server died running cyberdip {args}")
        r = json.loads(line)
        if os.environ.get("FUZZ_LOG"):  # one line per run: command and exit code or signal
            with open(os.environ["FUZZ_LOG"], "a") as log:
                log.write(f"{args[0]} {r.get('code', 'signal-' + str(r.get('signal')))}\n")
        return Result(args, r.get("code"), r.get("signal"), r["stdout"], r["stderr"],
                      r.get("sent", 0), r.get("stalled", False))

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()
        shutil.rmtree(self.scratch, ignore_errors=True)
