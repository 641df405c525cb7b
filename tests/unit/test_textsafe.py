"""Text from files made safe for terminals, JSON and spreadsheets (cyberdip.textsafe)."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from cyberdip.textsafe import csv_cell, display_name, for_stream, for_terminal, json_dumps

#: A title-setting OSC, a bell, clear-screen, a clipboard write, a C1 CSI and NEL, a
#: right-to-left override and isolate, a line separator, DEL and a NUL.
HOSTILE = ("9\x1b]0;PWNED\x07\x1b[2J\x1b]52;c;SGVsbG8=\x07\x9b31m\x85\u202eevil\u2067"
           "\u2028\x7f\x00")
RAW = [chr(i) for i in range(0x20)] + [chr(i) for i in range(0x7f, 0xa0)] + [
    "\u2028", "\u2029", *map(chr, range(0x202a, 0x202f)), *map(chr, range(0x2066, 0x206a))]


def raw_controls(s: str) -> list[str]:
    return [c for c in s if c in RAW]


def test_every_control_character_is_shown_as_its_json_escape():
    shown = for_terminal(HOSTILE)
    assert raw_controls(shown) == []
    assert shown == ("9\\u001b]0;PWNED\\u0007\\u001b[2J\\u001b]52;c;SGVsbG8=\\u0007\\u009b31m"
                     "\\u0085\\u202eevil\\u2067\\u2028\\u007f\\u0000")
    assert for_terminal("a\tb\nc\rd") == "a\\tb\\nc\\rd"


def test_ordinary_text_is_unchanged_whatever_its_script():
    for s in ("Ministry of Foreign Affairs — Berlin", "وزارت خارجہ", "外交部", "\\x1b", ""):
        assert for_terminal(s) == s


def test_newlines_can_be_kept_for_multi_line_text():
    assert for_terminal("a\nb\x1bc", keep="\n") == "a\nb\\u001bc"


def test_a_non_utf8_file_name_shows_its_bytes():
    name = os.fsdecode(b"\xff\xfe.yaml")
    assert display_name(name) == "\\xff\\xfe.yaml"
    assert display_name(name) == os.fsencode(name).decode("utf-8", "backslashreplace")
    assert for_terminal(name) == "\\xff\\xfe.yaml"
    assert display_name(b"caf\xc3\xa9.yaml") == "café.yaml"  # UTF-8 bytes decode as such
    display_name(name).encode("utf-8")  # and it can be written anywhere


def test_stream_output_keeps_colour_only_when_asked():
    coloured = "\x1b[1;31merror:\x1b[0m " + for_terminal(HOSTILE)
    assert for_stream(coloured, keep_sgr=True, json_safe=False).startswith(
        "\x1b[1;31merror:\x1b[0m 9\\u001b]0;")
    plain = for_stream("\x1b[1mx\x1b[0m" + HOSTILE, keep_sgr=False, json_safe=False)
    assert raw_controls(plain) == [] and plain.startswith("\\u001b[1mx")
    # a content SGR is escaped too when the caller does not colour
    assert "\x1b" not in for_stream("\x1b[8mhidden", keep_sgr=False, json_safe=True)


def test_stream_output_keeps_newlines_and_tabs():
    assert for_stream("a\tb\nc\x1b", keep_sgr=False, json_safe=False) == "a\tb\nc\\u001b"


def test_stream_escaping_leaves_json_valid_and_equal():
    data = {"name": HOSTILE, "path": os.fsdecode(b"\xff.yaml"), "urdu": "وزارت"}
    text = json.dumps(data, indent=2, ensure_ascii=False)
    safe = for_stream(text, keep_sgr=False, json_safe=True)
    assert raw_controls(safe.replace("\n", "")) == []
    safe.encode("utf-8")
    assert json.loads(safe) == data


def test_json_dumps_escapes_what_json_dumps_leaves_raw():
    data = {"name": HOSTILE, "path": os.fsdecode(b"\xff.yaml"), "urdu": "وزارت"}
    text = json_dumps(data)
    assert raw_controls(text.replace("\n", "")) == []
    assert "وزارت" in text and "\\u202e" in text and "\\udcff" in text
    text.encode("utf-8")
    assert json.loads(text) == data


@pytest.mark.parametrize("payload", [
    "=1+1", "+1", "-1+1", "@SUM(A1)", "\n=1",
    '=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0",
])
def test_a_cell_that_could_be_a_formula_gets_an_apostrophe(payload):
    assert csv_cell(payload) == "'" + payload
    buf = io.StringIO()
    csv.writer(buf).writerow([csv_cell(payload), "x"])
    assert next(csv.reader(io.StringIO(buf.getvalue(), newline="")))[0] == "'" + payload


@pytest.mark.parametrize(("payload", "cell"), [
    ("\t=1", "\\t=1"), ("\r=1", "\\r=1"), ("\x00=1", "\\u0000=1"), ("a\rb", "a\\rb"),
])
def test_control_characters_in_a_cell_are_escaped_so_no_reader_splits_it(payload, cell):
    # a bare CR ends a row in some readers; written as an escape, the cell stays one
    # cell, and what follows cannot start a row with a formula
    assert csv_cell(payload) == cell
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([csv_cell("x\r=1+1"), "y"])
    assert list(csv.reader(io.StringIO(buf.getvalue(), newline=""))) == [["x\\r=1+1", "y"]]


def test_plain_cells_and_numbers_pass_unchanged():
    assert csv_cell("Ministry") == "Ministry"
    assert csv_cell("a=b") == "a=b"
    assert csv_cell("") == "" and csv_cell(None) == ""
    assert csv_cell(-6.9) == -6.9 and csv_cell(-3) == -3  # our numbers stay numbers
    assert csv_cell(os.fsdecode(b"-\xff.yaml")) == "'-\\xff.yaml"


def test_a_stream_that_cannot_hold_a_character_gets_its_json_escape():
    from cyberdip.textsafe import encodable

    data = {"name": "Berlin · وزارت 😀", "path": "a.yaml"}
    text = json.dumps(data, ensure_ascii=False)
    ascii_text = encodable(text, "ascii")
    ascii_text.encode("ascii")
    assert "\\u00b7" in ascii_text and "\\ud83d\\ude00" in ascii_text
    assert json.loads(ascii_text) == data
    assert encodable("café", "latin-1") == "café"  # what the stream holds stays as it is


# -- quoting values from files in messages -------------------------------------------------


def test_a_value_is_quoted_as_a_few_dozen_characters_and_its_length():
    from cyberdip.textsafe import QUOTE_CHARS, quote

    assert quote("level 9") == "level 9"
    assert quote("x" * QUOTE_CHARS) == "x" * QUOTE_CHARS
    assert quote("x" * 1_000_000) == "x" * (QUOTE_CHARS - 1) + "\u2026 (1,000,000 characters)"


def test_a_path_is_quoted_whole_unless_it_is_absurdly_long():
    from cyberdip.textsafe import quote_path

    path = "/tmp/" + "folder/" * 20 + "rubric.yaml"
    assert quote_path(path) == path
    long = "/" + "a" * 1_000_000 + "/rubric.yaml"
    shown = quote_path(long)
    assert shown.endswith("a/rubric.yaml (1,000,013 characters)") and len(shown) < 200
