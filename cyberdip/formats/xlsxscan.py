"""A streaming pre-scan of every part of a workbook, before openpyxl parses any of it.

A workbook is a zip of XML parts, and XML from a file is untrusted: a part can declare
entities that expand a few kilobytes into a hundred megabytes, a single comment or
attribute of a megabyte makes the XML parser reparse it again and again (quadratic
time), and one row of millions of cells costs gigabytes. None of these occur in a
workbook Excel or LibreOffice writes, so the scan refuses them before anything is built:

* **a DTD** (``<!DOCTYPE``, ``<!ENTITY`` or any other ``<!`` declaration): Excel never
  writes one, and it is how entity expansion starts;
* **an over-long token**: a text, comment, attribute value, CDATA section or tag longer
  than ``MAX_TOKEN_BYTES`` (a cell holds at most 32,767 characters);
* **a row far wider than cyberdip reads**: more than ``MAX_ROW_CELLS`` cells in one row
  (cyberdip reads the first ``MAX_COLUMNS`` columns), or more than ``MAX_SHEET_CELLS``
  cells in one sheet.

It also reads the sheet list of ``xl/workbook.xml`` (names and states), so the reader can
refuse an answers sheet that is hidden, or two sheets that could both be it.

The scan reads each part through ``zipfile`` in chunks and keeps at most one chunk plus
one token in memory, jumping between ``<`` and ``>`` with ``bytes.find``: linear in the
size of the workbook, and a small part of an import's time (a 1.5 MB part takes a few
milliseconds). Only the standard library is used.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from cyberdip.errors import UnreadableInput

#: The longest token (text, attribute value, comment, tag) a part may hold. Excel caps
#: a cell at 32,767 characters; in UTF-8 with every character escaped (``&amp;``) that
#: is under 200 KB.
MAX_TOKEN_BYTES = 256 * 1024
#: The longest tag, its attributes together: room for one attribute at the token limit.
MAX_TAG_BYTES = 2 * MAX_TOKEN_BYTES
#: Columns cyberdip reads of a sheet: the ten of today's questionnaire and room for the
#: columns later versions add (the reader stops at this one).
MAX_COLUMNS = 60
#: Cells one row may hold: far more than cyberdip reads (a sheet formatted to the right
#: still fits), far fewer than the millions that cost gigabytes.
MAX_ROW_CELLS = 1_024
#: Cells one sheet may hold in all.
MAX_SHEET_CELLS = 500_000
CHUNK = 64 * 1024
#: The parts an XML parser may read.
XML_PARTS = (".xml", ".rels", ".vml")

_NAME = re.compile(rb"<\s*/?\s*(?:[\w.-]+:)?([\w.-]+)")
_ATTR = re.compile(rb"([\w.:-]+)\s*=\s*(\"[^\"]*\"|'[^']*')")
_QUOTE_OR_END = re.compile(rb"[\"'>]")
#: A whole tag, as the careful loop in ``_tokens`` reads one: ``>`` ends it, except
#: inside a quoted attribute value; not a declaration (``<!``) or instruction (``<?``).
_WHOLE_TAG = re.compile(rb"<(?![!?])[^\"'>]*(?:(?:\"[^\"]*\"|'[^']*')[^\"'>]*)*>")


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as ``xl/workbook.xml`` lists it: its name and state (``visible``,
    ``hidden`` or ``veryHidden``)."""

    name: str
    state: str = "visible"


@dataclass
class Scan:
    """What the scan found out about a workbook that passed it."""

    sheets: list[SheetEntry] = field(default_factory=list)


def _unescape(value: bytes) -> str:
    import html

    return html.unescape(value.decode("utf-8", "replace"))


