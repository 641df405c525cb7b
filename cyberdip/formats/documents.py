"""Finding, identifying and loading rubric and assessment files.

This is the seam between files on disk and the models: it knows where the
built-in rubrics live, how to tell a rubric from an assessment, and how an
assessment names its rubric. It never prints.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from cyberdip import yamlio
from cyberdip.errors import CyberdipError, InvalidInput, Problem, UnreadableInput
from cyberdip.textsafe import quote, quote_path

Kind = Literal["rubric", "assessment", "translation"]

YAML_SUFFIXES = (".yaml", ".yml")


def builtin_dir() -> Path:
    """Where the built-in rubrics are: inside the wheel, or ``rubrics/`` in a checkout."""
    packaged = resources.files("cyberdip") / "rubrics"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "rubrics"


#: A built-in rubric's file stem: its id, and for an older installed version
#: ``@MAJOR`` or ``@MAJOR.MINOR`` (``cyberdip-core@1``, ``cyberdip-core@2.0``).
_BUILTIN_STEM = re.compile(r"[a-z0-9][a-z0-9-]*(?:@[0-9]+(?:\.[0-9]+)?)?")
#: A translation's file name: the rubric's stem, then ``.LANG`` (``cyberdip-core.ur.yaml``).
_TRANSLATION_NAME = re.compile(r"(?P<stem>.+)\.[A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*\.ya?ml")


@lru_cache(maxsize=1)
def builtin_paths() -> dict[str, Path]:
    """Built-in rubric ids mapped to their files (the file stem is the id)."""
    folder = builtin_dir()
    if not folder.is_dir():
        return {}
    # a rubric's translations sit beside it (`cyberdip-core.ur.yaml`); their stem is not
    # a rubric id (a language follows the last dot), so they are never taken for rubrics
    # `pack.yaml` is the built-in pack's manifest (docs/packs.md), not a rubric
    return {p.stem: p for p in sorted(folder.iterdir())
            if p.suffix in YAML_SUFFIXES and _BUILTIN_STEM.fullmatch(p.stem)
            and p.name != "pack.yaml"}


def _builtin_version(path: Path) -> str | None:
    """The ``version:`` a built-in rubric file declares, read from its top-level line
    (built-ins are ours and keep it there), without parsing the whole file."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"version:\s*['\"]?([0-9][0-9A-Za-z.+-]*)", line)
            if m:
                return m.group(1)
    return None


def kind_of_keys(keys) -> Kind | None:
    """What a mapping with these top-level keys is, or None when it is neither."""
    if "translates" in keys:
        return "translation"
    if "answers" in keys or "rubric" in keys:
        return "assessment"
    if "areas" in keys or "scale" in keys:
        return "rubric"
    return None


def detect_kind(doc: yamlio.Document) -> Kind:
    kind = kind_of_keys(doc.data) if isinstance(doc.data, dict) else None
    if kind is None:
        raise InvalidInput([_not_ours(doc.path, None)])
    return kind


#: The first bytes of files people give us by mistake, and what to do instead.
_OTHER_FORMATS: list[tuple[bytes, str]] = [
    (b"PK\x03\x04", "a spreadsheet workbook or another zip file; cyberdip reads sheets "
                     "saved as CSV UTF-8: save it as CSV, then run `cyberdip import FILE.csv "
                     "-o assessment.yaml`"),
    (b"%PDF", "a PDF document, not a YAML file"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.xls or .doc), not a YAML file"),
]


def not_yaml(data: bytes, path: str) -> Problem | None:
    """A one-line problem when ``data`` is plainly another kind of file, else None.

    Nothing of the file is quoted: it is not what it was named as.
    """
    head = data[:8]
    for magic, what in _OTHER_FORMATS:
        if head.startswith(magic):
            return Problem(path, 0, 0, "error", "CD004", f"this is {what}")
    if _looks_like_sheet(data) or path.lower().endswith((".csv", ".tsv")):
        return Problem(path, 0, 0, "error", "CD004",
                       "this is a questionnaire sheet, not an assessment: run `cyberdip import "
                       f"{path} -o assessment.yaml` to turn it into one")
    return None


def _looks_like_sheet(data: bytes) -> bool:
    """A questionnaire sheet made by ``cyberdip init --format csv``: its details rows
    (``rubric,…``) above a table whose heading row starts with ``id``."""
    text = data[:4096].decode("utf-8", "replace").lstrip("\ufeff")
    lines = [ln.strip().lower() for ln in text.splitlines() if ln.strip()]
    heads = [ln.split(",", 1)[0].split(";", 1)[0].strip('" ') for ln in lines[:40]]
    return "rubric" in heads and "id" in heads and any(
        ln.startswith(("rubric,", "rubric;", '"rubric"')) for ln in lines)


def load(path: str | os.PathLike[str], *, expect: Kind | None = None,
         keep_going: bool = False, data: bytes | None = None) -> yamlio.Document:
    """Read a rubric or assessment file, refusing what is plainly something else.

    A file that is not recognisably a cyberdip document gets one line saying so, and
    nothing from it is quoted, neither keys nor values: a path given by mistake (or
    by someone else, in an assessment's ``rubric:``) must not leak its contents.
    With ``expect``, the file must be that kind. ``data``: the file's bytes, when the
    caller has read them already (with ``yamlio.read_bytes``).
    """
    p = os.fspath(path)
    if data is None:
        data = yamlio.read_bytes(p)
    other = not_yaml(data, p)
    if other is not None:
        raise InvalidInput([other])
    try:
        doc = yamlio.parse(data, p, keep_going=keep_going)
    except InvalidInput as e:
        keys = getattr(e, "top_keys", None)
        if keys is not None and kind_of_keys(keys) is None:
            raise InvalidInput([_not_ours(p, expect)]) from None
        if expect == "rubric" and keys is None:
            # a syntax error: the parser's words quote nothing, but say what to run
            raise InvalidInput([Problem(p, 0, 0, "error", "CD004",
                                        f"is not a usable cyberdip rubric: it is not valid YAML "
                                        f"(run `cyberdip validate {p}` for details)")]) from None
        raise
    if isinstance(doc.data, dict) and FORM_KEY in doc.data:
        doc = unwrap_form(doc)
    kind = kind_of_keys(doc.data) if isinstance(doc.data, dict) else None
    if kind is None or (expect is not None and kind != expect):
        raise InvalidInput([_not_ours(p, expect, kind)])
    # the one content hash (formats/digest.py), of the very bytes just parsed
    doc.sha256 = hashlib.sha256(data).hexdigest()  # type: ignore[attr-defined]
    return doc


# -- the answers an offline form saves ----------------------------------------------------

#: The key that marks the answers an offline form saved (``cyberdip init -o x.html``).
FORM_KEY = "cyberdip_form"
#: The versions of that file this cyberdip reads.
FORM_VERSIONS = (1,)


def unwrap_form(doc: yamlio.Document) -> yamlio.Document:
    """The assessment inside the answers an offline form saved, located in the file
    itself, with the envelope (what the form was made from) kept as ``wrapper``."""
    import yaml

    data = doc.data
    version = data.get(FORM_KEY)
    line, col = doc.locate((FORM_KEY,))
    if version not in FORM_VERSIONS:
        raise InvalidInput([Problem(doc.path, line, col, "error", "CD740",
                                    "these answers were saved by a newer offline form than "
                                    "this cyberdip reads; update cyberdip")])
    made = data.get("rubric")
    inner = data.get("assessment")
    node = None
    if isinstance(doc.root, yaml.MappingNode):
        node = next((v for k, v in reversed(doc.root.value)
                     if isinstance(k, yaml.ScalarNode) and k.value == "assessment"), None)
    if not (isinstance(made, dict) and isinstance(inner, dict) and node is not None
            and all(isinstance(made.get(k), str) for k in ("id", "version", "sha256"))):
        raise InvalidInput([Problem(doc.path, line, col, "error", "CD740",
                                    "this is not a complete file of answers saved by the "
                                    "offline form (it needs `rubric` with id, version and "
                                    "sha256, and `assessment`); save the answers again from "
                                    "the form")])
    return yamlio.Document(doc.path, inner, node, doc.problems,
                           wrapper={"rubric": dict(made), "line": line, "col": col})


def _form_pin(doc: yamlio.Document, rubric: Any) -> list[Problem]:
    """Whether the rubric found is the one the form was made from: the same id and
    version (CD741), and the same file, byte for byte (CD742, the hash of its bytes that
    the rubric keeps, as a pin's check uses)."""
    made = doc.wrapper["rubric"]  # type: ignore[index]
    line, col = doc.wrapper["line"], doc.wrapper["col"]  # type: ignore[index]
    if (made["id"], made["version"]) != (rubric.id, rubric.version):
        minor = ".".join(made["version"].split(".")[:2])
        return [Problem(doc.path, line, col, "error", "CD741",
                        f"these answers were given in a form made from `{quote(made['id'])}` "
                        f"{quote(made['version'])}, but the rubric found is `{rubric.id}` "
                        f"{rubric.version}; read them against the rubric they answer "
                        f"(`--rubric {quote(made['id'])}@{quote(minor)}`), or have them "
                        "given again in a form made from this rubric")]
    found = rubric.file_sha256
    if found != made["sha256"]:
        return [Problem(doc.path, line, col, "error", "CD742",
                        f"the rubric `{rubric.id}` {rubric.version} has changed since the "
                        f"form was made (its file's sha256 is {found[:12]}…, the form's "
                        f"{quote(made['sha256'][:12])}…); read the answers against the "
                        "rubric file the form was made from")]
    return []


def _not_ours(path: str, expect: Kind | None, kind: Kind | None = None) -> Problem:
    if expect is not None and kind is not None:
        return Problem(path, 1, 1, "error", "CD004", f"this is {'an' if kind[0] == 'a' else 'a'} "
                       f"{kind}, not {'an' if expect[0] == 'a' else 'a'} {expect}")
    if expect is None:
        return Problem(path, 1, 1, "error", "CD004",
                       "cannot tell what this file is: a rubric has `areas` and `scale`, "
                       "an assessment has `rubric` and `answers`")
    hint = {"rubric": "a rubric has `areas` and `scale`",
            "assessment": "an assessment has `rubric` and `answers`",
            "translation": "a translation has `translates`, `language` and `status`"}[expect]
    return Problem(path, 0, 0, "error", "CD004", f"`{path}` is not a cyberdip {expect} ({hint})")


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
    """Load and fully check a rubric file; a built-in rubric, byte for byte, comes from
    its checked copy (``checked_rubrics``). The rubric keeps the SHA-256 of the file's
    bytes (``Rubric.file_sha256``), which every scorecard records and a pin checks."""
    import hashlib

    from cyberdip.formats import checked_rubrics
    from cyberdip.model import loading

    data = yamlio.read_bytes(path)
    checked = checked_rubrics.lookup(data)
    if checked is not None:
        checked.set_file_sha256(hashlib.sha256(data).hexdigest())
        return checked
    doc = load(path, expect="rubric", data=data)
    rubric = loading.rubric_from_document(doc)
    rubric.set_file_sha256(doc.sha256)  # type: ignore[attr-defined]
    return rubric


def resolve_rubric(ref: str, *, relative_to: str | None = None,
                   version: str | None = None) -> Path:
    """A rubric named by built-in id, or by a path (relative to the assessment's folder).

    Several versions of a built-in rubric are installed side by side: the file
    ``ID.yaml`` is the newest, ``ID@1.yaml`` holds version 1 and ``ID@2.0.yaml``
    version 2.0. ``ID@1`` and ``ID@2.0`` name those; ``ID@MAJOR`` or
    ``ID@MAJOR.MINOR`` that no older file holds names the newest when its version
    matches (``ID@2.1``, ``ID@2``). A plain ``ID`` answered at ``version`` (an
    assessment's ``rubric_version``) takes the installed file of that major.minor
    version, else of that major version, else the newest, so an old assessment still
    scores on the rubric it answered.

    With packs on the search path (``formats/packs.py``), an id is looked for among the
    built-ins and the packs together, by the same rules; for the same id and version
    the built-in wins, and a pack's rubric is used only while its pack is intact.
    """
    builtins = builtin_paths()
    if _BUILTIN_STEM.fullmatch(ref) and (_base_id(ref) not in builtins
                                         or _in_packs(_base_id(ref))):
        found = _from_packs(ref, version)
        if found is not None:
            return found
    if ref in builtins:
        if version:
            parts = version.split(".")
            for older in dict.fromkeys((f"{ref}@{'.'.join(parts[:2])}", f"{ref}@{parts[0]}")):
                if older in builtins:
                    return builtins[older]
        return builtins[ref]
    base, at, wanted = ref.partition("@")
    if at and base in builtins and re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", wanted):
        newest = _builtin_version(builtins[base]) or ""
        if newest == wanted or newest.startswith(wanted + "."):
            return builtins[base]
    candidates = [Path(ref)]
    if relative_to is not None and not os.path.isabs(ref):
        candidates.insert(0, Path(relative_to).parent / ref)
    for c in candidates:
        # os.path.isfile, not Path.is_file: a `rubric:` value longer than the OS allows
        # for a file name makes stat() raise ENAMETOOLONG, which Path.is_file passes on
        if os.path.isfile(c):
            return c
    known = ", ".join(sorted(builtins)) or "none"
    from cyberdip.formats import packs

    in_packs = ""
    if packs.configured():
        ids = sorted({c.id for c in rubric_candidates() if c.pack is not None})
        in_packs = f", nor in a rubric pack on the search path ({', '.join(ids) or 'none'})"
    raise CyberdipError(
        f"rubric `{quote_path(ref)}` not found: it is neither a built-in rubric ({known})"
        f"{in_packs} nor a file",
        code="CD306", exit_code=1)


def _base_id(ref: str) -> str:
    return ref.partition("@")[0]


def _in_packs(rid: str) -> bool:
    from cyberdip.formats import packs

    return packs.configured() and any(e.id == rid for p in packs.on_path() for e in p.rubrics())


def rubric_candidates():
    """Every rubric the built-ins and the packs on the search path offer
    (``packs.Candidate``), built-ins first; refuses a conflict (CD732)."""
    from cyberdip.formats import packs

    builtins = [(stem.partition("@")[0], _builtin_version(path) or "", path)
                for stem, path in builtin_paths().items()]
    if not packs.configured():
        return [packs.Candidate(rid, v, path, "built-in", "") for rid, v, path in builtins]
    return packs.candidates(builtins)


def _from_packs(ref: str, version: str | None) -> Path | None:
    """The file a rubric id names among the built-ins and the packs, or None when no
    pack offers that id. The rules are ``resolve_rubric``'s, over the versions of all."""
    from cyberdip.formats import packs

    if not packs.configured():
        return None
    base, at, wanted = ref.partition("@")
    if at and not re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", wanted):
        return None
    offered = [c for c in rubric_candidates() if c.id == base]
    if not any(c.pack is not None for c in offered):
        return None

    def newest(cands):
        return max(cands, key=lambda c: packs.version_key(c.version)) if cands else None

    def within(prefix: str):
        return [c for c in offered if c.version == prefix or c.version.startswith(prefix + ".")]

    if at:
        chosen = newest(within(wanted))
    elif version:
        parts = version.split(".")
        chosen = (next((c for c in offered if c.version == version), None)
                  or newest(within(".".join(parts[:2]))) or newest(within(parts[0]))
                  or newest(offered))
    else:
        chosen = newest(offered)
    if chosen is None:
        return None
    if chosen.pack is not None:
        packs.check_intact(chosen.pack)
    return chosen.path


def is_rubric_id(ref: str) -> bool:
    """Whether ``ref`` names a rubric by id (a built-in, or one in a pack on the search
    path) rather than by path: a file written names such a rubric by its id."""
    return ref in builtin_paths() or (_from_packs(ref, None) is not None)


@lru_cache(maxsize=16)
def _cached_rubric(path: str, mtime: float, size: int):
    return load_rubric_file(path)


def rubric_at(path: Path):
    """Load a rubric once per process, even when a thousand assessments name it."""
    st = path.stat()
    # an input of this command even when the cache spares reading it again
    yamlio.READ_FILES.add((st.st_dev, st.st_ino))
    return _cached_rubric(str(path), st.st_mtime, st.st_size)


def get_rubric(ref: str, *, relative_to: str | None = None):
    return rubric_at(resolve_rubric(ref, relative_to=relative_to))


# -- assessments with their rubric ----------------------------------------------------


@dataclass
class Checked:
    """An assessment with the rubric it answers and every problem found."""

    path: str
    assessment: Any = None  # model.assessment.Assessment
    rubric: Any = None  # model.rubric.Rubric
    rubric_path: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]


