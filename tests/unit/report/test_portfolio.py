"""Wording of changes in progress reports."""

from cyberdip.formats import documents
from cyberdip.report.common import count_change, signed, signed_int


def test_more_open_gaps_gets_no_up_arrow_that_could_read_as_good_news():
    assert count_change(16) == "+16"
    assert count_change(-3) == "-3"
    assert count_change(0) == "0"


def test_scores_and_stages_carry_a_direction_arrow():
    assert signed(11.4) == "+11.40 ▲"
    assert signed(-6.9) == "-6.90 ▼"
    assert signed(0.004) == "0.00 ="
    assert signed_int(2) == "+2 ▲" and signed_int(0) == "0 ="


# -- CSV: no cell that comes from a file can be a formula ------------------------------


def _formula_portfolio(tmp_path):
    """Two units of a rubric whose stage is named ``=1+1``, with formulas for names."""
    from pathlib import Path

    from cyberdip.engine.compare import aggregate
    from cyberdip.engine.scoring import score

    data = Path(__file__).resolve().parents[2] / "data"
    rubric = (data / "rubrics" / "mini.yaml").read_text()
    for name in ("Absent", "Start-up", "Formative", "Established", "Strategic"):
        rubric = rubric.replace(f"name: {name}", 'name: "=1+1"')
    (tmp_path / "rubric.yaml").write_text(rubric)
    cards = []
    for fname, org, unit, country, period in [
            ("-a.yaml", "=HYPERLINK(\"http://x\",\"y\")", "@SUM(1)", "+92", "\t=1"),
            ("=b.yaml", "=cmd|' /C calc'!A0", "", "-1+1", "2024")]:
        who = f"name: {_q(org)}, country: {_q(country)}" + (f", unit: {_q(unit)}" if unit
                                                             else "")
        text = (data / "assessments" / "mini-answered.yaml").read_text().replace(
            "../rubrics/mini.yaml", "rubric.yaml").replace(
            "{name: Test Ministry}", "{" + who + "}").replace(
            'period: "2023"', f"period: {_q(period)}")
        (tmp_path / fname).write_text(text)
        checked = documents.load_assessment(str(tmp_path / fname))
        assert not checked.errors, checked.problems
        cards.append((str(tmp_path / fname), score(checked.rubric, checked.assessment)))
    return aggregate(cards)


def _q(s: str) -> str:
    import json

    return json.dumps(s)  # a JSON string is a YAML double-quoted scalar


def test_aggregate_csv_escapes_every_cell_from_a_file(tmp_path):
    import csv
    import io

    from cyberdip.report.as_csv import aggregate_csv
    from cyberdip.textsafe import FORMULA_START

    p = _formula_portfolio(tmp_path)
    rows = list(csv.DictReader(io.StringIO(aggregate_csv(p), newline="")))
    assert len(rows) == 2
    assert {r["stage_name"] for r in rows} == {"'=1+1"}
    by_org = {r["organisation"]: r for r in rows}
    a = by_org["'=HYPERLINK(\"http://x\",\"y\")"]
    assert (a["unit"], a["country"], a["period"]) == ("'@SUM(1)", "'+92", "\\t=1")
    assert a["path"].endswith("-a.yaml")
    b = by_org["'=cmd|' /C calc'!A0"]
    assert b["unit"] == b["organisation"] and b["country"] == "'-1+1"
    for r in rows:
        assert not [v for v in r.values() if v and v[0] in FORMULA_START]
        assert float(r["index"]) >= 0 and float(r["coverage"]) == 100  # numbers stay numbers
        assert r["stage"].isdigit()


