"""Comparisons and portfolios to text, JSON, CSV, Markdown and HTML.

Every function returns a string; the CLI decides where it goes. HTML uses the
one Jinja environment of :mod:`cyberdip.report.render` and its base template.
"""

from __future__ import annotations

import csv
import io
import re
import textwrap
from typing import Any

from cyberdip.engine.compare import AreaDelta, Comparison, CriterionDelta, Portfolio
from cyberdip.engine.scoring import Gap
from cyberdip.textsafe import json_dumps

# -- shared helpers ------------------------------------------------------------------------


def num(v: float | None, nd: int = 2) -> str:
    """A score as the scorecard holds it (2 decimals), as in every other output."""
    return "—" if v is None else f"{v:.{nd}f}"


def signed(v: float | None, nd: int = 2) -> str:
    """A change with its sign and a word-free arrow: ``+3.00 ▲``, ``-1.50 ▼``, ``0.00 =``."""
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
    """A percentage as the scorecard holds it: coverage is never rounded up to a
    threshold it is below (``render.fmt_pct``)."""
    from cyberdip.report.render import fmt_pct

    return "—" if v is None else fmt_pct(v)


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
    from cyberdip.report.render import md_escape

    return md_escape


# -- compare -------------------------------------------------------------------------------

#: An identifier a message wraps in backticks (an area, criterion or rubric id, a
#: version). Only these become code in Markdown and HTML; any other backtick (from a
#: name someone typed) stays a plain, escaped character.
_CODE_SPAN = re.compile(r"`([A-Za-z0-9][A-Za-z0-9._:/+-]*)`")


def code_html(message: str) -> Any:
    """A message for HTML: escaped, with its `id` spans as ``<code>``."""
    from markupsafe import Markup, escape

    parts = _CODE_SPAN.split(message)
    return Markup("".join(f"<code>{escape(p)}</code>" if i % 2 else str(escape(p))
                          for i, p in enumerate(parts)))


def code_md(message: str) -> str:
    """A message for Markdown: escaped, with its `id` spans kept as code spans."""
    e = _md()

    def text(p: str) -> str:  # md_escape folds the spaces around a code span: keep them
        core = p.strip()
        return p[:len(p) - len(p.lstrip())] + str(e(core)) + p[len(p.rstrip()):] if core else p

    parts = _CODE_SPAN.split(message)
    return "".join(f"`{p}`" if i % 2 else text(p) for i, p in enumerate(parts))


def coverage_changed(c: Comparison) -> bool:
    """True when some criterion is assessed in one of the two only: then the headline
    figures mix progress with coverage, and every format shows the two apart."""
    return any(a.newly_assessed or a.no_longer_assessed for a in c.areas)


def coverage_note(a: AreaDelta) -> str:
    """The part of an area's change due to coverage, with what caused it:
    ``-6.9 (newly assessed: 4)``; no arrow, as it is neither progress nor decline."""
    why = [f"{label}: {k}" for label, k in (("newly assessed", a.newly_assessed),
                                             ("no longer assessed", a.no_longer_assessed))
           if k]
    v = a.coverage_effect
    head = "—" if v is None else f"{0:.2f}" if round(v, 2) == 0 else f"{v:+.2f}"
    return head + (f" ({', '.join(why)})" if why else "")


def lfl_rows(c: Comparison) -> list[list[str]]:
    """The like-for-like table: area, criteria assessed in both, previous, current,
    change, and the rest of the headline change, due to coverage."""
    return [[a.title, str(a.like_for_like.criteria), num(a.like_for_like.old_score),
             num(a.like_for_like.new_score), signed(a.like_for_like.delta), coverage_note(a)]
            for a in c.areas]


LFL_NOTE = ("Like for like: each area scored on the criteria assessed in both assessments "
            "only; a fall there is a regression. Due to coverage: the rest of the headline "
            "change, from criteria assessed in one of the two only; it is neither progress nor "
            "decline.")


