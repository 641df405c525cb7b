"""`cyberdip report`: formats, stdout, atomic writes, inputs protected, gates."""

from __future__ import annotations

import json
import os
from pathlib import Path

from cyberdip.formats import documents
from cyberdip.report import as_html, as_json, as_markdown
from tests.conftest import DATA, run_cli

MINI = DATA / "assessments" / "mini-answered.yaml"
RUBRIC = DATA / "rubrics" / "mini.yaml"
ROOT = Path(__file__).resolve().parents[2]


def _card(strict: bool = False, min_coverage: float = 80.0):
    from cyberdip.engine.scoring import score

    c = documents.load_assessment(str(MINI))
    return score(c.rubric, c.assessment, strict=strict, min_coverage=min_coverage)


def test_html_from_the_suffix(cli, tmp_path):
    out = tmp_path / "out.html"
    r = cli("report", MINI, "-o", out)
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr == f"wrote {out}: html report, index 55.56, 2 gap(s)\n"
    assert out.read_text(encoding="utf-8") == as_html.to_html(_card())
    assert [p.name for p in tmp_path.iterdir()] == ["out.html"]  # no temp file left


def test_markdown_and_json_from_the_suffix(cli, tmp_path):
    for name, fn in (("r.md", as_markdown.to_markdown), ("r.json", as_json.render)):
        r = cli("report", MINI, "-o", tmp_path / name)
        assert r.code == 0 and r.stdout == "" and r.stderr.startswith(f"wrote {tmp_path / name}")
        assert (tmp_path / name).read_text(encoding="utf-8") == fn(_card())
    assert json.loads((tmp_path / "r.json").read_text())["index"] == 55.56


def test_stdout_defaults_to_markdown_and_takes_any_format(cli):
    r = cli("report", MINI, "-o", "-")
    assert (r.code, r.stdout, r.stderr) == (0, as_markdown.to_markdown(_card()), "")
    r = cli("report", MINI, "-o", "-", "--format", "json")
    assert (r.code, r.stdout, r.stderr) == (0, as_json.render(_card()), "")
    r = cli("report", MINI, "-o", "-", "-f", "html")
    assert (r.code, r.stdout, r.stderr) == (0, as_html.to_html(_card()), "")


def test_format_option_beats_the_suffix(cli, tmp_path):
    out = tmp_path / "report.txt"
    r = cli("report", MINI, "-o", out, "--format", "md")
    assert r.code == 0 and out.read_text(encoding="utf-8") == as_markdown.to_markdown(_card())


def test_unknown_suffix_is_a_usage_error(cli, tmp_path):
    r = cli("report", MINI, "-o", tmp_path / "report.txt")
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == (f"{tmp_path / 'report.txt'}: error[CD404]: `.txt`: `cyberdip report` "
                        "writes .html, .md, .pdf, .json, .docx; name the file accordingly, "
                        "or pass --format html|md|pdf|json|docx\n")
    assert not (tmp_path / "report.txt").exists()


def test_an_existing_file_is_replaced_only_with_force(cli, tmp_path):
    out = tmp_path / "out.md"
    out.write_text("old", encoding="utf-8")
    r = cli("report", MINI, "-o", out)
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == f"{out}: error[CD401]: already exists; use --force to overwrite it\n"
    assert out.read_text(encoding="utf-8") == "old"
    r = cli("report", MINI, "-o", out, "--force")
    assert (r.code, r.stdout) == (0, "")
    assert out.read_text(encoding="utf-8") == as_markdown.to_markdown(_card())


def test_the_rubric_an_assessment_names_is_an_input_too(cli, tmp_path):
    # `rubric: rubric.md` in the assessment: the report must not replace it, even
    # with --force, and whichever way the path is spelled
    rubric = tmp_path / "rubric.md"
    rubric.write_bytes(RUBRIC.read_bytes())
    a = tmp_path / "a.yaml"
    a.write_text(MINI.read_text(encoding="utf-8").replace("../rubrics/mini.yaml", "rubric.md"),
                 encoding="utf-8")
    (tmp_path / "sub").mkdir()
    for spelling in (rubric, tmp_path / "sub" / ".." / "rubric.md"):
        r = cli("report", a, "-o", spelling, "--force")
        assert (r.code, r.stdout) == (2, "")
        assert r.stderr == (f"{spelling}: error[CD401]: this is an input file; choose "
                            "another output name\n")
        assert rubric.read_bytes() == RUBRIC.read_bytes()
    link = tmp_path / "link.md"
    link.symlink_to(rubric)
    hard = tmp_path / "hard.md"  # same device and inode, as through a bind mount
    os.link(rubric, hard)
    for other in (link, hard):
        r = cli("report", a, "-o", other, "--force")
        assert (r.code, r.stdout) == (2, "") and "this is an input file" in r.stderr
        assert rubric.read_bytes() == RUBRIC.read_bytes()


