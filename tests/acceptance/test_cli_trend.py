"""`cyberdip trend A B C...`: exit code, stdout and stderr together."""

from __future__ import annotations

import csv
import io
import json
import shutil
from xml.etree import ElementTree

import pytest

from tests.conftest import DATA, ROOT

PROG = DATA / "portfolio" / "progress"
YEARS = ["2023.yaml", "2024.yaml", "2025-v2.yaml"]
#: 2025-v2.yaml line 3 is `rubric_version: 2.0.0`; the value starts in column 17
VERSION_WARNING = ("2025-v2.yaml:3:17: warning[CD307]: the two assessments use different "
                   "versions of `mini`: 2024.yaml answers version 1.0.0 and 2025-v2.yaml "
                   "version 2.0.0; criteria matched by id may have changed meaning")


@pytest.fixture
def in_prog(monkeypatch):
    monkeypatch.chdir(PROG)


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def test_text_shows_the_years_in_time_order(cli, in_prog):
    r = cli("trend", "2025-v2.yaml", "2023.yaml", "2024.yaml")
    assert (r.code, r.stderr.splitlines()) == (0, [VERSION_WARNING])
    lines = _lines(r.stdout)
    assert lines[0] == "Trend: Test Ministry — Headquarters"
    assert ("warning[CD307] (2025): the two assessments use different versions of `mini`: "
            "2024.yaml answers version 1.0.0 and 2025-v2.yaml version 2.0.0; criteria "
            "matched by id may have changed meaning") in lines
    # year, file, index, its range, change, stage, change, coverage, rubric version
    assert "2023 2023.yaml 27.78 19.44–36.11 — 1 Start-up — 83.33% 1.0.0" in lines
    assert "2024 2024.yaml 55.56 55.56–55.56 +27.78 ▲ 1 Start-up 0 = 100% 1.0.0" in lines
    assert "2025 2025-v2.yaml 58.33 58.33–58.33 +2.77 ▲ 2 Formative +1 ▲ 100% 2.0.0" in lines
    assert "Policy 16.67 58.33 (+41.66 ▲) 50.00 (-8.33 ▼)" in lines
    assert "Outreach 50.00 50.00 (0.00 =) 75.00 (+25.00 ▲)" in lines


def test_json_is_the_series(cli, in_prog):
    r = cli("trend", *YEARS, "--format", "json")
    assert (r.code, r.stderr.splitlines()) == (0, [VERSION_WARNING])
    data = json.loads(r.stdout)
    assert [p["snapshot"]["label"] for p in data["points"]] == YEARS
    assert data["points"][0]["index_range"] == {"low": 19.44, "high": 36.11}
    assert data["points"][1]["step"]["index_delta"] == pytest.approx(27.78)
    assert [w["code"] for w in data["points"][2]["warnings"]] == ["CD307"]
    # each year after the first: the year before's action plan, as compare gives it
    assert data["points"][0]["plan"] is None
    for before, after, point in zip(YEARS[:-1], YEARS[1:], data["points"][1:], strict=True):
        pair = cli("compare", before, after, "--format", "json")
        assert point["plan"] == json.loads(pair.stdout)["plan_progress"]


def test_csv_is_one_row_per_year(cli, in_prog):
    r = cli("trend", *YEARS, "-f", "csv")
    assert r.code == 0 and r.stderr.splitlines() == [VERSION_WARNING]
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(x["year"], x["index"], x["index_low"], x["index_high"], x["warnings"])
            for x in rows] == [("2023", "27.78", "19.44", "36.11", ""),
                               ("2024", "55.56", "55.56", "55.56", ""),
                               ("2025", "58.33", "58.33", "58.33", "CD307")]
    assert rows[2]["area:policy"] == "50.00"


def test_html_draws_the_chart_and_writes_it_atomically(cli, in_prog, tmp_path):
    out = tmp_path / "trend.html"
    r = cli("trend", *YEARS, "-o", out)
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr.splitlines() == [VERSION_WARNING, f"wrote {out}"]
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    chart = html[html.index('<svg class="chart trend"'):]
    chart = chart[:chart.index("</svg>") + len("</svg>")]
    root = ElementTree.fromstring(chart)  # well-formed XML
    assert root.find("{http://www.w3.org/2000/svg}title").text.startswith("Readiness index")
    assert html.count('class="index-point"') == 3
    assert "rubric 1.0.0 to 2.0.0" in chart
    # an existing file is not replaced without --force, and an input never is
    again = cli("trend", *YEARS, "-o", out)
    assert again.code == 2 and "CD401" in again.stderr and again.stdout == ""
    r = cli("trend", *YEARS, "-f", "json", "-o", "2023.yaml", "--force")
    assert r.code == 2 and "CD401" in r.stderr


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
def test_pdf_has_the_chart_and_the_table(cli, in_prog, tmp_path):
    pytest.importorskip("typst")
    import subprocess

    out = tmp_path / "trend.pdf"
    r = cli("trend", *YEARS, "-o", out)
    assert r.code == 0 and r.stdout == ""
    assert r.stderr.splitlines() == [VERSION_WARNING, f"wrote {out}"]
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Test Ministry" in text and "19.44–36.11" in text
    assert "rubric 1.0.0 to 2.0.0" in text  # drawn by the chart, as text
    assert "stage 2 Formative" in text
    # deterministic: the same inputs give the same bytes
    out2 = tmp_path / "again.pdf"
    assert cli("trend", *YEARS, "-o", out2).code == 0
    assert out2.read_bytes() == data