def summary_rows(c: Comparison) -> list[tuple[bool, list[str]]]:
    """The headline figures as ``(is a sub-row, cells)``; when coverage changed, the
    like-for-like index and the open gaps split by where they come from, as sub-rows."""
    o, n, g = c.old, c.new, c.gap_counts
    split = coverage_changed(c)
    lfl = c.index_like_for_like
    rows = [(False, ["Index", num(o.index), num(n.index), signed(c.index_delta)])]
    if split:
        rows.append((True, [f"Index, like for like ({_criteria(lfl.criteria)} assessed in "
                            "both)", num(lfl.old_score), num(lfl.new_score),
                            signed(lfl.delta)]))
    rows += [(False, ["Stage", level(o.stage, o.stage_name), level(n.stage, n.stage_name),
                      signed_int(c.stage_delta)]),
             (False, ["Coverage", pct(o.coverage), pct(n.coverage), signed(c.coverage_delta)]),
             (False, ["Open gaps", str(g.old), str(g.new), count_change(g.new - g.old)])]
    if split:
        rows += [(True, ["Open gaps on criteria assessed in both", str(g.common_old),
                         str(g.common_new), count_change(g.common_new - g.common_old)]),
                 (True, ["Open gaps on criteria newly assessed", "—", str(g.newly_assessed),
                         "coverage"])]
        if any(a.no_longer_assessed for a in c.areas):
            rows.append((True, ["Open gaps on criteria no longer assessed",
                                str(g.no_longer_assessed), "—", "coverage"]))
    return rows


def _criteria(n: int) -> str:
    return f"{n} criteri{'on' if n == 1 else 'a'}"


def compare_json(c: Comparison) -> str:
    return json_dumps(c.model_dump(mode="json")) + "\n"


def compare_csv(c: Comparison) -> str:
    """One row per area: the headline scores, the like-for-like scores, the part of the
    change due to coverage, and whether the area regressed. Text cells pass through
    ``csv_cell`` (no formulas); the numbers are ours."""
    from cyberdip.textsafe import csv_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")

    def f(v: float | None) -> str:
        return "" if v is None else f"{v:.2f}"

    w.writerow(["area", "title", "previous", "current", "change", "like_for_like_criteria",
                "like_for_like_previous", "like_for_like_current", "like_for_like_change",
                "due_to_coverage", "newly_assessed", "no_longer_assessed", "previous_stage",
                "current_stage", "regressed"])
    for a in c.areas:
        lfl = a.like_for_like
        w.writerow([csv_cell(a.id), csv_cell(a.title), f(a.old_score), f(a.new_score), f(a.delta),
                    lfl.criteria, f(lfl.old_score), f(lfl.new_score), f(lfl.delta),
                    f(a.coverage_effect), a.newly_assessed, a.no_longer_assessed,
                    "" if a.old_stage is None else a.old_stage,
                    "" if a.new_stage is None else a.new_stage,
                    "yes" if a.regressed else "no"])
    return buf.getvalue()


def _crit_line(d: CriterionDelta) -> str:
    crit = " [critical]" if d.critical else ""
    return (f"{d.title}{crit} ({d.id}): {level(d.old_level, d.old_level_name)} → "
            f"{level(d.new_level, d.new_level_name)}")


def _gap_lines(gaps: list[Gap], mark: str) -> list[str]:
    out = []
    for g in gaps:
        crit = " [critical]" if g.critical else ""
        out.append(f"  {mark} {g.title}{crit} ({g.id}): level {g.current} {g.current_name} → "
                   f"target {g.target} {g.target_name}")
        if g.recommendation:
            out.append(f"    Next ({g.next_level} {g.next_name}): {g.recommendation}")
    return out or ["  none"]


