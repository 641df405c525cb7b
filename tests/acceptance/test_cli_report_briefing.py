"""`cyberdip report` for briefings: --marking, --brief, --previous, --lang ur, and PDF.

Each test asserts the exit code, stdout and stderr together."""

from __future__ import annotations

import importlib.util
import json
import shutil

import pytest

from tests.conftest import DATA, ROOT

MINI = DATA / "assessments" / "mini-answered.yaml"
BASELINE = ROOT / "examples" / "pakistan-mofa-2023.yaml"
FOLLOWUP = ROOT / "examples" / "pakistan-mofa-2025-followup.yaml"


def marked_copy(tmp_path, marking: str):
    """The mini assessment and its rubric (with its translation) copied, the
    assessment carrying ``marking:``."""
    for name in ("mini.yaml", "mini.ur.yaml"):
        (tmp_path / "rubrics").mkdir(exist_ok=True)
        shutil.copy(DATA / "rubrics" / name, tmp_path / "rubrics" / name)
    (tmp_path / "a").mkdir()
    text = MINI.read_text(encoding="utf-8").replace(
        'period: "2023"', f'period: "2023"\nmarking: "{marking}"')
    path = tmp_path / "a" / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_marking_goes_into_json_markdown_and_html(cli, tmp_path):
    for name in ("r.json", "r.md", "r.html"):
        r = cli("report", MINI, "--marking", "tlp:amber", "-o", tmp_path / name)
        assert (r.code, r.stdout) == (0, "")
        assert r.stderr.startswith(f"wrote {tmp_path / name}: ")
    assert json.loads((tmp_path / "r.json").read_text())["marking"] == "tlp:amber"
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert md.startswith("**Protective marking: TLP:AMBER**\n")
    assert md.rstrip().endswith("**Protective marking: TLP:AMBER**")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.count('<p class="marking tlp-amber top"') == 1
    assert html.count('<p class="marking tlp-amber bottom"') == 1
    assert ".marking.tlp-amber, .marking.tlp-amber-strict { color: #FFC000; }" in html


def test_the_assessments_marking_is_used_and_the_command_line_overrides_it(cli, tmp_path):
    a = marked_copy(tmp_path, "RESTRICTED")
    r = cli("report", a, "-o", tmp_path / "own.json")
    assert (r.code, r.stdout) == (0, "") and r.stderr.startswith("wrote ")
    assert json.loads((tmp_path / "own.json").read_text())["marking"] == "RESTRICTED"
    r = cli("report", a, "--marking", "TLP:RED", "-o", tmp_path / "cli.json")
    assert (r.code, r.stdout) == (0, "") and r.stderr.startswith("wrote ")
    assert json.loads((tmp_path / "cli.json").read_text())["marking"] == "TLP:RED"
    r = cli("score", a, "-f", "json")
    assert r.code == 0 and json.loads(r.stdout)["marking"] == "RESTRICTED"


def test_an_empty_or_overlong_marking_is_a_usage_error(cli, tmp_path):
    for value, why in (("  ", "a marking cannot be empty"),
                       ("X" * 121, "a marking is one short line; this one has 121")):
        r = cli("report", MINI, "--marking", value, "-o", tmp_path / "r.html")
        assert (r.code, r.stdout) == (2, "")
        assert why in r.stderr and "--marking" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_brief_is_html_pdf_or_word_only(cli, tmp_path):
    r = cli("report", MINI, "--brief", "-o", tmp_path / "b.md")
    assert (r.code, r.stdout, r.stderr) == (
        2, "", f"{tmp_path / 'b.md'}: error: --brief writes .html, .pdf or .docx, not md; name "
        "the output brief.html, brief.pdf or brief.docx\n")
    r = cli("report", MINI, "--previous", MINI, "-o", tmp_path / "b.html")
    assert (r.code, r.stdout, r.stderr) == (
        2, "", "error: --previous gives the brief its trend: add --brief (for the full "
        "comparison, use `cyberdip compare`)\n")
    assert list(tmp_path.iterdir()) == []


