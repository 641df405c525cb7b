"""`--help` reads as plain instructions: our metavars, an example per command, and one
whole summary line per command (cyberdip/cli/helpfmt.py)."""

from __future__ import annotations

import re

import pytest

from tests.acceptance.test_docs import COMMANDS

#: What typer shows when left to itself: type names and brace-wrapped arguments.
PROGRAMMER = re.compile(r"<(?:list|str|int|float|path|text|auto\|)[^>]*>|\{[A-Za-z_.]+\}|"
                        r"\brange>|<[a-z]+\|[a-z|]+>")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_is_plain_and_has_an_example(cli, command):
    r = cli(command, "--help")
    assert (r.code, r.stderr) == (0, "")
    assert not PROGRAMMER.search(r.stdout), PROGRAMMER.search(r.stdout).group()
    assert r.stdout.startswith(f"Usage: cyberdip {command} [OPTIONS]")
    assert "\n  Example:\n    cyberdip " + command in r.stdout


def test_the_command_list_has_one_whole_line_per_command(cli):
    r = cli("--help")
    assert (r.code, r.stderr) == (0, "")
    listing = r.stdout.split("\nCommands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listing] == [
        "validate", "rubrics", "schema", "init", "assess", "import", "merge", "score",
        "report", "compare", "trend", "aggregate", "sensitivity", "signoff", "history",
        "status", "plan", "export", "import-oscal"]
    for line in listing:
        assert len(line) <= 80 and not line.rstrip().endswith("..."), line
        assert line.rstrip().endswith("."), line


def test_usage_shows_the_arguments_by_name(cli):
    assert cli("compare", "-h").stdout.startswith(
        "Usage: cyberdip compare [OPTIONS] PREVIOUS CURRENT\n")
    assert cli("validate", "-h").stdout.startswith("Usage: cyberdip validate [OPTIONS] PATH...\n")
    score = cli("score", "-h").stdout
    assert "-f, --format FORMAT" in score and "--min-coverage PERCENT" in score


def test_shell_completion_is_offered(cli):
    r = cli("--help")
    assert "--install-completion" in r.stdout and "--show-completion" in r.stdout
