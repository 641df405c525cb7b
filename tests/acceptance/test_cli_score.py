"""`cyberdip score`: the scorecard, its JSON, the gates, and invalid assessments."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]
MINI = DATA / "assessments" / "mini-answered.yaml"
INVALID = sorted((DATA / "invalid-assessments").glob("*.yaml"))


def test_text_scorecard_shows_index_stage_areas_and_gaps(cli):
    r = cli("score", MINI)
    assert r.code == 0, r.stderr
    assert r.stderr == ""
    assert "Readiness index 55.56/100   Stage 2 Formative   Coverage 100%" in r.stdout
    assert re.search(r"Policy\s+58\.33\s+█+░+\s+2 Formative\s+100%", r.stdout)
    assert re.search(r"Outreach\s+50\.0", r.stdout)
    assert "The 2 steps that would raise the stage to 3 (Established)" in r.stdout
    assert "1. Digital diplomacy strategy [critical] — level 2 → 3 Established" in r.stdout
    # a format-1 rubric leaves blanks out of the stage, and the scorecard says so
    assert "Unanswered criteria are left out of the stage (rule: ignore)." in r.stdout
    assert "\x1b[" not in r.stdout  # piped output has no colour codes


def test_json_scorecard_validates_against_the_exported_schema(cli):
    r = cli("score", MINI, "--format", "json")
    assert r.code == 0 and r.stderr == ""
    card = json.loads(r.stdout)
    schema = json.loads(cli("schema", "scorecard").stdout)
    jsonschema.Draft202012Validator(schema).validate(card)
    assert card["index"] == 55.56 and card["stage"] == 2


def test_fail_under_gate_says_by_how_much(cli):
    r = cli("score", MINI, "--fail-under", "60")
    assert r.code == 1
    assert "Readiness index 55.56/100" in r.stdout
    assert r.stderr == "gate failed: index is 55.56, 4.44 points below --fail-under 60\n"


def test_min_coverage_gate(tmp_path, cli):
    partial = tmp_path / "partial.yaml"
    text = MINI.read_text().replace("../rubrics/mini.yaml", str(DATA / "rubrics" / "mini.yaml"))
    partial.write_text("\n".join(line for line in text.splitlines()
                                 if "outreach." not in line) + "\n")
    r = cli("score", partial, "--min-coverage", "90")
    assert r.code == 1
    # 2 of 3 is 66.666...%: rounded down, once, to 66.66, and shown as that everywhere
    assert "PROVISIONAL: only 66.66% of the rubric is answered (below 90%)." in r.stdout
    assert r.stderr == ("gate failed: coverage is 66.66%, 23.34 points below "
                        "--min-coverage 90\n")


def _two_criteria(tmp_path, answered_weight: int, other_weight: int):
    """A rubric of two criteria weighted so that answering the first gives a chosen
    coverage, and an assessment that answers only the first."""
    rubric = (DATA / "rubrics" / "mini.yaml").read_text()
    head, _, _ = rubric.partition("areas:")
    crit = """      - id: policy.{n}
        title: Criterion {n}
        question: Is {n} done?
        kind: level
        weight: {w}
        levels: {{0: None, 1: Some, 2: Half, 3: Most, 4: All}}
        recommendations: {{1: a, 2: b, 3: c, 4: d}}
        sources: [{{ref: munir2023, section: Leadership Lapses}}]
