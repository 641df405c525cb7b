"""The pre-scan of a workbook's XML parts: what Excel never writes (a DTD, a token
longer than any cell, a row of thousands of cells) is refused before openpyxl parses
anything, and the sheet list is read with each sheet's state."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cyberdip.errors import UnreadableInput
from cyberdip.formats import documents, workbook, xlsxscan
from tests import hostile

MINI = Path(__file__).resolve().parents[2] / "data" / "rubrics" / "mini.yaml"


@pytest.fixture(scope="module")
def blank() -> bytes:
    return workbook.blank_xlsx(documents.load_rubric_file(MINI), "mini.yaml")


def scan(data: bytes) -> xlsxscan.Scan:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return xlsxscan.scan(z, "x.xlsx")


def refusal(data: bytes) -> tuple[str, str]:
    with pytest.raises(UnreadableInput) as e:
        scan(data)
    assert e.value.exit_code == 2 and e.value.path == "x.xlsx"
    return e.value.code, e.value.message


def test_a_workbook_init_writes_passes_and_its_sheets_are_listed_with_their_states(blank):
    assert scan(blank).sheets == [xlsxscan.SheetEntry("Start", "visible"),
                                  xlsxscan.SheetEntry("Answers", "visible"),
                                  xlsxscan.SheetEntry("Lists", "hidden")]


@pytest.mark.parametrize("doctype", [
    b'<!DOCTYPE x [<!ENTITY a "b">]>', b"<!DOCTYPE worksheet>", b'<!ENTITY a "b">',
    b'<!DOCTYPE x SYSTEM "file:///etc/passwd">'])
def test_any_dtd_is_refused(blank, doctype):
    part = hostile.sheet_part(blank)
    data = hostile.rewrite(blank, part, lambda body: doctype + body)
    code, message = refusal(data)
    assert code == "CD006" and "declares a DTD" in message and part in message


def test_entity_expansion_is_refused_whatever_part_holds_it(blank):
    code, message = refusal(hostile.with_dtd(blank, entities=9))
    assert code == "CD006" and "DTD" in message
    shared = hostile.rewrite(blank, "[Content_Types].xml",
                             lambda b: b'<!DOCTYPE t [<!ENTITY e "x">]>' + b)
    assert refusal(shared)[0] == "CD006"


@pytest.mark.parametrize("kind", ["comment", "attribute", "text"])
def test_a_token_longer_than_any_cell_is_refused(blank, kind):
    code, message = refusal(hostile.with_long_comment(blank, 1_500_000, kind))
    assert code == "CD003" and "longer than 256 KB" in message
    # and what a cell can hold passes: Excel's 32,767 characters, several bytes each
    scan(hostile.with_long_comment(blank, 4 * 32_767, kind))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(size=st.integers(0, 3 * xlsxscan.MAX_TOKEN_BYTES),
       kind=st.sampled_from(["comment", "attribute", "text"]))
@example(size=xlsxscan.MAX_TOKEN_BYTES + 1, kind="text")
@example(size=xlsxscan.MAX_TOKEN_BYTES + 1, kind="comment")
@example(size=xlsxscan.MAX_TOKEN_BYTES, kind="comment")
@example(size=xlsxscan.MAX_TOKEN_BYTES + 1, kind="attribute")
@example(size=xlsxscan.MAX_TOKEN_BYTES, kind="attribute")
@example(size=xlsxscan.CHUNK * 3 + 5, kind="attribute")
def test_a_token_is_refused_exactly_when_it_is_over_the_limit(blank, size, kind):
    data = hostile.with_long_comment(blank, size, kind)
    if size > xlsxscan.MAX_TOKEN_BYTES:
        assert refusal(data)[0] == "CD003"
    else:
        assert [s.name for s in scan(data).sheets] == ["Start", "Answers", "Lists"]


def test_quotes_hide_no_end_of_tag(blank):
    """``>`` inside a quoted attribute does not end the tag: the cells after it count."""
    part = hostile.sheet_part(blank)
    row = b'<row r="9999" x="a>b" y=\'>\'>' + b"<c/>" * (xlsxscan.MAX_ROW_CELLS + 1) + b"</row>"
    data = hostile.rewrite(blank, part, lambda b: b.replace(b"</sheetData>",
                                                            row + b"</sheetData>"))
    assert "more than 1,024 cells" in refusal(data)[1]


def test_a_row_far_wider_than_cyberdip_reads_is_refused(blank):
    code, message = refusal(hostile.with_wide_row(blank, 4_000_000))
    assert code == "CD003" and "more than 1,024 cells" in message
    assert xlsxscan.MAX_ROW_CELLS > 10 * xlsxscan.MAX_COLUMNS  # room for new columns
    scan(hostile.with_wide_row(blank, xlsxscan.MAX_ROW_CELLS))


def test_a_sheet_of_too_many_cells_is_refused(blank):
    part = hostile.sheet_part(blank)
    rows = b"".join(b'<row r="%d">' % (i + 100) + b"<c/>" * 1000 + b"</row>"
                    for i in range(xlsxscan.MAX_SHEET_CELLS // 1000 + 1))
    data = hostile.rewrite(blank, part, lambda b: b.replace(b"</sheetData>",
                                                            rows + b"</sheetData>"))
    assert "more than 500,000 cells" in refusal(data)[1]


def test_pictures_are_not_scanned_as_xml(blank):
    data = hostile.rewrite(blank, "[Content_Types].xml", lambda b: b)
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("xl/media/image1.png", b"\x89PNG<!DOCTYPE" + b"<" * 400_000)
    assert len(scan(buf.getvalue()).sheets) == 3


def test_a_part_that_does_not_unpack_is_damaged(blank):
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blank)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename), src.read(info.filename))
    data = bytearray(buf.getvalue())
    i = data.index(b"<worksheet")  # stored, so the bytes are there to break
    data[i + 50:i + 60] = b"\xff" * 10
    assert refusal(bytes(data)) == ("CD006", "this workbook is damaged: a part of it cannot "
                                    "be unpacked (was the download or the copy cut short?)")


def tokens(data: bytes, size: int) -> tuple[list[bytes], str | None]:
    """The tags ``_tokens`` finds in ``data`` read ``size`` bytes at a time, and the
    refusal it ends with, if any."""
    found: list[bytes] = []
    try:
        for _, tag in xlsxscan._tokens(iter(data[i:i + size]
                                            for i in range(0, len(data), size))):
            found.append(tag)
    except xlsxscan._Refused as e:
        return found, e.message
    return found, None


@settings(derandomize=True, max_examples=300)
@given(data=st.lists(st.sampled_from([b"<", b">", b'"', b"'", b"!", b"?", b"-", b"--",
                                      b"<!--", b"-->", b"<![CDATA[", b"]]>", b"<?", b"?>",
                                      b"<c", b"/>", b"row", b" ", b"a=", b"x"]),
                     max_size=40).map(b"".join),
       size=st.integers(1, 12))
@example(data=b'<row r="1" x=\'a>b\'><c/><!-- > --><?pi ?></row>', size=1)
@example(data=b"<a><!DOCTYPE x><b>", size=3)
def test_tags_are_the_same_however_the_part_is_chunked(data, size):
    """A tag whole in the buffer is read at once; one cut by a chunk's end is read the
    careful way: both find the same tags and the same refusal."""
    assert tokens(data, size) == tokens(data, max(len(data), 1))
