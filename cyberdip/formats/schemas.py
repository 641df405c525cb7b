"""JSON Schemas of the file formats, generated from the models.

Committed copies live in ``schemas/`` for editors (yaml-language-server); a
test fails when they are stale. Regenerate with ``python -m cyberdip.formats.schemas``.
"""

from __future__ import annotations

import json
from pathlib import Path

NAMES = ("rubric", "assessment", "scorecard")


def _model(name: str):
    if name == "rubric":
        from cyberdip.model.rubric import Rubric

        return Rubric
    if name == "assessment":
        from cyberdip.model.assessment import Assessment

        return Assessment
    from cyberdip.model.scorecard import Scorecard

    return Scorecard


def schema(name: str) -> dict:
    model = _model(name)
    s = model.model_json_schema(mode="validation" if name != "scorecard" else "serialization")
    s = {"$schema": "https://json-schema.org/draft/2020-12/schema",
         "$id": f"https://cyberdip.example/schemas/{name}.schema.json", **s}
    return s


def schema_json(name: str) -> str:
    return json.dumps(schema(name), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_all(folder: Path) -> None:
    from cyberdip.yamlio import write_atomic

    for name in NAMES:
        write_atomic(folder / f"{name}.schema.json", schema_json(name))


if __name__ == "__main__":
    write_all(Path(__file__).resolve().parents[2] / "schemas")
