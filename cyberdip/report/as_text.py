"""Plain text: the scorecard (with rich's table and colours on a terminal), the
comparison and the portfolio, as a person reads them in a terminal."""

from __future__ import annotations

import io
import re
import textwrap
from typing import TYPE_CHECKING, Any

from cyberdip.report.common import (
    LFL_NOTE,
    RANGE_HEADING,
    bar,
    citation_text,
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
    range_text,
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

    The scorecard is first written down as the calls rich's console would get
    (:func:`_calls`). Uncoloured, when :func:`_plain_ok` finds nothing whose layout it
    cannot be sure of, :func:`_plain` lays it out as rich would, byte for byte, without
    importing rich (a tenth of ``score``'s time); otherwise rich does.
    """
    calls = _calls(card, width=width, top=top)
    if not color and _plain_ok(calls, width):
        return _plain(calls, width)
    return _with_rich(calls, color=color, width=width)


def _calls(card: Scorecard, *, width: int, top: int) -> list:
    """The scorecard as the calls made on rich's console, with stand-ins for rich's
    ``Text`` and ``Table`` (:class:`_Console`)."""
    from cyberdip.textsafe import for_terminal as esc

    con = _Console()
    Text, Table, box = _Text, _Table, _Boxes
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
    return con.calls


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
    head = ["#", "Unit", "Index", RANGE_HEADING, "Stage", "Coverage"] + [a.id for a in p.areas]

    def row(r: Any) -> list[str]:
        return ([str(r.rank) if r.rank is not None else "—",
                 r.label + (" (provisional)" if r.provisional else ""),
                 with_band(r.index, r.band), range_text(r.index_range),
                 level(r.stage, r.stage_name), pct(r.coverage)]
                + [num(v) for v in r.areas])

    right = {0, 2, 3, 5, *range(6, 6 + len(p.areas))}
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
            out.append("   Source: " + "; ".join(citation_text(s) for s in w.sources))
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


# -- the text scorecard without rich, where rich's layout is certain ---------------------
#
# ``to_text`` writes the scorecard down as the calls rich's console would get. Coloured,
# or when anything in them is beyond the rules below, rich lays them out (_with_rich);
# otherwise _plain does, as rich would, byte for byte, without importing rich. The rules
# are the parts of rich (13.8 to 15) that these calls reach, for characters one cell wide
# that are not whitespace: Console.print(width=100) wraps a line at word boundaries
# (rich._wrap.divide_line) and keeps a wrapped line's trailing space; with soft_wrap it
# prints the text as it is; a table of box SIMPLE_HEAD without edges sizes each column to
# its widest cell plus padding, and needs no wrapping when the columns fit the width.
# tests/unit/report/test_render_text.py holds the two equal over random scorecards.


class _Text:
    """A rich ``Text`` written down: its text and options, and the pieces appended."""

    __slots__ = ("text", "options", "parts")

    def __init__(self, text: str = "", **options: Any) -> None:
        self.text, self.options = text, options
        self.parts: list[tuple[str, dict[str, Any]]] = []

    def append(self, text: str, **options: Any) -> None:
        self.parts.append((text, options))

    @property
    def plain(self) -> str:
        return self.text + "".join(text for text, _ in self.parts)


class _Table:
    """A rich ``Table`` written down: its options, columns and rows."""

    __slots__ = ("options", "columns", "rows")

    def __init__(self, **options: Any) -> None:
        self.options = options
        self.columns: list[tuple[Any, dict[str, Any]]] = []
        self.rows: list[tuple[Any, ...]] = []

    def add_column(self, header: Any = "", **options: Any) -> None:
        self.columns.append((header, options))

    def add_row(self, *cells: Any) -> None:
        self.rows.append(cells)


class _Boxes:
    """The boxes ``to_text`` names, by the name they have in ``rich.box``."""

    SIMPLE_HEAD = "SIMPLE_HEAD"


class _Console:
    """Stands in for rich's console while the scorecard is built: keeps each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def print(self, *objects: Any, **options: Any) -> None:
        self.calls.append((objects, options))


def _with_rich(calls: list, *, color: bool, width: int) -> str:
    """The calls made on rich's own console: the scorecard as rich lays it out."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    def real(obj: Any) -> Any:
        if isinstance(obj, _Text):
            text = Text(obj.text, **obj.options)
            for part, options in obj.parts:
                text.append(part, **options)
            return text
        if isinstance(obj, _Table):
            options = dict(obj.options)
            if "box" in options:
                options["box"] = getattr(box, options["box"])
            table = Table(**options)
            for header, column in obj.columns:
                table.add_column(real(header), **column)
            for row in obj.rows:
                table.add_row(*(real(cell) for cell in row))
            return table
        return obj

    buf = io.StringIO()
    con = Console(file=buf, width=width, force_terminal=color, no_color=not color,
                  color_system="standard" if color else None, highlight=False, emoji=False,
                  markup=False)
    for objects, options in calls:
        con.print(*(real(obj) for obj in objects), **options)
    return buf.getvalue()


#: Characters besides printable ASCII that the plain layout takes: each is one cell wide
#: in every rich from 13.8 on, is no whitespace and breaks no line (for ``re``'s ``\s``,
#: ``str.split`` and ``str.splitlines`` alike): what cyberdip writes itself (dashes,
#: arrows, bars, quotes) and the Latin letters of Latin-1 and Latin Extended-A. Not the
#: soft hyphen (U+00AD), which rich 13.8 counts as no cell and rich 15 as one.
PLAIN_EXTRA = ("—–−·…“”‘’→▲▼█░✓"
               "\u00a1-\u00ac\u00ae-\u017f")
_NOT_PLAIN = re.compile(f"[^ -~{PLAIN_EXTRA}]")
#: A word as rich's wrapping sees it: leading space (at the start of a line only), the
#: word, and the spaces after it.
_WORD = re.compile(r"\s*\S+\s*")
_END_SPACE = re.compile(r"\s+$")


def _wrap(line: str, width: int) -> list[str] | None:
    """``line`` wrapped as rich wraps it at ``width`` cells (``rich._wrap.divide_line``,
    then ``Text.rstrip_end``), for characters one cell wide; ``None`` when a word is
    wider than a line, which rich would fold (that is left to rich)."""
    breaks = []
    offset = 0
    m = _WORD.match(line)
    while m is not None:
        start, end = m.span()
        word = m.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            return None
        elif offset and start:
            breaks.append(start)
            offset = len(word)
        m = _WORD.match(line, end)
    out = []
    for a, b in zip([0, *breaks], [*breaks, len(line)], strict=True):
        piece = line[a:b]
        if len(piece) > width:  # only trailing space goes past the width; rich drops it
            space = _END_SPACE.search(piece)
            if space is not None:
                piece = piece[:len(piece) - min(len(space.group()), len(piece) - width)]
        out.append(piece)
    return out


def _cell(obj: Any) -> str | None:
    return obj.plain if isinstance(obj, _Text) else obj if isinstance(obj, str) else None


def _plain_text_ok(obj: Any) -> bool:
    return isinstance(obj, str) or (
        isinstance(obj, _Text) and set(obj.options) <= {"style"}
        and all(set(options) <= {"style"} for _, options in obj.parts))


def _column_widths(table: _Table) -> list[int]:
    """Each column's width with its padding, as rich measures it: the widest cell, plus
    one space on each side but the table's outer edges (``pad_edge=False``)."""
    n = len(table.columns)
    widths = []
    for i, (header, _) in enumerate(table.columns):
        cells = [_cell(header), *(_cell(row[i]) for row in table.rows)]
        pad = (i > 0) + (i < n - 1)
        widths.append(max(len(c) for c in cells) + pad or 1)  # type: ignore[arg-type]
    return widths


def _plain_ok(calls: list, width: int) -> bool:
    """Whether :func:`_plain` lays these calls out exactly as rich would, decided from
    the calls alone: only what the rules above cover (plain texts and strings of the
    characters above, lines whose every word fits, a SIMPLE_HEAD table without edges
    whose columns fit the width), and a console sized by ``width`` (not in Jupyter,
    where rich shows the text instead, nor on Windows with ``LINES`` set, where a
    legacy console is one column narrower)."""
    import builtins
    import os
    import sys

    if (not isinstance(width, int) or width < 1 or hasattr(builtins, "get_ipython")
            or (sys.platform == "win32" and os.environ.get("LINES", "").isdigit())):
        return False
    for objects, options in calls:
        if len(objects) > 1 or set(options) - {"soft_wrap"}:
            return False
        if not objects:
            continue
        obj = objects[0]
        if isinstance(obj, _Table):
            if (obj.options != {"box": "SIMPLE_HEAD", "show_edge": False, "pad_edge": False}
                    or not obj.columns):
                return False
            for _, column in obj.columns:
                if (set(column) - {"justify", "no_wrap"}
                        or column.get("justify", "left") not in ("left", "right")):
                    return False
            cells = [h for h, _ in obj.columns] + [c for row in obj.rows for c in row]
            if (any(len(row) != len(obj.columns) for row in obj.rows)
                    or not all(map(_plain_text_ok, cells))
                    or any(_NOT_PLAIN.search(_cell(c)) for c in cells)):
                return False
            if sum(_column_widths(obj)) + len(obj.columns) - 1 > width:
                return False
            continue
        if not _plain_text_ok(obj):
            return False
        text = _cell(obj)
        if any(_NOT_PLAIN.search(line) for line in text.split("\n")):
            return False
        if not options.get("soft_wrap") and any(
                _wrap(line, width) is None for line in text.split("\n")):
            return False
    return True


def _plain(calls: list, width: int) -> str:
    """The calls laid out as rich lays them out, for calls :func:`_plain_ok` accepts."""
    out: list[str] = []
    for objects, options in calls:
        if not objects:
            out.append("\n")
            continue
        obj = objects[0]
        if isinstance(obj, _Table):
            widths = _column_widths(obj)
            n = len(widths)
            for r, row in enumerate([[h for h, _ in obj.columns], *obj.rows]):
                cells = []
                for i, (cell, (_, column)) in enumerate(zip(row, obj.columns, strict=True)):
                    text, inner = _cell(cell), widths[i] - (i > 0) - (i < n - 1)
                    text = (text.rstrip().rjust(inner) if column.get("justify") == "right"
                            else text.ljust(inner))
                    cells.append(" " * (i > 0) + text + " " * (i < n - 1))
                out.append(" ".join(cells) + "\n")
                if r == 0:  # the rule under the header
                    out.append("─" * (sum(widths) + n - 1) + "\n")
            continue
        text = _cell(obj)
        if not options.get("soft_wrap"):
            text = "\n".join(piece for line in text.split("\n")
                             for piece in _wrap(line, width))  # type: ignore[union-attr]
        out.append(text + "\n")
    return "".join(out)
