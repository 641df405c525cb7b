"""GitHub-flavoured Markdown: the gap report (from a template), the comparison and the
portfolio. User text is escaped so it cannot inject HTML, links or layout."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cyberdip.report.common import (
    LFL_NOTE,
    RANGE_HEADING,
    citation_text,
    code_md,
    criteria_count,
    environment,
    league_heading,
    level,
    lfl_rows,
    md_escape,
    method_note,
    num,
    pct,
    quartile_rows,
    range_text,
    signed,
    stage_counts,
    summary_rows,
    unranked_heading,
    who,
    with_band,
)

if TYPE_CHECKING:  # types only: a scorecard's report need not import the engine
    from cyberdip.engine.compare import Comparison, Portfolio
    from cyberdip.engine.scoring import Scorecard


def to_markdown(card: Scorecard, options: Any = None) -> str:
    """The gap report as GitHub-flavoured Markdown; user text cannot inject HTML or links."""
    from cyberdip.report.view import report_context

    return environment().get_template("report.md.j2").render(
        report_context(card, options, fmt="md"))


def compare_markdown(c: Comparison) -> str:
    e = md_escape
    o, n = c.old, c.new
    out = [f"# Progress: {e(who(n.organisation, n.unit))}", "",
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
                         ("No longer assessed", c.no_longer_assessed),
                         *([("Carried, unconfirmed", c.carried)] if c.carried else [])):
        out += ["", f"## {title} ({len(items)})", ""]
        out += [f"- {e(d.title)}{' **critical**' if d.critical else ''} (`{e(d.id)}`): "
                f"{e(level(d.old_level, d.old_level_name))} → "
                f"{e(level(d.new_level, d.new_level_name))}" for d in items] or ["None."]
    out += ["", f"Unchanged: {criteria_count(c.unchanged)}; assessed in neither: "
            f"{criteria_count(c.not_assessed)}."]
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
    if c.plan_progress is not None:
        from cyberdip.report.common import plan_progress_line, plan_progress_summary

        pp = c.plan_progress
        out += ["", "## Progress against the previous plan", "", e(plan_progress_summary(pp)),
                ""]
        out += [f"- {'**reached**' if i.reached else 'not reached' if i.reached is False else '—'}"
                f": {e(plan_progress_line(i))}" for i in pp.items]
    return "\n".join(out) + "\n"


def aggregate_markdown(p: Portfolio, *, source: str = "") -> str:
    e = md_escape
    out = [f"# Portfolio: {e(p.rubric.title)}", "",
           f"{p.units} assessment{'s' if p.units != 1 else ''} of `{e(p.rubric.id)}` "
           f"{e(p.rubric.version)}." + (f" {e(source)}" if source else ""), "",
           "## League table", ""]
    counts = stage_counts(p)
    if counts:
        out += ["**Units per stage:** " + e("; ".join(counts)) + ".", ""]
    head = [f"| # | Unit | Index | {RANGE_HEADING} | Stage | Coverage | "
            + " | ".join(e(a.title) for a in p.areas) + " |",
            "|---:|---|---:|---:|---|---:|" + "---:|" * len(p.areas)]

    def row(r: Any) -> str:
        return (f"| {r.rank if r.rank is not None else '—'} | {e(r.label)}"
                f"{' (provisional)' if r.provisional else ''} | "
                f"{e(with_band(r.index, r.band))} | {range_text(r.index_range)} | "
                f"{e(level(r.stage, r.stage_name))} | "
                f"{pct(r.coverage)} | " + " | ".join(num(v) for v in r.areas) + " |")

    ranked = [r for r in p.table if r.rank is not None]
    out += [e(league_heading(p)) + ".", ""]
    out += (head + [row(r) for r in ranked]) if ranked else ["None."]
    rest = unranked_heading(p)
    if rest:
        out += ["", e(rest) + ".", ""] + head + [row(r) for r in p.table if r.rank is None]
    out += ["", "## Spread by area", "", "| Area | Units | Min | Q1 | Median | Q3 | Max |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    out += ["| " + " | ".join([e(r[0]), *r[1:]]) + " |" for r in quartile_rows(p)]
    out += ["", e(method_note(p)), "",
            "## Shared weaknesses", "",
            f"Criteria most often at level {p.weak_at} or below (top {len(p.weaknesses)} of "
            f"{p.weaknesses_total}).", ""]
    for i, w in enumerate(p.weaknesses, 1):
        line = (f"{i}. **{e(w.title)}**{' (critical)' if w.critical else ''} (`{e(w.id)}`): "
                f"{w.units_weak} of {p.units} units ({w.share:g}%).")
        if w.recommendation:
            line += f" Next ({e(level(w.next_level, w.next_name))}): {e(w.recommendation)}"
        if w.sources:
            line += " Source: " + "; ".join(citation_text(s, e) for s in w.sources) + "."
        out.append(line)
    if not p.weaknesses:
        out.append("None: no assessed criterion is that low in any unit.")
    return "\n".join(out) + "\n"


def render(result: Any, **options: Any) -> str:
    """Any result as Markdown: a scorecard, a comparison or a portfolio."""
    if type(result).__name__ == "Scorecard":
        from cyberdip.report.view import options_from

        return to_markdown(result, options_from(options))
    if type(result).__name__ == "Comparison":
        return compare_markdown(result)
    if type(result).__name__ == "Portfolio":
        return aggregate_markdown(result, **options)
    if type(result).__name__ == "Sensitivity":
        from cyberdip.report import sensitivity

        return sensitivity.to_markdown(result)
    if type(result).__name__ == "Series":
        from cyberdip.report import trend

        return trend.to_markdown(result)
    raise TypeError(f"no Markdown form for {type(result).__name__}")
