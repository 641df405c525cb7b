"""One `assess` session per file: an OS file lock beside it, released however the
session ends."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cyberdip.errors import CyberdipError


@contextmanager
def session_lock(output: Path) -> Iterator[None]:
    """Hold ``.NAME.lock`` beside ``output`` for one `assess` session.

    A second session on the same file is refused while the first runs: each would
    otherwise save over the other's answers. The lock is an OS file lock (flock, or
    msvcrt on Windows), which the system releases when a session ends in any way,
    even killed, so a left-over lock file never blocks anyone: the next session takes it.
    """
    lock = output.with_name(f".{output.name}.lock")
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise CyberdipError(f"cannot create the lock file {lock.name}: {e.strerror}",
                                path=str(output), code="CD402", exit_code=2) from None
        try:
            _lock_fd(fd)
        except OSError:
            try:
                holder = os.read(fd, 32).decode("ascii", "replace").strip()
            except OSError:
                holder = ""
            os.close(fd)
            who = f" (process {holder})" if holder.isdigit() else ""
            raise CyberdipError(
                f"another `cyberdip assess` session is answering this file{who}; finish or "
                "quit that session first, then run this command again",
                path=str(output), code="CD403", exit_code=2) from None
        # the file we locked must still be the one at that name (a finishing session
        # removes its lock file; if that happened in between, lock the new one)
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(lock))
        except OSError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield
    finally:
        try:
            os.unlink(lock)
        except OSError:
            pass
        os.close(fd)


def _lock_fd(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
