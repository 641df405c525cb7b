"""The cycle's sections and carry-forward, end to end: `init --areas/--criteria
--respondent --from`, the cycle manifest, `merge` naming the sections that did not come
back, `status`, and carried answers counted apart until re-confirmed."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from cyberdip import yamlio
from tests.conftest import DATA, fill_workbook

MINI = DATA / "rubrics" / "mini.yaml"
HAND = DATA / "assessments" / "mini-answered.yaml"


@pytest.fixture
def cycle(tmp_path) -> Path:
    """A folder with the mini rubric and last year's answers (berlin-2025.yaml)."""
    shutil.copy(MINI, tmp_path / "mini.yaml")
    (tmp_path / "berlin-2025.yaml").write_text(
        HAND.read_text(encoding="utf-8").replace("../rubrics/mini.yaml", "mini.yaml")
        .replace('period: "2023"', 'period: "2025"'), encoding="utf-8")
    return tmp_path


def answers_of(path: Path) -> dict:
    return yamlio.load(path).data["answers"]


def csv_rows(path: Path) -> tuple[list[list[str]], int]:
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    return rows, next(i for i, r in enumerate(rows) if r and r[0] == "id")


def set_column(path: Path, column: str, values: dict[str, str]) -> None:
    rows, head = csv_rows(path)
    col = rows[head].index(column)
    for r in rows[head + 1:]:
        if r and r[0] in values:
            r[col] = values[r[0]]
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)


# -- sections -------------------------------------------------------------------------


def test_a_section_holds_only_its_areas_and_is_recorded_in_the_manifest(cli, cycle):
    out = cycle / "policy.yaml"
    r = cli("init", cycle / "mini.yaml", "--areas", "policy", "--respondent",
            "Policy Planning", "-o", out)
    manifest = cycle / "cycle.yaml"
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr == (f"recorded the section for Policy Planning in {manifest} (1 sections "
                        f"in this cycle)\nwrote {out}: 2 criteria to answer. Next: fill it "
                        f"in, then `cyberdip score {out}`\n")
    data = yamlio.load(out).data
    assert list(data["answers"]) == ["policy.strategy", "policy.law"]
    assert (data["section"], data["assessors"]) == ("Policy Planning", ["Policy Planning"])
    m = yamlio.load(manifest).data
    assert m == {"cycle": 1, "rubric": "mini.yaml", "rubric_version": "1.0.0", "sections": [
        {"respondent": "Policy Planning", "file": "policy.yaml", "format": "yaml",
         "areas": ["policy"], "criteria": [], "ids": ["policy.strategy", "policy.law"]}]}


def test_sending_again_updates_the_entry_and_keeps_every_other(cli, cycle):
    cli("init", cycle / "mini.yaml", "--areas", "policy", "--respondent", "Policy", "-o",
        cycle / "policy.csv")
    cli("init", cycle / "mini.yaml", "--areas", "outreach", "--respondent", "Outreach", "-o",
        cycle / "outreach.csv")
    r = cli("init", cycle / "mini.yaml", "--criteria", "policy.law", "--respondent", "Policy",
            "-o", cycle / "policy2.csv")
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr.startswith(f"updated the section for Policy in {cycle / 'cycle.yaml'} "
                               "(2 sections in this cycle)\n")
    sections = yamlio.load(cycle / "cycle.yaml").data["sections"]
    assert [(s["respondent"], s["file"], s["ids"]) for s in sections] == [
        ("Policy", "policy2.csv", ["policy.law"]),
        ("Outreach", "outreach.csv", ["outreach.missions-online", "outreach.dialogue"])]


def test_unknown_ids_are_refused_with_a_did_you_mean(cli, cycle):
    r = cli("init", cycle / "mini.yaml", "--areas", "polcy,outreach", "--criteria",
            "policy.stratgy", "-o", cycle / "x.xlsx")
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == ("error: --areas: `polcy` is not an area of `mini`; did you mean "
                        "`policy`?\nerror: --criteria: `policy.stratgy` is not a criterion "
                        "of `mini`; did you mean `policy.strategy`?\n")
    assert not (cycle / "x.xlsx").exists() and not (cycle / "cycle.yaml").exists()


def test_cycle_without_respondent_is_a_usage_error(cli, cycle):
    r = cli("init", cycle / "mini.yaml", "--cycle", cycle / "c.yaml", "-o", cycle / "x.csv")
    assert (r.code, r.stdout, r.stderr) == (
        2, "", "error: --cycle goes with --respondent (whom the section is sent to)\n")


