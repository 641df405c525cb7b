"""What the gap report's templates see, in the report's language: the scorecard, the
derived views (the stage's reason, the actions that lift it, the marking), and the
helpers that put words and user text into HTML or Markdown safely.

``_`` in a template translates one of the report's own messages and fills in its
``%(name)s`` fields; every field is escaped for the format (and, in a right-to-left
report, isolated with ``<bdi>`` or Unicode isolates) unless it is already markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cyberdip.report import i18n
from cyberdip.report.marking import Marking, marking

if TYPE_CHECKING:
    from cyberdip.engine.compare import Comparison
    from cyberdip.engine.scoring import Scorecard
    from cyberdip.engine.series import Series


@dataclass
class ReportOptions:
    """How one report is written, beyond the scorecard itself."""

    lang: str = "en"
    rubric_words: i18n.RubricWords | None = None
    #: the previous assessment compared with this one (the brief's trend)
    comparison: Comparison | None = None
    #: fonts to embed (the HTML report of a right-to-left language embeds its font)
    extra: dict[str, Any] = field(default_factory=dict)
    #: the years before this one and this one (the brief's trend over several years)
    series: Series | None = None

    @property
    def words(self) -> i18n.Words:
        return i18n.words(self.lang)

    @property
    def rw(self) -> i18n.RubricWords:
        return self.rubric_words or i18n.RubricWords(self.lang)


def options_from(kw: dict[str, Any]) -> ReportOptions:
    """The options a format's ``render`` was given (``registry.render(..., lang=...)``)."""
    opts = kw.get("options")
    if isinstance(opts, ReportOptions):
        return opts
    return ReportOptions(lang=kw.get("lang", "en"), rubric_words=kw.get("rubric_words"),
                         comparison=kw.get("comparison"), series=kw.get("series"))


# -- HTML --------------------------------------------------------------------------------


def html_helpers(w: i18n.Words) -> dict[str, Any]:
    from markupsafe import Markup, escape

    def iso(text: object) -> Any:
        """User text in HTML: escaped; in a right-to-left report, isolated."""
        if text is None:
            return ""
        if isinstance(text, i18n.Localized):
            return loc(text)
        if w.rtl:
            return Markup(f"<bdi>{escape(text)}</bdi>")
        return escape(text)

    def loc(text: i18n.Localized | None) -> Any:
        """A rubric string: translated, or the English, isolated and marked."""
        if text is None:
            return ""
        if text.fallback and w.lang != "en":
            return Markup(f'<bdi lang="en" class="untranslated">{escape(text.text)}'
                          f'<sup class="untranslated-mark">EN</sup></bdi>')
        return escape(text.text)

    def ltr(text: object) -> Any:
        """A figure that reads left to right (``1 → 3``)."""
        if w.rtl:
            return Markup(f'<bdi dir="ltr">{escape(text)}</bdi>')
        return escape(text)

    def fill(message: str, kw: dict[str, Any]) -> Any:
        msg = Markup(escape(message))
        if not kw:
            return msg
        return msg % {k: v if isinstance(v, Markup) else iso(v) for k, v in kw.items()}

    def _(message: str, **kw: Any) -> Any:
        return fill(w.gettext(message), kw)

    def n_(singular: str, plural: str, n: int, **kw: Any) -> Any:
        return fill(w.ngettext(singular, plural, n), {"n": n, **kw})

    return {"_": _, "n_": n_, "iso": iso, "loc": loc, "ltr": ltr}


# -- Markdown ----------------------------------------------------------------------------


