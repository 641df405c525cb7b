"""Scorecards to text, JSON, Markdown and HTML. Every function returns a string;
the CLI decides where it goes."""

from __future__ import annotations

import io
import json
from typing import Any

from cyberdip.scoring import Scorecard

BAR_WIDTH = 20


def bar(value: float | None, width: int = BAR_WIDTH) -> str:
    """A text bar for 0..100, e.g. ``██████░░░░``; blank-dotted when unknown."""
    if value is None:
        return "·" * width
    filled = round(max(0.0, min(100.0, value)) / 100 * width)
    return "█" * filled + "░" * (width - filled)


def fmt_score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def to_json(card: Scorecard) -> str:
    return json.dumps(card.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def to_text(card: Scorecard, *, color: bool = False, width: int = 100, top: int = 5) -> str:
    """The rich scorecard: areas with bars, the index and stage, and the top gaps."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buf = io.StringIO()
    con = Console(file=buf, width=width, force_terminal=color, no_color=not color,
                  color_system="standard" if color else None, highlight=False, emoji=False,
                  markup=False)
    org = card.organisation
    who = org.name + (f" — {org.unit}" if org.unit else "")
    con.print(Text(who, style="bold"))
    meta = f"{card.rubric.title} ({card.rubric.id} {card.rubric.version})"
    if card.period:
        meta += f" · period {card.period}"
    con.print(meta)
    if card.illustrative:
        con.print(Text("ILLUSTRATIVE: made-up example data, not a real assessment.",
                       style="yellow"))
    con.print()
    stage = f"{card.stage} {card.stage_name}" if card.stage is not None else "—"
    head = Text()
    head.append("Index ", style="bold")
    head.append(f"{fmt_score(card.index)}/100", style="bold cyan")
    head.append("   Stage ", style="bold")
    head.append(stage, style="bold cyan")
    head.append(f"   Coverage {card.coverage:.0f}%")
    con.print(head)
    if card.provisional:
        con.print(Text(f"PROVISIONAL: only {card.coverage:.0f}% of the rubric is answered "
                       f"(below {card.min_coverage:.0f}%).", style="bold yellow"))
    if card.counts.unsupported:
        verb = "scored lower" if card.strict else "flagged"
        con.print(f"{card.counts.unsupported} claim(s) at level {card.evidence_from_level} or "
                  f"above have no evidence ({verb}: unsupported).")
    con.print()

    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    t.add_column("Area")
    t.add_column("Score", justify="right")
    t.add_column("", no_wrap=True)
    t.add_column("Stage")
    t.add_column("Coverage", justify="right")
    for a in card.areas:
        t.add_row(a.title, fmt_score(a.score), bar(a.score),
                  f"{a.stage} {a.stage_name}" if a.stage is not None else "—",
                  f"{a.coverage:.0f}%")
    con.print(t)

    if card.gaps:
        con.print(Text(f"Top {min(top, len(card.gaps))} gaps (by priority)", style="bold"))
        for i, g in enumerate(card.gaps[:top], 1):
            crit = " [critical]" if g.critical else ""
            con.print(f"{i}. {g.title}{crit} — level {g.current} → {g.target} "
                      f"(priority {g.priority:g})", highlight=False)
            if g.recommendation:
                con.print(f"   Next ({g.next_level} {g.next_name}): {g.recommendation}",
                          highlight=False)
            if g.sources:
                s = g.sources[0]
                con.print(Text(f"   Source: {s.citation}, “{s.section}”", style="dim"))
    elif card.counts.assessed:
        con.print("No gaps: every assessed criterion is at or above its target.")
    else:
        con.print("Nothing assessed yet: fill in the answers and score again.")
    return buf.getvalue()


def scorecard_dict(card: Scorecard) -> dict[str, Any]:
    return card.model_dump(mode="json")
