"""report.marking: any text, and TLP 2.0 labels in FIRST's colours."""

from __future__ import annotations

import pytest

from cyberdip.report.marking import TLP_COLOURS, marking


@pytest.mark.parametrize(("text", "label", "colour"), [
    ("TLP:RED", "TLP:RED", "#FF2B2B"),
    ("tlp:amber+strict", "TLP:AMBER+STRICT", "#FFC000"),
    ("TLP:AMBER", "TLP:AMBER", "#FFC000"),
    (" TLP:GREEN ", "TLP:GREEN", "#33FF00"),
    ("TLP:CLEAR", "TLP:CLEAR", "#FFFFFF"),
])
def test_tlp_labels_get_their_standard_colours(text, label, colour):
    m = marking(text)
    assert (m.text, m.colour) == (label, colour)
    assert m.css_class.startswith("marking tlp-")


def test_other_markings_are_shown_as_written_and_not_coloured():
    m = marking("  RESTRICTED   — Foreign Office ")
    assert (m.text, m.colour, m.css_class) == ("RESTRICTED — Foreign Office", None, "marking")
    assert marking("TLP:WHITE").colour is None  # TLP 1.0's label is not a 2.0 label
    assert marking(None) is None and marking("   ") is None


def test_the_colour_table_is_tlp_2():
    assert set(TLP_COLOURS) == {"TLP:RED", "TLP:AMBER+STRICT", "TLP:AMBER", "TLP:GREEN",
                                "TLP:CLEAR"}
