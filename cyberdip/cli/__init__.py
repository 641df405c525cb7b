"""The command line, the ONLY package that knows about argv, the terminal, files written
and exit codes: ``app`` imports the command modules, which import ``common`` and the
support modules (``helpfmt``, ``pool``, ``asker``), never ``app`` nor one another."""

from __future__ import annotations

import os
import sys
from typing import NoReturn


def main() -> NoReturn:
    """The console script (pyproject.toml) and ``python -m cyberdip``:
    ``cyberdip.cli.app.main``, imported on call, then :func:`quick_exit`."""
    from cyberdip.cli.app import main as run

    try:
        run()
    except SystemExit as e:
        code = e.code
    else:
        code = 0
    quick_exit(code)


def quick_exit(code: object) -> NoReturn:
    """End the process with ``code`` as ``sys.exit`` would, without taking the
    interpreter apart.

    A command's work is done and written by now. Tearing the interpreter down frees, one
    by one, the tens of thousands of objects start-up made (modules, pydantic's model
    classes and validators), which took about a seventh of what ``cyberdip score`` takes.
    So: the exit handlers run (``atexit``, and through it ``weakref.finalize``: temporary
    folders, multiprocessing), the standard streams are flushed, and the process ends
    with ``os._exit``. When a thread other than the main one is still running, or the
    exit handlers cannot be run, it exits the usual way instead.
    """
    import atexit
    import threading

    if isinstance(code, bool) or not isinstance(code, int):
        if code is not None:  # sys.exit("text") prints the text and exits 1
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if threading.active_count() > 1 or run_exit_handlers is None:
        sys.exit(code)
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more to say
            pass
    os._exit(code)