def test_a_workbook_section_lists_only_its_rows(cli, cycle):
    import openpyxl

    out = cycle / "outreach.xlsx"
    r = cli("init", cycle / "mini.yaml", "--areas", "outreach", "--respondent", "Outreach",
            "-o", out)
    assert r.code == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    ids = [row[0].value for row in wb["Answers"].iter_rows(min_row=2)]
    assert ids == ["outreach.missions-online", "outreach.dialogue"]
    details = {row[0].value: row[1].value for row in wb["Start"].iter_rows()}
    assert (details["section"], details["respondent"]) == ("Outreach", "Outreach")


# -- carry forward ------------------------------------------------------------------------


@pytest.mark.parametrize("ext", ["yaml", "csv", "xlsx"])
def test_carried_answers_come_back_as_they_were_marked_to_reconfirm(cli, cycle, ext):
    out = cycle / f"next.{ext}"
    r = cli("init", cycle / "mini.yaml", "--from", cycle / "berlin-2025.yaml", "-o", out)
    assert r.code == 0, r.stderr
    assert r.stderr.startswith(f"4 answers carried forward from {cycle / 'berlin-2025.yaml'}, "
                               "marked to re-confirm\n")
    path = out
    if ext != "yaml":
        path = cycle / "next-imported.yaml"
        r = cli("import", out, "-o", path)
        assert r.code == 0, r.stderr
    got = answers_of(path)
    marker = {"source": "berlin-2025.yaml", "period": "2025"}
    want = {k: {**v, "carried": marker} for k, v in answers_of(cycle / "berlin-2025.yaml")
            .items()}
    assert {k: {**v, "carried": {**v["carried"]}} for k, v in got.items()} == want
    r = cli("score", path, "-f", "json")
    card = json.loads(r.stdout)
    assert card["carried"] == {"unconfirmed": 4, "ids": [
        "policy.strategy", "policy.law", "outreach.missions-online", "outreach.dialogue"]}


def test_the_confirm_column_confirms_changes_or_clears(cli, cycle):
    out = cycle / "next.csv"
    cli("init", cycle / "mini.yaml", "--from", cycle / "berlin-2025.yaml", "-o", out)
    set_column(out, "confirm", {"policy.strategy": "yes", "policy.law": "clear",
                                "outreach.missions-online": "changed"})
    set_column(out, "answer", {"outreach.missions-online": "65"})
    r = cli("import", out, "-o", cycle / "next.yaml")
    assert r.code == 0, r.stderr
    got = answers_of(cycle / "next.yaml")
    assert got == {"policy.strategy": {"level": 2}, "outreach.missions-online": {"value": 65},
                   "outreach.dialogue": {"not_applicable": "no public channels yet",
                                         "carried": {"source": "berlin-2025.yaml",
                                                     "period": "2025"}}}


def test_a_word_the_confirm_column_does_not_know_is_refused_at_its_cell(cli, cycle):
    out = cycle / "next.csv"
    cli("init", cycle / "mini.yaml", "--from", cycle / "berlin-2025.yaml", "-o", out)
    set_column(out, "confirm", {"policy.strategy": "maybe"})
    rows, head = csv_rows(out)
    row = next(i for i, r in enumerate(rows) if r and r[0] == "policy.strategy") + 1
    r = cli("import", out, "-o", cycle / "next.yaml")
    assert (r.code, r.stdout) == (1, "")
    assert f"{out}:row {row}:confirm: error[CD708]: `maybe` is not a word of the `confirm` " \
        "column" in r.stderr
    assert not (cycle / "next.yaml").exists()


def test_in_the_workbook_confirming_removes_the_marker(cli, cycle):
    out = cycle / "next.xlsx"
    cli("init", cycle / "mini.yaml", "--from", cycle / "berlin-2025.yaml", "-o", out)
    fill_workbook(out, {"policy.strategy": {"confirm": "yes", "answer": "3",
                                            "evidence": "Budget line 2026"}}, {})
    r = cli("import", out, "-o", cycle / "next.yaml")
    assert r.code == 0, r.stderr
    got = answers_of(cycle / "next.yaml")
    assert got["policy.strategy"] == {"level": 3, "evidence": ["Budget line 2026"]}
    assert all("carried" in a for k, a in got.items() if k != "policy.strategy")


def test_carrying_across_rubric_versions_is_refused(cli, cycle):
    old = cycle / "old.yaml"
    old.write_text((cycle / "berlin-2025.yaml").read_text().replace(
        "rubric_version: 1.0.0", "rubric_version: 0.9.0"))
    r = cli("init", cycle / "mini.yaml", "--from", old, "-o", cycle / "x.yaml")
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr == (f"{old}: error[CD709]: --from answered `mini` 0.9.0, but this "
                        "questionnaire is `mini` 1.0.0; answers are carried forward within "
                        "one version of a rubric, or across versions a rubric map links\n")


