"""What every output format of the reports shares: how figures are written (exactly as
the scorecard holds them), Markdown escaping, text tables, the comparison's derived
rows, and the one Jinja environment for the HTML and Markdown templates.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only: a scorecard's report need not import the engine
    from collections.abc import Callable

    from cyberdip.engine.compare import AreaDelta, Comparison, CriterionDelta, Portfolio
    from cyberdip.engine.scoring import Gap, Scorecard


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


_ENV = None


def _level_label(level: int | None, name: str | None) -> str:
    return "—" if level is None else f"{level} {name}" if name else str(level)


def _template_cache(jinja2: Any) -> Any:
    """Compiled templates kept beside them, as Python keeps ``.pyc`` files.

    Compiling the report templates takes longer than rendering them (about 28 ms of
    a report's 220). The cache lives in ``templates/__pycache__`` when that folder can
    be written, and is keyed by each template's source and the Jinja version, so a
    stale entry is never used; where the package is read-only, there is no cache.
    """
    import os
    from pathlib import Path

    folder = Path(__file__).resolve().parent / "templates" / "__pycache__"
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return jinja2.FileSystemBytecodeCache(str(folder), pattern="%s.jinja.cache")


def citation_text(s: Any, esc: Callable[[str], str] = str) -> str:
    """One citation as every report writes it: ``Author (year), “Section” (topic)``,
    each part through ``esc`` (the output language's escaping)."""
    return f"{esc(s.citation)}, “{esc(s.section)}”" + (f" ({esc(s.topic)})" if s.topic else "")


def respondent_said(r: Any, c: Any) -> str:
    """A respondent's answer (``RespondentOut``) with the level it claims where the
    answer does not say it: ``level 2 (2 of 8 indicators met)``, ``45 (level 2)``; a
    level, yes or no, a choice, or a number on a criterion without levels, as typed.
    ``c`` is the criterion's result (None when unknown)."""
    if (r.level is None or r.answer == str(r.level) or c is None
            or c.kind in ("choice", "boolean") or c.target is None):
        return r.answer
    if r.answer.endswith("indicators met"):
        return f"level {r.level} ({r.answer})"
    return f"{r.answer} (level {r.level})"


def contradiction(c: Any) -> tuple[int, str, int, str] | None:
    """A criterion's first pair of indicators that contradict each other (a met one
    above one not met): ``(low level, low id, high level, high id)``, or None."""
    from cyberdip.model.assessment import contradictions

    pairs = contradictions([(i.level, i.id, i.met) for i in c.indicators])
    return pairs[0] if pairs else None


def environment():
    """The one Jinja environment for every report template (created on first use)."""
    global _ENV
    if _ENV is None:
        import jinja2

        from cyberdip.model.assessment import is_link
        from cyberdip.report import svg

        env = jinja2.Environment(
            loader=jinja2.PackageLoader("cyberdip.report", "templates"),
            bytecode_cache=_template_cache(jinja2),
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
        env.globals["contradiction"] = contradiction
        env.tests["link"] = is_link
        _ENV = env
    return _ENV


def stage_formula(card: Scorecard) -> str:
    """How the stage was set, in one line, for the method appendix (each wording is a
    catalogue string, so a translated report shows it translated)."""
    lowest = card.unanswered == "lowest"
    if card.stage_gate == "none":
        return "this rubric sets no stage: the index (and its band) is the result"
    if card.stage_gate == "practices":
        return ("area stage = the highest stage L at which every criterion of stage L or below "
                "is satisfied (an answer that counts as performed, or a level at or above the "
                "criterion's own stage), stage L − 1 being reached too; overall stage = the "
                "lowest area stage." + (" Criteria left unanswered count as the lowest answer."
                                        if lowest else ""))
    if card.stage_gate == "critical" and lowest:
        return ("area stage = the lowest level among the area's critical criteria with levels "
                "(all its criteria with levels when none is critical), a criterion not answered "
                "counting as the lowest level; overall stage = the lowest area stage")
    if lowest:
        return ("area stage = the lowest level among the area's criteria with levels, a "
                "criterion not answered counting as the lowest level; overall stage = the "
                "lowest area stage")
    which = ("the assessed critical criteria (all assessed criteria when none of the area's "
             "critical criteria is assessed)" if card.stage_gate == "critical"
             else "all assessed criteria")
    return f"area stage = the lowest level among {which}; overall stage = the lowest area stage"


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
    return "—" if v is None else fmt_pct(v)


def table(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> list[str]:
    """A plain, aligned text table (no colour: the signs and arrows carry the meaning)."""
    right = right or set()
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(r: list[str]) -> str:
        cells = [r[i].rjust(widths[i]) if i in right else r[i].ljust(widths[i])
                 for i in range(len(r))]
        return "  ".join(cells).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def who(org: str, unit: str | None) -> str:
    return org + (f" — {unit}" if unit else "")


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
    e = md_escape

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
    def with_band(v: float | None, b: str | None) -> str:
        return num(v) + (f" ({b})" if b else "")

    rows = [(False, ["Index", with_band(o.index, o.band), with_band(n.index, n.band),
                     signed(c.index_delta)])]
    if split:
        rows.append((True, [f"Index, like for like ({criteria_count(lfl.criteria)} assessed in "
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


def criteria_count(n: int) -> str:
    return f"{n} criteri{'on' if n == 1 else 'a'}"


def crit_line(d: CriterionDelta) -> str:
    crit = " [critical]" if d.critical else ""
    return (f"{d.title}{crit} ({d.id}): {level(d.old_level, d.old_level_name)} → "
            f"{level(d.new_level, d.new_level_name)}")


def gap_lines(gaps: list[Gap], mark: str) -> list[str]:
    out = []
    for g in gaps:
        crit = " [critical]" if g.critical else ""
        out.append(f"  {mark} {g.title}{crit} ({g.id}): level {g.current} {g.current_name} → "
                   f"target {g.target} {g.target_name}")
        if g.recommendation:
            out.append(f"    Next ({g.next_level} {g.next_name}): {g.recommendation}")
    return out or ["  none"]


def quartile_rows(p: Portfolio) -> list[list[str]]:
    return [[s.title, str(s.units), num(s.min), num(s.q1), num(s.median), num(s.q3),
             num(s.max)] for s in [p.index_stats, *p.area_stats]]


def portfolio_title(p: Portfolio) -> str:
    """A title from the data: "Missions of the Ministry of Foreign Affairs of Pakistan —
    4 units" when every assessment is of one organisation, else the rubric's title."""
    orgs = {r.organisation for r in p.table}
    n = f"{p.units} unit{'s' if p.units != 1 else ''}"
    if len(orgs) == 1:
        org = next(iter(orgs))
        if all(r.unit for r in p.table):
            the = "" if org[:4].lower() == "the " else "the "
            return f"Missions of {the}{org} — {n}"
        return f"{org} — {n}"
    return f"{p.rubric.title} — {n}"


def method_footnote(p: Portfolio, source: str) -> str:
    """How the aggregate page was made, in plain words."""
    rubric = (f"Every unit is scored against the rubric “{p.rubric.title}”, version "
              f"{p.rubric.version}" + (f"; the rubric was {source}" if source else "") + ".")
    quartiles = ("The quartiles (Q1, median, Q3) split the units that have a score into four "
                 "groups of equal size; where a quartile falls between two units, it is read "
                 "off the straight line between their scores"
                 + (", counting the lowest and highest scores as the ends of the range"
                    if p.quartile_method == "inclusive" else "") + ".")
    return f"{rubric} {quartiles}"


def method_note(p: Portfolio) -> str:
    return (f"Quartiles: Python statistics.quantiles, method=\"{p.quartile_method}\" "
            "(linear interpolation over the units that have a score).")


#: Heat-map bands: (lower bound, css class, words). Every cell also shows its number.
BANDS = ((80.0, "h4", "80–100"), (60.0, "h3", "60–79"), (40.0, "h2", "40–59"),
         (20.0, "h1", "20–39"), (0.0, "h0", "0–19"))


def heat_bands(p: Portfolio) -> tuple:
    """The heat map's bands: the rubric's own bands on its index when it has them
    (highest first, shaded darkest first), else the fixed fifths of ``BANDS``."""
    if not p.bands:
        return BANDS
    classes = ("h4", "h3", "h2", "h1", "h0")
    ordered = sorted(p.bands, key=lambda b: -b.min)
    last = max(len(ordered) - 1, 1)
    return tuple((b.min, classes[round(i * 4 / last)] if len(ordered) > 5 else classes[i],
                  f"{b.name} (from {b.min:g})") for i, b in enumerate(ordered))


def band(v: float | None, bands: tuple = BANDS) -> str:
    if v is None:
        return "hn"
    for lo, cls, _ in bands:
        if v >= lo:
            return cls
    return bands[-1][1] if bands else "h0"


#: The heading of the range the index could still take, wherever a table shows it.
RANGE_HEADING = "Could still be"


def range_text(r: Any) -> str:
    """The range the index could still take (an ``IndexRange``): ``31.20–58.75``, or
    ``—`` when there is none."""
    if r is None or r.low is None or r.high is None:
        return "—"
    return f"{r.low:.2f}–{r.high:.2f}"


def with_band(v: float | None, name: str | None) -> str:
    """A score, with the band the rubric names it by beside it."""
    return num(v) + (f" ({name})" if name else "")


def heat_rows(p: Portfolio) -> Any:
    """The league table's body rows as HTML: one row per unit, one shaded cell per area
    with its score written in it (colour is never the only cue).

    Built here rather than in a Jinja loop because a portfolio can have 10,000 rows,
    where this is four times faster; every value passes through ``escape``.
    """
    from markupsafe import Markup, escape

    bands = heat_bands(p)
    out = []
    rest = unranked_heading(p)
    for r in p.table:
        if r.rank is None and rest is not None:
            # the units below --min-coverage follow under their own heading row
            out.append(f'<tr class="unranked"><th scope="rowgroup" colspan="{6 + len(p.areas)}">'
                       f'{escape(rest)}</th></tr>')
            rest = None
        prov = " <small>(provisional)</small>" if r.provisional else ""
        cells = "".join(f'<td class="hc {band(v, bands)}">{num(v)}</td>' for v in r.areas)
        rank = "—" if r.rank is None else r.rank
        out.append(f'<tr><td class="num">{rank}</td><th scope="row">{escape(r.label)}{prov}'
                   f'</th><td class="num">{escape(with_band(r.index, r.band))}</td>'
                   f'<td class="num">{range_text(r.index_range)}</td><td class="stage">'
                   f'{escape(level(r.stage, r.stage_name))}</td><td class="num">'
                   f'{pct(r.coverage)}</td>{cells}</tr>')
    return Markup("\n".join(out))


def stage_counts(p: Portfolio) -> list[str]:
    """Units per stage, as sentences: "71 of 120 at stage 0 Absent (65 provisional)"."""
    out = []
    for s in getattr(p, "stages", []):
        where = ("with no stage yet" if s.stage is None else
                 f"at {p.labels.stage} {level(s.stage, s.stage_name)}")
        out.append(f"{s.units} of {p.units} {where}"
                   + (f" ({s.provisional} provisional)" if s.provisional else ""))
    return out


def league_heading(p: Portfolio) -> str:
    """What the ranked part of the league table holds."""
    n = getattr(p, "ranked", len(p.table))
    return (f"League table: the {n} unit{'s' if n != 1 else ''} with at least "
            f"{fmt_pct(p.min_coverage)} coverage, by index (ties by name)")


def unranked_heading(p: Portfolio) -> str | None:
    """What the rest of the table holds, or None when every unit is ranked."""
    n = len(p.table) - getattr(p, "ranked", len(p.table))
    if n <= 0:
        return None
    return (f"Not ranked: {'the unit' if n == 1 else f'the {n} units'} below "
            f"{fmt_pct(p.min_coverage)} coverage, provisional, by index")


def signoff_sentence(so: Any, gettext: Any) -> str:
    """The sign-off line every report prints: who signed off and when, or that the
    answers or the rubric changed since, so the sign-off no longer holds."""
    who = {"who": so.signed_by, "role": so.role, "date": so.date}
    if so.holds:
        text = gettext("Signed off by %(who)s (%(role)s) on %(date)s.") % who
        if so.signed_with_key:
            text += " " + gettext("It is signed with an SSH key: `cyberdip signoff --check` "
                                  "says who signed.")
        return text
    what = {("answers",): gettext("the answers differ from what was signed off"),
            ("rubric",): gettext("the rubric differs from the one signed off"),
            }.get(tuple(so.changed), gettext("the answers and the rubric differ from what "
                                             "was signed off"))
    return gettext("Changed since sign-off on %(date)s by %(who)s (%(role)s): %(what)s, so "
                   "the sign-off no longer holds.") % {**who, "what": what}


def plan_progress_summary(pp: Any) -> str:
    """One sentence on progress against the earlier plan (``Comparison.plan_progress``)."""
    when = (f"as of {pp.as_of}" if pp.as_of else
            "not judged by date: the later assessment has no date")
    judged = (f"{pp.due} action{'s were' if pp.due != 1 else ' was'} due, {pp.done} done and "
              f"{pp.not_done} not done" if pp.as_of else "which actions were due is not "
              "judged")
    return (f"Progress against the previous plan ({when}): {judged}; {pp.reached} of "
            f"{len(pp.items)} criteria reached their planned level.")


def plan_progress_line(i: Any) -> str:
    """One action of the earlier plan and where it stands now, in plain words."""
    due = (f"due {i.due}" + (" (due by now)" if i.due_by_then else
                             " (not judged)" if i.due_by_then is None else ""))
    if i.due is None:
        due = "no due date"
    reached = ("reached" if i.reached else "not reached" if i.reached is False
               else "not known")
    level = (f"planned level {i.planned_level}, now "
             + (str(i.level_now) if i.level_now is not None else "not assessed")
             if i.planned_level is not None else "no planned level")
    return (f"{i.title} ({i.id}): {i.action or '—'}; owner {i.owner or '—'}, {due}, "
            f"{(i.status or 'no status').replace('-', ' ')}; {level}: {reached}")
