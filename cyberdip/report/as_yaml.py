"""YAML: a blank assessment, every criterion listed with its question and levels."""

from __future__ import annotations

from typing import Any


def render(result: Any, **options: Any) -> str:
    from cyberdip.formats.blank import Blank, blank_assessment

    if isinstance(result, Blank):
        return blank_assessment(result.rubric, result.rubric_ref, result.profile,
                                result.section, pin=result.pin, mode=result.mode,
                                wording=result.wording)
    raise TypeError(f"no YAML form for {type(result).__name__}")
