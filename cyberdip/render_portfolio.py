"""Comparisons and portfolios to text, JSON, CSV, Markdown and HTML.

Every function returns a string; the CLI decides where it goes. HTML uses the
one Jinja environment of :mod:`cyberdip.render` and its base template.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from cyberdip.compare import Comparison, CriterionDelta, Portfolio

# -- shared helpers ------------------------------------------------------------------------


def num(v: float | None, nd: int = 1) -> str:
    return "—" if v is None else f"{v:.{nd}f}"


def signed(v: float | None, nd: int = 1) -> str:
    """A change with its sign and a word-free arrow: ``+3.0 ▲``, ``-1.5 ▼``, ``0.0 =``."""
    if v is None:
        return "—"
    if round(v, nd) == 0:
        return f"{0:.{nd}f} ="
    return f"{v:+.{nd}f} {'▲' if v > 0 else '▼'}"


def count_change(v: int) -> str:
    """A change in a count where up is not better (open gaps): the sign only, no arrow."""
    return "0" if v == 0 else f"{v:+d}"


def signed_int(v: int | None) -> str:
    if v is None:
        return "—"
    return "0 =" if v == 0 else f"{v:+d} {'▲' if v > 0 else '▼'}"


def level(lv: int | None, name: str | None) -> str:
    return "—" if lv is None else f"{lv} {name}" if name else str(lv)


def pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.0f}%"


def _table(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> list[str]:
    """A plain, aligned text table (no colour: the signs and arrows carry the meaning)."""
    right = right or set()
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(r: list[str]) -> str:
        cells = [r[i].rjust(widths[i]) if i in right else r[i].ljust(widths[i])
                 for i in range(len(r))]
        return "  ".join(cells).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def _who(org: str, unit: str | None) -> str:
    return org + (f" — {unit}" if unit else "")


def _md() -> Any:
    from cyberdip.render import md_escape

    return md_escape


# -- compare -------------------------------------------------------------------------------


def compare_json(c: Comparison) -> str:
    return json.dumps(c.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _crit_line(d: CriterionDelta) -> str:
    crit = " [critical]" if d.critical else ""
    return (f"{d.title}{crit} ({d.id}): {level(d.old_level, d.old_level_name)} → "
            f"{level(d.new_level, d.new_level_name)}")


def compare_text(c: Comparison) -> str:
    o, n = c.old, c.new
    out = [f"Progress: {_who(n.organisation, n.unit)}",
           f"{c.rubric.title} ({c.rubric.id} {c.rubric.version})",
           f"Previous: {o.period or 'period not stated'} ({o.label})",
           f"Current:  {n.period or 'period not stated'} ({n.label})", ""]
    out += _table(["", "Previous", "Current", "Change"], [
        ["Index", num(o.index), num(n.index), signed(c.index_delta)],
        ["Stage", level(o.stage, o.stage_name), level(n.stage, n.stage_name),
         signed_int(c.stage_delta)],
        ["Coverage", pct(o.coverage), pct(n.coverage), signed(c.coverage_delta)],
        ["Open gaps", str(o.gaps), str(n.gaps), count_change(n.gaps - o.gaps)],
    ], right={1, 2, 3})
    if o.provisional or n.provisional:
        out.append("PROVISIONAL: coverage is below the minimum in "
                   + " and ".join(x for x, p in (("the previous", o.provisional),
                                                  ("the current", n.provisional)) if p)
                   + " assessment; read the changes with care.")
    if c.versions_differ:
        out += ["", f"Rubric version {o.rubric_version} → {n.rubric_version}: "
                f"{len(c.criteria_added)} criteria added, {len(c.criteria_removed)} removed."]
        if c.criteria_added:
            out.append("  Added:   " + ", ".join(c.criteria_added))
        if c.criteria_removed:
            out.append("  Removed: " + ", ".join(c.criteria_removed))
    out += ["", "Areas"]
    out += ["  " + x for x in _table(["Area", "Previous", "Current", "Change", "Stage"], [
        [a.title, num(a.old_score), num(a.new_score), signed(a.delta),
         f"{level(a.old_stage, a.old_stage_name)} → {level(a.new_stage, a.new_stage_name)}"
         if a.presence == "both" else f"only in the {a.presence.split('-')[0]} rubric"]
        for a in c.areas], right={1, 2, 3})]
    for title, items, mark in (("Improved", c.improved, "+"), ("Regressed", c.regressed, "-"),
                               ("Newly assessed", c.newly_assessed, "*"),
                               ("No longer assessed", c.no_longer_assessed, "?")):
        out += ["", f"{title} ({len(items)})"]
        out += [f"  {mark} {_crit_line(d)}" for d in items] or ["  none"]
    out += ["", f"Unchanged: {c.unchanged} criteria"]
    out += ["", f"Gaps closed ({len(c.gaps_closed)})"]
    out += [f"  ✓ {g.title} ({g.id}): was level {g.current} {g.current_name}, target {g.target}"
            for g in c.gaps_closed] or ["  none"]
    out += ["", f"New gaps ({len(c.gaps_new)})"]
    for g in c.gaps_new:
        crit = " [critical]" if g.critical else ""
        out.append(f"  ! {g.title}{crit} ({g.id}): level {g.current} {g.current_name} → "
                   f"target {g.target} {g.target_name}")
        if g.recommendation:
            out.append(f"    Next ({g.next_level} {g.next_name}): {g.recommendation}")
    if not c.gaps_new:
        out.append("  none")
    if c.regressions:
        out += ["", "Regressions"] + [f"  - {r}" for r in c.regressions]
    return "\n".join(out) + "\n"


def compare_markdown(c: Comparison) -> str:
    e = _md()
    o, n = c.old, c.new
    out = [f"# Progress: {e(_who(n.organisation, n.unit))}", "",
           f"{e(c.rubric.title)} (`{e(c.rubric.id)}` {e(c.rubric.version)}). "
           f"Previous: {e(o.period or 'period not stated')} ({e(o.label)}); "
           f"current: {e(n.period or 'period not stated')} ({e(n.label)}).", "",
           "| | Previous | Current | Change |", "|---|---:|---:|---:|",
           f"| Index | {num(o.index)} | {num(n.index)} | {signed(c.index_delta)} |",
           f"| Stage | {e(level(o.stage, o.stage_name))} | {e(level(n.stage, n.stage_name))} "
           f"| {signed_int(c.stage_delta)} |",
           f"| Coverage | {pct(o.coverage)} | {pct(n.coverage)} | {signed(c.coverage_delta)} |",
           f"| Open gaps | {o.gaps} | {n.gaps} | {count_change(n.gaps - o.gaps)} |", ""]
    if c.versions_differ:
        out += [f"Rubric version {e(o.rubric_version)} → {e(n.rubric_version)}.", ""]
        out += [f"- Added: {', '.join(f'`{e(x)}`' for x in c.criteria_added) or 'none'}",
                f"- Removed: {', '.join(f'`{e(x)}`' for x in c.criteria_removed) or 'none'}", ""]
    out += ["## Areas", "", "| Area | Previous | Current | Change | Stage |",
            "|---|---:|---:|---:|---|"]
    out += [f"| {e(a.title)} | {num(a.old_score)} | {num(a.new_score)} | {signed(a.delta)} | "
            f"{e(level(a.old_stage, a.old_stage_name))} → "
            f"{e(level(a.new_stage, a.new_stage_name))} |" for a in c.areas]
    for title, items in (("Improved", c.improved), ("Regressed", c.regressed),
                         ("Newly assessed", c.newly_assessed),
                         ("No longer assessed", c.no_longer_assessed)):
        out += ["", f"## {title} ({len(items)})", ""]
        out += [f"- {e(d.title)}{' **critical**' if d.critical else ''} (`{e(d.id)}`): "
                f"{e(level(d.old_level, d.old_level_name))} → "
                f"{e(level(d.new_level, d.new_level_name))}" for d in items] or ["None."]
    out += ["", f"## Gaps closed ({len(c.gaps_closed)})", ""]
    out += [f"- {e(g.title)} (`{e(g.id)}`): was level {g.current} {e(g.current_name)}, "
            f"target {g.target}" for g in c.gaps_closed] or ["None."]
    out += ["", f"## New gaps ({len(c.gaps_new)})", ""]
    out += [f"- {e(g.title)}{' **critical**' if g.critical else ''} (`{e(g.id)}`): level "
            f"{g.current} {e(g.current_name)} → target {g.target} {e(g.target_name)}"
            + (f". Next ({g.next_level} {e(g.next_name)}): {e(g.recommendation)}"
               if g.recommendation else "") for g in c.gaps_new] or ["None."]
    if c.regressions:
        out += ["", "## Regressions", ""] + [f"- {e(r)}" for r in c.regressions]
    return "\n".join(out) + "\n"


def compare_html(c: Comparison) -> str:
    from cyberdip import svg
    from cyberdip.render import environment

    both = [a for a in c.areas if a.presence == "both"]
    radar = svg.radar(
        [a.title for a in both],
        [svg.Series(f"Previous ({c.old.period or c.old.label})",
                    [a.old_score for a in both], "previous"),
         svg.Series(f"Current ({c.new.period or c.new.label})",
                    [a.new_score for a in both], "current")],
        title="Current score against previous, by area (0–100)")
    return environment().get_template("compare.html.j2").render(
        c=c, radar=radar, num=num, signed=signed, signed_int=signed_int,
        count_change=count_change, level=level, pct=pct)


# -- aggregate -----------------------------------------------------------------------------


def aggregate_json(p: Portfolio) -> str:
    return json.dumps(p.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _quartile_rows(p: Portfolio) -> list[list[str]]:
    return [[s.title, str(s.units), num(s.min), num(s.q1), num(s.median), num(s.q3),
             num(s.max)] for s in [p.index_stats, *p.area_stats]]


def _method_note(p: Portfolio) -> str:
    return (f"Quartiles: Python statistics.quantiles, method=\"{p.quartile_method}\" "
            "(linear interpolation over the units that have a score).")


def aggregate_text(p: Portfolio, *, source: str = "") -> str:
    out = [f"Portfolio: {p.units} assessment{'s' if p.units != 1 else ''} of "
           f"{p.rubric.title} ({p.rubric.id} {p.rubric.version})"]
    if source:
        out.append(source)
    out += ["", "League table (by index; ties by name)"]
    head = ["#", "Unit", "Index", "Stage", "Coverage"] + [a.id for a in p.areas]
    rows = [[str(r.rank), r.label + (" (provisional)" if r.provisional else ""), num(r.index),
             level(r.stage, r.stage_name), pct(r.coverage)] + [num(v) for v in r.areas]
            for r in p.table]
    out += _table(head, rows, right={0, 2, 4, *range(5, 5 + len(p.areas))})
    out += ["", "Spread by area (score 0–100)"]
    out += _table(["Area", "Units", "Min", "Q1", "Median", "Q3", "Max"], _quartile_rows(p),
                  right={1, 2, 3, 4, 5, 6})
    out.append(_method_note(p))
    out += ["", f"Shared weaknesses: criteria most often at level {p.weak_at} or below "
            f"(top {len(p.weaknesses)} of {p.weaknesses_total})"]
    for i, w in enumerate(p.weaknesses, 1):
        crit = " [critical]" if w.critical else ""
        out.append(f"{i}. {w.title}{crit} ({w.id}): {w.units_weak} of {p.units} units "
                   f"({w.share:g}%)")
        if w.recommendation:
            nxt = f" ({level(w.next_level, w.next_name)})" if w.next_level is not None else ""
            out.append(f"   Next{nxt}: {w.recommendation}")
        if w.sources:
            out.append("   Source: " + "; ".join(f"{s.citation}, “{s.section}”"
                                                 for s in w.sources))
    if not p.weaknesses:
        out.append("None: no assessed criterion is that low in any unit.")
    return "\n".join(out) + "\n"


def _cell(text: str | None) -> str:
    """Text for a spreadsheet cell that cannot be taken for a formula (CSV injection):
    a leading ``= + - @`` or tab gets a ``'`` in front, as OWASP advises."""
    if not text:
        return ""
    return "'" + text if text[0] in "=+-@\t\r" else text


