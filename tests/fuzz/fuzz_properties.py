"""The properties every fuzz run is checked against, one small named helper each.

A helper raises ``AssertionError("[name] ...")``, so a failure says which property
broke before it says anything else. ``test_fuzz_cli.check`` applies the ones that hold
for every run; the tests add the ones that depend on the command and its format.

``KNOWN_BUGS`` lists what the suite found that the code still does. Each entry has a
strict-xfail test in test_fuzz_regressions.py; while it is listed, the fuzz tests
leave aside the property or the input that shows it (and only that). When the fix
lands, its xfail test passes, which fails the suite (the xfail is strict): delete the
entry here, and the fuzz suite checks the property again on every run.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

#: property or input left aside -> the strict-xfail test that shows the bug
KNOWN_BUGS: dict[str, str] = {}

#: An SGR sequence (colour, bold, conceal): KNOWN_BUGS["assess-raw-sgr"].
SGR = re.compile(r"\x1b\[[0-9;]*m")

TRACEBACK = re.compile(
    r"Traceback \(most recent call last\)"
    r"|^\s*File \"[^\"]*\", line \d+"
    r"|^(?:[a-z_]+\.)*[A-Z]\w*(?:Error|Exception|Warning):"
    r"|internal error",
    re.M,
)

#: What must never reach a terminal raw (cyberdip.textsafe escapes them all): the C0
#: controls but tab and newline, DEL, the C1 controls, the line and paragraph
#: separators, the bidi embeddings, overrides and isolates, and (as U+DC80 to U+DCFF,
#: how the harness decodes them) bytes that are not UTF-8.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                         "\ud800-\udfff]")

#: First characters that make a spreadsheet take a cell for a formula.
FORMULA = ("=", "+", "@", "\t", "\r", "\n", "\x00")


def has_breaks_or_controls(data: Any) -> bool:
    """Whether data (a parsed rubric, or a string) holds a line break or a control
    character in any string: text that KNOWN_BUGS["yaml-comments"] and
    ["raw-controls-in-files"] mishandle."""
    if isinstance(data, dict):
        return any(has_breaks_or_controls(k) or has_breaks_or_controls(v)
                   for k, v in data.items())
    if isinstance(data, list):
        return any(has_breaks_or_controls(v) for v in data)
    return isinstance(data, str) and bool(_BREAKS.search(data))


#: Line breaks (YAML's too: NEL, U+2028, U+2029) and what YAML may not hold raw.
_BREAKS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def fail(name: str, message: str, what: str = "") -> None:
    raise AssertionError(f"[{name}] {message}" + (f"\n{what}" if what else ""))


# -- every run -----------------------------------------------------------------------------


def ran_to_an_exit(r: Any, what: str, codes: tuple[int, ...] = (0, 1, 2)) -> None:
    """exit-code: an exit code the CLI documents for this run; never 3 (internal error),
    never a signal (a crash, or a hang the alarm clock ended), never stalled."""
    if r.stalled:
        fail("exit-code", "stalled: no prompt and no exit (killed)", what)
    if r.signal is not None:
        fail("exit-code", f"crashed or hung (signal {r.signal})", what)
    if r.code not in codes:
        fail("exit-code", f"exit code {r.code}, expected one of {codes}", what)


def no_traceback(text: str, stream: str, what: str) -> None:
    """no-traceback: nothing that looks like a traceback or an internal error."""
    m = TRACEBACK.search(text)
    if m:
        fail("no-traceback", f"{stream} holds {m.group()!r}", what)


def no_raw_controls(text: str, where: str, what: str) -> None:
    """no-raw-controls: no control character from a file reaches ``where`` raw; SGR
    colour codes would be allowed, but every run has NO_COLOR set, so there is no ESC
    at all; a JSON output may hold them only as escapes (``\\u001b``)."""
    m = RAW_CONTROL.search(text)
    if m:
        start = max(0, m.start() - 40)
        fail("no-raw-controls", f"{where} holds U+{ord(m.group()):04X} raw, at "
             f"{text[start:m.end() + 40]!r}", what)


def snapshot(work: Path) -> dict[Path, Any]:
    """Every entry under ``work``: a file's bytes, a link's target, a folder, a special
    file's type. Links are never followed, and special files never opened (a FIFO would
    block)."""
    found: dict[Path, Any] = {}
    for root, dirs, files in os.walk(work):
        for name in dirs + files:
            p = Path(root) / name
            st = os.lstat(p)
            if stat.S_ISREG(st.st_mode):
                found[p] = p.read_bytes()
            elif stat.S_ISLNK(st.st_mode):
                found[p] = ("link", os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                found[p] = ("folder",)
            else:
                found[p] = ("special", stat.S_IFMT(st.st_mode))
    return found


def inputs_unchanged(before: dict[Path, Any], after: dict[Path, Any], what: str,
                     replaced: frozenset[Path] = frozenset()) -> None:
    """inputs-unchanged: every file, link and special file there before is there after,
    byte for byte (a link still a link to the same place), but ``replaced`` (an output
    that existed, written with --force)."""
    for path, data in before.items():
        if path in replaced or (path.name.endswith(".history.jsonl") and isinstance(
                after.get(path), bytes) and isinstance(data, bytes)
                and after[path].startswith(data)):
            continue  # an output's history, appended to (no-stray-files checks it)
        if path not in after:
            fail("inputs-unchanged", f"{path} is gone", what)
        if after[path] != data:
            fail("inputs-unchanged", f"{path} changed", what)


def history_of(output: Path) -> Path:
    """The history a command that changes answers appends to, beside its output."""
    return output.with_name(output.stem + ".history.jsonl")


def history_appended(before: dict[Path, Any], after: dict[Path, Any], path: Path,
                     what: str) -> None:
    """history-appended: a history beside an output only grows (what was there is kept
    byte for byte), and every whole line is a strict-JSON entry."""
    old, new = before.get(path, b""), after.get(path)
    if not isinstance(new, bytes):
        return
    if not isinstance(old, bytes) or not new.startswith(old):
        fail("history-appended", f"{path} was rewritten, not appended to", what)
    for line in new[len(old):].splitlines():
        entry = strict_json(line.decode("utf-8"), str(path), what)
        if not isinstance(entry, dict) or "prev" not in entry:
            fail("history-appended", f"{path}: a line that is not an entry", what)


def no_stray_files(before: dict[Path, Any], after: dict[Path, Any], what: str,
                   allowed: frozenset[Path] = frozenset()) -> None:
    """no-stray-files: nothing appeared but the output (no temp file, no lock file, no
    ``PWNED`` folder from a ``!!python/object/apply`` tag, no folder at all), and the
    history beside it (``NAME.history.jsonl``), which must be appended to only."""
    histories = {history_of(p) for p in allowed} & set(after)
    for h in histories:
        history_appended(before, after, h, what)
    new = set(after) - set(before) - set(allowed) - histories
    if new:
        fail("no-stray-files", f"unexpected files {sorted(map(str, new))}", what)


def no_output_after_failure(code: int | None, output: Path | None, existed: bool, what: str,
                            output_on_1: bool = False) -> None:
    """no-output-on-failure: a failed run writes nothing (an output that was there before
    is checked by inputs-unchanged); ``aggregate`` may write and exit 1 when it left files
    out."""
    if output is None or existed or code == 0 or (output_on_1 and code == 1):
        return
    if os.path.lexists(output):
        fail("no-output-on-failure", f"{output} was written, exit {code}", what)


# -- JSON ----------------------------------------------------------------------------------


def _constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is not a finite number")
    return value


def strict_json(text: str, where: str, what: str) -> Any:
    """strict-json: parses as strict JSON (no NaN, Infinity, or a number too big for a
    float), every control character escaped, never raw; returns the data."""
    try:
        data = json.loads(text, parse_constant=_constant, parse_float=_finite)
    except ValueError as e:
        fail("strict-json", f"{where} is not strict JSON: {e}", what + "\n" + text[:2000])
    no_raw_controls(text, where, what)
    return data


def json_or_nothing(text: str, where: str, what: str) -> Any:
    """strict-json, for a stream that is empty when the run failed."""
    return strict_json(text, where, what) if text.strip() else None


# -- gates ---------------------------------------------------------------------------------


_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _figure(text: str | None) -> float | None:
    if text is None or not _NUMBER.fullmatch(text):
        return None
    return float(text)


def text_figures(stdout: str) -> tuple[str | None, str | None]:
    """``(index, coverage)`` as the text scorecard shows them (``Readiness index
    55.56/100 (Band)   Stage 2 Formative   Coverage 80%``; the words before the index
    are the rubric's label), or None where it does not."""
    for line in stdout.splitlines():
        at = line.rfind("   Coverage ")
        if at < 0 or not line.endswith("%"):
            continue
        head = line[:at]
        cut = head.rfind("/100")
        index = head[:cut].rsplit(" ", 1)[-1] if cut >= 0 else (
            "—" if " — " in head + " " else None)
        return index, line[at + len("   Coverage "):-1]
    return None, None


def gate_held(code: int | None, index: Any, coverage: Any, fail_under: float | None,
              min_coverage: float | None, what: str) -> None:
    """gate: a run that exits 0 with a gate passed it on finite figures that meet it;
    a gate never passes on NaN, infinity, a missing figure or a figure shown as text."""
    if code != 0:
        return
    for name, value, gate in (("index", index, fail_under), ("coverage", coverage,
                                                              min_coverage)):
        if gate is None:
            continue
        v = _figure(value) if isinstance(value, str) else value
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            fail("gate", f"exit 0 with a gate on {name}, which is {value!r}", what)
        if not v >= gate:
            fail("gate", f"exit 0 with {name} {v} below the gate {gate}", what)


def finite_numbers(data: Any, where: str, what: str, path: str = "$") -> None:
    """finite-numbers: every number in a JSON document is finite (strict_json parses
    floats so; this catches the integers a float cannot hold, too, e.g. 10**400)."""
    if isinstance(data, dict):
        for k, v in data.items():
            finite_numbers(v, where, what, f"{path}.{k}")
    elif isinstance(data, list):
        for i, v in enumerate(data):
            finite_numbers(v, where, what, f"{path}[{i}]")
    elif isinstance(data, float) and not math.isfinite(data):
        fail("finite-numbers", f"{where}: {path} is {data}", what)
    elif isinstance(data, int) and not isinstance(data, bool) and abs(data) > 2 ** 1023:
        fail("finite-numbers", f"{where}: {path} is an integer of {len(str(data))} digits",
             what)


# -- CSV -----------------------------------------------------------------------------------


def csv_cells_safe(text: str, where: str, what: str) -> list[list[str]]:
    """csv-cells: no cell starts with ``= + @``, a tab, a carriage return or a line feed
    (a spreadsheet would take it for a formula); a cell that starts with ``-`` is a
    number (a negative change). Returns the rows."""
    text = text.removeprefix("\ufeff")
    if "csv-bare-cr" in KNOWN_BUGS:  # leave the known fault aside: as if it were quoted
        text = re.sub("\r(?!\n)", "\\\\r", text)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for i, row in enumerate(rows, 1):
        for j, cell in enumerate(row, 1):
            if cell.startswith(FORMULA):
                fail("csv-cells", f"{where}: row {i}, column {j} starts a formula: {cell!r}",
                     what)
            if cell.startswith("-"):
                try:
                    ok = math.isfinite(float(cell))
                except ValueError:
                    ok = False
                if not ok:
                    fail("csv-cells", f"{where}: row {i}, column {j} starts with - and is "
                         f"not a number: {cell!r}", what)
    return rows


# -- workbooks -----------------------------------------------------------------------------


def xlsx_cells_safe(path: Path, where: str, what: str) -> None:
    """xlsx-cells: a written workbook opens, no cell holds a formula, and no cell's text
    holds a raw control character other than the line feed."""
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))  # any name
    except Exception as e:  # noqa: BLE001 - a workbook we wrote must open
        fail("xlsx-cells", f"{where} does not open: {type(e).__name__}: {e}", what)
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    fail("xlsx-cells", f"{where}: {ws.title}!{c.coordinate} is a formula: "
                         f"{c.value!r}", what)
                if isinstance(c.value, str) and RAW_CONTROL.search(c.value):
                    fail("xlsx-cells", f"{where}: {ws.title}!{c.coordinate} holds a raw "
                         f"control: {c.value!r}", what)


