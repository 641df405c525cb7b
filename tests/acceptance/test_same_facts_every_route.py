"""The same facts, given by any route, give the same scorecard.

Random answers to format-2 rubrics (cyberdip-core 2.0, and the worked example with
indicators, a metric, a choice, a boolean and a context area) are written five ways:
as YAML; in a workbook made by `init` and filled cell by cell with openpyxl, then
`import`ed; in a CSV sheet made by `init --format csv`, filled and `import`ed; through
`assess`, its asker driven prompt by prompt (one real session in a pseudo-terminal is
in test_cli_assess.py); and through `merge` of two identical respondents. Every
scorecard is equal on every field except merge provenance (`merge`, and the
respondents `merge` records as `assessors`) and `date`. The questionnaire's level mode
(`init --mode levels`) and its Urdu sheets (`init --lang ur`, answers picked from the
Urdu drop-downs) give the scorecard the same answers give in YAML.

The facts are what every route asks: each criterion's answer (indicator by indicator,
a level, yes or no, a number, a choice, or n/a with a reason), its evidence and each
met indicator's, and its target; the action plan of a criterion below its target
(action, owner, due, status); the organisation and the period. An item of evidence
may be dated (its date, valid until, hash and reference: YAML mappings, the sheets'
bracket syntax, and in `assess` either the brackets or `date: ...` lines after the
item), and the scorecards are taken as of one reference date, against a rubric whose
evidence goes stale (worked-example-2-dated), so stale and expired flags must agree too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cyberdip.engine.scoring import score
from cyberdip.formats import documents
from cyberdip.formats import questionnaire as q
from cyberdip.model.rubric import BooleanCriterion, ChoiceCriterion, MetricCriterion
from cyberdip.yamlio import dump
from tests.conftest import DATA, ROOT, fill_workbook

RUBRICS = {"cyberdip-core": ROOT / "rubrics" / "cyberdip-core.yaml",
           "worked-example-2": DATA / "rubrics" / "format2.yaml",
           "worked-example-2-dated": DATA / "rubrics" / "format2-dated.yaml"}
#: the reference date every scorecard is taken on (`score(..., as_of=AS_OF)`)
AS_OF = dt.date(2025, 6, 30)
WORDS = st.text("abcdefghijklmnopqrstuvwxyzéب0123456789", min_size=1, max_size=8)


@cache
def rubric_of(name: str):
    return documents.rubric_at(RUBRICS[name])


def cli(*args: object) -> tuple[int, str, str]:
    from cyberdip.cli.app import app

    try:  # click < 8.2 mixes stderr into stdout unless told not to
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    r = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


# -- the facts ------------------------------------------------------------------------------


@dataclass
class Fact:
    """One criterion's answer, as a person knows it, before any route writes it."""

    na: str | None = None  # the reason, when it does not apply
    key: str | None = None  # level, met, value or answer
    value: Any = None
    typed: str | None = None  # the value as a person types it
    #: indicator id -> (met, its evidence); an indicator left out is not answered
    indicators: dict[str, tuple[bool, list[Any]]] = field(default_factory=dict)
    #: text, or a dated item: {text, date, valid_until, sha256, ref} (some of them)
    evidence: list[Any] = field(default_factory=list)
    target: int | None = None
    #: the action plan (action, owner, due, status), for a criterion below its target
    plan: dict[str, str] = field(default_factory=dict)


DAYS = st.dates(dt.date(2020, 1, 1), dt.date(2025, 6, 30))


