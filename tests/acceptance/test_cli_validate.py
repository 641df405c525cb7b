"""`cyberdip validate`: every problem in every file, located, with a stable code.

Data-driven like check-jsonschema: every file in tests/data/valid must pass, and
every file in tests/data/invalid must fail with exactly the problems its
``.expected`` sidecar lists, one ``LINE:COL CODE fragment`` per line (the
fragment must appear in the message).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT

VALID = sorted(p for p in (DATA / "valid").iterdir() if p.suffix in (".yaml", ".yml"))
INVALID = sorted((DATA / "invalid").glob("*.yaml"))
CORE = ROOT / "rubrics" / "cyberdip-core.yaml"
TEXT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): error\[(?P<code>CD\d{3})\]: "
                       r"(?P<msg>.+)$")


def expected(path: Path) -> list[tuple[int, int, str, str]]:
    out = []
    for raw in path.with_suffix(".expected").read_text().splitlines():
        where, code, fragment = raw.split(" ", 2)
        line, col = where.split(":")
        out.append((int(line), int(col), code, fragment))
    return out


def parsed(stdout: str) -> list[tuple[str, int, int, str, str]]:
    rows = []
    for line in stdout.splitlines():
        m = TEXT_LINE.match(line)
        assert m, f"not a located problem line: {line!r}"
        rows.append((m["path"], int(m["line"]), int(m["col"]), m["code"], m["msg"]))
    return rows


def test_data_dirs_are_not_empty():
    assert len(VALID) >= 3 and len(INVALID) >= 25
    for p in INVALID:
        assert p.with_suffix(".expected").is_file(), f"{p.name} has no .expected sidecar"


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_files_pass(cli, path):
    r = cli("validate", path)
    assert (r.code, r.stdout, r.stderr) == (0, "", "1 file checked: all valid\n")


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_files_report_exactly_the_expected_problems(cli, path):
    r = cli("validate", path)
    want = expected(path)
    got = parsed(r.stdout)
    assert r.code == 1, r.stdout + r.stderr
    assert [(line, col, code) for _, line, col, code, _ in got] == \
        [(line, col, code) for line, col, code, _ in want]
    for (p, *_, msg), (*_, fragment) in zip(got, want, strict=True):
        assert p == str(path)
        assert fragment in msg
    n = len(want)
    assert r.stderr == f"1 file checked, {n} error{'s' if n != 1 else ''} in 1 file\n"


# -- the "done when": four located messages from one broken copy -------------------


def _broken_copy(text: str) -> tuple[str, dict[str, int]]:
    """Break a rubric four ways; return the text and the 1-based line of each break."""
    lines = text.splitlines()
    # area weights: criteria of cyberdip-core 2.1 all weigh the default, 1
    weights = [i for i, s in enumerate(lines) if re.fullmatch(r" {4}weight: [0-9.]+", s)]
    refs = [i for i, s in enumerate(lines) if re.fullmatch(r" {10}- ref: \S+", s)]
    assert len(weights) >= 3 and refs, "the rubric no longer looks like the one this test knows"
    w_no, w_typo, w_dup = weights[0], weights[1], weights[2]
    ref = refs[-1]
    lines[w_no] = "    weight: no"
    lines[w_typo] = lines[w_typo].replace("weight:", "wieght:")
    lines[ref] = "          - ref: nosuchpaper2099"
    lines.insert(w_dup + 1, lines[w_dup])  # the same key twice in a row
    at = {"CD105": w_no + 1, "CD102": w_typo + 1, "CD207": ref + 1 + (ref > w_dup),
          "CD101": w_dup + 2}
    return "\n".join(lines) + "\n", at


def test_broken_copy_of_the_builtin_rubric_gives_four_located_messages(cli, tmp_path):
    source = CORE if CORE.is_file() else DATA / "rubrics" / "mini.yaml"
    if source == CORE:
        text, at = _broken_copy(source.read_text())
    else:  # the mini rubric writes sources inline; break it by hand
        text = (DATA / "invalid" / "four-problems.yaml").read_text()
        at = {code: line for line, _, code, _ in expected(DATA / "invalid" / "four-problems.yaml")}
    broken = tmp_path / "broken.yaml"
    broken.write_text(text)
    r = cli("validate", broken)
    got = parsed(r.stdout)
    assert r.code == 1
    assert sorted((code, line) for _, line, _, code, _ in got) == sorted(
        (code, line) for code, line in at.items())
    msgs = {code: msg for _, _, _, code, msg in got}
    assert "did you mean `weight`?" in msgs["CD102"]
    assert "put it in quotes ('no')" in msgs["CD105"]
    assert "nosuchpaper2099" in msgs["CD207"] or "munir2032" in msgs["CD207"]
    assert re.search(r"already set on line \d+", msgs["CD101"])
    assert r.stderr == "1 file checked, 4 errors in 1 file\n"


# -- folders, several files, exit codes -------------------------------------------------------


def test_builtin_rubrics_folder_is_valid(cli):
    """Every built-in rubric and translation is valid with no warning. A translation
    says how much it covers, once, on stderr; one marked partial says it as a note."""
    r = cli("validate", ROOT / "rubrics")
    files = sorted((ROOT / "rubrics").glob("*.y*ml"))
    n = len(files)
    assert (r.code, r.stdout) == (0, "")
    translations = [p for p in files if re.search(r"\.[a-z]{2}$", p.stem)]
    cover = [ln for ln in r.stderr.splitlines() if "translation" in ln and " covers " in ln]
    assert len(cover) == len(translations)
    assert r.stderr.splitlines()[-1] == f"{n} file{'s' if n != 1 else ''} checked: all valid"


def test_what_ships_validates_clean_and_the_partial_v1_urdu_is_one_note(cli):
    r = cli("validate", ROOT / "rubrics", ROOT / "examples")
    assert (r.code, r.stdout) == (0, "")
    assert "warning" not in r.stderr
    v1 = ROOT / "rubrics" / "cyberdip-core@1.ur.yaml"
    notes = [ln for ln in r.stderr.splitlines() if ln.startswith(f"{v1}:")]
    assert len(notes) == 1
    assert re.fullmatch(rf"{re.escape(str(v1))}: note: a partial ur translation "
                        r"\(`partial: true`\): it covers (\d+) of (\d+) rubric strings "
                        r"\([\d.]+%\); the other \d+ are shown in English, marked EN; 0 stale",
                        notes[0])


def test_a_partial_translation_warns_only_of_stale_entries_and_a_complete_one_of_the_mark(
        cli, tmp_path):
    rubric = tmp_path / "mini.yaml"
    rubric.write_text((DATA / "rubrics" / "mini.yaml").read_text())
    ur = tmp_path / "mini.ur.yaml"
    text = (DATA / "rubrics" / "mini.ur.yaml").read_text(encoding="utf-8")
    ur.write_text(text, encoding="utf-8")
    before = cli("validate", ur)
    assert "warning[CD502]" in before.stdout and "warning[CD503]" in before.stdout
    ur.write_text(text.replace("status:", "partial: true\nstatus:", 1), encoding="utf-8")
    r = cli("validate", ur, "-f", "json")
    problems = json.loads(r.stdout)["files"][0]["problems"]
    assert [p["code"] for p in problems] == ["CD503"]  # stale is still said; missing is not
    assert json.loads(r.stdout)["files"][0]["coverage"]["partial"] is True
    ur.write_text(text.replace("status:", "partial: maybe\nstatus:", 1), encoding="utf-8")
    r = cli("validate", ur)
    assert r.code == 1 and "error[CD104]: `partial` must be true or false" in r.stdout
def test_builtin_rubric_by_id(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("validate", "cyberdip-core")
    assert (r.code, r.stdout, r.stderr) == (0, "", "1 file checked: all valid\n")


def test_an_assessment_validates_against_its_rubric(cli):
    r = cli("validate", DATA / "assessments" / "mini-answered.yaml")
    assert (r.code, r.stdout, r.stderr) == (0, "", "1 file checked: all valid\n")


def test_every_bad_file_in_a_folder_is_reported(cli, tmp_path):
    for name in ("unknown-tag", "wrong-type"):
        (tmp_path / f"{name}.yaml").write_text((DATA / "invalid" / f"{name}.yaml").read_text())
    (tmp_path / "good.yml").write_text((DATA / "valid" / "mini.yaml").read_text())
    (tmp_path / "notes.txt").write_text("not yaml, not read")
    (tmp_path / ".hidden.yaml").write_text("{{{{ not read either")
    r = cli("validate", tmp_path)
    files = [p for p, *_ in parsed(r.stdout)]
    assert r.code == 1
    assert files == [str(tmp_path / "unknown-tag.yaml"), str(tmp_path / "wrong-type.yaml")]
    assert r.stderr == "3 files checked, 2 errors in 2 files\n"


def test_missing_file_exits_2_but_still_reports_the_others(cli, tmp_path):
    missing = tmp_path / "nope.yaml"
    r = cli("validate", missing, DATA / "invalid" / "unknown-tag.yaml")
    assert r.code == 2
    lines = r.stdout.splitlines()
    assert lines[0] == f"{missing}: error[CD002]: no such file: {missing} (check the path)"
    assert "error[CD208]" in lines[1]
    assert r.stderr == "2 files checked, 2 errors in 2 files\n"


def test_folder_without_yaml_exits_2(cli, tmp_path):
    (tmp_path / "readme.txt").write_text("hello")
    r = cli("validate", tmp_path)
    assert r.code == 2
    assert r.stdout == f"{tmp_path}: error[CD002]: no .yaml or .yml files in this folder\n"
    assert r.stderr == "1 file checked, 1 error in 1 file\n"


def test_no_arguments_is_a_usage_error(cli):
    r = cli("validate")
    assert r.code == 2
    assert r.stdout == ""
    assert "Missing argument 'PATH'" in r.stderr


# -- output formats -----------------------------------------------------------------------------


def test_json_format_lists_every_file(cli):
    bad = DATA / "invalid" / "non-positive-weight.yaml"
    good = DATA / "valid" / "mini.yaml"
    r = cli("validate", "--format", "json", bad, good)
    assert r.code == 1
    doc = json.loads(r.stdout)
    assert [f["path"] for f in doc["files"]] == [str(bad), str(good)]
    assert [f["valid"] for f in doc["files"]] == [False, True]
    assert [f["kind"] for f in doc["files"]] == ["rubric", "rubric"]
    probs = doc["files"][0]["problems"]
    assert [(p["line"], p["col"], p["code"], p["name"], p["level"]) for p in probs] == [
        (29, 13, "CD202", "non-positive-weight", "error"),
        (45, 17, "CD202", "non-positive-weight", "error")]
    assert r.stderr == "2 files checked, 2 errors in 1 file\n"


def test_github_format(cli):
    bad = DATA / "invalid" / "unknown-key-typo.yaml"
    r = cli("validate", "-f", "github", bad)
    assert r.code == 1
    assert r.stdout == (f"::error file={bad},line=35,col=9,title=CD102 unknown-key::"
                        "unknown key `wieght`: did you mean `weight`?\n")


def test_auto_picks_github_under_github_actions(cli, monkeypatch):
    bad = DATA / "invalid" / "unknown-key-typo.yaml"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    r = cli("validate", bad)
    assert r.code == 1
    assert r.stdout.startswith("::error file=")
    monkeypatch.delenv("GITHUB_ACTIONS")
    r = cli("validate", bad)
    assert r.stdout.startswith(f"{bad}:35:9: error[CD102]: ")


def test_unknown_format_is_a_usage_error(cli):
    r = cli("validate", "-f", "xml", DATA / "valid" / "mini.yaml")
    assert r.code == 2
    assert r.stdout == ""
    assert "Invalid value for '--format'" in r.stderr


def test_help(cli):
    r = cli("validate", "--help")
    assert r.code == 0
    assert "--format" in r.stdout and "file:line:col" in r.stdout
    assert r.stderr == ""


def test_real_process_exit_codes(subprocess_cli, tmp_path):
    """Exit codes survive the real entry point (main maps click errors to 2)."""
    assert subprocess_cli("validate", DATA / "valid" / "mini.yaml").code == 0
    assert subprocess_cli("validate", DATA / "invalid" / "scale-gap.yaml").code == 1
    assert subprocess_cli("validate", tmp_path / "missing.yaml").code == 2
    r = subprocess_cli("validate", "--format", "nope", "x.yaml")
    assert r.code == 2 and "Traceback" not in r.stderr


def test_many_files_are_checked_on_every_core_with_the_same_report(cli, tmp_path,
                                                                   monkeypatch):
    import shutil

    from cyberdip.cli import pool

    folder = tmp_path / "many"
    folder.mkdir()
    good = DATA / "assessments" / "mini-answered.yaml"
    text = good.read_text().replace("../rubrics/mini.yaml", str(DATA / "rubrics" / "mini.yaml"))
    for i in range(70):
        (folder / f"a{i:02}.yaml").write_text(text if i % 9 else text.replace(
            "{level: 2}", "{level: 9}"))
    (tmp_path / "empty").mkdir()
    shutil.copy(DATA / "rubrics" / "mini.yaml", folder / "zz-rubric.yaml")
    args = ("validate", folder, tmp_path / "empty", "-f", "json")
    monkeypatch.setattr(pool, "PARALLEL_FROM", 10**9)
    one = cli(*args)
    monkeypatch.setattr(pool, "PARALLEL_FROM", 2)
    many = cli(*args)
    assert (one.code, one.stdout, one.stderr) == (many.code, many.stdout, many.stderr)
    assert one.code == 2  # the empty folder
    assert one.stdout.count('"code": "CD302"') == 8


def test_indicators_that_contradict_each_other_are_a_located_warning(cli, tmp_path):
    """On cyberdip-core 2.0 the warning names the rubric's ladder as the likely cause;
    on another rubric it does not."""
    core = tmp_path / "core.yaml"
    core.write_text(
        "rubric: cyberdip-core\nrubric_version: 2.0.0\norganisation: {name: M}\nanswers:\n"
        "  strategy.digital-diplomacy-strategy:\n    indicators:\n"
        "      need-recognised: false\n      approved-strategy: true\n", encoding="utf-8")
    r = cli("validate", core)
    assert (r.code, r.stderr) == (0, "1 file checked: all valid, 1 warning\n")
    assert r.stdout == (
        f"{core}:8:7: warning[CD324]: `strategy.digital-diplomacy-strategy`: the level-3 "
        "indicator `approved-strategy` is answered met, but the level-1 indicator "
        "`need-recognised` below it is not; the level counts indicators met from the bottom "
        "up, so it stays below 1. Check both answers; the likely cause is the rubric's "
        "ladder: in cyberdip-core 2.0.0 some levels are not cumulative as worded\n")
    other = tmp_path / "other.yaml"
    other.write_text(
        f"rubric: {DATA / 'rubrics' / 'format2.yaml'}\norganisation: {{name: M}}\nanswers:\n"
        "  policy.strategy:\n    indicators: {drafted: false, adopted: true}\n",
        encoding="utf-8")
    r = cli("validate", other)
    assert (r.code, r.stderr) == (0, "1 file checked: all valid, 1 warning\n")
    assert r.stdout == (
        f"{other}:5:34: warning[CD324]: `policy.strategy`: the level-2 indicator `adopted` "
        "is answered met, but the level-1 indicator `drafted` below it is not; the level "
        "counts indicators met from the bottom up, so it stays below 1. Check both answers\n")


def test_every_problem_of_an_assessment_is_reported_in_one_run(cli, tmp_path):
    """A level off the scale, a misspelled criterion id, a misspelled key and a YAML
    boolean where a list belongs: the schema finds two, the rubric the other two; all
    four are reported at once, not in two rounds."""
    a = tmp_path / "a.yaml"
    a.write_text(f"rubric: {DATA / 'rubrics' / 'mini.yaml'}\n"
                 "organisation: {name: Test Ministry}\n"
                 "answers:\n"
                 "  policy.strategy: {level: 7}\n"
                 "  policy.strategi: {level: 2}\n"
                 "  outreach.dialogue: {levle: 2}\n"
                 "  policy.law: {met: true, evidence: no}\n")
    r = cli("validate", a)
    assert r.code == 1
    assert [(line, code) for _, line, _, code, _ in parsed(r.stdout)] == [
        (4, "CD302"), (5, "CD301"), (6, "CD102"), (7, "CD105")]
    assert r.stderr == "1 file checked, 4 errors in 1 file\n"


def test_a_problem_inside_a_part_the_schema_refused_is_not_said_twice(cli, tmp_path):
    a = tmp_path / "a.yaml"
    a.write_text(f"rubric: {DATA / 'rubrics' / 'mini.yaml'}\n"
                 "organisation: Test Ministry\n"  # not a mapping
                 "answers:\n"
                 "  policy.strategy: {level: 9.5}\n"  # not a whole number: not also CD302
                 "  policy.strategi: {level: 9, levle: 2}\n")
    r = cli("validate", a)
    assert [(line, code) for _, line, _, code, _ in parsed(r.stdout)] == [
        (2, "CD104"), (4, "CD104"), (5, "CD301"), (5, "CD102")]


def test_fail_on_warning_turns_a_warning_into_exit_1_and_says_so(cli, tmp_path):
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / "mini.yaml").write_bytes((DATA / "valid" / "mini.yaml").read_bytes())
    (tmp_path / "a").mkdir()
    answered = (DATA / "assessments" / "mini-answered.yaml").read_text(encoding="utf-8")
    path = tmp_path / "a" / "old.yaml"
    path.write_text(answered.replace("rubric_version: 1.0.0", "rubric_version: 0.9.0"),
                    encoding="utf-8")
    warning = (f"{path}:2:17: warning[CD307]: answered against version 0.9.0 of `mini`, but "
               "the rubric is now 1.0.0; check new or changed criteria\n")
    r = cli("validate", path)
    assert (r.code, r.stdout, r.stderr) == (0, warning, "1 file checked: all valid, 1 warning\n")
    r = cli("validate", path, "--fail-on-warning")
    assert (r.code, r.stdout, r.stderr) == (
        1, warning, "1 file checked: all valid, 1 warning (--fail-on-warning: a warning fails "
        "the check)\n")
    r = cli("validate", tmp_path / "rubrics" / "mini.yaml", "--fail-on-warning")
    assert (r.code, r.stderr) == (0, "1 file checked: all valid\n")


def test_validate_of_many_files_shows_a_progress_bar_on_a_terminal_only(tmp_path):
    from tests.acceptance.test_cli_aggregate import _many_missions, _on_a_terminal
    from tests.conftest import run_cli

    folder = _many_missions(tmp_path)
    shown = _on_a_terminal(tmp_path, "validate", str(folder))
    assert " of 120 files, about " in shown
    assert shown.rstrip().splitlines()[-1].lstrip("\r ").startswith("120 files checked")
    r = run_cli("validate", folder)
    assert r.code == 0 and "\r" not in r.stderr and "files, about" not in r.stderr
    quiet = _on_a_terminal(tmp_path, "validate", "-f", "json", str(folder))
    assert "files, about" not in quiet
