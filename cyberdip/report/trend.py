"""Years side by side (``cyberdip trend``): a series of assessments of one unit as text,
Markdown, CSV, HTML (with an inline SVG chart) and PDF (the same chart, through Typst).
JSON is the model's own. Every format shows, per year, the index with the range it could
still take, the stage, coverage and each area's score, and the change from the year
before; and each year's warnings (a rubric version that changed)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from cyberdip.report.common import (
    RANGE_HEADING,
    code_html,
    code_md,
    environment,
    level,
    md_escape,
    num,
    pct,
    range_text,
    signed,
    signed_int,
    table,
    who,
)

if TYPE_CHECKING:  # types only
    from cyberdip.engine.series import Series, SeriesPoint


def year(p: SeriesPoint) -> str:
    """A point's name in every table: its period, else the date it was ordered by."""
    return p.snapshot.period or p.when.value


def illustrative_line(s: Series) -> str | None:
    """Which years are made-up example data, in one sentence (None: none is)."""
    made_up = [year(p) for p in s.points if p.illustrative]
    if not made_up:
        return None
    which = (made_up[0] if len(made_up) == 1
             else ", ".join(made_up[:-1]) + " and " + made_up[-1])
    one = len(made_up) == 1
    return (f"Illustrative: {which} {'is' if one else 'are'} made-up example data, not "
            f"{'a real assessment' if one else 'real assessments'}; the trend shows how "
            "cyberdip works, not what happened.")


def title(s: Series) -> str:
    return f"{s.labels.index_title} over the years, with the range it could still take"


def headline_rows(s: Series) -> list[list[str]]:
    """Per year: year, file, index, its range, change, stage, coverage, rubric version."""
    staged = s.stage_gate != "none"
    rows = []
    for p in s.points:
        n = p.snapshot
        notes = [w for w, on in (("provisional", n.provisional),
                                 ("illustrative", p.illustrative)) if on]
        row = [year(p) + (f" ({', '.join(notes)})" if notes else ""), n.label,
               num(n.index), range_text(p.index_range),
               signed(p.step.index_delta) if p.step else "—"]
        if staged:
            row += [level(n.stage, n.stage_name), signed_int(p.step.stage_delta)
                    if p.step else "—"]
        row += [pct(n.coverage), n.rubric_version]
        rows.append(row)
    return rows


def headline_header(s: Series) -> list[str]:
    staged = s.stage_gate != "none"
    return (["Year", "File", s.labels.index_title, RANGE_HEADING, "Change"]
            + ([s.labels.stage_title, "Change"] if staged else [])
            + ["Coverage", "Rubric"])


def area_rows(s: Series) -> list[list[str]]:
    """Per area: its title, then each year's score with the change from the year before."""
    rows = []
    for k, a in enumerate(s.areas):
        cells = [a.title]
        for p in s.points:
            x = p.areas[k]
            cell = num(x.score)
            if p.step is not None and x.delta is not None:
                cell += f" ({signed(x.delta)})"
            cells.append(cell)
        rows.append(cells)
    return rows


def plan_lines(s: Series) -> list[tuple[str, str]]:
    """``(year, what)``: for each year after the first whose year before had an action
    plan, how that plan went (as `compare` counts it)."""
    out = []
    for p in s.points:
        g = p.plan
        if not g:
            continue
        planned = len(g["items"])
        undated = sum(1 for i in g["items"] if i["due_by_then"] is None)
        out.append((year(p), f"{planned} actions planned the year before: {g['due']} due "
                    f"by then ({g['done']} done, {g['not_done']} not done)"
                    + (f", {undated} with no due date to judge" if undated else "")
                    + f"; {g['reached']} reached their planned level"))
    return out


def warning_lines(s: Series) -> list[tuple[str, str, str]]:
    """``(year, code, message)`` for every warning, each on the year it concerns."""
    return [(year(p), w.code, w.message) for p in s.points for w in p.warnings]


def _range_note(s: Series) -> str:
    return ("Could still be: where the index could end once every unanswered criterion is "
            "answered (all at the lowest, all at the best); a blank answer never helps. "
            "Changes are from the year before; ▲ up, ▼ down, = unchanged.")


# -- text ----------------------------------------------------------------------------------


