"""`cyberdip merge`: three respondents, one consensus that keeps who said what, and a
report that shows where they disagree."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from cyberdip.yamlio import dump
from tests.conftest import fill_workbook

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = DATA / "rubrics" / "mini.yaml"


def respondent(tmp_path: Path, name: str, answers: dict, **extra) -> Path:
    p = tmp_path / f"{name}.yaml"
    p.write_text(dump({"rubric": str(MINI), "organisation": {"name": "MoFA"},
                       "assessors": [name.title()], "answers": answers, **extra}))
    return p


def three(tmp_path: Path, cli) -> list[Path]:
    """Ana and Bo in YAML, Chen in a workbook: they disagree on the strategy."""
    ana = respondent(tmp_path, "ana", {
        "policy.strategy": {"level": 1, "evidence": ["Draft strategy, 2024"]},
        "policy.law": {"met": True}, "outreach.missions-online": {"value": 30}})
    bo = respondent(tmp_path, "bo", {
        "policy.strategy": {"level": 2}, "policy.law": {"met": True},
        "outreach.missions-online": {"value": 30}})
    chen = tmp_path / "chen.xlsx"
    assert cli("init", MINI, "-o", chen).code == 0
    fill_workbook(chen, {"policy.strategy": {"answer": 4, "evidence": "https://example.org/s"},
                         "policy.law": {"answer": "yes"},
                         "outreach.missions-online": {"answer": 30}},
                  {"organisation": "MoFA", "respondent": "Chen"})
    return [ana, bo, chen]


def test_three_respondents_merge_and_the_report_shows_the_disagreement(tmp_path, cli):
    inputs = three(tmp_path, cli)
    out = tmp_path / "consensus.yaml"
    r = cli("merge", *inputs, "-o", out, "--discuss-above", "2")
    assert r.code == 0
    assert r.stderr == (f"wrote {out}: 3 respondents, 1 of 4 criteria with different levels, "
                        f"1 needing discussion. Next: `cyberdip report {out} -o report.html`\n")
    lines = r.stdout.splitlines()
    assert lines[0] == ("3 respondents: Ana (ana.yaml), Bo (bo.yaml), Chen (chen.xlsx). "
                        "Rule: median; a spread above 2 needs discussion.")
    at = lines.index("policy.strategy: DISAGREE (spread 3) -> 1, NEEDS DISCUSSION")
    assert lines[at + 1:at + 4] == ["  Ana   1      Draft strategy, 2024", "  Bo    2",
                                    "  Chen  4      https://example.org/s"]
    assert "policy.law: agree -> yes" in lines
    assert lines[-1] == ("4 criteria: 2 agree, 1 disagree (1 need discussion), 1 with no "
                         "level given.")
    data = yaml.safe_load(out.read_text())
    assert data["merged_from"] == {"respondents": ["Ana", "Bo", "Chen"], "rule": "median",
                                   "discuss_above": 2}
    assert data["answers"]["policy.strategy"]["respondents"] == [
        {"name": "Ana", "level": 1, "evidence": ["Draft strategy, 2024"]},
        {"name": "Bo", "level": 2},
        {"name": "Chen", "level": 4, "evidence": ["https://example.org/s"]}]
    # an ordinary assessment: it validates, scores and reports
    v = cli("validate", out)
    assert (v.code, v.stdout, v.stderr) == (0, "", "1 file checked: all valid\n")
    s = cli("score", out)
    assert s.code == 0 and s.stderr == ""
    assert ("Merged from 3 respondents (Ana, Bo, Chen; rule median): they disagree on 1 "
            "criteria") in s.stdout
    assert "policy.strategy: spread 3; needs discussion (Ana 1, Bo 2, Chen 4)" in s.stdout
    card = json.loads(cli("score", out, "-f", "json").stdout)
    assert card["merge"]["disagreements"] == 1
    for ext in ("md", "html"):
        report = tmp_path / f"r.{ext}"
        rr = cli("report", out, "-o", report)
        assert rr.code == 0 and rr.stdout == ""
        text = report.read_text()
        assert "Merged from 3 respondents" in text
        # the first screen counts; the list is in its own section lower down
        assert ("They disagree on 1 criterion. 1 criterion was set to the lowest answer "
                "given, pending discussion.") in text
        assert text.index("They disagree on") < text.index("Executive summary" if ext == "md"
                                                           else 'id="summary"')
        section = "## Where the respondents disagree" if ext == "md" else 'id="disagreements"'
        assert text.index(section) > text.index("Scores by area")
        assert "needs discussion" in text
        assert "Chen: 4" in text and "Bo: 2" in text


def test_the_lowest_rule_and_no_discussion_limit(tmp_path, cli):
    out = tmp_path / "c.yaml"
    inputs = three(tmp_path, cli)
    r = cli("merge", *inputs, "-o", out, "--rule", "lowest")
    assert r.code == 0 and "policy.strategy: DISAGREE (spread 3) -> 1\n" in r.stdout
    assert yaml.safe_load(out.read_text())["answers"]["policy.strategy"]["level"] == 1
    r = cli("merge", *inputs, "-o", out, "--force")
    assert r.code == 0 and "policy.strategy: DISAGREE (spread 3) -> 2\n" in r.stdout


def test_respondents_of_another_rubric_or_version_are_refused(tmp_path, cli):
    ana = respondent(tmp_path, "ana", {"policy.strategy": {"level": 1}})
    bo = respondent(tmp_path, "bo", {"policy.strategy": {"level": 1}},
                    rubric_version="0.9.0")
    core = tmp_path / "core.yaml"
    core.write_text(dump({"rubric": "cyberdip-core", "organisation": {"name": "X"},
                          "answers": {}}))
    out = tmp_path / "c.yaml"
    r = cli("merge", ana, bo, core, "-o", out)
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr.splitlines()[-2:] == [
        f"{bo}:9:17: error[CD319]: `Bo` answered version 0.9.0 of `mini`, but `Ana` answered "
        "1.0.0; merge answers to one version of the rubric",
        f"{core}:1:9: error[CD310]: `core` answered the rubric `cyberdip-core`, but `Ana` "
        "answered `mini`; merge answers to one rubric"]
    assert not out.exists()


def test_every_bad_input_is_reported_and_nothing_written(tmp_path, cli):
    bad = respondent(tmp_path, "bad", {"policy.strategy": {"level": 9}})
    sheet = tmp_path / "s.xlsx"
    assert cli("init", MINI, "-o", sheet).code == 0
    fill_workbook(sheet, {"policy.law": {"answer": "maybe"}}, {"organisation": "X"})
    out = tmp_path / "c.yaml"
    r = cli("merge", bad, sheet, "-o", out)
    assert (r.code, r.stdout) == (1, "")
    assert "error[CD302]: level 9 is outside the scale 0..4" in r.stderr
    assert f"{sheet}:Answers!F3: error[CD304]" in r.stderr
    assert not out.exists()


def test_usage_errors(tmp_path, cli):
    ana = respondent(tmp_path, "ana", {})
    r = cli("merge", ana, "-o", tmp_path / "c.yaml")
    assert r.code == 2 and "two or more" in r.stderr
    r = cli("merge", ana, ana, "-o", tmp_path / "c.html")
    assert r.code == 2 and "error[CD404]: `.html`: `cyberdip merge` writes .yaml" in r.stderr
    r = cli("merge", ana, respondent(tmp_path, "bo", {}), "-o", ana, "--force")
    assert (r.code, r.stdout) == (2, "") and "this is an input file" in r.stderr


# -- each respondent counts once, and what they declared is kept -------------------------


def test_one_file_given_twice_by_any_name_is_refused(tmp_path):
    import os

    from tests.conftest import run_cli

    ana = respondent(tmp_path, "ana", {"policy.strategy": {"level": 1}})
    bo = respondent(tmp_path, "bo", {"policy.strategy": {"level": 3}})
    os.symlink("ana.yaml", tmp_path / "link.yaml")
    os.link(ana, tmp_path / "hard.yaml")
    for other in ("./ana.yaml", str(ana), "link.yaml", "hard.yaml"):
        r = run_cli("merge", "ana.yaml", other, "bo.yaml", "-o", "c.yaml", cwd=tmp_path)
        assert (r.code, r.stdout) == (1, ""), other
        assert r.stderr == (
            f"{Path(other)}: error[CD329]: this is the same file as respondent 1 (another "
            "name of it, or a link); each respondent counts once: give each file once\n")
        assert not (tmp_path / "c.yaml").exists()
    del bo


def test_a_copy_is_merged_with_a_warning(tmp_path, cli):
    ana = respondent(tmp_path, "ana", {"policy.strategy": {"level": 1}})
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(ana.read_bytes())
    bo = respondent(tmp_path, "bo", {"policy.strategy": {"level": 3}})
    r = cli("merge", ana, copy, bo, "-o", tmp_path / "c.yaml")
    assert r.code == 0
    assert f"{copy}: warning[CD329]: `Ana (copy.yaml)` gave exactly the same answers as " \
        "`Ana` (a copy of one file?); each counts as a respondent and weighs on the " \
        "median" in r.stderr


def test_marking_illustrative_date_and_notes_survive_into_the_consensus_and_report(
        tmp_path, cli):
    ana = respondent(tmp_path, "ana", {"policy.strategy": {"level": 1}}, marking="TLP:RED",
                     illustrative=True, date="2024-05-01", notes="Ana's view")
    bo = respondent(tmp_path, "bo", {"policy.strategy": {"level": 3}}, marking="TLP:RED",
                    illustrative=True, date="2024-06-02", notes="Bo's view")
    out = tmp_path / "c.yaml"
    r = cli("merge", ana, bo, "-o", out)
    assert r.code == 0 and "warning" not in r.stderr
    data = yaml.safe_load(out.read_text())
    assert (data["marking"], data["illustrative"], str(data["date"])) == (
        "TLP:RED", True, "2024-06-02")
    assert data["notes"] == "Ana: Ana's view\n\nBo: Bo's view"
    rep = cli("report", out, "-o", tmp_path / "r.md")
    text = (tmp_path / "r.md").read_text()
    assert rep.code == 0 and "TLP:RED" in text and "ILLUSTRATIVE" in text


def test_different_markings_outside_tlp_need_marking(tmp_path, cli):
    ana = respondent(tmp_path, "ana", {}, marking="RESTRICTED")
    bo = respondent(tmp_path, "bo", {}, marking="TLP:AMBER")
    out = tmp_path / "c.yaml"
    r = cli("merge", ana, bo, "-o", out)
    assert (r.code, r.stdout) == (1, "") and not out.exists()
    assert r.stderr.startswith("error[CD330]: the respondents declared different markings "
                               "(`RESTRICTED`, `TLP:AMBER`), which cannot be ranked")
    r = cli("merge", ana, bo, "-o", out, "--marking", "SECRET")
    assert r.code == 0 and yaml.safe_load(out.read_text())["marking"] == "SECRET"


def test_different_units_and_profiles_are_not_merged(tmp_path, cli):
    ana = respondent(tmp_path, "ana", {})
    berlin = tmp_path / "berlin.yaml"
    berlin.write_text(dump({"rubric": str(MINI), "organisation": {
        "name": "MoFA", "unit": "Embassy Berlin"}, "assessors": ["Bo"], "answers": {}}))
    r = cli("merge", ana, berlin, "-o", tmp_path / "c.yaml")
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr == (
        f"{berlin}: error[CD312]: `Bo` answered for the unit `Embassy Berlin`, but `Ana` "
        "for `(none)`; merge the answers of one unit (sections of one assessment share its "
        "unit); compare different units with `cyberdip aggregate`\n")


def test_a_respondent_named_by_a_non_utf8_file_name_is_not_an_internal_error(tmp_path):
    import os

    from tests.conftest import run_cli

    respondent(tmp_path, "ana", {"policy.strategy": {"level": 1}})
    (tmp_path / os.fsdecode(b"x\xff.yaml")).write_text(dump({
        "rubric": str(MINI), "organisation": {"name": "MoFA"},
        "answers": {"policy.strategy": {"level": 3}}}))
    r = run_cli("merge", "ana.yaml", os.fsdecode(b"x\xff.yaml"), "-o", "c.yaml",
                cwd=tmp_path)
    assert r.code == 0, r.stderr
    data = yaml.safe_load((tmp_path / "c.yaml").read_text(encoding="utf-8"))
    assert data["assessors"] == ["Ana", "x\\xff"]


def test_more_respondents_than_a_merge_takes_are_refused_before_reading(tmp_path, cli):
    from cyberdip.engine.merge import MAX_RESPONDENTS

    ana = respondent(tmp_path, "ana", {})
    r = cli("merge", *[ana] * (MAX_RESPONDENTS + 1), "-o", tmp_path / "c.yaml")
    assert (r.code, r.stdout) == (2, "")
    assert f"a merge takes at most {MAX_RESPONDENTS}" in r.stderr


def test_three_workbooks_that_disagree_widely_show_it_as_a_count_and_by_level(tmp_path, cli):
    """Three respondents fill cyberdip-core 2.0 workbooks indicator by indicator, each
    reaching a different level on every criterion: merge and score show each one's
    level, the report's first screen and the brief (HTML and PDF) count the criteria
    set to the lowest answer pending discussion and name the stage-setting ones, and
    the list of ids moves to its own section."""
    from cyberdip.formats import documents

    rubric = documents.rubric_at(documents.resolve_rubric("cyberdip-core"))
    profile = rubric.default_profile()
    asked = [c for _, c in rubric.criteria() if c.applies(profile) and c.indicators]
    books = []
    for name, upto in (("Ana", 1), ("Bo", 3), ("Chen", 5)):
        book = tmp_path / f"{name.lower()}.xlsx"
        assert cli("init", "cyberdip-core", "-o", book).code == 0
        fill_workbook(book, {f"{c.id}:{i.id}": {"answer": "yes" if lv <= upto else "no"}
                             for c in asked for lv, i in c.indicator_list()},
                      {"organisation": "MoFA", "respondent": name})
        books.append(book)
    out = tmp_path / "consensus.yaml"
    r = cli("merge", *books, "-o", out, "--discuss-above", "1")
    assert r.code == 0
    card = json.loads(cli("score", out, "-f", "json").stdout)
    pending = [s["id"] for s in card["merge"]["criteria"] if s["needs_discussion"]]
    critical = {c["id"] for c in card["criteria"] if c["critical"]}
    gating = [cid for cid in pending if cid in critical]
    assert len(pending) >= 30 and gating  # the case the issue describes
    assert r.stderr == (f"wrote {out}: 3 respondents, {card['merge']['disagreements']} of "
                        f"{rubric.count_criteria()} criteria with different levels, "
                        f"{len(pending)} needing discussion. Next: `cyberdip report {out} -o "
                        "report.html`\n")
    # merge's terminal output: each respondent's level, not only the indicators counted
    strategy = next(c for c in asked if c.id == "strategy.digital-diplomacy-strategy")
    n = len(strategy.indicator_list())
    met = {who: sum(1 for lv, _ in strategy.indicator_list() if lv <= upto)
           for who, upto in (("Ana", 1), ("Bo", 3), ("Chen", 5))}
    lines = r.stdout.splitlines()
    at = lines.index(f"{strategy.id}: DISAGREE (spread 4) -> level 1 ({met['Ana']} of {n} "
                     "indicators met), NEEDS DISCUSSION")
    assert [x.split() for x in lines[at + 1:at + 4]] == [
        [who, "level", str(lv), f"({met[who]}", "of", str(n), "indicators", "met)"]
        for who, lv in (("Ana", 1), ("Bo", 3), ("Chen", 5))]
    # score: the same, per disputed criterion
    s = cli("score", out)
    assert (s.code, s.stderr) == (0, "")
    assert (f"{strategy.id}: spread 4; needs discussion (Ana level 1 ({met['Ana']} of {n} "
            f"indicators met), Bo level 3 ({met['Bo']} of {n} indicators met), Chen level 5 "
            f"({met['Chen']} of {n} indicators met))") in " ".join(s.stdout.split())
    # the report's first screen counts; the ids are listed lower down
    count = (f"They disagree on {card['merge']['disagreements']} criteria. {len(pending)} "
             "criteria were set to the lowest answer given, pending discussion. Of the "
             f"criteria that set the stage, {len(gating)} are among them:")
    report = tmp_path / "r.html"
    assert cli("report", out, "-o", report).code == 0
    html = report.read_text()
    first = html[:html.index('id="summary"')]
    assert count in first
    assert not any(f">{cid}<" in first or f" {cid} " in first for cid in pending)
    section = html[html.index('id="disagreements"'):]
    assert all(f"<code>{cid}</code>" in section for cid in pending)
    titles = {c["id"]: c["title"] for c in card["criteria"]}
    if shutil.which("pdftotext") and importlib.util.find_spec("typst"):
        pdf = tmp_path / "r.pdf"
        assert cli("report", out, "-o", pdf).code == 0
        text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                       text=True, check=True).stdout.split())
        assert count in text
        section = text[text.index("Where the respondents disagree Criterion"):]
        assert all(cid in section for cid in pending)
        assert f"Ana: level 1 ({met['Ana']} of {n} indicators met)" in section
    for ext in ("html", "pdf"):
        brief = tmp_path / f"b.{ext}"
        if ext == "pdf":
            pytest.importorskip("typst")
            if not shutil.which("pdftotext"):
                continue
        rb = cli("report", out, "--brief", "-o", brief)
        assert (rb.code, rb.stdout) == (0, "")
        text = (brief.read_text() if ext == "html" else subprocess.run(
            ["pdftotext", str(brief), "-"], capture_output=True, text=True,
            check=True).stdout)
        flat = " ".join(text.split())
        assert count in flat, ext
        assert all(" ".join(titles[cid].split()) in flat for cid in gating), ext


def test_the_disclaimer_is_kept_and_differing_ones_are_a_warning(tmp_path, cli):
    ana = respondent(tmp_path, "ana", {"policy.strategy": {"level": 1}},
                     disclaimer="Not an official self-assessment.")
    # answers that differ: identical answers from two files are a warning of their own
    bo = respondent(tmp_path, "bo", {"policy.strategy": {"level": 2}})
    out = tmp_path / "c.yaml"
    r = cli("merge", ana, bo, "-o", out)
    assert r.code == 0 and "warning" not in r.stderr
    assert yaml.safe_load(out.read_text())["disclaimer"] == "Not an official self-assessment."
    chen = respondent(tmp_path, "chen", {"policy.strategy": {"level": 3}},
                      disclaimer="A level is a floor.")
    r = cli("merge", ana, bo, chen, "-o", out, "--force")
    assert (r.code, r.stderr.splitlines()[0]) == (
        0, f"{chen}: warning[CD325]: the respondents' disclaimers differ; the merged "
        "assessment keeps the first (from ana.yaml). Edit `disclaimer:` in the merged file "
        "if another should stand")
    assert yaml.safe_load(out.read_text())["disclaimer"] == "Not an official self-assessment."


def test_a_merge_of_many_files_shows_a_progress_bar_on_a_terminal(tmp_path):
    from tests.acceptance.test_cli_aggregate import _on_a_terminal
    from tests.conftest import ROOT

    src = (ROOT / "examples" / "missions" / "embassy-berlin.yaml").read_text(encoding="utf-8")
    files = []
    for i in range(25):
        f = tmp_path / f"r{i:02}.yaml"
        f.write_text(src.replace("Head of Chancery (illustrative)", f"Officer {i:02}")
                     .replace("level: 2", f"level: {i % 3}", 1), encoding="utf-8")
        files.append(f.name)
    shown = _on_a_terminal(tmp_path, "merge", *files, "-o", "merged.yaml")
    assert " of 25 respondents' files, about " in shown
    assert (tmp_path / "merged.yaml").exists()
