"""Validate rubric and assessment files: yields located problems, never prints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cyberdip.errors import CyberdipError, InvalidInput, Problem, UnreadableInput
from cyberdip.formats import documents


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
        found = documents.collect([p])
        if not found:
            empty.setdefault(len(files), []).append(p)
        files.extend(found)
    checked = list(map_(validate_file, files))
    for i in range(len(files) + 1):
        for p in empty.get(i, []):
            results.append(FileResult(p, problems=[Problem(
                p, 0, 0, "error", "CD002", "no .yaml or .yml files in this folder")],
                unreadable=True))
        if i < len(files):
            results.append(checked[i])
    return results


def exit_code(results: list[FileResult]) -> int:
    if any(r.unreadable for r in results):
        return 2
    if any(r.errors for r in results):
        return 1
    return 0
