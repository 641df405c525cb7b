"""Every command, on every rubric and assessment that ships, in every output format.

What the fuzz suite might find by chance in shipped files is found here every time: a
deterministic matrix (issue 19, "the shipped-files matrix"), one row per command:

- ``validate``, ``score`` (every ``--format``) and ``report`` (every format it writes,
  brief and Urdu included; Word where its extra is installed) on every shipped
  assessment;
- ``init`` (every form) on every shipped rubric and profile, and again in level mode
  (``--mode levels``), in Urdu (``--lang ur``) and in both;
- ``import`` on a sheet and a workbook made by ``init`` from each shipped rubric;
- ``compare`` on each pair of shipped assessments of one unit, in every format;
- ``trend`` on all the shipped assessments of each unit that has two or more, in every
  format (the years of one unit side by side);
- ``aggregate`` on ``examples/missions/``, in every format;
- ``merge`` on two copies of a shipped assessment with different respondents;
- ``sensitivity`` on every shipped assessment, and on ``examples/missions/``, in every
  format;
- ``signoff`` (record and check) and ``history`` on a copy of every shipped assessment;
- ``export`` (both OSCAL versions) on every shipped rubric and assessment, and
  ``import-oscal`` on each rubric's catalog (schema validation: test_cli_export.py).
- ``status``: every shipped assessment carried forward (``init --from``) into two
  sections, a workbook and a sheet, imported back, merged, and the cycle's status.

``assess`` is covered by its pexpect tests (tests/acceptance/test_cli_assess.py). The
last test fails when a command is added without a row here.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from itertools import combinations
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
#: an example's own rubric is `rubric.yaml`, or `rubric-EDITION.yaml` beside it
RUBRIC_NAME = re.compile(r"rubric(-[\w.-]+)?\.yaml")
#: a pack's manifest (docs/packs.md) is neither
ASSESSMENTS = sorted(p for p in EXAMPLES.rglob("*.yaml")
                     if not RUBRIC_NAME.fullmatch(p.name) and p.name != "pack.yaml")
BUILTIN_RUBRICS = sorted(p.stem for p in (ROOT / "rubrics").glob("*.yaml")
                         if not p.stem.endswith(".ur") and p.name != "pack.yaml")
RUBRIC_FILES = sorted(p for p in EXAMPLES.rglob("rubric*.yaml") if RUBRIC_NAME.fullmatch(p.name))
RUBRICS = [*BUILTIN_RUBRICS, *(str(p) for p in RUBRIC_FILES)]

#: Commands a row below covers; ``assess`` has its own pexpect tests, and ``rubrics``
#: and ``schema`` take no shipped file (their own tests run them).
COVERED = {"validate", "score", "report", "init", "import", "compare", "trend", "aggregate",
           "merge", "assess", "rubrics", "schema", "signoff", "history", "sensitivity",
           "export", "import-oscal", "status", "plan"}


def _id(path: Path | str) -> str:
    p = Path(path)
    return str(p.relative_to(ROOT)) if p.is_absolute() else str(path)


def _formats(command: str) -> list[str]:
    from cyberdip.report.registry import formats_for

    return formats_for(command)


def _ext(fmt: str) -> str:
    from cyberdip.report.registry import FORMATS

    return FORMATS[fmt].extensions[0]


def _profiles(rubric: str) -> list[str | None]:
    from cyberdip.formats import documents

    r = documents.get_rubric(rubric)
    return [p.id for p in r.profiles] or [None]


def _unit(path: Path) -> tuple[str, str, str]:
    from cyberdip import yamlio

    data = yamlio.load(str(path)).data
    org = data.get("organisation") or {}
    rubric = str(data.get("rubric"))
    if rubric.endswith((".yaml", ".yml")):  # an edition's own file: the rubric is its id
        rubric = str(yamlio.load(str(path.parent / rubric)).data.get("id"))
    return (rubric, str(org.get("name")), str(org.get("unit")))


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ARG002
        self.tags.append(tag)


def well_formed(fmt: str, data: bytes) -> None:
    """The output is what its format says it is, and not empty."""
    assert data, f"empty {fmt} output"
    if fmt == "json":
        json.loads(data, parse_constant=lambda c: pytest.fail(f"non-finite number {c}"))
    elif fmt == "html":
        text = data.decode("utf-8")
        parser = _Html()
        parser.feed(text)
        assert parser.tags[:1] == ["html"] and "body" in parser.tags
        assert text.rstrip().endswith("</html>")
    elif fmt == "pdf":
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    elif fmt == "docx":
        import docx

        doc = docx.Document(io.BytesIO(data))
        assert [p for p in doc.paragraphs if p.style.name == "Heading 1"] and doc.tables
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), strict=True))
        assert len(rows) > 1 and not any(c[:1] in ("=", "+", "@") for r in rows for c in r)
    elif fmt == "xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data))
        assert "Answers" in wb.sheetnames
    elif fmt == "yaml":
        from cyberdip import yamlio

        assert isinstance(yamlio.parse(data, "out.yaml").data, dict)
    else:  # text, Markdown
        assert data.decode("utf-8").strip()


def _ok(r, what: str) -> None:
    assert r.code == 0, f"{what}: exit {r.code}\n{r.stderr}"
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr


# -- every shipped assessment ---------------------------------------------------------


@pytest.mark.parametrize("path", ASSESSMENTS, ids=_id)
def test_validate_and_score_every_assessment(cli, path):
    r = cli("validate", path)
    _ok(r, "validate")
    assert (r.stdout, r.stderr) == ("", "1 file checked: all valid\n")  # no warning
    for fmt in _formats("score"):
        r = cli("score", path, "--format", fmt)
        _ok(r, f"score --format {fmt}")
        well_formed(fmt, r.stdout.encode("utf-8"))


def _report_variants(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    variants = [(fmt, ()) for fmt in _formats("report")]
    variants += [("html", ("--brief",)), ("pdf", ("--brief",)), ("docx", ("--brief",))]
    if _unit(path)[0].startswith("cyberdip-core"):  # the rubric with a translation
        variants += [("html", ("--lang", "ur")), ("pdf", ("--lang", "ur")),
                     ("pdf", ("--brief", "--lang", "ur")), ("docx", ("--lang", "ur")),
                     ("docx", ("--brief", "--lang", "ur"))]
    # Word is an extra: its rows run where python-docx is installed (the test extra has it)
    import importlib.util

    if importlib.util.find_spec("docx") is None:
        variants = [v for v in variants if v[0] != "docx"]
    return variants


@pytest.mark.parametrize("path", ASSESSMENTS, ids=_id)
def test_report_every_assessment_in_every_format(cli, path, tmp_path):
    for fmt, extra in _report_variants(path):
        out = tmp_path / f"{'-'.join(a.strip('-') for a in extra) or 'full'}{_ext(fmt)}"
        r = cli("report", path, "-o", out, *extra)
        _ok(r, f"report -o .{fmt} {' '.join(extra)}")
        assert r.stdout == "" and r.stderr.startswith(f"wrote {out}: ")
        well_formed(fmt, out.read_bytes())


# -- every shipped rubric and profile -------------------------------------------------


@pytest.mark.parametrize("rubric", RUBRICS, ids=_id)
def test_init_every_form_and_import_it_back(cli, rubric, tmp_path):
    _init_every_form_and_import_it_back(cli, rubric, tmp_path, ())


@pytest.mark.parametrize("rubric", RUBRICS, ids=_id)
@pytest.mark.parametrize("variant", [("--mode", "levels"), ("--lang", "ur"),
                                     ("--mode", "levels", "--lang", "ur")], ids=" ".join)
def test_init_in_level_mode_and_in_urdu_every_form_and_import_it_back(cli, rubric, variant,
                                                                       tmp_path):
    _init_every_form_and_import_it_back(cli, rubric, tmp_path, variant)


def _init_every_form_and_import_it_back(cli, rubric, tmp_path, variant: tuple[str, ...]):
    """Every form `init` writes, for each profile, with ``variant``'s options: written
    cleanly and well formed; a blank sheet imports and scores."""
    for profile in _profiles(rubric):
        extra = (*variant, *(("--profile", profile) if profile else ()))
        said = f" {' '.join(extra)}" if variant else ""
        for fmt in _formats("init"):
            out = tmp_path / f"{profile or 'blank'}{_ext(fmt)}"
            r = cli("init", rubric, "-o", out, *extra)
            _ok(r, f"init -o .{fmt} {' '.join(extra)}")
            assert r.stdout == ""
            well_formed(fmt, out.read_bytes())
            if fmt in ("csv", "xlsx"):
                back = tmp_path / f"{profile or 'blank'}-{fmt}.yaml"
                r = cli("import", out, "-o", back, "--organisation", "A ministry")
                _ok(r, f"import a blank .{fmt}{said}")
                r = cli("score", back)
                _ok(r, f"score an imported blank .{fmt}{said}")


# -- pairs, portfolios and merges -----------------------------------------------------


def _pairs() -> list[tuple[Path, Path]]:
    by_unit: dict[tuple[str, str, str], list[Path]] = {}
    for p in ASSESSMENTS:
        by_unit.setdefault(_unit(p), []).append(p)
    return [pair for paths in by_unit.values() for pair in combinations(paths, 2)]


def test_the_matrix_has_pairs_to_compare():
    assert len(_pairs()) >= 2  # the MoFA baseline and follow-up; GCI 2020 and 2024


@pytest.mark.parametrize("pair", _pairs(), ids=lambda p: f"{p[0].stem}-vs-{p[1].stem}")
def test_compare_each_pair_of_one_unit(cli, pair, tmp_path):
    for fmt in _formats("compare"):
        out = tmp_path / f"compare{_ext(fmt)}"
        r = cli("compare", *pair, "-o", out)
        _ok(r, f"compare -o .{fmt}")
        well_formed(fmt, out.read_bytes())


def _units() -> list[list[Path]]:
    by_unit: dict[tuple[str, str, str], list[Path]] = {}
    for p in ASSESSMENTS:
        by_unit.setdefault(_unit(p), []).append(p)
    return [paths for paths in by_unit.values() if len(paths) >= 2]


@pytest.mark.parametrize("paths", _units(), ids=lambda ps: "+".join(p.stem for p in ps))
def test_trend_of_each_unit_in_every_format(cli, paths, tmp_path):
    for fmt in _formats("trend"):
        out = tmp_path / f"trend{_ext(fmt)}"
        r = cli("trend", *reversed(paths), "-o", out)
        _ok(r, f"trend -o .{fmt}")
        well_formed(fmt, out.read_bytes())


def test_aggregate_the_missions_in_every_format(cli, tmp_path):
    for fmt in _formats("aggregate"):
        out = tmp_path / f"missions{_ext(fmt)}"
        r = cli("aggregate", EXAMPLES / "missions", "-o", out)
        _ok(r, f"aggregate -o .{fmt}")
        well_formed(fmt, out.read_bytes())


@pytest.mark.parametrize("path", [*ASSESSMENTS, EXAMPLES / "missions"], ids=_id)
def test_sensitivity_of_every_assessment_and_the_missions_in_every_format(cli, path, tmp_path):
    for fmt in _formats("sensitivity"):
        out = tmp_path / f"sensitivity{_ext(fmt)}"
        r = cli("sensitivity", path, "--draws", "50", "-o", out)
        _ok(r, f"sensitivity -o .{fmt}")
        well_formed(fmt, out.read_bytes())


@pytest.mark.parametrize("path", ASSESSMENTS, ids=_id)
def test_merge_two_respondents_of_each_assessment(cli, path, tmp_path):
    text = path.read_text(encoding="utf-8")
    for own in path.parent.glob("rubric*.yaml"):  # the copies name it as a relative path
        if RUBRIC_NAME.fullmatch(own.name):
            (tmp_path / own.name).write_bytes(own.read_bytes())
    copies = []
    for who in ("Respondent A", "Respondent B"):
        copy = tmp_path / f"{who[-1]}.yaml"
        copy.write_text(_with_assessor(text, who), encoding="utf-8")
        copies.append(copy)
    out = tmp_path / "merged.yaml"
    r = cli("merge", *copies, "-o", out)
    _ok(r, "merge")
    well_formed("yaml", out.read_bytes())
    r = cli("score", out, "--format", "json")
    _ok(r, "score the merge")
    merged = json.loads(r.stdout)
    alone = json.loads(cli("score", path, "--format", "json").stdout)
    assert merged["index"] == alone["index"]  # two identical answer sets: the same result


@pytest.mark.parametrize("path", ASSESSMENTS, ids=_id)
def test_signoff_and_history_of_each_assessment(cli, path, tmp_path):
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    for own in path.parent.glob("rubric*.yaml"):  # the copy names it as a relative path
        if RUBRIC_NAME.fullmatch(own.name):
            (tmp_path / own.name).write_bytes(own.read_bytes())
    r = cli("signoff", copy, "--by", "A. Director", "--role", "Director", "--date",
            "2026-12-01")
    _ok(r, "signoff")
    r = cli("signoff", copy, "--check")
    _ok(r, "signoff --check")
    assert r.stdout == "Signed off by A. Director (Director) on 2026-12-01\n"
    r = cli("history", copy, "--json")
    _ok(r, "history")
    assert json.loads(r.stdout)["command"] == "signoff"


@pytest.mark.parametrize("path", ASSESSMENTS, ids=_id)
def test_the_action_plan_of_each_assessment_as_csv_and_workbook(cli, path, tmp_path):
    import csv
    import io

    import openpyxl

    card = json.loads(cli("score", path, "--format", "json").stdout)
    r = cli("plan", path, "-o", tmp_path / "plan.csv")
    _ok(r, "plan -o plan.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "plan.csv").read_text("utf-8-sig"))))
    assert [x["criterion"] for x in rows] == [i["id"] for i in card["plan"]]
    r = cli("plan", path, "-o", tmp_path / "plan.xlsx", "--as-of", "2030-01-01")
    _ok(r, "plan -o plan.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "plan.xlsx")["Plan"]
    assert ws.max_row == len(card["plan"]) + 1


@pytest.mark.parametrize("path", ASSESSMENTS, ids=_id)
def test_export_each_assessment_as_oscal(cli, path, tmp_path):
    for version in ("1.1.2", "1.2.1"):
        out = tmp_path / f"results-{version}.json"
        r = cli("export", path, "-o", out, "--oscal-version", version, "--findings")
        _ok(r, f"export --oscal-version {version}")
        well_formed("json", out.read_bytes())


@pytest.mark.parametrize("rubric", RUBRICS, ids=_id)
def test_export_each_rubric_as_oscal_and_import_it_back(cli, rubric, tmp_path):
    for version in ("1.1.2", "1.2.1"):
        out = tmp_path / f"catalog-{version}.json"
        r = cli("export", rubric, "-o", out, "--oscal-version", version)
        _ok(r, f"export --oscal-version {version}")
        well_formed("json", out.read_bytes())
        back = tmp_path / f"back-{version}.yaml"
        r = cli("import-oscal", out, "-o", back)
        _ok(r, "import-oscal")
        well_formed("yaml", back.read_bytes())
        _ok(cli("validate", back), "validate the imported rubric")


@pytest.mark.parametrize("path", ASSESSMENTS, ids=_id)
def test_each_assessment_carried_into_sections_merged_and_its_status(cli, path, tmp_path):
    from cyberdip.formats import documents

    copy = tmp_path / "last-year.yaml"
    copy.write_bytes(path.read_bytes())
    for own in path.parent.glob("rubric*.yaml"):  # the copy names it as a relative path
        if RUBRIC_NAME.fullmatch(own.name):
            (tmp_path / own.name).write_bytes(own.read_bytes())
    checked = documents.load_assessment(str(copy))
    rubric, a = checked.rubric, checked.assessment
    profile = a.profile or rubric.default_profile()
    extra = ("--profile", profile) if profile else ()
    areas = [x.id for x in rubric.areas if any(c.applies(profile) for c in x.all_criteria())]
    halves = [areas[:1], areas[1:]] if len(areas) > 1 else [areas]
    back = []
    for i, (half, ext) in enumerate(zip(halves, (".xlsx", ".csv"), strict=False)):
        sent = tmp_path / f"section{i}{ext}"
        r = cli("init", checked.rubric_path, "--areas", ",".join(half), "--respondent",
                f"Directorate {i}", "--from", copy, "-o", sent, *extra)
        _ok(r, f"init a section {ext} --from")
        back.append(tmp_path / f"back{i}.yaml")
        r = cli("import", sent, "-o", back[-1], "--organisation", "A ministry")
        _ok(r, f"import a carried section {ext}")
    r = cli("status", tmp_path / "cycle.yaml", "--json")
    _ok(r, "status")
    sections = json.loads(r.stdout)["sections"]
    assert [s["respondent"] for s in sections] == [f"Directorate {i}" for i in
                                                   range(len(halves))]
    if len(back) > 1:
        out = tmp_path / "merged.yaml"
        r = cli("merge", *back, "-o", out)
        _ok(r, "merge sections")
        merged = json.loads(cli("score", out, "--format", "json").stdout)
        alone = json.loads(cli("score", copy, "--format", "json").stdout)
        answered = [c["id"] for c in alone["criteria"] if c["status"] != "not-assessed"]
        assert merged["carried"]["ids"] == answered  # all carried, none confirmed yet


def _with_assessor(text: str, who: str) -> str:
    """The assessment's text with ``assessors: [who]`` in place of its own (a person
    names the respondent as the file's assessor)."""
    lines = text.splitlines(keepends=True)
    kept, skipping = [], False
    for line in lines:
        if line.startswith("assessors:"):
            skipping = True
            continue
        if skipping and (line.startswith(" ") or line.startswith("-")):
            continue
        skipping = False
        kept.append(line)
    at = next(i for i, line in enumerate(kept) if line.startswith("answers:"))
    kept.insert(at, f"assessors: [{who}]\n")
    return "".join(kept)


def test_every_command_has_a_row_in_the_matrix():
    import typer

    from tests.conftest import cli_app

    commands = {c.name for c in typer.main.get_command(cli_app()).commands.values()}
    assert commands - COVERED == set(), "add the new command to the shipped-files matrix"
