"""A fork server for the fuzz tests: import the CLI once, run each job in a forked child.

Starting ``python -m cyberdip`` costs about 0.3 s, which would make 10,000 examples per
command take the better part of an hour. This script is started once, as a subprocess,
by the fuzz tests; it imports ``cyberdip.cli.app`` (and warms the heavy modules the commands
import lazily), then reads one job per line on stdin (JSON: ``{"argv": [...], "cwd":
"...", "timeout": 20, "stdio": "utf-8:strict"}``), forks, and runs ``cyberdip.cli.app.main()``
in the child with its stdout and stderr sent to files. The parent waits for the child and
answers one line of JSON: ``{"code": N}`` for an exit, ``{"signal": N}`` for a crash
(segfault, abort) or a hang (the child's alarm clock fires SIGALRM), plus what the child
wrote (decoded with ``surrogateescape``, so a byte that is not UTF-8 arrives as U+DC80 to
U+DCFF and a test can see it).

Each run is isolated like a real process: a segfault in libyaml kills the child, not the
server, and shows up as a signal. Nothing the child does in memory reaches the next run.

Every child gets fresh ``sys.stdin``, ``sys.stdout`` and ``sys.stderr`` objects, encoded
as the job's ``stdio`` says (like ``PYTHONIOENCODING``; by default ``utf-8:strict``, so a
lone surrogate that reaches stdout is an error, as on a strict UTF-8 terminal).

A job with ``"tty": [answers...]`` runs in a pseudo-terminal instead (for ``cyberdip
assess``): stdin and stdout are the terminal (echo off, so what comes back is what the
CLI wrote), stderr goes to a file. The server types each answer when the CLI waits at a
prompt (its output ends with ``": "``): ``"\\x03"`` alone is Ctrl-C, ``"\\x04"`` alone
is Ctrl-D, anything else is a line, its control characters quoted with Ctrl-V so the
CLI receives them as typed. After the last answer it types Ctrl-D at every prompt, so a
session always ends. The reply adds ``"sent"`` (answers typed) and ``"stalled"`` (the
CLI stopped writing without a prompt or an exit; it was killed).
"""

from __future__ import annotations

import gc
import importlib
import io
import json
import os
import select
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

#: Exit status a child uses when something escaped ``main()`` (it prints the traceback).
ESCAPED = 99
LIMIT = 4_000_000  # characters of stdout/stderr returned to the test (a CSF scorecard is 300 kB)
CTRL_C, CTRL_D, CTRL_V = "\x03", "\x04", b"\x16"
PROMPT_QUIET = 0.02  # seconds of silence after ": " that make it a prompt
PROMPT_WAIT = 30.0  # seconds to wait for the next prompt before calling the run stalled
#             (generous: a loaded 2-core machine must never make a live session look stalled)
EOF_TRIES = 10  # Ctrl-D typed after the script, at most