def check_assessment(doc: yamlio.Document, *, rubric_ref: str | None = None) -> Checked:
    """Validate ``doc`` as an assessment, find its rubric, and check it against it."""
    from cyberdip.model import assessment as amod

    result = Checked(doc.path)
    a, problems = amod.validate(doc)
    result.problems.extend(problems)
    keep = None  # for a file the schema refused: which further problems to keep
    if a is None:
        # every problem in one run: check what the schema did not refuse
        from cyberdip.model.salvage import salvage_assessment

        salvaged = salvage_assessment(doc) if problems else None
        if salvaged is None:
            return result
        a, keep = salvaged
    else:
        result.assessment = a
    ref = rubric_ref or a.rubric
    if keep is not None:
        further = _check_against_rubric(Checked(doc.path), doc, a, ref, rubric_ref)
        result.problems.extend(keep(further.problems))
        result.problems.sort(key=lambda p: (p.line, p.col))  # in the file's order
        return result
    return _check_against_rubric(result, doc, a, ref, rubric_ref)


def _check_against_rubric(result: Checked, doc: yamlio.Document, a: Any, ref: str,
                          rubric_ref: str | None) -> Checked:
    from cyberdip.model import assessment as amod

    try:
        path = resolve_rubric(ref, relative_to=None if rubric_ref else doc.path,
                              version=a.rubric_version)
        result.rubric_path = str(path)
        result.rubric = rubric_at(path)
    except InvalidInput as e:
        line, col = doc.locate(("rubric",))
        if any(p.code in ("CD730", "CD731", "CD732") for p in e.problems):
            # a pack on the search path is damaged or conflicts: its own located problems
            result.problems.extend(e.problems)
            return result
        if e.problems[0].code in ("CD004", "CD002", "CD003"):  # not a rubric at all
            msg = f"the rubric `{quote_path(ref)}` cannot be used: {e.problems[0].message}"
        else:
            shown = quote_path(ref)
            msg = (f"the rubric `{shown}` is invalid; run `cyberdip validate {shown}` "
                   f"({len(e.problems)} problem(s))")
        result.problems.append(Problem(doc.path, line, col, "error", "CD306", msg))
        return result
    except CyberdipError as e:
        line, col = doc.locate(("rubric",))
        msg = e.message if e.code in ("CD306", "CD734") else (
            f"the rubric `{quote_path(ref)}` cannot be used: {e.message}")
        if doc.wrapper is not None:  # a saved form travels without its rubric file
            msg += (" beside these answers; name the rubric file the form was made from "
                    "with --rubric")
        result.problems.append(Problem(doc.path, line, col, "error",
                                       "CD734" if e.code == "CD734" else "CD306", msg))
        return result
    if doc.wrapper is not None:
        result.problems.extend(_form_pin(doc, result.rubric))
    result.problems.extend(amod.check(a, result.rubric, doc))
    pin = getattr(a, "rubric_sha256", None)
    if pin and rubric_ref is None:
        result.problems.extend(check_pin(doc, pin, result.rubric, path))
    return result