def test_the_html_brief_with_a_trend(cli, tmp_path):
    out = tmp_path / "brief.html"
    r = cli("report", FOLLOWUP, "--brief", "--previous", BASELINE, "-o", out)
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr.startswith(f"wrote {out}: html brief, index ")
    html = out.read_text(encoding="utf-8")
    assert '<article class="brief" id="brief">' in html and 'id="trend"' in html
    import json

    old = json.loads(cli("score", BASELINE, "--format", "json").stdout)
    assert f"Trend: the index was {old['index']:.2f} in 2023" in html


def test_a_pdf_report_and_brief(cli, tmp_path):
    pytest.importorskip("typst")
    for args, what in (([], "pdf report"), (["--brief"], "pdf brief")):
        out = tmp_path / f"{what.replace(' ', '-')}.pdf"
        r = cli("report", MINI, *args, "-o", out)
        assert (r.code, r.stdout, r.stderr) == (
            0, "", f"wrote {out}: {what}, index 55.56, 2 gap(s)\n")
        assert out.read_bytes().startswith(b"%PDF-")
    r = cli("report", MINI, "-f", "pdf", "-o", "-")
    assert (r.code, r.stdout, r.stderr) == (
        2, "", "error: a PDF is not written to stdout; give a file name, e.g. -o report.pdf\n")


def test_without_the_pdf_extra_the_message_says_what_to_install(cli, tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "typst" else real(name, *a))
    out = tmp_path / "r.pdf"
    r = cli("report", MINI, "-o", out)
    assert (r.code, r.stdout, r.stderr) == (
        2, "", f"{out}: error[CD405]: writing a PDF needs the optional PDF engine (Typst), "
        "which is not installed; install it with `pip install 'cyberdip[pdf]'`, or write an "
        ".html report\n")
    assert not out.exists()


def test_a_word_report_and_brief(cli, tmp_path):
    docx = pytest.importorskip("docx")
    import io

    for args, what in (([], "docx report"), (["--brief"], "docx brief"),
                       (["--lang", "ur", "--brief"], "docx brief")):
        out = tmp_path / f"{what.replace(' ', '-')}-{len(args)}.docx"
        r = cli("report", MINI, *args, "--marking", "TLP:GREEN", "-o", out)
        assert (r.code, r.stdout) == (0, "")
        # in Urdu, after the line on the rubric's translation (tested below)
        assert r.stderr.splitlines()[1 if "ur" in args else 0:] == [
            f"wrote {out}: {what}, index 55.56, 2 gap(s)"]
        doc = docx.Document(io.BytesIO(out.read_bytes()))
        assert doc.sections[0].header.paragraphs[0].text.strip("\u00a0") == "TLP:GREEN"
        assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == [
            "\u2068Test Ministry\u2069" if "ur" in args else "Test Ministry"]
    r = cli("report", MINI, "-f", "docx", "-o", "-")
    assert (r.code, r.stdout, r.stderr) == (
        2, "", "error: a Word document is not written to stdout; give a file name, e.g. "
        "-o report.docx\n")


def test_without_the_word_extra_the_message_says_what_to_install(cli, tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "docx" else real(name, *a))
    out = tmp_path / "r.docx"
    r = cli("report", MINI, "--brief", "-o", out)
    assert (r.code, r.stdout, r.stderr) == (
        2, "", f"{out}: error[CD506]: writing a Word document needs the optional Word extra "
        "(python-docx), which is not installed; install it with `pip install "
        "'cyberdip[word]'`, or write an .html or .pdf report\n")
    assert not out.exists()


