"""Protective markings: the text at the top and bottom of every page ("TLP:AMBER",
"RESTRICTED"), and the colours the Traffic Light Protocol 2.0 gives its labels.

FIRST's TLP 2.0 standard: the label is written in capitals, in its colour, on a
black background (so it is legible on any paper); the colours are RGB
RED FF2B2B, AMBER FFC000, GREEN 33FF00 and CLEAR FFFFFF. Any other marking is shown
as written, black on white with a rule, never coloured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: TLP 2.0 label -> its colour (FIRST, "Traffic Light Protocol (TLP) v2.0").
TLP_COLOURS: dict[str, str] = {
    "TLP:RED": "#FF2B2B",
    "TLP:AMBER+STRICT": "#FFC000",
    "TLP:AMBER": "#FFC000",
    "TLP:GREEN": "#33FF00",
    "TLP:CLEAR": "#FFFFFF",
}

@dataclass(frozen=True)
class Marking:
    text: str
    #: the TLP 2.0 label's colour, or None for any other marking
    colour: str | None

    @property
    def css_class(self) -> str:
        """``marking tlp-amber`` etc. for a TLP label, ``marking`` otherwise."""
        if self.colour is None:
            return "marking"
        return "marking tlp-" + self.text[4:].lower().replace("+", "-")


def clean(text: str | None) -> str | None:
    """A marking as shown: one line, spaces folded; None when empty."""
    if text is None:
        return None
    s = " ".join(str(text).split())
    return s or None


_TLP = re.compile(r"^TLP:(RED|AMBER\+STRICT|AMBER|GREEN|CLEAR)$", re.IGNORECASE)


def marking(text: str | None) -> Marking | None:
    """The marking for ``text`` (None when there is none). A TLP 2.0 label, in any
    case, is written the standard way (``tlp:amber`` -> ``TLP:AMBER``) and coloured."""
    s = clean(text)
    if s is None:
        return None
    if _TLP.match(s):
        label = s.upper()
        return Marking(label, TLP_COLOURS[label])
    return Marking(s, None)
