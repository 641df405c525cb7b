"""Asking about one criterion: showing it and its answers, what ``?`` explains, the
answer indicator by indicator, and the target level."""

from __future__ import annotations

import re
from typing import Any

from cyberdip.cli.asker.prompt import CRITICAL_HELP, TARGET_HELP, Prompter


class Questions(Prompter):
    """The questions a criterion asks, besides its answer and evidence."""

    def show(self, item: Any) -> None:
        from rich.rule import Rule

        from cyberdip.textsafe import for_terminal

        q = self.q
        c = item.criterion
        self.con.print()
        self.con.print(Rule(for_terminal(f"{item.area.title} · {item.progress}"), style="cyan"))
        self.say(f"{c.label}{' [critical]' if c.critical else ''}  ({c.id})", "bold")
        if c.title:
            self.say(c.question_as(self.draft.profile))
        from rich.table import Table

        grid = Table.grid(padding=(0, 2), pad_edge=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column()  # long descriptors wrap under themselves, not under the number
        for label, meaning in q.choices(self.draft.rubric, c):
            grid.add_row(for_terminal(label), for_terminal(meaning, keep="\n"))
        self.con.print(grid)
        if c.critical and "critical" not in self.explained:
            self.explained.add("critical")
            self.say(CRITICAL_HELP, "dim")
        self.say(f"Answer with {q.allowed(self.draft.rubric, c)}"
                 + ("; i to answer indicator by indicator" if c.indicators else "")
                 + "; or n/a, skip, back, quit; ? explains.", "dim")

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
        q = self.q
        r = self.draft.rubric
        self.say("")
        self.say(f"Help: {c.label}{' [critical]' if c.critical else ''}", "bold")
        self.say(f"The question: {c.question_as(self.draft.profile)}")
        if c.indicators:
            self.say("This question can be answered indicator by indicator: type `i` at the "
                     "answer prompt. Each indicator is a statement that holds or not (yes or "
                     "no); the level is the highest one whose indicators, and all below, "
                     "hold.")
        self.say(f"Type {q.allowed(r, c)}. What each answer means:")
        for label, meaning in q.choices(r, c):
            self.say(f"  {label}: {meaning}")
        if c.answer_key == "value":
            self.say("  none: there is no number to give, the lowest level (for example "
                     "\"not ranked at all\")")
        self.say("Or type: n/a when it does not apply to you (you are asked why); skip to "
                 "leave it for later; back for the previous question; quit to stop. Every "
                 "answer is saved at once.")
        need = r.scoring.evidence_from_level
        self.say("Evidence: links or short text that back the answer, one per line"
                 + (f"; an answer at level {need} or above without evidence is flagged in "
                    "the report" if need is not None else "") + ". After an item, "
                 "`date: YYYY-MM-DD` gives the date it refers to, `valid until: YYYY-MM-DD` "
                 "the last day it holds, `ref:` where the document is kept, `sha256:` its "
                 "hash; or in brackets on its line: Decision 12/2023 [date: 2023-05-01].")
        self.say(f"Target: {TARGET_HELP} Enter keeps the default, level "
                 f"{self.default_target(c)} for this question.")
        if c.critical:
            self.say(CRITICAL_HELP)
        self.say("")

    def indicators(self, c: Any) -> bool:
        """Ask each indicator in turn, yes or no; Enter keeps the answer there is (or
        leaves it unanswered). False on `quit`."""
        q = self.q
        r = self.draft.rubric
        self.say("Each statement: yes if it holds, no if not; Enter keeps what is there "
                 "(or leaves it unanswered); quit stops.", "dim")
        for lv, ind in c.indicator_list():
            now = self.draft.indicator(c.id, ind.id)
            while True:
                text = self.ask(f"level {lv} ({r.level_name(lv)}): {ind.text} Yes or no",
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
        self.say(f"The answer is now {self.draft.current_text(c)}.", "dim")
        return True

    def indicator_evidence(self, c: Any, ind: str) -> None:
        """Evidence that a met indicator holds, one item a line; an empty line ends.
        It counts for a claim that needs evidence as the criterion's own does."""
        have = self.draft.indicator_evidence(c.id, ind)
        while True:
            line = self.ask("  Evidence that it holds (an empty line goes on)").strip()
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
        if "target" not in self.explained:
            self.explained.add("target")
            self.say(f"Target: {TARGET_HELP}", "dim")
        while True:
            keep = (f"Enter keeps {current}" if current is not None
                    else f"Enter for {self.default_target(c)}, the default")
            text = self.ask(f"Target level ({r.lowest}-{r.highest}; {keep})",
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
