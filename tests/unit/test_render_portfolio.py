"""Wording of changes in progress reports."""

from cyberdip.render_portfolio import count_change, signed, signed_int


def test_more_open_gaps_gets_no_up_arrow_that_could_read_as_good_news():
    assert count_change(16) == "+16"
    assert count_change(-3) == "-3"
    assert count_change(0) == "0"


def test_scores_and_stages_carry_a_direction_arrow():
    assert signed(11.4) == "+11.4 ▲"
    assert signed(-6.9) == "-6.9 ▼"
    assert signed(0.04) == "0.0 ="
    assert signed_int(2) == "+2 ▲" and signed_int(0) == "0 ="
