"""`cyberdip sensitivity PATH...`: exit code, stdout and stderr together."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys

import pexpect
import pytest

from tests.conftest import DATA, PATIENCE, ROOT, ctrl_c

M = DATA / "portfolio" / "missions"
GOOD = [M / f"{m}.yaml" for m in ("alpha", "bravo", "charlie", "delta")]
MISSIONS = ROOT / "examples" / "missions"
MINI = DATA / "rubrics" / "mini.yaml"


def test_the_example_portfolio(cli):
    r = cli("sensitivity", MISSIONS)
    assert r.code == 0
    # the examples follow the newest built-in rubric, whatever its version
    assert re.fullmatch(r"analysed 4 of 4 files \(cyberdip-core \d+\.\d+\.\d+\): 1,000 draws, "
                        r"seed 1\n", r.stderr)
    lines = r.stdout.splitlines()
    assert lines[0] == "Sensitivity of the readiness index to its weights"
    assert "independent draw from U(0.5, 1.5)." in r.stdout
    start = lines.index(next(line for line in lines if line.startswith("Rank  Unit")))
    rows = [line.split()[0] for line in lines[start + 2:start + 6]]
    # the places of the ranked units, then a dash for each provisional one
    ranked = [r for r in rows if r != "—"]
    assert ranked == [str(i) for i in range(1, len(ranked) + 1)]
    assert rows == ranked + ["—"] * (4 - len(ranked))
    flat = " ".join(r.stdout.split())
    data = json.loads(cli("sensitivity", MISSIONS, "-f", "json").stdout)
    # every unit is named once, under the places that hold or those that move
    hold = flat.split("Places that hold", 1)[1].split("Places that move", 1)[0]
    move = flat.split("Places that move with the weights:", 1)[1].split("Levels and", 1)[0]
    below = flat.split("Not ranked", 1)[1] if "Not ranked" in flat else ""
    for u in data["rows"]:
        if u["provisional"]:  # as in aggregate's league table: listed, never ranked
            assert u["rank"] is None and u["label"] in below
            continue
        where = hold if u["robust"] else move
        assert f"{u['label']} ({u['rank']})" in where


def test_min_coverage_decides_who_is_ranked_as_in_aggregate(cli):
    for threshold in ("0", "80", "100"):
        r = cli("sensitivity", MISSIONS, "--min-coverage", threshold, "--draws", "50",
                "-f", "json")
        table = json.loads(cli("aggregate", MISSIONS, "--min-coverage", threshold,
                               "-f", "json").stdout)["table"]
        assert r.code == 0
        rows = json.loads(r.stdout)["rows"]
        assert [(u["label"], u["rank"], u["provisional"]) for u in rows] == [
            (t["label"], t["rank"], t["provisional"]) for t in table]


def test_the_output_is_the_same_on_every_run_and_in_every_process(cli, subprocess_cli):
    first = cli("sensitivity", MISSIONS, "-f", "json", "--seed", "5", "--draws", "300")
    again = subprocess_cli("sensitivity", MISSIONS, "-f", "json", "--seed", "5", "--draws",
                           "300")
    assert first.code == again.code == 0
    assert first.stdout == again.stdout
    other = cli("sensitivity", MISSIONS, "-f", "json", "--seed", "6", "--draws", "300")
    assert other.stdout != first.stdout
    assert json.loads(first.stdout)["method"]["seed"] == 5


def test_fixed_weights_give_the_index_and_rank_of_aggregate(cli):
    r = cli("sensitivity", *GOOD, "--weight-range", "1,1", "-f", "json")
    table = json.loads(cli("aggregate", *GOOD, "-f", "json").stdout)["table"]
    assert r.code == 0
    assert r.stderr == "analysed 4 of 4 files (mini 1.0.0): 1,000 draws, seed 1\n"
    data = json.loads(r.stdout)
    assert data["method"]["weight_range"] == [1.0, 1.0]
    assert [(u["label"], u["index"], u["rank"]) for u in data["rows"]] == [
        (t["label"], t["index"], t["rank"]) for t in table]
    for u in data["rows"]:
        assert u["index_low"] == u["index_median"] == u["index_high"] == u["index"]
        assert u["rank_low"] == u["rank_high"] == u["rank"] and u["robust"] is True


def test_units_whose_places_move_are_named(cli, tmp_path):
    # one strong on policy, one on outreach: which leads depends on the weights
    (tmp_path / "p.yaml").write_text(
        f"rubric: {MINI}\norganisation: {{name: M, unit: Policy post}}\nanswers:\n"
        "  policy.strategy: {level: 4, evidence: [s]}\n  policy.law: {met: false}\n"
        "  outreach.missions-online: {value: 35}\n  outreach.dialogue: {level: 1}\n")
    (tmp_path / "q.yaml").write_text(
        f"rubric: {MINI}\norganisation: {{name: M, unit: Outreach post}}\nanswers:\n"
        "  policy.strategy: {level: 2}\n  policy.law: {met: false}\n"
        "  outreach.missions-online: {value: 95, evidence: [c]}\n"
        "  outreach.dialogue: {level: 4, evidence: [d]}\n")
    r = cli("sensitivity", tmp_path, "-f", "csv")
    assert r.code == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["robust"] for row in rows] == ["no", "no"]
    assert {row["rank_low"] + "-" + row["rank_high"] for row in rows} == {"1-2"}
    text = cli("sensitivity", tmp_path)
    flat = " ".join(text.stdout.split())
    assert "Places that hold (the 5th to 95th percentile of the rank is one place): none." in flat
    assert "Places that move with the weights:" in flat and "Policy post (" in flat


def test_a_folder_with_a_broken_file_and_another_rubric(cli):
    r = cli("sensitivity", M, "--draws", "100")
    assert r.code == 1
    assert r.stderr.splitlines() == [
        f"{M / 'echo-broken.yaml'}:6:28: error[CD302]: level 9 is outside the scale 0..4 of "
        "`mini`",
        f"{M / 'foxtrot-other-rubric.yaml'}:1:1: error[CD310]: this assessment answers "
        "another rubric than the first one (`mini` 1.0.0, profile none); left out (analyse "
        "each rubric and profile separately)",
        "analysed 4 of 6 files (mini 1.0.0): 100 draws, seed 1; 2 left out: see the problems "
        "above"]
    # the others are still analysed; tied units share their place
    lines = [" ".join(line.split()) for line in r.stdout.splitlines()]
    assert any(line.startswith("2 Consulate D 38.89") for line in lines)
    assert any(line.startswith("2 Embassy C 38.89") for line in lines)


def test_one_assessment_has_an_interval_and_no_rank(cli):
    r = cli("sensitivity", GOOD[0], "-f", "md", "--vary", "criteria")
    assert r.code == 0
    assert r.stderr == "analysed 1 of 1 file (mini 1.0.0): 1,000 draws, seed 1\n"
    assert "| Unit | Readiness index | 5th–95th | Median |" in r.stdout
    assert "Rank" not in r.stdout and "Places that" not in r.stdout
    assert "each criterion weight (area weights as the rubric gives them)" in r.stdout


def test_writes_a_file_by_its_extension(cli, tmp_path):
    target = tmp_path / "s.csv"
    r = cli("sensitivity", *GOOD, "-o", target, "--draws", "50")
    assert r.code == 0 and r.stdout == ""
    assert r.stderr == (f"wrote {target}\n"
                        "analysed 4 of 4 files (mini 1.0.0): 50 draws, seed 1\n")
    assert target.read_text("utf-8").startswith("rank,unit,path,index,index_low,")
    again = cli("sensitivity", *GOOD, "-o", target, "--draws", "50")
    assert again.code == 2 and again.stdout == ""
    assert again.stderr == (f"{target}: error[CD401]: already exists; use --force to "
                            "overwrite it\n")


@pytest.mark.parametrize("args, message", [
    (["--weight-range", "1.5,0.5"], "--weight-range"),
    (["--weight-range", "0,1"], "--weight-range"),
    (["--weight-range", "nan,1"], "--weight-range"),
    (["--weight-range", "abc"], "--weight-range"),
    (["--draws", "0"], "--draws"),
    (["--vary", "weights"], "--vary"),
    (["-o", "s.pdf"], "`cyberdip sensitivity` writes .txt, .html, .md, .json, .csv"),
])
def test_usage_errors_exit_2_and_write_nothing(cli, args, message):
    r = cli("sensitivity", *GOOD, *args)
    assert r.code == 2 and r.stdout == ""
    assert message in r.stderr and "Traceback" not in r.stderr


def test_names_from_files_are_inert_in_every_format(cli, tmp_path):
    hostile = "=HYPERLINK(\"http://x\") <script>alert(1)</script> [a](javascript:x)"
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(
            f"rubric: {MINI}\norganisation: {{name: M, unit: '{hostile} {name}'}}\n"
            "answers:\n  policy.strategy: {level: 2}\n", encoding="utf-8")
    html = cli("sensitivity", tmp_path, "-f", "html", "--draws", "20")
    assert html.code == 0
    assert "<script>alert" not in html.stdout and "&lt;script&gt;alert(1)" in html.stdout
    md = cli("sensitivity", tmp_path, "-f", "md", "--draws", "20").stdout
    assert "<script>" not in md and "[a](javascript:" not in md  # escaped: \\[a\\](
    rows = list(csv.DictReader(io.StringIO(cli("sensitivity", tmp_path, "-f", "csv",
                                               "--draws", "20").stdout)))
    assert [row["unit"][:2] for row in rows] == ["'=", "'="]  # never a formula


def test_html_is_a_file_not_terminal_output():
    child = _spawn("-f", "html", "--draws", "10")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert "an HTML page is a file, not terminal output" in child.before
    assert "<html" not in child.before


def test_a_rubric_is_not_an_assessment(cli):
    r = cli("sensitivity", MINI)
    assert r.code == 1 and r.stdout == ""
    assert r.stderr.splitlines() == [
        f"{MINI}:1:1: error[CD004]: this is a rubric, not an assessment; score an assessment "
        "(make one with `cyberdip init`)",
        "error: the file could not be analysed"]


def test_an_empty_folder(cli, tmp_path):
    r = cli("sensitivity", tmp_path)
    assert r.code == 2 and r.stdout == ""
    assert r.stderr.splitlines() == [
        f"{tmp_path}: error[CD002]: no .yaml or .yml files in this folder",
        "error: no assessment files found in the paths given"]


# -- progress: on a terminal only, and never with --format json --------------------------


def _spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("CYBERDIP_DEBUG", None)
    return pexpect.spawn(sys.executable, ["-m", "cyberdip", "sensitivity", str(MISSIONS),
                                          *args], env=env, encoding="utf-8",
                         timeout=PATIENCE, dimensions=(40, 120))


def _on_a_terminal(*args: str) -> tuple[int, str]:
    child = _spawn(*args)
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


def test_a_terminal_sees_a_progress_bar_with_a_count_and_the_time_left():
    # enough draws to take longer than the bar's 0.3 s wait on any machine
    code, shown = _on_a_terminal("--draws", "60000")
    assert code == 0
    assert " of 60,000 draws, about " in shown and " s left" in shown
    assert "analysed 4 of 4 files" in shown


def test_ctrl_c_stops_the_draws_with_exit_130():
    child = _spawn("--draws", "100000")
    child.expect(" draws, about ")  # the bar shows: the draws are running
    ctrl_c(child)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    # on a line of its own: the bar was erased first
    assert re.search(r"[\r\n]interrupted\r?\n", child.before), child.before[-200:]
    assert "Traceback" not in child.before


def test_json_on_a_terminal_has_no_progress_bar():
    code, shown = _on_a_terminal("--draws", "60000", "-f", "json")
    assert code == 0
    assert "draws, about" not in shown
    assert re.search(r"analysed 4 of 4 files \(cyberdip-core [\d.]+\): 60,000 draws, seed 1$",
                     shown.rstrip())


# -- cost: CPU time, not wall-clock, so a busy machine does not fail it --------------------


def test_a_thousand_draws_of_the_example_portfolio_cost_well_under_a_few_seconds():
    """The whole command, start-up included, in a child process: criterion scores are
    taken once, and each draw recomputes two weighted means per unit."""
    import resource
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run([sys.executable, "-m", "cyberdip", "sensitivity", str(MISSIONS),
                        "--draws", "1000"], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "NO_COLOR": "1"})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert p.returncode == 0, p.stderr
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu < 3.0, f"{cpu:.2f} s of CPU"
