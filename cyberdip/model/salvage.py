"""Semantic checks on a rubric or an assessment that failed the schema.

One misspelled key must not hide a dangling source ref elsewhere in the file. So
when the schema fails, we patch a copy of the data until it validates (drop unknown
keys and bad optional values, put a placeholder where a required value is bad, and
as a last resort stand a blank criterion in for a broken one), run the semantic
checks on that, and keep only the problems that lie outside every patched spot.

An assessment is patched the same way (``salvage_assessment``): every key under
``answers`` is optional, so a bad one is dropped, and a `levle:` does not hide a
`level: 7` or a misspelled criterion id elsewhere in the file.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from cyberdip.errors import Problem
from cyberdip.model.rubric import CRITERION_ID, Rubric, check
from cyberdip.yamlio import Document

_PLACEHOLDERS = {float: 1.0, int: 0, str: "x"}


def _data_step(node: object, seg: object) -> tuple[bool, object]:
    if isinstance(node, dict):
        for key in (seg, str(seg)) if not isinstance(seg, str) else (seg,):
            if key in node:
                return True, key
        if isinstance(seg, str) and seg.lstrip("-").isdigit() and int(seg) in node:
            return True, int(seg)
    elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
        return True, seg
    return False, None


def _data_path(data: object, loc: tuple) -> tuple:
    """The pydantic ``loc`` reduced to the keys and indexes really in ``data``."""
    out: list[object] = []
    node = data
    for seg in loc:
        found, key = _data_step(node, seg)
        if found:
            out.append(key)
            node = node[key]  # type: ignore[index]
    return tuple(out)


def _field(loc: tuple):
    """The pydantic FieldInfo for the last segment of ``loc``, if it names a model field."""
    from cyberdip.model.fields import walk_types

    steps = list(walk_types(Rubric, loc))
    return steps[-1][2] if steps else None


def _blank_criterion(data: dict, old: object, n: int) -> dict | None:
    try:
        levels = [s["level"] for s in data["scale"]]
        ref = next(iter(data["sources"]))
    except (KeyError, TypeError, StopIteration):
        return None
    cid = old.get("id") if isinstance(old, dict) else None
    if not (isinstance(cid, str) and re.match(CRITERION_ID, cid)):
        cid = f"x.blank-{n}"
    return {"id": cid, "title": "x", "question": "x", "weight": 1.0, "kind": "level",
            "levels": {lv: "x" for lv in levels},
            "recommendations": {lv: "x" for lv in levels},
            "sources": [{"ref": ref, "section": "x"}]}


def _placeholder(info, error: dict) -> object | None:
    """A valid stand-in for a required value, or None when there is none."""
    from cyberdip.model.fields import _unwrap

    t = _unwrap(info.annotation)
    if t is str:
        pattern = (error.get("ctx") or {}).get("pattern")
        for candidate in ("x", "x.x", "0.0.0"):
            if pattern is None or re.match(pattern, candidate):
                return candidate
        return None
    value = _PLACEHOLDERS.get(t)  # type: ignore[call-overload]
    return value if type(value) is t else None


def _get(data: object, path: tuple) -> object:
    for seg in path:
        data = data[seg]  # type: ignore[index]
    return data


def _patch(data: dict, e: dict, n: int) -> tuple | None:
    """Patch ``data`` so that error ``e`` goes away; the data path patched, or None."""
    from cyberdip.model.fields import strip_tags

    info = _field(tuple(e["loc"]))
    loc = strip_tags(Rubric, e["loc"])
    path = _data_path(data, loc)
    exact = bool(path) and str(path[-1]) == str(loc[-1])  # the bad value is in the data
    if exact and (e["type"] == "extra_forbidden" or (info is not None and not info.is_required())):
        del _get(data, path[:-1])[path[-1]]  # type: ignore[attr-defined]
        return path
    value = _placeholder(info, e) if info is not None and isinstance(loc[-1], str) else None
    if value is not None:
        owner = _get(data, path if e["type"] == "missing" else path[:-1])
        if isinstance(owner, dict):
            owner[loc[-1]] = value
            return path if exact else (*path, loc[-1])
    if len(path) >= 4 and path[0] == "areas" and path[2] == "criteria":
        criteria = data["areas"][path[1]]["criteria"]
        blank = _blank_criterion(data, criteria[path[3]], n)
        if blank is not None:
            criteria[path[3]] = blank
            return path[:4]
    return None


def check_despite_schema_errors(doc: Document, first: ValidationError) -> list[Problem]:
    import copy

    data = copy.deepcopy(doc.data)
    patched: list[tuple] = []  # data paths whose problems the schema already reported
    error: ValidationError | None = first
    for _ in range(20):
        try:
            for e in error.errors(include_url=False):  # type: ignore[union-attr]
                path = _patch(data, e, len(patched))
                if path is None:
                    return []
                patched.append(path)
        except (KeyError, IndexError, TypeError):
            return []
        try:
            rubric = Rubric.model_validate(data)
            break
        except ValidationError as e:
            error = e
    else:
        return []

    # Problems inside a patched spot were reported by the schema already. Within a
    # criterion that was patched, only the checks that do not depend on the patched
    # value (ids, source refs, tags, weights) still speak.
    hard: list[tuple[tuple[int, int], tuple[int, int]]] = []
    soft: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for path in patched:
        hard.append(_span(doc, path))
        if len(path) > 4 and path[0] == "areas" and path[2] == "criteria":
            soft.append(_span(doc, path[:4]))

    def inside(p: Problem, spans: list) -> bool:
        return any(a <= (p.line, p.col) <= b for a, b in spans)

    return [p for p in check(rubric, doc) if not inside(p, hard)
            and not (p.code not in _INDEPENDENT and inside(p, soft))]


_INDEPENDENT = {"CD201", "CD202", "CD207", "CD208"}


def _assessment_spot(data: dict, e: dict) -> tuple | None:
    """Where to patch assessment ``data`` so that error ``e`` goes away: the data path of
    the key to drop (every key below the top is optional, or belongs to an optional
    entry; a bad list item drops its list), ``()`` for a missing organisation, or None
    when nothing can stand in (the rubric or its version is bad)."""
    path = _data_path(data, tuple(e["loc"]))
    if not path:
        return () if tuple(e["loc"]) == ("organisation",) and e["type"] == "missing" else None
    if path[0] in ("rubric", "rubric_version"):
        return None  # what the checks against the rubric depend on
    if isinstance(_get(data, path[:-1]), list):
        path = path[:-1]
    return path if isinstance(_get(data, path[:-1]), dict) else None


def salvage_assessment(doc: Document):
    """For a file the schema refuses: the assessment in ``doc`` with every part the
    schema refused dropped, and a filter that keeps only the problems outside those
    parts, so that one run reports every problem. None when the schema accepts the file,
    or nothing usable is left (the rubric or its version is itself bad)."""
    import copy

    from cyberdip.model.assessment import Assessment

    if not isinstance(doc.data, dict):
        return None
    try:
        Assessment.model_validate(doc.data)
        return None
    except ValidationError as e:
        error: ValidationError = e
    data = copy.deepcopy(doc.data)
    patched: list[tuple] = []
    for _ in range(20):
        try:
            spots = [_assessment_spot(data, e) for e in error.errors(include_url=False)]
        except (KeyError, IndexError, TypeError):
            return None
        if any(spot is None for spot in spots):
            return None
        for spot in sorted(set(spots), key=len):  # type: ignore[arg-type]
            if spot == ():
                data["organisation"] = {}
                patched.append(("organisation",))
            elif not any(spot[:len(p)] == p for p in patched):
                del _get(data, spot[:-1])[spot[-1]]  # type: ignore[attr-defined]
                patched.append(spot)
        try:
            a = Assessment.model_validate(data)
            break
        except ValidationError as e:
            error = e
    else:
        return None
    spans = [_span(doc, path) for path in patched]

    def outside(problems: list[Problem]) -> list[Problem]:
        return [p for p in problems
                if not any(lo <= (p.line, p.col) <= hi for lo, hi in spans)]

    return a, outside


def _span(doc: Document, path: tuple) -> tuple[tuple[int, int], tuple[int, int]]:
    """1-based (start, end) positions of the key and value at ``path``; a point if absent."""
    steps = doc._walk(path)
    if len(steps) != len(path):
        node = steps[-1][1] if steps else doc.root
        mark = node.start_mark if node is not None else None
        point = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        return point, point
    _, value, key = steps[-1]
    start = key.start_mark if key is not None else value.start_mark
    return ((start.line + 1, start.column + 1),
            (value.end_mark.line + 1, value.end_mark.column + 1))
