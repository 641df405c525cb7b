"""XLSX: a blank questionnaire as an Excel workbook (``formats.workbook``)."""

from __future__ import annotations

from typing import Any


def render(result: Any, **options: Any) -> bytes:
    from cyberdip.formats.blank import Blank

    if isinstance(result, Blank):
        from cyberdip.formats.workbook import blank_xlsx

        return blank_xlsx(result.rubric, result.rubric_ref, result.profile,
                          result.section, result.mode, result.wording)
    raise TypeError(f"no workbook form for {type(result).__name__}")