@st.composite
def phrases(draw, n: int = 2) -> list[Any]:
    """Evidence items: a few words, never a bare answer, a list separator or a line;
    some dated, with a reference or a hash."""
    out: list[Any] = []
    for _ in range(draw(st.integers(0, n))):
        text = f"Doc {' '.join(draw(st.lists(WORDS, min_size=1, max_size=3)))}"
        if draw(st.booleans()):
            out.append(text)
            continue
        item: dict[str, Any] = {"text": text}
        if draw(st.booleans()):
            item["date"] = draw(DAYS)
        if draw(st.booleans()):
            start = item.get("date", dt.date(2020, 1, 1))
            item["valid_until"] = draw(st.dates(start, dt.date(2025, 6, 30)))
        if draw(st.booleans()):
            item["ref"] = f"Registry {draw(WORDS)}"
        if draw(st.integers(0, 3)) == 0:
            item["sha256"] = draw(st.sampled_from(["0" * 64, "9f86d081" * 8]))
        out.append(item)
    return out


def cell(items: list[Any]) -> str:
    """Evidence in one sheet cell, as a person writes it: ` | ` between items, the
    details of a dated item in brackets after it."""
    return " | ".join(q.evidence_cell_item(e) for e in items)


def typed_evidence(items: list[Any]) -> list[str]:
    """Evidence as typed in `assess`: a dated item on one line with its brackets, or its
    text and then a line for each detail (`date: 2023-05-01`)."""
    out: list[str] = []
    for k, e in enumerate(items):
        if isinstance(e, dict) and k % 2:
            out.append(e["text"])
            out += [f"{name}: {e[key]}" for name, key in q.CELL_KEYS.items() if key in e]
        else:
            out.append(q.evidence_cell_item(e))
    return out


@st.composite
def facts(draw, name: str) -> dict[str, Any]:
    r = rubric_of(name)
    profile = r.default_profile()
    out: dict[str, Fact] = {}
    for _, c in r.criteria():
        if not c.applies(profile):
            continue
        how = draw(st.sampled_from(["blank", "na", "answer", "answer", "answer"]))
        if how == "blank":
            continue
        if how == "na":
            out[c.id] = Fact(na=f"Because {draw(WORDS)}")
            continue
        f = Fact()
        if c.indicators:
            inds = c.indicator_list()
            for _, i in inds:
                met = draw(st.sampled_from([True, False, None]))
                if met is not None:
                    f.indicators[i.id] = (met, draw(phrases(1)) if met else [])
            if not f.indicators:
                f.indicators[inds[0][1].id] = (True, [])
            if len(f.indicators) < len(inds):  # sheets keep it on an unanswered row
                f.evidence = draw(phrases())
        else:
            if isinstance(c, BooleanCriterion):
                f.key, f.value = "met", draw(st.booleans())
                f.typed = "yes" if f.value else "no"
            elif isinstance(c, MetricCriterion):
                m = c.metric
                lo = int(m.min) if m.min is not None else 0
                hi = int(m.max) if m.max is not None else lo + 200
                f.key, f.value = "value", draw(st.integers(lo, hi))
                f.typed = str(f.value)
            elif isinstance(c, ChoiceCriterion):
                f.key = "answer"
                f.value = draw(st.sampled_from([o.id for o in r.answer_scales[c.answer_scale]]))
                f.typed = f.value
            else:
                f.key, f.value = "level", draw(st.sampled_from(r.levels))
                f.typed = str(f.value)
            f.evidence = draw(phrases())
        reach = c.reachable_levels(r.levels)
        if reach and draw(st.booleans()):
            f.target = draw(st.sampled_from(r.levels))
        if draw(st.booleans()):  # kept only where the criterion is below its target
            f.plan = draw(st.fixed_dictionaries({}, optional={
                "action": st.builds(lambda w: f"Do {w}", WORDS),
                "owner": st.sampled_from(["Director, Policy Planning", "IT"]),
                "due": st.sampled_from(["2026-06-30", "2026-Q3", "2027"]),
                "status": st.sampled_from(["planned", "under-way", "done", "dropped"])}))
        out[c.id] = f
    return {"organisation": f"Ministry {draw(WORDS)}", "period": draw(st.sampled_from(
        ["2024", "2025-Q2"])), "answers": out}


# -- the routes -------------------------------------------------------------------------