def compare_text(c: Comparison) -> str:
    o, n = c.old, c.new
    out = [f"Progress: {_who(n.organisation, n.unit)}",
           f"{c.rubric.title} ({c.rubric.id} {c.rubric.version})",
           f"Previous: {o.period or 'period not stated'} ({o.label})",
           f"Current:  {n.period or 'period not stated'} ({n.label})"]
    out += [f"warning[{w.code}]: {w.message}" for w in c.warnings]
    out.append("")
    out += _table(["", "Previous", "Current", "Change"],
                  [[("  " if sub else "") + r[0], *r[1:]] for sub, r in summary_rows(c)],
                  right={1, 2, 3})
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
    out += ["", "Areas, like for like (criteria assessed in both)"]
    out += ["  " + x for x in _table(
        ["Area", "Criteria", "Previous", "Current", "Change", "Due to coverage"], lfl_rows(c),
        right={1, 2, 3, 4})]
    out += textwrap.wrap(LFL_NOTE, 99, initial_indent="  ", subsequent_indent="  ")
    for title, items, mark in (("Improved", c.improved, "+"), ("Regressed", c.regressed, "-"),
                               ("Newly assessed", c.newly_assessed, "*"),
                               ("No longer assessed", c.no_longer_assessed, "?")):
        out += ["", f"{title} ({len(items)})"]
        out += [f"  {mark} {_crit_line(d)}" for d in items] or ["  none"]
    out += ["", f"Unchanged: {_criteria(c.unchanged)}; assessed in neither: "
            f"{_criteria(c.not_assessed)}"]
    out += ["", f"Gaps closed ({len(c.gaps_closed)})"]
    out += [f"  ✓ {g.title} ({g.id}): was level {g.current} {g.current_name}, target {g.target}"
            for g in c.gaps_closed] or ["  none"]
    out += ["", f"New gaps on criteria assessed in both ({len(c.gaps_new)})"]
    out += _gap_lines(c.gaps_new, "!")
    out += ["", f"Gaps on newly assessed criteria ({len(c.gaps_newly_assessed)}): coverage, "
            "not decline"]
    out += _gap_lines(c.gaps_newly_assessed, "*")
    if c.regressions:
        out += ["", "Regressions"] + [f"  - {r}" for r in c.regressions]
    return "\n".join(out) + "\n"


def compare_markdown(c: Comparison) -> str:
    e = _md()
    o, n = c.old, c.new
    out = [f"# Progress: {e(_who(n.organisation, n.unit))}", "",
           f"{e(c.rubric.title)} (`{e(c.rubric.id)}` {e(c.rubric.version)}). "
           f"Previous: {e(o.period or 'period not stated')} ({e(o.label)}); "
           f"current: {e(n.period or 'period not stated')} ({e(n.label)}).", ""]
    for w in c.warnings:
        out += [f"> **Warning** ({w.code}): {code_md(w.message)}", ""]
    out += ["| | Previous | Current | Change |", "|---|---:|---:|---:|"]
    # labels and stage names are escaped; the figures are ours (digits, signs, arrows)
    out += ["| " + " | ".join(str(e(x)) if i == 0 or (r[0] == "Stage" and i < 3) else x
                              for i, x in enumerate(r)) + " |" for _, r in summary_rows(c)]
    out.append("")
    if o.provisional or n.provisional:
        out += ["**Provisional**: coverage is below the minimum in "
                + " and ".join(x for x, p in (("the previous", o.provisional),
                                               ("the current", n.provisional)) if p)
                + " assessment; read the changes with care.", ""]
    if c.versions_differ:
        out += [f"Rubric version {e(o.rubric_version)} → {e(n.rubric_version)}.", ""]
        out += [f"- Added: {', '.join(f'`{e(x)}`' for x in c.criteria_added) or 'none'}",
                f"- Removed: {', '.join(f'`{e(x)}`' for x in c.criteria_removed) or 'none'}", ""]
    out += ["## Areas", "", "| Area | Previous | Current | Change | Stage |",
            "|---|---:|---:|---:|---|"]
    out += [f"| {e(a.title)} | {num(a.old_score)} | {num(a.new_score)} | {signed(a.delta)} | "
            f"{e(level(a.old_stage, a.old_stage_name))} → "
            f"{e(level(a.new_stage, a.new_stage_name))} |" for a in c.areas]
    out += ["", "### Like for like (criteria assessed in both)", "",
            "| Area | Criteria | Previous | Current | Change | Due to coverage |",
            "|---|---:|---:|---:|---:|---|"]
    out += ["| " + " | ".join([str(e(r[0])), *r[1:]]) + " |" for r in lfl_rows(c)]
    out += ["", e(LFL_NOTE)]
    for title, items in (("Improved", c.improved), ("Regressed", c.regressed),
                         ("Newly assessed", c.newly_assessed),
                         ("No longer assessed", c.no_longer_assessed)):
        out += ["", f"## {title} ({len(items)})", ""]
        out += [f"- {e(d.title)}{' **critical**' if d.critical else ''} (`{e(d.id)}`): "
                f"{e(level(d.old_level, d.old_level_name))} → "
                f"{e(level(d.new_level, d.new_level_name))}" for d in items] or ["None."]
    out += ["", f"Unchanged: {_criteria(c.unchanged)}; assessed in neither: "
            f"{_criteria(c.not_assessed)}."]
    out += ["", f"## Gaps closed ({len(c.gaps_closed)})", ""]
    out += [f"- {e(g.title)} (`{e(g.id)}`): was level {g.current} {e(g.current_name)}, "
            f"target {g.target}" for g in c.gaps_closed] or ["None."]
    for title, gaps in ((f"New gaps on criteria assessed in both ({len(c.gaps_new)})",
                         c.gaps_new),
                        (f"Gaps on newly assessed criteria ({len(c.gaps_newly_assessed)}): "
                         "coverage, not decline", c.gaps_newly_assessed)):
        out += ["", f"## {title}", ""]
        out += [f"- {e(g.title)}{' **critical**' if g.critical else ''} (`{e(g.id)}`): level "
                f"{g.current} {e(g.current_name)} → target {g.target} {e(g.target_name)}"
                + (f". Next ({g.next_level} {e(g.next_name)}): {e(g.recommendation)}"
                   if g.recommendation else "") for g in gaps] or ["None."]
    if c.regressions:
        out += ["", "## Regressions", ""] + [f"- {code_md(r)}" for r in c.regressions]
    return "\n".join(out) + "\n"


