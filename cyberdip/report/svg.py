"""Inline SVG charts for the HTML reports, drawn by our own code (no JavaScript, no
external files), so a report stays one self-contained file.

Every string that reaches the SVG passes through :func:`markupsafe.escape`; numbers are
formatted with fixed precision so the output is byte-for-byte deterministic.

Public API (also used by ``cyberdip compare``):

``radar(axes, series, *, title=..., size=...) -> Markup``
    A radar (spider) chart with one spoke per axis and one polygon per series.
    ``axes`` is the list of axis labels (area titles), in order. ``series`` is a list of
    :class:`Series` (or plain ``(label, values, style)`` tuples): ``values`` are 0..100,
    one per axis; ``None`` means "not assessed", which is never a zero: the series' line
    leaves that axis out and joins the axes that have a value (one value is a lone
    marker, two a line). An axis no series has a value on is dashed and labelled
    "(not assessed)"; one some series lack is labelled "(not assessed in X)", X being
    those series' ``short`` names. ``style`` is one of :data:`STYLES`: ``"current"``
    (solid blue line, filled, round markers), ``"target"`` (dashed orange line, square
    markers) or ``"previous"`` (dotted grey line, diamond markers). Each style differs by
    line pattern and marker shape as well as colour, and the legend names every series in
    text, so colour is never the only cue. With fewer than three axes the polygons
    collapse to lines; the table that accompanies every chart still carries the numbers.

``gap_bar(gap, span, *, label=...) -> Markup``
    A row of ``span`` cells with the first ``gap`` filled: the size of one gap on the
    level scale, countable without colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

STYLES: dict[str, dict[str, str]] = {
    "current": {"stroke": "#1f5fa8", "fill": "#1f5fa8", "fill-opacity": "0.18",
                "dash": "", "marker": "circle", "width": "2.5"},
    "target": {"stroke": "#b35c00", "fill": "none", "fill-opacity": "0",
               "dash": "7 4", "marker": "square", "width": "2"},
    "previous": {"stroke": "#666666", "fill": "none", "fill-opacity": "0",
                 "dash": "2 3", "marker": "diamond", "width": "2"},
}


@dataclass(frozen=True)
class Series:
    """One polygon on a radar chart: a legend label, 0..100 values per axis (None: not
    assessed), a style, and a short name for axis notes (default: the label)."""

    label: str
    values: Sequence[float | None]
    style: str = "current"
    short: str | None = None


def _n(x: float) -> str:
    """A coordinate with fixed precision (and no ``-0.0``)."""
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


def _wrap(text: str, width: int = 18) -> list[str]:
    """Split a label into at most two lines at a space near ``width`` characters."""
    if len(text) <= width:
        return [text]
    cut = text.rfind(" ", 0, width + 1)
    if cut <= 0:
        cut = text.find(" ")
    if cut <= 0:
        return [text]
    return [text[:cut], text[cut + 1:]]


def _marker(kind: str, x: float, y: float, st: dict[str, str]) -> str:
    fill = "#ffffff" if st["fill"] == "none" else st["stroke"]
    common = f'fill="{fill}" stroke="{st["stroke"]}" stroke-width="1.5"'
    if kind == "square":
        return (f'<rect x="{_n(x - 3.5)}" y="{_n(y - 3.5)}" width="7" height="7" '
                f'{common}/>')
    if kind == "diamond":
        pts = f"{_n(x)},{_n(y - 4.5)} {_n(x + 4.5)},{_n(y)} {_n(x)},{_n(y + 4.5)} " \
              f"{_n(x - 4.5)},{_n(y)}"
        return f'<polygon points="{pts}" {common}/>'
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" {common}/>'


def _legend_line(x: float, y: float, st: dict[str, str]) -> str:
    dash = f' stroke-dasharray="{st["dash"]}"' if st["dash"] else ""
    return (f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x + 28)}" y2="{_n(y)}" '
            f'stroke="{st["stroke"]}" stroke-width="{st["width"]}"{dash}/>'
            + _marker(st["marker"], x + 14, y, st))


def radar(
    axes: Sequence[str],
    series: Sequence[Series | tuple[str, Sequence[float | None], str]],
    *,
    title: str = "Score by area",
    size: int = 560,
    rings: Sequence[int] = (25, 50, 75, 100),
    rtl: bool = False,
    not_assessed: str = "(not assessed)",
) -> Markup:
    """An inline SVG radar chart; see the module docstring for the contract.

    With ``rtl`` (a right-to-left report) the chart is mirrored: the axes run
    anticlockwise from the top, labels are set right to left and anchored on the
    side that keeps them clear of the chart, and the legend reads from the right.
    """
    ser = [s if isinstance(s, Series) else Series(*s) for s in series]
    for s in ser:
        if s.style not in STYLES:
            raise ValueError(f"unknown radar style {s.style!r}; use one of {sorted(STYLES)}")
        if len(s.values) != len(axes):
            raise ValueError(f"series {s.label!r} has {len(s.values)} values for "
                             f"{len(axes)} axes")
    w = size
    legend_h = 22 * len(ser) + 10
    h = int(size * 0.82) + legend_h
    cx, cy = w / 2, size * 0.41
    r = size * 0.26
    n = max(len(axes), 1)

    side = -1 if rtl else 1

    def point(i: int, value: float) -> tuple[float, float]:
        ang = -math.pi / 2 + 2 * math.pi * i / n
        v = max(0.0, min(100.0, value)) / 100 * r
        return cx + side * v * math.cos(ang), cy + v * math.sin(ang)

    parts: list[str] = [
        f'<svg class="chart radar" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        f'aria-labelledby="radar-title"' + (' direction="rtl"' if rtl else "") + ">",
        f'<title id="radar-title">{escape(title)}</title>',
    ]
    # rings with their values, and spokes
    for ring in rings:
        pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(i, ring) for i in range(n)))
        parts.append(f'<polygon class="ring" points="{pts}" fill="none" stroke="#c8c8c8" '
                     f'stroke-width="1"/>')
        _, ly = point(0, ring)
        parts.append(f'<text class="ring-label" x="{_n(cx + 5 * side)}" y="{_n(ly + 11)}" '
                     f'font-size="10" fill="#555555">{ring}</text>')
    for i, label in enumerate(axes):
        x, y = point(i, 100)
        missing = [s for s in ser if s.values[i] is None]
        unassessed = bool(ser) and len(missing) == len(ser)
        look = ('class="spoke not-assessed"', ' stroke="#8c8c8c" stroke-width="1" '
                'stroke-dasharray="4 4"') if unassessed else (
                'class="spoke"', ' stroke="#c8c8c8" stroke-width="1"')
        parts.append(f'<line {look[0]} x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" '
                     f'y2="{_n(y)}"{look[1]}/>')
        lx, ly = point(i, 118)
        # the anchor that keeps the label outside the chart: for right-to-left text
        # "start" is its right-hand end
        anchor = "middle" if abs(lx - cx) < 1 else ("start" if (lx > cx) != rtl else "end")
        lines = _wrap(str(label))
        note = (not_assessed if unassessed else
                "(not assessed in " + " and ".join(s.short or s.label for s in missing) + ")"
                if missing else None)
        first_note = len(lines)
        if note is not None:
            lines += _wrap(note)
        if abs(lx - cx) >= 1:  # beside the chart: centred on the spoke's end
            top = ly - (len(lines) - 1) * 7 + 4
        elif ly < cy:  # above: the last line just clear of the outer ring
            top = ly - (len(lines) - 1) * 14
        else:  # below
            top = ly + 8
        tspans = "".join(
            f'<tspan x="{_n(lx)}" y="{_n(top + k * 14)}"'
            + (' class="axis-note" font-size="11" font-style="italic" fill="#555555"'
               if k >= first_note else "")
            + f">{escape(t)}</tspan>"
            for k, t in enumerate(lines))
        parts.append(f'<text class="axis-label" text-anchor="{anchor}" font-size="13" '
                     f'fill="#222222">{tspans}</text>')
    # the series, target first so "current" is drawn on top; each joins only the axes
    # it has a value on (not assessed is left out, never drawn as a zero)
    order = sorted(range(len(ser)), key=lambda k: {"target": 0, "previous": 1}.get(
        ser[k].style, 2))
    for k in order:
        s = ser[k]
        st = STYLES[s.style]
        pts_xy = [point(i, v) for i, v in enumerate(s.values) if v is not None]
        dash = f' stroke-dasharray="{st["dash"]}"' if st["dash"] else ""
        parts.append(f'<g class="series series-{s.style}">')
        if len(pts_xy) >= 2:
            pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in pts_xy)
            parts.append(f'<polygon points="{pts}" fill="{st["fill"]}" '
                         f'fill-opacity="{st["fill-opacity"]}" stroke="{st["stroke"]}" '
                         f'stroke-width="{st["width"]}"{dash}/>')
        for x, y in pts_xy:
            parts.append(_marker(st["marker"], x, y, st))
        parts.append("</g>")
    # legend: a line sample with its marker, and the label in words
    ly0 = size * 0.82 + 4
    for k, s in enumerate(ser):
        y = ly0 + 22 * k
        sample_x, text_x = (w / 2 + 82, w / 2 + 72) if rtl else (w / 2 - 110, w / 2 - 72)
        parts.append(f'<g class="legend">{_legend_line(sample_x, y, STYLES[s.style])}'
                     f'<text x="{_n(text_x)}" y="{_n(y + 4)}" font-size="13" '
                     f'fill="#222222">{escape(s.label)}</text></g>')
    parts.append("</svg>")
    return Markup("\n".join(parts))


def gap_bar(gap: int, span: int, *, label: str | None = None, cell: int = 14,
            rtl: bool = False) -> Markup:
    """``span`` cells, the first ``gap`` filled: one gap's size on the level scale
    (from the right in a right-to-left report)."""
    span = max(span, 1)
    gap = max(0, min(gap, span))
    w = span * (cell + 2)
    text = label if label is not None else f"gap of {gap} level{'s' if gap != 1 else ''}"
    parts = [f'<svg class="chart gap-bar" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {w} {cell}" width="{w}" height="{cell}" role="img" '
             f'aria-label="{escape(text)}">']
    for i in range(span):
        filled = (span - 1 - i < gap) if rtl else i < gap
        parts.append(f'<rect x="{i * (cell + 2)}" y="0" width="{cell}" height="{cell}" '
                     f'fill="{"#b35c00" if filled else "#ffffff"}" stroke="#b35c00" '
                     f'stroke-width="1"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class TrendPoint:
    """One year on a trend chart: its label (the period) and a second line (the file),
    the index and the range it could still take (None: not known), the stage, whether
    it is provisional, and the rubric version it was scored with."""

    label: str
    sub: str
    index: float | None
    low: float | None
    high: float | None
    stage: int | None
    stage_name: str | None
    provisional: bool
    version: str


def _short(text: str, width: int = 22, *, tail: bool = False) -> str:
    """At most ``width`` characters: the start and "…" (or, with ``tail``, "…" and the
    end, which is what tells two file paths apart). A control character, which XML cannot
    hold (and the PDF's SVG reader would refuse), is shown escaped (``\\u0001``)."""
    from cyberdip.textsafe import for_file

    text = for_file(text).replace("\t", " ")
    if len(text) <= width:
        return text
    return "…" + text[-(width - 1):] if tail else text[:width - 1] + "…"


def trend_label_widths(n: int, width: int = 720) -> tuple[int, int]:
    """How many characters of a year's label (13 px, bold) and of its smaller lines (the
    file, the stage: 10-11 px) fit under it when ``n`` years share the chart's width."""
    room = (width - 60) / max(n, 1)
    return max(6, min(24, int(room / 8))), max(8, min(40, int(room / 6)))


def trend(points: Sequence[TrendPoint], *, title: str, index_label: str = "Readiness index",
          top_stage: int | None = None, width: int = 720, font: str | None = None) -> Markup:
    """An inline SVG line chart of a series of assessments, years evenly spaced from
    left to right in time order: the index as a solid line with round markers (hollow
    when the point is provisional) and its value above; the range the index could still
    take as a shaded band, with a whisker at each year; a dashed vertical line where the
    rubric version changed, labelled with both versions; and, under each year, its stage
    as ``top_stage`` countable boxes with the first ``stage`` filled, and in words. An
    index that is not known is never drawn as a zero: the line breaks there. ``font``
    sets the text's font family (the PDF names its own font)."""
    n = max(len(points), 1)
    left, right, top, plot_h = 44.0, 16.0, 30.0, 230.0
    plot_w = width - left - right
    staged = top_stage is not None
    axis_y = top + plot_h
    stage_y = axis_y + 48
    legend_y = stage_y + (44 if staged else 6)
    provisional = any(p.provisional for p in points)
    changes = [k for k in range(1, len(points)) if points[k].version != points[k - 1].version]
    legend = [("line", f"{index_label} (0–100)"),
              ("band", "Range the index could still take once everything is answered")]
    if provisional:
        legend.append(("hollow", "Provisional: coverage below the minimum"))
    if changes:
        legend.append(("version", "The rubric version changed"))
    height = int(legend_y + 20 * len(legend) + 8)

    def x(i: int) -> float:
        return left + (i + 0.5) * plot_w / n

    wide, small = trend_label_widths(len(points), width)

    def y(v: float) -> float:
        return top + (100 - max(0.0, min(100.0, v))) / 100 * plot_h

    font_attr = f' font-family="{escape(font)}"' if font else ""
    parts: list[str] = [
        f'<svg class="chart trend" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="trend-title"{font_attr}>',
        f'<title id="trend-title">{escape(_short(title, 200))}</title>',
    ]
    for v in (0, 25, 50, 75, 100):
        parts.append(f'<line class="grid" x1="{_n(left)}" y1="{_n(y(v))}" '
                     f'x2="{_n(width - right)}" y2="{_n(y(v))}" stroke="#dddddd" '
                     f'stroke-width="1"/>')
        parts.append(f'<text class="grid-label" x="{_n(left - 6)}" y="{_n(y(v) + 4)}" '
                     f'text-anchor="end" font-size="11" fill="#555555">{v}</text>')
    # the band: one polygon per run of consecutive years whose range is known
    runs: list[list[int]] = []
    for i, p in enumerate(points):
        if p.low is not None and p.high is not None:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
    for run in runs:
        if len(run) >= 2:
            upper = [f"{_n(x(i))},{_n(y(points[i].high))}" for i in run]  # type: ignore[arg-type]
            lower = [f"{_n(x(i))},{_n(y(points[i].low))}" for i in reversed(run)]  # type: ignore[arg-type]
            parts.append(f'<polygon class="range-band" points="{" ".join(upper + lower)}" '
                         f'fill="#1f5fa8" fill-opacity="0.13" stroke="none"/>')
    for i, p in enumerate(points):
        if p.low is not None and p.high is not None:
            xi, yl, yh = x(i), y(p.low), y(p.high)
            parts.append(
                f'<g class="range-whisker" stroke="#1f5fa8" stroke-width="1.2" '
                f'stroke-opacity="0.7"><line x1="{_n(xi)}" y1="{_n(yl)}" x2="{_n(xi)}" '
                f'y2="{_n(yh)}"/><line x1="{_n(xi - 5)}" y1="{_n(yl)}" x2="{_n(xi + 5)}" '
                f'y2="{_n(yl)}"/><line x1="{_n(xi - 5)}" y1="{_n(yh)}" x2="{_n(xi + 5)}" '
                f'y2="{_n(yh)}"/></g>')
    # where the rubric version changed: between the two years, labelled with both
    for k in changes:
        xm = (x(k - 1) + x(k)) / 2
        parts.append(f'<line class="version-change" x1="{_n(xm)}" y1="{_n(top - 4)}" '
                     f'x2="{_n(xm)}" y2="{_n(axis_y)}" stroke="#8a4b00" stroke-width="1.2" '
                     f'stroke-dasharray="5 4"/>')
        parts.append(f'<text class="version-label" x="{_n(xm)}" y="{_n(top - 10)}" '
                     f'text-anchor="middle" font-size="11" fill="#8a4b00">rubric '
                     f'{escape(_short(points[k - 1].version, 12))} to '
                     f'{escape(_short(points[k].version, 12))}</text>')
    # the index: a line through consecutive known values, broken where it is unknown
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, p in enumerate(points):
        if p.index is None:
            if segment:
                segments.append(segment)
            segment = []
        else:
            segment.append(f"{_n(x(i))},{_n(y(p.index))}")
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) >= 2:
            parts.append(f'<polyline class="index-line" points="{" ".join(seg)}" fill="none" '
                         f'stroke="#1f5fa8" stroke-width="2.5"/>')
    for i, p in enumerate(points):
        xi = x(i)
        if p.index is not None:
            yi = y(p.index)
            fill = "#ffffff" if p.provisional else "#1f5fa8"
            parts.append(f'<circle class="index-point" cx="{_n(xi)}" cy="{_n(yi)}" r="4.5" '
                         f'fill="{fill}" stroke="#1f5fa8" stroke-width="2"/>')
            parts.append(f'<text class="index-value" x="{_n(xi + 9)}" y="{_n(yi - 8)}" '
                         f'font-size="12" font-weight="bold" fill="#1d1d1f" '
                         f'stroke="#ffffff" stroke-width="3" paint-order="stroke">'
                         f'{p.index:.2f}</text>')
        else:
            parts.append(f'<text class="index-value" x="{_n(xi)}" y="{_n(axis_y - 8)}" '
                         f'text-anchor="middle" font-size="11" font-style="italic" '
                         f'fill="#555555">no index</text>')
        # the year under the axis: its label, and the file
        parts.append(f'<text class="year-label" text-anchor="middle" fill="#222222">'
                     f'<tspan x="{_n(xi)}" y="{_n(axis_y + 17)}" font-size="13" '
                     f'font-weight="bold">{escape(_short(p.label, wide))}</tspan>'
                     f'<tspan x="{_n(xi)}" y="{_n(axis_y + 32)}" font-size="10" '
                     f'fill="#555555">{escape(_short(p.sub, small, tail=True))}</tspan></text>')
        if staged:
            assert top_stage is not None
            cells = max(top_stage, 1)
            cell, gap = 9, 2
            x0 = xi - (cells * (cell + gap) - gap) / 2
            filled = 0 if p.stage is None else max(0, min(p.stage, cells))
            boxes = "".join(
                f'<rect x="{_n(x0 + j * (cell + gap))}" y="{_n(stage_y - 11)}" '
                f'width="{cell}" height="{cell}" fill="{"#1d1d1f" if j < filled else "#ffffff"}" '
                f'stroke="#1d1d1f" stroke-width="1"/>' for j in range(cells))
            words = ("no stage yet" if p.stage is None
                     else f"stage {p.stage}" + (f" {p.stage_name}" if p.stage_name else ""))
            parts.append(f'<g class="stage-mark">{boxes}<text x="{_n(xi)}" '
                         f'y="{_n(stage_y + 12)}" text-anchor="middle" font-size="11" '
                         f'fill="#222222">{escape(_short(words, small))}</text></g>')
    for k, (kind, text) in enumerate(legend):
        ly = legend_y + 20 * k
        lx = left
        if kind == "line":
            sample = (f'<line x1="{_n(lx)}" y1="{_n(ly)}" x2="{_n(lx + 28)}" y2="{_n(ly)}" '
                      f'stroke="#1f5fa8" stroke-width="2.5"/><circle cx="{_n(lx + 14)}" '
                      f'cy="{_n(ly)}" r="4" fill="#1f5fa8" stroke="#1f5fa8" stroke-width="2"/>')
        elif kind == "band":
            sample = (f'<rect x="{_n(lx)}" y="{_n(ly - 6)}" width="28" height="12" '
                      f'fill="#1f5fa8" fill-opacity="0.13" stroke="#1f5fa8" '
                      f'stroke-opacity="0.7" stroke-width="1"/>')
        elif kind == "hollow":
            sample = (f'<circle cx="{_n(lx + 14)}" cy="{_n(ly)}" r="4.5" fill="#ffffff" '
                      f'stroke="#1f5fa8" stroke-width="2"/>')
        else:
            sample = (f'<line x1="{_n(lx + 14)}" y1="{_n(ly - 7)}" x2="{_n(lx + 14)}" '
                      f'y2="{_n(ly + 7)}" stroke="#8a4b00" stroke-width="1.2" '
                      f'stroke-dasharray="5 4"/>')
        parts.append(f'<g class="legend">{sample}<text x="{_n(lx + 38)}" y="{_n(ly + 4)}" '
                     f'font-size="12" fill="#222222">{escape(_short(text, 90))}</text></g>')
    if staged:
        parts.append(f'<text class="stage-note" x="{_n(width - right)}" '
                     f'y="{_n(legend_y)}" text-anchor="end" font-size="11" fill="#555555">'
                     f'Stage: filled boxes of {top_stage}</text>')
    parts.append("</svg>")
    return Markup("\n".join(parts))