# -- outputs aimed at inputs ---------------------------------------------------------------


def input_protected(code: int | None, stderr: str, expect: str | None, what: str) -> None:
    """input-protected: an output aimed at a file the command reads (by any name, link or
    hard link) is refused with exit 2 and nothing is written (inputs-unchanged checks the
    file); ``expect`` is the code the message must carry (CD401, or CD404 for an
    extension the command does not write), when the run got that far."""
    if code != 2:
        fail("input-protected", f"exit {code}, expected 2", what)
    if expect is not None and f"[{expect}]" not in stderr:
        fail("input-protected", f"stderr does not say {expect}", what)


def extension_refused(code: int | None, stderr: str, what: str) -> None:
    """output-extension: an output name whose extension the command does not write (and
    no --format) is refused with exit 2 and CD404, before anything is read or written."""
    if code != 2 or "[CD404]" not in stderr:
        fail("output-extension", f"exit {code}, expected 2 with CD404", what)


# -- refusals and follow-up runs -----------------------------------------------------------


def refused(code: int | None, what: str, name: str = "refused",
            codes: tuple[int, ...] = (1, 2)) -> None:
    """refused (or the name given: no-clobber, special-refused): the run failed, with one
    of ``codes``; inputs-unchanged and no-output-on-failure say nothing was written."""
    if code not in codes:
        fail(name, f"exit {code}, expected one of {codes}", what)