def test_answers_to_cyberdip_core_2_0_are_carried_into_2_1_through_its_map(cli, tmp_path):
    old = tmp_path / "berlin-2024.yaml"
    shutil.copy(DATA / "v2.0-examples" / "pakistan-mofa-2023.yaml", old)
    out = tmp_path / "berlin-2025.yaml"
    r = cli("init", "cyberdip-core", "--from", old, "-o", out)
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr.startswith(f"note: {old} answered cyberdip-core 2.0.0; carried to 2.1.0 "
                               "through the rubric map (")
    data = yamlio.load(out).data
    assert data["rubric_version"] == "2.1.0"
    # the international-law criterion moved into the legal area, and came along
    assert "legal.international-law-position" in data["answers"]
    marks = [{k: str(v) for k, v in a["carried"].items()} for a in data["answers"].values()
             if a and "carried" in a]
    assert len(marks) == 19 and all(m == {"source": "berlin-2024.yaml", "period": "2023",
                                          "date": "2023-12-03"} for m in marks)
    assert cli("validate", out).code == 0


def test_strict_scores_a_carried_answer_as_unsupported(cli, cycle):
    out = cycle / "next.yaml"
    cli("init", cycle / "mini.yaml", "--from", cycle / "berlin-2025.yaml", "-o", out)
    # policy.law (met -> level 3, evidence "PECA 2016") is carried: --strict caps it at 0
    plain = json.loads(cli("score", out, "-f", "json").stdout)
    strict = json.loads(cli("score", out, "-f", "json", "--strict").stdout)
    level = {c["id"]: c["level"] for c in plain["criteria"]}
    slevel = {c["id"]: c["level"] for c in strict["criteria"]}
    assert (level["policy.law"], slevel["policy.law"]) == (3, 0)
    assert (level["policy.strategy"], slevel["policy.strategy"]) == (2, 2)
    r = cli("score", out)
    assert "4 answer(s) carried forward from an earlier assessment, not re-confirmed yet " \
        "(counted apart; --strict scores them as unsupported)." in " ".join(r.stdout.split())


def test_compare_never_counts_a_carried_answer_as_no_change(cli, cycle):
    out = cycle / "next.yaml"
    cli("init", cycle / "mini.yaml", "--from", cycle / "berlin-2025.yaml", "-o", out)
    text = out.read_text().replace('period:           # e.g. "2025"', 'period: "2026"')
    out.write_text(text)
    r = cli("compare", cycle / "berlin-2025.yaml", out, "-f", "json")
    c = json.loads(r.stdout)
    assert (c["unchanged"], [d["id"] for d in c["carried"]]) == (
        0, ["policy.strategy", "policy.law", "outreach.missions-online"])
    r = cli("compare", cycle / "berlin-2025.yaml", out)
    assert "Carried, unconfirmed (3)" in r.stdout
    assert "Unchanged: 0 criteria" in r.stdout


# -- merge and status -------------------------------------------------------------------


def _send(cli, cycle: Path) -> None:
    for area, who in (("policy", "Policy"), ("outreach", "Outreach")):
        r = cli("init", cycle / "mini.yaml", "--areas", area, "--respondent", who,
                "--from", cycle / "berlin-2025.yaml", "-o", cycle / f"{area}.csv")
        assert r.code == 0, r.stderr
    r = cli("init", cycle / "mini.yaml", "--criteria", "policy.law", "--respondent", "Legal",
            "-o", cycle / "legal.csv")
    assert r.code == 0, r.stderr


def test_merge_combines_sections_and_names_the_one_missing(cli, cycle):
    _send(cli, cycle)
    set_column(cycle / "policy.csv", "confirm", {"policy.strategy": "yes"})
    set_column(cycle / "outreach.csv", "confirm", {"outreach.missions-online": "changed"})
    set_column(cycle / "outreach.csv", "answer", {"outreach.missions-online": "70"})
    back = []
    for name in ("policy", "outreach"):
        back.append(cycle / f"{name}-back.yaml")
        assert cli("import", cycle / f"{name}.csv", "-o", back[-1]).code == 0
    out = cycle / "merged.yaml"
    r = cli("merge", *back, "-o", out)
    assert r.code == 0
    assert r.stderr.startswith(f"{cycle / 'cycle.yaml'}: warning[CD707]: the section for "
                               "`Legal` was sent but is not among the answers merged")
    merged = yamlio.load(out).data
    assert merged["merged_from"]["missing_sections"] == ["Legal"]
    a = merged["answers"]
    assert a["policy.strategy"]["level"] == 2 and "carried" not in a["policy.strategy"]
    assert a["outreach.missions-online"]["value"] == 70
    assert "carried" in a["policy.law"] and "carried" in a["outreach.dialogue"]
    assert [x["name"] for x in a["policy.strategy"]["respondents"]] == ["Policy", "Outreach"]
    card = json.loads(cli("score", out, "-f", "json").stdout)
    assert card["carried"]["ids"] == ["policy.law", "outreach.dialogue"]


