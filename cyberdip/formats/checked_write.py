"""Write the checked copies of the built-in rubrics (``checked_rubrics``):

    python -m cyberdip.formats.checked_write

Each built-in rubric is loaded and checked in full (never from a copy), and its checked
form written to ``formats/checked/SHA256.json``; any other file there is removed.
Apart from ``checked_rubrics`` because it needs ``documents``, which reads the copies.
"""

from __future__ import annotations

from cyberdip import yamlio
from cyberdip.formats import documents
from cyberdip.formats.checked_rubrics import FOLDER, name_of, render
from cyberdip.model import loading


def expected() -> dict[str, bytes]:
    """Every copy that should be in ``FOLDER``: each built-in rubric loaded and checked
    in full (never from a copy)."""
    out = {}
    for path in documents.builtin_paths().values():
        data = yamlio.read_bytes(path)
        rubric = loading.rubric_from_document(documents.load(path, expect="rubric"))
        out[name_of(data)] = render(rubric)
    return out


def main() -> None:
    """Write the checked copies of the built-in rubrics, and remove any other file."""
    want = expected()
    FOLDER.mkdir(exist_ok=True)
    for old in FOLDER.glob("*.json"):
        if old.name not in want:
            old.unlink()
    for name, data in sorted(want.items()):
        target = FOLDER / name
        if not target.is_file() or target.read_bytes() != data:
            yamlio.write_atomic(target, data)
    print(f"{len(want)} checked rubrics in {FOLDER}")


if __name__ == "__main__":
    main()
