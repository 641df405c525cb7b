"""`cyberdip init`: a blank assessment that validates and scores as nothing assessed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parents[1] / "data"


def test_blank_assessment_lists_every_criterion_and_validates(tmp_path, cli):
    out = tmp_path / "blank.yaml"
    r = cli("init", "cyberdip-core", "-o", out)
    assert r.code == 0 and r.stdout == ""
    # cyberdip-core 2.1: 59 criteria, 54 of them asked of headquarters (the first profile)
    assert r.stderr == (f"wrote {out}: 54 criteria to answer. Next: fill it in, then "
                        f"`cyberdip score {out}`\n")
    text = out.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["rubric"] == "cyberdip-core"
    assert len(data["answers"]) == 54
    # the question and the indicators are there as comments
    assert "# Does the ministry have a digital-diplomacy strategy?" in text
    assert "      # level 1 (Start-up): The ministry runs at least one digital-diplomacy" in text
    v = cli("validate", out)
    assert (v.code, v.stdout, v.stderr) == (0, "", "1 file checked: all valid\n")


def test_blank_assessment_scores_as_nothing_assessed(tmp_path, cli):
    out = tmp_path / "blank.yaml"
    cli("init", "cyberdip-core", "-o", out)
    r = cli("score", out, "--format", "json")
    assert r.code == 0 and r.stderr == ""
    card = json.loads(r.stdout)
    assert card["index"] is None
    # 2.1 takes format 2's rule for blanks: every criterion that sets the stage is blank,
    # so each counts at the lowest level, and the stage is the lowest (Absent)
    assert card["unanswered"] == "lowest" and card["stage"] == card["scale"][0]["level"]
    setting = card["stage_setting"]
    assert setting["criteria"] > 0 and setting["not_assessed"] == setting["criteria"]
    # 54 asked, less the 8 of the national context, which coverage leaves out
    assert card["counts"]["not_assessed"] == 46 and card["provisional"] is True


def test_init_refuses_to_overwrite_without_force(tmp_path, cli):
    out = tmp_path / "a.yaml"
    out.write_text("precious: true\n")
    r = cli("init", "cyberdip-core", "-o", out)
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == f"{out}: error[CD401]: already exists; use --force to overwrite it\n"
    assert out.read_text() == "precious: true\n"
    assert cli("init", "cyberdip-core", "-o", out, "--force").code == 0
    assert "answers:" in out.read_text()


def test_init_from_a_rubric_file_refers_to_it_relatively(tmp_path, cli):
    out = tmp_path / "sub" / "a.yaml"
    out.parent.mkdir()
    rubric = DATA / "rubrics" / "mini.yaml"
    assert cli("init", rubric, "-o", out).code == 0
    ref = yaml.safe_load(out.read_text())["rubric"]
    assert (out.parent / ref).resolve() == rubric.resolve()
    assert cli("validate", out).code == 0


def test_init_with_unknown_rubric(tmp_path, cli):
    r = cli("init", "nope", "-o", tmp_path / "x.yaml")
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr == ("error[CD306]: rubric `nope` not found: it is neither a built-in "
                        "rubric (cyberdip-core, cyberdip-core@1, cyberdip-core@2.0) nor a file\n")
    assert not (tmp_path / "x.yaml").exists()


def test_init_into_a_missing_folder_is_a_clear_error(tmp_path, cli):
    target = tmp_path / "missing" / "a.yaml"
    r = cli("init", "cyberdip-core", "-o", target)
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == f"{target}: error[CD402]: cannot write here: the folder does not exist\n"


def test_init_for_a_profile_lists_its_questions_only(cli, tmp_path):
    rubric = tmp_path / "format2.yaml"
    rubric.write_bytes((DATA / "rubrics" / "format2.yaml").read_bytes())
    out = tmp_path / "berlin.yaml"
    r = cli("init", rubric, "-o", out, "--profile", "mission")
    assert (r.code, r.stdout) == (0, "")
    assert r.stderr == (f"wrote {out}: 4 criteria to answer. Next: fill it in, then "
                        f"`cyberdip score {out}`\n")
    text = out.read_text(encoding="utf-8")
    assert 'profile: "mission"' in text and "policy.law" not in text


def test_init_with_an_unknown_profile_is_a_usage_error(cli, tmp_path):
    rubric = tmp_path / "format2.yaml"
    rubric.write_bytes((DATA / "rubrics" / "format2.yaml").read_bytes())
    r = cli("init", rubric, "-o", tmp_path / "x.yaml", "--profile", "embassy")
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr == "error: --profile embassy: the rubric's profiles are headquarters, mission\n"
    assert not (tmp_path / "x.yaml").exists()


# -- how many rows, level mode ---------------------------------------------------------


def _sheet_ids(path: Path) -> list[str]:
    """The ids of a sheet's question rows, as `init` wrote them."""
    if path.suffix == ".xlsx":
        import openpyxl

        return [r[0].value for r in openpyxl.load_workbook(path)["Answers"].iter_rows(min_row=2)]
    import csv

    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    head = next(k for k, r in enumerate(rows) if r and r[0] in ("id", "شناخت"))
    return [r[0] for r in rows[head + 1:] if r]


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
@pytest.mark.parametrize("mode", ["indicators", "levels"])
def test_init_says_how_many_rows_there_are_to_fill(tmp_path, cli, ext, mode):
    out = tmp_path / f"blank.{ext}"
    r = cli("init", "cyberdip-core", "--mode", mode, "-o", out)
    assert (r.code, r.stdout) == (0, "")
    ids = _sheet_ids(out)
    criteria = {i.split(":")[0] for i in ids}
    # the figures are the file's: criteria asked, and the rows holding them
    said = (f"{len(criteria)} criteria, {len(ids)} rows to answer (indicators)"
            if mode == "indicators" else f"{len(criteria)} criteria to answer, one row each "
            "(levels)")
    assert r.stderr.startswith(f"wrote {out}: {said}. Next: ")
    if mode == "indicators":
        assert len(ids) > len(criteria)
    else:
        assert len(ids) == len(criteria) and all(":" not in i for i in ids)