def test_status_lists_back_missing_and_what_to_reconfirm(cli, cycle):
    _send(cli, cycle)
    set_column(cycle / "policy.csv", "confirm", {"policy.strategy": "yes"})
    r = cli("status", cycle / "cycle.yaml")
    assert (r.code, r.stderr) == (0, "")
    assert r.stdout == (
        "3 sections of mini 1.0.0: 1 back, 2 missing.\n"
        "  back     Policy    policy.csv: 1 answered or confirmed, 1 carried to re-confirm\n"
        "  MISSING  Outreach  (sent as outreach.csv)\n"
        "  MISSING  Legal     (sent as legal.csv)\n"
        "\n"
        "Carried forward, still to re-confirm:\n"
        "  Policy: policy.law\n")
    j = json.loads(cli("status", cycle, "--json").stdout)
    assert (j["back"], j["missing"], j["to_confirm"]) == (1, ["Outreach", "Legal"], 1)
    assert j["sections"][0] == {"respondent": "Policy", "sent": "policy.csv", "back": True,
                                "file": "policy.csv", "answered": 1,
                                "to_confirm": ["policy.law"]}


def test_status_without_a_manifest_says_how_to_start_one(cli, tmp_path):
    r = cli("status", tmp_path)
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == (f"{tmp_path / 'cycle.yaml'}: error[CD002]: no cycle manifest here "
                        "(`cyberdip init --respondent NAME` starts one)\n")


def test_a_damaged_manifest_is_refused_not_rewritten(cli, cycle):
    m = cycle / "cycle.yaml"
    m.write_text("cycle: 1\nrubric: mini\nrubric_version: 1.0.0\nsections: 3\n")
    r = cli("init", cycle / "mini.yaml", "--areas", "policy", "--respondent", "P", "-o",
            cycle / "p.csv")
    assert (r.code, r.stdout) == (1, "")
    assert "error[CD706]: `sections` must be a list" in r.stderr
    assert m.read_text().endswith("sections: 3\n")


def test_every_report_says_how_many_answers_are_carried_and_unconfirmed(cli, cycle):
    out = cycle / "next.yaml"
    cli("init", cycle / "mini.yaml", "--from", cycle / "berlin-2025.yaml", "-o", out)
    line = ("4 answers were carried forward from an earlier assessment and are not "
            "re-confirmed yet (counted apart; --strict scores them as unsupported).")
    for name, extra in (("r.md", ()), ("r.html", ()), ("b.html", ("--brief",))):
        r = cli("report", out, "-o", cycle / name, *extra)
        assert (r.code, r.stdout) == (0, ""), r.stderr
        text = " ".join((cycle / name).read_text(encoding="utf-8").split())
        assert line in text.replace("<strong>", "").replace("</strong>", "").replace(
            "**", "").replace("</dt><dd>", " "), name
    r = cli("report", out, "-o", cycle / "s.md", "--strict")
    assert "(scored as unsupported (strict))" in (cycle / "s.md").read_text(encoding="utf-8")
    md = (cycle / "r.md").read_text(encoding="utf-8")
    # each carried criterion, in the table of criteria and in its own section
    assert md.count("carried forward from berlin-2025.yaml, not re-confirmed") == 2 * 4


@pytest.mark.parametrize("ext", ["yaml", "csv", "xlsx"])
def test_carried_evidence_keeps_its_own_date_through_every_form(cli, cycle, ext):
    """Last year's dated evidence comes back with its own date, valid until, hash and
    reference, and is judged stale against this year's date as if typed again."""
    import datetime as dt

    old = cycle / "berlin-2025.yaml"
    data = yamlio.load(old).data
    dated = [{"text": "Strategy", "date": dt.date(2021, 3, 1), "valid_until":
              dt.date(2026, 12, 31), "sha256": "ab" * 32, "ref": "Registry 7"}, "minutes"]
    data["answers"]["policy.strategy"]["evidence"] = dated
    old.write_text(yamlio.dump(data), encoding="utf-8")
    out = cycle / f"next.{ext}"
    r = cli("init", cycle / "mini.yaml", "--from", old, "-o", out)
    assert r.code == 0, r.stderr
    path = out
    if ext != "yaml":
        path = cycle / "next-imported.yaml"
        r = cli("import", out, "-o", path)
        assert r.code == 0, r.stderr
    assert answers_of(path)["policy.strategy"]["evidence"] == dated
    card = json.loads(cli("score", path, "-f", "json", "--as-of", "2027-01-01").stdout)
    [c] = [c for c in card["criteria"] if c["id"] == "policy.strategy"]
    assert [(e["date"], e["expired"]) for e in c["evidence"]] == [("2021-03-01", True),
                                                                  (None, False)]