def named(text: str, name: str, what: str) -> None:
    """special-named: the refusal names the file it refuses."""
    if name not in text:
        fail("special-named", f"{name!r} is not named in what the run printed", what)


def follow_up_ok(v: Any, name: str, what: str) -> None:
    """import-validates, init-validates, init-csv-imports, assess-leaves-valid-yaml: the
    next command a user runs on what was written (validate, import) exits 0."""
    if v.code != 0:
        fail(name, f"`cyberdip {v.argv[0]}` on what was written exits {v.code}\n"
             f"--- its stdout:\n{v.stdout[-2000:]}\n--- its stderr:\n{v.stderr[-2000:]}", what)


def absent(path: Path, name: str, what: str) -> None:
    """nothing-written: a run that says it wrote nothing left no file."""
    if os.path.lexists(path):
        fail(name, f"{path} exists", what)


def interrupted(code: int | None, stderr: str, what: str) -> None:
    """ctrl-c-is-130: Ctrl-C at a prompt ends the command with exit 130 and `interrupted`."""
    if code != 130 or "interrupted" not in stderr:
        fail("ctrl-c-is-130", f"exit {code} after Ctrl-C", what)


def session_locked(code: int | None, stderr: str, what: str) -> None:
    """session-lock: a file another `assess` session holds is refused: exit 2, CD403."""
    if code != 2 or "[CD403]" not in stderr:
        fail("session-lock", f"exit {code} on a file another session holds", what)


