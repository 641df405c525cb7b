"""The GitHub Action (action.yml): its inputs map to the `cyberdip validate` command it
runs, checked by running its own step script with bash, and that command's annotations
are in GitHub's workflow-command format. `.pre-commit-hooks.yaml` runs the same command."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import yaml

from tests.conftest import DATA, ROOT

ACTION = ROOT / "action.yml"
#: ::error file=F,line=L,col=C,title=CDnnn name::message (line and col when known)
ANNOTATION = re.compile(r"^::(error|warning) file=[^,:]+(,line=\d+,col=\d+)?,"
                        r"title=CD\d{3} [a-z0-9-]+::\S.*$")


@pytest.fixture(scope="module")
def action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def _step(action: dict, name: str) -> dict:
    [step] = [s for s in action["runs"]["steps"] if s.get("name") == name]
    return step


def test_the_action_is_a_composite_action_with_three_inputs(action):
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"paths", "fail-on-warning", "python-version"}
    assert action["inputs"]["paths"]["required"] is True
    assert action["inputs"]["fail-on-warning"]["default"] == "false"
    assert all(s.get("shell") == "bash" for s in action["runs"]["steps"] if "run" in s)


def test_it_installs_cyberdip_from_its_own_checkout(action):
    step = _step(action, "Install cyberdip from the action's checkout")
    assert step["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert re.search(r'pip install .*"\$ACTION_PATH"$', step["run"].strip())


def test_inputs_reach_the_script_only_through_the_environment(action):
    """An input written into a script (`${{ inputs.x }}` inside `run:`) would run as
    shell code; passed as environment variables, it is only ever data."""
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", "")
    env = _step(action, "cyberdip validate")["env"]
    assert env == {"CYBERDIP_PATHS": "${{ inputs.paths }}",
                   "CYBERDIP_FAIL_ON_WARNING": "${{ inputs.fail-on-warning }}"}


@pytest.fixture
def run_step(action, tmp_path):
    """Run the action's validate step as a runner would: bash, RUNNER_TEMP holding the
    venv the install step made (here: a `python` that runs this test's interpreter)."""
    script = _step(action, "cyberdip validate")["run"]
    venv_bin = tmp_path / "runner" / "cyberdip-venv" / "bin"
    venv_bin.mkdir(parents=True)
    python = venv_bin / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    work = tmp_path / "repo"
    (work / "rubrics").mkdir(parents=True)
    (work / "rubrics" / "mini.yaml").write_bytes((DATA / "valid" / "mini.yaml").read_bytes())
    (work / "assessments").mkdir()
    answered = (DATA / "assessments" / "mini-answered.yaml").read_text(encoding="utf-8")
    (work / "assessments" / "old version.yaml").write_text(
        answered.replace("rubric_version: 1.0.0", "rubric_version: 0.9.0"), encoding="utf-8")

    def run(paths: str, fail_on_warning: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "RUNNER_TEMP": str(tmp_path / "runner"), "NO_COLOR": "1",
               "CYBERDIP_PATHS": paths, "CYBERDIP_FAIL_ON_WARNING": fail_on_warning}
        return subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True,
                              text=True, timeout=300)

    return run


def test_the_step_runs_validate_with_github_annotations_on_the_paths_given(run_step):
    r = run_step("rubrics/mini.yaml\n  assessments/", "false")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines == ["::warning file=assessments/old version.yaml,line=2,col=17,"
                     "title=CD307 rubric-version-mismatch::answered against version 0.9.0 "
                     "of `mini`, but the rubric is now 1.0.0; check new or changed criteria"]
    assert all(ANNOTATION.match(line) for line in lines)
    assert r.stderr == "2 files checked: all valid, 1 warning\n"


def test_fail_on_warning_true_fails_the_job_on_a_warning(run_step):
    r = run_step("rubrics/mini.yaml assessments/", "true")
    assert r.returncode == 1
    assert r.stderr == ("2 files checked: all valid, 1 warning (--fail-on-warning: a "
                        "warning fails the check)\n")
    assert run_step("rubrics/mini.yaml", "true").returncode == 0  # no warning there


@pytest.mark.parametrize("paths, flag, message", [
    ("rubrics/", "yes", "the input fail-on-warning is true or false, not 'yes'"),
    (" \n ", "false", "the input paths names nothing to check"),
])
def test_a_bad_input_is_an_annotated_usage_error(run_step, paths, flag, message):
    r = run_step(paths, flag)
    assert r.returncode == 2
    assert r.stdout == f"::error title=cyberdip action::{message}\n"


def test_a_path_that_looks_like_an_option_is_still_a_path(run_step):
    r = run_step("--version", "false")
    assert r.returncode == 2  # a file named `--version` that does not exist, not the option
    assert "--version" in r.stdout and "cyberdip 0" not in r.stdout


def test_errors_are_annotations_in_githubs_format(cli):
    """Every error and warning `validate --format github` prints is one workflow command."""
    folder = DATA / "invalid"
    r = cli("validate", folder, "--format", "github")
    assert r.code == 1
    lines = r.stdout.splitlines()
    assert len(lines) >= 10
    bad = [line for line in lines if not ANNOTATION.match(line)]
    assert bad == []


def test_the_pre_commit_hooks_run_the_same_command(action):
    hooks = {h["id"]: h for h in yaml.safe_load(
        (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    script = _step(action, "cyberdip validate")["run"]
    assert '-m cyberdip validate "${args[@]}"' in script
    assert hooks["cyberdip-validate"]["entry"] == "cyberdip validate"
    strict = hooks["cyberdip-validate-strict"]
    assert (strict["entry"], strict["args"]) == ("cyberdip validate", ["--fail-on-warning"])
    assert "args+=(--fail-on-warning)" in script
    assert {k: v for k, v in strict.items() if k not in ("id", "name", "args",
                                                         "description")} == {
        k: v for k, v in hooks["cyberdip-validate"].items()
        if k not in ("id", "name", "args", "description")}


def test_the_readme_shows_a_four_line_workflow_step_that_uses_the_action():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- action-workflow -->\n```yaml\n(.*?)```", readme, re.S)
    assert block, "README.md: no workflow after <!-- action-workflow -->"
    lines = block.group(1).rstrip("\n").splitlines()
    assert len(lines) == 4
    workflow = yaml.safe_load(block.group(1))
    assert isinstance(workflow, list)
    step = workflow[-1]
    assert step["uses"].split("@")[0].endswith("/cyberdip")
    assert set(step.get("with", {})) <= set(yaml.safe_load(ACTION.read_text("utf-8"))["inputs"])

