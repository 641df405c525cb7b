"""PDF: the gap report (or the one-page brief) typeset by Typst, offline.

The PDF engine is the ``typst`` package (one wheel per platform, no system
libraries); it is the optional extra ``cyberdip[pdf]`` and imported only here, when a
PDF is written. Nothing of the scorecard is ever spliced into Typst markup: Python
builds a JSON document of *blocks* and *runs* (``{"text": ..., "b": true}``), already in
the report's language, and the one template (``typst/doc.typ``) reads it with
``json(bytes(sys.inputs.doc))`` and shows every string as text. Typst's root is a
fresh temporary folder holding only that template, and it sees only cyberdip's own
fonts (``report/fonts``), so a report can read no other file.

The same inputs give the same bytes: the document has no date, and nothing else in
it depends on the time or the machine.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cyberdip.errors import CyberdipError
from cyberdip.model.assessment import ladder_not_cumulative
from cyberdip.report import i18n
from cyberdip.report.common import (
    citation_text,
    contradiction,
    fmt_pct,
    fmt_score,
    fmt_value,
    respondent_said,
    stage_formula,
)
from cyberdip.report.summary import band_label, discussion, outlook, stage_list, stage_reason
from cyberdip.report.view import ReportOptions, marking_of, options_from, relationship

if TYPE_CHECKING:
    from cyberdip.engine.scoring import Scorecard

INSTALL_HINT = "pip install 'cyberdip[pdf]'"


def engine_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("typst") is not None


def no_engine_error(path: str = "") -> CyberdipError:
    return CyberdipError(
        "writing a PDF needs the optional PDF engine (Typst), which is not installed; "
        f"install it with `{INSTALL_HINT}`, or write an .html report", path=path,
        code="CD405", exit_code=2)


class Writer:
    """Builds the JSON document: our words translated, user text as isolated data."""

    def __init__(self, card: Scorecard, opts: ReportOptions) -> None:
        self.card = card
        self.opts = opts
        self.w = opts.words
        self.rw = opts.rw

    # -- strings --------------------------------------------------------------------
    def s(self, v: object) -> str:
        """A value inside one of our sentences: isolated in a right-to-left report; a
        rubric string without translation keeps its English, marked ``(EN)``."""
        if isinstance(v, i18n.Localized):
            if v.fallback and self.w.lang != "en":
                return f"{i18n.FSI}{v.text} (EN){i18n.PDI}"
            return v.text if not self.w.rtl else self.w.isolate(v.text)
        if isinstance(v, int | float) and not isinstance(v, bool):
            return self.w.ltr(v)
        return self.w.isolate(v)

    def _(self, message: str, **kw: Any) -> str:
        msg = self.w.gettext(message)
        return msg % {k: self.s(v) for k, v in kw.items()} if kw else msg

    def n_(self, singular: str, plural: str, n: int, **kw: Any) -> str:
        msg = self.w.ngettext(singular, plural, n)
        return msg % {k: self.s(v) for k, v in {"n": n, **kw}.items()}

    # -- runs -----------------------------------------------------------------------
    def t(self, text: str, **flags: Any) -> dict[str, Any]:
        """One of our own strings (already translated)."""
        return {"text": text, **flags}

    def u(self, text: object, **flags: Any) -> dict[str, Any]:
        """User text: data, isolated in a right-to-left report."""
        return {"text": self.w.isolate(text), **flags}

    def loc(self, v: i18n.Localized | None, **flags: Any) -> dict[str, Any]:
        if v is None:
            return {"text": "—", **flags}
        if v.fallback and self.w.lang != "en":
            return {"text": self.w.isolate(v.text), "en": True, **flags}
        return {"text": v.text, **flags}

    def ltr(self, text: object, **flags: Any) -> dict[str, Any]:
        return {"text": self.w.ltr(text), **flags}

    def lv(self, level: int | None, name: str | None) -> str:
        if level is None:
            return "—"
        loc = self.rw.level_name(level, name)
        return f"{level} {self.s(loc)}" if loc is not None else str(level)

    def cites(self, sources: list[Any]) -> str:
        # one isolate for the whole list: English citations read left to right together
        return self.w.isolate("; ".join(citation_text(s) for s in sources))

    # -- the summary blocks, shared with the brief ---------------------------------
    def figures(self) -> dict[str, Any]:
        card, rw = self.card, self.rw
        band = band_label(card)
        if band is not None and self.w.lang != "en" and getattr(card, "band", None):
            band = rw.band(card.band.min, "name", card.band.name)
        index_label = (self._("Readiness index") if card.labels.index == "readiness index"
                       else card.labels.index_title if self.w.lang == "en"
                       else self.s(rw.label("index", card.labels.index)))
        stage_label = self.stage_label()
        stage = [{"label": stage_label,
                  "value": str(card.stage) if card.stage is not None else "—",
                  "unit": self.s(rw.level_name(card.stage, card.stage_name)) if card.stage_name
                  else self._("not yet known"),
                  "note": self._("The highest stage whose practices, and all below, are "
                                 "satisfied") if card.stage_gate == "practices"
                  else self._("The lowest level of the criteria that gate it")}
                 ] if card.stage_gate != "none" else []
        return {"t": "figures", "items": [
            {"label": index_label, "value": fmt_score(card.index),
             "unit": "/ 100", "band": (self._("Band") + ": " + self.s(band)) if band else None,
             "note": self._("Area-weighted mean of area scores")},
            *stage,
            {"label": self._("Coverage"), "value": fmt_pct(card.coverage), "unit": "",
             "note": self._("%(assessed)s assessed, %(na)s not applicable, %(missing)s not "
                            "assessed, of %(all)s", assessed=card.counts.assessed,
                            na=card.counts.not_applicable, missing=card.counts.not_assessed,
                            all=card.counts.criteria)}]}

    def stage_label(self) -> str:
        """What the rubric calls a stage, in the report's language when it is ours."""
        labels = self.card.labels
        if labels.stage == "stage":
            return self._("Stage")
        return labels.stage_title if self.w.lang == "en" else self.s(
            self.rw.label("stage", labels.stage))

    def why(self) -> dict[str, Any] | None:
        r, rw = stage_reason(self.card), self.rw
        if self.card.stage_gate == "none":
            return None  # a rubric without stages: the index and its band say it all
        if r.stage is None:
            return {"t": "why", "paras": [[self.t(self._("No stage yet: nothing is assessed."))]]}
        first = [self.t(self._("Why stage %(stage)s?", stage=r.stage), b=True)]
        if r.holders and self.card.stage_gate == "practices":
            first.append(self.t(" " + self._("Not yet performed, of the practices the next "
                                             "stage needs:") + " "))
            for k, h in enumerate(r.holders):
                first.append(self.loc(rw.criterion(h.id, "title", h.title), b=True))
                first.append(self.t(" (" + h.level_name + ")"
                                    + ("; " if k < len(r.holders) - 1 else ".")))
        elif r.holders:
            first.append(self.t(" " + self.n_(
                "This criterion is at level %(level)s, and the stage is the lowest level of "
                "the criteria that gate it:", "These criteria are at level %(level)s, and the "
                "stage is the lowest level of the criteria that gate it:", len(r.holders),
                level=r.stage) + " "))
            for k, h in enumerate(r.holders):
                first.append(self.loc(rw.criterion(h.id, "title", h.title), b=True))
                first.append(self.t(" (" + self.s(rw.area(h.area, h.area_title)) + ")"
                                    + ("; " if k < len(r.holders) - 1 else ".")))
        if r.blanks and self.card.stage_gate != "practices":
            first.append(self.t(" " + self.n_(
                "This criterion sets the stage but is not answered yet, so it counts at the "
                "lowest level until it is:", "These criteria set the stage but are not "
                "answered yet, so each counts at the lowest level until it is:",
                len(r.blanks)) + " "))
            for k, h in enumerate(r.blanks):
                first.append(self.loc(rw.criterion(h.id, "title", h.title), b=True))
                first.append(self.t(" (" + self.s(rw.area(h.area, h.area_title)) + ")"
                                    + ("; " if k < len(r.blanks) - 1 else ".")))
        paras = [first]
        if r.next_stage is not None and self.card.stage_gate == "practices":
            paras.append([self.t(self._(
                "To reach stage %(stage)s (%(name)s), each of these practices, and every "
                "practice below it, must be performed.", stage=r.next_stage,
                name=rw.level_name(r.next_stage, r.next_stage_name)))])
        elif r.next_stage is not None:
            text = self.n_("To reach stage %(stage)s (%(name)s), it must reach level %(stage)s.",
                           "To reach stage %(stage)s (%(name)s), each of them must reach level "
                           "%(stage)s.", r.count, stage=r.next_stage,
                           name=rw.level_name(r.next_stage, r.next_stage_name))
            if r.unassessed_areas:
                # translated names joined bare: isolated one by one inside the isolate
                # the sentence gives them, the list would have no strong letter of its own
                # and run left to right, last name first
                names = self.w.comma.join(
                    n.text if not n.fallback else self.s(n)
                    for n in (rw.area(a.id, a.title) for a in self.card.areas
                              if a.score is None and a.stage is None))
                text += " " + self._("Areas with nothing assessed do not count yet: %(areas)s.",
                                     areas=i18n.Localized(names, False))
            paras.append([self.t(text)])
        else:
            paras.append([self.t(self._("This is the top of the scale."))])
        return {"t": "why", "paras": paras}

    def notes(self) -> dict[str, Any] | None:
        """Beside the headline: the index's range, the stage-setting blanks, and the
        rule for blanks when it leaves them out (``summary.outlook``)."""
        o, parts = outlook(self.card), []
        if o.index_range:
            parts.append(self._("Once everything is answered, the index could end anywhere "
                                "between %(low)s and %(high)s.", low=fmt_score(o.index_range[0]),
                                high=fmt_score(o.index_range[1])))
        if o.setting and o.setting[0]:
            parts.append(self.n_("%(n)s of the %(all)s criteria that set the stage is not "
                                 "answered yet.", "%(n)s of the %(all)s criteria that set the "
                                 "stage are not answered yet.", o.setting[0], all=o.setting[1]))
        if o.blanks_ignored:
            parts.append(self._("Unanswered criteria are left out of the stage (rule: ignore)."))
        return {"t": "small", "runs": [self.t(" ".join(parts))]} if parts else None

    def _actions(self, cid: str, level: int | None, actions: list[str]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for k, a in enumerate(actions):
            out.append(self.loc(self.rw.action(cid, level, a)))
            out.append(self.t("; " if k < len(actions) - 1 else "."))
        return out

    def _head(self, cid: str, title: str, area: str, critical: bool) -> list[dict[str, Any]]:
        rw = self.rw
        item = [self.loc(rw.criterion(cid, "title", title), b=True),
                self.t(" (" + self.s(rw.area(area, self.area_title(area))) + ")")]
        if critical:
            item += [self.t(" "), self.t(self._("Critical"), tag=True)]
        return item

    def _cite(self, sources: list[Any]) -> list[dict[str, Any]]:
        # a brief cites the first source (the full report has them all)
        return [self.t("  " + self._("Source") + ": " + self.cites(sources[:1])
                       + (" …" if len(sources) > 1 else ""), small=True, muted=True)
                ] if sources else []

    def step_items(self, *, cite: bool) -> list[list[dict[str, Any]]]:
        """The stage plan's steps (``summary.stage_list``)."""
        items = []
        for st in stage_list(self.card).steps:
            item = self._head(st.id, st.title, st.area, st.critical)
            if st.answer_first:
                item.append(self.t(": " + self._("Answer: %(question)s", question=self.rw.question(
                    st.id, st.actions[0], self.card.profile))))
            elif st.to_level is not None:
                item.append(self.t(": " + self._("from level %(now)s to %(next)s", now=st.current,
                            next=i18n.Localized(self.lv(st.to_level, st.to_name), False))
                                   + self.w.stop + " "))
                item += self._actions(st.id, st.to_level, st.actions)
            else:
                item.append(self.t(": " + self._(
                    "from %(now)s to %(next)s", now=i18n.Localized(st.current_name or "—", False),
                    next=i18n.Localized(st.to_name or "—", False)) + ". "))
                item += [self.u(a) for a in st.actions]
            if cite:
                item += self._cite(st.sources)
            items.append(item)
        return items

    def action_items(self, *, cite: bool, n: int = 5) -> list[list[dict[str, Any]]]:
        """The first ``n`` gaps that are not steps of the stage plan, by priority."""
        items = []
        for g in stage_list(self.card).others[:n]:
            item = self._head(g.id, g.title, g.area, g.critical)
            move = (self._("from level %(now)s to %(next)s", now=g.current,
                           next=i18n.Localized(self.lv(g.next_level, g.next_name), False))
                    if g.current is not None else
                    self._("from %(now)s to %(next)s", now=i18n.Localized(g.current_name, False),
                           next=i18n.Localized(g.next_name, False)))
            actions = g.actions or ([g.recommendation] if g.recommendation else g.steps)
            item.append(self.t(": " + move + (self.w.stop + " " if actions else "")))
            if g.current is not None:
                item += self._actions(g.id, g.next_level, actions)
            else:
                item += [self.u(a) for a in actions]
            if cite:
                item += self._cite(g.sources)
            items.append(item)
        return items

    def plan_blocks(self, *, cite: bool, brief: bool = False) -> list[dict[str, Any]]:
        """The stage list under its heading, then the other gaps under theirs (in a
        brief, only as many as keep the two lists to five items, the plan in full)."""
        plan, out = stage_list(self.card), []
        steps = self.step_items(cite=cite)
        if plan.status == "rise" and steps:
            out += [{"t": "h3", "runs": [self.t(self.n_(
                "The step that would raise the stage to %(stage)s (%(name)s)",
                "The %(n)s steps that would raise the stage to %(stage)s (%(name)s)",
                len(steps), stage=plan.next_stage, name=self.rw.level_name(
                    plan.next_stage, plan.next_stage_name)))]}, {"t": "list", "items": steps}]
        elif plan.status == "blocked":
            out += [{"t": "h3", "runs": [self.t(self.n_(
                "Answer this criterion first: it sets the stage, and until it is answered the "
                "stage cannot rise", "Answer these %(n)s criteria first: they set the stage, and "
                "until they are answered the stage cannot rise", len(steps)))]},
                {"t": "list", "items": steps}]
        elif plan.status == "target":
            out.append({"t": "p", "runs": [self.t(self._(
                "The stage is at its targets: raising it would take steps beyond them."))]})
        elif plan.status == "top" and plan.next_stage is not None:
            out.append({"t": "p", "runs": [self.t(self._(
                "No step can raise the stage: a criterion that holds it is at the highest "
                "level it can reach."))]})
        others = self.action_items(cite=cite, n=max(0, 5 - len(steps)) if brief else 5)
        if others:
            out += [{"t": "h3", "runs": [self.t(self._("Other gaps, by priority")
                                                if self.card.stage_gate != "none" else self.n_(
                "The action with the highest priority",
                "The %(n)s actions with the highest priority", len(others)))]},
                {"t": "list", "items": others}]
        return out

    def area_title(self, aid: str) -> str:
        return next(a.title for a in self.card.areas if a.id == aid)

    def plan_line(self) -> str | None:
        """The action plan counted in one sentence (None when there is no plan)."""
        if not self.card.plan:
            return None
        from cyberdip.report.view import action_plan_counts

        n = action_plan_counts(self.card)
        return (self.n_("%(n)s action", "%(n)s actions", n["actions"]) + ", "
                + self._("%(n)s overdue", n=n["overdue"]) + ", "
                + self._("%(n)s without an owner", n=n["without_owner"])
                + ("" if self.card.plan_as_of else " (" + self._(
                    "overdue not judged: the assessment has no date") + ")") + ".")

    def banners(self) -> list[dict[str, Any]]:
        card, out = self.card, []
        if card.disclaimer:
            out.append({"t": "banner", "runs": [self.t(self._("Caveat") + " ", b=True),
                                                self.u(card.disclaimer)]})
        if card.signoff is not None:
            from cyberdip.report.common import signoff_sentence

            out.append({"t": "banner", "runs": [self.u(signoff_sentence(card.signoff,
                                                                        self._))]})
        disc = discussion(card)
        if disc is not None and card.merge is not None:
            text = (self.n_("They disagree on %(n)s criterion.",
                            "They disagree on %(n)s criteria.", disc.disagreements))
            if disc.pending:
                text += " " + self.n_(
                    "%(n)s criterion was set to the lowest answer given, pending discussion.",
                    "%(n)s criteria were set to the lowest answer given, pending discussion.",
                    len(disc.pending))
                titles = {c.id: c.title for c in card.criteria}
                text += " " + (self.n_(
                    "Of the criteria that set the stage, %(n)s is among them: %(list)s.",
                    "Of the criteria that set the stage, %(n)s are among them: %(list)s.",
                    len(disc.stage_setting), list="; ".join(
                        self.s(self.rw.criterion(cid, "title", titles[cid]))
                        for cid in disc.stage_setting))
                    if disc.stage_setting else self._("None of them sets the stage."))
            out.append({"t": "banner", "runs": [
                self.t(self.n_("Merged from %(n)s respondent", "Merged from %(n)s respondents",
                               disc.respondents) + " ", b=True),
                self.u("(" + ", ".join(card.merge.respondents) + "; "),
                self.t(self._("consensus rule: %(rule)s", rule=card.merge.rule) + "). "),
                self.t(text)]})
        if card.illustrative:
            out.append({"t": "banner", "runs": [
                self.t(self._("Illustrative") + " ", b=True),
                self.t(self._("This report is made from example data written to show how "
                              "cyberdip works. It is not a real assessment of %(org)s.",
                              org=card.organisation.name))]})
        if card.carried.unconfirmed:
            out.append({"t": "banner", "runs": [
                self.t(self._("Carried forward") + " ", b=True),
                self.t(self.n_(
                    "%(n)s answer was carried forward from an earlier assessment and is not "
                    "re-confirmed yet",
                    "%(n)s answers were carried forward from an earlier assessment and are not "
                    "re-confirmed yet", card.carried.unconfirmed) + " (" + (
                    self._("scored as unsupported (strict)") if card.strict else
                    self._("counted apart; --strict scores them as unsupported")) + ").")]})
        if card.evidence_dates.items:
            out.append({"t": "banner", "runs": [
                self.t(self._("Stale evidence") + " ", b=True),
                self.t(self.n_("%(n)s item of evidence is stale or expired on %(date)s",
                               "%(n)s items of evidence are stale or expired on %(date)s",
                               card.evidence_dates.items, date=card.reference_date) + " (" + (
                    self._("claims resting only on it are scored as unsupported (strict)")
                    if card.strict else self._("flagged; --strict scores claims resting "
                                               "only on it as unsupported")) + ").")]})
        elif card.evidence_dates.dated and not card.evidence_dates.checked:
            out.append({"t": "banner", "runs": [
                self.t(self._("Stale evidence") + " ", b=True),
                self.t(self._("Not checked: the assessment has no date; give --as-of to "
                              "judge the evidence's dates."))]})
        if card.provisional:
            out.append({"t": "banner", "runs": [
                self.t(self._("Provisional") + " ", b=True),
                self.t(self._("Only %(coverage)s of the rubric is answered, below the "
                              "%(minimum)s needed for a firm result. Treat the index and stage "
                              "as a first indication.", coverage=fmt_pct(card.coverage),
                              minimum=fmt_pct(card.min_coverage)))]})
        return out

    def header(self, kicker: str) -> list[dict[str, Any]]:
        card, org = self.card, self.card.organisation
        who = [self.u(org.unit)] if org.unit else []
        line = (who + [self.t(" · " if who else "")]
                + [self.t(self._("Period") + ": "),
                   self.u(card.period) if card.period else self.t(self._("not stated"))])
        if card.date:
            line += [self.t(" · " + self._("Assessed on") + " "), self.ltr(card.date)]
        return [{"t": "kicker", "runs": [self.t(kicker)]},
                {"t": "h1", "runs": [self.u(org.name)]},
                {"t": "p", "runs": line}]

    def document(self, blocks: list[dict[str, Any]], *, page_numbers: bool,
                 size: float) -> dict[str, Any]:
        m = marking_of(self.card)
        urdu = self.w.lang == "ur"
        return {
            "lang": self.w.lang, "dir": self.w.dir,
            "title": self.card.organisation.name,
            "fonts": ["Noto Sans", "Noto Nastaliq Urdu"],
            "size": size * (0.9 if urdu else 1.0),
            "leading": 0.45 if urdu else 0.55,
            "spacing": 0.5 if urdu else 0.75,
            "marking": None if m is None else {"text": m.text, "colour": m.colour},
            "page_numbers": page_numbers,
            "blocks": blocks,
        }

    # -- the full report ------------------------------------------------------------
    def report(self) -> dict[str, Any]:
        card, rw = self.card, self.rw
        b: list[dict[str, Any]] = self.header(
            f"{rw.rubric_title(card.rubric.title).text} · {self._('gap report')}")
        b += self.banners()
        if self.plan_line() is not None:
            b.append({"t": "banner", "runs": [self.t(self._("Action plan") + " ", b=True),
                                              self.t(self.plan_line() or "")]})
        b += [x for x in (self.figures(), self.notes(), self.why()) if x is not None]
        b += self.plan_blocks(cite=False)
        b += self.facts()
        b.append({"t": "h2", "runs": [self.t(self._("Scores by area"))]})
        b.append(self.area_table())
        b += self.rollup_blocks()
        b += self.disagreements()
        names = {s.level: s.name for s in card.scale}
        for a in card.areas:
            b.append({"t": "h2", "runs": [self.loc(rw.area(a.id, a.title))]})
            b.append({"t": "p", "runs": [self.t(
                self._("Score %(score)s / 100 (target %(target)s)", score=fmt_score(a.score),
                       target=fmt_score(a.target_score)) + " · " + self._("stage") + " "
                + self.lv(a.stage, a.stage_name) + " · " + self._("coverage") + " "
                + self.w.ltr(fmt_pct(a.coverage)) + " · "
                + self._("%(assessed)s assessed, %(na)s not applicable, %(missing)s not "
                         "assessed", assessed=a.assessed, na=a.not_applicable,
                         missing=a.not_assessed), small=True, muted=True)]})
            for c in card.criteria:
                if c.area == a.id:
                    b.append(self.criterion(c, names))
        b += self.roadmap()
        b += self.action_plan()
        b += self.method()
        b += self.bibliography()
        b.append({"t": "small", "runs": [self.t(self.footer())]})
        return self.document(b, page_numbers=True, size=8.6)

    def disagreements(self) -> list[dict[str, Any]]:
        """A merged assessment's disputed criteria: the list the first page counts."""
        card = self.card
        disc = discussion(card)
        if disc is None or card.merge is None or not disc.disagreements:
            return []
        results = {c.id: c for c in card.criteria}
        rows = []
        for sp in card.merge.criteria:
            if not sp.spread:
                continue
            first = [self.u(sp.id, small=True)]
            if sp.needs_discussion:
                first.append(self.t(" " + self._("needs discussion"), b=True, small=True))
            if sp.id in disc.stage_setting:
                first.append(self.t(" " + self._("sets the stage"), small=True, muted=True))
            said = "; ".join(f"{r.name}: {respondent_said(r, results.get(sp.id))}"
                             for r in sp.respondents)
            rows.append([first, [self.ltr(str(sp.spread))], [self.u(said, small=True)]])
        return [{"t": "h2", "runs": [self.t(self._("Where the respondents disagree"))]},
                {"t": "table", "cols": [3, "auto", 5], "align": ["start", "end", "start"],
                 "header": [self._("Criterion"), self._("Spread"), self._("Respondents")],
                 "rows": rows}]

    def footer(self) -> str:
        text = self._("Generated by cyberdip %(tool)s from the rubric %(rubric)s %(version)s "
                      "(sha256 %(hash)s…). The criteria and their citations are the rubric's; "
                      "its sources are listed above.", tool=self.card.cyberdip_version,
                      rubric=self.card.rubric.id, version=self.card.rubric.version,
                      hash=self.card.rubric.sha256[:16])
        if self.w.lang != "en":
            text += " " + self._("Translation: the report's own words come from the cyberdip "
                                 "catalogue; the rubric's words from its translation file.")
            text += " " + (self._("Status of the rubric's translation: %(status)s.",
                                  status=self.w.gettext(self.rw.status)) if self.rw.status else
                           self._("This rubric has no translation: its words are shown in "
                                  "English."))
            if not self.rw.complete:
                text += " " + self._("Text marked EN has no current translation and is "
                                     "shown in English.")
        return text

    def facts(self) -> list[dict[str, Any]]:
        card, org = self.card, self.card.organisation
        rows = []
        if org.country:
            rows.append([self._("Country"), [self.u(org.country)]])
        if card.assessors:
            rows.append([self._("Assessors"), [self.u("; ".join(card.assessors))]])
        rubric = [self.loc(self.rw.rubric_title(card.rubric.title)),
                  self.t(" (" + self.w.isolate(card.rubric.id) + " "
                         + self._("version %(version)s", version=card.rubric.version) + ")")]
        rows.append([self._("Rubric"), rubric])
        if card.profile_name:
            rows.append([self._("Profile"), [self.loc(self.rw.profile(card.profile,
                                                                       card.profile_name)), self.t(
                " (" + self._("only the criteria that apply to it are asked and counted")
                + ")")]])
        rows.append([self._("Scoring"), [self.t(
            self._("strict: claims without evidence are scored lower") if card.strict else
            self._("standard: claims without evidence are flagged, not lowered"))]])
        if card.counts.unsupported:
            rows.append([self._("Unsupported claims"), [self.t(self.n_(
                "%(n)s answer claims level %(level)s or above without evidence",
                "%(n)s answers claim level %(level)s or above without evidence",
                card.counts.unsupported, level=card.evidence_from_level))]])
        return [{"t": "criterion", "title": [self.t(self._("About this assessment"), b=True)],
                 "rows": rows}]

    def rollup_blocks(self) -> list[dict[str, Any]]:
        """The framework views (the six themes, GCI, NIST, UN GGE...): each item's score,
        and how many of the criteria it scored are national context. Descriptive: they
        feed neither the index nor the stage."""
        card, rw = self.card, self.rw
        if not card.rollups:
            return []
        context = {c.id for c in card.criteria
                   if c.area in {a.id for a in card.areas if a.context}}
        out: list[dict[str, Any]] = [{"t": "h2", "runs": [self.t(self._("Scores by framework"))]}]
        for r in card.rollups:
            rows = []
            for i in r.items:
                name = [self.u(i.item, small=True)]
                if i.title:
                    name += [self.t(" "), self.loc(rw.framework_item(r.framework, i.item,
                                                                     i.title))]
                scored = [c for c in i.criteria if c.score is not None]
                n = sum(1 for c in scored if c.id in context)
                if n:
                    name.append(self.t(" (" + self._(
                        "national context: %(n)s of the %(all)s criteria scored", n=n,
                        all=len(scored)) + ")", small=True, muted=True))
                rows.append([name, [self.ltr(fmt_score(i.score))]])
            out += [{"t": "h3", "runs": [self.loc(rw.framework(r.framework, r.title))]},
                    {"t": "table", "cols": [5, "auto"], "align": ["start", "end"],
                     "header": [self._("Item"), self._("Score")], "rows": rows},
                    {"t": "p", "runs": [self.t(self._("Method") + ": ", b=True, small=True),
                                        self.t(self._(r.method), small=True)]}]
        return out

    def area_table(self) -> dict[str, Any]:
        rw, card = self.rw, self.card
        staged = card.stage_gate != "none"
        rows = []
        for a in card.areas:
            name = [self.loc(rw.area(a.id, a.title))]
            if a.context:
                name.append(self.t(" (" + self._("national context") + ")", small=True,
                                   muted=True))
            stage = ([[self.t(self._("not gated") if a.context else
                              self.lv(a.stage, a.stage_name))]] if staged else [])
            rows.append([name, [self.ltr(f"{a.weight:g}")], [self.ltr(fmt_score(a.score))],
                         [self.ltr(fmt_score(a.target_score))], *stage,
                         [self.ltr(fmt_pct(a.coverage))]])
            for g in (g for g in card.groups if g.area == a.id):
                rows.append([[self.t("  " * g.depth + g.id + " ", small=True, muted=True),
                              self.u(g.title, small=True)], [self.t("")],
                             [self.ltr(fmt_score(g.score))],
                             [self.ltr(fmt_score(g.target_score))],
                             *([[self.t("")]] if staged else []),
                             [self.ltr(fmt_pct(g.coverage))]])
        stage_label = self.stage_label()
        return {"t": "table", "cols": [4, "auto", "auto", "auto", *([2] if staged else []),
                                       "auto"],
                "align": ["start", "end", "end", "end", *(["start"] if staged else []), "end"],
                "header": [self._("Area"), self._("Weight"), self._("Current score"),
                           self._("Target"), *([stage_label] if staged else []),
                           self._("Coverage")],
                "rows": rows}

    def status(self, c: Any) -> list[dict[str, Any]]:
        if c.status == "not-applicable":
            return [self.t(self._("N/A"), tag=True), self.t(" ")] + (
                [self.t(self._("Not applicable: %(reason)s", reason=c.not_applicable_reason))]
                if c.not_applicable_reason else [self.t(self._("Not applicable"))])
        if c.status == "not-assessed":
            return [self.t(self._("Not assessed"), b=True), self.t(" " + self._("No answer given"))]
        if c.unsupported:
            text = self._("Claimed at level %(level)s without evidence", level=c.claimed_level)
            if self.card.strict:
                text += "; " + self._("scored at level %(level)s (strict)", level=c.level)
            return [self.t(self._("Unsupported"), tag=True), self.t(" " + text)] + self._carried(c)
        return [self.t(self._("Assessed"))] + self._stale(c) + self._carried(c)

    def _stale(self, c: Any) -> list[dict[str, Any]]:
        if not c.evidence_stale:
            return []
        text = "; " + self._("its evidence is stale or expired")
        if self.card.strict:
            text += ", " + self._("scored at level %(level)s (strict)", level=c.level)
        return [self.t(text)]

    def _ev_dates(self, e: Any) -> list[dict[str, Any]]:
        """What is known of an item of evidence: its dates, where it is kept, its hash,
        and whether it is stale or expired on the reference date."""
        said = ([self._("dated %(date)s", date=e.date)] if e.date else []) + (
            [self._("valid until %(date)s", date=e.valid_until)] if e.valid_until else []) + (
            [self._("kept at %(ref)s", ref=e.ref)] if e.ref else []) + (
            [f"SHA-256 {e.sha256[:12]}…"] if e.sha256 else [])
        out = [self.t(" (" + "; ".join(said) + ")", small=True, muted=True)] if said else []
        if e.stale:
            out.append(self.t(" " + self._("stale"), small=True, b=True))
        if e.expired:
            out.append(self.t(" " + self._("expired"), small=True, b=True))
        return out

    def _carried(self, c: Any) -> list[dict[str, Any]]:
        if c.carried is None:
            return []
        return [self.t("; " + self._("carried forward from %(source)s, not re-confirmed",
                                     source=c.carried.source))]

    def criterion(self, c: Any, names: dict[int, str]) -> dict[str, Any]:
        rw = self.rw
        untitled = c.title == c.question
        title = ([self.t(self.w.isolate(c.id) + " ", b=True)] if untitled else []) + [
            self.loc(rw.criterion(c.id, "title", c.title), b=True)] + (
            [] if untitled else [self.t("  " + self.w.isolate(c.id), small=True, muted=True)])
        if c.critical:
            title += [self.t(" "), self.t(self._("Critical"), tag=True)]
        level = [self.t(self.lv(c.level, c.level_name))]
        if c.descriptor and c.descriptor != c.level_name:
            level += [self.t(": "), self.loc(rw.descriptor(c.id, c.level, c.descriptor))]
        if c.claimed_level is not None and c.claimed_level != c.level:
            level.append(self.t(" (" + self._("claimed level %(level)s", level=c.claimed_level)
                                + ")"))
        target = [self.t(self.lv(c.target, names.get(c.target)))]
        if c.gap:
            target += [self.t(" · "), {"bar": [c.gap, len(names) - 1]},
                       self.t(" " + self.n_("gap of %(n)s level", "gap of %(n)s levels", c.gap))]
        elif c.level is not None:
            target.append(self.t(" · " + self._("reached")))
        rows = [[self._("Status"), self.status(c)]]
        if c.kind == "metric" and c.value is not None:
            rows.append([self._("Measured"), [self.ltr(fmt_value(c.value))]
                         + ([self.t(" "), self.loc(rw.unit(c.id, c.unit))] if c.unit else [])])
        elif c.kind == "boolean" and c.met is not None:
            rows.append([self._("Answer"), [self.t(self._("Yes") if c.met else self._("No"))]])
        elif c.answer_name:
            rows.append([self._("Answer"), [self.u(c.answer), self.t(" "),
                                            self.loc(rw.answer(c.answer, c.answer_name))]])
        if c.level is not None or c.status != "assessed" or c.target is not None:
            rows.append([self._("Current level"), level])
        else:
            rows.append([self._("Score"), [self.ltr(fmt_score((c.score or 0) * 100)
                                                    + " / 100")]])
        if c.indicators:
            marks = []
            for k, i in enumerate(c.indicators):
                tick = "✓" if i.met else ("✗" if i.met is not None else "?")
                marks += ([self.t(" · ", muted=True)] if k else []) + [
                    self.t(f"{tick} {i.level}: ", b=True, small=True),
                    self.loc(rw.indicator(c.id, i.id, i.text), small=True)]
                for e in i.evidence:
                    link = e.text.strip() if e.link and _is_link(e.text) else None
                    marks += [self.t(" — ", muted=True),
                              self.u(e.text, small=True, **({"link": link} if link else {})),
                              *self._ev_dates(e)]
            rows.append([self._("Indicators"), marks])
            clash = contradiction(c)
            if clash is not None:
                text = self._("The level-%(high)s indicator is met, but the level-%(low)s "
                              "indicator below it is not: the level counts the indicators "
                              "met from the bottom up. Check both answers.",
                              high=clash[2], low=clash[0])
                if ladder_not_cumulative(self.card.rubric.id, self.card.rubric.version):
                    text += " " + self._("The likely cause is the rubric's ladder: in this "
                                         "version some levels are not cumulative as worded.")
                rows.append([self._("Indicators contradict"), [self.t(text)]])
        if c.target is not None:
            rows.append([self._("Target"), target])
        if c.next_level is not None:
            nxt = [self.t(self.lv(c.next_level, names.get(c.next_level)))]
            if c.next_descriptor and c.next_descriptor != names.get(c.next_level):
                nxt += [self.t(": "), self.loc(rw.descriptor(c.id, c.next_level,
                                                             c.next_descriptor))]
            rows.append([self._("Next level"), nxt])
        if c.evidence:
            ev: list[dict[str, Any]] = []
            for k, e in enumerate(c.evidence):
                if k:
                    # right to left, one item a line: isolates side by side on one line
                    # would run from the right, and an English item read from the left
                    # would then seem to start with the next one
                    ev.append({"text": "", "br": True} if self.w.rtl
                              else self.t(" · ", muted=True))
                link = e.text.strip() if e.link and _is_link(e.text) else None
                ev.append(self.u(e.text, small=True, **({"link": link} if link else {})))
                ev += self._ev_dates(e)
            rows.append([self._("Evidence"), ev])
        elif any(i.evidence for i in c.indicators):
            rows.append([self._("Evidence"), [self.t(self._("on the indicators above"),
                                                     muted=True)]])
        else:
            rows.append([self._("Evidence"), [self.t(self._("none given"), muted=True)]])
        if c.notes:
            rows.append([self._("Notes"), [self.u(c.notes, small=True)]])
        if c.owner or c.due:
            own = [self.u(c.owner) if c.owner else self.t("—")]
            if c.due:
                own.append(self.t(" · " + self._("due %(date)s", date=c.due)))
            rows.append([self._("Owner"), own])
        if c.sources:
            rows.append([self._("Sources"), [self.t(self.cites(c.sources), small=True)]])
        if c.crosswalk:
            maps: list[dict[str, Any]] = []
            for m in c.crosswalk:
                maps += [self.t("; " if maps else "", small=True),
                         self.u(f"{m.framework} {m.item}", small=True),
                         self.t(f" ({relationship(self.w, m.relationship)})", small=True)]
                if m.note:
                    maps += [self.t(": ", small=True),
                             self.loc(rw.mapping_note(c.id, m.framework, m.item, m.note),
                                      small=True)]
            rows.append([self._("Maps to"), maps])
        return {"t": "criterion", "title": title, "rows": rows}

    def roadmap(self) -> list[dict[str, Any]]:
        card, rw = self.card, self.rw
        out = [{"t": "h2", "runs": [self.t(self._("Gap roadmap"))]}]
        if not card.gaps:
            return out + [{"t": "p", "runs": [self.t(self._(
                "No gaps: every assessed criterion is at or above its target."))]}]
        span = max(len(card.scale) - 1, 1)
        out.append({"t": "p", "runs": [self.t(self._(
            "Every criterion below its target, highest priority first. Priority = gap × "
            "criterion weight × area weight, doubled for critical criteria. Each bar has one "
            "box per level of the scale; filled boxes are the levels still to climb."),
            small=True)]})
        rows = []
        for k, g in enumerate(card.gaps, 1):
            crit = [self.loc(rw.criterion(g.id, "title", g.title), b=True),
                    self.t(" (" + self.s(rw.area(g.area, self.area_title(g.area))) + ")",
                           small=True, muted=True)]
            if g.critical:
                crit += [self.t(" "), self.t(self._("Critical"), tag=True)]
            if g.recommendation:
                step = [self.t(self._("To reach %(level)s:", level=i18n.Localized(
                    self.lv(g.next_level, g.next_name), False)) + " ", b=True),
                    self.loc(rw.recommendation(g.id, g.next_level, g.recommendation))]
            elif g.next_level is not None:
                step = [self.t(self._("Reach level %(level)s.", level=i18n.Localized(
                    self.lv(g.next_level, g.next_name), False)))]
            else:
                step = [self.t(self._("Move to %(next)s.", next=i18n.Localized(g.next_name,
                                                                                False)))]
            if g.steps:
                step.append(self.t(" " + self._("Still to show: %(steps)s.", steps=i18n.Localized(
                    "; ".join(rw.indicator_text(g.id, s, True).text for s in g.steps),
                    False))))
            if g.sources:
                step.append(self.t("  " + self._("Source") + ": " + self.cites(g.sources),
                                   small=True, muted=True))
            now = (self.lv(g.current, g.current_name) if g.current is not None
                   else g.current_name)
            aim = self.lv(g.target, g.target_name) if g.target is not None else g.target_name
            rows.append([[self.ltr(str(k))], crit,
                         [self.t(self._("%(now)s, target %(target)s", now=i18n.Localized(
                             now, False), target=i18n.Localized(aim, False)), small=True)],
                         [{"bar": [g.gap, span]}, self.t(" " + str(g.gap), small=True)]
                         if g.current is not None else [self.t("—")],
                         [self.ltr(f"{g.priority:g}")], step])
        out.append({"t": "table", "cols": ["auto", 3, 1.3, "auto", "auto", 5],
                    "align": ["end", "start", "start", "start", "end", "start"],
                    "header": ["#", self._("Criterion"), self._("Now → target"), self._("Gap"),
                               self._("Priority"), self._("Recommended next step")],
                    "rows": rows})
        return out

    def plan_status(self, status: str | None) -> str:
        words = {"planned": self._("planned"), "under-way": self._("under way"),
                 "done": self._("done"), "dropped": self._("dropped")}
        return words.get(status or "", "—")

    def action_plan(self) -> list[dict[str, Any]]:
        """The action plan (docs/cycle.md): every action with its owner, due date and
        status, overdue ones flagged."""
        card, rw = self.card, self.rw
        out = [{"t": "h2", "runs": [self.t(self._("Action plan"))]}]
        if not card.plan:
            return out + [{"t": "p", "runs": [self.t(self._(
                "No actions: no criterion is below its target, and none has an action "
                "written."))]}]
        judged = (self._("Overdue is judged against %(date)s.", date=i18n.Localized(
            self.w.ltr(card.plan_as_of), False)) if card.plan_as_of
            else self._("Overdue is not judged: the assessment has no date."))
        out.append({"t": "p", "runs": [self.t(self._(
            "One action for each criterion below its target, and for each criterion with an "
            "action written. Where the ministry wrote no action of its own, the rubric's "
            "recommendation is shown, marked (rubric).") + " " + judged, small=True)]})
        rows = []
        gaps = {g.id: g for g in card.gaps}
        for i in card.plan:
            g = gaps.get(i.id)
            mark = [self.t(" (" + self._("rubric") + ")", small=True, muted=True)]
            if i.own_action:
                action = [self.u(i.action)]
            elif g is not None and g.recommendation:
                action = [self.loc(rw.recommendation(g.id, g.next_level, g.recommendation)),
                          *mark]
            elif g is not None and g.next_level is not None and g.actions:
                said = [rw.action(g.id, g.next_level, x) for x in g.actions]
                action = [self.loc(i18n.Localized("; ".join(x.text for x in said),
                                                  any(x.fallback for x in said))), *mark]
            else:
                action = [self.u(i.action), *mark] if i.action else [self.t("—")]
            due = [self.ltr(i.due) if i.due else self.t("—")]
            if i.overdue:
                due += [self.t(" "), self.t(self._("OVERDUE"), tag=True)]
            elif i.overdue is None:
                due.append(self.t(" (" + self._("not judged") + ")", small=True, muted=True))
            now = self.lv(i.current, i.current_name) if i.current is not None else (
                i.current_name or "—")
            aim = self.lv(i.target, i.target_name) if i.target is not None else (
                i.target_name or "—")
            rows.append([[self.loc(rw.criterion(i.id, "title", i.title), b=True)], action,
                         [self.u(i.owner) if i.owner else self.t("—")], due,
                         [self.t(self.plan_status(i.status))],
                         [self.t(f"{now} → {aim}", small=True)]])
        out.append({"t": "table", "cols": [2.5, 4, 1.6, 1.3, 1, 1.6],
                    "align": ["start"] * 6,
                    "header": [self._("Criterion"), self._("Action"), self._("Owner"),
                               self._("Due"), self._("Status"), self._("Now → target")],
                    "rows": rows})
        return out

    def method(self) -> list[dict[str, Any]]:
        card, rw = self.card, self.rw
        lo, hi = (card.scale[0].level, card.scale[-1].level) if card.scale else (0, 1)
        out = [{"t": "h2", "runs": [self.t(self._("Appendix: method"))]}]
        if card.glossary:
            out += [{"t": "h3", "runs": [self.t(self._("Glossary"))]},
                    {"t": "table", "cols": ["auto", 1], "align": ["start", "start"],
                     "header": ["", ""],
                     "rows": [[[self.loc(rw.term(term), b=True)],
                               [self.loc(rw.definition(term, meaning), small=True)]]
                              for term, meaning in card.glossary.items()]}]
        if card.scale:
            out += [{"t": "h3", "runs": [self.t(self._("The scale"))]},
                    {"t": "table", "cols": ["auto", "auto", 1],
                     "align": ["end", "start", "start"],
                     "header": [self._("Level"), self._("Name"), self._("Meaning")],
                     "rows": [[[self.ltr(str(s.level))],
                               [self.loc(rw.level_name(s.level, s.name))],
                               [self.loc(rw.scale_meaning(s.level, s.meaning))]]
                              for s in card.scale]}]
        if card.bands:
            out += [{"t": "h3", "runs": [self.t(self._("Bands"))]},
                    {"t": "table", "cols": ["auto", "auto", 1],
                     "align": ["start", "end", "start"],
                     "header": [self._("Band"), self._("From"), self._("Meaning")],
                     "rows": [[[self.loc(rw.band(b.min, "name", b.name))],
                               [self.ltr(f"{b.min:g}")],
                               [self.loc(rw.band(b.min, "meaning", b.meaning))
                                if b.meaning else self.t("")]] for b in card.bands]}]
        out.append({"t": "h3", "runs": [self.t(self._("The formulas"))]})
        paras = [
            self._("Each answer gives a level: directly, through yes/no (met or not met), or "
                   "through the metric's thresholds. A criterion's target is the level the "
                   "answer sets, else the assessment's default target, else the rubric's, else "
                   "the top of the scale; it is never above the highest level the criterion "
                   "can reach."),
            self._("normalised level = (level − %(lowest)s) ÷ (%(highest)s − %(lowest)s)",
                   lowest=lo, highest=hi),
            self._("area score = 100 × Σ(criterion weight × normalised level) ÷ Σ(criterion "
                   "weight), over the assessed criteria of the area"),
            self._("Criteria marked not applicable or left unanswered are left out of the "
                   "score; they never count as zero. The area's target score is the score "
                   "with every gap closed: each criterion at its target, or at its level where "
                   "that is higher."),
            self._("index = Σ(area weight × area score) ÷ Σ(area weight), over the areas with "
                   "a score"),
            self._("coverage = 100 × weight of criteria answered (assessed or not applicable) "
                   "÷ weight of all criteria, per area; overall, the area-weighted mean; "
                   "rounded down, so it is never shown above what was answered"),
            self._("The result is provisional when coverage is below %(minimum)s.",
                   minimum=fmt_pct(card.min_coverage)),
            self._("area stage = the lowest level among the assessed critical criteria (all "
                   "assessed criteria when none of the area's critical criteria is assessed); "
                   "overall stage = the lowest area stage")
            if card.stage_gate == "critical" and card.unanswered == "ignore"
            else self._("area stage = the lowest level among all assessed criteria; overall "
                        "stage = the lowest area stage")
            if card.stage_gate == "all" and card.unanswered == "ignore"
            else self._(stage_formula(card)),
            self._("gap = max(0, target − level); priority = gap × criterion weight × area "
                   "weight, × 2 for a critical criterion"),
        ]
        if card.evidence_from_level is not None:
            paras.append(self._("Claims at level %(level)s or above need evidence; a claim "
                                "without it is marked unsupported.",
                                level=card.evidence_from_level) + " " + (
                self._("This report was scored with --strict, so unsupported claims are scored "
                       "at the highest level that needs no evidence.") if card.strict else
                self._("Scoring with --strict scores such claims at the highest level that "
                       "needs no evidence.")))
        out += [{"t": "p", "runs": [self.t(p)]} for p in paras]
        return out

    def bibliography(self) -> list[dict[str, Any]]:
        out = [{"t": "h2", "runs": [self.t(self._("Bibliography"))]}]
        if not self.card.bibliography:
            return out + [{"t": "p", "runs": [self.t(self._("The rubric cites no sources."))]}]
        items = []
        for src in self.card.bibliography:
            item = [self.u(f"{src.citation}. {src.title}"
                           + (f". {src.venue}" if src.venue else "") + ".")]
            if src.link and _is_link(src.link):
                item += [self.t(" "), self.u(src.link, link=src.link.strip(), small=True)]
            items.append(item)
        return out + [{"t": "list", "items": items}]


def _is_link(text: str) -> bool:
    from cyberdip.model.assessment import is_link

    return is_link(text)


def compile_pdf(doc: dict[str, Any]) -> bytes:
    """Typeset ``doc`` with Typst; its root is a temporary folder holding only the
    template, and the only fonts it sees are cyberdip's."""
    import tempfile
    from importlib import resources
    from pathlib import Path

    try:
        import typst
    except ImportError:
        raise no_engine_error() from None
    from cyberdip.report.fonts import FOLDER

    template = resources.files("cyberdip.report") / "typst" / "doc.typ"
    with tempfile.TemporaryDirectory(prefix="cyberdip-pdf-") as root:
        main = Path(root) / "doc.typ"
        main.write_bytes(template.read_bytes())
        return typst.compile(str(main), root=root, font_paths=[str(FOLDER)],
                             ignore_system_fonts=True,
                             sys_inputs={"doc": json.dumps(doc, ensure_ascii=False)})


def document(card: Scorecard, opts: ReportOptions, *, brief: bool = False) -> dict[str, Any]:
    """The JSON document the template reads, bounded to what Typst lays out cheaply
    (``pdf_bounds``); when anything was cut, a banner under the title says so."""
    from cyberdip.report.pdf_bounds import bound

    writer = Writer(card, opts)
    if brief:
        from cyberdip.report.brief import brief_document

        doc = brief_document(writer)
    else:
        doc = writer.report()
    doc, cut = bound(doc)
    if cut:
        blocks = doc["blocks"]
        at = next((i + 1 for i, b in enumerate(blocks) if b.get("t") == "h1"), 0)
        while at < len(blocks) and blocks[at].get("t") == "p":
            at += 1
        blocks.insert(at, {"t": "banner", "runs": [
            writer.t(writer._("Shortened") + " ", b=True),
            writer.t(writer._("Some texts were too long for the PDF and are shortened where "
                              "marked […]. The HTML report and the assessment file hold "
                              "them in full."))]})
    return doc


def render(result: Any, **options: Any) -> bytes:
    """A scorecard as a PDF: the gap report, or with ``brief=True`` the one-page brief;
    or a series of assessments (``cyberdip trend``)."""
    if type(result).__name__ == "Series":
        from cyberdip.report.pdf_bounds import bound
        from cyberdip.report.trend import pdf_document

        return compile_pdf(bound(pdf_document(result))[0])
    if type(result).__name__ != "Scorecard":
        raise TypeError(f"no PDF form for {type(result).__name__}")
    return compile_pdf(document(result, options_from(options), brief=bool(options.get("brief"))))