def as_yaml(name: str, fx: dict[str, Any]) -> dict[str, Any]:
    r = rubric_of(name)
    answers: dict[str, Any] = {}
    for cid, f in fx["answers"].items():
        a: dict[str, Any] = {}
        if f.na is not None:
            a["not_applicable"] = f.na
        elif f.indicators:
            a["indicators"] = {i: ({"met": met, "evidence": ev} if ev else met)
                               for i, (met, ev) in f.indicators.items()}
        else:
            a[f.key] = f.value
        if f.evidence:
            a["evidence"] = f.evidence
        if f.target is not None:
            a["target"] = f.target
        for k, v in f.plan.items():
            a[k] = dt.date.fromisoformat(v) if k == "due" and len(v) == 10 else v
        answers[cid] = a
    data = {"rubric": str(RUBRICS[name]), "rubric_version": r.version,
            "organisation": {"name": fx["organisation"]}, "period": fx["period"],
            "answers": answers}
    if r.profiles:
        data["profile"] = r.default_profile()
    return data


def cells(name: str, fx: dict[str, Any]) -> dict[str, dict[str, object]]:
    """The sheet's answer cells, by row id and column heading."""
    r = rubric_of(name)
    out: dict[str, dict[str, object]] = {}
    criteria = {c.id: c for _, c in r.criteria()}
    for cid, f in fx["answers"].items():
        c = criteria[cid]
        if not c.indicators:
            out[cid] = criterion_row(f)
            continue
        ids = [i.id for _, i in c.indicator_list()]
        rows = {i: {} for i in ids}
        if f.na:
            rows[ids[0]] = {"answer": "n/a", "N/A reason": f.na}
        for i, (met, ev) in f.indicators.items():
            rows[i] = {"answer": "yes" if met else "no"}
            if ev:
                rows[i]["evidence"] = cell(ev)
        if f.evidence:
            blank = next(i for i in ids if i not in f.indicators)
            rows[blank]["evidence"] = cell(f.evidence)
        if f.target is not None:
            rows[ids[0]]["target"] = f.target
        rows[ids[-1]].update(f.plan)  # once, on any row of the criterion
        for i, row in rows.items():
            if row:
                out[f"{cid}{q.INDICATOR_SEP}{i}"] = row
    return out


@cache
def blank(name: str, ext: str) -> bytes:
    """The questionnaire `init` writes, once per rubric and format."""
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / f"blank.{ext}"
        code, _, err = cli("init", RUBRICS[name], "-o", out)
        assert code == 0, err
        return out.read_bytes()


def by_workbook(name: str, fx: dict[str, Any], folder: Path) -> Path:
    book = folder / "answers.xlsx"
    book.write_bytes(blank(name, "xlsx"))
    fill_workbook(book, cells(name, fx), {"organisation": fx["organisation"],
                                          "period": fx["period"]})
    return imported(book, folder / "from-workbook.yaml")


def by_csv(name: str, fx: dict[str, Any], folder: Path) -> Path:
    rows = list(csv.reader(io.StringIO(blank(name, "csv").decode("utf-8-sig"), newline="")))
    head = next(k for k, row in enumerate(rows) if row and row[0] == "id")
    col = {h: k for k, h in enumerate(rows[head])}
    fill = cells(name, fx)
    details = {"organisation": fx["organisation"], "period": fx["period"]}
    for k, row in enumerate(rows):
        if k < head and row and row[0] in details:
            row[1] = details[row[0]]
        elif k > head and row and row[0] in fill:
            for column, value in fill[row[0]].items():
                row[col[column]] = str(value)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    sheet = folder / "answers.csv"
    sheet.write_bytes(buf.getvalue().encode("utf-8-sig"))
    return imported(sheet, folder / "from-csv.yaml")


def imported(sheet: Path, out: Path) -> Path:
    code, stdout, err = cli("import", sheet, "-o", out)
    assert (code, stdout) == (0, ""), err
    assert "error[" not in err
    return out