def _warm() -> None:
    """Import the heavy modules and run each command once, so that forks start warm.

    Without this, every child would compile the Jinja templates and load the built-in
    rubric again (a third of a second for a report). Warm-up runs use only the real,
    unmodified files; their output goes to a temp folder and to /dev/null.
    """
    import pkgutil

    import cyberdip

    # every module of the package, wherever the layers put it, and what assess needs
    names = ["yaml", "pydantic", "jinja2", "rich.prompt", "rich.rule", "rich.table",
             "rich.text", "rich.console", "pty", "termios", "openpyxl"]
    names += [m.name for m in pkgutil.walk_packages(cyberdip.__path__, "cyberdip.")
              if not m.name.endswith("__main__")]
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a module half-landed only costs speed here
            pass
    from cyberdip.cli.app import main

    root = Path(__file__).resolve().parents[2]
    examples = sorted(p for p in (root / "examples").rglob("*.yaml") if p.name != "pack.yaml")
    if len(examples) < 2:
        return
    a, b = (str(p) for p in examples[:2])
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [["validate", a], ["score", a], ["score", a, "-f", "json"],
                ["compare", a, b, "-f", "html", "-o", f"{tmp}/c.html"],
                ["compare", a, b, "-f", "md"], ["compare", a, b, "-f", "csv"],
                ["aggregate", a, b, "-f", "html", "-o", f"{tmp}/g.html"],
                ["aggregate", a, b, "-f", "md"], ["aggregate", a, b, "-f", "csv"],
                ["init", "cyberdip-core", "-f", "csv", "-o", f"{tmp}/s.csv"],
                ["init", "cyberdip-core", "-o", f"{tmp}/s.yaml"],
                ["init", "cyberdip-core", "-o", f"{tmp}/s.xlsx"]]
        jobs += [["report", a, "-o", f"{tmp}/r.{ext}"] for ext in ("html", "md", "json")]
        saved = os.dup(1), os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            for argv in jobs:
                sys.stdout.flush()
                sys.stderr.flush()
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                sys.argv = ["cyberdip", *argv]
                try:
                    main()
                except SystemExit:
                    pass
                except Exception:  # noqa: BLE001 - a warm-up failure only costs speed
                    pass
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(devnull)


def _stdio(spec: str) -> None:
    """New sys.stdin/stdout/stderr on fds 0, 1, 2, as ``PYTHONIOENCODING=spec`` makes them
    in a real process (stderr always ``backslashreplace``, as Python does)."""
    encoding, _, errors = spec.partition(":")
    errors = errors or "strict"

    def stream(fd: int, mode: str, errors: str) -> io.TextIOWrapper:
        raw = io.FileIO(fd, mode, closefd=False)
        buffered = io.BufferedReader(raw) if mode == "r" else io.BufferedWriter(raw)
        return io.TextIOWrapper(buffered, encoding=encoding, errors=errors,
                                line_buffering=mode == "w" and (fd == 2 or os.isatty(fd)))

    sys.stdin = stream(0, "r", errors)
    sys.stdout = stream(1, "w", errors)
    sys.stderr = stream(2, "w", "backslashreplace")
    os.environ["PYTHONIOENCODING"] = spec


def _terminal() -> None:
    """The pseudo-terminal on fd 0 as a user's, less echo (so the transcript holds only
    what the CLI wrote), output processing (no \\r added) and flow control (so a typed
    Ctrl-S cannot stop it); Ctrl-C and Ctrl-D keep their meaning."""
    import fcntl
    import struct
    import termios

    attrs = termios.tcgetattr(0)
    attrs[0] &= ~(termios.IXON | termios.IXOFF)
    attrs[1] &= ~termios.OPOST
    attrs[3] &= ~(termios.ECHO | termios.ECHONL)
    attrs[3] |= termios.ICANON | termios.ISIG | termios.IEXTEN
    termios.tcsetattr(0, termios.TCSANOW, attrs)
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 100, 0, 0))


