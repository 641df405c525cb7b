"""`cyberdip signoff` and `cyberdip history`: a sign-off bound to the answers and the
rubric, signed with an SSH key, and the history every command that changes answers
appends to."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, PATIENCE, ROOT, ctrl_c, fill_workbook

BASELINE = ROOT / "examples" / "pakistan-mofa-2023.yaml"
MINI = DATA / "rubrics" / "mini.yaml"
HAND = DATA / "assessments" / "mini-answered.yaml"
needs_ssh = pytest.mark.skipif(shutil.which("ssh-keygen") is None,
                               reason="OpenSSH's ssh-keygen is not installed "
                               "(apt-get install openssh-client)")


@pytest.fixture
def mini(tmp_path) -> Path:
    """The hand-written mini assessment, with its rubric beside it."""
    shutil.copy(MINI, tmp_path / "mini.yaml")
    a = tmp_path / "berlin.yaml"
    a.write_text(HAND.read_text(encoding="utf-8").replace("../rubrics/mini.yaml", "mini.yaml"),
                 encoding="utf-8")
    return a


def _key(tmp_path: Path, name: str, principal: str) -> tuple[Path, str]:
    key = tmp_path / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", principal, "-f",
                    str(key)], check=True)
    public = " ".join(Path(f"{key}.pub").read_text().split()[:2])
    return key, f"{principal} {public}\n"


def test_a_signoff_holds_until_an_answer_changes(cli, mini, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765000000")
    r = cli("signoff", mini, "--by", "A. Khan", "--role", "Director", "--date", "2026-12-01")
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr == (f"wrote {mini.with_suffix('.signoff')}: signed off by A. Khan "
                        "(Director) on 2026-12-01; not signed with a key (see --key)\n")
    r = cli("signoff", mini, "--check")
    assert (r.code, r.stdout, r.stderr) == (
        0, "Signed off by A. Khan (Director) on 2026-12-01\n", "")
    # the plan's bookkeeping is not covered: an action's owner changes nothing
    text = mini.read_text(encoding="utf-8")
    mini.write_text(text.replace("answers:\n", "answers:\n  policy.law:\n    met: true\n"
                                 "    owner: Legal adviser\n", 1)
                    if "policy.law" not in text else text, encoding="utf-8")
    changed = mini.read_text(encoding="utf-8").replace("level: 2", "level: 3", 1)
    assert changed != mini.read_text(encoding="utf-8")
    mini.write_text(changed, encoding="utf-8")
    r = cli("signoff", mini, "--check")
    assert (r.code, r.stderr) == (1, "")
    assert r.stdout == ("Changed since sign-off on 2026-12-01 by A. Khan (Director): the "
                        "answers differ from what was signed off, so the sign-off no "
                        "longer holds\n")


def test_updating_the_action_plan_keeps_the_signoff_and_a_changed_answer_voids_it(cli, mini):
    assert cli("signoff", mini, "--by", "A. Khan", "--role", "Director", "--date",
               "2026-12-01").code == 0
    text = mini.read_text(encoding="utf-8")
    planned = text.replace("policy.strategy: {level: 2}", "policy.strategy:\n    level: 2\n"
                           "    action: Put the strategy to the cabinet\n"
                           "    owner: Director, Policy Planning\n    due: 2027-Q2\n"
                           "    status: planned")
    assert planned != text
    for status in ("planned", "under-way", "done"):
        mini.write_text(planned.replace("status: planned", f"status: {status}"),
                        encoding="utf-8")
        r = cli("signoff", mini, "--check")
        assert (r.code, r.stdout, r.stderr) == (
            0, "Signed off by A. Khan (Director) on 2026-12-01\n", "")
    mini.write_text(planned.replace("level: 2", "level: 2\n    evidence: [Cabinet minute]"),
                    encoding="utf-8")
    r = cli("signoff", mini, "--check")
    assert (r.code, r.stderr) == (1, "") and r.stdout.startswith("Changed since sign-off")


def test_changing_the_rubric_voids_the_signoff(cli, mini):
    assert cli("signoff", mini, "--by", "A", "--role", "B", "--date", "2026-01-02").code == 0
    rubric = mini.parent / "mini.yaml"
    rubric.write_bytes(rubric.read_bytes() + b"\n# edited\n")
    r = cli("signoff", mini, "--check")
    assert r.code == 1 and "the rubric differ" in r.stdout


def test_a_signoff_is_never_written_over_without_force(cli, mini):
    assert cli("signoff", mini, "--by", "A", "--role", "B").code == 0
    r = cli("signoff", mini, "--by", "C", "--role", "D")
    assert (r.code, r.stdout) == (2, "")
    assert "already exists; use --force" in r.stderr
    assert "signed-by: \"A\"" in mini.with_suffix(".signoff").read_text(encoding="utf-8")


def test_bad_input_is_refused_clearly(cli, mini, tmp_path):
    r = cli("signoff", mini, "--by", "A")
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == "error: give --by NAME and --role ROLE (or --check to check a sign-off)\n"
    r = cli("signoff", mini, "--by", "A", "--role", "B", "--date", "1 December")
    assert r.code == 2 and "is not a date: write it as YYYY-MM-DD" in r.stderr
    r = cli("signoff", mini, "--check")
    assert (r.code, r.stdout, r.stderr) == (1, "", (
        f"{mini.with_suffix('.signoff')}: error[CD712]: no sign-off beside this assessment "
        "(`cyberdip signoff` records one)\n"))
    mini.with_suffix(".signoff").write_text('format: "cyberdip-signoff/1"\nassessment: x\n')
    r = cli("signoff", mini, "--check")
    assert r.code == 1 and "error[CD702]" in r.stderr and "Traceback" not in r.stderr


@needs_ssh
def test_a_signed_signoff_is_checked_with_cyberdip_and_with_ssh_keygen_alone(cli, mini,
                                                                              tmp_path):
    key, allowed_line = _key(tmp_path, "dg", "dg@mofa.example")
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(allowed_line)
    r = cli("signoff", mini, "--by", "A. Khan", "--role", "DG", "--date", "2026-12-01",
            "--key", key)
    assert r.code == 0 and r.stderr.startswith(f"wrote {mini.with_suffix('.signoff')} and ")
    r = cli("signoff", mini, "--check", "--allowed-signers", allowed)
    assert (r.code, r.stdout, r.stderr) == (
        0, "Signed off by A. Khan (DG) on 2026-12-01; signature checked: dg@mofa.example\n",
        "")
    statement = mini.with_suffix(".signoff").read_bytes()
    p = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(allowed), "-I",
                        "dg@mofa.example", "-n", "cyberdip", "-s",
                        str(mini.with_suffix(".signoff.sig"))], input=statement,
                       capture_output=True)
    assert p.returncode == 0 and b"Good \"cyberdip\" signature" in p.stdout
    # without the allowed-signers file, cyberdip says what it did not check
    r = cli("signoff", mini, "--check")
    assert r.code == 0 and r.stderr == ("note: signed with a key; give --allowed-signers "
                                        "FILE to check who signed\n")


@needs_ssh
def test_a_signature_by_a_key_not_allowed_is_refused(cli, mini, tmp_path):
    _, allowed_line = _key(tmp_path, "dg", "dg@mofa.example")
    other, _ = _key(tmp_path, "intruder", "x@example.org")
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(allowed_line)
    assert cli("signoff", mini, "--by", "A", "--role", "DG", "--key", other).code == 0
    r = cli("signoff", mini, "--check", "--allowed-signers", allowed)
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr == (f"{mini.with_suffix('.signoff.sig')}: error[CD704]: the signature "
                        "was not made by a key in the allowed-signers file (or the "
                        "statement was changed after it was signed)\n")


@needs_ssh
def test_a_statement_edited_after_signing_is_refused(cli, mini, tmp_path):
    key, allowed_line = _key(tmp_path, "dg", "dg@mofa.example")
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(allowed_line)
    assert cli("signoff", mini, "--by", "A", "--role", "DG", "--key", key).code == 0
    s = mini.with_suffix(".signoff")
    s.write_text(s.read_text().replace('signed-by: "A"', 'signed-by: "Someone else"'))
    r = cli("signoff", mini, "--check", "--allowed-signers", allowed)
    assert r.code == 1 and "error[CD704]" in r.stderr


def test_import_merge_and_signoff_append_to_the_history(cli, mini, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765000000")
    sheet = tmp_path / "s.xlsx"
    assert cli("init", MINI, "-o", sheet).code == 0
    fill_workbook(sheet, {"policy.strategy": {"answer": "2"}, "policy.law": {"answer": "yes"}},
                  {"organisation": "Test Ministry", "respondent": "Ana"})
    out = tmp_path / "from-sheet.yaml"
    r = cli("import", sheet, "-o", out)
    assert r.code == 0, r.stderr
    r = cli("history", out)
    assert (r.code, r.stderr) == (0, "")
    assert r.stdout == ("2025-12-06T05:46:40Z  Ana  import  policy.strategy: (none) -> level 2\n"
                        "2025-12-06T05:46:40Z  Ana  import  policy.law: (none) -> met\n")
    # merge of two files: the consensus's history starts with the merge
    merged = tmp_path / "merged.yaml"
    r = cli("merge", out, mini, "-o", merged)
    assert r.code == 0, r.stderr
    lines = [json.loads(x) for x in merged.with_suffix(".history.jsonl").read_text().splitlines()]
    assert lines and {e["command"] for e in lines} == {"merge"}
    assert cli("signoff", merged, "--by", "DG", "--role", "Director").code == 0
    r = cli("history", merged, "--json")
    assert r.code == 0 and json.loads(r.stdout.splitlines()[-1])["command"] == "signoff"


def test_an_assessment_without_a_history_yet_is_told_so_with_a_code(cli, mini):
    r = cli("history", mini)
    assert (r.code, r.stdout, r.stderr) == (1, "", (
        f"{mini.with_suffix('.history.jsonl')}: error[CD711]: no history beside this "
        "assessment yet (`import`, `merge`, `assess` and `signoff` start one when they "
        "write or sign its answers)\n"))


def test_a_damaged_history_is_shown_and_named(cli, mini, tmp_path):
    h = mini.with_suffix(".history.jsonl")
    from cyberdip.formats import history

    history.record(mini, "assess", "Ana", [("policy.law", None, {"met": True}),
                                           ("policy.strategy", None, {"level": 2})])
    lines = h.read_text().splitlines(keepends=True)
    h.write_text(lines[1])  # the first entry removed
    r = cli("history", mini)
    assert r.code == 1 and "policy.strategy" in r.stdout
    assert r.stderr.startswith(f"{h}:1: error[CD705]: the history is damaged or was edited")


def test_assess_appends_each_answer_to_the_history(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "SOURCE_DATE_EPOCH": "1765000000"}
    child = pexpect.spawn(sys.executable, ["-m", "cyberdip", "assess", str(MINI), "-o",
                                           "a.yaml"], cwd=str(tmp_path), env=env,
                          encoding="utf-8", timeout=PATIENCE, dimensions=(50, 100))
    for prompt, text in (("Organisation", "Ministry"), ("Unit or mission", ""),
                         ("Period", ""), ("Answer", "2"), ("Evidence", ""), ("Target", "")):
        child.expect(prompt)
        child.sendline(text)
    child.expect("2 of 4")
    child.expect("Answer")
    ctrl_c(child)
    child.expect(pexpect.EOF)
    child.close()
    entries = [json.loads(x) for x in (tmp_path / "a.history.jsonl").read_text().splitlines()]
    assert [(e["command"], e["criterion"], e["to"]) for e in entries] == [
        ("assess", "policy.strategy", {"level": 2})]


def test_every_report_says_whether_the_signoff_holds(cli, mini, tmp_path):
    assert cli("signoff", mini, "--by", "A. Khan", "--role", "Director", "--date",
               "2026-12-01").code == 0
    held = "Signed off by A. Khan (Director) on 2026-12-01."
    void = ("Changed since sign-off on 2026-12-01 by A. Khan (Director): the answers differ "
            "from what was signed off, so the sign-off no longer holds.")

    def outputs() -> dict[str, str]:
        got = {"text": cli("score", mini).stdout,
               "json": json.dumps(json.loads(cli("score", mini, "-f", "json").stdout)
                                  ["signoff"])}
        for name, extra in (("r.md", ()), ("r.html", ()), ("b.html", ("--brief",))):
            r = cli("report", mini, "-o", tmp_path / name, "--force", *extra)
            assert r.code == 0, r.stderr
            got[name] = (tmp_path / name).read_text(encoding="utf-8")
        return got

    for name, text in outputs().items():
        if name == "json":
            assert json.loads(text) == {"signed_by": "A. Khan", "role": "Director",
                                        "date": "2026-12-01", "holds": True, "changed": [],
                                        "signed_with_key": False}
        else:
            assert held in " ".join(text.split()), name
    mini.write_text(mini.read_text(encoding="utf-8").replace("level: 2", "level: 1", 1),
                    encoding="utf-8")
    for name, text in outputs().items():
        if name == "json":
            assert json.loads(text)["holds"] is False
            assert json.loads(text)["changed"] == ["answers"]
        else:
            assert void in " ".join(text.split()), name
            assert held not in " ".join(text.split()), name


def test_a_damaged_signoff_is_a_warning_and_the_report_shows_none(cli, mini):
    mini.with_suffix(".signoff").write_text("format: nonsense\n", encoding="utf-8")
    r = cli("score", mini)
    assert r.code == 0
    assert "warning[CD702]" in r.stderr and "the reports show no sign-off" in r.stderr
    assert "Signed off" not in r.stdout and "sign-off" not in r.stdout
