"""Asking for the evidence behind an answer, and telling an answer typed one prompt
too late from a piece of evidence."""

from __future__ import annotations

from typing import Any

from cyberdip.cli.asker.prompt import DATE_HELP
from cyberdip.cli.asker.questions import Questions


class Evidence(Questions):
    """The evidence prompt of a criterion."""

    def evidence(self, c: Any) -> None:
        have = self.draft.evidence(c.id)
        if have:
            self.say(self.t("Evidence so far:"))
            for e in have:
                self.say(f"  - {self.q.evidence_cell_item(e)}")
            self.say(self.t("Add more evidence, one per line (type `clear` first to replace "
                            "it); an empty line ends."), "dim")
        else:
            self.say(self.t("Evidence (links or text), one per line; an empty line ends.")
                     + " " + self.t(DATE_HELP), "dim")
        while True:
            line = self.ask(self.t("Evidence")).strip()
            if not line:
                return
            if line.lower() in self.q.HELP_WORDS:
                self.help(c)
                continue
            if line.lower() == "clear":
                have = []
            elif self.looks_like_answer(c, line):
                if self.changes_answer(c, line):
                    continue
                more = self.more_evidence(have, line)
                if more is None:
                    continue
                have = more
            elif self.bare_answer(line):
                self.problem(f"`{line}` looks like an answer, not evidence, so it is not kept "
                             f"(this question takes {self.q.allowed(self.draft.rubric, c)}; "
                             "to change an answer, type `back` at the next question). Type "
                             "evidence, or press Enter to go on.")
                continue
            else:
                more = self.more_evidence(have, line)
                if more is None:
                    continue
                have = more
            self.draft.set_evidence(c.id, have)
            self.save()

    def looks_like_answer(self, c: Any, line: str) -> bool:
        """A bare answer (``3``, ``yes``, ``n/a``) typed at the evidence prompt, which
        is never evidence: a person answering, one prompt too late."""
        q = self.q
        try:
            parsed = q.parse_answer(self.draft.rubric, c, line)
        except q.AnswerError:
            return False
        return isinstance(parsed, q.Value | q.NotApplicable) and len(line.split()) <= 2

    def bare_answer(self, line: str) -> bool:
        """A lone number, yes/no or n/a: an answer's shape, never a piece of evidence."""
        q = self.q
        t = line.strip().lower()
        if t in q.YES or t in q.NO or q.is_na(t) or t in q.NONE_WORDS:
            return True
        try:
            q.parse_number(t)
        except q.AnswerError:
            return False
        return True

    def changes_answer(self, c: Any, line: str) -> bool:
        """Ask whether ``line`` was meant as the answer; True when it replaced it."""
        q = self.q
        while True:
            yes = self.ask(f"`{line}` looks like an answer, not evidence. Make it the answer "
                           "(yes), or keep it as evidence (no)?").strip().lower()
            if yes in q.YES or yes in q.NO:
                break
            self.problem("type yes or no")
        if yes in q.NO:
            return False
        parsed = q.parse_answer(self.draft.rubric, c, line)
        if isinstance(parsed, q.NotApplicable):
            self.draft.set_na(c.id, parsed.reason or "not applicable")
        else:
            self.draft.set_value(c.id, parsed.key, parsed.value)
        self.save()
        self.say(f"The answer is now {self.draft.current_text(c)}; go on with the evidence "
                 "(an empty line ends).", "dim")
        return True