def aggregate_csv(p: Portfolio) -> str:
    """The league table, one row per assessment, area scores as columns."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["rank", "unit", "organisation", "country", "period", "path", "index", "stage",
                "stage_name", "coverage", "provisional"] + [f"area:{a.id}" for a in p.areas])
    for r in p.table:
        w.writerow([r.rank, _cell(r.label), _cell(r.organisation), _cell(r.country),
                    _cell(r.period), _cell(r.path),
                    "" if r.index is None else f"{r.index:.2f}",
                    "" if r.stage is None else r.stage, r.stage_name or "",
                    f"{r.coverage:.2f}", "yes" if r.provisional else "no"]
                   + ["" if v is None else f"{v:.2f}" for v in r.areas])
    return buf.getvalue()


def aggregate_markdown(p: Portfolio, *, source: str = "") -> str:
    e = _md()
    out = [f"# Portfolio: {e(p.rubric.title)}", "",
           f"{p.units} assessment{'s' if p.units != 1 else ''} of `{e(p.rubric.id)}` "
           f"{e(p.rubric.version)}." + (f" {e(source)}" if source else ""), "",
           "## League table", "", "Ranked by index; ties broken by name.", "",
           "| # | Unit | Index | Stage | Coverage | "
           + " | ".join(e(a.title) for a in p.areas) + " |",
           "|---:|---|---:|---|---:|" + "---:|" * len(p.areas)]
    out += [f"| {r.rank} | {e(r.label)}{' (provisional)' if r.provisional else ''} | "
            f"{num(r.index)} | {e(level(r.stage, r.stage_name))} | {pct(r.coverage)} | "
            + " | ".join(num(v) for v in r.areas) + " |" for r in p.table]
    out += ["", "## Spread by area", "", "| Area | Units | Min | Q1 | Median | Q3 | Max |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    out += ["| " + " | ".join([e(r[0]), *r[1:]]) + " |" for r in _quartile_rows(p)]
    out += ["", e(_method_note(p)), "",
            "## Shared weaknesses", "",
            f"Criteria most often at level {p.weak_at} or below (top {len(p.weaknesses)} of "
            f"{p.weaknesses_total}).", ""]
    for i, w in enumerate(p.weaknesses, 1):
        line = (f"{i}. **{e(w.title)}**{' (critical)' if w.critical else ''} (`{e(w.id)}`): "
                f"{w.units_weak} of {p.units} units ({w.share:g}%).")
        if w.recommendation:
            line += f" Next ({e(level(w.next_level, w.next_name))}): {e(w.recommendation)}"
        if w.sources:
            line += " Source: " + "; ".join(f"{e(s.citation)}, “{e(s.section)}”"
                                            for s in w.sources) + "."
        out.append(line)
    if not p.weaknesses:
        out.append("None: no assessed criterion is that low in any unit.")
    return "\n".join(out) + "\n"


#: Heat-map bands: (lower bound, css class, words). Every cell also shows its number.
BANDS = ((80.0, "h4", "80–100"), (60.0, "h3", "60–79"), (40.0, "h2", "40–59"),
         (20.0, "h1", "20–39"), (0.0, "h0", "0–19"))


def band(v: float | None) -> str:
    if v is None:
        return "hn"
    for lo, cls, _ in BANDS:
        if v >= lo:
            return cls
    return "h0"


def heat_rows(p: Portfolio) -> Any:
    """The league table's body rows as HTML: one row per unit, one shaded cell per area
    with its score written in it (colour is never the only cue).

    Built here rather than in a Jinja loop because a portfolio can have 10,000 rows,
    where this is four times faster; every value passes through ``escape``.
    """
    from markupsafe import Markup, escape

    out = []
    for r in p.table:
        prov = " <small>(provisional)</small>" if r.provisional else ""
        cells = "".join(f'<td class="hc {band(v)}">{num(v)}</td>' for v in r.areas)
        out.append(f'<tr><td class="num">{r.rank}</td><th scope="row">{escape(r.label)}{prov}'
                   f'</th><td class="num">{num(r.index)}</td><td class="stage">'
                   f'{escape(level(r.stage, r.stage_name))}</td><td class="num">'
                   f'{pct(r.coverage)}</td>{cells}</tr>')
    return Markup("\n".join(out))


def aggregate_html(p: Portfolio, *, source: str = "") -> str:
    """One self-contained page: the league table doubles as the heat map of area by unit,
    followed by the spread of each area and the shared weaknesses."""
    from cyberdip.render import environment

    return environment().get_template("aggregate.html.j2").render(
        p=p, rows=heat_rows(p), stats=_quartile_rows(p), method=_method_note(p), bands=BANDS,
        source=source, level=level, num=num)
