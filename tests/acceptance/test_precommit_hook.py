"""The `cyberdip-validate` pre-commit hook: run its entry the way pre-commit would."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from cyberdip import yamlio
from tests.conftest import DATA, ROOT

HOOKS = ROOT / ".pre-commit-hooks.yaml"


@pytest.fixture(scope="module")
def hook() -> dict:
    hooks = yamlio.load(HOOKS).data
    [h] = [h for h in hooks if h["id"] == "cyberdip-validate"]
    return h


def run_hook(hook: dict, *files: Path) -> subprocess.CompletedProcess:
    """pre-commit runs `entry` + `args` + the staged file names, with the hook's venv on PATH."""
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
           "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    cmd = [*shlex.split(hook["entry"]), *hook.get("args", []), *map(str, files)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60, cwd=ROOT)


def test_hook_definition(hook):
    assert hook["language"] == "python"
    assert hook["entry"] == "cyberdip validate"
    assert "yaml" in hook["types"]


@pytest.mark.parametrize(("path", "matches"), [
    ("rubrics/cyberdip-core.yaml", True),
    ("policy/rubrics/ours.yml", True),
    ("assessments/2024/embassy-paris.yaml", True),
    ("hq/pakistan.assessment.yaml", True),
    ("my.rubric.yml", True),
    (".github/workflows/ci.yml", False),
    (".pre-commit-config.yaml", False),
    ("rubrics/README.md", False),
    ("myrubrics/x.yaml", False),
])
def test_files_pattern(hook, path, matches):
    assert bool(re.search(hook["files"], path)) is matches


def test_good_file_passes(hook):
    p = run_hook(hook, ROOT / "rubrics" / "cyberdip-core.yaml", DATA / "valid" / "mini.yaml")
    assert (p.returncode, p.stdout, p.stderr) == (0, "", "2 files checked: all valid\n")


def test_broken_file_fails_with_a_located_message(hook):
    bad = DATA / "invalid" / "unknown-key-typo.yaml"
    p = run_hook(hook, DATA / "valid" / "mini.yaml", bad)
    assert p.returncode == 1
    assert p.stdout == (f"{bad}:35:9: error[CD102]: unknown key `wieght`: did you mean "
                        "`weight`?\n")
    assert p.stderr == "2 files checked, 1 error in 1 file\n"
