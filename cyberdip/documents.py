"""Finding, identifying and loading rubric and assessment files.

This is the seam between files on disk and the models: it knows where the
built-in rubrics live, how to tell a rubric from an assessment, and how an
assessment names its rubric. It never prints.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from cyberdip import yamlio
from cyberdip.errors import CyberdipError, InvalidInput, Problem, UnreadableInput

Kind = Literal["rubric", "assessment"]

YAML_SUFFIXES = (".yaml", ".yml")


def builtin_dir() -> Path:
    """Where the built-in rubrics are: inside the wheel, or ``rubrics/`` in a checkout."""
    packaged = resources.files("cyberdip") / "rubrics"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "rubrics"


@lru_cache(maxsize=1)
def builtin_paths() -> dict[str, Path]:
    """Built-in rubric ids mapped to their files (the file stem is the id)."""
    folder = builtin_dir()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.iterdir()) if p.suffix in YAML_SUFFIXES}


def detect_kind(doc: yamlio.Document) -> Kind:
    data = doc.data
    if isinstance(data, dict):
        if "answers" in data or "rubric" in data:
            return "assessment"
        if "areas" in data or "scale" in data:
            return "rubric"
    raise InvalidInput([Problem(
        doc.path, 1, 1, "error", "CD004",
        "cannot tell what this file is: a rubric has `areas` and `scale`, "
        "an assessment has `rubric` and `answers`")])


def collect(paths: list[str]) -> list[str]:
    """Expand folders to their ``*.yaml``/``*.yml`` files, sorted; keep files as given."""
    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            found = sorted(
                str(Path(root) / name)
                for root, _dirs, names in os.walk(p)
                for name in names
                if name.endswith(YAML_SUFFIXES) and not name.startswith(".")
            )
            out.extend(found)
        else:
            out.append(p)
    return out


def load_rubric_file(path: str | os.PathLike[str]):
    """Load and fully check a rubric file."""
    from cyberdip import rubric

    doc = yamlio.load(path)
    return rubric.from_document(doc)


def resolve_rubric(ref: str, *, relative_to: str | None = None) -> Path:
    """A rubric named by built-in id, or by a path (relative to the assessment's folder)."""
    builtins = builtin_paths()
    if ref in builtins:
        return builtins[ref]
    candidates = [Path(ref)]
    if relative_to is not None and not os.path.isabs(ref):
        candidates.insert(0, Path(relative_to).parent / ref)
    for c in candidates:
        # os.path.isfile, not Path.is_file: a `rubric:` value longer than the OS allows
        # for a file name makes stat() raise ENAMETOOLONG, which Path.is_file passes on
        if os.path.isfile(c):
            return c
    known = ", ".join(sorted(builtins)) or "none"
    raise CyberdipError(
        f"rubric `{ref}` not found: it is neither a built-in rubric ({known}) nor a file",
        code="CD306", exit_code=1)


@lru_cache(maxsize=16)
def _cached_rubric(path: str, mtime: float, size: int):
    return load_rubric_file(path)


def rubric_at(path: Path):
    """Load a rubric once per process, even when a thousand assessments name it."""
    st = path.stat()
    return _cached_rubric(str(path), st.st_mtime, st.st_size)


def get_rubric(ref: str, *, relative_to: str | None = None):
    return rubric_at(resolve_rubric(ref, relative_to=relative_to))


__all__ = [
    "CyberdipError", "InvalidInput", "UnreadableInput", "builtin_paths", "collect",
    "detect_kind", "get_rubric", "load_rubric_file", "resolve_rubric", "rubric_at",
]
