"""Plain text: the scorecard (with rich's table and colours on a terminal), the
comparison and the portfolio, as a person reads them in a terminal."""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING, Any

from cyberdip.report.common import (
    LFL_NOTE,
    bar,
    crit_line,
    criteria_count,
    fmt_pct,
    fmt_score,
    gap_lines,
    league_heading,
    level,
    lfl_rows,
    method_note,
    num,
    pct,
    quartile_rows,
    respondent_said,
    signed,
    stage_counts,
    summary_rows,
    table,
    unranked_heading,
    who,
    with_band,
)
from cyberdip.report.summary import outlook_lines, plan_heading, stage_list
from cyberdip.report.view import action_plan_counts

if TYPE_CHECKING:  # types only: a scorecard's report need not import the engine
    from cyberdip.engine.compare import Comparison, Portfolio
    from cyberdip.engine.scoring import Scorecard


def to_text(card: Scorecard, *, color: bool = False, width: int = 100, top: int = 5) -> str:
    """The rich scorecard: areas with bars, the index and stage, and the top gaps.

    Every text from a file passes through ``esc`` (control characters shown as
    ``\\u001b``) before rich adds its colours, so a value cannot drive the terminal.
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from cyberdip.textsafe import for_terminal as esc

    buf = io.StringIO()
    con = Console(file=buf, width=width, force_terminal=color, no_color=not color,
                  color_system="standard" if color else None, highlight=False, emoji=False,
                  markup=False)
    org = card.organisation
    who = esc(org.name or "(organisation not named)")
    if org.unit:
        who += f" — {esc(org.unit)}"
    con.print(Text(who, style="bold"))
    meta = esc(f"{card.rubric.title} ({card.rubric.id} {card.rubric.version})")
    if card.period:
        meta += f" · period {esc(card.period)}"
    if card.profile_name:
        meta += f" · profile {esc(card.profile_name)}"
    con.print(meta)
    if card.disclaimer:
        con.print(Text(f"CAVEAT: {esc(card.disclaimer)}", style="yellow"))
    if card.signoff is not None:
        from cyberdip.report.common import signoff_sentence

        con.print(Text(esc(signoff_sentence(card.signoff, lambda m: m)),
                       style="green" if card.signoff.holds else "yellow"))
    if card.illustrative:
        con.print(Text("ILLUSTRATIVE: made-up example data, not a real assessment.",
                       style="yellow"))
    con.print()
    stage = f"{card.stage} {esc(card.stage_name)}" if card.stage is not None else "—"
    staged = card.stage_gate != "none"
    head = Text()
    head.append(f"{esc(card.labels.index_title)} ", style="bold")
    head.append(f"{fmt_score(card.index)}/100" if card.index is not None else "—",
                style="bold cyan")
    if card.band:
        head.append(f" ({esc(card.band.name)})", style="bold cyan")
    if staged:
        head.append(f"   {esc(card.labels.stage_title)} ", style="bold")
        head.append(stage, style="bold cyan")
    head.append(f"   Coverage {fmt_pct(card.coverage)}")
    con.print(head)
    if card.provisional:
        con.print(Text(f"PROVISIONAL: only {fmt_pct(card.coverage)} of the "
                       "rubric is answered "
                       f"(below {fmt_pct(card.min_coverage)}).", style="bold yellow"))
    for line in outlook_lines(card):
        con.print(Text(esc(line)), soft_wrap=True)
    if card.counts.unsupported:
        verb = "scored lower" if card.strict else "flagged"
        con.print(f"{card.counts.unsupported} claim(s) at level {card.evidence_from_level} or "
                  f"above have no evidence ({verb}: unsupported).")
    if card.carried.unconfirmed:
        how = ("scored as unsupported (strict)" if card.strict else
               "counted apart; --strict scores them as unsupported")
        con.print(f"{card.carried.unconfirmed} answer(s) carried forward from an earlier "
                  f"assessment, not re-confirmed yet ({how}).")
    if card.plan:
        n = action_plan_counts(card)
        con.print(f"Action plan: {n['actions']} action(s), {n['overdue']} overdue, "
                  f"{n['without_owner']} without an owner"
                  + ("" if card.plan_as_of else
                     " (overdue not judged: the assessment has no date)") + ".")
    for line in stale_lines(card):
        con.print(Text(esc(line)), soft_wrap=True)
    con.print()

    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    t.add_column("Area")
    t.add_column("Score", justify="right")
    t.add_column("", no_wrap=True)
    if staged:
        t.add_column(esc(card.labels.stage_title))
    t.add_column("Coverage", justify="right")
    groups: dict[str, list] = {}
    for g in card.groups:
        groups.setdefault(g.area, []).append(g)
    for a in card.areas:
        stage_cell = ("not gated" if a.context else
                      f"{a.stage} {esc(a.stage_name)}" if a.stage is not None else "—")
        title = esc(a.title) + (" (national context)" if a.context else "")
        t.add_row(title, fmt_score(a.score), bar(a.score),
                  *([stage_cell] if staged else []), fmt_pct(a.coverage))
        for g in groups.get(a.id, []):
            t.add_row("  " * g.depth + esc(g.title), fmt_score(g.score), bar(g.score),
                      *([""] if staged else []), fmt_pct(g.coverage))
    con.print(t)
    if any(a.context for a in card.areas):
        con.print("National context is shown, but not counted in the index, the stage or "
                  "the coverage.")
    context = {c.id for c in card.criteria
               if c.area in {a.id for a in card.areas if a.context}}

    def part(i) -> str:  # how much of a framework item rests on the national context
        scored = [c for c in i.criteria if c.score is not None]
        n = sum(1 for c in scored if c.id in context)
        return f" (national context: {n} of the {len(scored)} scored)" if n else ""

    for r in card.rollups:
        items = " · ".join(f"{esc(i.item)} {fmt_score(i.score)}{part(i)}" for i in r.items)
        lines = textwrap.wrap(f"By {esc(r.title)}: {items}", width - 1,
                              subsequent_indent="  ", break_on_hyphens=False)
        con.print(Text("\n".join(lines)), soft_wrap=True)

    plan = stage_list(card, top)
    if plan.steps or plan.others or plan.status in ("target", "top"):

        def para(text: str, first: str, style: str = "") -> None:
            # Wrap ourselves with a hanging indent, so piped output reads well too.
            lines = textwrap.wrap(text, width - 1, initial_indent=first,
                                  subsequent_indent=" " * len(first)) or [first]
            con.print(Text("\n".join(lines), style=style), soft_wrap=True)

        def source(sources: list) -> None:
            if sources:
                s = sources[0]
                para(f"Source: {esc(s.citation)}, “{esc(s.section)}”", "   ", "dim")

        heading = plan_heading(plan)
        if heading:
            con.print()
            con.print(Text(esc(heading), style="bold"))
        for i, st in enumerate(plan.steps, 1):
            crit = " [critical]" if st.critical else ""
            if st.answer_first:
                para(f"{esc(st.title)}{crit} — not answered: answer it first", f"{i}. ")
                para(f"Question: {esc(st.actions[0])}", "   ")
            else:
                move = (f"level {st.current} → {st.to_level} {esc(st.to_name or '')}"
                        if st.to_level is not None else
                        f"{esc(st.current_name or '—')} → {esc(st.to_name or '—')}")
                para(f"{esc(st.title)}{crit} — {move}", f"{i}. ")
                para("Do: " + "; ".join(esc(x).rstrip(".") for x in st.actions) + ".", "   ")
            source(st.sources)
        if plan.others:
            con.print()
            con.print(Text("Other gaps, by priority" if card.stage_gate != "none" else
                           f"Top {len(plan.others)} gaps (by priority)", style="bold"))
        for i, g in enumerate(plan.others, 1):
            crit = " [critical]" if g.critical else ""
            move = (f"level {g.current} → {g.target}" if g.current is not None else
                    f"{esc(g.current_name)} → {esc(g.target_name)}")
            para(f"{esc(g.title)}{crit} — {move} (priority {g.priority:g})", f"{i}. ")
            if g.recommendation:
                para(f"Next ({g.next_level} {esc(g.next_name)}): {esc(g.recommendation)}",
                     "   ")
            elif g.actions and not g.steps:
                para(f"Next ({esc(g.next_name)}): "
                     + "; ".join(esc(x).rstrip(".") for x in g.actions) + ".", "   ")
            if g.steps:
                para(f"Still to show for level {g.next_level}: "
                     + "; ".join(esc(x).rstrip(".") for x in g.steps) + ".", "   ")
            source(g.sources)
    elif card.counts.assessed:
        con.print("No gaps: every assessed criterion is at or above its target.")
    else:
        con.print("Nothing assessed yet: fill in the answers and score again.")
    if card.plan:
        con.print()
        con.print(Text("Action plan" + (f" (overdue as of {card.plan_as_of})"
                                        if card.plan_as_of else
                                        " (overdue not judged: no date)"), style="bold"))
        if not all(item.own_action for item in card.plan):
            con.print(Text("Where no action is written, the rubric's next step applies "
                           "(`cyberdip plan` lists it)."), soft_wrap=True)
        for i, item in enumerate(card.plan, 1):
            now = item.current if item.current is not None else esc(item.current_name or "—")
            aim = item.target if item.target is not None else esc(item.target_name or "—")
            move = f"{now} → {aim}"
            due = (esc(item.due) + (" OVERDUE" if item.overdue else
                                    " (not judged)" if item.overdue is None else "")
                   if item.due else "—")
            lines = [(f"{esc(item.title)} ({move}): owner "
                      f"{esc(item.owner) if item.owner else '—'} · due {due} · "
                      f"{(item.status or 'no status').replace('-', ' ')}", f"{i}. ")]
            if item.own_action and item.action:
                lines.append((f"Action: {esc(item.action)}", "   "))
            for text, first in lines:
                con.print(Text("\n".join(textwrap.wrap(
                    text, width - 1, initial_indent=first,
                    subsequent_indent=" " * len(first)) or [first])), soft_wrap=True)
    if card.merge is not None:
        con.print()
        m = card.merge
        con.print(Text(f"Merged from {len(m.respondents)} respondents "
                       f"({', '.join(esc(n) for n in m.respondents)}; rule {m.rule}): they "
                       f"disagree on {m.disagreements} criteria", style="bold"),
                  soft_wrap=True)
        for sp in m.criteria:
            if not sp.spread:
                continue
            crit = next((c for c in card.criteria if c.id == sp.id), None)
            said = ", ".join(f"{esc(r.name)} {esc(respondent_said(r, crit))}"
                             for r in sp.respondents)
            flag = "; needs discussion" if sp.needs_discussion else ""
            con.print(Text(f"  {esc(sp.id)}: spread {sp.spread}{flag} ({said})"),
                      soft_wrap=True)
    return buf.getvalue()


def compare_text(c: Comparison) -> str:
    o, n = c.old, c.new
    out = [f"Progress: {who(n.organisation, n.unit)}",
           f"{c.rubric.title} ({c.rubric.id} {c.rubric.version})",
           f"Previous: {o.period or 'period not stated'} ({o.label})",
           f"Current:  {n.period or 'period not stated'} ({n.label})"]
    out += [f"warning[{w.code}]: {w.message}" for w in c.warnings]
    out.append("")
    out += table(["", "Previous", "Current", "Change"],
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
    out += ["  " + x for x in table(["Area", "Previous", "Current", "Change", "Stage"], [
        [a.title, num(a.old_score), num(a.new_score), signed(a.delta),
         f"{level(a.old_stage, a.old_stage_name)} → {level(a.new_stage, a.new_stage_name)}"
         if a.presence == "both" else f"only in the {a.presence.split('-')[0]} rubric"]
        for a in c.areas], right={1, 2, 3})]
    out += ["", "Areas, like for like (criteria assessed in both)"]
    out += ["  " + x for x in table(
        ["Area", "Criteria", "Previous", "Current", "Change", "Due to coverage"], lfl_rows(c),
        right={1, 2, 3, 4})]
    out += textwrap.wrap(LFL_NOTE, 99, initial_indent="  ", subsequent_indent="  ")
    for title, items, mark in (("Improved", c.improved, "+"), ("Regressed", c.regressed, "-"),
                               ("Newly assessed", c.newly_assessed, "*"),
                               ("No longer assessed", c.no_longer_assessed, "?"),
                               *([("Carried, unconfirmed", c.carried, "~")]
                                 if c.carried else [])):
        out += ["", f"{title} ({len(items)})"]
        out += [f"  {mark} {crit_line(d)}" for d in items] or ["  none"]
    out += ["", f"Unchanged: {criteria_count(c.unchanged)}; assessed in neither: "
            f"{criteria_count(c.not_assessed)}"]
    out += ["", f"Gaps closed ({len(c.gaps_closed)})"]
    out += [f"  ✓ {g.title} ({g.id}): was level {g.current} {g.current_name}, target {g.target}"
            for g in c.gaps_closed] or ["  none"]
    out += ["", f"New gaps on criteria assessed in both ({len(c.gaps_new)})"]
    out += gap_lines(c.gaps_new, "!")
    out += ["", f"Gaps on newly assessed criteria ({len(c.gaps_newly_assessed)}): coverage, "
            "not decline"]
    out += gap_lines(c.gaps_newly_assessed, "*")
    if c.regressions:
        out += ["", "Regressions"] + [f"  - {r}" for r in c.regressions]
    if c.plan_progress is not None:
        from cyberdip.report.common import plan_progress_line, plan_progress_summary

        pp = c.plan_progress
        out += ["", "Progress against the previous plan", plan_progress_summary(pp)]
        out += [f"  {'✓' if i.reached else '·'} {plan_progress_line(i)}" for i in pp.items]
    return "\n".join(out) + "\n"


def aggregate_text(p: Portfolio, *, source: str = "") -> str:
    out = [f"Portfolio: {p.units} assessment{'s' if p.units != 1 else ''} of "
           f"{p.rubric.title} ({p.rubric.id} {p.rubric.version})"]
    if source:
        out.append(source)
    counts = stage_counts(p)
    if counts:
        out += ["", "Units per stage: " + "; ".join(counts) + "."]
    out += ["", league_heading(p)]
    head = ["#", "Unit", "Index", "Stage", "Coverage"] + [a.id for a in p.areas]

    def row(r: Any) -> list[str]:
        return ([str(r.rank) if r.rank is not None else "—",
                 r.label + (" (provisional)" if r.provisional else ""),
                 with_band(r.index, r.band), level(r.stage, r.stage_name), pct(r.coverage)]
                + [num(v) for v in r.areas])

    right = {0, 2, 4, *range(5, 5 + len(p.areas))}
    ranked = [r for r in p.table if r.rank is not None]
    out += table(head, [row(r) for r in ranked], right=right) if ranked else ["(none)"]
    rest = unranked_heading(p)
    if rest:
        out += ["", rest]
        out += table(head, [row(r) for r in p.table if r.rank is None], right=right)
    out += ["", "Spread by area (score 0–100)"]
    out += table(["Area", "Units", "Min", "Q1", "Median", "Q3", "Max"], quartile_rows(p),
                  right={1, 2, 3, 4, 5, 6})
    out.append(method_note(p))
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


def render(result: Any, **options: Any) -> str:
    """Any result as text: a scorecard, a comparison or a portfolio."""
    if type(result).__name__ == "Scorecard":
        return to_text(result, **options)
    if type(result).__name__ == "Comparison":
        return compare_text(result)
    if type(result).__name__ == "Portfolio":
        return aggregate_text(result, **options)
    if type(result).__name__ == "Sensitivity":
        from cyberdip.report import sensitivity

        return sensitivity.to_text(result)
    if type(result).__name__ == "Series":
        from cyberdip.report import trend

        return trend.to_text(result)
    raise TypeError(f"no text form for {type(result).__name__}")


def stale_lines(card) -> list[str]:
    """The stale and expired evidence, counted, then item by item; or that the dates
    were not checked, when there are dates to check and no reference date."""
    d = card.evidence_dates
    if not d.items:
        return (["Evidence dates not checked: the assessment has no date (give --as-of)."]
                if d.dated and not d.checked else [])
    how = ("claims resting only on it are scored as unsupported (strict)" if card.strict
           else "flagged; --strict scores claims resting only on it as unsupported")
    out = [f"{d.items} item(s) of evidence stale or expired on {card.reference_date} ({how}):"]
    for c in card.criteria:
        items = [*c.evidence, *(e for i in c.indicators for e in i.evidence)]
        for e in items:
            if e.stale or e.expired:
                why = "; ".join(([f"stale, dated {e.date}"] if e.stale else [])
                                + ([f"expired {e.valid_until}"] if e.expired else []))
                out.append(f"  {c.id}: {e.text} ({why})")
    return out