def script(name: str, fx: dict[str, Any], c: Any) -> list[str]:
    """What a person types for one criterion, prompt by prompt, after `Answer`."""
    f = fx["answers"].get(c.id)
    r = rubric_of(name)
    if f is None:
        return ["skip"]
    if f.na is not None:
        return ["n/a", f.na]
    typed: list[str] = []
    if f.indicators:
        typed.append("i")
        for _, i in c.indicator_list():
            met, ev = f.indicators.get(i.id, (None, []))
            typed.append("" if met is None else "yes" if met else "no")
            if met:
                typed += [*typed_evidence(ev), ""]
    else:
        typed.append(f.typed)
    typed += [*typed_evidence(f.evidence), ""]
    if c.reachable_levels(r.levels):
        typed.append("" if f.target is None else str(f.target))
    return typed


def by_assess(name: str, fx: dict[str, Any], folder: Path, monkeypatch) -> Path:
    """`assess`'s own asker, answered prompt by prompt from the facts."""
    from cyberdip.cli.asker.session import Asker

    r = rubric_of(name)
    out = folder / "from-assess.yaml"
    draft = q.Draft.new(r, str(RUBRICS[name]), organisation=fx["organisation"],
                        period=fx["period"], profile=r.default_profile() if r.profiles
                        else None)
    asker = Asker(draft, out, review=False, plan=True)
    pending: list[str] = []
    asked: list[str] = []

    def ask(prompt: str, default: str | None = None) -> str:
        asked.append(prompt)
        if prompt == "Answer":
            pending[:] = script(name, fx, asker.walk.current.criterion)
        if prompt.startswith("Plan an action"):  # asked only below the target
            f = fx["answers"][asker.walk.current.criterion.id]
            pending[:0] = ["yes", *(f.plan.get(k, "") for k in q.PLAN_KEYS)] if f.plan \
                else ["no"]
        return pending.pop(0)

    monkeypatch.setattr(asker, "ask", ask)
    asker.save()
    assert asker.run() is True
    assert not pending, f"prompts left unanswered: {pending}"
    return out


def by_merge(yaml_file: Path, folder: Path) -> Path:
    twin = folder / "twin.yaml"
    twin.write_bytes(yaml_file.read_bytes())
    out = folder / "merged.yaml"
    code, _, err = cli("merge", yaml_file, twin, "-o", out)
    assert code == 0, err
    return out


def scorecard(path: Path) -> dict[str, Any]:
    checked = documents.load_assessment(str(path))
    assert not checked.errors, checked.errors
    card = score(checked.rubric, checked.assessment, as_of=AS_OF).model_dump()
    card.pop("date")
    return card