def to_text(s: Series) -> str:
    out = [f"Trend: {who(s.organisation, s.unit)}",
           f"{s.rubric.title} ({s.rubric.id} {s.rubric.version}); {len(s.points)} "
           f"assessments, {s.order}"]
    made_up = illustrative_line(s)
    if made_up:
        out.append("ILLUSTRATIVE: " + made_up.partition(": ")[2])
    out += [f"warning[{code}] ({y}): {m}" for y, code, m in warning_lines(s)]
    out.append("")
    out += table(headline_header(s), headline_rows(s), right={2, 3, 4}
                 | ({6} if s.stage_gate != "none" else set()))
    out += ["", _range_note(s), "", "Areas"]
    out += ["  " + x for x in table(["Area", *(year(p) for p in s.points)], area_rows(s),
                                    right=set(range(1, len(s.points) + 1)))]
    plans = plan_lines(s)
    if plans:
        out += ["", "The action plan of the year before"]
        out += [f"  - {y}: {what}" for y, what in plans]
    regress = [(year(p), r) for p in s.points if p.step for r in p.step.regressions]
    if regress:
        out += ["", "Regressions (criteria assessed in both years that went down)"]
        out += [f"  - {y}: {r}" for y, r in regress]
    return "\n".join(out) + "\n"


# -- Markdown ------------------------------------------------------------------------------


def to_markdown(s: Series) -> str:
    e = md_escape
    out = [f"# Trend: {e(who(s.organisation, s.unit))}", "",
           f"{e(s.rubric.title)} (`{e(s.rubric.id)}` {e(s.rubric.version)}). "
           f"{len(s.points)} assessments, {e(s.order)}.", ""]
    made_up = illustrative_line(s)
    if made_up:
        out += [f"> **Illustrative**: {e(made_up.split(': ', 1)[1])}", ""]
    for y, code, m in warning_lines(s):
        out += [f"> **Warning** ({code}, {e(y)}): {code_md(m)}", ""]
    head = headline_header(s)
    out += ["| " + " | ".join(e(h) for h in head) + " |",
            "|---|---|" + "---:|" * 3 + ("---|---:|" if s.stage_gate != "none" else "")
            + "---:|---|"]
    user = {0, 1, len(head) - 1} | ({5} if s.stage_gate != "none" else set())
    for row in headline_rows(s):
        # user text (year, file, stage name, version) escaped; the figures are ours
        out.append("| " + " | ".join(str(e(c)) if i in user else c
                                     for i, c in enumerate(row)) + " |")
    out += ["", e(_range_note(s)), "", "## Areas", "",
            "| Area | " + " | ".join(e(year(p)) for p in s.points) + " |",
            "|---|" + "---:|" * len(s.points)]
    out += ["| " + " | ".join([str(e(r[0])), *r[1:]]) + " |" for r in area_rows(s)]
    plans = plan_lines(s)
    if plans:
        out += ["", "## The action plan of the year before", ""]
        out += [f"- {e(y)}: {e(what)}" for y, what in plans]
    regress = [(year(p), r) for p in s.points if p.step for r in p.step.regressions]
    if regress:
        out += ["", "## Regressions", ""] + [f"- {e(y)}: {code_md(r)}" for y, r in regress]
    return "\n".join(out) + "\n"


# -- CSV -----------------------------------------------------------------------------------


def to_csv(s: Series) -> str:
    """One row per year: the headline, the range, the change, and each area's score."""
    from cyberdip.textsafe import csv_cell

    def f(v: float | None) -> str:
        return "" if v is None else f"{v:.2f}"

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["year", "file", "date", "period", "rubric_version", "index", "index_low",
                "index_high", "index_change", "stage", "stage_name", "coverage",
                "provisional", "warnings"] + [csv_cell(f"area:{a.id}") for a in s.areas])
    for p in s.points:
        n, r = p.snapshot, p.index_range
        w.writerow([csv_cell(year(p)), csv_cell(n.label), csv_cell(n.date),
                    csv_cell(n.period), csv_cell(n.rubric_version), f(n.index),
                    f(r.low if r else None), f(r.high if r else None),
                    f(p.step.index_delta if p.step else None),
                    "" if n.stage is None else n.stage, csv_cell(n.stage_name),
                    f"{n.coverage:.2f}", "yes" if n.provisional else "no",
                    " ".join(x.code for x in p.warnings)]
                   + [f(x.score) for x in p.areas])
    return buf.getvalue()


# -- the chart -----------------------------------------------------------------------------