def compare_html(c: Comparison) -> str:
    from cyberdip.report import svg
    from cyberdip.report.render import environment

    both = [a for a in c.areas if a.presence == "both"]
    radar = svg.radar(
        [a.title for a in both],
        [svg.Series(f"Previous ({c.old.period or c.old.label})",
                    [a.old_score for a in both], "previous", c.old.period or "previous"),
         svg.Series(f"Current ({c.new.period or c.new.label})",
                    [a.new_score for a in both], "current", c.new.period or "current")],
        title="Current score against previous, by area (0–100)")
    return environment().get_template("compare.html.j2").render(
        c=c, radar=radar, num=num, signed=signed, signed_int=signed_int,
        count_change=count_change, level=level, pct=pct, code=code_html,
        summary=summary_rows(c), lfl=lfl_rows(c), lfl_note=LFL_NOTE,
        coverage_changed=coverage_changed(c),
        radar_missing=any(a.old_score is None or a.new_score is None for a in both))


# -- aggregate -----------------------------------------------------------------------------


def aggregate_json(p: Portfolio) -> str:
    return json_dumps(p.model_dump(mode="json")) + "\n"


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


def aggregate_csv(p: Portfolio) -> str:
    """The league table, one row per assessment, area scores as columns.

    Every cell that comes from a file (names, periods, paths, stage names, area ids)
    passes through ``csv_cell``, so none can be taken for a formula; the numbers are
    ours and stay numbers."""
    from cyberdip.textsafe import csv_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["rank", "unit", "organisation", "country", "period", "path", "index", "stage",
                "stage_name", "coverage", "provisional"]
               + [csv_cell(f"area:{a.id}") for a in p.areas])
    for r in p.table:
        w.writerow([r.rank, csv_cell(r.label), csv_cell(r.organisation), csv_cell(r.country),
                    csv_cell(r.period), csv_cell(r.path),
                    "" if r.index is None else f"{r.index:.2f}",
                    "" if r.stage is None else r.stage, csv_cell(r.stage_name),
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
    from cyberdip.report.render import environment

    return environment().get_template("aggregate.html.j2").render(
        p=p, rows=heat_rows(p), stats=_quartile_rows(p), method=_method_note(p), bands=BANDS,
        source=source, level=level, num=num)
