"""Checked copies of the built-in rubrics, so that a command need not check them again.

Loading a rubric file reads its YAML with positions, validates it and runs the semantic
checks: for the built-in rubric that is about a third of what `cyberdip score` does
beyond a bare YAML load. A built-in rubric is ours and does not change once installed,
so its checked form is kept beside this module, as JSON, in ``checked/SHA256.json``:
named by the SHA-256 of the rubric file's bytes, never by its name or its path.

* A rubric file whose bytes hash to a copy's name is that rubric, byte for byte, so its
  checked form is read from the copy, and rebuilt without validating it again
  (``model/construct.py``: validation would first build the schema of every rubric
  model); any other file, however named and wherever it lies, is loaded and checked in
  full.
* The copies are generated (``python -m cyberdip.formats.checked_write``) from the
  built-in rubrics, each through the full load and check, and committed; tests check
  that every built-in rubric has its copy, that nothing else is there
  (``test_checked_write.py``), and that a copy gives the very rubric the full load gives
  (``test_checked_rubrics.py``). A stale copy is never used: a changed rubric no longer
  hashes to its name.
* JSON, never pickle: reading a copy runs no code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cyberdip.model.rubric import Rubric

FOLDER = Path(__file__).resolve().parent / "checked"


def name_of(data: bytes) -> str:
    """The file name of the checked copy of a rubric file holding ``data``."""
    return hashlib.sha256(data).hexdigest() + ".json"


def lookup(data: bytes) -> Rubric | None:
    """The checked rubric a built-in rubric file of these bytes holds, or None when no
    built-in rubric has exactly these bytes."""
    copy = FOLDER / name_of(data)
    try:
        text = copy.read_bytes()
    except OSError:
        return None
    import json

    from cyberdip.model.construct import Unsupported, rebuild
    from cyberdip.model.rubric import Rubric

    try:
        return rebuild(Rubric, json.loads(text))
    except (Unsupported, ValueError):  # a copy this code cannot rebuild: validate it
        return Rubric.model_validate_json(text)


def render(rubric: Rubric) -> bytes:
    """The checked copy of ``rubric``: the fields set in the file, as JSON."""
    return rubric.model_dump_json(by_alias=True, exclude_unset=True).encode("utf-8") + b"\n"
