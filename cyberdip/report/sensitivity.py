"""The sensitivity analysis as text, Markdown, CSV and HTML (JSON is the model's own)."""

from __future__ import annotations

import csv
import io
import textwrap
from typing import TYPE_CHECKING

from cyberdip.report.common import md_escape, num, table

if TYPE_CHECKING:  # types only
    from cyberdip.engine.sensitivity import Sensitivity, UnitInterval


def _what(s: Sensitivity) -> str:
    m = s.method
    low, high = m.weight_range
    which = {"both": "each area weight and each criterion weight",
             "areas": "each area weight (criterion weights as the rubric gives them)",
             "criteria": "each criterion weight (area weights as the rubric gives them)"}
    return (f"{m.draws:,} draw{'s' if m.draws != 1 else ''}, seed {m.seed}: {which[m.vary]} "
            f"multiplied by an independent draw from U({low:g}, {high:g}).")


def _interval(low: float | int | None, high: float | int | None, nd: int = 2) -> str:
    if low is None or high is None:
        return "—"
    if isinstance(low, int) and isinstance(high, int):
        return str(low) if low == high else f"{low}–{high}"
    return f"{num(low, nd)}–{num(high, nd)}"


def _row(r: UnitInterval, ranked: bool) -> list[str]:
    cells = [r.label + (" (provisional)" if r.provisional else ""), num(r.index),
             _interval(r.index_low, r.index_high),
             num(r.index_median)]
    if ranked:
        cells = [str(r.rank) if r.rank is not None else "—", *cells,
                  _interval(r.rank_low, r.rank_high),
                  "—" if r.rank_held is None else f"{r.rank_held:.1f}%",
                  "—" if r.robust is None else "yes" if r.robust else "no"]
    return cells


def _head(s: Sensitivity) -> list[str]:
    lo, hi = s.method.percentiles
    span = f"{lo}th–{hi}th"
    head = ["Unit", s.labels.index[:1].upper() + s.labels.index[1:], span, "Median"]
    if s.ranked:
        head = ["Rank", *head, f"Rank {span}", "Held", "Robust"]
    return head


def _verdict(s: Sensitivity) -> list[str]:
    """Which units keep their place in the league table, and which move."""
    if not s.ranked:
        return []

    def units(robust: bool) -> str:
        named = [f"{r.label} ({r.rank})" for r in s.rows if r.robust is robust]
        return "; ".join(named) if named else "none"

    lo, hi = s.method.percentiles
    out = [f"Places that hold (the {lo}th to {hi}th percentile of the rank is one place): "
           f"{units(True)}.",
           f"Places that move with the weights: {units(False)}."]
    below = [r.label for r in s.rows if r.provisional]
    if below:
        out.append(f"Not ranked, as in aggregate's league table (coverage below "
                   f"{s.method.min_coverage:g}%, provisional): {'; '.join(below)}.")
    return out


def _notes(s: Sensitivity) -> list[str]:
    m = s.method
    return ["Levels and stages do not depend on weights: they are the same in every draw.",
            f"Percentiles by {m.percentile_method}."
            + (f" Ranks: {m.rank_method}." if s.ranked else "")]


def _title(s: Sensitivity) -> str:
    return f"Sensitivity of the {s.labels.index} to its weights"


def _about(s: Sensitivity) -> str:
    prof = f", profile {s.profile}" if s.profile else ""
    return (f"{s.rubric.title} ({s.rubric.id} {s.rubric.version}{prof}): "
            f"{s.units} assessment{'s' if s.units != 1 else ''}.")


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, 88, break_long_words=False, break_on_hyphens=False) or [""]


def to_text(s: Sensitivity) -> str:
    rows = [_row(r, s.ranked) for r in s.rows]
    right = {0, 2, 3, 4, 5, 6} if s.ranked else {1, 2, 3}
    out = [_title(s), *_wrap(_about(s)), *_wrap(_what(s)), "",
           *table(_head(s), rows, right=right)]
    verdict = _verdict(s)
    if verdict:
        out += ["", *(line for v in verdict for line in _wrap(v))]
    out += ["", *(line for n in _notes(s) for line in _wrap(n))]
    return "\n".join(out) + "\n"


