"""The history of an assessment's answers: an append-only JSON Lines file beside it
(``berlin.history.jsonl`` beside ``berlin.yaml``).

Every command that changes answers appends one entry per criterion it changed: who,
when, which command, which criterion, from what and to what (the answer as the file
holds it, or null). A sign-off appends one entry for the whole file. Entries are never
rewritten: each is one line written with a single ``write`` on a file opened for
appending, then flushed to disk, so a kill leaves at worst a torn last line; the next
append first ends such a line, and reading reports it as damaged, keeping every other.
Each entry also holds the SHA-256 of the line before it (``prev``), so a removed or
edited entry shows as a break in the chain.

"Who" is the respondent or ``--by`` where a command has one, else the operating-system
user. "When" is the clock, in UTC to the second (``SOURCE_DATE_EPOCH`` fixes it, for
reproducible tests and builds); it is the one place cyberdip records the clock.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cyberdip.errors import CyberdipError
from cyberdip.formats.digest import canonical_answer
from cyberdip.textsafe import json_dumps

GENESIS = "0" * 64


def history_path(assessment: Path) -> Path:
    return assessment.with_name(assessment.stem + ".history.jsonl")


def now() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    else:
        moment = dt.datetime.now(tz=dt.timezone.utc)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment
        return "unknown"


def changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """``(criterion, from, to)`` for every answer that differs between two assessments'
    data, compared as the content hash compares them (so rewriting the same facts in
    another spelling is no change); criteria in file order, removed ones last."""
    old = (before or {}).get("answers") or {}
    new = after.get("answers") or {}
    old, new = (x if isinstance(x, dict) else {} for x in (old, new))
    out = []
    for cid in [*new, *(k for k in old if k not in new)]:
        a = canonical_answer(old.get(cid)) if old.get(cid) is not None else None
        b = canonical_answer(new.get(cid)) if new.get(cid) is not None else None
        a, b = a or None, b or None  # an empty answer is no answer
        if a != b:
            out.append((str(cid), a, b))
    return out


@dataclass
class Entry:
    line: int
    data: dict[str, Any] | None  # None: a damaged line
    chained: bool = True


def _last_line(path: Path) -> tuple[bytes, bool]:
    """The file's last line (without its newline) and whether the file ends with one."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            if size == 0:
                return b"", True
            back = min(size, 1 << 16)
            f.seek(size - back)
            tail = f.read(back)
    except FileNotFoundError:
        return b"", True
    ends = tail.endswith(b"\n")
    body = tail[:-1] if ends else tail
    return body.rsplit(b"\n", 1)[-1], ends


def append(path: Path, entries: list[dict[str, Any]]) -> None:
    """Append ``entries`` (each gets ``prev``); never rewrites what is there."""
    if not entries:
        return
    try:  # a FIFO would block the read below; a link could lead to any file
        if not stat.S_ISREG(os.lstat(path).st_mode):
            raise CyberdipError("the history is not a regular file (a link, a FIFO or a "
                                "device?); cyberdip appends only to a regular file",
                                path=str(path), code="CD402", exit_code=2)
    except FileNotFoundError:
        pass
    last, ends = _last_line(path)
    prefix = b"" if ends else b"\n"  # a torn last line is ended, never continued
    prev = hashlib.sha256(last).hexdigest() if last else GENESIS
    lines = []
    for e in entries:
        line = json_dumps({**e, "prev": prev}, line=True).encode("utf-8")
        prev = hashlib.sha256(line).hexdigest()
        lines.append(line)
    # O_NONBLOCK: a FIFO put in the history's place fails at once instead of waiting
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK
                 | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise CyberdipError("the history is not a regular file (a link, a FIFO or a "
                                "device?); cyberdip appends only to a regular file",
                                path=str(path), code="CD402", exit_code=2)
        os.write(fd, prefix + b"\n".join(lines) + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)


def record(assessment: Path, command: str, who: str | None,
           changed: list[tuple[str, Any, Any]], **extra: Any) -> None:
    """Append one entry per changed criterion made by ``command``."""
    at, by = now(), who or os_user()
    append(history_path(assessment), [
        {"at": at, "by": by, "command": command, "criterion": cid, "from": a, "to": b,
         **extra} for cid, a, b in changed])


def read(path: Path) -> list[Entry]:
    """Every entry, in order; a line that is not an entry is kept as damaged, and an
    entry whose ``prev`` does not match the line before it is marked unchained."""
    out: list[Entry] = []
    prev = GENESIS
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip(b"\n")
            try:
                data = json.loads(line)
                if not isinstance(data, dict):
                    raise ValueError
            except ValueError:
                out.append(Entry(n, None, False))
            else:
                out.append(Entry(n, data, data.get("prev") == prev))
            prev = hashlib.sha256(line).hexdigest()
    return out


__all__ = ["Entry", "append", "changes", "history_path", "now", "os_user", "read",
           "record"]