def md_helpers(w: i18n.Words) -> dict[str, Any]:
    """As :func:`html_helpers`, for Markdown. In a right-to-left report, user text and
    English fall-backs are isolated with ``<bdi>`` (GitHub keeps it): Unicode isolate
    characters would be escaped with every other control character the file could hold
    (``textsafe.for_file``), since a reader cannot tell ours from ones in the input."""
    from markupsafe import Markup

    from cyberdip.report.common import md_escape

    def iso(text: object) -> Any:
        if text is None:
            return ""
        if isinstance(text, i18n.Localized):
            return loc(text)
        s = str(md_escape(text))
        return Markup(f"<bdi>{s}</bdi>" if w.rtl else s)

    def loc(text: i18n.Localized | None) -> Any:
        if text is None:
            return ""
        s = str(md_escape(text.text))
        if text.fallback and w.lang != "en":
            return Markup(f'<bdi lang="en">{s} <sup>EN</sup></bdi>')
        return Markup(s)

    def ltr(text: object) -> Any:
        s = str(md_escape(text))
        return Markup(f'<bdi dir="ltr">{s}</bdi>' if w.rtl else s)

    def fill(message: str, kw: dict[str, Any]) -> Any:
        msg = str(md_escape(message))
        if not kw:
            return Markup(msg)
        return Markup(msg % {k: str(v) if isinstance(v, Markup) else str(iso(v))
                             for k, v in kw.items()})

    def _(message: str, **kw: Any) -> Any:
        return fill(w.gettext(message), kw)

    def n_(singular: str, plural: str, n: int, **kw: Any) -> Any:
        return fill(w.ngettext(singular, plural, n), {"n": n, **kw})

    return {"_": _, "n_": n_, "iso": iso, "loc": loc, "ltr": ltr}


# -- shared ------------------------------------------------------------------------------


def css_string(text: str) -> Any:
    """``text`` as the inside of a CSS string: every character but an ASCII letter or
    digit is written as a six-digit CSS hex escape, so nothing can end the string or the
    rule (a space too: CSS would take a space after an escape as part of it)."""
    from markupsafe import Markup

    return Markup("".join(ch if ch.isascii() and ch.isalnum() else f"\\{ord(ch):06x}"
                          for ch in text))


def marking_of(card: Scorecard) -> Marking | None:
    return marking(getattr(card, "marking", None))


def font_face(lang: str) -> Any:
    """The ``@font-face`` rule embedding the report language's font as a data: URL, or
    nothing when the browser's own fonts do (English)."""
    from markupsafe import Markup

    if lang != "ur":
        return Markup("")
    import base64

    from cyberdip.report.fonts import font_path

    data = base64.b64encode(font_path("NotoNastaliqUrdu-Regular.ttf").read_bytes()).decode()
    return Markup('@font-face { font-family: "Noto Nastaliq Urdu"; font-style: normal; '
                  'font-weight: 400; src: url("data:font/ttf;base64,' + data
                  + '") format("truetype"); }')


def relationship(w: i18n.Words, rel: str) -> str:
    """How a criterion relates to a framework's item, in the report's language."""
    return {"equal": w.gettext("equal"), "subset": w.gettext("subset"),
            "superset": w.gettext("superset"),
            "intersects": w.gettext("intersects")}.get(rel, rel)


