"""Rubric packs: a folder holding rubrics with their translations and examples, and a
manifest, ``pack.yaml``, that names each file with the SHA-256 of its bytes
(docs/packs.md).

This module reads and checks manifests, checks a pack's files against them, and knows
the search path: the folders named by ``--packs`` (``use``) and by the environment
variable ``CYBERDIP_PACKS``. Finding a rubric by id among the built-ins and the packs
is ``documents.resolve_rubric``'s; checking a whole pack, rubrics and examples
included, is ``validate``'s. It never prints.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from cyberdip import yamlio
from cyberdip.errors import CyberdipError, InvalidInput, Problem
from cyberdip.formats.digest import file_sha256
from cyberdip.textsafe import quote, quote_path

#: The manifest's file name: a folder holding one is a pack.
MANIFEST = "pack.yaml"
#: The environment variable naming pack folders, separated by ``os.pathsep``.
ENV = "CYBERDIP_PACKS"
#: The manifest format this version of cyberdip reads and writes.
FORMAT = 1
KINDS = ("rubric", "translation", "example")
#: The script that rewrites a manifest after a file of the pack changed.
REFRESH = "python -m cyberdip.formats.pack_manifest"

_SHA = re.compile(r"[0-9a-f]{64}")
_TOP = ("pack", "id", "title", "versions", "licence", "source", "files")
_ENTRY = {"rubric": ("path", "kind", "id", "version", "sha256"),
          "translation": ("path", "kind", "language", "translates", "sha256"),
          "example": ("path", "kind", "sha256")}


@dataclass(frozen=True)
class Entry:
    """One file of a pack, as its manifest lists it."""

    path: str  # relative to the pack's folder, with ``/``
    kind: str
    sha256: str
    line: int = 0
    col: int = 0
    id: str | None = None
    version: str | None = None
    language: str | None = None
    translates: str | None = None


@dataclass
class Pack:
    """A pack's manifest, read and checked for its own form (not yet its files)."""

    manifest: Path
    id: str
    versions: list[str]
    licence: str
    source: str
    title: str | None = None
    files: list[Entry] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return self.manifest.parent

    def file(self, entry: Entry) -> Path:
        return self.folder / entry.path

    def rubrics(self) -> list[Entry]:
        return [e for e in self.files if e.kind == "rubric"]


def read_manifest(path: str | os.PathLike[str]) -> Pack:
    """Read and check a ``pack.yaml``; raise InvalidInput with every problem found."""
    p = os.fspath(path)
    doc = yamlio.load(p)
    problems: list[Problem] = []

    def bad(loc: tuple, message: str, code: str = "CD730") -> None:
        problems.append(Problem(p, *doc.locate(loc), "error", code, message))

    data = doc.data
    if not isinstance(data, dict) or "pack" not in data:
        raise InvalidInput([Problem(p, 1, 1, "error", "CD730",
                                    "this is not a cyberdip pack manifest: a `pack.yaml` starts "
                                    f"with `pack: {FORMAT}` (see docs/packs.md)")])
    for key in data:
        if key not in _TOP:
            bad((key,), f"unknown key `{quote(str(key))}` in a pack manifest; it has "
                + ", ".join(f"`{k}`" for k in _TOP))
    if data.get("pack") != FORMAT:
        bad(("pack",), f"`pack:` must be {FORMAT}, the manifest format this cyberdip reads")

    def text(loc: tuple, value, required: bool = True) -> str | None:
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            bad(loc, f"`{loc[-1]}` must be non-empty text" + (
                " (quote a version such as \"2.0\")" if loc[-1] in ("version", "versions")
                else ""))
            return None
        return value

    pid = text(("id",), data.get("id"))
    licence = text(("licence",), data.get("licence"))
    source = text(("source",), data.get("source"))
    title = text(("title",), data.get("title"), required=False)
    versions = data.get("versions")
    if not isinstance(versions, list) or not versions:
        bad(("versions",), "`versions` must list the versions of the rubrics the pack holds")
        versions = []
    versions = [v for i, v in enumerate(versions) if text(("versions", i), v) is not None]
    entries: list[Entry] = []
    files = data.get("files")
    if not isinstance(files, list) or not files:
        bad(("files",), "`files` must list the pack's files, each with its `path`, `kind` and "
            "`sha256`")
        files = []
    seen: dict[str, int] = {}
    for i, item in enumerate(files):
        loc = ("files", i)
        if not isinstance(item, dict):
            bad(loc, "each file is a mapping with `path`, `kind` and `sha256`")
            continue
        kind = item.get("kind")
        if kind not in KINDS:
            bad((*loc, "kind"), "`kind` must be one of " + ", ".join(KINDS))
            continue
        for key in item:
            if key not in _ENTRY[kind]:
                bad((*loc, key), f"unknown key `{quote(str(key))}` for a {kind}; it has "
                    + ", ".join(f"`{k}`" for k in _ENTRY[kind]))
        values = {k: text((*loc, k), item.get(k)) for k in _ENTRY[kind] if k != "kind"}
        if None in values.values():
            continue
        rel = values["path"]
        if not safe_relative(rel):
            bad((*loc, "path"), f"`{quote_path(rel)}` is not a path inside the pack: write it "
                "relative to the folder of pack.yaml, with `/`, and without `..`")
            continue
        if not _SHA.fullmatch(values["sha256"]):
            bad((*loc, "sha256"), "`sha256` must be 64 lowercase hexadecimal digits; "
                f"run `{REFRESH} {Path(p).parent}` to write it")
            continue
        if rel in seen:
            bad((*loc, "path"), f"`{quote_path(rel)}` is listed twice (first as file "
                f"{seen[rel] + 1})")
            continue
        seen[rel] = i
        if kind == "translation" and not safe_relative(values["translates"]):
            bad((*loc, "translates"), "`translates` names the rubric file this translates, "
                "by its path in the pack")
            continue
        line, col = doc.locate(loc)
        entries.append(Entry(rel, kind, values["sha256"], line, col, values.get("id"),
                             values.get("version"), values.get("language"),
                             values.get("translates")))
    rubric_paths = {e.path for e in entries if e.kind == "rubric"}
    for e in entries:
        if e.kind == "translation" and e.translates not in rubric_paths:
            problems.append(Problem(p, e.line, e.col, "error", "CD730",
                                    f"`{quote_path(e.path)}` translates "
                                    f"`{quote_path(e.translates or '')}`, which the pack does "
                                    "not list as a rubric"))
    declared = sorted({e.version for e in entries if e.kind == "rubric" and e.version})
    if entries and not problems and sorted(set(versions)) != declared:
        bad(("versions",), "`versions` must be the versions of the pack's rubrics: "
            + ", ".join(declared or ["none"]))
    if not any(e.kind == "rubric" for e in entries) and not problems:
        bad(("files",), "a pack holds at least one rubric (`kind: rubric`)")
    if problems:
        raise InvalidInput(problems)
    return Pack(Path(p), pid or "", versions, licence or "", source or "", title, entries)


