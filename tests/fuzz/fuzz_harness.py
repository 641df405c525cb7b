"""The fuzz suite's hypothesis profiles and the client of the fork server (driver.py).

Profiles (see tests/fuzz/README.md):

* ``ci`` (default): a few dozen examples per test; the whole fuzz suite takes well
  under two minutes on a 2-core machine, so it runs with every ``pytest``.
* ``long``: 10,000 examples per test (so per command). Select it with
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
settings.register_profile("ci", max_examples=int(os.environ.get("FUZZ_EXAMPLES", 40)),
                          **_COMMON)
settings.register_profile("long", max_examples=int(os.environ.get("FUZZ_EXAMPLES", 10_000)),
                          **_COMMON)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if PROFILE not in ("ci", "long"):
    PROFILE = "ci"
#: The settings every fuzz test runs with.
FUZZ = settings.get_profile(PROFILE)


@dataclass
class Result:
    argv: list[str]
    code: int | None
    signal: int | None
    stdout: str
    stderr: str


class ForkServer:
    """One ``python tests/fuzz/driver.py`` subprocess that runs CLI jobs in forked children."""

    def __init__(self) -> None:
        self.scratch = tempfile.mkdtemp(prefix="cyberdip-fuzz-io-")
        self.proc: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        env = {**os.environ, "NO_COLOR": "1"}
        env.pop("GITHUB_ACTIONS", None)
        env.pop("CYBERDIP_DEBUG", None)
        return subprocess.Popen([sys.executable, str(HERE / "driver.py")], cwd=ROOT,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                env=env)

    def run(self, *argv: str | os.PathLike[str], cwd: Path, timeout: int = 30) -> Result:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        args = [str(a) for a in argv]
        job = {"argv": args, "cwd": str(cwd), "timeout": timeout, "scratch": self.scratch}
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
        return Result(args, r.get("code"), r.get("signal"), r["stdout"], r["stderr"])

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()
        shutil.rmtree(self.scratch, ignore_errors=True)