def test_never_writes_over_its_inputs(cli, tmp_path):
    before = MINI.read_bytes()
    r = cli("report", MINI, "-o", MINI, "--format", "md")
    assert (r.code, r.stdout) == (2, "")
    assert "input file" in r.stderr or ".yaml file" in r.stderr
    copy = tmp_path / "rubric.md"
    copy.write_bytes(RUBRIC.read_bytes())
    r = cli("report", MINI, "--rubric", copy, "-o", copy)
    assert (r.code, r.stdout) == (2, "") and "this is an input file" in r.stderr
    assert copy.read_bytes() == RUBRIC.read_bytes()
    r = cli("report", MINI, "-o", tmp_path / "rubric.yaml", "-f", "md")
    assert r.code == 2 and "never written to a .yaml file" in r.stderr
    assert MINI.read_bytes() == before


def test_missing_folder_and_missing_input(cli, tmp_path):
    r = cli("report", MINI, "-o", tmp_path / "nope" / "x.html")
    assert (r.code, r.stdout) == (2, "")
    assert "does not exist; create it first" in r.stderr
    r = cli("report", tmp_path / "absent.yaml", "-o", tmp_path / "x.html")
    assert r.code == 2 and r.stdout == "" and "absent.yaml" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "x.html").exists()


def test_invalid_assessment_exits_1_and_writes_nothing(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"rubric: {RUBRIC}\norganisation: {{name: X}}\nanswers:\n"
                   "  policy.strategy: {level: 9}\n", encoding="utf-8")
    r = cli("report", bad, "-o", tmp_path / "x.html")
    assert (r.code, r.stdout) == (1, "")
    assert f"{bad}:4:" in r.stderr and "error[" in r.stderr
    assert not (tmp_path / "x.html").exists()


def test_strict_and_min_coverage(cli, tmp_path):
    out = tmp_path / "s.md"
    r = cli("report", MINI, "-o", out, "--strict", "--min-coverage", "100")
    assert r.code == 0
    assert out.read_text(encoding="utf-8") == as_markdown.to_markdown(_card(True, 100.0))
    assert "scored with --strict" in out.read_text(encoding="utf-8")


def test_min_coverage_gate_fails_after_writing(cli, tmp_path):
    partial = tmp_path / "partial.yaml"
    partial.write_text(f"rubric: {RUBRIC}\norganisation: {{name: X}}\nanswers:\n"
                       "  policy.strategy: {level: 2}\n", encoding="utf-8")
    out = tmp_path / "p.html"
    r = cli("report", partial, "-o", out, "--min-coverage", "90")
    assert (r.code, r.stdout) == (1, "")
    assert "(provisional: coverage below the minimum)" in r.stderr
    assert "gate failed: coverage is" in r.stderr
    assert "<strong>Provisional</strong>" in out.read_text(encoding="utf-8")


def test_in_a_subprocess_from_a_fresh_working_directory(tmp_path):
    r = run_cli("report", MINI, "-o", "out.html", cwd=tmp_path)
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr == "wrote out.html: html report, index 55.56, 2 gap(s)\n"
    assert (tmp_path / "out.html").read_text(encoding="utf-8") == as_html.to_html(_card())


def test_the_real_example_reports(tmp_path):
    src = ROOT / "examples" / "pakistan-mofa-2023.yaml"
    if not src.exists():
        import pytest

        pytest.skip("examples/pakistan-mofa-2023.yaml is not there yet")
    r = run_cli("report", src, "-o", tmp_path / "out.html")
    assert r.code == 0 and r.stdout == ""
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert html == (ROOT / "reports" / "pakistan-mofa-2023.html").read_text(encoding="utf-8")
    for area in ("strategy", "capacity", "outreach", "cyber-diplomacy", "security",
                 "incident-response", "national-context"):
        assert f'id="area-{area}"' in html


def test_a_framework_view_says_which_part_of_an_item_rests_on_the_national_context(cli,
                                                                                   tmp_path):
    """Issue 20: "ITU GCI legal" on the baseline rests on national-context criteria
    alone; every view names, per item, how many of the criteria scored are context."""
    base = ROOT / "examples" / "pakistan-mofa-2023.yaml"
    card = json.loads(cli("score", base, "-f", "json").stdout)
    context = {c["id"] for c in card["criteria"]
               if c["area"] in {a["id"] for a in card["areas"] if a["context"]}}
    expected = []
    for r in card["rollups"]:
        for i in r["items"]:
            scored = [c for c in i["criteria"] if c["score"] is not None]
            n = sum(1 for c in scored if c["id"] in context)
            if n:
                expected.append((i["item"], n, len(scored)))
    assert expected  # the baseline's GCI legal pillar is all national context
    md = tmp_path / "b.md"
    assert cli("report", base, "-o", md).code == 0
    text = md.read_text(encoding="utf-8")
    for item, n, of in expected:
        assert f"national context: {n} of the {of} criteria scored" in text, item
    shown = cli("score", base).stdout
    assert " ".join(shown.split()).count("national context:") == len(expected)
