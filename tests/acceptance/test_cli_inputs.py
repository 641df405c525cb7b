"""What a command does with inputs it should not trust: files that are not what they
were named as, special files, non-finite numbers, and a second session on one file.

Each test is the repro of a fault found by an audit, with the message and exit code
the fix promises (exit code, stdout and stderr together).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, PATIENCE, ROOT, ctrl_c, run_cli

MINI = DATA / "rubrics" / "mini.yaml"
ANSWERED = DATA / "assessments" / "mini-answered.yaml"
GOOD = [DATA / "portfolio" / "missions" / f"{m}.yaml" for m in ("alpha", "bravo")]
SECRET = "hunter2-SECRET"
#: A file that is YAML, but nobody's rubric: a leak would quote its keys or values.
CONFIG = f"password: {SECRET}\nuser: admin\nnested: {{token: {SECRET}}}\n"
#: Lines as in /etc/shadow.
SHADOW = f"root:$6${SECRET}:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"


def strict_json(text: str):
    """Parse as strict JSON: NaN, Infinity and -Infinity are refused, as any other
    JSON parser would refuse them."""
    def refuse(name: str):
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def assessment_naming(tmp_path: Path, rubric: str) -> Path:
    a = tmp_path / "a.yaml"
    a.write_text(f"rubric: {rubric}\norganisation: {{name: X}}\nanswers: {{}}\n")
    return a


# -- files that are not what they were named as ---------------------------------------


@pytest.mark.parametrize("content", [CONFIG, SHADOW], ids=["config", "shadow"])
def test_a_rubric_that_is_not_a_rubric_is_named_in_one_line_and_never_quoted(
        cli, tmp_path, content):
    (tmp_path / "secret").write_text(content)
    a = assessment_naming(tmp_path, "secret")
    r = cli("score", a)
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr == (f"{a}:1:9: error[CD306]: the rubric `secret` cannot be used: "
                        f"`{tmp_path / 'secret'}` is not a cyberdip rubric (a rubric has "
                        "`areas` and `scale`)\n")
    for args in (("score", ANSWERED, "--rubric", tmp_path / "secret"),
                 ("init", tmp_path / "secret", "-o", tmp_path / "x.yaml"),
                 ("validate", a)):
        r = cli(*args)
        assert r.code == 1 and SECRET not in r.stdout + r.stderr, args
        assert "is not a cyberdip rubric" in r.stdout + r.stderr


def test_import_of_a_sheet_naming_a_secret_file_as_its_rubric_leaks_nothing(cli, tmp_path):
    (tmp_path / "shadow").write_text(SHADOW)
    sheet = tmp_path / "s.csv"
    sheet.write_text("rubric,shadow\nid,answer\n")
    r = cli("import", sheet, "-o", tmp_path / "out.yaml")
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr == (f"{tmp_path / 'shadow'}: error[CD004]: `{tmp_path / 'shadow'}` is not "
                        "a cyberdip rubric (a rubric has `areas` and `scale`)\n")
    assert not (tmp_path / "out.yaml").exists()


def test_validate_quotes_nothing_from_a_yaml_file_that_is_neither_kind(cli, tmp_path):
    f = tmp_path / "settings.yaml"
    # a duplicate key and a bad date would both be quoted if this were a rubric
    f.write_text(f"{SECRET}: 1\n{SECRET}: 2\nwhen: 2001-02-30\n")
    r = cli("validate", f)
    assert r.code == 1
    assert SECRET not in r.stdout + r.stderr
    assert r.stdout == (f"{f}:1:1: error[CD004]: cannot tell what this file is: a rubric has "
                        "`areas` and `scale`, an assessment has `rubric` and `answers`\n")


@pytest.mark.parametrize("command", ["score", "report", "validate"])
def test_a_questionnaire_sheet_given_to_a_yaml_command_says_to_import_it(cli, tmp_path,
                                                                          command):
    sheet = tmp_path / "berlin.csv"
    shutil.copy(DATA / "csv" / "mini-filled.csv", sheet)
    args = [command, sheet] + (["-o", tmp_path / "r.html"] if command == "report" else [])
    r = cli(*args)
    message = (f"{sheet}: error[CD004]: this is a questionnaire sheet, not an assessment: "
               f"run `cyberdip import {sheet} -o assessment.yaml` to turn it into one\n")
    if command == "validate":
        assert (r.code, r.stdout) == (1, message)
    else:
        assert (r.code, r.stdout, r.stderr) == (1, "", message)
    assert not (tmp_path / "r.html").exists()


def test_a_workbook_given_to_score_is_named_as_one(cli, tmp_path):
    book = tmp_path / "berlin.yaml"  # whatever it is called
    book.write_bytes(b"PK\x03\x04" + os.urandom(64))
    r = cli("score", book)
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr.startswith(f"{book}: error[CD004]: this is a spreadsheet workbook")


# -- outputs of a kind the command does not write --------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["init", "cyberdip-core", "-o", "berlin.ods"],
     "berlin.ods: error[CD404]: `.ods`: `cyberdip init` writes .html, .yaml, .csv, .xlsx; "
     "for a spreadsheet, write an .xlsx workbook (init) or a .csv sheet and open it there; "
     "name the file accordingly, or pass --format html|yaml|csv|xlsx\n"),
    (["report", str(ANSWERED), "-o", "r.doc"],
     "r.doc: error[CD404]: `.doc`: `cyberdip report` writes .html, .md, .pdf, .json, .docx; "
     "for Word, write a .docx report with `cyberdip report -o report.docx`; name the file "
     "accordingly, or pass --format html|md|pdf|json|docx\n"),
    (["compare", str(ANSWERED), str(ANSWERED), "-o", "c.docx"],
     "c.docx: error[CD404]: `.docx`: `cyberdip compare` writes .txt, .html, .md, .json, "
     ".csv; for Word, write the gap report with `cyberdip report -o report.docx`; name the "
     "file accordingly, or pass --format text|html|md|json|csv\n"),
    (["compare", str(ANSWERED), str(ANSWERED), "-o", "c.xlsx"],
     "c.xlsx: error[CD404]: `.xlsx`: `cyberdip compare` writes .txt, .html, .md, .json, "
     ".csv; for Excel, write a .csv sheet and open it in Excel; name the file "
     "accordingly, or pass --format text|html|md|json|csv\n"),
    (["aggregate", str(DATA / "portfolio" / "missions"), "-o", "m.pdf"],
     "m.pdf: error[CD404]: `.pdf`: `cyberdip aggregate` writes .txt, .html, .md, .json, "
     ".csv; for a PDF, write the gap report with `cyberdip report -o report.pdf`; name the "
     "file accordingly, or pass --format text|html|md|json|csv\n"),
])
def test_an_output_extension_the_command_does_not_write_is_refused(tmp_path, args, message):
    r = run_cli(*args, cwd=tmp_path)
    assert (r.code, r.stdout, r.stderr) == (2, "", message)
    assert list(tmp_path.iterdir()) == []


def test_the_format_follows_the_output_extension(cli, tmp_path):
    out = tmp_path / "m.html"
    r = cli("aggregate", *GOOD, "-o", out)
    assert r.code == 0, r.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# -- special files ------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/proc/kmsg"), reason="needs Linux /proc/kmsg")
def test_a_rubric_at_proc_kmsg_is_refused_at_once(tmp_path):
    a = assessment_naming(tmp_path, "/proc/kmsg")
    r = run_cli("score", a)
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr.startswith(f"{a}:1:9: error[CD306]: the rubric `/proc/kmsg` cannot be "
                               "used: is not a regular file")


@pytest.mark.skipif(not os.path.exists("/proc/kmsg"), reason="needs Linux /proc/kmsg")
def test_aggregate_over_a_folder_with_a_link_to_a_special_file_does_not_hang(tmp_path):
    folder = tmp_path / "missions"
    folder.mkdir()
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(DATA / "portfolio" / "missions" / "alpha.yaml", folder / name)
        text = (folder / name).read_text().replace("../../rubrics/mini.yaml", str(MINI))
        (folder / name).write_text(text)
    (folder / "kmsg.yaml").symlink_to("/proc/kmsg")
    os.mkfifo(folder / "fifo.yaml")
    r = run_cli("aggregate", folder, "-f", "json")
    assert r.code == 1
    assert strict_json(r.stdout)["units"] == 2
    lines = r.stderr.splitlines()
    assert f"{folder / 'fifo.yaml'}: error[CD002]: is not a regular file (a FIFO, socket or " \
           "device?)" in lines
    assert any(line.startswith(f"{folder / 'kmsg.yaml'}: error[CD002]: is not a regular file")
               for line in lines)


# -- every number finite, every JSON output strict --------------------------------------


@pytest.mark.parametrize(("old", "new"), [
    ("    weight: 2\n    criteria:", "    weight: .nan\n    criteria:"),
    ("    weight: 2\n    criteria:", "    weight: 1.0e+308\n    criteria:"),
    ("min: 0,", "min: .nan,"),
    ("max: 100,", "max: .inf,"),
])
def test_a_non_finite_rubric_number_fails_validation_and_every_gate(cli, tmp_path, old, new):
    text = MINI.read_text()
    assert old in text
    (tmp_path / "rubric.yaml").write_text(text.replace(old, new, 1))
    a = tmp_path / "a.yaml"
    a.write_text(ANSWERED.read_text().replace("../rubrics/mini.yaml", "rubric.yaml"))
    r = cli("validate", tmp_path / "rubric.yaml")
    assert r.code == 1 and "error[CD106]" in r.stdout
    r = cli("score", a, "--fail-under", "50", "--min-coverage", "100")
    assert (r.code, r.stdout) == (1, "")
    assert "nan" not in r.stderr.lower().replace("cannot", "")
    assert r.stderr.startswith(f"{a}:1:9: error[CD306]: the rubric `rubric.yaml` is invalid")


def test_a_nan_answer_is_a_located_error_not_level_0(cli, tmp_path):
    a = tmp_path / "a.yaml"
    a.write_text(ANSWERED.read_text().replace("{value: 30}", "{value: .nan}")
                 .replace("../rubrics/mini.yaml", str(MINI)))
    r = cli("score", a, "-f", "json")
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr == (f"{a}:8:37: error[CD303]: answers.outreach.missions-online.value: nan "
                        "is not a finite number; give an ordinary number (.nan and .inf are "
                        "not allowed)\n")


@pytest.mark.parametrize("args", [
    ("score", ANSWERED, "-f", "json"),
    ("report", ANSWERED, "-f", "json", "-o", "-"),
    ("compare", ANSWERED, ANSWERED, "-f", "json"),
    ("aggregate", *GOOD, "-f", "json"),
    ("validate", DATA / "invalid", "-f", "json"),
])
def test_every_json_output_is_strict_json_with_finite_numbers(cli, args):
    r = cli(*args)
    data = strict_json(r.stdout)

    def finite(x):
        if isinstance(x, float):
            assert x == x and x not in (float("inf"), float("-inf"))
        elif isinstance(x, dict):
            for v in x.values():
                finite(v)
        elif isinstance(x, list):
            for v in x:
                finite(v)

    finite(data)


# -- two questionnaire sessions on one file --------------------------------------------


def test_a_second_assess_session_on_the_same_file_is_refused_until_the_first_ends(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}

    def spawn():
        return pexpect.spawn(sys.executable, ["-m", "cyberdip", "assess", str(MINI), "-o",
                                              "berlin.yaml"], cwd=str(tmp_path), env=env,
                             encoding="utf-8", timeout=PATIENCE, dimensions=(50, 100))

    first = spawn()
    first.expect("Organisation")
    second = spawn()
    second.expect(pexpect.EOF)
    second.close()
    assert second.exitstatus == 2
    pid = first.pid
    assert second.before.strip() == (
        f"berlin.yaml: error[CD403]: another `cyberdip assess` session is answering this "
        f"file (process {pid}); finish or quit that session first, then run this command "
        "again")
    # killed, the first session holds nothing: a new one starts
    first.kill(9)
    first.close()
    third = spawn()
    third.expect("Organisation")
    third.sendline("Ministry")
    third.expect("Unit or mission")
    ctrl_c(third)
    third.expect(pexpect.EOF)
    third.close()
    # a session that ends, even by Ctrl-C, leaves no lock file behind
    assert third.exitstatus == 130
    assert not (tmp_path / ".berlin.yaml.lock").exists()


def test_the_readme_example_still_has_no_regression_to_gate_on():
    # the illustrative 2025 follow-up: criteria assessed in both years never dropped
    r = run_cli("compare", ROOT / "examples" / "pakistan-mofa-2023.yaml",
                ROOT / "examples" / "pakistan-mofa-2025-followup.yaml", "--fail-on-regression",
                "-f", "json")
    assert r.code == 0, r.stderr
    assert strict_json(r.stdout)["regressions"] == []
