"""The one registry of output formats: each is one small module with a ``render``
function that turns a result (a scorecard, a comparison, a portfolio or a blank
questionnaire) into text or bytes.

Every command chooses its format here, from ``--format`` or from the output's
extension, so an unknown extension is refused in the same words everywhere
(``cyberdip.cli.output_format``). Adding a format means adding its module, its golden
test and its entry below; nothing else changes.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OutputFormat:
    name: str
    extensions: tuple[str, ...]
    module: str
    #: The commands that offer this format (their --format choices come from here).
    commands: tuple[str, ...]


FORMATS: dict[str, OutputFormat] = {f.name: f for f in (
    OutputFormat("text", (".txt",), "cyberdip.report.as_text",
                 ("score", "compare", "aggregate", "sensitivity", "trend")),
    OutputFormat("html", (".html", ".htm"), "cyberdip.report.as_html",
                 ("report", "compare", "aggregate", "sensitivity", "trend", "init")),
    OutputFormat("md", (".md", ".markdown"), "cyberdip.report.as_markdown",
                 ("report", "compare", "aggregate", "sensitivity", "trend")),
    OutputFormat("pdf", (".pdf",), "cyberdip.report.as_pdf", ("report", "trend")),
    OutputFormat("json", (".json",), "cyberdip.report.as_json",
                 ("score", "report", "compare", "aggregate", "sensitivity", "export",
                  "trend")),
    OutputFormat("yaml", (".yaml", ".yml"), "cyberdip.report.as_yaml",
                 ("init", "import", "merge", "import-oscal")),
    OutputFormat("csv", (".csv",), "cyberdip.report.as_csv",
                 ("init", "compare", "aggregate", "sensitivity", "trend")),
    OutputFormat("xlsx", (".xlsx",), "cyberdip.report.as_xlsx", ("init",)),
    OutputFormat("docx", (".docx",), "cyberdip.report.as_docx", ("report",)),
)}


def formats_for(command: str) -> list[str]:
    """The formats ``command`` writes, in the registry's order."""
    return [f.name for f in FORMATS.values() if command in f.commands]

#: Every extension an output can have, and the format it means.
EXTENSIONS: dict[str, str] = {ext: f.name for f in FORMATS.values() for ext in f.extensions}


#: Formats whose whole text may hold text from the files: every control character in
#: it is escaped (``textsafe.for_file``), so a report is as safe to ``cat`` to a
#: terminal as it is to print. JSON and CSV escape per value; YAML per line written.
_WHOLE_TEXT = frozenset({"text", "md", "html"})


def render(name: str, result: Any, **options: Any) -> bytes:
    """``result`` in the format ``name``, as the bytes to write (UTF-8)."""
    out = importlib.import_module(FORMATS[name].module).render(result, **options)
    if name in _WHOLE_TEXT and not options.get("color"):  # colour: ours, content escaped
        from cyberdip.textsafe import for_file

        out = for_file(out)
    return out if isinstance(out, bytes) else out.encode("utf-8")
