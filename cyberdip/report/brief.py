"""The one-page brief, for a minister or an ambassador: who and when, the marking, the
index (with its band) and the stage with its reason, coverage, scores by area with the
trend against a previous assessment when one is given, and the five actions that would
raise the stage (or the stage-setting criteria to answer first) and the other gaps by
priority, each with its paper citation.

The same content as HTML (``templates/brief.html.j2``, one A4 page when printed) and
as PDF (through ``as_pdf.Writer``); both take their figures from ``report.summary``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cyberdip.report.common import fmt_pct, fmt_score, signed

if TYPE_CHECKING:
    from cyberdip.engine.scoring import Scorecard
    from cyberdip.report.view import ReportOptions


@dataclass(frozen=True)
class AreaRow:
    id: str
    title: str
    score: str
    target: str
    stage: int | None
    stage_name: str | None
    #: with a previous assessment: its score and the change
    previous: str | None
    change: str | None


def area_rows(card: Scorecard, opts: ReportOptions) -> list[AreaRow]:
    deltas = {a.id: a for a in opts.comparison.areas} if opts.comparison else {}
    rows = []
    for a in card.areas:
        d = deltas.get(a.id)
        rows.append(AreaRow(a.id, a.title, fmt_score(a.score), fmt_score(a.target_score),
                            a.stage, a.stage_name,
                            fmt_score(d.old_score) if d is not None else None,
                            signed(d.delta) if d is not None else None))
    return rows


def trend(opts: ReportOptions) -> dict[str, str] | None:
    c = opts.comparison
    if c is None:
        return None
    return {"period": c.old.period or c.old.label, "index": fmt_score(c.old.index),
            "change": signed(c.index_delta),
            "stage": "—" if c.old.stage is None else str(c.old.stage),
            "coverage": fmt_pct(c.old.coverage)}


#: The most years the brief's series line shows (the latest ones); `cyberdip trend`
#: shows them all.
SERIES_SHOWN = 8


def series_line(opts: ReportOptions) -> str | None:
    """The years side by side, compactly, for the one-page brief: ``2023: 27.78 (1) →
    2024: 55.56 (1) → 2025: 58.33 (2)``, the index of each year with its stage in
    brackets; at most the latest ``SERIES_SHOWN`` years, after "…" when there are more."""
    s = opts.series
    if s is None:
        return None
    staged = s.stage_gate != "none"
    parts = [f"{p.snapshot.period or p.when.value}: {fmt_score(p.snapshot.index)}"
             + ((" (" + ("—" if p.snapshot.stage is None else str(p.snapshot.stage)) + ")")
                if staged else "")
             for p in s.points[-SERIES_SHOWN:]]
    return ("… → " if len(s.points) > SERIES_SHOWN else "") + " → ".join(parts)


def stage_meaning(wr: Any) -> dict[str, Any] | None:
    """"Stage 1 of 5, Start-up: <the scale's one-line description>", as a PDF block."""
    card, rw = wr.card, wr.rw
    entry = next((s for s in card.scale if s.level == card.stage), None)
    if card.stage_gate == "none" or entry is None:
        return None
    top = max(s.level for s in card.scale)
    return {"t": "p", "runs": [
        wr.t(wr._("Stage %(stage)s of %(top)s, %(name)s:", stage=card.stage, top=top,
                  name=wr.s(rw.level_name(card.stage, entry.name))) + " ", b=True),
        wr.loc(rw.scale_meaning(card.stage, entry.meaning))]}


def brief_html(card: Scorecard, opts: ReportOptions) -> str:
    from cyberdip.report.common import environment
    from cyberdip.report.view import report_context

    ctx = report_context(card, opts)
    ctx.update(rows=area_rows(card, opts), trend=trend(opts), series_line=series_line(opts))
    return environment().get_template("brief.html.j2").render(ctx)


def brief_document(wr: Any) -> dict[str, Any]:
    """The brief as blocks for the PDF, written by an ``as_pdf.Writer``."""
    card, rw, opts = wr.card, wr.rw, wr.opts
    b = wr.header(f"{rw.rubric_title(card.rubric.title).text} · {wr._('brief')}")
    b += wr.banners()
    b.append(wr.figures())
    meaning, why = stage_meaning(wr), wr.why()
    if why is not None and meaning is not None:  # what the stage means, then why it is so
        why = {**why, "paras": [meaning["runs"], *why["paras"]]}
    b += [x for x in (wr.notes(), why) if x is not None]
    tr = trend(opts)
    staged = card.stage_gate != "none"
    header = [wr._("Area"), wr._("Score"), wr._("Target")] + ([wr._("Stage")] if staged else [])
    cols: list[Any] = [4, "auto", "auto"] + ([2] if staged else [])
    align = ["start", "end", "end"] + (["start"] if staged else [])
    if tr is not None:
        header += [wr._("Previous"), wr._("Change")]
        cols += ["auto", "auto"]
        align += ["end", "end"]
    rows = []
    for r in area_rows(card, opts):
        row = [[wr.loc(rw.area(r.id, r.title))], [wr.ltr(r.score)], [wr.ltr(r.target)]]
        if staged:
            row.append([wr.t(wr.lv(r.stage, r.stage_name))])
        if tr is not None:
            row += [[wr.ltr(r.previous or "—")], [wr.ltr(r.change or "—")]]
        rows.append(row)
    b.append({"t": "h3", "runs": [wr.t(wr._("Scores by area"))]})
    b.append({"t": "table", "cols": cols, "align": align, "header": header, "rows": rows})
    if tr is not None:
        b.append({"t": "p", "runs": [wr.t(wr._(
            "Trend: the index was %(index)s in %(period)s (stage %(stage)s, coverage "
            "%(coverage)s); the change since is %(change)s.", index=tr["index"],
            period=tr["period"], stage=tr["stage"], coverage=tr["coverage"],
            change=tr["change"]))]})
    line = series_line(opts)
    if line is not None:
        b.append({"t": "p", "runs": [wr.t(wr._("Index by year (stage in brackets): "
                                               "%(series)s.", series=line))]})
    plan = wr.plan_blocks(cite=True, brief=True)
    if plan:
        b += plan
    else:
        b.append({"t": "p", "runs": [wr.t(wr._(
            "No gaps: every assessed criterion is at or above its target."))]})
    # the action plan counted in one line, in the small print (the full report lists it)
    counted = ([wr.t(wr._("Action plan") + ": ", b=True), wr.t((wr.plan_line() or "") + " ")]
               if wr.plan_line() is not None else [])
    b.append({"t": "small", "runs": [*counted, wr.t(wr._(
        "Rubric: %(rubric)s, version %(version)s. The full report gives every criterion, "
        "the evidence and the method.", rubric=rw.rubric_title(card.rubric.title),
        version=card.rubric.version) + (" " + wr.footer() if wr.w.lang != "en" else ""))]})
    return wr.document(b, page_numbers=False, size=9.0)