def check_pin(doc: yamlio.Document, pin: str, rubric: Any, path: Path) -> list[Problem]:
    """An assessment's ``rubric_sha256`` against the bytes of the rubric file found for
    it (CD733): a rubric whose content changed since the pin is refused. ``--rubric``,
    which scores on another rubric on purpose, sets the pin aside."""
    found = rubric.file_sha256
    if found == pin:
        return []
    line, col = doc.locate(("rubric_sha256",))
    return [Problem(doc.path, line, col, "error", "CD733",
                    f"this assessment pins its rubric to sha256 {pin}, but the rubric found "
                    f"for it, `{rubric.id}` {rubric.version} at {path}, has sha256 {found}: "
                    "its content changed since the pin was written. Score on the pinned "
                    "rubric (put the pack that holds it on the search path with --packs or "
                    f"CYBERDIP_PACKS), or, if the change is intended, set `rubric_sha256: "
                    f"{found}` (or remove the pin)")]


def load_assessment(path: str, *, rubric_ref: str | None = None) -> Checked:
    """Load an assessment and its rubric; raise InvalidInput when there are errors."""
    doc = load(path)
    if detect_kind(doc) != "assessment":
        raise InvalidInput([Problem(path, 1, 1, "error", "CD004",
                                    "this is a rubric, not an assessment; score an assessment "
                                    "(make one with `cyberdip init`)")])
    checked = check_assessment(doc, rubric_ref=rubric_ref)
    if checked.errors:
        raise InvalidInput(checked.problems)
    return checked


