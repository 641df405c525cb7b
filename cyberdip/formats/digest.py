"""The one content hash of cyberdip: what a sign-off is bound to (and what a rubric pin
and the offline form's storage key use).

- A rubric is hashed over its file's bytes.
- An assessment is hashed over a canonical serialisation of what it says, never over a
  model dump, which would change whenever cyberdip adds a default. What is covered:
  the answers with their evidence, and the few top-level fields that change what the
  answers mean (the rubric and version answered, the profile, the default target).
  The action plan (``action``, ``owner``, ``due``, ``status``) is not covered, so
  updating an action does not void a sign-off: a sign-off approves what the ministry
  found, and the plan is worked through the year after it (docs/cycle.md). Nor are the
  organisation's details, the notes, the marking or who answered.

The canonical form is JSON with sorted keys, no spaces, UTF-8; a number that is whole is
written as an integer (``45`` and ``45.0`` are the same answer); a date as
``YYYY-MM-DD``; an indicator written ``{met: true}`` with nothing else as ``true``; an
evidence item given alone as a list of one, and a dated evidence item that holds only its
``text`` as that text. docs/cycle.md states the same rules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
from typing import Any

#: The top-level fields of an assessment the hash covers, beside ``answers``.
COVERED = ("rubric", "rubric_version", "profile", "default_target")
#: The keys of an answer the hash leaves out: the action plan.
PLAN_KEYS = frozenset({"owner", "due", "status", "action"})


def file_sha256(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, dt.date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return str(value)


def _evidence_item(e: Any) -> Any:
    if not isinstance(e, dict):
        return e
    kept = {k: w for k, w in e.items() if w is not None}
    return kept["text"] if set(kept) == {"text"} else kept


def canonical_answer(value: Any) -> Any:
    if not isinstance(value, dict):
        return _canonical(value)
    out = {}
    for key, v in value.items():
        if key in PLAN_KEYS or v is None or v == [] or v == {}:
            continue
        if key == "evidence" and not isinstance(v, list):
            v = [v]
        if key == "evidence":  # a dated item with only its text is that text
            v = [_evidence_item(e) for e in v]
        if key == "indicators" and isinstance(v, dict):
            v = {i: (w["met"] if isinstance(w, dict) and set(w) == {"met"} else
                     canonical_answer(w) if isinstance(w, dict) else w) for i, w in v.items()}
        out[str(key)] = _canonical(v)
    return out


def canonical_answers(data: dict[str, Any]) -> bytes:
    """The bytes the assessment hash is taken over (see the module's docstring)."""
    answers = data.get("answers") or {}
    doc = {key: _canonical(data.get(key)) for key in COVERED if data.get(key) is not None}
    doc["answers"] = {str(cid): canonical_answer(a) for cid, a in answers.items()
                      if a is not None and canonical_answer(a) != {}}
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def answers_sha256(data: dict[str, Any]) -> str:
    """The hash of what an assessment (its parsed YAML data) says."""
    return hashlib.sha256(canonical_answers(data)).hexdigest()


__all__ = ["COVERED", "PLAN_KEYS", "answers_sha256", "canonical_answer", "canonical_answers",
           "file_sha256"]