def test_an_urdu_report_is_right_to_left_with_its_translation_status(cli, tmp_path):
    out = tmp_path / "ur.html"
    r = cli("report", MINI, "--lang", "ur", "-o", out)
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr.splitlines() == [
        f"warning: {DATA / 'assessments' / '..' / 'rubrics' / 'mini.ur.yaml'}: the Urdu "
        "translation covers 10 of 52 rubric strings (1 stale); the rest are shown in "
        "English, marked EN (run `cyberdip validate` on it for the list)",
        f"wrote {out}: html report, index 55.56, 2 gap(s)"]
    html = out.read_text(encoding="utf-8")
    assert '<html lang="ur" dir="rtl">' in html
    assert "font-src data:" in html and '@font-face { font-family: "Noto Nastaliq Urdu"' in html
    assert "پالیسی" in html  # the rubric's words, from mini.ur.yaml
    assert "تیاری کا انڈیکس" in html  # the report's own words, from the catalogue
    assert "<bdi>Test Ministry</bdi>" in html  # an English name, isolated
    # a stale translation is not used: the English is shown, marked
    assert '<bdi lang="en" class="untranslated">Dialogue<sup class="untranslated-mark">EN' in html
    assert "معیار نامے کے ترجمے کی کیفیت: <bdi>test translation, not reviewed</bdi>" in html


def test_an_urdu_markdown_report(cli, tmp_path):
    out = tmp_path / "ur.md"
    r = cli("report", MINI, "--lang", "ur", "-o", out)
    assert r.code == 0 and r.stdout == "" and r.stderr.endswith(f"wrote {out}: md report, "
                                                                "index 55.56, 2 gap(s)\n")
    md = out.read_text(encoding="utf-8")
    assert md.startswith('<div dir="rtl" lang="ur">\n')
    assert "# <bdi>Test Ministry</bdi>" in md
    assert '<bdi lang="en">Dialogue <sup>EN</sup></bdi>' in md


def test_a_broken_translation_stops_the_urdu_report(cli, tmp_path):
    a = marked_copy(tmp_path, "TLP:CLEAR")
    tr = tmp_path / "a" / ".." / "rubrics" / "mini.ur.yaml"
    tr.write_text(tr.read_text(encoding="utf-8").replace("  outreach:", "  outreech:"),
                  encoding="utf-8")
    out = tmp_path / "r.html"
    r = cli("report", a, "--lang", "ur", "-o", out)
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr == (f"{tr}:16:3: error[CD501]: `outreech` is not an area of `mini`: did "
                        "you mean `outreach`?\n")
    assert not out.exists()


def test_json_has_no_language(cli, tmp_path):
    r = cli("report", MINI, "--lang", "ur", "-o", tmp_path / "r.json")
    assert (r.code, r.stdout, r.stderr) == (
        2, "", f"{tmp_path / 'r.json'}: error: --lang applies to .html, .pdf, .docx and .md "
        "reports; JSON is the scorecard itself\n")


def test_validate_reports_a_translations_coverage(cli):
    path = DATA / "rubrics" / "mini.ur.yaml"
    r = cli("validate", path)
    assert r.code == 0
    assert r.stderr.splitlines() == [
        f"{path}: ur translation covers 10 of 52 rubric strings (19.23%); 1 stale, 41 missing",
        "1 file checked: all valid, 14 warnings"]
    assert f"{path}:25:20: warning[CD503]: stale translation of `policy.law` question" in r.stdout
    r = cli("validate", "-f", "json", path)
    files = json.loads(r.stdout)["files"]
    assert files[0]["kind"] == "translation"
    assert files[0]["coverage"] == {"language": "ur", "total": 52, "translated": 10,
                                    "stale": 1, "missing": 41, "percent": 19.23,
                                    "partial": False}


