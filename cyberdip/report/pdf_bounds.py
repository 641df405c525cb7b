"""What reaches the PDF engine, bounded: Typst's cost grows far faster than some inputs.

Measured on typst 0.13 to 0.15, before these bounds: 20,000 combining accents on one
letter took 1.66 GB; one unbroken word of 4 MB, 753 MB; a 100,000-character string,
796 MB; 25,000 evidence items in one paragraph, 37 s (quadratic); a link over about
8,000 characters failed outright ("URL is too long"), and 100,000 Urdu letters in one
text made the PDF writer panic (a text group over 64 KB). So the JSON document the template
reads is walked once, and every string and list in it is cut to what a page can show:

* a text longer than ``MAX_TEXT`` characters is cut, and ends in ``[…]``;
* a run of more than ``MAX_MARKS`` combining marks on one letter keeps the first ones;
* a word of more than ``MAX_WORD`` characters without a space gets a zero-width break
  opportunity every ``MAX_WORD`` characters, so a line can end inside it;
* a link longer than ``MAX_LINK`` characters is dropped (its text is still shown);
* a paragraph of more than ``MAX_RUNS`` runs or ``MAX_PARAGRAPH`` characters, a list
  of more than ``MAX_ITEMS`` items and a table of more than ``MAX_ROWS`` rows are cut,
  and end in ``[… +N]``.

:func:`bound` says whether anything was cut, so the report can say so. The HTML report,
which a browser lays out, and the YAML and JSON outputs keep everything.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

MAX_TEXT = 3_000
MAX_MARKS = 8
#: Characters without a space before a break opportunity is added: far beyond a long
#: link, so no ordinary report changes, and a 3,000-character word still breaks.
MAX_WORD = 500
MAX_LINK = 2_000
MAX_RUNS = 400
#: Characters of one paragraph (its runs together): the PDF writer Typst uses fails on a
#: text group of 64 KB, which 16,000 characters of four bytes stay under.
MAX_PARAGRAPH = 12_000
MAX_ITEMS = 500
MAX_ROWS = 2_000
CUT = " [\u2026]"
ZWSP = "\u200b"

#: Keys whose values are the template's own settings, never text to show.
_SETTINGS = frozenset({"t", "lang", "dir", "fonts", "align", "cols", "colour", "bar",
                       "svg"})  # svg: a chart of report/svg.py, its labels already short
_LONG_WORD = re.compile(rf"[^\s\u200b]{{{MAX_WORD + 1},}}")


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me")


class _Bounder:
    def __init__(self) -> None:
        self.cut = False

    def text(self, s: str) -> str:
        cut = False
        if len(s) > MAX_TEXT * (MAX_MARKS + 1):  # more than marks could make up
            s, cut = s[:MAX_TEXT * (MAX_MARKS + 1)], True
        if not s.isascii():
            s = self.marks(s)
        if len(s) > MAX_TEXT:
            s, cut = s[:MAX_TEXT], True
        if cut:
            s += CUT
            self.cut = True
        if len(s) > MAX_WORD and _LONG_WORD.search(s):
            s = _LONG_WORD.sub(lambda m: ZWSP.join(
                m.group()[i:i + MAX_WORD] for i in range(0, len(m.group()), MAX_WORD)), s)
        return s

    def marks(self, s: str) -> str:
        out: list[str] = []
        run = 0
        dropped = False
        for ch in s:
            if _is_mark(ch):
                run += 1
                if run > MAX_MARKS:
                    dropped = True
                    continue
            else:
                run = 0
            out.append(ch)
        if dropped:
            self.cut = True
            return "".join(out)
        return s

    def runs(self, runs: list[Any]) -> list[Any]:
        out: list[Any] = []
        chars = 0
        for k, r in enumerate(runs):
            if k == MAX_RUNS or chars > MAX_PARAGRAPH:
                out.append({"text": f" [\u2026 +{len(runs) - k:,}]", "muted": True})
                self.cut = True
                break
            r = self.value(r)
            chars += len(r.get("text", "")) if isinstance(r, dict) else 0
            out.append(r)
        return out

    def value(self, x: Any, key: str = "") -> Any:
        if isinstance(x, str):
            return x if key in _SETTINGS else self.text(x)
        if isinstance(x, dict):
            out = {}
            for k, v in x.items():
                if k == "link" and isinstance(v, str):
                    if len(v) > MAX_LINK:
                        self.cut = True
                        continue  # the text is shown, without a link
                    out[k] = v
                elif k == "items" and isinstance(v, list) and x.get("t") == "list":
                    out[k] = self.items(v)
                elif k == "rows" and isinstance(v, list) and x.get("t") == "table":
                    out[k] = self.table_rows(v, len(x.get("cols") or [1]))
                else:
                    out[k] = self.value(v, k)
            return out
        if isinstance(x, list):
            if key not in _SETTINGS and x and all(
                    isinstance(r, dict) and ("text" in r or "bar" in r) for r in x):
                return self.runs(x)
            return [self.value(v, key) for v in x]
        return x

    def items(self, items: list[Any]) -> list[Any]:
        if len(items) > MAX_ITEMS:
            more = len(items) - MAX_ITEMS
            items = [*items[:MAX_ITEMS], [{"text": f"[\u2026 +{more:,}]", "muted": True}]]
            self.cut = True
        return [self.value(i) for i in items]

    def table_rows(self, rows: list[Any], ncols: int) -> list[Any]:
        if len(rows) > MAX_ROWS:
            more = len(rows) - MAX_ROWS
            rows = [*rows[:MAX_ROWS], [[{"text": f"[\u2026 +{more:,}]", "muted": True}]]
                    + [[{"text": ""}] for _ in range(ncols - 1)]]
            self.cut = True
        return [self.value(r) for r in rows]


def bound(doc: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """``doc`` with every string and list cut to what Typst lays out cheaply, and
    whether anything was cut."""
    b = _Bounder()
    out = b.value(doc)
    return out, b.cut


__all__ = ["MAX_ITEMS", "MAX_LINK", "MAX_MARKS", "MAX_ROWS", "MAX_RUNS", "MAX_TEXT",
           "MAX_WORD", "bound"]