def _chunks(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    with z.open(info) as f:
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                return
            yield chunk


class _Refused(Exception):
    def __init__(self, message: str, code: str = "CD003") -> None:
        super().__init__(message)
        self.message, self.code = message, code


def _tokens(chunks: Iterator[bytes]) -> Iterator[tuple[str, bytes]]:
    """The part's tokens as ``("tag", bytes of the tag)``; text, comments, CDATA and
    processing instructions are checked for length and skipped. Raises _Refused."""
    buf = b""
    pos = 0
    eof = False

    def more() -> bool:
        nonlocal buf, pos, eof
        if eof:
            return False
        try:
            chunk = next(chunks)
        except StopIteration:
            eof = True
            return False
        buf = buf[pos:] + chunk
        pos = 0
        return True

    def long(what: str, limit: int = MAX_TOKEN_BYTES) -> _Refused:
        limit = MAX_TAG_BYTES if what == "a tag" else MAX_TOKEN_BYTES
        return _Refused(f"a part of this workbook holds {what} longer than "
                        f"{limit // 1024} KB, far longer than any cell (Excel "
                        "keeps 32,767 characters); a workbook Excel writes never does, so "
                        "it is not read")

    def find(sub: bytes, start: int, what: str, limit: int = MAX_TOKEN_BYTES) -> int:
        """The index of ``sub`` at or after ``start`` (relative to ``pos``), reading
        more as needed, never more than ``limit`` bytes past ``pos``."""
        while True:
            i = buf.find(sub, pos + start)
            if i >= 0:
                if i - pos > limit:
                    raise long(what, limit)
                return i
            if len(buf) - pos > limit:
                raise long(what, limit)
            if not more():
                return -1

    while True:
        lt = find(b"<", 0, "a text")
        if lt < 0:
            return
        pos = lt
        whole = _WHOLE_TAG.match(buf, pos)
        if whole is not None and whole.end() - pos <= MAX_TOKEN_BYTES:
            # the common case, at C speed: a tag already whole in the buffer, too short
            # for any limit below (every attribute value in it is shorter still)
            pos = whole.end()
            yield "tag", whole.group()
            continue
        while len(buf) - pos < 9 and more():
            pass
        head = buf[pos:pos + 9]
        if head.startswith(b"<!--"):
            end = find(b"-->", 4, "a comment", MAX_TOKEN_BYTES + 4)
            step = 3
        elif head.startswith(b"<![CDATA["):
            end = find(b"]]>", 9, "a CDATA section", MAX_TOKEN_BYTES + 9)
            step = 3
        elif head.startswith(b"<!"):
            raise _Refused("a part of this workbook declares a DTD (`<!DOCTYPE` or "
                           "`<!ENTITY`), which Excel never writes and which can expand a "
                           "small file into gigabytes; it is not read", code="CD006")
        elif head.startswith(b"<?"):
            end = find(b"?>", 2, "a processing instruction",
                       MAX_TOKEN_BYTES + 2)
            step = 2
        else:  # a tag: '>' ends it, but not inside a quoted attribute value
            i = pos + 1
            while True:
                m = _QUOTE_OR_END.search(buf, i)
                while m is None:
                    if len(buf) - pos > MAX_TAG_BYTES:
                        raise long("a tag", MAX_TAG_BYTES)
                    i = len(buf) - pos  # relative, as buf moves
                    if not more():
                        return
                    i += pos
                    m = _QUOTE_OR_END.search(buf, i)
                if m.group() == b">":
                    end = m.start()
                    if end - pos > MAX_TAG_BYTES:
                        raise long("a tag", MAX_TAG_BYTES)
                    break
                quote = m.group()
                opened = m.end() - pos
                lim, what = opened + MAX_TOKEN_BYTES, "an attribute value"
                if lim > MAX_TAG_BYTES:
                    lim, what = MAX_TAG_BYTES, "a tag"
                close = find(quote, opened, what, lim)
                if close < 0:
                    return
                if close - pos - opened > MAX_TOKEN_BYTES:
                    raise long("an attribute value")
                i = close + 1
            yield "tag", buf[pos:end + 1]
            pos = end + 1
            continue
        if end < 0:
            return
        pos = end + step


def _scan_part(z: zipfile.ZipFile, info: zipfile.ZipInfo, scan: Scan) -> None:
    is_book = info.filename == "xl/workbook.xml"
    row_cells = 0
    sheet_cells = 0
    for _, tag in _tokens(_chunks(z, info)):
        if tag.startswith(b"</"):
            continue
        m = _NAME.match(tag)
        name = m.group(1) if m else b""
        if name == b"c":
            row_cells += 1
            sheet_cells += 1
            if row_cells > MAX_ROW_CELLS:
                raise _Refused(f"a row of this workbook holds more than {MAX_ROW_CELLS:,} "
                               f"cells; cyberdip reads the first {MAX_COLUMNS} columns, so "
                               "it is not read (delete the columns to the right of the "
                               "questionnaire)")
            if sheet_cells > MAX_SHEET_CELLS:
                raise _Refused(f"a sheet of this workbook holds more than "
                               f"{MAX_SHEET_CELLS:,} cells, far more than a questionnaire; "
                               "it is not read")
        elif name == b"row":
            row_cells = 0
        elif is_book and name == b"sheet":
            attrs = {k.split(b":")[-1]: v[1:-1] for k, v in _ATTR.findall(tag)}
            scan.sheets.append(SheetEntry(_unescape(attrs.get(b"name", b"")),
                                          _unescape(attrs.get(b"state", b"visible"))))


def scan(z: zipfile.ZipFile, path: str) -> Scan:
    """Scan every XML part of the open workbook ``z``; raise UnreadableInput (exit 2)
    for a DTD, an over-long token, a row or sheet far wider than a questionnaire."""
    found = Scan()
    for info in z.infolist():
        if info.is_dir() or not info.filename.lower().endswith(XML_PARTS):
            continue  # pictures and printer settings: never parsed as XML
        try:
            _scan_part(z, info, found)
        except _Refused as e:
            from cyberdip.textsafe import for_terminal, quote

            raise UnreadableInput(f"{e.message} (in `{quote(for_terminal(info.filename))}`)",
                                  path=path, code=e.code) from None
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError,
                NotImplementedError, RuntimeError):
            raise UnreadableInput("this workbook is damaged: a part of it cannot be "
                                  "unpacked (was the download or the copy cut short?)",
                                  path=path, code="CD006") from None
    return found


__all__ = ["MAX_COLUMNS", "MAX_ROW_CELLS", "MAX_SHEET_CELLS", "MAX_TOKEN_BYTES", "Scan",
           "SheetEntry", "scan"]
