"""Format problems as text, JSON or GitHub annotations. Returns strings; never prints.

A problem's path and message carry text from files (a key, a value, a file name), so
every format escapes control characters in them (see :mod:`cyberdip.textsafe`): text
and github show ``\\u001b``, and a text problem is always one line; JSON escapes them
as JSON does. Colour is added after escaping, so it still works.
"""

from __future__ import annotations

from cyberdip.errors import Problem, format_location
from cyberdip.textsafe import for_terminal, json_dumps

FORMATS = ("auto", "text", "json", "github")


def resolve_format(fmt: str, environ: dict[str, str]) -> str:
    if fmt == "auto":
        return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"
    return fmt


def text_line(p: Problem, *, color: bool = False) -> str:
    """``path:line:col: error[CODE]: message`` on one line, control characters escaped."""
    where = for_terminal(format_location(p.path, p.line, p.col))
    label = f"{p.level}[{p.code}]"
    message = for_terminal(p.message)
    if color:
        hue = "31" if p.level == "error" else "33"
        loc = f"\x1b[1m{where}:\x1b[0m " if where else ""
        return f"{loc}\x1b[1;{hue}m{label}:\x1b[0m {message}"
    return f"{where}: {label}: {message}" if where else f"{label}: {message}"


def _gh_escape(s: str, *, prop: bool = False) -> str:
    # Line breaks keep GitHub's own encoding (%0A); every other control is escaped.
    s = for_terminal(s, keep="\r\n")
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


def github_line(p: Problem) -> str:
    cmd = "error" if p.level == "error" else "warning"
    props = [f"file={_gh_escape(p.path, prop=True)}"]
    if p.line:
        props += [f"line={p.line}", f"col={p.col}"]
    props.append(f"title={_gh_escape(p.code + ' ' + p.name, prop=True)}")
    return f"::{cmd} {','.join(props)}::{_gh_escape(p.message)}"


def format_problems(problems: list[Problem], fmt: str, *, color: bool = False) -> str:
    """All problems in one format. JSON is a single document; the others a line each."""
    if fmt == "json":
        return json_dumps([p.as_dict() for p in problems]) + "\n"
    if fmt == "github":
        lines = [github_line(p) for p in problems]
    else:
        lines = [text_line(p, color=color) for p in problems]
    return "".join(line + "\n" for line in lines)
