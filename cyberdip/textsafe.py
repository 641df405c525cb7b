"""Text from files made safe for where it goes: a terminal, JSON, a spreadsheet.

The ground floor: imports nothing from cyberdip. Three dangers, one module:

* **Control characters.** A terminal obeys them: ``ESC ] 0 ; ... BEL`` sets the window
  title, ``ESC [ 2 J`` clears the screen, ``ESC ] 52`` writes to the clipboard, and the
  bidi overrides reorder what a line seems to say. Text from a file is shown with each
  such character written as its JSON escape (``\\u001b``, or ``\\n``, ``\\t``, ``\\r``,
  ``\\b``, ``\\f``): the C0 controls, DEL, the C1 controls (U+0080 to U+009F), the line
  and paragraph separators (U+2028, U+2029) and the bidi embeddings, overrides and
  isolates (U+202A to U+202E, U+2066 to U+2069). ``--format json`` shows the same
  character the same way, so the two outputs read alike. Backslashes are left alone
  (the form is for reading, not for decoding back). Our own colours are added after
  the content is escaped, so they still work.
* **File names that are not UTF-8.** Python decodes them with ``surrogateescape``
  (byte 0xFF becomes U+DCFF), which no UTF-8 stream or file can hold. Such a byte is
  shown as ``\\xff``, the way ``os.fsencode(name).decode("utf-8", "backslashreplace")``
  would (:func:`display_name`). JSON keeps it exact as the escape ``\\udcff``.
* **Formulas.** A spreadsheet takes a cell that starts with ``=``, ``+``, ``-`` or
  ``@`` for a formula (CSV injection). :func:`csv_cell` puts a ``'`` in front, as
  OWASP advises; every CSV cell that comes from a file goes through it.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any

#: Every character :func:`for_terminal` escapes, as a regular-expression class body.
_C0 = [chr(i) for i in range(0x20)]
_OTHER = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
#: An SGR sequence (colour, bold): the only escape sequence cyberdip itself writes.
_SGR = r"\x1b\[[0-9;]*m"

#: First characters that make a spreadsheet read a cell as a formula (OWASP, ASVS 1.2.10).
FORMULA_START = frozenset("=+-@\t\r\n\x00")


@lru_cache(maxsize=None)  # noqa: UP033 - functools.cache needs ruff >= 0.5.1 to agree
def _pattern(keep: str, sgr: bool) -> re.Pattern[str]:
    c0 = "".join(re.escape(c) for c in _C0 if c not in keep)
    unsafe = f"[{c0}{_OTHER}]"
    return re.compile(f"{_SGR}|{unsafe}" if sgr else unsafe)


#: The short escapes JSON has; every other character takes the ``\\uXXXX`` form.
_SHORT = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _json_form(m: re.Match[str]) -> str:
    s = m.group()
    if len(s) > 1:  # an SGR sequence, kept
        return s
    return _SHORT.get(s) or f"\\u{ord(s):04x}"


def _text_form(m: re.Match[str]) -> str:
    s = m.group()
    o = ord(s[0])
    if len(s) == 1 and 0xDC80 <= o <= 0xDCFF:  # a byte of a file name that is not UTF-8
        return f"\\x{o - 0xDC00:02x}"
    return _json_form(m)


def for_terminal(text: object, *, keep: str = "") -> str:
    """``text`` with every control character escaped (``\\u001b``), and every byte of a
    non-UTF-8 file name shown as ``\\xff``. ``keep`` lists C0 characters to leave as
    they are (``"\\n"`` for multi-line text)."""
    s = str(text)
    pat = _pattern(keep, False)
    return pat.sub(_text_form, s) if pat.search(s) else s


def for_stream(text: str, *, keep_sgr: bool, json_safe: bool) -> str:
    """Whole output about to be written to a terminal-bound stream: newlines and tabs
    kept, and SGR colour sequences kept when ``keep_sgr`` (the caller colours, having
    escaped its content first); everything else in :func:`for_terminal`'s set escaped.

    With ``json_safe`` every escape is the ``\\uXXXX`` form, so JSON stays valid and
    means the same: the characters escaped never stand raw between JSON tokens.
    """
    pat = _pattern("\n\t", keep_sgr)
    if not pat.search(text):
        return text
    return pat.sub(_json_form if json_safe else _text_form, text)


def _json_escape_errors(e: UnicodeError) -> tuple[str, int]:
    if not isinstance(e, UnicodeEncodeError):
        raise e
    out = []
    for ch in e.object[e.start:e.end]:
        o = ord(ch)
        if o > 0xFFFF:  # as JSON writes it: a surrogate pair
            o -= 0x10000
            out.append(f"\\u{0xD800 + (o >> 10):04x}\\u{0xDC00 + (o & 0x3FF):04x}")
        else:
            out.append(f"\\u{o:04x}")
    return "".join(out), e.end


def encodable(text: str, encoding: str) -> str:
    """``text`` with every character ``encoding`` cannot hold written as ``\\uXXXX``
    (for a stream that is strict ASCII or Latin-1). JSON stays valid and equal."""
    import codecs

    try:
        codecs.lookup_error("cyberdip-json-escape")
    except LookupError:
        codecs.register_error("cyberdip-json-escape", _json_escape_errors)
    return text.encode(encoding, "cyberdip-json-escape").decode(encoding)


def display_name(path: str | os.PathLike[str]) -> str:
    """A file name as text any UTF-8 file or stream can hold: ``\\xff`` for each byte
    that is not UTF-8. Names that are UTF-8 come back unchanged."""
    s = os.fspath(path)
    if isinstance(s, bytes):
        s = os.fsdecode(s)
    return re.sub("[\udc80-\udcff]", lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", s)


_JSON_UNSAFE = re.compile(f"[{_OTHER}]")


def json_dumps(data: Any, *, indent: int | None = 2, line: bool = False) -> str:
    """JSON that keeps non-ASCII text readable (``ensure_ascii=False``) and is safe to
    print or write: DEL, the C1 and bidi controls and lone surrogates (bytes of a
    non-UTF-8 file name) become ``\\uXXXX`` escapes, as ``json.dumps`` already does for
    the C0 controls. It parses back to exactly the same data. ``line``: one compact line
    with sorted keys (a JSON Lines entry)."""
    import json

    # allow_nan=False: NaN and Infinity are not JSON; a non-finite number reaching an
    # output is a bug, and must fail loudly rather than write what a parser rejects
    if line:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, sort_keys=True,
                          separators=(",", ":"))
    else:
        text = json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet cannot take for a formula.

    Every control character but the line feed is escaped as in :func:`for_terminal`
    (a bare carriage return would end the row in some readers, and start a new one with
    whatever follows, a formula too); a file name's non-UTF-8 bytes are shown as
    ``\\xff``. Text then starting with ``= + - @``, a tab, a line feed or NUL gets a
    ``'`` in front (OWASP's CSV-injection advice). ``None`` is an empty cell. Numbers
    pass unchanged: a number (a negative delta too) is never a formula.
    """
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    s = for_terminal(str(value), keep="\n")
    return "'" + s if s and s[0] in FORMULA_START else s


def for_file(text: str) -> str:
    """A whole text report (plain text, Markdown, HTML) safe to ``cat`` to a terminal:
    every control character but the line feed and tab escaped, as on stdout."""
    return for_stream(text, keep_sgr=False, json_safe=False)


__all__ = ["FORMULA_START", "csv_cell", "display_name", "encodable", "for_file",
           "for_stream", "for_terminal", "json_dumps"]
