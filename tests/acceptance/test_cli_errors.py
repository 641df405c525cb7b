"""The last line of defence in cyberdip/cli/__init__.py: internal errors and Ctrl-C."""

from __future__ import annotations

from pathlib import Path

import cyberdip.engine.scoring

MINI = Path(__file__).resolve().parents[1] / "data" / "assessments" / "mini-answered.yaml"


def test_an_unexpected_error_is_one_line_asking_for_a_bug_report(cli, monkeypatch):
    def boom(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(cyberdip.engine.scoring, "score", boom)
    r = cli("score", MINI)
    assert (r.code, r.stdout) == (3, "")
    assert r.stderr.count("\n") == 1
    assert r.stderr.startswith("internal error: RuntimeError: boom -- this is a bug in cyberdip")
    assert "please report it to the cyberdip maintainers" in r.stderr
    assert "Traceback" not in r.stderr


def test_ctrl_c_exits_130_quietly(cli, monkeypatch):
    def interrupted(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(cyberdip.engine.scoring, "score", interrupted)
    r = cli("score", MINI)
    assert (r.code, r.stdout, r.stderr) == (130, "", "interrupted\n")


def test_an_unknown_command_is_a_usage_error(subprocess_cli):
    r = subprocess_cli("scor", str(MINI))
    assert (r.code, r.stdout) == (2, "")
    assert "No such command 'scor'" in r.stderr and "Traceback" not in r.stderr


def test_a_value_not_among_an_options_choices_reads_the_same_on_every_typer(subprocess_cli):
    # typer 0.29 checks choices with pydantic, whose message starts "Value error, "
    r = subprocess_cli("score", str(MINI), "--format", "xml")
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--format' / '-f': 'xml' is not one of 'text', 'json'.")