# -- written files -------------------------------------------------------------------------


def written_file_safe(path: Path, fmt: str, what: str) -> Any:
    """Apply to a written output what its format promises: strict-json for JSON;
    csv-cells for CSV; and no-raw-controls for every format but the YAML ones (whose
    writer escapes for itself). Returns the parsed JSON, or the CSV rows, or None."""
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    where = f"the written {fmt} file {path.name}"
    result = None
    if fmt == "json":
        result = strict_json(text, where, what)
        finite_numbers(result, where, what)
    elif fmt == "csv":
        result = csv_cells_safe(text, where, what)
    if fmt not in ("json", "yaml") and "raw-controls-in-files" not in KNOWN_BUGS:
        # a sheet for Excel ends its rows with CR LF: that CR is the writer's, not text's
        no_raw_controls(text.replace("\r\n", "\n") if fmt == "csv" else text, where, what)
    return result


def stdout_safe(stdout: str, fmt: str, what: str) -> Any:
    """Apply to stdout what its format promises (no-raw-controls holds for every format)."""
    no_raw_controls(stdout, "stdout", what)
    if fmt == "json":
        data = json_or_nothing(stdout, "stdout", what)
        if data is not None:
            finite_numbers(data, "stdout", what)
        return data
    if fmt == "csv":
        return csv_cells_safe(stdout, "stdout", what)
    return None
