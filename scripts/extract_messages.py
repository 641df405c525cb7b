"""List the report's own messages: every ``_("...")`` and ``n_("...", "...", n)`` in the
report templates and in the Python that writes reports; and the questionnaire's, every
``t("...")`` (``formats.wording.Wording.t``) in the modules that write a questionnaire
or ask one (``init --lang``, ``assess --lang``).

    python scripts/extract_messages.py          # print the messages, one msgid a line
    python scripts/extract_messages.py --check  # exit 1 when a catalogue lacks one

Every catalogue in ``cyberdip/locale/*/LC_MESSAGES/cyberdip.po`` must translate every
message (a test runs ``--check``), so a new message in a template cannot reach an
Urdu report in English unnoticed.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "cyberdip" / "report"
FUNCS = ("_", "n_")
#: The modules whose ``t("...")`` calls are questionnaire messages.
QUESTIONNAIRE = ("cyberdip/formats/wording.py", "cyberdip/formats/workbook.py",
                 "cyberdip/formats/spreadsheet.py", "cyberdip/formats/blank.py",
                 "cyberdip/cli/assess.py", "cyberdip/cli/asker/*.py")


def from_templates() -> list[tuple[str, ...]]:
    import jinja2
    from jinja2.ext import extract_from_ast

    env = jinja2.Environment()
    out = []
    for path in sorted((REPORT / "templates").glob("*.j2")):
        tree = env.parse(path.read_text(encoding="utf-8"))
        for _line, func, msg in extract_from_ast(tree, gettext_functions=FUNCS):
            strings = [m for m in (msg if isinstance(msg, tuple) else (msg,)) if m is not None]
            out.append(tuple(strings[:1] if func == "_" else strings[:2]))
    return out


def from_python() -> list[tuple[str, ...]]:
    out = []
    questionnaire = sorted(p for pattern in QUESTIONNAIRE for p in ROOT.glob(pattern))
    for path in sorted(REPORT.glob("*.py")) + questionnaire:
        singular = ("_", "gettext") + (("t",) if path in questionnaire else ())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
            if name in singular and node.args and isinstance(node.args[0], ast.Constant):
                out.append((node.args[0].value,))
            elif name in ("n_", "ngettext") and len(node.args) >= 2 and all(
                    isinstance(a, ast.Constant) for a in node.args[:2]):
                out.append((node.args[0].value, node.args[1].value))
    return out


def messages() -> list[tuple[str, ...]]:
    """Every message, singular (and plural), in first-seen order, once."""
    seen: dict[tuple[str, ...], None] = {}
    for m in from_templates() + from_python():
        if m and all(isinstance(x, str) for x in m):  # a dynamic _(x) has no literal
            seen.setdefault(m, None)
    return list(seen)


def read_po(path: Path) -> dict[str, list[str]]:
    """msgid -> its msgstr(s) from a .po file (the small subset of the format we write)."""
    entries: dict[str, list[str]] = {}
    cur: dict[str, str] = {}
    field = None

    def flush() -> None:
        if "msgid" in cur:
            strs = [cur[k] for k in sorted(cur) if k.startswith("msgstr")]
            entries[cur["msgid"]] = strs
        cur.clear()

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            flush()
            field = None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            cur[field] += ast.literal_eval(line)
        else:
            field, _, rest = line.partition(" ")
            cur[field] = ast.literal_eval(rest)
    return entries


def missing(po: Path) -> list[str]:
    entries = read_po(po)
    return [m[0] for m in messages() if not any(entries.get(m[0], [""]))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    if not args.check:
        for m in messages():
            print(" | ".join(m))
        return 0
    bad = 0
    for po in sorted((ROOT / "cyberdip" / "locale").glob("*/LC_MESSAGES/*.po")):
        for m in missing(po):
            print(f"{po.relative_to(ROOT)}: no translation of {m!r}", file=sys.stderr)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