def report_context(card: Scorecard, options: Any = None, *, fmt: str = "html") -> dict[str, Any]:
    """What both report templates see: the scorecard, a few derived views, and the
    helpers that write the report's words in its language (``report.view``)."""
    from markupsafe import Markup, escape

    from cyberdip.report import svg
    from cyberdip.report.common import md_escape, respondent_said
    from cyberdip.report.summary import (
        band_label,
        discussion,
        outlook,
        stage_list,
        stage_reason,
    )

    opts = options if options is not None else ReportOptions()
    w, rw = opts.words, opts.rw
    helpers = html_helpers(w) if fmt == "html" else md_helpers(w)
    names = {s.level: s.name for s in card.scale}
    lo = min(names) if names else 0
    hi = max(names) if names else 1
    by_area = {a.id: [] for a in card.areas}
    for c in card.criteria:
        by_area.setdefault(c.area, []).append(c)
    area_titles = {a.id: a.title for a in card.areas}
    radar = None
    if fmt == "html" and len(card.areas) >= 2:  # one axis is a dot on a line
        radar = svg.radar(
            [str(rw.area(a.id, a.title)) for a in card.areas],
            [svg.Series(w.gettext("Current score"), [a.score for a in card.areas], "current"),
             svg.Series(w.gettext("Target"), [a.target_score for a in card.areas], "target")],
            title=w.gettext("Current score against target, by area (0–100)"),
            rtl=w.rtl, not_assessed=w.gettext("(not assessed)"))
    loc = helpers["loc"]
    unassessed = [loc(rw.area(a.id, a.title)) for a in card.areas if a.score is None]
    # of those, the areas that do not count towards the stage (a blank criterion that
    # sets the stage, under `unanswered: lowest`, holds its area at stage 0: it counts)
    uncounted = [loc(rw.area(a.id, a.title)) for a in card.areas
                 if a.score is None and a.stage is None]
    mark = marking_of(card)
    disc = discussion(card)
    titles = {c.id: c.title for c in card.criteria}
    setting_titles = Markup("; ").join(loc(rw.criterion(cid, "title", titles[cid]))
                                       for cid in (disc.stage_setting if disc else []))
    from cyberdip.model.assessment import ladder_not_cumulative
    from cyberdip.report.common import stage_formula

    groups_by_area: dict[str, list] = {a.id: [] for a in card.areas}
    for g in card.groups:
        groups_by_area.setdefault(g.area, []).append(g)
    english = w.lang == "en"
    band = band_label(card)
    if band is not None and not english and getattr(card, "band", None) is not None:
        band = rw.band(card.band.min, "name", card.band.name)
    from cyberdip.report.common import signoff_sentence

    return {
        "card": card,
        "signoff_text": (signoff_sentence(card.signoff, w.gettext)
                         if getattr(card, "signoff", None) is not None else None),
        # what the rubric calls its index and stage (``labels``), in the report's language
        "index_label": card.labels.index_title if english else
        rw.label("index", card.labels.index),
        "stage_label": card.labels.stage_title if english else
        rw.label("stage", card.labels.stage),
        "stage_word": card.labels.stage if english else rw.label("stage", card.labels.stage),
        "rel": lambda r: relationship(w, r),
        "groups_by_area": groups_by_area,
        "group_titles": {g.id: g.title for g in card.groups},
        "titles": {c.id: c.title for c in card.criteria},
        #: criteria without a title of their own (shown by their question): their id
        #: is how the field knows them, so it goes first
        "untitled": {c.id for c in card.criteria if c.title == c.question},
        "context_areas": [a for a in card.areas if a.context],
        #: criteria of national-context areas: a framework view says which part of an
        #: item rests on them (they are shown, never scored into the index or stage)
        "context_ids": {c.id for c in card.criteria
                        if c.area in {a.id for a in card.areas if a.context}},
        "has_indicators": any(c.indicators for c in card.criteria),
        "has_linear": any(c.kind == "metric" and c.level is None and c.score is not None
                          for c in card.criteria),
        "has_choice": any(c.kind == "choice" for c in card.criteria),
        "stage_formula": stage_formula(card),
        "ladder_caveat": ladder_not_cumulative(card.rubric.id, card.rubric.version),
        # a merged assessment: the count of what needs discussion, for the first screen
        "disc": disc,
        "setting_titles": setting_titles,
        "said": respondent_said,
        "result_of": {c.id: c for c in card.criteria},
        # a merged assessment: each criterion's respondents and spread, by id
        "spreads": {s.id: s for s in card.merge.criteria} if card.merge is not None else {},
        "org": card.organisation,
        "names": names,
        "lowest": lo,
        "highest": hi,
        "span": hi - lo,
        "criteria_by_area": by_area,
        "area_titles": area_titles,
        "criterion_titles": {c.id: c.title for c in card.criteria},
        "top_gaps": card.gaps[:5],
        "plan": stage_list(card),
        "outlook": outlook(card),
        "reason": stage_reason(card),
        "band": band,
        "radar": radar,
        "w": w,
        "rw": rw,
        "lang": w.lang,
        "dir": w.dir,
        "mark": mark,
        "css_string": css_string,
        "mark_label": w.gettext("Protective marking"),
        "embed_font": font_face(w.lang) if fmt == "html" else "",
        "unassessed_titles": Markup(w.comma).join(unassessed),
        "uncounted_titles": Markup(w.comma).join(uncounted),
        "code": lambda s: Markup(f"<code>{escape(s)}</code>") if fmt == "html" else
        Markup(f"`{md_escape(s)}`"),
        # the action plan (docs/cycle.md): its counts, for the line on the first screen
        "plan_counts": action_plan_counts(card),
        "gap_of": {g.id: g for g in card.gaps},
        **helpers,
    }


def action_plan_counts(card: Scorecard) -> dict[str, int]:
    """The action plan counted: actions, overdue, open ones without an owner, and
    those whose overdue could not be judged (``engine.plan.summary``)."""
    from cyberdip.engine.plan import summary

    return summary(list(getattr(card, "plan", None) or []))