"""
    text = head + ("areas:\n  - id: policy\n    title: Policy\n    description: x.\n"
                   "    weight: 1\n    criteria:\n"
                   + crit.format(n="a", w=answered_weight) + crit.format(n="b", w=other_weight))
    (tmp_path / "r.yaml").write_text(text)
    a = tmp_path / "a.yaml"
    a.write_text("rubric: r.yaml\norganisation: {name: X}\nanswers:\n"
                 "  policy.a: {level: 2}\n")
    return a


def test_coverage_just_below_80_is_below_80_everywhere(tmp_path, cli):
    # 799,992 of 1,000,000: coverage 79.9992%, which must never show, mark or gate as 80
    a = _two_criteria(tmp_path, 799_992, 200_008)
    card = json.loads(cli("score", a, "-f", "json").stdout)
    assert (card["coverage"], card["provisional"]) == (79.99, True)
    assert card["areas"][0]["coverage"] == 79.99
    r = cli("score", a, "--min-coverage", "80")
    assert r.code == 1
    assert "Coverage 79.99%" in r.stdout
    assert "PROVISIONAL: only 79.99% of the rubric is answered (below 80%)." in r.stdout
    assert r.stderr == "gate failed: coverage is 79.99%, 0.01 points below --min-coverage 80\n"
    md = cli("report", a, "-o", "-").stdout
    assert "Only 79.99% of the rubric is answered, below the 80% needed" in md
    assert "**79.99%**" in md


def test_coverage_of_exactly_80_passes_at_80_everywhere(tmp_path, cli):
    a = _two_criteria(tmp_path, 8, 2)
    card = json.loads(cli("score", a, "-f", "json").stdout)
    assert (card["coverage"], card["provisional"]) == (80.0, False)
    r = cli("score", a, "--min-coverage", "80")
    assert (r.code, r.stderr) == (0, "")
    assert "Coverage 80%" in r.stdout and "PROVISIONAL" not in r.stdout
    assert "PROVISIONAL" not in cli("report", a, "-o", "-").stdout


def test_gates_pass_quietly(cli):
    r = cli("score", MINI, "--fail-under", "50", "--min-coverage", "80")
    assert (r.code, r.stderr) == (0, "")


def test_rubric_option_overrides_the_assessments_rubric(tmp_path, cli):
    a = tmp_path / "a.yaml"
    a.write_text(MINI.read_text().replace("../rubrics/mini.yaml", "no-such-rubric"))
    assert cli("score", a).code == 1
    r = cli("score", a, "--rubric", DATA / "rubrics" / "mini.yaml", "--format", "json")
    assert r.code == 0, r.stderr
    assert json.loads(r.stdout)["rubric"]["id"] == "mini"


def test_strict_scores_unsupported_claims_lower(tmp_path, cli):
    a = tmp_path / "a.yaml"
    a.write_text(MINI.read_text().replace('evidence: ["PECA 2016"]', "evidence: []").replace(
        "../rubrics/mini.yaml", str(DATA / "rubrics" / "mini.yaml")))
    lenient = json.loads(cli("score", a, "-f", "json").stdout)
    strict = json.loads(cli("score", a, "-f", "json", "--strict").stdout)
    law = {c["id"]: c for c in lenient["criteria"]}["policy.law"]
    law_strict = {c["id"]: c for c in strict["criteria"]}["policy.law"]
    assert law["unsupported"] and law["level"] == 3
    assert law_strict["level"] == 0 and strict["index"] < lenient["index"]


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_assessment_exits_1_with_a_located_message(path, cli, tmp_path):
    work = tmp_path / "invalid-assessments"
    shutil.copytree(path.parent, work)
    shutil.copytree(DATA / "rubrics", tmp_path / "rubrics")
    expected = (work / (path.stem + ".expected")).read_text()
    r = cli("score", work / path.name)
    assert r.code == 1
    assert r.stdout == ""
    assert r.stderr == "".join(f"{work}/{line}\n" for line in expected.splitlines())
    assert "Traceback" not in r.stderr


def test_missing_file_is_a_usage_error(cli):
    r = cli("score", "no/such/file.yaml")
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == "no/such/file.yaml: error[CD002]: no such file: no/such/file.yaml " \
                       "(check the path)\n"


def test_scoring_a_rubric_says_what_to_do(cli):
    r = cli("score", ROOT / "rubrics" / "cyberdip-core.yaml")
    assert r.code == 1 and r.stdout == ""
    assert "this is a rubric, not an assessment" in r.stderr


def test_score_runs_as_a_real_process(subprocess_cli):
    r = subprocess_cli("score", MINI)
    assert r.code == 0 and "Readiness index 55.56/100" in r.stdout and r.stderr == ""


@pytest.mark.parametrize("gate", ["--min-coverage", "--fail-under"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_gate_threshold_must_be_a_number_from_0_to_100(cli, gate, value):
    # nan passes a 0..100 range check on older typer (it is neither below nor above),
    # and then reached the JSON scorecard: exit 3
    r = cli("score", MINI, "-f", "json", gate, value)
    assert (r.code, r.stdout) == (2, "")
    assert f"Invalid value for '{gate}'" in r.stderr


# -- dated evidence: --as-of and the reference date ---------------------------------------

DATED_RUBRIC = DATA / "rubrics" / "format2-dated.yaml"


def _dated(tmp_path: Path, date: str | None) -> Path:
    shutil.copy(DATED_RUBRIC, tmp_path / "r.yaml")
    path = tmp_path / "a.yaml"
    path.write_text(
        "rubric: r.yaml\norganisation: {name: M}\n" + (f"date: {date}\n" if date else "")
        + "answers:\n  policy.law:\n    met: true\n    evidence:\n"
        "      - {text: Cybercrime act, date: 2016-05-01}\n", encoding="utf-8")
    return path


def test_stale_evidence_is_judged_against_the_assessments_date_or_as_of(tmp_path, cli):
    path = _dated(tmp_path, "2016-06-30")
    fresh = cli("score", path)
    assert fresh.code == 0 and "stale" not in fresh.stdout
    r = cli("score", path, "--as-of", "2026-12-01")
    assert (r.code, r.stderr) == (0, "")
    assert ("1 item(s) of evidence stale or expired on 2026-12-01 (flagged; --strict scores "
            "claims resting only on it as unsupported):\n  policy.law: Cybercrime act "
            "(stale, dated 2016-05-01)\n") in r.stdout
    card = json.loads(cli("score", path, "--as-of", "2026-12-01", "--strict", "-f",
                          "json").stdout)
    [law] = [c for c in card["criteria"] if c["id"] == "policy.law"]
    assert (card["reference_date"], law["evidence_stale"], law["claimed_level"],
            law["level"]) == ("2026-12-01", True, 3, 0)


def test_without_a_date_or_as_of_the_reports_say_the_dates_were_not_checked(tmp_path, cli):
    path = _dated(tmp_path, None)
    r = cli("score", path)
    assert (r.code, r.stderr) == (0, "")
    assert "Evidence dates not checked: the assessment has no date (give --as-of)." in r.stdout
    r = cli("report", path, "-o", "-")
    assert ("**Stale evidence:** Not checked: the assessment has no date; give --as-of to "
            "judge the evidence's dates.") in r.stdout


def test_the_brief_counts_stale_evidence_in_one_line(tmp_path, cli):
    path = _dated(tmp_path, "2026-12-01")
    r = cli("report", path, "--brief", "-o", tmp_path / "brief.html")
    assert r.code == 0, r.stderr
    html = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert ('<strong>Stale evidence</strong> 1 item of evidence is stale or expired on '
            '2026-12-01; the full report lists them.') in html


@pytest.mark.parametrize("value", ["2026-02-30", "tomorrow", "2026-1-5"])
def test_a_bad_as_of_is_a_usage_error(tmp_path, cli, value):
    r = cli("score", _dated(tmp_path, None), "--as-of", value)
    assert (r.code, r.stdout) == (2, "")
    assert f"`{value}` is not a date: give a day as YYYY-MM-DD, e.g. 2026-12-01" in r.stderr
