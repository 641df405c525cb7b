"""The history of answers: append-only, chained, and whole after a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

from cyberdip.formats import history as h


def test_changes_are_per_criterion_and_ignore_respellings():
    before = {"answers": {"a": {"level": 1}, "b": {"met": True}, "c": {"value": 3}}}
    after = {"answers": {"a": {"level": 2}, "b": {"met": True}, "c": {"value": 3.0},
                         "d": {"met": False}}}
    assert h.changes(before, after) == [("a", {"level": 1}, {"level": 2}),
                                        ("d", None, {"met": False})]
    assert h.changes(after, before)[-1] == ("d", {"met": False}, None)  # removed: last
    assert h.changes(None, {"answers": {"a": None}}) == []  # nothing answered yet


def test_entries_are_appended_chained_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765000000")
    a = tmp_path / "berlin.yaml"
    h.record(a, "import", "Ana", [("x", None, {"level": 1})])
    h.record(a, "assess", None, [("x", {"level": 1}, {"level": 2}), ("y", None, {"met": True})])
    entries = h.read(h.history_path(a))
    assert [e.data["criterion"] for e in entries] == ["x", "x", "y"]
    assert all(e.chained for e in entries)
    assert entries[0].data["at"] == "2025-12-06T05:46:40Z" and entries[0].data["by"] == "Ana"
    assert entries[1].data["by"] == h.os_user()  # no respondent: the OS user
    assert entries[0].data["prev"] == h.GENESIS


def test_an_edited_or_removed_entry_breaks_the_chain(tmp_path):
    a = tmp_path / "b.yaml"
    h.record(a, "assess", "Ana", [(c, None, {"level": 1}) for c in "pqrs"])
    path = h.history_path(a)
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:1] + lines[2:]))  # entry 2 removed
    assert [e.chained for e in h.read(path)] == [True, False, True]
    path.write_bytes(b"".join(lines).replace(b'"level":1}', b'"level":4}', 1))  # edited
    assert [e.chained for e in h.read(path)] == [True, False, True, True]


def test_a_torn_last_line_is_kept_apart_and_the_next_entry_starts_a_line(tmp_path):
    a = tmp_path / "b.yaml"
    h.record(a, "assess", "Ana", [("p", None, {"level": 1})])
    path = h.history_path(a)
    with open(path, "ab") as f:
        f.write(b'{"at":"2026-')  # a power cut in the middle of a write
    h.record(a, "assess", "Ana", [("q", None, {"level": 2})])
    entries = h.read(path)
    assert [e.data is None for e in entries] == [False, True, False]
    assert entries[2].data["criterion"] == "q"


def test_the_history_survives_a_kill_mid_write(tmp_path):
    """A process appending as fast as it can is killed; every complete entry stays, in
    order and chained, and appending goes on after it (as the autosave is tested)."""
    a = tmp_path / "k.yaml"
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from cyberdip.formats import history as h
        a = Path({str(a)!r})
        i = 0
        while True:
            h.record(a, "assess", "Ana", [("c%d" % i, None, {{"level": i % 5,
                     "evidence": ["x" * 2000]}})])
            i += 1
            if i == 20:
                print("ready", flush=True)
    """)
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                          text=True) as p:
        assert p.stdout.readline().strip() == "ready"  # 20 entries written, more coming
        p.send_signal(signal.SIGKILL)
        p.wait()
    path = h.history_path(a)
    entries = h.read(path)
    whole = [e for e in entries if e.data is not None]
    assert len(whole) >= 20
    assert [e.data["criterion"] for e in whole] == [f"c{i}" for i in range(len(whole))]
    assert all(e.chained for e in entries[:len(whole)])
    assert len(entries) - len(whole) <= 1  # at most the last line torn
    h.record(a, "assess", "Ana", [("after", None, {"level": 1})])
    assert h.read(path)[-1].data["criterion"] == "after"
    assert json.loads(path.read_bytes().splitlines()[-1])["criterion"] == "after"


def test_a_fifo_in_the_historys_place_is_refused_at_once(tmp_path):
    import pytest

    from cyberdip.errors import CyberdipError

    a = tmp_path / "f.yaml"
    os.mkfifo(h.history_path(a))
    with pytest.raises((CyberdipError, OSError)):
        h.record(a, "assess", "Ana", [("p", None, {"level": 1})])
