"""Validate rubric and assessment files: yields located problems, never prints."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cyberdip.errors import CyberdipError, InvalidInput, Problem, UnreadableInput
from cyberdip.formats import documents, packs
from cyberdip.textsafe import quote, quote_path


@dataclass
class FileResult:
    path: str
    kind: str | None = None
    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False
    #: for a translation: how much of its rubric it covers (model.translation.Coverage)
    coverage: Any = None
    language: str | None = None
    #: for a translation: it says it covers only part of its rubric (``partial: true``)
    partial: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]


def validate_file(path: str) -> FileResult:
    result = FileResult(path)
    if os.path.basename(path) == packs.MANIFEST:
        return validate_manifest(path)
    try:
        doc = documents.load(path, keep_going=True)
        # duplicate keys do not stop the checks: report them with everything else
        result.problems.extend(doc.problems)
        result.kind = documents.detect_kind(doc)
        if result.kind == "rubric":
            from cyberdip.model import loading

            loading.rubric_from_document(doc)
        elif result.kind == "translation":
            translation, problems = documents.check_translation(doc)
            result.problems.extend(problems)
            if translation is not None:
                result.coverage = translation.coverage
                result.language = translation.language
                result.partial = translation.partial
        else:

            result.problems.extend(documents.check_assessment(doc).problems)
    except UnreadableInput as e:
        result.unreadable = True
        result.problems.append(e.problem())
    except InvalidInput as e:
        result.problems.extend(e.problems)
    except CyberdipError as e:
        result.problems.append(e.problem())
    result.problems = sorted(set(result.problems), key=lambda p: (p.line, p.col, p.code, p.message))
    return result


def validate_manifest(path: str) -> FileResult:
    """A pack's manifest: its form, each listed file's bytes against its hash, what it
    says of each file against the file itself, and the pack's files it does not list.
    The files themselves (rubrics, translations against their rubric, examples against
    theirs) are checked as files of their own: ``validate_paths`` adds them."""
    result = FileResult(path, kind="pack")
    try:
        pack = packs.read_manifest(path)
    except UnreadableInput as e:
        result.unreadable = True
        result.problems.append(e.problem())
        return result
    except InvalidInput as e:
        result.problems.extend(e.problems)
        return result
    result.problems.extend(packs.verify(pack))
    for e in pack.files:
        f = pack.file(e)
        if os.path.isfile(f):
            result.problems.extend(_entry_problems(pack, e, str(f)))
    listed = {os.path.normpath(pack.file(e)) for e in pack.files}
    for f in documents.collect([str(pack.folder)]):
        if os.path.basename(f) != packs.MANIFEST and os.path.normpath(f) not in listed:
            result.problems.append(Problem(
                path, 0, 0, "warning", "CD735",
                f"`{quote_path(os.path.relpath(f, pack.folder))}` is in the pack's folder but "
                f"not in its manifest; run `{packs.REFRESH} {pack.folder}` to list it"))
    result.problems = sorted(set(result.problems), key=lambda p: (p.line, p.col, p.code, p.message))
    return result


def _entry_problems(pack: packs.Pack, e: packs.Entry, f: str) -> list[Problem]:
    """What the manifest says of one file against what the file is (CD736)."""
    try:
        doc = documents.load(f)
        kind = documents.detect_kind(doc)
    except CyberdipError:
        return []  # the file's own check reports it
    data = doc.data
    said: list[tuple[str, object, object]] = [
        ("kind", e.kind, {"assessment": "example"}.get(kind, kind))]
    if e.kind == "rubric" and kind == "rubric":
        said += [("id", e.id, data.get("id")), ("version", e.version, str(data.get("version")))]
    if e.kind == "translation" and kind == "translation":
        said += [("language", e.language, data.get("language"))]
        rubric = next((r for r in pack.rubrics() if r.path == e.translates), None)
        if rubric is not None:
            said += [("translates", rubric.id, data.get("translates"))]
    out = []
    for key, manifest, file in said:
        if manifest != file:
            out.append(Problem(str(pack.manifest), e.line, e.col, "error", "CD736",
                               f"the manifest says `{quote_path(e.path)}` has {key} "
                               f"`{quote(str(manifest))}`, but the file has "
                               f"`{quote(str(file))}`; run `{packs.REFRESH} {pack.folder}`"))
    return out


def pack_files(manifest: str) -> list[str]:
    """The files a pack's manifest names, with the manifest first: ``validate pack.yaml``
    checks the whole pack."""
    try:
        pack = packs.read_manifest(manifest)
    except CyberdipError:  # every file of its folder, then: each is checked all the same
        return [manifest, *(f for f in documents.collect([str(Path(manifest).parent)])
                            if os.path.basename(f) != packs.MANIFEST)]
    return [manifest, *(str(pack.file(e)) for e in pack.files if os.path.isfile(pack.file(e)))]


def coverage_line(r: FileResult) -> str:
    """How much of its rubric a translation covers, said once per file: a note for a
    translation marked partial (its untranslated strings are then no warning)."""
    c = r.coverage
    if r.partial:
        return (f"{r.path}: note: a partial {r.language} translation (`partial: true`): it "
                f"covers {c.translated} of {c.total} rubric strings ({c.percent:g}%); the "
                f"other {c.total - c.translated} are shown in English, marked EN; "
                f"{c.stale} stale")
    return (f"{r.path}: {r.language} translation covers {c.translated} of {c.total} "
            f"rubric strings ({c.percent:g}%); {c.stale} stale, {c.missing} missing")


def validate_paths(paths: list[str], *, map_: Callable = map) -> list[FileResult]:
    """Validate every file (folders expand to their YAML files), collecting all problems.

    ``map_`` runs ``validate_file`` over the files, in order: the CLI passes one that
    uses every core for many files.
    """
    results: list[FileResult] = []
    files: list[str] = []
    empty: dict[int, list[str]] = {}  # folders with no files, by where they stood
    for p in paths:
        found = (pack_files(p) if os.path.basename(p) == packs.MANIFEST and os.path.isfile(p)
                 else documents.collect([p]))
        if not found:
            empty.setdefault(len(files), []).append(p)
        files.extend(f for f in found if f not in files)
    # the packs being checked are on the search path while they are: an example may
    # name its rubric by the id its pack gives it
    folders = [str(Path(f).parent) for f in files
               if os.path.basename(f) == packs.MANIFEST and _readable_manifest(f)]
    before = packs.search_option()
    if folders:
        packs.use([*before, *folders])
    try:
        checked = list(map_(validate_file, files))
    finally:
        packs.use(before)
    for i in range(len(files) + 1):
        for p in empty.get(i, []):
            results.append(FileResult(p, problems=[Problem(
                p, 0, 0, "error", "CD002", "no .yaml or .yml files in this folder")],
                unreadable=True))
        if i < len(files):
            results.append(checked[i])
    return results


def _readable_manifest(path: str) -> bool:
    try:
        packs.read_manifest(path)
    except CyberdipError:
        return False
    return True


def exit_code(results: list[FileResult], *, fail_on_warning: bool = False) -> int:
    """2 when a file cannot be read; 1 when one is invalid, or (``fail_on_warning``) has
    a warning; else 0."""
    if any(r.unreadable for r in results):
        return 2
    if any(r.errors for r in results):
        return 1
    if fail_on_warning and any(r.problems for r in results):
        return 1
    return 0
