"""Write (or refresh) a rubric pack's manifest, ``pack.yaml`` (docs/packs.md).

    python -m cyberdip.formats.pack_manifest FOLDER...            # rewrite what changed
    python -m cyberdip.formats.pack_manifest --check FOLDER...    # exit 1 when stale
    python -m cyberdip.formats.pack_manifest FOLDER --id ID --licence L --source S

Every ``*.yaml``/``*.yml`` file under the folder (but the manifest and hidden files)
is listed with its kind, found from its content: a rubric (with its id and version), a
translation (with its language and the rubric file it translates), or an example
assessment, and the SHA-256 of its bytes. The pack's ``id``, ``title``, ``licence``
and ``source`` are kept from the manifest there is, unless given; a new manifest
needs ``--licence`` and ``--source``, and ``--id`` when its rubrics have several ids.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from cyberdip.errors import CyberdipError, InvalidInput
from cyberdip.formats import documents, packs
from cyberdip.formats.digest import file_sha256

HEADER = ("# A cyberdip rubric pack (docs/packs.md). After changing a file of the pack,\n"
          f"# refresh this manifest: {packs.REFRESH} FOLDER\n")


def _s(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _files(folder: Path) -> list[Path]:
    return sorted((p for p in folder.rglob("*")
                   if p.suffix in documents.YAML_SUFFIXES and p.is_file()
                   and p.name != packs.MANIFEST
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts)),
                  key=lambda p: p.relative_to(folder).as_posix())


def manifest_text(folder: str | os.PathLike[str], *, pack_id: str | None = None,
                  title: str | None = None, licence: str | None = None,
                  source: str | None = None) -> str:
    """The manifest the pack in ``folder`` should have."""
    folder = Path(folder)
    old = None
    if (folder / packs.MANIFEST).is_file():
        try:
            old = packs.read_manifest(folder / packs.MANIFEST)
        except InvalidInput:
            old = None
    rows: list[dict] = []
    for path in _files(folder):
        rel = path.relative_to(folder).as_posix()
        doc = documents.load(path)
        data = doc.data
        kind = documents.detect_kind(doc)
        row = {"path": rel}
        if kind == "rubric":
            row.update(kind="rubric", id=str(data.get("id")), version=str(data.get("version")))
        elif kind == "translation":
            row.update(kind="translation", language=str(data.get("language")),
                       translates=_translated(folder, path, data))
        else:
            row.update(kind="example")
        row["sha256"] = file_sha256(path)
        rows.append(row)
    rubrics = [r for r in rows if r["kind"] == "rubric"]
    if not rubrics:
        raise CyberdipError(f"{folder} holds no rubric, so it is not a pack",
                            path=str(folder), code="CD730", exit_code=1)
    ids = sorted({r["id"] for r in rubrics})
    pack_id = pack_id or (old.id if old else None) or (ids[0] if len(ids) == 1 else None)
    title = title or (old.title if old else None)
    licence = licence or (old.licence if old else None)
    source = source or (old.source if old else None)
    if not pack_id or not licence or not source:
        missing = [n for n, v in (("--id", pack_id), ("--licence", licence),
                                  ("--source", source)) if not v]
        raise CyberdipError(f"a new manifest needs {', '.join(missing)}", path=str(folder),
                            code="CD730", exit_code=2)
    versions = sorted({r["version"] for r in rubrics}, key=packs.version_key, reverse=True)
    lines = [HEADER.rstrip("\n"), f"pack: {packs.FORMAT}", f"id: {_s(pack_id)}"]
    if title:
        lines.append(f"title: {_s(title)}")
    lines += [f"versions: [{', '.join(_s(v) for v in versions)}]", f"licence: {_s(licence)}",
              f"source: {_s(source)}", "files:"]
    for row in rows:
        first = True
        for key, value in row.items():
            lines.append(f"  {'- ' if first else '  '}{key}: "
                         + (value if key in ("kind", "sha256") else _s(value)))
            first = False
    return "\n".join(lines) + "\n"


def _translated(folder: Path, path: Path, data: dict) -> str:
    """The rubric file a translation translates: ``NAME.yaml`` beside ``NAME.LANG.yaml``,
    else the pack's rubric with the id it names."""
    named = documents._TRANSLATION_NAME.fullmatch(path.name)
    if named:
        beside = path.with_name(named.group("stem") + path.suffix)
        if beside.is_file():
            return beside.relative_to(folder).as_posix()
    for other in _files(folder):
        d = documents.load(other).data
        if documents.kind_of_keys(d) == "rubric" and d.get("id") == data.get("translates"):
            return other.relative_to(folder).as_posix()
    raise CyberdipError(f"{path}: the rubric it translates is not in the pack",
                        path=str(path), code="CD730", exit_code=1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog=packs.REFRESH, description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="+", metavar="FOLDER")
    ap.add_argument("--check", action="store_true", help="exit 1 when a manifest is stale")
    ap.add_argument("--id", dest="pack_id")
    ap.add_argument("--title")
    ap.add_argument("--licence")
    ap.add_argument("--source")
    args = ap.parse_args(argv)
    from cyberdip import yamlio
    from cyberdip.diagnostics import format_problems

    stale = 0
    for folder in args.folders:
        target = Path(folder) / packs.MANIFEST
        try:
            text = manifest_text(folder, pack_id=args.pack_id, title=args.title,
                                 licence=args.licence, source=args.source)
        except InvalidInput as e:
            print(format_problems(e.problems, "text"), end="", file=sys.stderr)
            return 1
        except CyberdipError as e:
            print(format_problems([e.problem()], "text"), end="", file=sys.stderr)
            return e.exit_code
        now = target.read_text(encoding="utf-8") if target.is_file() else None
        if now == text:
            continue
        stale += 1
        if args.check:
            print(f"stale: {target}; run: {packs.REFRESH} {folder}", file=sys.stderr)
        else:
            yamlio.write_atomic(target, text)
            print(f"wrote {target}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
