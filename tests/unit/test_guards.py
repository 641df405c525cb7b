"""Each resource guard fails fast, in bounded memory, with a located message and the
right exit code, through `validate`, `score` and `report`.

The CLI runs in a subprocess (a segfault must show up as a signal, not kill pytest),
and ``os.wait4`` gives that one process's peak RSS.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

MAX_RSS_MB = 120  # a plain `cyberdip validate` peaks near 35 MB; a 50 MB read would show
MAX_SECONDS = 20  # generous for a loaded 2-core CI box; a hang is caught by the timeout

ASSESSMENT_HEAD = ("rubric: cyberdip-core\nrubric_version: 1.0.0\norganisation: {name: X}\n"
                   "period: '2023'\nanswers:\n  policy.digital-diplomacy-strategy:\n")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    rss_mb: float


#: Runs the command and writes its peak RSS to argv[1]. A child's ru_maxrss includes
#: the memory of the process it was forked (or vforked) from, up to the exec; started
#: straight from pytest (hundreds of MB by now) every child would look that big. This
#: small launcher in between keeps the figure the command's own.
LAUNCHER = """
import os, subprocess, sys
p = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(p.pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run(*args: str | os.PathLike[str], cwd: Path, timeout: float = 60) -> Run:
    """Run ``python -m cyberdip ARGS``; measure wall time and that process's peak RSS."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    env.pop("CYBERDIP_DEBUG", None)
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe, \
            tempfile.TemporaryDirectory() as tmp:
        rss_file = Path(tmp) / "rss"
        start = time.monotonic()
        p = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(rss_file), sys.executable,
                              "-m", "cyberdip", *map(str, args)], cwd=cwd,
                             stdin=subprocess.DEVNULL, stdout=fo, stderr=fe, env=env,
                             start_new_session=True)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            pytest.fail(f"cyberdip {args} hung for {timeout} s")
        seconds = time.monotonic() - start
        fo.seek(0)
        fe.seek(0)
        return Run(p.returncode, fo.read().decode("utf-8", "replace"),
                   fe.read().decode("utf-8", "replace"), seconds,
                   int(rss_file.read_text()) / 1024)


def make(tmp: Path, name: str) -> Path:
    """Write the input that trips guard ``name``; return its path."""
    p = tmp / f"{name}.yaml"
    if name == "deep":
        p.write_bytes(b"[" * 30_000 + b"]" * 30_000)
    elif name == "billion-laughs":
        lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
        p.write_text("\n".join(lines) + "\n")
    elif name == "50mb":
        with open(p, "wb") as f:  # sparse: 50 MB on stat, almost nothing on disk
            f.truncate(50 * 1024 * 1024)
    elif name == "5000-digits":
        p.write_text(ASSESSMENT_HEAD + "    level: " + "9" * 5000 + "\n")
    elif name == "lone-surrogate":
        p.write_text(ASSESSMENT_HEAD + '    level: 1\n    notes: "\\ud800"\n')
    elif name == "nul":
        p.write_bytes(ASSESSMENT_HEAD.encode() + b"    level: 1\n    notes: a\x00b\n")
    elif name == "directory":
        p.mkdir()
    elif name == "fifo":
        os.mkfifo(p)  # no writer: open() on it would block forever
    elif name == "symlink-loop":
        os.symlink(tmp / "loop-b.yaml", p)
        os.symlink(p, tmp / "loop-b.yaml")
    elif name == "unreadable":
        p.write_text(ASSESSMENT_HEAD + "    level: 1\n")
        p.chmod(0)
    return p


# guard -> (exit code, regex the message must match after `path:`)
GUARDS = {
    "deep": (1, r":1:65: error\[CD003\]: nesting is deeper than 64 levels"),
    "billion-laughs": (1, r":\d+:\d+: error\[CD003\]: (aliases \(\*name\) repeat more than "
                          r"[\d,]+ values|more than [\d,]+ aliases)"),
    "50mb": (2, r": error\[CD003\]: file is 52,428,800 bytes; the limit is [\d,]+"),
    "5000-digits": (1, r":7:12: error\[CD005\]: cannot read the value `9+\.\.\.` as an "
                       r"integer: it has too many digits"),
    "lone-surrogate": (1, r":8:\d+: error\[CD001\]: invalid YAML: .*invalid Unicode"),
    "nul": (1, r":8:13: error\[CD001\]: the file contains a NUL byte"),
    "directory": (2, r": error\[CD002\]: (is a directory, not a file|no \.yaml or \.yml files)"),
    "fifo": (2, r": error\[CD002\]: is not a regular file \(a FIFO"),
    "symlink-loop": (2, r": error\[CD002\]: cannot read .*: Too many levels of symbolic links"),
    "unreadable": (2, r": error\[CD002\]: cannot read .*: Permission denied"),
}

COMMANDS = {
    "validate": lambda p, out: ["validate", p],
    "score": lambda p, out: ["score", p],
    "report": lambda p, out: ["report", p, "-o", out],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("guard", sorted(GUARDS))
def test_guard(tmp_path: Path, guard: str, command: str) -> None:
    if guard == "unreadable" and os.geteuid() == 0:
        pytest.skip("running as root, which reads a chmod-000 file anyway; the symlink-loop "
                    "and directory cases cover the same unreadable-input path")
    path = make(tmp_path, guard)
    out = tmp_path / "report.html"
    r = run(*COMMANDS[command](path.name, out), cwd=tmp_path)
    code, pattern = GUARDS[guard]
    assert r.code == code, (r.code, r.stderr)
    if command == "validate":  # validate's report (the problems) is its stdout
        message, rest = r.stdout, r.stderr
        assert re.fullmatch(r"1 file checked, 1 error in 1 file\n", rest), rest
    else:
        message, rest = r.stderr, r.stdout
        assert rest == ""
    assert re.match(re.escape(path.name) + pattern, message), message
    assert len(message.splitlines()) == 1, message
    assert "Traceback" not in r.stderr
    assert r.seconds < MAX_SECONDS, r.seconds
    assert r.rss_mb < MAX_RSS_MB, f"peak RSS {r.rss_mb:.0f} MB"
    assert not out.exists()


def test_the_50mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """The size cap comes from stat(): a sparse 50 MB file is never read into memory."""
    from cyberdip import yamlio
    from cyberdip.errors import UnreadableInput

    path = make(tmp_path, "50mb")
    real_open = open
    opened: list[str] = []

    def spy(file, *a, **k):
        opened.append(str(file))
        return real_open(file, *a, **k)

    import builtins

    builtins.open = spy
    try:
        with pytest.raises(UnreadableInput) as e:
            yamlio.load(path)
    finally:
        builtins.open = real_open
    assert str(path) not in opened
    assert e.value.problem().code == "CD003"