def _first_page(cli, tmp_path, ext: str, *args: str) -> str:
    out = tmp_path / f"r{len(args)}.{ext}"
    r = cli("report", BASELINE, *args, "-o", out)
    assert (r.code, r.stdout) == (0, "") and "error" not in r.stderr
    if ext != "pdf":
        return out.read_text(encoding="utf-8")
    import subprocess

    return subprocess.run(["pdftotext", "-l", "1", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_the_baselines_caveat_is_on_the_first_page_of_every_report_and_the_brief(cli, tmp_path):
    import yaml

    caveat = " ".join(yaml.safe_load(BASELINE.read_text(encoding="utf-8"))["disclaimer"].split())
    assert "not an official self-assessment" in caveat.lower() and "floor" in caveat
    s = cli("score", BASELINE)
    assert (s.code, s.stderr) == (0, "")
    assert f"CAVEAT: {caveat}" in " ".join(s.stdout.split()[:80])
    j = cli("score", BASELINE, "-f", "json")
    assert (j.code, j.stderr, json.loads(j.stdout)["disclaimer"]) == (0, "", caveat)
    html = _first_page(cli, tmp_path, "html")
    assert html.index(caveat) < html.index('id="summary"')
    md = _first_page(cli, tmp_path, "md")
    assert md.index(f"> **CAVEAT:** {caveat}") < md.index("## Executive summary")
    brief = _first_page(cli, tmp_path, "html", "--brief")
    assert brief.index(caveat) < brief.index('id="summary"')
    if shutil.which("pdftotext") and importlib.util.find_spec("typst"):
        for args in ((), ("--brief",)):
            assert caveat in " ".join(_first_page(cli, tmp_path, "pdf", *args).split())


def test_the_brief_says_what_the_stage_means(cli, tmp_path):
    from cyberdip.formats import documents

    checked = documents.load_assessment(str(BASELINE))
    card = json.loads(cli("score", BASELINE, "-f", "json").stdout)
    entry = next(s for s in checked.rubric.scale if s.level == card["stage"])
    words = (f"Stage {card['stage']} of {checked.rubric.highest}, {entry.name}: "
             f"{entry.meaning}")
    brief = _first_page(cli, tmp_path, "html", "--brief")
    assert " ".join(words.split()) in " ".join(
        brief.replace("<strong>", "").replace("</strong>", "").split())
    if shutil.which("pdftotext") and importlib.util.find_spec("typst"):
        assert " ".join(words.split()) in " ".join(
            _first_page(cli, tmp_path, "pdf", "--brief").split())


def test_indicator_evidence_and_contradictions_are_shown_beside_the_criterion(cli, tmp_path):
    from cyberdip.formats import documents

    r = documents.rubric_at(documents.resolve_rubric("cyberdip-core"))
    coord = next(c for _, c in r.criteria() if c.id == "strategy.coordination")
    inds = [(lv, i.id) for lv, i in coord.indicator_list()]
    (low_lv, low), (high_lv, high) = inds[0], inds[-1]
    a = tmp_path / "a.yaml"
    a.write_text(
        "rubric: cyberdip-core\nrubric_version: 2.0.0\norganisation: {name: M}\nanswers:\n"
        "  strategy.digital-diplomacy-strategy:\n    indicators:\n"
        "      initiatives-under-way: true\n      need-recognised: true\n"
        "      draft-strategy: true\n"
        "      approved-strategy: {met: true, evidence: [Cabinet decision 12]}\n"
        "      binds-missions: {met: true, evidence: [Circular 4]}\n"
        f"  strategy.coordination:\n    indicators: {{{low}: false, {high}: true}}\n",
        encoding="utf-8")
    out = tmp_path / "r.html"
    rr = cli("report", a, "-o", out)
    assert (rr.code, rr.stdout) == (0, "")
    assert "warning[CD324]" in rr.stderr
    html = out.read_text()
    strategy = html[html.index('id="c-strategy.digital-diplomacy-strategy"'):
                    html.index('id="c-strategy.coordination"')]
    assert "Unsupported" not in strategy and "none given" not in strategy
    assert "on the indicators above" in strategy and "Cabinet decision 12" in strategy
    coordination = html[html.index('id="c-strategy.coordination"'):]
    coordination = coordination[:coordination.index("</section>")]
    assert (f"The level-{high_lv} indicator is met, but the level-{low_lv} indicator below "
            "it is not") in coordination
    assert "The likely cause is the rubric&#39;s ladder" in coordination
    card = json.loads(cli("score", a, "-f", "json", "--strict").stdout)
    assert card["counts"]["unsupported"] == 0


# -- the brief's trend over several years (--previous given once per earlier year) --------


def _third_year(tmp_path):
    """A third year derived from the shipped follow-up: the same answers, dated 2026."""
    third = tmp_path / "pakistan-mofa-2026.yaml"
    third.write_text(FOLLOWUP.read_text(encoding="utf-8").replace(
        'period: "2025"', 'period: "2026"').replace("date: 2025-11-28", "date: 2026-11-30"),
        encoding="utf-8")
    return third


def test_the_brief_shows_every_year_given_with_previous(cli, tmp_path):
    third = _third_year(tmp_path)
    years = [json.loads(cli("score", p, "-f", "json").stdout)
             for p in (BASELINE, FOLLOWUP, third)]
    line = " → ".join(f"{y['period']}: {y['index']:.2f} ({y['stage']})" for y in years)
    # the order given does not matter: the brief orders the years by date
    for prev in ((FOLLOWUP, BASELINE), (BASELINE, FOLLOWUP)):
        out = tmp_path / "brief.html"
        r = cli("report", third, "--brief", "--previous", prev[0], "--previous", prev[1],
                "-o", out, "--force")
        assert (r.code, r.stdout) == (0, "")
        assert r.stderr == (f"wrote {out}: html brief, index {years[2]['index']:.2f}, "
                            f"{len(years[2]['gaps'])} gap(s)\n")
        html = out.read_text(encoding="utf-8")
        assert f'<p id="series">Index by year (stage in brackets): {line}.</p>' in html
        # the area table's previous column is the year just before, 2025
        assert (f"Trend: the index was {years[1]['index']:.2f} in 2025") in html
    if shutil.which("pdftotext") and importlib.util.find_spec("typst"):
        import subprocess

        out = tmp_path / "brief.pdf"
        r = cli("report", third, "--brief", "--previous", BASELINE, "--previous", FOLLOWUP,
                "-o", out)
        assert (r.code, r.stdout) == (0, "") and "error" not in r.stderr
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
        assert "Pages:           1" in info  # it stays one page
        text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True,
                                       text=True, check=True).stdout.split())
        assert f"Index by year (stage in brackets): {line}." in text