def test_every_format_shows_the_range_each_unit_s_index_could_still_take(tmp_path):
    import csv
    import io

    from cyberdip.report import as_csv, as_html, as_markdown, as_text
    from cyberdip.report.common import range_text

    p = _formula_portfolio(tmp_path)
    p.table[0].index_range = p.table[0].index_range.model_copy(update={"low": 12.5,
                                                                       "high": 87.25})
    assert range_text(p.table[0].index_range) == "12.50–87.25"
    assert "12.50–87.25" in as_text.aggregate_text(p)
    assert "| 12.50–87.25 |" in as_markdown.aggregate_markdown(p)
    assert '<td class="num">12.50–87.25</td>' in as_html.aggregate_html(p)
    assert "Could still be" in as_html.aggregate_html(p)
    rows = list(csv.DictReader(io.StringIO(as_csv.aggregate_csv(p), newline="")))
    assert (rows[0]["index_low"], rows[0]["index_high"]) == ("12.50", "87.25")
    p.table[1].index_range = None  # a unit with no range: a dash, and empty cells
    assert (list(csv.DictReader(io.StringIO(as_csv.aggregate_csv(p), newline="")))[1]
            ["index_low"]) == ""
    assert range_text(None) == "—"


def test_aggregate_csv_writes_a_non_utf8_path_as_its_bytes(tmp_path):
    import csv
    import io
    import os

    from cyberdip.report.as_csv import aggregate_csv

    p = _formula_portfolio(tmp_path)
    p.table[0].path = os.fsdecode(b"=\xff.yaml")
    text = aggregate_csv(p)
    text.encode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows[0]["path"] == "'=\\xff.yaml"


def test_ids_in_messages_become_code_in_html_and_markdown_and_nothing_else_does():
    from cyberdip.report.common import code_html, code_md

    msg = "area `legal` (Legal & <b>) went down; unit “a`b” of `cyberdip-core` 1.0"
    html = str(code_html(msg))
    assert html == ("area <code>legal</code> (Legal &amp; &lt;b&gt;) went down; unit “a`b” "
                    "of <code>cyberdip-core</code> 1.0")
    md = code_md(msg)
    assert md == ("area `legal` (Legal & &lt;b&gt;) went down; unit “a\\`b” of "
                  "`cyberdip-core` 1.0")
    # a backtick span around text that is not an id is escaped, never code
    assert str(code_html("`<script>`")) == "`&lt;script&gt;`"


def test_coverage_note_has_no_arrow_and_says_why():
    from cyberdip.engine.compare import AreaDelta, LikeForLike
    from cyberdip.report.common import coverage_note

    def area(effect, new, gone):
        return AreaDelta(
            id="a", title="A", old_score=None, new_score=None, delta=None,
            like_for_like=LikeForLike(criteria=0, old_score=None, new_score=None, delta=None),
            coverage_effect=effect, newly_assessed=new, no_longer_assessed=gone,
            regressed=False, old_stage=None, new_stage=None, old_stage_name=None,
            new_stage_name=None, stage_delta=None, old_coverage=None, new_coverage=None,
            coverage_delta=None, presence="both")

    assert coverage_note(area(-6.86, 4, 0)) == "-6.86 (newly assessed: 4)"
    assert coverage_note(area(2.0, 1, 2)) == "+2.00 (newly assessed: 1, no longer assessed: 2)"
    assert coverage_note(area(0.0, 0, 0)) == "0.00"
    assert coverage_note(area(None, 5, 0)) == "— (newly assessed: 5)"


def test_a_shared_weakness_names_the_topic_of_each_source_so_none_reads_twice():
    """Two citations of one section with different topics used to read as one citation
    written twice; every format now gives the topic, as the reports do."""
    from markupsafe import escape

    from cyberdip.engine.compare import aggregate
    from cyberdip.engine.scoring import score
    from cyberdip.formats import documents
    from cyberdip.report import as_html, as_markdown, as_text

    checked = documents.load_assessment("examples/pakistan-mofa-2023.yaml")
    p = aggregate([("mofa.yaml", score(checked.rubric, checked.assessment))])
    topics = [(s.section, s.topic) for w in p.weaknesses for s in w.sources if s.topic]
    assert topics
    text, md = as_text.aggregate_text(p), as_markdown.aggregate_markdown(p)
    page = as_html.aggregate_html(p)
    for section, topic in topics:
        assert f"“{section}” ({topic})" in text
        assert f"“{section}” ({topic})" in md.replace("\\", "")
        assert str(escape(f"“{section}” ({topic})")) in page
