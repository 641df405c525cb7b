"""How a cyberdip process ends (``cyberdip.cli.quick_exit``): the exit code it was given,
everything written and flushed, and the exit handlers run, without the interpreter's
slow teardown."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import PATIENCE


def _run(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=PATIENCE)


def test_the_exit_code_and_the_buffered_output_come_out_whole(tmp_path):
    p = _run("""
        import sys
        from cyberdip.cli import quick_exit
        sys.stdout.write("x" * 100_000)  # no newline: still in the buffer
        sys.stderr.write("last words")
        quick_exit(3)
        """, tmp_path)
    assert (p.returncode, len(p.stdout), p.stderr) == (3, 100_000, "last words")


def test_exit_handlers_and_temporary_folders_are_cleaned_up(tmp_path):
    p = _run("""
        import atexit, pathlib, tempfile
        from cyberdip.cli import quick_exit
        atexit.register(lambda: pathlib.Path("handler-ran").write_text("yes"))
        kept = tempfile.TemporaryDirectory(dir=".")  # never cleaned up explicitly
        pathlib.Path("folder-name").write_text(kept.name)
        quick_exit(0)
        """, tmp_path)
    assert (p.returncode, p.stdout, p.stderr) == (0, "", "")
    assert (tmp_path / "handler-ran").read_text() == "yes"
    assert not Path(tmp_path / (tmp_path / "folder-name").read_text()).exists()


def test_codes_that_are_not_numbers_mean_what_sys_exit_makes_of_them(tmp_path):
    none = _run("from cyberdip.cli import quick_exit; quick_exit(None)", tmp_path)
    text = _run("from cyberdip.cli import quick_exit; quick_exit('stopped')", tmp_path)
    assert (none.returncode, none.stdout, none.stderr) == (0, "", "")
    assert (text.returncode, text.stdout, text.stderr) == (1, "", "stopped\n")


def test_a_thread_still_running_is_waited_for_as_on_a_normal_exit(tmp_path):
    p = _run("""
        import pathlib, threading, time
        from cyberdip.cli import quick_exit
        def work():
            time.sleep(0.2)
            pathlib.Path("thread-done").write_text("yes")
        threading.Thread(target=work).start()
        quick_exit(4)
        """, tmp_path)
    assert (p.returncode, p.stdout, p.stderr) == (4, "", "")
    assert (tmp_path / "thread-done").read_text() == "yes"


def test_the_command_line_ends_through_it_with_its_own_code(tmp_path):
    """`python -m cyberdip` (and the console script, the same ``cli.main``): a usage
    error still exits 2, with its message, and the exit handlers still run."""
    p = _run("""
        import atexit, pathlib, runpy, sys
        atexit.register(lambda: pathlib.Path("handler-ran").write_text("yes"))
        sys.argv = ["cyberdip", "score", "--no-such-option"]
        runpy.run_module("cyberdip", run_name="__main__")
        """, tmp_path)
    assert (p.returncode, p.stdout) == (2, "")
    assert "No such option" in p.stderr and "--no-such-option" in p.stderr
    assert (tmp_path / "handler-ran").read_text() == "yes"
