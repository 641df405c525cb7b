"""JSON: every result is a pydantic model; its JSON is strict (no NaN or Infinity) and
safe to print (``textsafe.json_dumps``)."""

from __future__ import annotations

from typing import Any

from cyberdip.textsafe import json_dumps


def render(result: Any, **options: Any) -> str:
    """A scorecard, a comparison or a portfolio as JSON."""
    return json_dumps(result.model_dump(mode="json")) + "\n"