# -- translations of a rubric ----------------------------------------------------------


def translation_path(rubric_path: str | os.PathLike[str], lang: str) -> Path:
    """Where the ``lang`` translation of the rubric at ``rubric_path`` lives: beside it,
    ``NAME.LANG.yaml``."""
    p = Path(rubric_path)
    return p.with_name(f"{p.stem}.{lang}{p.suffix}")


def check_translation(doc: yamlio.Document, rubric_path: Path | None = None):
    """Check a translation against the rubric it names (found like an assessment's:
    a built-in id, else the rubric file beside it). Returns ``(translation, problems)``."""
    from cyberdip.model import translation as tmod

    data = doc.data
    ref = data.get("translates") if isinstance(data, dict) else None
    if rubric_path is None:
        if not isinstance(ref, str):
            return None, [Problem(doc.path, *doc.locate(("translates",)), "error", "CD103",
                                  "a translation needs `translates:` (the id of the rubric "
                                  "it translates)")]
        named = _TRANSLATION_NAME.fullmatch(Path(doc.path).name)
        beside = Path(doc.path).with_name((named.group("stem") if named else
                                           Path(doc.path).name.split(".")[0])
                                          + Path(doc.path).suffix)
        try:
            rubric_path = beside if beside.is_file() and beside != Path(doc.path) \
                else resolve_rubric(ref)
        except CyberdipError as e:
            line, col = doc.locate(("translates",))
            return None, [Problem(doc.path, line, col, "error", "CD306", e.message)]
    try:
        rubric = rubric_at(Path(rubric_path))
    except InvalidInput as e:
        line, col = doc.locate(("translates",))
        return None, [Problem(doc.path, line, col, "error", "CD306",
                              f"the rubric `{quote_path(ref)}` is invalid; run `cyberdip validate "
                              f"{rubric_path}` ({len(e.problems)} problem(s))")]
    return tmod.check(doc, rubric)


def load_translation_for(rubric: Any, rubric_path: str | None, lang: str):
    """The ``lang`` translation beside the rubric and its problems, or None when there
    is no such file."""
    from cyberdip.model import translation as tmod

    if rubric_path is None:
        return None
    path = translation_path(rubric_path, lang)
    if not path.is_file():
        return None
    doc = load(path)
    if not tmod.is_translation(doc.data):
        raise InvalidInput([_not_ours(str(path), "translation")])
    translation, problems = tmod.check(doc, rubric)
    if translation is not None and translation.language != lang:
        line, col = doc.locate(("language",))
        problems.append(Problem(str(path), line, col, "error", "CD106",
                                f"this file is named as the `{quote(lang)}` translation but says "
                                f"`language: {translation.language}`"))
    return translation, problems


__all__ = [
    "Checked", "check_assessment", "load_assessment",
    "CyberdipError", "InvalidInput", "UnreadableInput", "builtin_paths", "collect",
    "detect_kind", "get_rubric", "load_rubric_file", "resolve_rubric", "rubric_at",
]
