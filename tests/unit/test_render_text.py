"""The text scorecard's wording near thresholds."""

import pytest

from cyberdip.render import bar, pct_below


@pytest.mark.parametrize(("value", "threshold", "shown"), [
    (79.45, 80, "79%"), (79.6, 80, "79.6%"), (79.96, 80, "79.9%"), (66.7, 90, "67%"),
    (0, 80, "0%"),
])
def test_a_share_below_a_threshold_never_prints_as_the_threshold(value, threshold, shown):
    assert pct_below(value, threshold) == shown


def test_bars_scale_to_their_width_and_show_unknown_as_dots():
    assert bar(0, 10) == "░" * 10
    assert bar(55, 10) == "█" * 6 + "░" * 4
    assert bar(100, 10) == "█" * 10
    assert bar(None, 4) == "····"
