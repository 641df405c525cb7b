"""One questionnaire session on a terminal: the walk through the questions, and each
criterion asked in turn (answer, evidence, target, and an action plan when it is below
its target). Saves after every answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cyberdip.cli.asker.evidence import Evidence


class Asker(Evidence):
    """One questionnaire session on a terminal. Saves after every answer."""

    def __init__(self, draft: Any, output: Path, review: bool, plan: bool = False,
                 wording: Any = None) -> None:
        super().__init__(draft, output, review, wording)
        self.walk = self.q.Walk(draft, review=review)
        #: `assess --plan`: also ask for the action plan of each criterion below target
        self.ask_plan = plan

    def criterion(self, item: Any) -> str:
        """Ask everything about one criterion; returns 'next', 'skip', 'back' or 'quit'."""
        q = self.q
        c = item.criterion
        self.show(item)
        if self.draft.carried(c.id):
            action = self.carried(c)
            if action != "change":
                return action
        while True:
            current = self.draft.current_text(c)
            text = self.ask(self.t("Answer"), current)
            if not text.strip() and current is None and self.review:
                return "skip"  # reviewing: Enter leaves an unanswered question as it is
            try:
                parsed = q.parse_answer(self.draft.rubric, c, text)
            except q.AnswerError as e:
                self.problem(e.message)
                continue
            if parsed == q.Command("help"):
                self.help(c)
                continue
            break
        if isinstance(parsed, q.Command) and parsed.name == "indicators":
            if not self.indicators(c):
                return "quit"
            self.evidence(c)
            self.target(c)
            self.plan(c)
            return "next"
        if isinstance(parsed, q.Command):
            return parsed.name
        if isinstance(parsed, q.NotApplicable):
            reason = parsed.reason
            while not reason:
                reason = self.ask(self.t("Why does it not apply? (a short reason)")).strip()
                if reason.lower() in self.q.HELP_WORDS:
                    self.say("A reason is needed when a question does not apply, e.g. \"no "
                             "mission in that region\"; it is shown in the report.", "dim")
                    reason = ""
                    continue
                if not reason:
                    self.problem(self.t("a reason is needed for n/a, e.g. \"no mission in "
                                        "that region\""))
            self.draft.set_na(c.id, reason)
            self.save()
            return "next"
        self.draft.set_value(c.id, parsed.key, parsed.value)
        self.save()
        self.evidence(c)
        self.target(c)
        self.plan(c)
        return "next"

    def carried(self, c: Any) -> str:
        """A carried answer: confirm it (yes), change it, or clear it. Returns 'next',
        'change' (ask the question), 'skip', 'back' or 'quit'."""
        self.say(self.t("Carried forward from %(source)s, to re-confirm: %(answer)s") % {
            "source": self.draft.carried_from(c.id), "answer": self.draft.current_text(c)},
            "yellow")
        while True:
            text = self.ask(self.t("Still true? yes, change or clear"), "yes").strip().lower()
            if text in ("y", "yes"):
                self.draft.confirm(c.id)
                self.save()
                return "next"
            if text in ("c", "change", "changed"):
                self.draft.confirm(c.id)
                return "change"
            if text == "clear":
                self.draft.clear(c.id)
                self.save()
                return "next"
            if text in self.q.COMMANDS:
                return text
            self.problem("type yes (it still holds), change (answer it again) or clear "
                         "(no answer); or skip, back, quit")

    def run(self) -> bool:
        """Walk the questions; True when the end was reached, False on `quit`."""
        walk = self.walk
        while walk.current is not None:
            action = self.criterion(walk.current)
            if action == "quit":
                return False
            if action == "back":
                if not walk.back():
                    self.problem("this is the first question; there is nothing before it")
                continue
            walk.advance()
        return True
