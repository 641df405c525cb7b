"""Asking on a terminal: one answer typed at a prompt, and the small ways a session
speaks (a line, a problem), every text from a file shown escaped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cyberdip.cli.common import console, write_answers


class Quit(Exception):
    """Ctrl-D at a prompt: the session stops, every answer given so far saved."""


CRITICAL_HELP = ("[critical] marks a basic: the stage a ministry reaches is never above "
                 "the level of its weakest critical answer, however good the rest is.")
#: How an evidence item is dated, typed after it (or in brackets on its line).
DATE_HELP = ("After an item, `date: YYYY-MM-DD` gives the date it refers to, `valid until: "
             "YYYY-MM-DD` the last day it holds, `ref:` where the document is kept, "
             "`sha256:` its hash; or in brackets on its line: Decision 12/2023 "
             "[date: 2023-05-01].")
TARGET_HELP = ("the level you aim to reach (by the next assessment, say); the report "
               "measures the gap to it and lists the steps.")


def read(con: Any, prompt: str, default: str | None = None, *,
         show_default: bool = True) -> str:
    """One answer typed at a prompt. Text from files in the prompt and the default is
    shown escaped; a line that is not UTF-8 (a terminal set to another encoding) is
    refused and asked again, never saved. Raises EOFError at Ctrl-D."""
    from rich.prompt import Prompt
    from rich.text import Text

    from cyberdip.textsafe import for_terminal

    shown = None if default is None else for_terminal(default)
    while True:
        try:
            if shown is None:
                text = Prompt.ask(Text(for_terminal(prompt), style="bold"), console=con)
            else:
                text = Prompt.ask(Text(for_terminal(prompt), style="bold"), console=con,
                                  default=shown, show_default=show_default)
        except UnicodeDecodeError:
            text = None
        except EOFError:
            con.print()  # Ctrl-D leaves the cursor after the prompt: end that line
            raise
        if text is not None and text == shown:
            return default  # Enter keeps the answer as it is in the file
        if text is not None:
            try:
                text.encode("utf-8")
                return text
            except UnicodeEncodeError:  # bytes decoded with surrogateescape
                pass
        con.print(Text("  ✗ that was not UTF-8 text (is the terminal set to UTF-8?); "
                       "type it again", style="red"))


class Prompter:
    """The draft being answered, where it is saved, and how to ask and speak."""

    def __init__(self, draft: Any, output: Path, review: bool, wording: Any = None) -> None:

        from cyberdip.formats import questionnaire as q
        from cyberdip.formats.wording import Wording

        self.q = q
        self.draft = draft
        self.output = output
        self.review = review
        self.con = console()
        self.explained: set[str] = set()  # [critical] and the target, explained once
        #: the questionnaire's language: its prompts and the rubric's words in it; what
        #: is typed in it (ہاں, a level's name) is read as the English it stands for
        self.w = wording or Wording()
        self.t = self.w.t
        self._typed = self.w.answers_to_english(draft.rubric)

    def save(self) -> None:
        write_answers(self.output, self.draft.to_yaml(), "assess")

    def ask(self, prompt: str, default: str | None = None) -> str:
        from cyberdip.formats.wording import to_english

        try:
            text = read(self.con, prompt, default)
        except EOFError:
            raise Quit from None
        return to_english(text, self._typed) if self._typed else text

    def say(self, text: str, style: str | None = None) -> None:
        from rich.text import Text

        from cyberdip.textsafe import for_terminal

        self.con.print(Text(for_terminal(text, keep="\n"), style=style or ""))

    def problem(self, text: str) -> None:
        self.say(f"  ✗ {text}", "red")