def to_markdown(s: Sensitivity) -> str:
    e = md_escape
    head = _head(s)
    align = ["---", "---:", "---:", "---:"]
    if s.ranked:
        align = ["---:", *align, "---:", "---:", "---"]
    out = [f"# {e(_title(s))}", "", e(_about(s)), "", e(_what(s)), "",
           "| " + " | ".join(e(h) for h in head) + " |", "|" + "|".join(align) + "|"]
    for r in s.rows:
        cells = _row(r, s.ranked)
        at = 1 if s.ranked else 0
        cells[at] = str(e(cells[at]))
        out.append("| " + " | ".join(cells) + " |")
    verdict = _verdict(s)
    if verdict:
        out += ["", *(f"- {e(v)}" for v in verdict)]
    out += ["", "\n\n".join(str(e(n)) for n in _notes(s))]
    return "\n".join(out) + "\n"


def to_csv(s: Sensitivity) -> str:
    """One row per unit, in league-table order. Text cells pass through ``csv_cell``."""
    from cyberdip.textsafe import csv_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")

    def f(v: float | None) -> str:
        return "" if v is None else f"{v:.2f}"

    def i(v: int | None) -> str:
        return "" if v is None else str(v)

    w.writerow(["rank", "unit", "path", "index", "index_low", "index_median", "index_high",
                "rank_low", "rank_high", "rank_held", "robust", "provisional"])
    for r in s.rows:
        w.writerow([i(r.rank), csv_cell(r.label), csv_cell(r.path), f(r.index),
                    f(r.index_low), f(r.index_median), f(r.index_high), i(r.rank_low),
                    i(r.rank_high), "" if r.rank_held is None else f"{r.rank_held:.1f}",
                    "" if r.robust is None else "yes" if r.robust else "no",
                    "yes" if r.provisional else "no"])
    return buf.getvalue()


def interval_chart(s: Sensitivity) -> str:
    """Each unit's 5th-95th percentile interval of the index as a bar on a 0-100 axis,
    its index at the rubric's own weights as a dot; the page's table is its text
    equivalent. Every text is escaped; the numbers are ours."""
    from markupsafe import escape

    rows = [r for r in s.rows if r.index_low is not None]
    label_w, plot_w, row_h, top = 290, 440, 22, 24
    height = top + row_h * max(len(rows), 1) + 10
    width = label_w + plot_w + 20

    def x(v: float) -> str:
        return f"{label_w + plot_w * v / 100:.1f}"

    parts = [f'<svg class="chart intervals" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="Interval of the '
             f'{escape(s.labels.index)} of each unit over the draws, 0 to 100">']
    for tick in (0, 25, 50, 75, 100):
        parts.append(f'<line class="grid" x1="{x(tick)}" y1="{top - 6}" x2="{x(tick)}" '
                     f'y2="{height - 8}"/>')
        parts.append(f'<text x="{x(tick)}" y="{top - 10}" text-anchor="middle">{tick}</text>')
    for i, r in enumerate(rows):
        y = top + row_h * i + row_h / 2
        name = r.label if len(r.label) <= 44 else r.label[:43] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{y + 4:.1f}" text-anchor="end">'
                     f"{escape(name)}</text>")
        parts.append(f'<line class="span" x1="{x(r.index_low)}" y1="{y:.1f}" '
                     f'x2="{x(r.index_high)}" y2="{y:.1f}"/>')
        if r.index is not None:
            parts.append(f'<circle class="own" cx="{x(r.index)}" cy="{y:.1f}" r="4"/>')
    parts.append("</svg>")
    return "".join(parts)


def to_html(s: Sensitivity) -> str:
    from markupsafe import Markup

    from cyberdip.report.common import environment

    lo, hi = s.method.percentiles
    head = _head(s)
    return environment().get_template("sensitivity.html.j2").render(
        s=s, title=_title(s), about=_about(s), what=_what(s), lo=lo, hi=hi,
        chart=Markup(interval_chart(s)), head=head, numeric=set(head) - {"Unit", "Robust"},
        rows=[_row(r, s.ranked) for r in s.rows], unit_at=1 if s.ranked else 0,
        caption=("Units by index at the rubric's own weights, with the intervals of their "
                 "index and rank over the draws") if s.ranked else
        "The index at the rubric's own weights, and its interval over the draws",
        verdict=_verdict(s), notes=_notes(s))