def test_mixed_units_undated_and_ties_are_refused_each_at_its_place(cli, tmp_path):
    for name in YEARS:
        text = (PROG / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("../../rubrics/", f"{DATA}/rubrics/")
                                     .replace("../rubrics/", f"{DATA}/portfolio/rubrics/"),
                                     encoding="utf-8")
    berlin = tmp_path / "berlin.yaml"
    berlin.write_text((tmp_path / "2024.yaml").read_text(encoding="utf-8").replace(
        "unit: Headquarters", "unit: Embassy Berlin").replace('"2024"', '"2026"'),
        encoding="utf-8")
    undated = tmp_path / "undated.yaml"
    undated.write_text((tmp_path / "2023.yaml").read_text(encoding="utf-8").replace(
        'period: "2023"', 'period: "first"'), encoding="utf-8")
    r = cli("trend", tmp_path / "2023.yaml", berlin, undated, tmp_path / "2024.yaml",
            tmp_path / "2023.yaml")
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr.splitlines() == [
        f"{berlin}:4:43: error[CD727]: a series is of one unit: {tmp_path}/2023.yaml is of "
        f"“Test Ministry, Headquarters” and {berlin} of “Test Ministry, Embassy Berlin”; put "
        "different units side by side with `cyberdip aggregate`",
        f"{undated}:5:9: error[CD725]: {undated} has no date: a series is ordered by time, "
        "and this assessment has neither a `date` nor a `period` that starts with a year; "
        "add `date: YYYY-MM-DD`",
        f"{tmp_path}/2023.yaml:5:9: error[CD726]: {tmp_path}/2023.yaml (period 2023) and "
        f"{tmp_path}/2023.yaml (period 2023) fall at the same time, so the series cannot "
        "order them; give each a different `date: YYYY-MM-DD`, or leave one out",
    ]


def test_different_rubrics_are_refused(cli, in_prog):
    r = cli("trend", "2023.yaml", "other.yaml")
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr.splitlines() == [
        "other.yaml:2:9: error[CD310]: cannot put assessments of different rubrics in one "
        "series: 2023.yaml uses `mini` and other.yaml uses `other`; a series is of one "
        "rubric"]


def test_one_file_is_a_usage_error(cli, in_prog):
    r = cli("trend", "2023.yaml")
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == ("error: a trend needs two or more assessments of one unit; to see "
                        "one, use `cyberdip score` or `cyberdip report`\n")


def test_every_bad_file_is_reported_before_stopping(cli, in_prog, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rubric: mini\nanswers: [\n", encoding="utf-8")
    r = cli("trend", "2023.yaml", bad, tmp_path / "missing.yaml")
    assert r.code == 2 and r.stdout == ""
    assert [line.split(": ")[0].split(":")[0] for line in r.stderr.splitlines()] == [
        str(bad), str(tmp_path / "missing.yaml")]


def test_three_years_of_the_shipped_example_in_every_format(cli, tmp_path):
    """The baseline, the follow-up and a third year derived from it (a copy dated 2026)."""
    third = tmp_path / "pakistan-mofa-2026.yaml"
    third.write_text((ROOT / "examples" / "pakistan-mofa-2025-followup.yaml").read_text(
        encoding="utf-8").replace('period: "2025"', 'period: "2026"').replace(
        "date: 2025-11-28", "date: 2026-11-30"), encoding="utf-8")
    files = [third, ROOT / "examples" / "pakistan-mofa-2023.yaml",
             ROOT / "examples" / "pakistan-mofa-2025-followup.yaml"]
    r = cli("trend", *files, "-f", "json")
    assert (r.code, r.stderr) == (0, "")
    data = json.loads(r.stdout)
    assert [p["when"]["date"] for p in data["points"]] == ["2023-12-03", "2025-11-28",
                                                           "2026-11-30"]
    last = data["points"][2]
    # the copy answers the same: no change at all from 2025
    assert (last["step"]["index_delta"], last["step"]["stage_delta"]) == (0.0, 0)
    assert all(a["delta"] == 0.0 for a in last["areas"] if a["score"] is not None)
    # the follow-up and its copy say `illustrative: true`: every format says so
    r = cli("trend", *files)
    assert (r.code, r.stderr) == (0, "")
    assert ("ILLUSTRATIVE: 2025 and 2026 are made-up example data, not real assessments; "
            "the trend shows how cyberdip works, not what happened.") in r.stdout
    assert [line.split("  ")[0] for line in r.stdout.splitlines()
            if line[:4].isdigit()] == ["2023 (provisional)", "2025 (illustrative)",
                                       "2026 (illustrative)"]
    assert [p["illustrative"] for p in data["points"]] == [False, True, True]
