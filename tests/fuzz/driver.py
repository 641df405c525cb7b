"""A fork server for the fuzz tests: import the CLI once, run each job in a forked child.

Starting ``python -m cyberdip`` costs about 0.3 s, which would make 10,000 examples per
command take the better part of an hour. This script is started once, as a subprocess,
by the fuzz tests; it imports ``cyberdip.cli`` (and warms the heavy modules the commands
import lazily), then reads one job per line on stdin (JSON: ``{"argv": [...], "cwd":
"...", "timeout": 20}``), forks, and runs ``cyberdip.cli.main()`` in the child with its
stdout and stderr sent to files. The parent waits for the child and answers one line of
JSON: ``{"code": N}`` for an exit, ``{"signal": N}`` for a crash (segfault, abort) or a
hang (the child's alarm clock fires SIGALRM), plus what the child wrote.

Each run is isolated like a real process: a segfault in libyaml kills the child, not the
server, and shows up as a signal. Nothing the child does in memory reaches the next run.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import signal
import sys
import tempfile
import traceback
from pathlib import Path

#: Exit status a child uses when something escaped ``main()`` (it prints the traceback).
ESCAPED = 99
LIMIT = 200_000  # characters of stdout/stderr returned to the test


def _warm() -> None:
    """Import the heavy modules and run each command once, so that forks start warm.

    Without this, every child would compile the Jinja templates and load the built-in
    rubric again (a third of a second for a report). Warm-up runs use only the real,
    unmodified files; their output goes to a temp folder and to /dev/null.
    """
    for name in ("yaml", "pydantic", "jinja2", "cyberdip.documents", "cyberdip.validate",
                 "cyberdip.scoring", "cyberdip.render", "cyberdip.assessment",
                 "cyberdip.rubric", "cyberdip.diagnostics", "cyberdip.compare",
                 "cyberdip.render_portfolio", "cyberdip.spreadsheet", "cyberdip.schemas",
                 "cyberdip.cli.scorecmd"):
        try:
            importlib.import_module(name)
        except ImportError:  # a module another engineer has not landed yet
            pass
    from cyberdip.cli import main

    root = Path(__file__).resolve().parents[2]
    examples = sorted((root / "examples").rglob("*.yaml"))
    if len(examples) < 2:
        return
    a, b = (str(p) for p in examples[:2])
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [["validate", a], ["score", a], ["score", a, "-f", "json"],
                ["compare", a, b, "-f", "html", "-o", f"{tmp}/c.html"],
                ["compare", a, b, "-f", "md"],
                ["aggregate", a, b, "-f", "html", "-o", f"{tmp}/g.html"],
                ["aggregate", a, b, "-f", "md"],
                ["init", "cyberdip-core", "-f", "csv", "-o", f"{tmp}/s.csv"]]
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


def _child(job: dict, out_path: str, err_path: str) -> None:
    code = ESCAPED
    try:
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        fo = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        fe = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fo, 1)
        os.dup2(fe, 2)
        os.chdir(job.get("cwd") or ".")
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(int(job.get("timeout", 20)))
        sys.argv = ["cyberdip", *job["argv"]]
        from cyberdip.cli import main

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
            return f.read(LIMIT).decode("utf-8", "replace")
    except OSError:
        return ""


def serve() -> None:
    os.environ["NO_COLOR"] = "1"
    os.environ.pop("GITHUB_ACTIONS", None)
    os.environ.pop("FORCE_COLOR", None)
    os.environ.pop("CYBERDIP_DEBUG", None)
    import cyberdip.cli  # noqa: F401

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
        pid = os.fork()
        if pid == 0:
            _child(job, out_path, err_path)
        _, status = os.waitpid(pid, 0)
        result: dict = {"stdout": _read(out_path), "stderr": _read(err_path)}
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