def test_a_brief_of_an_earlier_year_than_a_previous_one_is_refused(cli, tmp_path):
    third = _third_year(tmp_path)
    out = tmp_path / "brief.html"
    r = cli("report", FOLLOWUP, "--brief", "--previous", BASELINE, "--previous", third,
            "-o", out)
    assert (r.code, r.stdout) == (1, "")
    # line 12 of the copy is `date: 2026-11-30`; the value starts in column 7
    assert r.stderr == (
        f"{third}:12:7: error[CD728]: {third} (date 2026-11-30) is later than {FOLLOWUP}: "
        "the brief is of the latest year; make the brief of that file, or leave it out of "
        "--previous\n")
    assert not out.exists()


def test_previous_years_of_another_unit_are_refused_in_the_brief(cli, tmp_path):
    other = tmp_path / "other-unit.yaml"
    other.write_text(BASELINE.read_text(encoding="utf-8").replace(
        "unit: Headquarters, Islamabad", "unit: Embassy Berlin").replace(
        "date: 2023-12-03", "date: 2022-12-03").replace('period: "2023"', 'period: "2022"'),
        encoding="utf-8")
    r = cli("report", FOLLOWUP, "--brief", "--previous", BASELINE, "--previous", other,
            "-o", tmp_path / "b.html")
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr.startswith(f"{other}:") and "error[CD727]: a series is of one unit" in r.stderr
