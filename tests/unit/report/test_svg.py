"""The inline SVG charts: geometry, styles, escaping and determinism."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from cyberdip.formats import documents
from cyberdip.report import svg


def _elements(markup: str) -> list[tuple[str, dict]]:
    found: list[tuple[str, dict]] = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    P().feed(str(markup))
    return found


def _series_polygon(markup, style="current") -> list[tuple[float, float]]:
    polys = [a for t, a in _elements(markup) if t == "polygon" and "fill-opacity" in a
             and a.get("stroke") == svg.STYLES[style]["stroke"]]  # not a diamond marker
    assert len(polys) <= 1
    return [tuple(map(float, p.split(","))) for p in polys[0]["points"].split()] if polys else []


def _axis_labels(markup) -> list[str]:
    """The words of each axis label, lines joined by spaces."""
    return [" ".join(re.findall(r">([^<]+)</tspan>", m))
            for m in re.findall(r'<text class="axis-label"[^>]*>(.*?)</text>', str(markup))]


def test_a_full_score_reaches_the_outer_ring_on_its_spoke():
    out = svg.radar(["A", "B", "C", "D"], [svg.Series("now", [100, 0, 50, None])],
                    size=400)
    pts = _series_polygon(out)
    cx, cy, r = 200, 400 * 0.41, 400 * 0.26
    assert pts[0] == pytest.approx((cx, cy - r), abs=0.05)  # A: 100 at the top
    assert pts[1] == pytest.approx((cx, cy), abs=0.05)  # B: 0 at the centre
    assert pts[2] == pytest.approx((cx, cy + r / 2), abs=0.05)  # C: 50 halfway down
    assert len(pts) == 3  # D: not assessed, left out of the line (not drawn at 0)


def test_not_assessed_is_left_out_of_the_line_and_marked_on_its_axis():
    size = 400
    cx, cy = size / 2, size * 0.41
    out = svg.radar(["A", "B", "C", "D"], [("now", [50, None, 50, 50], "current"),
                                           ("goal", [75, None, 75, 75], "target")], size=size)
    for style in ("current", "target"):
        pts = _series_polygon(out, style)
        assert len(pts) == 3
        assert all(abs(x - cx) > 1 or abs(y - cy) > 1 for x, y in pts)  # none at the centre
        assert all(x <= cx + 0.05 for x, y in pts[1:])  # B (to the right) is skipped
    circles = [a for t, a in _elements(out) if t == "circle"]
    assert len(circles) == 3 + 1  # one per assessed axis, and the legend's
    assert _axis_labels(out) == ["A", "B (not assessed)", "C", "D"]
    spokes = [a for t, a in _elements(out) if t == "line" and "spoke" in a.get("class", "")]
    assert [a.get("stroke-dasharray") for a in spokes] == [None, "4 4", None, None]
    assert [a["class"] for a in spokes][1] == "spoke not-assessed"


def test_an_axis_some_series_lack_names_those_series():
    out = svg.radar(["Policy", "Legal", "Incident response"],
                    [svg.Series("Previous (2023)", [20, 40, None], "previous", "2023"),
                     svg.Series("Current (2025)", [30, 35, 34], "current")])
    assert _axis_labels(out) == ["Policy", "Legal", "Incident response (not assessed in 2023)"]
    assert len(_series_polygon(out, "previous")) == 2 and len(_series_polygon(out)) == 3
    assert 'stroke-dasharray="4 4"' not in str(out)  # assessed by one: not a dashed spoke


@pytest.mark.parametrize("values,polygon,markers", [
    ([None, None, None, None], 0, 0),  # nothing assessed: no line, no marker
    ([None, 40, None, None], 0, 1),  # one area: a lone marker
    ([None, 40, None, 60], 2, 2),  # two areas: a line between them
    ([10, 40, None, 60], 3, 3),
])
def test_fewer_than_three_assessed_areas_still_render(values, polygon, markers):
    import xml.etree.ElementTree as ET

    out = svg.radar(["A", "B", "C", "D"], [svg.Series("now", values)])
    ET.fromstring(str(out))  # well-formed
    assert len(_series_polygon(out)) == polygon
    series = str(out).split('<g class="series series-current">')[1].split("</g>")[0]
    assert series.count("<circle") == markers
    assert sum("(not assessed)" in label for label in _axis_labels(out)) == values.count(None)


def test_axis_notes_are_escaped():
    out = svg.radar(["A", "B", "C"], [svg.Series("x", [1, None, 3], "current", '<b>"&')])
    assert "<b>" not in str(out)
    assert "(not assessed)" in str(out)  # every series lacks B: the short name is not needed
    out = svg.radar(["A", "B", "C"], [svg.Series("x", [1, None, 3], "current", '<b>"&'),
                                      svg.Series("y", [1, 2, 3], "target")])
    assert "<b>" not in str(out) and "&lt;b&gt;&#34;&amp;" in str(out)


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
    missing = svg.radar(["A", evil, "C"], [svg.Series("x", [1, None, 3], "current", evil),
                                           svg.Series("y", [1, 2, 3], "target")])
    assert "<script" not in str(missing)
    assert _axis_labels(missing)[1] == ("&lt;script&gt;alert(1)&lt;/script&gt;&#34;&amp;&#39; "
                                        "(not assessed in &lt;script&gt;alert(1)&lt;/script&gt;"
                                        "&#34;&amp;&#39;)")
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


def test_the_report_radar_leaves_an_unassessed_area_out_and_says_so():
    from cyberdip.engine.scoring import score
    from cyberdip.report import as_html
    from tests.conftest import ROOT

    checked = documents.load_assessment(str(ROOT / "examples" / "pakistan-mofa-2023.yaml"))
    card = score(checked.rubric, checked.assessment)
    unassessed = [a.title for a in card.areas if a.score is None]
    assert unassessed  # the 2023 baseline says nothing about one area
    html = as_html.to_html(card)
    chart = html.split('<svg class="chart radar"')[1].split("</svg>")[0]
    assessed = len(card.areas) - len(unassessed)
    for style in ("current", "target"):
        pts = _series_polygon('<svg class="chart radar"' + chart + "</svg>", style)
        assert len(pts) == assessed
    labels = _axis_labels('<svg class="chart radar"' + chart + "</svg>")
    assert [x for x in labels if x.endswith("(not assessed)")] == [
        f"{t} (not assessed)" for t in unassessed]
    assert chart.count('class="spoke not-assessed"') == len(unassessed)
    assert f"Not assessed: {', '.join(unassessed)}." in " ".join(html.split())


# -- the trend chart (cyberdip trend) --------------------------------------------------------

SVG_NS = "{http://www.w3.org/2000/svg}"


def _point(label="2023", index=50.0, low=40.0, high=60.0, stage=1, version="1.0.0", **kw):
    return svg.TrendPoint(label=label, sub=kw.pop("sub", f"{label}.yaml"), index=index,
                          low=low, high=high, stage=stage,
                          stage_name=kw.pop("stage_name", "Start-up"),
                          provisional=kw.pop("provisional", False), version=version)


def _tree(markup):
    from xml.etree import ElementTree

    return ElementTree.fromstring(str(markup))  # raises on XML that is not well formed


def test_the_trend_chart_is_well_formed_has_no_script_and_is_deterministic():
    pts = [_point("2023", 27.78, 19.44, 36.11), _point("2024", 55.56, 55.56, 55.56),
           _point("2025", 58.33, 58.33, 58.33, stage=2, version="2.0.0")]
    out = svg.trend(pts, title="Index by year", top_stage=4)
    root = _tree(out)
    assert root.tag == f"{SVG_NS}svg" and root.get("role") == "img"
    assert root.find(f"{SVG_NS}title").text == "Index by year"
    tags = {el.tag.removeprefix(SVG_NS) for el in root.iter()}
    assert tags <= {"svg", "title", "line", "text", "tspan", "polygon", "polyline", "circle",
                    "rect", "g"}
    assert not any(k.lower().startswith("on") or "href" in k
                   for el in root.iter() for k in el.attrib)
    assert svg.trend(pts, title="Index by year", top_stage=4) == out


def _y(v: float) -> float:  # the chart's scale: 100 at y=30, 0 at y=260
    return 30 + (100 - v) / 100 * 230


def test_the_index_is_a_line_with_its_range_as_a_band_and_stage_boxes():
    pts = [_point("2023", 25.0, 10.0, 80.0, stage=1), _point("2024", 50.0, 40.0, 60.0, stage=3)]
    root = _tree(svg.trend(pts, title="t", top_stage=4))
    line = root.find(f".//{SVG_NS}polyline[@class='index-line']")
    ys = [float(p.split(",")[1]) for p in line.get("points").split()]
    assert ys == pytest.approx([_y(25), _y(50)], abs=0.05)
    band = root.find(f".//{SVG_NS}polygon[@class='range-band']")
    band_ys = [float(p.split(",")[1]) for p in band.get("points").split()]
    # upper edge left to right (the highs), then the lower edge back (the lows)
    assert band_ys == pytest.approx([_y(80), _y(60), _y(40), _y(10)], abs=0.05)
    marks = root.findall(f".//{SVG_NS}g[@class='stage-mark']")
    filled = [sum(r.get("fill") != "#ffffff" for r in g.findall(f"{SVG_NS}rect")) for g in marks]
    assert filled == [1, 3] and all(len(g.findall(f"{SVG_NS}rect")) == 4 for g in marks)
    assert [g.find(f"{SVG_NS}text").text for g in marks] == ["stage 1 Start-up",
                                                             "stage 3 Start-up"]


def test_an_unknown_index_breaks_the_line_and_is_never_drawn_as_zero():
    pts = [_point("a", 30.0), _point("b", None, None, None, stage=None), _point("c", 40.0),
           _point("d", 45.0)]
    root = _tree(svg.trend(pts, title="t", top_stage=4))
    lines = root.findall(f".//{SVG_NS}polyline[@class='index-line']")
    assert [len(x.get("points").split()) for x in lines] == [2]  # c-d; a stands alone
    assert len(root.findall(f".//{SVG_NS}circle[@class='index-point']")) == 3
    assert all(float(c.get("cy")) < _y(0) for c in root.iter(f"{SVG_NS}circle")
               if c.get("class") == "index-point")
    assert "no index" in [t.text for t in root.iter(f"{SVG_NS}text")]
    assert "no stage yet" in [t.text for t in root.iter(f"{SVG_NS}text")]


def test_a_version_change_is_marked_between_its_two_years_and_provisional_is_hollow():
    pts = [_point("2023", provisional=True), _point("2024"), _point("2025", version="2.0.0")]
    root = _tree(svg.trend(pts, title="t", top_stage=4))
    marks = root.findall(f".//{SVG_NS}line[@class='version-change']")
    assert len(marks) == 1
    x = [float(c.get("cx")) for c in root.iter(f"{SVG_NS}circle")
         if c.get("class") == "index-point"]
    assert x[1] < float(marks[0].get("x1")) < x[2]
    assert "rubric 1.0.0 to 2.0.0" in [t.text for t in root.iter(f"{SVG_NS}text")]
    fills = [c.get("fill") for c in root.iter(f"{SVG_NS}circle")
             if c.get("class") == "index-point"]
    assert fills == ["#ffffff", "#1f5fa8", "#1f5fa8"]
    legend = [g.find(f"{SVG_NS}text").text for g in root.findall(f"{SVG_NS}g[@class='legend']")]
    assert "Provisional: coverage below the minimum" in legend
    assert "The rubric version changed" in legend
    # without a change or a provisional year, the legend does not name them
    plain = _tree(svg.trend(pts[1:2], title="t", top_stage=4))
    assert len(plain.findall(f"{SVG_NS}g[@class='legend']")) == 2


def test_hostile_labels_from_the_xss_corpus_stay_text():
    from tests.acceptance.test_report_xss import payloads

    hostile = payloads()
    for k in range(0, len(hostile), 8):
        batch = hostile[k:k + 8]
        pts = [_point(p, 10.0 + i, sub=p, stage_name=p, version=p)
               for i, p in enumerate(batch)]
        root = _tree(svg.trend(pts, title=batch[0], index_label=batch[-1], top_stage=4))
        tags = {el.tag.removeprefix(SVG_NS) for el in root.iter()}
        assert tags <= {"svg", "title", "line", "text", "tspan", "polygon", "polyline",
                        "circle", "rect", "g"}, batch
        assert not any(k.lower().startswith("on") or "href" in k.lower()
                       for el in root.iter() for k in el.attrib)
        labels = [t.text for t in root.iter(f"{SVG_NS}tspan")
                  if t.get("font-weight") == "bold"]
        wide, _ = svg.trend_label_widths(len(batch))
        assert labels == [svg._short(p, wide) for p in batch]  # the words, shortened


def test_control_characters_in_a_label_are_shown_escaped():
    root = _tree(svg.trend([_point("20\x0123", sub="a\x1b[31m.yaml")], title="t"))
    texts = [t.text for t in root.iter(f"{SVG_NS}tspan")]
    assert "20\\u000123" in texts and "a\\u001b[31m.yaml" in texts