def _child(job: dict, out_path: str | None, err_path: str) -> None:
    code = ESCAPED
    try:
        if out_path is not None:  # else fds 0 and 1 are a terminal already
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            fo = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(fo, 1)
        else:
            _terminal()
        fe = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fe, 2)
        _stdio(job.get("stdio") or "utf-8:strict")
        os.environ.update(job.get("env") or {})
        os.chdir(job.get("cwd") or ".")
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.alarm(int(job.get("timeout", 20)))
        sys.argv = ["cyberdip", *job["argv"]]
        from cyberdip.cli.app import main

        try:
            main()
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # noqa: BLE001 - report anything that escaped, as a user would see it
        traceback.print_exc()
        code = ESCAPED
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _read(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return f.read(LIMIT).decode("utf-8", "surrogateescape")
    except OSError:
        return ""


def _typed(answer: str) -> bytes:
    """The bytes a user types for one answer: a lone Ctrl-C or Ctrl-D as itself, else the
    line (a non-UTF-8 byte given as U+DC80 to U+DCFF), every control byte after Ctrl-V
    so that the terminal passes it on, and Enter."""
    if answer in (CTRL_C, CTRL_D):
        return answer.encode("ascii")
    out = bytearray()
    for b in answer.encode("utf-8", "surrogateescape"):
        if b < 0x20 or b == 0x7F:
            out += CTRL_V
        out.append(b)
    return bytes(out + b"\n")


def _converse(pid: int, master: int, script: list[str], timeout: float) -> tuple[bytes, int,
                                                                                 bool, int]:
    """Type the script at the child's prompts; return (transcript, answers sent, stalled,
    wait status)."""
    transcript = bytearray()
    mark = 0
    deadline = time.monotonic() + timeout + 2

    def pump(wait: float) -> bool | None:
        """Read what the child wrote within ``wait`` s: True (something), None (nothing),
        False (the terminal is closed: the child has ended)."""
        r, _, _ = select.select([master], [], [], wait)
        if not r:
            return None
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: no process holds the terminal any more
            return False
        if not chunk:
            return False
        transcript.extend(chunk)
        return True

    def at_prompt() -> bool | None:
        """True at a prompt, False when the child has ended, None when it stalled."""
        until = min(deadline, time.monotonic() + PROMPT_WAIT)
        while time.monotonic() < until:
            got = pump(PROMPT_QUIET)
            if got is False:
                return False
            if got is None and transcript[mark:].endswith(b": "):
                return True
        return None

    sent = 0
    stalled = False
    answers = [*script, *[CTRL_D] * EOF_TRIES]
    for i in range(len(answers) + 1):
        state = at_prompt()
        if not state or i == len(answers):
            # stalled: no prompt and no end, or still asking after many Ctrl-D
            stalled = state is not False
            break
        try:
            os.write(master, _typed(answers[i]))
        except OSError:
            break
        mark = len(transcript)
        if i < len(script):
            sent += 1
    if stalled:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    while pump(max(0.0, deadline - time.monotonic())):  # what it wrote before it ended
        pass
    _, status = os.waitpid(pid, 0)
    return bytes(transcript[:LIMIT]), sent, stalled, status


def serve() -> None:
    os.environ["NO_COLOR"] = "1"
    os.environ.pop("GITHUB_ACTIONS", None)
    os.environ.pop("FORCE_COLOR", None)
    os.environ.pop("CYBERDIP_DEBUG", None)
    import pty

    import cyberdip.cli.app  # noqa: F401

    _warm()
    gc.freeze()  # keep the warm heap out of the collector, so children copy fewer pages
    reply = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        scratch = job["scratch"]
        out_path = os.path.join(scratch, ".fuzz-stdout")
        err_path = os.path.join(scratch, ".fuzz-stderr")
        reply.flush()
        sys.stderr.flush()
        result: dict = {}
        if job.get("tty") is not None:
            pid, master = pty.fork()
            if pid == 0:
                _child(job, None, err_path)
            try:
                transcript, sent, stalled, status = _converse(
                    pid, master, list(job["tty"]), float(job.get("timeout", 20)))
            finally:
                os.close(master)
            result.update(sent=sent, stalled=stalled,
                          stdout=transcript.decode("utf-8", "surrogateescape"))
        else:
            pid = os.fork()
            if pid == 0:
                _child(job, out_path, err_path)
            _, status = os.waitpid(pid, 0)
            result["stdout"] = _read(out_path)
        result["stderr"] = _read(err_path)
        for p in (out_path, err_path):
            try:
                os.unlink(p)
            except OSError:
                pass
        if os.WIFSIGNALED(status):
            result["signal"] = os.WTERMSIG(status)
        else:
            result["code"] = os.WEXITSTATUS(status)
        reply.write(json.dumps(result) + "\n")
        reply.flush()


if __name__ == "__main__":
    serve()
