"""`cyberdip compare OLD NEW`: exit code, stdout and stderr together."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from tests.conftest import DATA, ROOT

PROG = DATA / "portfolio" / "progress"
OLD, NEW = PROG / "2023.yaml", PROG / "2024.yaml"


def test_text_shows_progress(cli):
    r = cli("compare", OLD, NEW)
    assert r.code == 0, r.stderr
    assert r.stderr == ""
    assert "Progress: Test Ministry — Headquarters" in r.stdout
    lines = [" ".join(line.split()) for line in r.stdout.splitlines()]
    assert "Index 27.78 55.56 +27.78 ▲" in lines
    assert "Stage 1 Start-up 1 Start-up 0 =" in lines
    assert "Coverage 83.33% 100% +16.67 ▲" in lines
    assert "Policy 16.67 58.33 +41.66 ▲ 1 Start-up → 2 Formative" in lines
    assert "Improved (3)" in r.stdout and "Regressed (0)" in r.stdout
    assert "✓ Cybercrime law (policy.law)" in r.stdout
    # dialogue was first assessed in 2024 (at 1, target 3): its gap is coverage, not new
    assert "New gaps on criteria assessed in both (0)\n  none" in r.stdout
    assert ("Gaps on newly assessed criteria (1): coverage, not decline\n"
            "  * Dialogue (outreach.dialogue): level 1 Start-up → target 3") in r.stdout
    # open gaps 3 -> 2: on the three criteria assessed in both 3 -> 1, plus dialogue's
    assert "Open gaps 3 2 -1" in lines
    assert "Open gaps on criteria assessed in both 3 1 -2" in lines
    assert "Open gaps on criteria newly assessed — 1 coverage" in lines
    # like for like: outreach on missions-online alone, 50 -> 75 (level 2 -> 3); the
    # headline stays at 50.0 because dialogue (level 1: 25) joined it
    assert "Outreach 1 50.00 75.00 +25.00 ▲ -25.00 (newly assessed: 1)" in lines
    assert "Policy 2 16.67 58.33 +41.66 ▲ 0.00" in lines
    # index like for like: (16.667*2 + 50)/3 = 27.78 -> (58.333*2 + 75)/3 = 63.89
    assert "Index, like for like (3 criteria assessed in both) 27.78 63.89 +36.11 ▲" in lines


def test_json_is_the_comparison(cli):
    r = cli("compare", OLD, NEW, "--format", "json")
    assert r.code == 0 and r.stderr == ""
    data = json.loads(r.stdout)
    assert data["index_delta"] == pytest.approx(27.78)
    assert [d["id"] for d in data["improved"]] == ["policy.strategy", "policy.law",
                                                   "outreach.missions-online"]
    assert data["old"]["label"] == str(OLD) and data["new"]["period"] == "2024"


def test_fail_on_regression_passes_when_nothing_went_down(cli):
    r = cli("compare", OLD, NEW, "--fail-on-regression")
    assert r.code == 0 and r.stderr == ""


def _later_warning(old=NEW, new=OLD) -> str:
    # 2024.yaml line 5 is `period: "2024"`; the value starts in column 9
    return (f"{old}:5:9: warning[CD313]: the previous assessment ({old}, period 2024) is "
            f"later than the current one ({new}, period 2023); changes are current minus "
            "previous: give the earlier file first")


def test_fail_on_regression_names_each_regression(cli):
    r = cli("compare", NEW, OLD, "--fail-on-regression")
    assert r.code == 1
    assert r.stderr.splitlines() == [
        _later_warning(),
        "regression: critical criterion `policy.strategy` (Digital diplomacy strategy) went "
        "down: level 2 Formative → 1 Start-up",
        "regression: criterion `policy.law` (Cybercrime law) went down: level 3 Established "
        "→ 0 Absent",
        # outreach's headline is 50.0 both times: dialogue (1) is no longer assessed, which
        # hid missions-online falling from 3 to 2
        "regression: criterion `outreach.missions-online` (Missions on social media) went "
        "down: level 3 Established → 2 Formative",
        "gate failed: 3 regressions (--fail-on-regression)"]
    assert "Regressed (3)" in r.stdout  # the report is still written


def test_without_the_gate_regressions_do_not_fail(cli):
    r = cli("compare", NEW, OLD)
    assert r.code == 0 and r.stderr == _later_warning() + "\n"
    assert "Regressions\n  - critical criterion `policy.strategy`" in r.stdout
    assert "warning[CD313]: the previous assessment" in r.stdout  # in the report too


def test_different_rubrics_exit_1_with_a_clear_message(cli):
    r = cli("compare", OLD, PROG / "other.yaml")
    assert r.code == 1 and r.stdout == ""
    assert r.stderr == (f"{PROG / 'other.yaml'}: error[CD310]: cannot compare assessments of "
                        f"different rubrics: {OLD} uses `mini` and {PROG / 'other.yaml'} uses "
                        "`other`; compare two assessments of the same rubric\n")


def test_rubric_versions_differ(cli):
    v2 = PROG / "2025-v2.yaml"
    r = cli("compare", OLD, v2, "--format", "md")
    assert r.code == 0
    message = (f"the two assessments use different versions of `mini`: {OLD} answers version "
               f"1.0.0 and {v2} version 2.0.0; criteria matched by id may have changed meaning")
    # line 3 of 2025-v2.yaml is `rubric_version: 2.0.0`
    assert r.stderr == f"{v2}:3:17: warning[CD307]: {message}\n"
    md_message = message.replace(str(v2), str(v2).replace("_", "\\_"))
    assert f"> **Warning** (CD307): {md_message}" in r.stdout
    assert "Rubric version 1.0.0 → 2.0.0." in r.stdout
    assert "- Added: `policy.envoy`" in r.stdout
    assert "- Removed: `outreach.dialogue`" in r.stdout


def test_strict_scores_unsupported_claims_lower(cli, tmp_path):
    # without evidence, law (met -> 3) is capped at 0 under --strict: no improvement
    new = tmp_path / "new.yaml"
    new.write_text(NEW.read_text().replace(', evidence: ["PECA 2016"]', "").replace(
        "../../rubrics/mini.yaml", str(DATA / "rubrics" / "mini.yaml")))
    plain = json.loads(cli("compare", OLD, new, "-f", "json").stdout)
    strict = json.loads(cli("compare", OLD, new, "-f", "json", "--strict").stdout)
    assert "policy.law" in [d["id"] for d in plain["improved"]]
    assert "policy.law" not in [d["id"] for d in strict["improved"]]


def test_rubric_option_overrides_the_named_rubric(cli, tmp_path):
    old = tmp_path / "old.yaml"
    old.write_text(OLD.read_text().replace("../../rubrics/mini.yaml", "nowhere.yaml"))
    r = cli("compare", old, NEW)
    assert r.code == 1 and "CD306" in r.stderr
    r = cli("compare", old, NEW, "--rubric", DATA / "rubrics" / "mini.yaml")
    assert r.code == 0, r.stderr


def test_invalid_input_is_located(cli):
    broken = DATA / "portfolio" / "missions" / "echo-broken.yaml"
    r = cli("compare", OLD, broken)
    assert r.code == 1 and r.stdout == ""
    assert r.stderr == (f"{broken}:6:28: error[CD302]: level 9 is outside the scale 0..4 "
                        "of `mini`\n")


def test_missing_file_exits_2(cli, tmp_path):
    r = cli("compare", OLD, tmp_path / "nope.yaml")
    assert r.code == 2 and r.stdout == ""
    assert "nope.yaml" in r.stderr and "CD002" in r.stderr


def test_html_to_file_has_radar_and_table(cli, tmp_path):
    out = tmp_path / "progress.html"
    r = cli("compare", OLD, NEW, "-f", "html", "-o", out)
    assert r.code == 0 and r.stdout == ""
    assert r.stderr == f"wrote {out}\n"
    html = out.read_text()
    assert "default-src 'none'; style-src 'unsafe-inline'; img-src data:" in html
    assert "<script" not in html
    assert 'class="chart radar"' in html
    assert "Previous (2023)" in html and "Current (2024)" in html
    assert "series-previous" in html and "series-current" in html
    assert "<td class=\"num\">16.67</td><td class=\"num\">58.33</td>" in html
    # deterministic: the same inputs give the same bytes
    again = tmp_path / "again.html"
    cli("compare", OLD, NEW, "-f", "html", "-o", again)
    assert again.read_bytes() == out.read_bytes()


def test_refuses_to_overwrite_an_input(cli, tmp_path):
    old = tmp_path / "old.yaml"
    shutil.copy(OLD, old)
    old.write_text(old.read_text().replace("../../rubrics/mini.yaml",
                                           str(DATA / "rubrics" / "mini.yaml")))
    before = old.read_bytes()
    r = cli("compare", old, NEW, "-f", "md", "-o", old, "--force")
    assert r.code == 2 and r.stdout == ""
    assert r.stderr == f"{old}: error[CD401]: this is an input file; choose another output name\n"
    assert old.read_bytes() == before
    # the rubric both assessments name is an input too, even with --force
    rubric = DATA / "rubrics" / "mini.yaml"
    before = rubric.read_bytes()
    r = cli("compare", old, NEW, "-f", "md", "-o", rubric, "--force")
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == (f"{rubric}: error[CD401]: this is an input file; choose another "
                        "output name\n")
    assert rubric.read_bytes() == before


def test_refuses_to_overwrite_without_force(cli, tmp_path):
    out = tmp_path / "x.md"
    out.write_text("keep me")
    r = cli("compare", OLD, NEW, "-f", "md", "-o", out)
    assert r.code == 2 and "already exists" in r.stderr
    assert out.read_text() == "keep me"
    r = cli("compare", OLD, NEW, "-f", "md", "-o", out, "--force")
    assert r.code == 0 and out.read_text().startswith("# Progress: Test Ministry")


def test_user_text_is_escaped_in_html_and_markdown(cli, tmp_path):
    new = tmp_path / "new.yaml"
    new.write_text(NEW.read_text().replace("unit: Headquarters",
                                           'unit: "<script>alert(1)</script> [x](http://e)"')
                   .replace("../../rubrics/mini.yaml", str(DATA / "rubrics" / "mini.yaml")))
    html = cli("compare", OLD, new, "-f", "html").stdout
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = cli("compare", OLD, new, "-f", "md").stdout
    assert "<script>" not in md and "\\[x\\]" in md


def test_a_hostile_unit_in_a_warning_stays_text(cli, tmp_path):
    # the unit differs, so it is quoted in a CD312 warning, in the report as well
    unit = "`ok` <img src=x onerror=alert(1)> `[x](javascript:alert(1))`"
    new = tmp_path / "new.yaml"
    new.write_text(NEW.read_text().replace("unit: Headquarters", f"unit: {json.dumps(unit)}")
                   .replace("../../rubrics/mini.yaml", str(DATA / "rubrics" / "mini.yaml")))
    r = cli("compare", OLD, new, "-f", "html")
    assert r.code == 0 and r.stderr.count("warning[CD312]") == 1
    assert r.stderr.count("\n") == 1 and unit in r.stderr
    banner = r.stdout.split("<strong>Warning</strong>")[1].split("</div>")[0]
    assert "<img" not in r.stdout and "&lt;img src=x onerror=alert(1)&gt;" in banner
    # only the id-like span becomes code; the one holding a link stays escaped text
    assert "<code>ok</code>" in banner and "`[x](javascript:alert(1))`" in banner
    md = cli("compare", OLD, new, "-f", "md").stdout
    quote = next(x for x in md.splitlines() if x.startswith("> **Warning** (CD312)"))
    assert "<img" not in quote and "&lt;img" in quote
    assert "\\`\\[x\\](javascript:alert(1))\\`" in quote  # no link, no code span


@pytest.mark.skipif(not (ROOT / "examples" / "pakistan-mofa-2025-followup.yaml").exists(),
                    reason="the MoFA follow-up example is not there yet")
def test_mofa_examples_show_progress():
    from tests.conftest import run_cli

    ex = ROOT / "examples"
    r = run_cli("compare", ex / "pakistan-mofa-2023.yaml", ex / "pakistan-mofa-2025-followup.yaml",
                "-f", "json")
    assert r.code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["index_delta"] > 0 and data["improved"]
    assert data["old"]["period"] == "2023"


# -- like for like, coverage and warnings --------------------------------------------------

EX = ROOT / "examples"
MOFA_2023, MOFA_2025 = EX / "pakistan-mofa-2023.yaml", EX / "pakistan-mofa-2025-followup.yaml"


def test_mofa_2023_to_2025_passes_the_gate_though_outreach_gained_lower_criteria(cli):
    # on cyberdip-core 2.0, outreach's headline falls (24.0 -> 21.82) only because six
    # criteria were newly assessed, at lower levels; the four assessed both times did
    # not change (on 1.0 it was the legal area, with four newly assessed)
    r = cli("compare", MOFA_2023, MOFA_2025, "--fail-on-regression")
    assert (r.code, r.stderr) == (0, "")
    assert "\nRegressions\n" not in r.stdout
    data = json.loads(cli("compare", MOFA_2023, MOFA_2025, "-f", "json").stdout)
    assert data["regressions"] == []
    area = next(a for a in data["areas"] if a["id"] == "outreach")
    assert area["delta"] < 0 and area["like_for_like"]["delta"] == 0
    assert area["coverage_effect"] == area["delta"] and area["newly_assessed"] == 6
    # the open gaps rise only on the newly assessed criteria
    g = data["gap_counts"]
    assert g["new"] > g["old"] and g["common_new"] <= g["common_old"]
    assert g["new"] - g["common_new"] == g["newly_assessed"] == len(data["gaps_newly_assessed"])


def test_mofa_fails_the_gate_when_a_criterion_assessed_in_both_drops(cli, tmp_path):
    # outreach.diaspora-services (not critical) was at level 2 in 2023 and 2025
    text = MOFA_2025.read_text(encoding="utf-8")
    before = "  outreach.diaspora-services:\n    indicators:\n      information-online: true\n" \
        "      portal-live: true\n"
    assert text.count(before) == 1
    worse = tmp_path / "worse.yaml"
    worse.write_text(text.replace(before, before.replace("portal-live: true",
                                                         "portal-live: false")),
                     encoding="utf-8")
    r = cli("compare", MOFA_2023, worse, "--fail-on-regression")
    assert r.code == 1
    data = json.loads(cli("compare", MOFA_2023, worse, "-f", "json").stdout)
    area = next(a for a in data["areas"] if a["id"] == "outreach")["like_for_like"]
    assert area["delta"] < 0
    assert r.stderr.splitlines() == [
        "regression: criterion `outreach.diaspora-services` (Online portal for citizens "
        "abroad) went down: level 2 Formative → 1 Start-up",
        "gate failed: 1 regression (--fail-on-regression)"]


def test_like_for_like_figures_agree_in_every_format(cli):
    data = json.loads(cli("compare", MOFA_2023, MOFA_2025, "-f", "json").stdout)
    area = next(a for a in data["areas"] if a["id"] == "outreach")
    lfl = area["like_for_like"]
    cov = f"{area['coverage_effect']:+.2f} (newly assessed: {area['newly_assessed']})"
    cells = [area["title"], str(lfl["criteria"]), f"{lfl['old_score']:.2f}",
             f"{lfl['new_score']:.2f}", "0.00 =", cov]
    text = cli("compare", MOFA_2023, MOFA_2025).stdout
    assert " ".join(" ".join(cells).split()) in [" ".join(x.split()) for x in text.splitlines()]
    md = cli("compare", MOFA_2023, MOFA_2025, "-f", "md").stdout
    assert "| " + " | ".join(cells) + " |" in md
    html = cli("compare", MOFA_2023, MOFA_2025, "-f", "html").stdout
    assert (f'<tr><th scope="row">{cells[0]}</th>'
            + "".join(f'<td class="num">{x}</td>' for x in cells[1:5])
            + f"<td>{cov}</td></tr>") in html
    rows = {r["area"]: r for r in csv.DictReader(io.StringIO(
        cli("compare", MOFA_2023, MOFA_2025, "-f", "csv").stdout))}
    assert rows["outreach"]["like_for_like_change"] == "0.00"
    assert float(rows["outreach"]["due_to_coverage"]) == area["coverage_effect"]
    assert rows["outreach"]["newly_assessed"] == "6" and rows["outreach"]["regressed"] == "no"
    g = data["gap_counts"]
    for out in (text, md):
        assert "Open gaps on criteria newly assessed" in out
        assert f"Gaps on newly assessed criteria ({g['newly_assessed']}): coverage, not " \
               "decline" in out
    assert f"On newly assessed criteria ({g['newly_assessed']}): coverage, not decline" in html


def test_csv_has_one_row_per_area_by_hand(cli):
    r = cli("compare", OLD, NEW, "-f", "csv")
    assert (r.code, r.stderr) == (0, "")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [x["area"] for x in rows] == ["policy", "outreach"]
    # outreach: 50.0 both times (2023 missions-online at 2; 2024 missions-online at 3 and
    # dialogue newly at 1: (0.75 + 0.25)/2); like for like on missions-online, 50 -> 75
    out = rows[1]
    assert [out[k] for k in ("previous", "current", "change", "like_for_like_criteria",
                             "like_for_like_previous", "like_for_like_current",
                             "like_for_like_change", "due_to_coverage", "newly_assessed",
                             "no_longer_assessed", "regressed")] == [
        "50.00", "50.00", "0.00", "1", "50.00", "75.00", "25.00", "-25.00", "1", "0", "no"]


def test_warns_when_the_units_differ(cli, tmp_path):
    other = tmp_path / "berlin.yaml"
    text = NEW.read_text().replace("unit: Headquarters", "unit: Embassy Berlin").replace(
        "../../rubrics/mini.yaml", str(DATA / "rubrics" / "mini.yaml"))
    other.write_text(text)
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "Embassy Berlin" in x)
    col = text.splitlines()[line - 1].index("Embassy Berlin") + 1
    r = cli("compare", OLD, other, "--fail-on-regression")
    message = (f"the two assessments are of different units: {OLD} is of “Test Ministry, "
               f"Headquarters” and {other} of “Test Ministry, Embassy Berlin”; the changes may "
               "reflect the unit, not progress")
    assert (r.code, r.stderr) == (0, f"{other}:{line}:{col}: warning[CD312]: {message}\n")
    assert f"warning[CD312]: {message}" in r.stdout
    html = cli("compare", OLD, other, "-f", "html").stdout
    assert "may reflect the unit, not progress" in html and "(CD312)" in html


def test_html_shows_ids_as_code_never_as_backticks(cli):
    r = cli("compare", NEW, OLD, "-f", "html")
    assert r.code == 0
    assert "<li>critical criterion <code>policy.strategy</code> (Digital" in r.stdout
    assert "`" not in r.stdout
    md = cli("compare", NEW, OLD, "-f", "md").stdout
    assert "- critical criterion `policy.strategy` (Digital" in md  # a code span in Markdown


def test_html_radar_marks_an_area_one_side_did_not_assess(cli):
    html = cli("compare", MOFA_2023, MOFA_2025, "-f", "html").stdout
    svg = html.split('<svg class="chart radar"')[1].split("</svg>")[0]
    # incident response was not assessed in 2023: the previous line skips it
    assert "(not assessed in</tspan>" in svg and ">2023)</tspan>" in svg
    previous = svg.split('<g class="series series-previous">')[1].split("</g>")[0]
    # the line, and a diamond on the four axes 2023 assessed (cyberdip-core 2.0: strategy,
    # capacity, outreach and the national context; on 1.0 it was five)
    assert previous.count("<polygon") == 1 + 4
    assert "never drawn as a zero" in html


def test_progress_against_the_previous_plan_in_every_output(cli, tmp_path):
    """compare shows OLD's plan against NEW: the actions due by NEW's date, done or not,
    and whether each criterion reached the level planned; in text, JSON, Markdown, HTML."""
    shutil.copy(DATA / "rubrics" / "mini.yaml", tmp_path / "mini.yaml")
    head = "rubric: mini.yaml\nrubric_version: 1.0.0\norganisation: {name: M}\n"
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(head + "date: 2025-11-01\nanswers:\n  policy.strategy:\n    level: 1\n"
                   "    action: Put it to the cabinet\n    owner: Director\n"
                   "    due: 2026-Q2\n    status: done\n", encoding="utf-8")
    new.write_text(head + "date: 2026-11-01\nanswers:\n  policy.strategy: {level: 2}\n",
                   encoding="utf-8")
    r = cli("compare", old, new)
    assert (r.code, r.stderr) == (0, "")
    assert r.stdout.endswith(
        "\nProgress against the previous plan\n"
        "Progress against the previous plan (as of 2026-11-01): 1 action was due, 1 done "
        "and 0 not done; 0 of 1 criteria reached their planned level.\n"
        "  · Digital diplomacy strategy (policy.strategy): Put it to the cabinet; owner "
        "Director, due 2026-Q2 (due by now), done; planned level 3, now 2: not reached\n")
    r = cli("compare", old, new, "--format", "json")
    assert (r.code, r.stderr) == (0, "")
    pp = json.loads(r.stdout)["plan_progress"]
    assert (pp["due"], pp["done"], pp["reached"]) == (1, 1, 0)
    assert pp["items"][0]["reached"] is False
    r = cli("compare", old, new, "--format", "md")
    assert "## Progress against the previous plan" in r.stdout
    r = cli("compare", old, new, "-o", tmp_path / "c.html")
    assert r.code == 0
    html = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert '<section id="plan-progress">' in html and "Put it to the cabinet" in html


def test_as_of_judges_the_current_assessment_and_a_bad_one_is_a_usage_error(cli):
    plain = cli("compare", OLD, NEW, "--format", "json")
    dated = cli("compare", OLD, NEW, "--format", "json", "--as-of", "2030-01-01")
    # no evidence in these files is dated: only the plan's progress is judged as of then
    assert (dated.code, dated.stderr) == (0, "")
    a, b = json.loads(plain.stdout), json.loads(dated.stdout)
    pa, pb = a.pop("plan_progress"), b.pop("plan_progress")
    assert a == b
    assert pb is None or pb["as_of"] == "2030-01-01"
    assert (pa is None) == (pb is None)
    r = cli("compare", OLD, NEW, "--as-of", "2030-13-01")
    assert (r.code, r.stdout) == (2, "")
    assert "`2030-13-01` is not a date: give a day as YYYY-MM-DD" in r.stderr
