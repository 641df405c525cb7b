"""Build hook: compile the report catalogues (``cyberdip/locale/*/LC_MESSAGES/*.po``) to
the ``.mo`` files that ``gettext`` reads at run time.

Babel compiles them; it is a build requirement only (``[build-system] requires``), so
an installed cyberdip needs nothing but the standard library's ``gettext``. The ``.mo``
files are written beside their ``.po`` (so an editable install sees them too), are
not committed (``.gitignore``), and go into the wheel as build artifacts.
``tests/unit/report/test_i18n.py`` checks that every ``.mo`` says what its ``.po`` says.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_catalogue(po: Path) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po, "rb") as f:
        catalogue = read_po(f, abort_invalid=True)
    buf = io.BytesIO()
    write_mo(buf, catalogue, use_fuzzy=False)
    return buf.getvalue()


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class CatalogueHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        root = Path(self.root)
        for po in sorted((root / "cyberdip" / "locale").glob("*/LC_MESSAGES/*.po")):
            mo = po.with_suffix(".mo")
            data = compile_catalogue(po)
            if not mo.is_file() or mo.read_bytes() != data:
                _write_atomic(mo, data)
            build_data["artifacts"].append(mo.relative_to(root).as_posix())