def safe_relative(rel: object) -> bool:
    """A path inside a pack: relative, with ``/``, no ``..``, no empty part."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\x00" in rel:
        return False
    pp = PurePosixPath(rel)
    return (not pp.is_absolute() and ".." not in pp.parts and "" not in rel.split("/")
            and not re.match(r"[A-Za-z]:", rel))


def verify(pack: Pack) -> list[Problem]:
    """Each listed file against the SHA-256 the manifest gives for it: a problem for a
    file that is missing or whose bytes differ (a tampered or edited pack)."""
    problems = []
    where = str(pack.manifest)
    for e in pack.files:
        f = pack.file(e)
        if not os.path.isfile(f):
            problems.append(Problem(where, e.line, e.col, "error", "CD731",
                                    f"the pack lists `{quote_path(e.path)}`, but there is no "
                                    "such file in its folder"))
            continue
        found = file_sha256(f)
        if found != e.sha256:
            problems.append(Problem(
                str(f), 0, 0, "error", "CD731",
                f"this file's bytes do not match the pack's manifest ({where}): expected "
                f"sha256 {e.sha256}, found {found}. The file was changed after the pack was "
                f"made; restore it from the pack's source, or, if you changed it on purpose, "
                f"run `{REFRESH} {pack.folder}` to refresh the manifest"))
    return problems


_INTACT: set[tuple] = set()


def check_intact(pack: Pack) -> None:
    """Refuse a pack whose files do not match its manifest. A pack found intact is not
    hashed again while none of its files changes (``aggregate`` resolves its rubric once
    per assessment)."""
    try:
        key = (str(pack.manifest), *((e.path, e.sha256, *_stat(pack.file(e)))
                                     for e in pack.files))
    except OSError:
        key = None
    if key is not None and key in _INTACT:
        return
    problems = verify(pack)
    if problems:
        raise InvalidInput(problems)
    if key is not None:
        if len(_INTACT) > 64:
            _INTACT.clear()
        _INTACT.add(key)


def _stat(path: Path) -> tuple[int, int, int, int]:
    st = path.stat()
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


# -- the search path ---------------------------------------------------------------------

_OPTION: tuple[str, ...] = ()


def use(dirs: list[str] | tuple[str, ...] | None) -> None:
    """The folders ``--packs`` names for this command (before ``CYBERDIP_PACKS``)."""
    global _OPTION
    _OPTION = tuple(dirs or ())


def search_option() -> tuple[str, ...]:
    return _OPTION


def search_dirs() -> list[tuple[str, str]]:
    """The pack folders to search, in order, each with what named it."""
    out = [(d, "--packs") for d in _OPTION]
    env = os.environ.get(ENV, "")
    out.extend((d, ENV) for d in env.split(os.pathsep) if d.strip())
    return out


def configured() -> bool:
    return bool(_OPTION) or bool(os.environ.get(ENV, "").strip())


def pack_manifests(folder: str) -> list[Path]:
    """The manifests in a folder ``--packs`` names; refuses (CD734, exit 2) a folder
    that does not exist or holds no pack."""
    return _manifests(folder, "--packs")


def _manifests(folder: str, named_by: str) -> list[Path]:
    """The manifests in a search folder: its own, else those of its sub-folders."""
    if not os.path.isdir(folder):
        if named_by == ENV:  # like PATH: a folder that is not there is passed over
            return []
        raise CyberdipError(f"`{quote_path(folder)}` is not a folder of rubric packs: it does "
                            "not exist; name a folder that holds a pack.yaml, or folders that "
                            "do", path=folder, code="CD734", exit_code=2)
    own = Path(folder) / MANIFEST
    if own.is_file():
        return [own]
    found = sorted(p / MANIFEST for p in Path(folder).iterdir()
                   if p.is_dir() and (p / MANIFEST).is_file())
    if not found and named_by == "--packs":
        raise CyberdipError(f"`{quote_path(folder)}` holds no rubric pack: neither it nor a "
                            f"folder in it has a {MANIFEST}; see docs/packs.md",
                            path=folder, code="CD734", exit_code=2)
    return found


_CACHE: dict[tuple, list[Pack]] = {}


def on_path() -> list[Pack]:
    """The packs on the search path, in search order, each read once per process while
    its manifest is unchanged."""
    manifests: list[Path] = []
    for folder, named_by in search_dirs():
        for m in _manifests(folder, named_by):
            if m.resolve() not in {x.resolve() for x in manifests}:
                manifests.append(m)
    key = tuple((str(m), m.stat().st_mtime_ns, m.stat().st_size) for m in manifests)
    if key not in _CACHE:
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = [read_manifest(m) for m in manifests]
    return _CACHE[key]


@dataclass(frozen=True)
class Candidate:
    """A rubric the search path offers: its id and version, its file, where it comes
    from (``built-in`` or the pack's folder), and its content hash."""

    id: str
    version: str
    path: Path
    origin: str
    sha256: str
    pack: Pack | None = None


def _place(c: Candidate) -> str:
    return "a built-in rubric" if c.pack is None else f"in the pack {c.origin}"


def version_key(version: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.split(r"[.+-]", version))


def candidates(builtins: list[tuple[str, str, Path]]) -> list[Candidate]:
    """Every rubric on the search path: the built-ins ``(id, version, path)`` first, then
    each pack's. The same id and version twice is kept once when the bytes are the same
    and refused (CD732) when they differ, naming both places: built-ins win, but never
    silently over a different rubric of the same name."""
    packs = on_path()
    wanted = {(e.id, e.version) for p in packs for e in p.rubrics()}
    out: list[Candidate] = [
        Candidate(rid, version, path, "built-in",
                  file_sha256(path) if (rid, version) in wanted else "")
        for rid, version, path in builtins]
    seen = {(c.id, c.version): c for c in out}
    problems = []
    for pack in packs:
        for e in pack.rubrics():
            c = Candidate(e.id or "", e.version or "", pack.file(e), str(pack.folder),
                          e.sha256, pack)
            first = seen.get((c.id, c.version))
            if first is None:
                seen[(c.id, c.version)] = c
                out.append(c)
            elif first.sha256 != c.sha256:
                problems.append(Problem(
                    str(pack.manifest), e.line, e.col, "error", "CD732",
                    f"`{quote(c.id)}` {quote(c.version)} is both {_place(first)} "
                    f"({first.path}, sha256 {first.sha256[:12]}…) and in this pack "
                    f"({c.path}, sha256 {c.sha256[:12]}…), with different contents; give the "
                    "pack's rubric a new version (or its own id), or take the pack off the "
                    "search path"))
    if problems:
        raise InvalidInput(problems)
    return out


__all__ = ["ENV", "KINDS", "MANIFEST", "REFRESH", "Candidate", "Entry", "Pack", "candidates",
           "check_intact", "configured", "on_path", "pack_manifests", "read_manifest",
           "safe_relative", "search_dirs", "search_option", "use", "verify", "version_key"]