def test_a_level_mode_yaml_asks_a_level_of_a_criterion_with_indicators(tmp_path, cli):
    out = tmp_path / "blank.yaml"
    r = cli("init", "cyberdip-core", "--mode", "levels", "-o", out)
    assert (r.code, r.stdout) == (0, "")
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["answers"]["strategy.digital-diplomacy-strategy"] == {"level": None,
                                                                      "evidence": []}
    v = cli("validate", out)
    assert (v.code, v.stdout, v.stderr) == (0, "", "1 file checked: all valid\n")


@pytest.mark.parametrize("args", [("--mode", "rows"), ("--lang", "fr")])
def test_an_unknown_mode_or_language_is_a_usage_error(tmp_path, cli, args):
    out = tmp_path / "blank.xlsx"
    r = cli("init", "cyberdip-core", *args, "-o", out)
    what = "choose one of indicators, levels" if args[0] == "--mode" else \
        "a questionnaire is written in one of en, ur"
    assert (r.code, r.stdout, r.stderr) == (2, "", f"error: {args[0]} {args[1]}: {what}\n")
    assert not out.exists()


def test_carried_answers_show_in_the_urdu_level_mode_workbook_and_import_back(tmp_path, cli):
    """Last year's answers, one given indicator by indicator, carried into an Urdu
    workbook in level mode: shown as the Urdu drop-downs offer them, read back as the
    same levels (the indicators as the level they reach), each still to re-confirm."""
    import openpyxl

    last = tmp_path / "last.yaml"
    last.write_text(yaml.safe_dump({
        "rubric": "cyberdip-core", "rubric_version": "2.1.0", "organisation": {"name": "M"},
        "period": "2025", "answers": {
            "strategy.digital-diplomacy-strategy": {"level": 2, "target": 4},
            "strategy.coordination": {"indicators": {"joint-initiative": True}}}}),
        encoding="utf-8")
    book = tmp_path / "c.xlsx"
    r = cli("init", "cyberdip-core", "--lang", "ur", "--mode", "levels", "--from", last,
            "-o", book)
    assert r.code == 0, r.stderr
    ws = openpyxl.load_workbook(book)["Answers"]
    heads = [c.value for c in ws[1]]
    cells = {row[0].value: dict(zip(heads, (c.value for c in row), strict=True))
             for row in ws.iter_rows(min_row=2)}
    strategy = cells["strategy.digital-diplomacy-strategy"]
    assert (strategy["جواب"], strategy["ہدف"]) == ("2 – تشکیلی", "4 – حکمتِ عملی پر مبنی")
    assert cells["strategy.coordination"]["جواب"] == "1 – ابتدائی"
    back = tmp_path / "c.yaml"
    r = cli("import", book, "-o", back)
    assert r.code == 0, r.stderr
    answers = yaml.safe_load(back.read_text(encoding="utf-8"))["answers"]
    carried = {"source": "last.yaml", "period": "2025"}
    assert answers == {
        "strategy.digital-diplomacy-strategy": {"level": 2, "target": 4, "carried": carried},
        "strategy.coordination": {"level": 1, "carried": carried}}
