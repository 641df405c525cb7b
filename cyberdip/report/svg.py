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
