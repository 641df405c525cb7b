"""`cyberdip aggregate PATH...`: exit code, stdout and stderr together."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys

import pytest

from tests.conftest import DATA, ROOT, run_cli

M = DATA / "portfolio" / "missions"
GOOD = [M / f"{m}.yaml" for m in ("alpha", "bravo", "charlie", "delta")]
BROKEN = M / "echo-broken.yaml"
OTHER = M / "foxtrot-other-rubric.yaml"

BROKEN_LINE = f"{BROKEN}:6:28: error[CD302]: level 9 is outside the scale 0..4 of `mini`"
OTHER_LINE = (f"{OTHER}:2:9: error[CD310]: this assessment answers `other`, but the portfolio "
              "is of `mini` 1.0.0; left out (aggregate each rubric separately, or choose one "
              "with --rubric)")


def test_good_files_aggregate_cleanly(cli):
    r = cli("aggregate", *GOOD)
    assert r.code == 0
    assert r.stderr == (f"aggregated 4 of 4 files (mini 1.0.0, taken from the first valid "
                        f"file, {GOOD[0]})\n")
    lines = [" ".join(line.split()) for line in r.stdout.splitlines()]
    assert "1 Embassy A 79.17 79.17–79.17 3 Established 100% 75.00 87.50" in lines
    assert "2 Consulate D 38.89 38.89–38.89 2 Formative 100% 33.33 50.00" in lines
    assert "2 Embassy C 38.89 38.89–38.89 2 Formative 100% 33.33 50.00" in lines
    assert "4 Embassy B 15.28 15.28–15.28 0 Absent 100% 16.67 12.50" in lines
    assert (lines.index("2 Consulate D 38.89 38.89–38.89 2 Formative 100% 33.33 50.00")
            < lines.index("2 Embassy C 38.89 38.89–38.89 2 Formative 100% 33.33 50.00"))
    assert "1. Cybercrime law (policy.law): 3 of 4 units (75%)" in lines
    assert "Next (3 Established): Pass a law." in lines
    assert 'method="inclusive"' in r.stdout


def test_folder_with_a_broken_file_and_another_rubric(cli):
    r = cli("aggregate", M)
    assert r.code == 1
    assert r.stderr.splitlines() == [
        BROKEN_LINE, OTHER_LINE,
        f"aggregated 4 of 6 files (mini 1.0.0, taken from the first valid file, "
        f"{M / 'alpha.yaml'}); 2 left out: see the problems above"]
    # the others are still aggregated, in full
    assert "Portfolio: 4 assessments of A two-area rubric for tests (mini 1.0.0)" in r.stdout
    assert "Embassy E" not in r.stdout and "Embassy F" not in r.stdout


def test_rubric_option_chooses_the_portfolio(cli):
    r = cli("aggregate", OTHER, *GOOD, "--rubric", DATA / "rubrics" / "mini.yaml", "-f", "json")
    assert r.code == 1
    assert r.stderr.splitlines()[0] == OTHER_LINE.replace(
        ", or choose one with --rubric", "")
    assert r.stderr.splitlines()[-1].endswith(
        f"given by --rubric {DATA / 'rubrics' / 'mini.yaml'}); 1 left out: see the problems "
        "above")
    assert json.loads(r.stdout)["units"] == 4


def test_without_rubric_the_first_valid_file_decides(cli):
    r = cli("aggregate", BROKEN, OTHER, *GOOD)
    assert r.code == 1
    data_line = r.stderr.splitlines()[-1]
    assert f"(other 1.0.0, taken from the first valid file, {OTHER})" in data_line
    assert "5 left out" in data_line and "Embassy F" in r.stdout


def test_json(cli):
    r = cli("aggregate", *GOOD, "-f", "json")
    assert r.code == 0
    data = json.loads(r.stdout)
    assert data["units"] == 4 and data["quartile_method"] == "inclusive"
    assert [row["label"] for row in data["table"]] == ["Embassy A", "Consulate D", "Embassy C",
                                                       "Embassy B"]
    assert data["weaknesses"][0]["id"] == "policy.law"
    assert data["area_stats"][0]["median"] == pytest.approx(33.33)


def test_csv_is_the_league_table(cli):
    r = cli("aggregate", *GOOD, "-f", "csv")
    assert r.code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["unit"] for row in rows] == ["Embassy A", "Consulate D", "Embassy C",
                                             "Embassy B"]
    assert rows[0]["index"] == "79.17" and rows[0]["area:policy"] == "75.00"
    assert rows[3]["stage"] == "0" and rows[3]["stage_name"] == "Absent"
    assert rows[0]["path"] == str(GOOD[0])


def test_markdown(cli):
    r = cli("aggregate", *GOOD, "-f", "md")
    assert r.code == 0
    assert r.stdout.startswith("# Portfolio: A two-area rubric for tests\n")
    assert ("| 1 | Embassy A | 79.17 | 79.17–79.17 | 3 Established | 100% | 75.00 | 87.50 |"
            in r.stdout)
    assert "1. **Cybercrime law** (`policy.law`): 3 of 4 units (75%)." in r.stdout


def test_html_heat_map_has_numbers_and_no_script(cli, tmp_path):
    out = tmp_path / "portfolio.html"
    r = cli("aggregate", *GOOD, "-f", "html", "-o", out)
    assert r.code == 0 and r.stdout == ""
    assert r.stderr.startswith(f"wrote {out}\naggregated 4 of 4 files")
    html = out.read_text()
    assert "default-src 'none'; style-src 'unsafe-inline'; img-src data:" in html
    assert "<script" not in html
    # every heat-map cell carries its number as well as its shade
    assert '<td class="hc h3">75.00</td><td class="hc h4">87.50</td>' in html
    assert '<td class="hc h0">16.67</td><td class="hc h0">12.50</td>' in html
    assert "Spread by area" in html and "Shared weaknesses" in html


def test_user_text_cannot_inject_html_markdown_or_formulas(cli, tmp_path):
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(GOOD[0].read_text().replace(
        "unit: Embassy A", 'unit: "=HYPERLINK(1)<script>alert(1)</script>[x](http://e)|"')
        .replace("../../rubrics/mini.yaml", str(DATA / "rubrics" / "mini.yaml")))
    html = cli("aggregate", hostile, "-f", "html").stdout
    assert "<script>alert" not in html
    assert "=HYPERLINK(1)&lt;script&gt;alert(1)&lt;/script&gt;[x](http://e)|" in html
    md = cli("aggregate", hostile, "-f", "md").stdout
    assert "<script>" not in md and "\\[x\\]" in md and "\\|" in md
    rows = list(csv.DictReader(io.StringIO(cli("aggregate", hostile, "-f", "csv").stdout)))
    assert rows[0]["unit"].startswith("'=HYPERLINK(1)")


def test_output_is_deterministic(cli, tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    cli("aggregate", M, "-f", "html", "-o", a)
    cli("aggregate", M, "-f", "html", "-o", b)
    assert a.read_bytes() == b.read_bytes()


def test_refuses_to_overwrite_an_input(cli, tmp_path):
    copy = tmp_path / "alpha.yaml"
    shutil.copy(GOOD[0], copy)
    before = copy.read_bytes()
    r = cli("aggregate", tmp_path, "-f", "md", "-o", copy, "--force")
    assert r.code == 2 and r.stdout == ""
    assert r.stderr == f"{copy}: error[CD401]: this is an input file; choose another output name\n"
    assert copy.read_bytes() == before


@pytest.mark.parametrize("workers", [1, 70])  # in this process, and in worker processes
def test_refuses_to_overwrite_the_rubric_the_assessments_name(cli, tmp_path, workers):
    rubric = tmp_path / "rubric.yaml"
    shutil.copy(DATA / "rubrics" / "mini.yaml", rubric)
    folder = tmp_path / "in"
    folder.mkdir()
    text = GOOD[0].read_text().replace("../../rubrics/mini.yaml", "../rubric.yaml")
    for i in range(workers):
        (folder / f"u{i:03}.yaml").write_text(text)
    before = rubric.read_bytes()
    r = cli("aggregate", folder, "-f", "md", "-o", rubric, "--force")
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == (f"{rubric}: error[CD401]: this is an input file; choose another "
                        "output name\n")
    assert rubric.read_bytes() == before


def test_refuses_to_overwrite_an_input_through_a_link(cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    copy = folder / "alpha.yaml"
    copy.write_text(GOOD[0].read_text().replace("../../rubrics/mini.yaml",
                                                str(DATA / "rubrics" / "mini.yaml")))
    link = tmp_path / "report.html"
    link.symlink_to(copy)
    before = copy.read_bytes()
    r = cli("aggregate", folder, "-f", "html", "-o", link, "--force")
    assert r.code == 2 and r.stdout == ""
    assert r.stderr == f"{link}: error[CD401]: this is an input file; choose another output name\n"
    assert copy.read_bytes() == before


def test_nothing_valid_exits_1(cli):
    r = cli("aggregate", BROKEN)
    assert r.code == 1 and r.stdout == ""
    assert r.stderr == f"{BROKEN_LINE}\nerror: the file could not be aggregated\n"
    r = cli("aggregate", BROKEN, BROKEN)
    assert r.code == 1 and r.stdout == ""
    assert r.stderr == (f"{BROKEN_LINE}\n{BROKEN_LINE}\n"
                        "error: none of the 2 files could be aggregated\n")


def test_unreadable_file_is_reported_and_the_rest_aggregated(cli, tmp_path):
    missing = tmp_path / "missing.yaml"
    r = cli("aggregate", missing, *GOOD)
    assert r.code == 1
    first = r.stderr.splitlines()[0]
    assert first.startswith(f"{missing}: error[CD002]:")
    assert "aggregated 4 of 5 files" in r.stderr
    assert "Embassy A" in r.stdout


def test_empty_folder_is_a_usage_error(cli, tmp_path):
    r = cli("aggregate", tmp_path)
    assert r.code == 2 and r.stdout == ""
    assert r.stderr == (f"{tmp_path}: error[CD002]: no .yaml or .yml files in this folder\n"
                        "error: no assessment files found in the paths given\n")


def test_a_rubric_file_among_assessments_is_reported(cli):
    rubric = DATA / "rubrics" / "mini.yaml"
    r = cli("aggregate", rubric, *GOOD)
    assert r.code == 1
    assert r.stderr.splitlines()[0] == (f"{rubric}:1:1: error[CD004]: this is a rubric, not an "
                                        "assessment; aggregate assessments only")


def _broken_copy(dest):
    """The broken mission, its rubric named by an absolute path so it can move."""
    dest.write_text(BROKEN.read_text().replace("../../rubrics/mini.yaml",
                                               str(DATA / "rubrics" / "mini.yaml")))


def _gen_missions():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import gen_missions
    finally:
        sys.path.pop(0)
    return gen_missions


def _generate(folder, n):
    _gen_missions().generate(folder, n, rubric_ref=str(DATA / "rubrics" / "mini.yaml"),
                             seed=7)


@pytest.mark.parametrize(("rubric", "why"), [
    ("examples/frameworks/c2m2-style/rubric.yaml", "'RESPONSE-1a' is a choice criterion"),
    ("examples/frameworks/itu-gci/rubric.yaml", "it has no level scale"),
    ("examples/frameworks/nist-csf-2.0/rubric.yaml", "area 'GV' has groups"),
])
def test_the_mission_generator_refuses_a_rubric_it_cannot_answer(tmp_path, rubric, why):
    # the benchmarks' generator writes levels, yes or no and numbers only: it says so
    # rather than writing missions that fail their checks
    with pytest.raises(SystemExit, match=why):
        _gen_missions().generate(tmp_path / "out", 3, rubric_ref=str(ROOT / rubric))
    assert not (tmp_path / "out").exists()


def test_worker_processes_give_the_same_portfolio(cli, tmp_path, monkeypatch):
    from cyberdip.cli import pool

    _generate(tmp_path / "many", 80)
    _broken_copy(tmp_path / "many" / "mission-41b.yaml")
    monkeypatch.setattr(pool, "PARALLEL_FROM", 10**9)
    one = cli("aggregate", tmp_path / "many", "-f", "json")
    monkeypatch.setattr(pool, "PARALLEL_FROM", 2)
    many = cli("aggregate", tmp_path / "many", "-f", "json")
    assert one.code == many.code == 1
    assert one.stdout == many.stdout and one.stderr == many.stderr
    assert json.loads(one.stdout)["units"] == 80
    assert "mission-41b.yaml:6:28: error[CD302]" in one.stderr


def test_generated_missions_are_deterministic(tmp_path):
    _generate(tmp_path / "a", 5)
    _generate(tmp_path / "b", 5)
    for f in sorted((tmp_path / "a").iterdir()):
        assert f.read_bytes() == (tmp_path / "b" / f.name).read_bytes()


def test_subprocess_run_in_parallel_reports_broken_file(tmp_path):
    _generate(tmp_path / "many", 70)
    _broken_copy(tmp_path / "many" / "mission-05x.yaml")
    r = run_cli("aggregate", tmp_path / "many", "-f", "csv")
    assert r.code == 1
    assert r.stderr.splitlines()[0] == (
        f"{tmp_path / 'many' / 'mission-05x.yaml'}:6:28: error[CD302]: level 9 is outside the "
        "scale 0..4 of `mini`")
    assert len(r.stdout.splitlines()) == 71  # header + 70 rows


@pytest.mark.skipif(not (ROOT / "examples" / "missions").is_dir(),
                    reason="the mission examples are not there yet")
@pytest.mark.parametrize("fmt", ["text", "json", "csv", "md", "html"])
def test_example_missions_in_every_format(cli, fmt):
    r = cli("aggregate", ROOT / "examples" / "missions", "-f", fmt)
    assert r.code == 0, r.stderr
    assert r.stderr.startswith("aggregated ")
    assert r.stdout


# -- 120 missions: provisional units kept apart, units counted per stage -------------------


def write_missions(folder, n: int = 120) -> None:
    """``n`` mission assessments of the mini rubric, made here (not by the benchmarks):
    deterministic, with coverage from a quarter to all, so some are provisional."""
    import random

    rng = random.Random(19)
    rubric = (DATA / "rubrics" / "mini.yaml").resolve()
    folder.mkdir()
    for i in range(n):
        answered = rng.sample(range(4), k=rng.choice([1, 2, 3, 4, 4, 4]))
        level = rng.randint(0, 4)
        values = {0: f"policy.strategy: {{level: {level}, evidence: [doc]}}",
                  1: f"policy.law: {{met: {str(rng.random() < 0.5).lower()}, evidence: [law]}}",
                  2: f"outreach.missions-online: {{value: {rng.randint(0, 100)}, "
                     "evidence: [census]}",
                  3: f"outreach.dialogue: {{level: {rng.randint(0, 4)}, evidence: [log]}}"}
        lines = [f"rubric: {rubric}", "organisation: {name: Ministry, unit: "
                 f"Mission {i:03d}}}", 'period: "2024"', "answers:"]
        lines += [f"  {values[k]}" for k in sorted(answered)]
        (folder / f"mission-{i:03d}.yaml").write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def portfolio_120(tmp_path_factory):
    folder = tmp_path_factory.mktemp("p120") / "missions"
    write_missions(folder)
    return folder


def test_a_120_mission_portfolio_ranks_only_units_at_the_minimum_coverage(cli, portfolio_120):
    r = cli("aggregate", portfolio_120, "--format", "json")
    assert r.code == 0 and r.stderr.startswith("aggregated 120 of 120 files")
    p = json.loads(r.stdout)
    assert p["min_coverage"] == 80.0 and p["units"] == 120
    table = p["table"]
    ranked = [u for u in table if u["rank"] is not None]
    rest = [u for u in table if u["rank"] is None]
    assert ranked and rest and p["ranked"] == len(ranked)
    assert table == ranked + rest  # the ranked units first, the others below
    assert all(u["coverage"] >= 80 and not u["provisional"] for u in ranked)
    assert all(u["coverage"] < 80 and u["provisional"] for u in rest)
    assert [u["rank"] for u in ranked] == sorted(u["rank"] for u in ranked)
    assert ranked[0]["rank"] == 1
    # units per stage: they add up to the portfolio
    assert sum(s["units"] for s in p["stages"]) == 120
    for s in p["stages"]:
        at = [u for u in table if u["stage"] == s["stage"]]
        assert s["units"] == len(at)
        assert s["provisional"] == sum(u["provisional"] for u in at)


@pytest.mark.parametrize("fmt", ["text", "md", "html", "csv"])
def test_every_aggregate_format_keeps_provisional_units_apart_and_counts_stages(
        cli, portfolio_120, fmt):
    p = json.loads(cli("aggregate", portfolio_120, "--format", "json").stdout)
    r = cli("aggregate", portfolio_120, "--format", fmt)
    assert r.code == 0 and r.stderr.startswith("aggregated 120 of 120 files")
    out = r.stdout
    first_unranked = next(u for u in p["table"] if u["rank"] is None)
    last_ranked = [u for u in p["table"] if u["rank"] is not None][-1]
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert len(rows) == 120
        assert all((row["rank"] == "") == (row["provisional"] == "yes") for row in rows)
        counts = {s["stage"]: s["units"] for s in p["stages"]}
        assert all(int(row["stage_units"]) == counts[int(row["stage"]) if row["stage"]
                                                      else None] for row in rows)
        return
    for s in p["stages"]:
        where = ("with no stage yet" if s["stage"] is None
                 else f"at stage {s['stage']} {s['stage_name']}")
        assert f"{s['units']} of 120 {where}" in out
    n = 120 - p["ranked"]
    assert f"the {p['ranked']} units with at least 80% coverage" in out
    assert f"Not ranked: the {n} units below 80% coverage" in out
    # every unranked unit comes after the last ranked one, marked provisional
    assert out.index(last_ranked["label"]) < out.index(first_unranked["label"])
    assert f"{first_unranked['label']} (provisional)" in out or (
        f"{first_unranked['label']} <small>(provisional)</small>" in out)


def test_min_coverage_moves_the_line_between_ranked_and_not(cli, portfolio_120):
    p = json.loads(cli("aggregate", portfolio_120, "--format", "json",
                       "--min-coverage", "100").stdout)
    assert p["min_coverage"] == 100.0
    assert all((u["rank"] is None) == (u["coverage"] < 100) for u in p["table"])
    everyone = json.loads(cli("aggregate", portfolio_120, "--format", "json",
                              "--min-coverage", "0").stdout)
    assert everyone["ranked"] == 120 and all(u["rank"] for u in everyone["table"])


# -- progress: on a terminal only, never with --format json, never in a pipe ----------------


def _many_missions(tmp_path, n: int = 120):
    from tests.conftest import ROOT

    src = (ROOT / "examples" / "missions" / "embassy-berlin.yaml").read_text(encoding="utf-8")
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(n):
        (folder / f"m{i:03}.yaml").write_text(
            src.replace("Berlin", f"Post {i:03}"), encoding="utf-8")
    return folder


def _on_a_terminal(tmp_path, *args: str) -> str:
    import os
    import sys

    import pexpect

    from tests.conftest import PATIENCE

    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("CYBERDIP_DEBUG", None)
    child = pexpect.spawn(sys.executable, ["-m", "cyberdip", *args], cwd=str(tmp_path),
                          env=env, encoding="utf-8", timeout=PATIENCE, dimensions=(50, 120))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return child.before


def test_aggregate_of_many_files_shows_a_progress_bar_on_a_terminal(tmp_path):
    folder = _many_missions(tmp_path)
    shown = _on_a_terminal(tmp_path, "aggregate", str(folder), "-o", "t.md")
    assert " of 120 files, about " in shown and " s left" in shown
    # erased before the last line: it starts clean, after a carriage return
    assert shown.rstrip().splitlines()[-1].lstrip("\r ").startswith("aggregated 120 of 120")
    quiet = _on_a_terminal(tmp_path, "aggregate", str(folder), "-f", "json", "-o", "t.json")
    assert "files, about" not in quiet


def test_aggregate_in_a_pipe_has_no_progress_bar(tmp_path):
    from tests.conftest import run_cli

    folder = _many_missions(tmp_path)
    r = run_cli("aggregate", folder, "-o", tmp_path / "t.md")
    assert r.code == 0 and "files, about" not in r.stderr and "\r" not in r.stderr
