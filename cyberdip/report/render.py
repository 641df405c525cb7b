"""Scorecards to text, JSON, Markdown and HTML. Every function returns a string;
the CLI decides where it goes."""

from __future__ import annotations

import io
import re
import textwrap
from typing import Any

from cyberdip.engine.scoring import Scorecard

BAR_WIDTH = 20


def bar(value: float | None, width: int = BAR_WIDTH) -> str:
    """A text bar for 0..100, e.g. ``██████░░░░``; blank-dotted when unknown."""
    if value is None:
        return "·" * width
    filled = round(max(0.0, min(100.0, value)) / 100 * width)
    return "█" * filled + "░" * (width - filled)


def fmt_score(value: float | None) -> str:
    """A score or index exactly as the scorecard holds it (2 decimals), so what a
    reader sees is what ``--fail-under`` compares."""
    return "—" if value is None else f"{value:.2f}"


def fmt_pct(value: float) -> str:
    """A percentage exactly as the scorecard holds it, trailing zeros dropped:
    ``80``, ``79.99``, ``45.5``. Coverage is rounded once, down, by the engine; no
    output rounds it again, so 79.99 is never shown as 80."""
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"


def fmt_value(value: float) -> str:
    """A measured value as written, without the precision ``%g`` drops."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)


def to_json(card: Scorecard) -> str:
    from cyberdip.textsafe import json_dumps

    return json_dumps(card.model_dump(mode="json")) + "\n"


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
    con.print(meta)
    if card.illustrative:
        con.print(Text("ILLUSTRATIVE: made-up example data, not a real assessment.",
                       style="yellow"))
    con.print()
    stage = f"{card.stage} {esc(card.stage_name)}" if card.stage is not None else "—"
    head = Text()
    head.append("Index ", style="bold")
    head.append(f"{fmt_score(card.index)}/100" if card.index is not None else "—",
                style="bold cyan")
    head.append("   Stage ", style="bold")
    head.append(stage, style="bold cyan")
    head.append(f"   Coverage {fmt_pct(card.coverage)}")
    con.print(head)
    if card.provisional:
        con.print(Text(f"PROVISIONAL: only {fmt_pct(card.coverage)} of the "
                       "rubric is answered "
                       f"(below {fmt_pct(card.min_coverage)}).", style="bold yellow"))
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
        t.add_row(esc(a.title), fmt_score(a.score), bar(a.score),
                  f"{a.stage} {esc(a.stage_name)}" if a.stage is not None else "—",
                  fmt_pct(a.coverage))
    con.print(t)

    if card.gaps:
        con.print()
        con.print(Text(f"Top {min(top, len(card.gaps))} gaps (by priority)", style="bold"))

        def para(text: str, first: str, style: str = "") -> None:
            # Wrap ourselves with a hanging indent, so piped output reads well too.
            lines = textwrap.wrap(text, width - 1, initial_indent=first,
                                  subsequent_indent=" " * len(first)) or [first]
            con.print(Text("\n".join(lines), style=style), soft_wrap=True)

        for i, g in enumerate(card.gaps[:top], 1):
            crit = " [critical]" if g.critical else ""
            para(f"{esc(g.title)}{crit} — level {g.current} → {g.target} "
                 f"(priority {g.priority:g})", f"{i}. ")
            if g.recommendation:
                para(f"Next ({g.next_level} {esc(g.next_name)}): {esc(g.recommendation)}",
                     "   ")
            if g.sources:
                s = g.sources[0]
                para(f"Source: {esc(s.citation)}, “{esc(s.section)}”", "   ", "dim")
    elif card.counts.assessed:
        con.print("No gaps: every assessed criterion is at or above its target.")
    else:
        con.print("Nothing assessed yet: fill in the answers and score again.")
    return buf.getvalue()



# -- Markdown and HTML reports (Jinja templates in cyberdip/report/templates/) --------------------

_ENV = None

# Characters that mean something to GitHub-flavoured Markdown inline: escaped with a
# backslash so user text cannot start a link, image, emphasis, code span, table cell,
# strikethrough or math. ``<`` and ``>`` become HTML entities, which GitHub shows as the
# characters themselves and which can never open a raw HTML tag or an autolink; ``&``
# becomes ``&amp;`` only where it would otherwise start an entity such as ``&lt;``.
_MD_SPECIAL = frozenset("\\`*_[]#|~$")
_MD_BLOCK_START = re.compile(r"^(\d{1,9}(?=[.)](?:\s|$))|(?=[-+=]))")
_MD_ENTITY_LIKE = re.compile(r"&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")


def md_escape(text: object) -> Any:
    """User text made inert for Markdown: one line, every significant character escaped."""
    from markupsafe import Markup

    s = _MD_ENTITY_LIKE.sub("&amp;", " ".join(str(text).split()))
    out = []
    for ch in s:
        if ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch in _MD_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    # text that starts like a list item, a rule or a heading underline must not become one
    return Markup(_MD_BLOCK_START.sub(lambda m: m.group(1) + "\\", "".join(out), count=1))


def gh_anchor(title: object) -> str:
    """The fragment GitHub gives a heading: lower case, punctuation dropped, spaces to -."""
    s = re.sub(r"[^\w\- ]", "", str(title).strip().lower())
    return s.replace(" ", "-")


def md_url(url: str) -> Any:
    """An http(s) URL safe inside ``[text](<url>)``: characters that could close the
    link or the table cell are percent-encoded."""
    from markupsafe import Markup

    enc = {c: f"%{ord(c):02X}" for c in " <>()[]|`\"'\\"}
    return Markup("".join(enc.get(ch, ch) for ch in url.strip()))


def _level_label(level: int | None, name: str | None) -> str:
    return "—" if level is None else f"{level} {name}" if name else str(level)


def environment():
    """The one Jinja environment for every report template (created on first use)."""
    global _ENV
    if _ENV is None:
        import jinja2

        from cyberdip.model.assessment import is_link
        from cyberdip.report import svg

        env = jinja2.Environment(
            loader=jinja2.PackageLoader("cyberdip.report", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["md"] = md_escape
        env.filters["md_url"] = md_url
        env.filters["anchor"] = gh_anchor
        env.filters["pct"] = fmt_pct
        env.filters["value"] = fmt_value
        env.filters["score"] = fmt_score
        env.globals["level_label"] = _level_label
        env.globals["gap_bar"] = svg.gap_bar
        env.tests["link"] = is_link
        _ENV = env
    return _ENV


def _context(card: Scorecard) -> dict[str, Any]:
    """What both report templates see: the scorecard plus a few derived views."""
    from cyberdip.report import svg

    names = {s.level: s.name for s in card.scale}
    lo = min(names) if names else 0
    hi = max(names) if names else 1
    by_area = {a.id: [] for a in card.areas}
    for c in card.criteria:
        by_area.setdefault(c.area, []).append(c)
    area_titles = {a.id: a.title for a in card.areas}
    radar = svg.radar(
        [a.title for a in card.areas],
        [svg.Series("Current score", [a.score for a in card.areas], "current"),
         svg.Series("Target", [a.target_score for a in card.areas], "target")],
        title="Current score against target, by area (0–100)",
    )
    return {
        "card": card,
        "org": card.organisation,
        "names": names,
        "lowest": lo,
        "highest": hi,
        "span": hi - lo,
        "criteria_by_area": by_area,
        "area_titles": area_titles,
        "top_gaps": card.gaps[:5],
        "radar": radar,
    }


def to_markdown(card: Scorecard) -> str:
    """The gap report as GitHub-flavoured Markdown; user text cannot inject HTML or links."""
    return environment().get_template("report.md.j2").render(_context(card))


def to_html(card: Scorecard) -> str:
    """The gap report as one self-contained HTML file: inline CSS and SVG, no scripts."""
    return environment().get_template("report.html.j2").render(_context(card))
