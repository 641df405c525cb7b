"""`cyberdip compare OLD NEW`: exit code, stdout and stderr together."""

from __future__ import annotations

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
    assert "Index 27.8 55.6 +27.8 ▲" in lines
    assert "Stage 1 Start-up 1 Start-up 0 =" in lines
    assert "Coverage 83% 100% +16.7 ▲" in lines
    assert "Policy 16.7 58.3 +41.7 ▲ 1 Start-up → 2 Formative" in lines
    assert "Improved (3)" in r.stdout and "Regressed (0)" in r.stdout
    assert "✓ Cybercrime law (policy.law)" in r.stdout
    assert "New gaps (1)" in r.stdout and "! Dialogue (outreach.dialogue)" in r.stdout


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


def test_fail_on_regression_names_each_regression(cli):
    r = cli("compare", NEW, OLD, "--fail-on-regression")
    assert r.code == 1
    lines = r.stderr.splitlines()
    assert lines[0].startswith("regression: area `policy` (Policy) went down 41.7 points")
    assert lines[1].startswith("regression: critical criterion `policy.strategy`")
    assert lines[2] == "gate failed: 2 regressions (--fail-on-regression)"
    assert "Regressed (3)" in r.stdout  # the report is still written


def test_without_the_gate_regressions_do_not_fail(cli):
    r = cli("compare", NEW, OLD)
    assert r.code == 0 and r.stderr == ""
    assert "Regressions\n  - area `policy`" in r.stdout


def test_different_rubrics_exit_1_with_a_clear_message(cli):
    r = cli("compare", OLD, PROG / "other.yaml")
    assert r.code == 1 and r.stdout == ""
    assert r.stderr == (f"{PROG / 'other.yaml'}: error[CD310]: cannot compare assessments of "
                        f"different rubrics: {OLD} uses `mini` and {PROG / 'other.yaml'} uses "
                        "`other`; compare two assessments of the same rubric\n")


def test_rubric_versions_differ(cli):
    r = cli("compare", OLD, PROG / "2025-v2.yaml", "--format", "md")
    assert r.code == 0, r.stderr
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
    assert "<td class=\"num\">16.7</td><td class=\"num\">58.3</td>" in html
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
    r = cli("compare", old, NEW, "-o", old, "--force")
    assert r.code == 2 and r.stdout == ""
    assert r.stderr == f"{old}: error[CD401]: this is an input file; choose another output name\n"
    assert old.read_bytes() == before


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