@pytest.mark.parametrize("name", list(RUBRICS))
@settings(max_examples=5, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_the_same_answers_by_every_route_give_the_same_scorecard(name, data, monkeypatch):
    fx = data.draw(facts(name))
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        # a plan is asked (by `assess`) of a criterion below its target: kept only there
        plain = folder / "plain.yaml"
        plain.write_text(dump(as_yaml(name, fx)), encoding="utf-8")
        gaps = {r["id"] for r in scorecard(plain)["criteria"] if r["gap"] > 0}
        for cid, f in fx["answers"].items():
            if cid not in gaps:
                f.plan = {}
        # the YAML sits beside the rubric it names by path, as every other route's file
        yaml_file = folder / "from-yaml.yaml"
        yaml_file.write_text(dump(as_yaml(name, fx)), encoding="utf-8")
        want = scorecard(yaml_file)
        assert want["counts"]["assessed"] + want["counts"]["not_applicable"] >= 0
        routes = {"workbook": by_workbook(name, fx, folder), "csv": by_csv(name, fx, folder),
                  "assess": by_assess(name, fx, folder, monkeypatch)}
        for route, path in routes.items():
            got = scorecard(path)
            assert got == want, route
        merged = scorecard(by_merge(yaml_file, folder))
        assert merged.pop("merge") is not None and want.pop("merge") is None
        merged.pop("assessors")
        want.pop("assessors")
        assert merged == want, "merge"


# -- level mode and the Urdu questionnaire ---------------------------------------------------


def as_levels(name: str, fx: dict[str, Any]) -> dict[str, Any]:
    """The same facts as a person answering in level mode knows them: a criterion with
    indicators answered with the level its indicators reach (the highest whose
    indicators, and all below, are met), its evidence and the met indicators' kept."""
    r = rubric_of(name)
    criteria = {c.id: c for _, c in r.criteria()}
    answers: dict[str, Fact] = {}
    for cid, f in fx["answers"].items():
        if not f.indicators:
            answers[cid] = f
            continue
        level = r.lowest
        for lv in sorted(criteria[cid].indicators):
            if not all(f.indicators.get(i.id, (None,))[0] is True
                       for i in criteria[cid].indicators[lv]):
                break
            level = lv
        evidence = [e for met, ev in f.indicators.values() if met for e in ev] + f.evidence
        answers[cid] = Fact(key="level", value=level, typed=str(level), evidence=evidence,
                            target=f.target)
    return {**fx, "answers": answers}


def blank_with(name: str, ext: str, *args: str) -> bytes:
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / f"blank.{ext}"
        code, _, err = cli("init", RUBRICS[name], *args, "-o", out)
        assert code == 0, err
        return out.read_bytes()


def urdu_words(name: str) -> dict[str, Any]:
    """What the Urdu workbook's drop-downs offer, as a person picks them (by place in
    each list), and its column headings, by place in the English ones."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(blank_with(name, "xlsx", "--lang", "ur")))
    lists = wb["Lists"]
    column = {k: [c.value for c in col if c.value is not None]
              for k, col in zip(["level", "boolean", "target", *(
                  f"choice:{s}" for s in rubric_of(name).answer_scales)],
                                lists.iter_cols(), strict=False)}
    heads = [c.value for c in wb["Answers"][1]]
    return {"lists": column, "heads": dict(zip(spreadsheet_columns(), heads, strict=False))}


def spreadsheet_columns() -> tuple[str, ...]:
    from cyberdip.formats.spreadsheet import COLUMNS

    return COLUMNS


def in_urdu(name: str, row: dict[str, object], cid: str, ur: dict[str, Any]
            ) -> dict[str, object]:
    """A row's cells as a person fills the Urdu sheet: answers picked from its lists."""
    r = rubric_of(name)
    c = {c.id: c for _, c in r.criteria()}[cid.split(q.INDICATOR_SEP)[0]]
    lists = ur["lists"]
    out: dict[str, object] = {}
    for column, value in row.items():
        v = value
        if column == "answer":
            if value == "n/a":
                v = lists["boolean"][2]
            elif value in ("yes", "no"):
                v = lists["boolean"][0 if value == "yes" else 1]
            elif isinstance(c, ChoiceCriterion):
                ids = [o.id for o in r.answer_scales[c.answer_scale]]
                v = lists[f"choice:{c.answer_scale}"][ids.index(value)]
            elif not isinstance(c, MetricCriterion):
                v = lists["level"][r.levels.index(int(value))]
        elif column == "target":
            v = lists["target"][r.levels.index(int(value))]
        out[ur["heads"][column]] = v
    return out


def level_cells(name: str, fx: dict[str, Any]) -> dict[str, dict[str, object]]:
    """The answer cells of a level-mode sheet: one row per criterion."""
    return {cid: criterion_row(f) for cid, f in fx["answers"].items()}


def criterion_row(f: Any) -> dict[str, object]:
    """The cells of a criterion answered on one row: its answer, N/A reason, evidence,
    target and plan."""
    row: dict[str, object] = {"answer": "n/a" if f.na else f.typed}
    if f.na:
        row["N/A reason"] = f.na
    if f.evidence:
        row["evidence"] = cell(f.evidence)
    if f.target is not None:
        row["target"] = f.target
    row.update(f.plan)
    return row


def by_sheet(name: str, fx: dict[str, Any], folder: Path, ext: str, args: tuple[str, ...],
             fill: dict[str, dict[str, object]], label: str) -> Path:
    """A sheet made by `init ARGS`, filled by row id (headings as the sheet writes
    them), imported."""
    import openpyxl

    details = {"organisation": fx["organisation"], "period": fx["period"]}
    path = folder / f"{label}.{ext}"
    if ext == "xlsx":
        path.write_bytes(blank_with(name, "xlsx", *args))
        wb = openpyxl.load_workbook(path)
        for row in wb["Start"].iter_rows():
            if row[0].value in details:
                row[1].value = details[row[0].value]
        ws = wb["Answers"]
        heads = {c.value: c.column for c in ws[1]}
        for row in ws.iter_rows(min_row=2):
            for column, value in fill.get(row[0].value, {}).items():
                ws.cell(row=row[0].row, column=heads[column]).value = value
        wb.save(path)
    else:
        rows = list(csv.reader(io.StringIO(blank_with(name, "csv", *args).decode("utf-8-sig"),
                                           newline="")))
        head = next(k for k, row in enumerate(rows) if row and row[0] in ("id", "شناخت"))
        col = {h: k for k, h in enumerate(rows[head])}
        for k, row in enumerate(rows):
            if k < head and row and row[0] in details:
                row[1] = details[row[0]]
            elif k > head and row and row[0] in fill:
                for column, value in fill[row[0]].items():
                    row[col[column]] = str(value)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(rows)
        path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    return imported(path, folder / f"from-{label}.yaml")


@pytest.mark.parametrize("name", list(RUBRICS))
@settings(max_examples=4, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_level_mode_and_urdu_sheets_give_the_scorecard_the_yaml_gives(name, data):
    """Answers in level mode (a level for a criterion with indicators) score as the
    same `level:` answers in YAML, in English and in Urdu, workbook and CSV; answers
    indicator by indicator in the Urdu sheets score as the English YAML's."""
    fx = data.draw(facts(name))
    levels = as_levels(name, fx)
    ur = urdu_words(name)
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        by_indicator = folder / "indicators.yaml"
        by_indicator.write_text(dump(as_yaml(name, fx)), encoding="utf-8")
        by_level = folder / "levels.yaml"
        by_level.write_text(dump(as_yaml(name, levels)), encoding="utf-8")
        want = {"indicators": scorecard(by_indicator), "levels": scorecard(by_level)}
        lv, ind = level_cells(name, levels), cells(name, fx)
        routes = {
            ("levels", "xlsx", "levels-en"): (("--mode", "levels"), lv),
            ("levels", "csv", "levels-en"): (("--mode", "levels"), lv),
            ("levels", "xlsx", "levels-ur"): (
                ("--mode", "levels", "--lang", "ur"),
                {k: in_urdu(name, v, k, ur) for k, v in lv.items()}),
            ("levels", "csv", "levels-ur"): (
                ("--mode", "levels", "--lang", "ur"),
                {k: in_urdu(name, v, k, ur) for k, v in lv.items()}),
            ("indicators", "xlsx", "indicators-ur"): (
                ("--lang", "ur"), {k: in_urdu(name, v, k, ur) for k, v in ind.items()}),
            ("indicators", "csv", "indicators-ur"): (
                ("--lang", "ur"), {k: in_urdu(name, v, k, ur) for k, v in ind.items()}),
        }
        for (mode, ext, label), (args, fill) in routes.items():
            got = scorecard(by_sheet(name, fx, folder, ext, args, fill, f"{label}-{ext}"))
            assert got == want[mode], (label, ext)
