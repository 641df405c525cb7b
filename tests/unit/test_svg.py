"""The inline SVG charts: geometry, styles, escaping and determinism."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from cyberdip import svg


def _elements(markup: str) -> list[tuple[str, dict]]:
    found: list[tuple[str, dict]] = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    P().feed(str(markup))
    return found


def test_a_full_score_reaches_the_outer_ring_on_its_spoke():
    out = svg.radar(["A", "B", "C", "D"], [svg.Series("now", [100, 0, 50, None])],
                    size=400)
    poly = [a for t, a in _elements(out) if t == "polygon" and a.get("stroke") ==
            svg.STYLES["current"]["stroke"]][0]
    pts = [tuple(map(float, p.split(","))) for p in poly["points"].split()]
    cx, cy, r = 200, 400 * 0.41, 400 * 0.26
    assert pts[0] == pytest.approx((cx, cy - r), abs=0.05)  # A: 100 at the top
    assert pts[1] == pytest.approx((cx, cy), abs=0.05)  # B: 0 at the centre
    assert pts[2] == pytest.approx((cx, cy + r / 2), abs=0.05)  # C: 50 halfway down
    assert pts[3] == pytest.approx((cx, cy), abs=0.05)  # D: not assessed, drawn at 0


def test_not_assessed_values_get_a_hollow_marker():
    out = svg.radar(["A", "B", "C"], [("now", [50, None, 50], "current")])
    circles = [a for t, a in _elements(out) if t == "circle"]
    fills = [c["fill"] for c in circles]
    assert fills.count("#ffffff") == 1  # the None point (legend markers are filled)


def test_each_style_differs_by_more_than_colour():
    out = svg.radar(["A", "B", "C"], [("Now", [1, 2, 3], "current"),
                                      ("Goal", [4, 5, 6], "target"),
                                      ("Before", [7, 8, 9], "previous")])
    els = _elements(out)
    # line pattern: solid, dashed, dotted; marker: circle, square, diamond
    dashes = {a.get("stroke-dasharray") for t, a in els if t == "polygon"
              and a.get("stroke") in {s["stroke"] for s in svg.STYLES.values()}}
    assert dashes == {None, "7 4", "2 3"}
    assert {t for t, _ in els} >= {"circle", "rect", "polygon"}
    text = re.sub(r"<[^>]+>", "", str(out))
    for label in ("Now", "Goal", "Before"):
        assert label in text  # the legend names every series in words


def test_every_label_is_escaped():
    evil = '<script>alert(1)</script>"&\''
    out = svg.radar([evil, "B", "C"], [svg.Series(evil, [1, 2, 3])], title=evil)
    assert "<script" not in str(out)
    assert "&lt;script&gt;" in str(out)
    assert {t for t, _ in _elements(out)} <= {"svg", "title", "polygon", "text", "line",
                                               "tspan", "g", "circle", "rect"}
    bar = svg.gap_bar(2, 4, label=evil)
    assert "<script" not in str(bar) and 'aria-label="&lt;script&gt;' in str(bar)


def test_bad_series_are_rejected():
    with pytest.raises(ValueError, match="2 values for 3 axes"):
        svg.radar(["A", "B", "C"], [svg.Series("x", [1, 2])])
    with pytest.raises(ValueError, match="unknown radar style"):
        svg.radar(["A", "B", "C"], [svg.Series("x", [1, 2, 3], "neon")])


def test_output_is_deterministic_and_values_are_clamped():
    args = (["A", "B", "C"], [svg.Series("x", [150, -20, 33.3333])])
    assert svg.radar(*args) == svg.radar(*args)
    over = svg.radar(["A", "B", "C"], [svg.Series("x", [150, 100, 100])])
    full = svg.radar(["A", "B", "C"], [svg.Series("x", [100, 100, 100])])
    assert over == full


@pytest.mark.parametrize("gap,span,filled", [(0, 4, 0), (1, 4, 1), (3, 5, 3), (9, 4, 4)])
def test_gap_bar_fills_one_cell_per_level(gap, span, filled):
    rects = [a for t, a in _elements(svg.gap_bar(gap, span)) if t == "rect"]
    assert len(rects) == span
    assert sum(a["fill"] != "#ffffff" for a in rects) == filled