def chart(s: Series, *, font: str | None = None) -> Any:
    from cyberdip.report import svg

    pts = [svg.TrendPoint(
        label=year(p), sub=p.snapshot.label + (" (illustrative)" if p.illustrative else ""),
        index=p.snapshot.index,
        low=p.index_range.low if p.index_range else None,
        high=p.index_range.high if p.index_range else None,
        stage=p.snapshot.stage, stage_name=p.snapshot.stage_name,
        provisional=p.snapshot.provisional, version=p.snapshot.rubric_version)
        for p in s.points]
    return svg.trend(pts, title=title(s), index_label=s.labels.index_title,
                     top_stage=s.top_stage if s.stage_gate != "none" else None, font=font)


# -- HTML ----------------------------------------------------------------------------------


def to_html(s: Series) -> str:
    return environment().get_template("trend.html.j2").render(
        s=s, chart=chart(s), head=headline_header(s), rows=headline_rows(s),
        areas=area_rows(s), years=[year(p) for p in s.points], warnings=warning_lines(s),
        note=_range_note(s), code=code_html, title=title(s),
        illustrative=(illustrative_line(s) or "").partition(": ")[2], plans=plan_lines(s),
        regressions=[(year(p), r) for p in s.points if p.step for r in p.step.regressions])


# -- PDF -----------------------------------------------------------------------------------


def _plain(message: str) -> str:
    """A message for the PDF, which shows text only: its `id` spans without backticks."""
    from cyberdip.report.common import _CODE_SPAN

    return _CODE_SPAN.sub(r"\1", message)


def pdf_document(s: Series) -> dict[str, Any]:
    """The series as the JSON document ``typst/doc.typ`` lays out: the same blocks as a
    report (every string shown as text), and the chart as an SVG image."""

    def t(text: str, **flags: Any) -> dict[str, Any]:
        return {"text": text, **flags}

    def cells(row: list[str]) -> list[list[dict[str, Any]]]:
        return [[t(c)] for c in row]

    b: list[dict[str, Any]] = [
        {"t": "kicker", "runs": [t(f"{s.rubric.title} · trend")]},
        {"t": "h1", "runs": [t(s.organisation)]},
        {"t": "p", "runs": [t(((s.unit + " · ") if s.unit else "")
                              + f"{len(s.points)} assessments, {s.order}.")]},
    ]
    made_up = illustrative_line(s)
    if made_up:
        b.append({"t": "banner", "runs": [t("Illustrative ", b=True),
                                          t(made_up.partition(": ")[2])]})
    for y, code, m in warning_lines(s):
        b.append({"t": "banner", "runs": [t(f"Warning ({code}, {y}): ", b=True),
                                          t(_plain(m))]})
    b.append({"t": "svg", "svg": str(chart(s, font="Noto Sans")), "width": 100})
    head = headline_header(s)
    b.append({"t": "table", "cols": [2, 3] + ["auto"] * (len(head) - 2),
              "align": ["start", "start", "end", "end", "end"]
              + (["start", "end"] if s.stage_gate != "none" else []) + ["end", "start"],
              "header": head, "rows": [cells(r) for r in headline_rows(s)]})
    b.append({"t": "small", "runs": [t(_range_note(s))]})
    b.append({"t": "h3", "runs": [t("Areas")]})
    b.append({"t": "table", "cols": [3] + ["auto"] * len(s.points),
              "align": ["start"] + ["end"] * len(s.points),
              "header": ["Area", *(year(p) for p in s.points)],
              "rows": [cells(r) for r in area_rows(s)]})
    plans = plan_lines(s)
    if plans:
        b.append({"t": "h3", "runs": [t("The action plan of the year before")]})
        b.append({"t": "list", "items": [[t(f"{y}: {what}")] for y, what in plans]})
    regress = [(year(p), r) for p in s.points if p.step for r in p.step.regressions]
    if regress:
        b.append({"t": "h3", "runs": [t("Regressions")]})
        b.append({"t": "list", "items": [[t(f"{y}: {_plain(r)}")] for y, r in regress]})
    return {"lang": "en", "dir": "ltr", "title": s.organisation,
            "fonts": ["Noto Sans", "Noto Nastaliq Urdu"], "size": 9.0, "leading": 0.55,
            "spacing": 0.75, "marking": None, "page_numbers": True, "blocks": b}
