"""Asking about one criterion: showing it and its answers, what ``?`` explains, the
answer indicator by indicator, and the target level."""

from __future__ import annotations

import re
from typing import Any

from cyberdip.cli.asker.prompt import CRITICAL_HELP, DATE_HELP, TARGET_HELP, Prompter


class Questions(Prompter):
    """The questions a criterion asks, besides its answer and evidence."""

    def show(self, item: Any) -> None:
        from rich.rule import Rule

        from cyberdip.textsafe import for_terminal

        q = self.q
        c = item.criterion
        w, t = self.w, self.t
        self.con.print()
        progress = item.progress if w.english else t(
            "%(n)s of %(total)s, %(area)s %(k)s of %(area_total)s") % {
            "n": item.index + 1, "total": item.total, "area": item.area.id,
            "k": item.area_index + 1, "area_total": item.area_total}
        self.con.print(Rule(for_terminal(f"{w.area(item.area)} · {progress}"), style="cyan"))
        title = self.q.Row(c.id, item.area, c).label(self.draft.rubric) if w.english else \
            w.row_title(self.draft.rubric, self.q.Row(c.id, item.area, c))
        self.say(f"{title}  ({c.id})", "bold")
        if c.title:
            self.say(w.question(self.q.Row(c.id, item.area, c), self.draft.profile))
        from rich.table import Table

        grid = Table.grid(padding=(0, 2), pad_edge=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column()  # long descriptors wrap under themselves, not under the number
        for label, meaning in w.choices(self.draft.rubric, c):
            grid.add_row(for_terminal(label), for_terminal(meaning, keep="\n"))
        self.con.print(grid)
        if c.critical and "critical" not in self.explained:
            self.explained.add("critical")
            self.say(t(CRITICAL_HELP), "dim")
        if w.english:
            self.say(f"Answer with {q.allowed(self.draft.rubric, c)}"
                     + ("; i to answer indicator by indicator" if c.indicators else "")
                     + "; or n/a, skip, back, quit; ? explains.", "dim")
        else:  # the words typed stay English: y, n, numbers, n/a, skip, back, quit, i
            self.say(t("Answer with %(allowed)s") % {"allowed": w.allowed(self.draft.rubric, c)}
                     + (t("; i to answer indicator by indicator") if c.indicators else "")
                     + t("; or n/a, skip, back, quit; ? explains."), "dim")

    def default_target(self, c: Any) -> int:
        """The target a criterion gets when none is typed: the assessment's default, else
        the rubric's, else the top level; never above what the criterion can reach."""
        r = self.draft.rubric
        t = self.draft.data.get("default_target")
        if not isinstance(t, int) or isinstance(t, bool):
            t = r.scoring.default_target if r.scoring.default_target is not None else r.highest
        reach = c.reachable_levels(r.levels)
        return min(t, max(reach)) if reach else t

    def help(self, c: Any) -> None:
        """What ``?`` shows, at any prompt: the question, the answers, evidence, target."""
        r = self.draft.rubric
        w, t = self.w, self.t
        row = self.q.Row(c.id, None, c)
        label = row.label(r) if w.english else w.row_title(r, row)
        self.say("")
        self.say(t("Help: %(label)s") % {"label": label}, "bold")
        self.say(t("The question: %(question)s") % {
            "question": w.question(row, self.draft.profile)})
        if c.indicators:
            self.say(t("This question can be answered indicator by indicator: type `i` at "
                       "the answer prompt. Each indicator is a statement that holds or not "
                       "(yes or no); the level is the highest one whose indicators, and all "
                       "below, hold."))
        self.say(t("Type %(allowed)s. What each answer means:") % {
            "allowed": w.allowed(r, c)})
        for label, meaning in w.choices(r, c):
            self.say(f"  {label}: {meaning}")
        if c.answer_key == "value":
            self.say(t("  none: there is no number to give, the lowest level (for example "
                       "\"not ranked at all\")"))
        self.say(t("Or type: n/a when it does not apply to you (you are asked why); skip to "
                   "leave it for later; back for the previous question; quit to stop. Every "
                   "answer is saved at once."))
        need = r.scoring.evidence_from_level
        self.say(t("Evidence: links or short text that back the answer, one per line")
                 + (t("; an answer at level %(level)s or above without evidence is flagged "
                      "in the report") % {"level": need} if need is not None else "")
                 + ("." if w.english else "\u06d4") + " " + t(DATE_HELP))
        self.say(t("Target: %(help)s Enter keeps the default, level %(level)s for this "
                   "question.") % {"help": t(TARGET_HELP), "level": self.default_target(c)})
        if c.critical:
            self.say(t(CRITICAL_HELP))
        self.say("")

    def indicators(self, c: Any) -> bool:
        """Ask each indicator in turn, yes or no; Enter keeps the answer there is (or
        leaves it unanswered). False on `quit`."""
        q = self.q
        r = self.draft.rubric
        w, t = self.w, self.t
        self.say(t("Each statement: yes if it holds, no if not; Enter keeps what is there "
                   "(or leaves it unanswered); quit stops."), "dim")
        for lv, ind in c.indicator_list():
            now = self.draft.indicator(c.id, ind.id)
            while True:
                prompt = (f"level {lv} ({r.level_name(lv)}): {ind.text} Yes or no"
                          if w.english else
                          t("level %(level)s (%(name)s)") % {
                              "level": lv, "name": w.level_name(r, lv)}
                          + f": {w._r('indicator', c.id, ind.id, ind.text)} "
                          + t("Yes or no"))
                text = self.ask(prompt,
                                None if now is None else ("yes" if now else "no")).strip()
                low = text.lower()
                if low == "quit":
                    return False
                if low in q.HELP_WORDS:
                    self.help(c)
                    continue
                if not text:
                    break
                try:
                    met = q.parse_met(text)
                except q.AnswerError as e:
                    self.problem(e.message)
                    continue
                self.draft.set_indicator(c.id, ind.id, met)
                self.save()
                if met:
                    self.indicator_evidence(c, ind.id)
                break
        self.say(t("The answer is now %(answer)s.") % {"answer": self.draft.current_text(c)},
                 "dim")
        return True

    def indicator_evidence(self, c: Any, ind: str) -> None:
        """Evidence that a met indicator holds, one item a line; an empty line ends.
        It counts for a claim that needs evidence as the criterion's own does."""
        have = self.draft.indicator_evidence(c.id, ind)
        while True:
            line = self.ask(self.t("  Evidence that it holds (an empty line goes on)")).strip()
            if not line:
                return
            if line.lower() in self.q.HELP_WORDS:
                self.help(c)
                continue
            more = self.more_evidence(have, line)
            if more is None:
                continue
            have = more
            self.draft.set_indicator_evidence(c.id, ind, have)
            self.save()

    def below_target(self, c: Any) -> bool:
        """Whether the criterion's answer, as it stands, is below its target level (a
        criterion without levels is never asked for a plan)."""
        from cyberdip.engine.scoring import answer_level, effective_target
        from cyberdip.model.assessment import Answer

        r = self.draft.rubric
        reach = c.reachable_levels(r.levels)
        if not reach:
            return False
        ans = self.draft.get(c.id)
        try:
            level = answer_level(r, c, Answer.model_validate(
                {k: v for k, v in ans.items() if k in ("level", "met", "value",
                                                       "indicators")}))
        except ValueError:
            return False
        target = self.draft.target(c.id)
        return level is not None and level < effective_target(
            target if target is not None else self.default_target(c), reach)

    def plan(self, c: Any) -> None:
        """The action plan for a criterion below its target: optional; skipped with
        Enter (docs/cycle.md, Action plan)."""
        from cyberdip.model.assessment import PLAN_STATUSES

        if not getattr(self, "ask_plan", False) or not self.below_target(c):
            return
        current = self.draft.plan(c.id)
        if "plan" not in self.explained:
            self.explained.add("plan")
            self.say("Action plan (optional): what will be done to reach the target, who "
                     "owns it, by when, and where it stands. Enter skips it.", "dim")
        text = self.ask("Plan an action for this gap? yes or no",
                        "yes" if current else "no").strip().lower()
        if text not in ("y", "yes"):
            return
        values: dict[str, Any] = {}
        values["action"] = self.ask("Action (Enter: the rubric's next step)",
                                    current.get("action")).strip()
        values["owner"] = self.ask("Owner (a role, e.g. Director, Policy Planning)",
                                   current.get("owner")).strip()
        values["due"] = self.ask("Due (a date, or 2026-Q2, 2026-H1, 2026-06, 2026)",
                                 current.get("due")).strip()
        while True:
            word = self.ask(f"Status ({', '.join(PLAN_STATUSES)})",
                            current.get("status")).strip().lower().replace(" ", "-")
            if not word or word in PLAN_STATUSES:
                values["status"] = word
                break
            self.problem(f"type one of {', '.join(PLAN_STATUSES)}, or Enter for none")
        import re

        if re.fullmatch(r"\d{4}-\d\d-\d\d", values["due"]):
            import datetime as dt

            try:
                values["due"] = dt.date.fromisoformat(values["due"])
            except ValueError:
                pass  # not a day: kept as written, never judged
        self.draft.set_plan(c.id, values)
        self.save()

    def more_evidence(self, have: list[Any], line: str) -> list[Any] | None:
        """The evidence once ``line`` is taken in: new items (plain, or dated in
        brackets, ``Decision [date: 2023-05-01]``), or a detail of the item typed
        just before (``date: 2023-05-01``, ``valid until: ...``, ``ref: ...``,
        ``sha256: ...``). None, said why, when a detail cannot be read."""
        q = self.q
        m = re.match(r"^\s*(date|valid[ _]until|sha256|ref)\s*:\s*(.*?)\s*$", line,
                     re.IGNORECASE)
        try:
            if m is None or not have:
                return have + q.parse_evidence(line)
            last = have[-1]
            item = dict(last) if isinstance(last, dict) else {"text": str(last)}
            item[q.CELL_KEYS[" ".join(m.group(1).lower().replace("_", " ").split())]] = \
                m.group(2)
            dated = q.parse_evidence_item(q.evidence_cell_item(item))
        except q.AnswerError as e:
            self.problem(f"{e.message}; type the detail again, or other evidence")
            return None
        return [*have[:-1], dated]

    def target(self, c: Any) -> None:
        r = self.draft.rubric
        if not c.reachable_levels(r.levels):
            return  # no levels: it aims at the top of its own scale
        current = self.draft.target(c.id)
        t = self.t
        if "target" not in self.explained:
            self.explained.add("target")
            self.say(t("Target: %(help)s") % {"help": t(TARGET_HELP)}, "dim")
        while True:
            keep = (t("Enter keeps %(level)s") % {"level": current} if current is not None
                    else t("Enter for %(level)s, the default") % {
                        "level": self.default_target(c)})
            text = self.ask(t("Target level (%(low)s-%(high)s; %(keep)s)") % {
                "low": r.lowest, "high": r.highest, "keep": keep},
                None if current is None else str(current)).strip()
            if not text:
                return
            if text.lower() in self.q.HELP_WORDS:
                self.help(c)
                continue
            try:
                self.draft.set_target(c.id, self.q.parse_target(r, text))
            except self.q.AnswerError as e:
                self.problem(e.message)
                continue
            self.save()
            return
