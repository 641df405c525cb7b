"""Hypothesis strategies for the fuzz tests: mutated documents and spliced YAML.

Two kinds of input:

* **structure-aware**: start from the real rubric and example assessments (parsed
  here with PyYAML), apply a few mutations at random paths (delete a key, change a
  value's type, put a level out of range, odd Unicode, huge/negative/NaN numbers,
  deep-but-legal nesting) and dump the result back to YAML;
* **token splicing**: insert YAML tokens (anchors, aliases, tags, flow brackets,
  merge keys, dates, octal, ``.inf``, BOMs, NUL bytes, directives, document markers,
  tabs) at random byte positions of the vendored YAML test-suite cases and of the real
  files.
"""

from __future__ import annotations

import copy
import csv
import io
import math
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"

CORE_RUBRIC = ROOT / "rubrics" / "cyberdip-core.yaml"
MINI_RUBRIC = DATA / "rubrics" / "mini.yaml"
MINI_ANSWERED = DATA / "assessments" / "mini-answered.yaml"
FORMAT2_RUBRIC = DATA / "rubrics" / "format2.yaml"
#: the worked example of docs/scoring.md: indicators, a choice, a profile
FORMAT2_ANSWERED = {
    "rubric": str(FORMAT2_RUBRIC), "organisation": {"name": "Example Ministry"},
    "profile": "headquarters",
    "answers": {
        "policy.strategy": {"indicators": {"drafted": True, "adopted": True, "funded": True,
                                           "owned": {"met": False, "evidence": ["x"]}}},
        "policy.law": {"met": True, "evidence": ["The cybercrime act of 2016"]},
        "outreach.reach": {"value": 45},
        "outreach.replies": {"answer": "PART"},
        "national.strategy": {"met": True, "evidence": ["Adopted in 2021"]},
    },
}


def _load(path: Path) -> Any:
    return yaml.load(path.read_bytes(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def example_files() -> dict[Path, str]:
    """Every file under examples/ with its kind: the built-in rubric's assessments, and
    the format-2 framework examples, rubrics and assessments both."""
    out: dict[Path, str] = {}
    for p in sorted((ROOT / "examples").rglob("*.yaml")):
        if p.name == "pack.yaml":  # a pack's manifest (docs/packs.md)
            continue
        data = _load(p)
        keys = data if isinstance(data, dict) else {}
        out[p] = "assessment" if ("answers" in keys or "rubric" in keys) else "rubric"
    return out


@cache
def core_assessments() -> tuple[Path, ...]:
    """Example assessments (the built-in rubric's name it by id)."""
    return tuple(p for p, k in example_files().items() if k == "assessment")


def _absolute_rubric(path: Path, data: Any) -> Any:
    """An assessment naming its rubric by a relative path names it absolutely, so that
    it still finds it when a test writes it elsewhere."""
    if isinstance(data, dict) and isinstance(data.get("rubric"), str):
        ref = path.parent / data["rubric"]
        if ref.is_file():
            data = {**data, "rubric": str(ref.resolve())}
    return data


@cache
def base_documents() -> dict[str, tuple[str, Any]]:
    """name -> (kind, data) for every real file the mutations start from: rubrics of
    format 1 and 2 (indicators, groups, choice criteria, linear metrics, bands,
    profiles, mappings) and assessments answering them (indicators, answers, profiles)."""
    docs: dict[str, tuple[str, Any]] = {}
    if CORE_RUBRIC.exists():
        docs["rubric:core"] = ("rubric", _load(CORE_RUBRIC))
    docs["rubric:mini"] = ("rubric", _load(MINI_RUBRIC))
    docs["rubric:format2"] = ("rubric", _load(FORMAT2_RUBRIC))
    for p, kind in example_files().items():
        name = f"{kind}:{p.relative_to(ROOT / 'examples')}"
        docs[name] = (kind, _absolute_rubric(p, _load(p)))
    docs["assessment:mini"] = ("assessment", _load(MINI_ANSWERED))
    docs["assessment:format2"] = ("assessment", FORMAT2_ANSWERED)
    return docs


@cache
def suite_cases() -> tuple[bytes, ...]:
    """Bytes of every vendored YAML test-suite case."""
    return tuple(p.read_bytes() for p in sorted((DATA / "yaml-test-suite").rglob("*.yaml")))


@cache
def splice_bases() -> tuple[bytes, ...]:
    """Bytes of every vendored YAML test-suite case and every real file."""
    suite = DATA / "yaml-test-suite"
    files = sorted(suite.rglob("*.yaml")) + list(core_assessments())
    files += [MINI_RUBRIC, MINI_ANSWERED] + ([CORE_RUBRIC] if CORE_RUBRIC.exists() else [])
    return tuple(p.read_bytes() for p in files)


# -- odd values ----------------------------------------------------------------------------

ODD_CHARS = (
    "\u0627\u0631\u062f\u0648"  # Urdu/Arabic letters (RTL)
    "\u05d0\u05d1"  # Hebrew
    "\u200f\u200e\u202e\u2066\u2069"  # RTL/LTR marks, overrides, isolates
    "\u200b\u200c\u200d\ufeff\u2060"  # zero-width characters, BOM
    "\u0301\u0308\u0338\u20dd"  # combining marks
    "\U0001f600\U0001f1f5\U0001f1f0\U0001f469\u200d\U0001f4bb"  # emoji, flags, ZWJ
    "\u2028\u2029\x85"  # line and paragraph separators, NEL
    "<>&\"'`{}[]#:|%*!@\\$"  # markup and YAML indicators
    "\t\r\n "
)

odd_text = st.one_of(
    st.just(""),
    st.just(" "),
    st.text(alphabet=st.sampled_from(ODD_CHARS), max_size=30),
    st.text(max_size=30),
    st.sampled_from(["no", "off", "yes", "NO", "~", "null", "012", "0o17", "1e400", ".nan",
                     "2023-02-30", "cyberdip-core", "-", "*", "{{ 7*7 }}", "{% raw %}",
                     "<script>alert(1)</script>", "../../etc/passwd", "policy.missing",
                     "a" * 5000]),
)

odd_number = st.one_of(
    st.sampled_from([-1, 0, 1, 2, 3, 4, 5, 6, 99, -(10**30), 10**50, 2**63, -(2**63),
                     math.nan, math.inf, -math.inf, -0.0, 1e308, 5e-324, 2.5, 100.0001]),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
)

scalar = st.one_of(odd_text, odd_number, st.booleans(), st.none(),
                   st.dates(), st.binary(max_size=8))


def nested(depth: int, leaf: Any) -> Any:
    value = leaf
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


odd_value = st.one_of(
    scalar,
    st.lists(scalar, max_size=4),
    st.dictionaries(odd_text, scalar, max_size=3),
    st.builds(nested, st.integers(1, 70), scalar),  # deep but (mostly) legal
)


# -- structure-aware mutation --------------------------------------------------------------


def _containers(data: Any, path: tuple = ()) -> list[tuple]:
    """Every path to a dict or list in ``data``."""
    found = []
    if isinstance(data, dict):
        found.append(path)
        for k, v in data.items():
            found += _containers(v, (*path, k))
    elif isinstance(data, list):
        found.append(path)
        for i, v in enumerate(data):
            found += _containers(v, (*path, i))
    return found


def _get(data: Any, path: tuple) -> Any:
    for seg in path:
        data = data[seg]
    return data


@st.composite
def mutated(draw, data: Any, max_mutations: int = 4) -> Any:
    """``data`` after one to ``max_mutations`` random mutations."""
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, max_mutations))):
        paths = _containers(data)
        if not paths:
            return draw(odd_value)
        node = _get(data, draw(st.sampled_from(paths)))
        keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
        op = draw(st.sampled_from(["delete", "replace", "replace", "add", "wrap", "level",
                                   "swap", "clear"]))
        if op == "add" or not keys:
            value = draw(odd_value)
            if isinstance(node, dict):
                node[draw(st.one_of(odd_text, st.sampled_from(
                    ["level", "met", "value", "evidence", "na", "not_applicable", "target",
                     "weight", "critical", "rubric", "answers", "id", "scale"])))] = value
            else:
                node.insert(draw(st.integers(0, len(node))), value)
            continue
        key = draw(st.sampled_from(keys))
        if op == "delete":
            del node[key]
        elif op == "replace":
            node[key] = draw(odd_value)
        elif op == "wrap":
            node[key] = draw(st.sampled_from([[node[key]], {"value": node[key]}, str(node[key])]))
        elif op == "level":
            node[key] = draw(st.one_of(odd_number, st.sampled_from(
                [{"level": 7}, {"level": -1}, {"level": "3"}, {"level": 2.5},
                 {"met": "yes"}, {"value": math.nan}, {"na": True}, {"level": None},
                 {"level": 1, "target": 99}, {"level": True}])))
        elif op == "swap" and len(keys) > 1:
            other = draw(st.sampled_from(keys))
            node[key], node[other] = node[other], node[key]
        elif op == "clear":
            node[key] = draw(st.sampled_from([None, "", [], {}]))
    return data


def dump(data: Any, *, unicode: bool = True, flow: bool | None = False) -> bytes:
    """YAML bytes for ``data``; lone surrogates go through as (invalid) UTF-8 bytes."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(data, Dumper=dumper, allow_unicode=unicode, sort_keys=False,
                     default_flow_style=flow, width=88)
    return text.encode("utf-8", "surrogatepass")


@st.composite
def mutated_document(draw, kind: str | None = None) -> tuple[str, str, bytes]:
    """``(name, kind, yaml bytes)`` of a mutated real rubric or assessment."""
    docs = base_documents()
    names = sorted(n for n, (k, _) in docs.items() if kind is None or k == kind)
    name = draw(st.sampled_from(names))
    k, data = docs[name]
    data = draw(mutated(data)) if draw(st.integers(0, 9)) else data  # 10% unchanged
    return name, k, dump(data, unicode=draw(st.booleans()), flow=draw(st.sampled_from(
        [False, False, None, True])))


# -- token splicing ------------------------------------------------------------------------

TOKENS: tuple[bytes, ...] = tuple(t.encode("utf-8", "surrogatepass") if isinstance(t, str)
                                  else t for t in (
    "&a ", "*a", "&anchor ", "*anchor", "*undefined", "&a [*a]", "!!int ", "!!int ''",
    "!!bool ", "!!bool maybe", "!!timestamp ", "!!timestamp foo", "!!binary ", "!!binary @@",
    "!!float ", "!!str ", "!!null ", "!!set ", "!!omap ", "!!pairs ", "!!map ", "!!seq ",
    "!!python/object:os.getcwd ", '!!python/object/apply:os.mkdir ["PWNED"] ',
    "!!python/name:os.system ", "!<tag:yaml.org,2002:int> ", "!local ", "! ",
    "[", "]", "{", "}", ", ", "[]", "{}", "<<: ", "<<: *a\n", "<<: [*a, *b]\n",
    "2001-02-30", "2024-01-02", "2001-12-14t21:59:43.10-05:00", "0o17", "012", "0x1F",
    "0b101", "1_000", ".inf", "-.inf", ".nan", "1e400", "9" * 5000, "-" + "9" * 5000,
    "\ufeff", "\x00", "\x01", "\x7f", "\x85", "\u2028", "\ufffe", "\ud800",
    b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xfe\xff",
    "%YAML 1.1\n", "%YAML 1.3\n", "%YAML 2.0\n", "%TAG ! tag:x,2024:\n", "---\n", "--- ",
    "...\n", "\t", "\r", "\r\n", "\n", "? ", ": ", "- ", "|", ">", "|-\n", ">+\n", "# ",
    '"', "'", "\\", '"\\ud800"', '"\\x"', '"\\U0010ffff"', "~", "null", "no", "yes", "off",
    "@", "`", "%", "level: ", "level: 9\n", "met: ", "answers:\n", "rubric: ",
    "  ", "    ", "\n  - ", "\n    ",
))


@st.composite
def spliced(draw, bases: tuple[bytes, ...] | None = None) -> bytes:
    """A real file or test-suite case with one to six tokens spliced in at random places."""
    base = draw(st.sampled_from(bases or splice_bases()))
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        token = draw(st.sampled_from(TOKENS))
        if data and draw(st.booleans()):  # at the start of a line, or after `: `
            starts = [0] + [i + 1 for i, b in enumerate(data) if b == 0x0A]
            pos = draw(st.sampled_from(starts))
        else:
            pos = draw(st.integers(0, len(data)))
        if draw(st.integers(0, 4)) == 0 and pos < len(data):  # replace instead of insert
            end = min(len(data), pos + draw(st.integers(1, 8)))
            data[pos:end] = token
        else:
            data[pos:pos] = token
    return bytes(data)


# -- CSV sheets ----------------------------------------------------------------------------

CSV_TOKENS = ('"', '""', ",", "\r\n", "\n", "\x00", "\ufeff", "=cmd|' /C calc'!A0", "n/a",
              "N/A", "yes", "no", "-1", "99", "2.5", "nan", "inf", " | ", ";", "\t",
              "\u202e", "\U0001f600", "a" * 5000)


@st.composite
def mutated_csv(draw, base: bytes) -> bytes:
    """A filled or blank questionnaire sheet with cells, rows and columns changed."""
    text = base.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for _ in range(draw(st.integers(1, 6))):
        if not rows:
            break
        r = draw(st.integers(0, len(rows) - 1))
        op = draw(st.sampled_from(["cell", "cell", "cell", "drop-row", "dup-row", "drop-col",
                                   "add-col", "splice"]))
        row = rows[r]
        if op == "cell" and row:
            c = draw(st.integers(0, len(row) - 1))
            row[c] = draw(st.one_of(odd_text, st.sampled_from(CSV_TOKENS),
                                    odd_number.map(str)))
        elif op == "drop-row":
            del rows[r]
        elif op == "dup-row":
            rows.insert(r, list(row))
        elif op == "drop-col" and row:
            del row[draw(st.integers(0, len(row) - 1))]
        elif op == "add-col":
            row.append(draw(odd_text))
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator=draw(st.sampled_from(["\r\n", "\n"]))).writerows(rows)
    out = buf.getvalue().encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        out = b"\xef\xbb\xbf" + out
    if draw(st.integers(0, 4)) == 0:
        out = draw(spliced((out,)))
    return out


#: What a person (or a damaged file) puts in a workbook cell: text, numbers, booleans,
#: dates, formulas, and the words and labels the questionnaire reads.
XLSX_VALUES = st.one_of(
    odd_text, odd_number, st.booleans(),
    st.sampled_from(["=1+1", "=TRUE()", "=FALSE()", '=HYPERLINK("http://x","y")',
                     "=SUM(A1:A9)", "n/a", "none", "79th", "12,5", "3 \u2013 Defined",
                     "yes ", " 3.0", "45%", "", "  "]),
    st.datetimes(min_value=__import__("datetime").datetime(1900, 3, 1),
                 max_value=__import__("datetime").datetime(2100, 1, 1)))


def _set(ws: Any, row: int, col: int, value: Any) -> bool:
    """Put ``value`` in a cell as a person could; False when the cell cannot take it
    (openpyxl refuses control characters; a merged cell is read-only)."""
    from openpyxl.utils.exceptions import IllegalCharacterError

    try:
        ws.cell(row=row, column=col).value = value
    except (IllegalCharacterError, ValueError, TypeError, AttributeError):
        return False
    return True


def _collect_quietly() -> None:
    import gc

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


@st.composite
def mutated_xlsx(draw, base: bytes) -> bytes:
    """A questionnaire workbook (made by `init -o x.xlsx`, maybe filled) with cells,
    rows and sheets changed as people and office suites do, and sometimes its bytes."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(base))
    for _ in range(draw(st.integers(1, 8))):
        ws = wb[draw(st.sampled_from(wb.sheetnames))]
        op = draw(st.sampled_from(["cell", "cell", "cell", "cell", "hide", "delete-row",
                                   "insert-row", "rename", "percent", "sort"]))
        row = draw(st.integers(1, max(ws.max_row, 1) + 2))
        col = draw(st.integers(1, 12))
        if op == "cell":
            value = draw(XLSX_VALUES)
            _set(ws, row, col, value)
        elif op == "percent":
            if _set(ws, row, col, draw(odd_number)):
                ws.cell(row=row, column=col).number_format = "0%"
        elif op == "hide":
            ws.row_dimensions[row].hidden = True
        elif op == "delete-row":
            ws.delete_rows(row)
        elif op == "insert-row":
            ws.insert_rows(row)
        elif op == "rename":
            ws.title = draw(st.sampled_from(["answers", "Antworten", "Start ", "x'y",
                                             "\u202eA"]))
        elif op == "sort" and ws.max_row > 2:
            rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
            rows = draw(st.permutations(rows))
            for i, values in enumerate(rows, 2):
                for j, v in enumerate(values, 1):
                    _set(ws, i, j, v)
    buf = io.BytesIO()
    try:
        wb.save(buf)
        out = buf.getvalue()
    except (AttributeError, TypeError, ValueError):
        # openpyxl cannot write some mixes of a cell's old type and new value (an int
        # where a formula was): keep the workbook as it came, and let go of the zip file
        # openpyxl left open, quietly, so its clean-up is not taken for the test's
        out = base
        _collect_quietly()
    # positions are drawn as fractions of the length: openpyxl stamps the time of saving,
    # so the length may differ by a byte from one draw of the same example to the next
    how = draw(st.integers(0, 9))
    where = st.floats(0, 1, allow_nan=False)
    if how == 0:  # cut short, as a failed download
        out = out[:int(draw(where) * len(out))]
    elif how == 1:  # a few bytes changed
        b = bytearray(out)
        for _ in range(draw(st.integers(1, 8))):
            b[min(int(draw(where) * len(b)), len(b) - 1)] = draw(st.integers(0, 255))
        out = bytes(b)
    return out


# -- text that a terminal or a spreadsheet would obey --------------------------------------

#: Control characters a terminal obeys: a window title (OSC 0), clearing the screen, the
#: clipboard (OSC 52), a CSI by its one-byte C1 form, bell, backspace, carriage return,
#: DEL, the bidi override and isolates, NEL and the line separator.
TERMINAL_ESCAPES = (
    "9\x1b]0;PWNED\x07\x1b[2J", "\x1b[31mred\x1b[0m", "\x1b]52;c;UFdORUQ=\x07", "\x9b2J",
    "\x1b", "\x07", "\x08\x08\x08", "a\rb", "\x7f", "\x0c", "\x00", "\x1b[6n", "\x90q\x9c",
    "\u202eevil", "\u2066x\u2069", "\x85", "\u2028", "\u2029", "\x1bP1$r\x1b\\",
)

#: Cells a spreadsheet takes for a formula, and cells starting with - that are not numbers.
FORMULAS = (
    "=1+1", "=cmd|' /C calc'!A0", '=HYPERLINK("http://x","y")', "+1", "+x", "-1", "-x",
    "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "\n=1", "-", "+", "@", "=", "-1e400", "-nan",
)


def _splice_text(original: str, payload: str, how: str) -> str:
    return {"replace": payload, "prefix": payload + original,
            "suffix": original + payload}[how]


def _text_leaves(data: Any, path: tuple = ()) -> list[tuple[tuple, bool]]:
    """``(path, is_key)`` of every string in ``data``, values and mapping keys."""
    found: list[tuple[tuple, bool]] = []
    if isinstance(data, dict):
        for k, v in data.items():
            if isinstance(k, str):
                found.append(((*path, k), True))
            found += _text_leaves(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found += _text_leaves(v, (*path, i))
    elif isinstance(data, str):
        found.append((path, False))
    return found


payload = st.one_of(st.sampled_from(TERMINAL_ESCAPES), st.sampled_from(FORMULAS),
                    st.lists(st.sampled_from([*TERMINAL_ESCAPES, *FORMULAS, "a", " ", "\u0627",
                                              "\n"]), min_size=2, max_size=4).map("".join))


#: Keys whose values are free text (shown in reports), and keys whose items are.
TEXT_KEYS = frozenset({"title", "name", "meaning", "question", "description", "note", "section",
                       "venue", "unit", "country", "period", "notes", "not_applicable", "topic",
                       "owner"})
TEXT_PARENTS = frozenset({"levels", "recommendations", "tags", "evidence", "authors",
                          "assessors"})


def _free_text(path: tuple) -> bool:
    if not path or isinstance(path[-1], int) and len(path) > 1 and path[-2] == "tags":
        return False  # a criterion's tags name the rubric's: references, not text
    return path[-1] in TEXT_KEYS or (len(path) > 1 and path[-2] in TEXT_PARENTS)


formula = st.sampled_from(FORMULAS)


@st.composite
def poisoned(draw, data: Any, max_fields: int = 4, payloads: st.SearchStrategy = payload) -> Any:
    """``data`` with strings given terminal escapes or spreadsheet formulas, keeping every
    type: all of its free text (titles, names, questions, descriptors, evidence), or up to
    40 of them, or one to ``max_fields`` strings anywhere (a key now and then). The
    document mostly stays valid, and the text reaches every output."""
    data = copy.deepcopy(data)
    how = draw(st.sampled_from(["all", "some-text", "any"]))
    if how != "any":
        texts = [p for p, is_key in _text_leaves(data) if not is_key and _free_text(p)]
        if texts:
            chosen = texts if how == "all" else draw(st.lists(
                st.sampled_from(texts), min_size=1, max_size=40, unique=True))
            for path in chosen:
                parent = _get(data, path[:-1])
                parent[path[-1]] = _splice_text(parent[path[-1]], draw(payloads), draw(
                    st.sampled_from(["replace", "prefix", "suffix"])))
            return data
    for _ in range(draw(st.integers(1, max_fields))):
        leaves = _text_leaves(data)
        if not leaves:
            break
        values = [p for p, is_key in leaves if not is_key]
        keys = [p for p, is_key in leaves if is_key]
        pick_key = bool(keys) and (not values or draw(st.sampled_from([False] * 9 + [True])))
        path = draw(st.sampled_from(keys if pick_key else values))
        how = draw(st.sampled_from(["replace", "prefix", "suffix", "suffix"]))
        text = draw(payloads)
        if pick_key:
            parent = _get(data, path[:-1])
            new = _splice_text(path[-1], text, how)
            if new not in parent:
                parent[new] = parent.pop(path[-1])
        else:
            parent = _get(data, path[:-1])
            parent[path[-1]] = _splice_text(parent[path[-1]], text, how)
    return data


#: Numbers no figure may become: not finite, or too big to add up, or too small to divide by.
EXTREME_NUMBERS = (math.nan, math.inf, -math.inf, 1e308, -1e308, 1.7976931348623157e308,
                   5e-324, -5e-324, 10**400, -(10**400), 2**63, 1e-300)


#: Keys of the numbers that figures are computed from.
FIGURE_KEYS = ("weight", "min", "max", "value", "target")


def _number_leaves(data: Any, path: tuple = ()) -> list[tuple]:
    """Paths of every number (not a boolean) in ``data``."""
    found: list[tuple] = []
    if isinstance(data, dict):
        for k, v in data.items():
            found += _number_leaves(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found += _number_leaves(v, (*path, i))
    elif isinstance(data, int | float) and not isinstance(data, bool):
        found.append(path)
    return found


@st.composite
def extreme(draw, data: Any, max_fields: int = 3) -> Any:
    """``data`` with one to ``max_fields`` of its numbers (a weight, a metric's min or
    max, a threshold, a level, a value) made NaN, infinite, huge or tiny; every type and
    key kept, so only the numbers are wrong."""
    data = copy.deepcopy(data)
    leaves = _number_leaves(data)
    if not leaves:
        return data
    figures = [p for p in leaves if p[-1] in FIGURE_KEYS or (p[0] == "answers"
                                                              and p[-1] == "level")]
    for _ in range(draw(st.integers(1, draw(st.sampled_from([1, 1, max_fields]))))):
        # mostly a number every figure is made from: a weight, a metric's bounds, an answer
        path = draw(st.sampled_from(figures if figures and draw(st.integers(0, 3)) else leaves))
        _get(data, path[:-1])[path[-1]] = draw(st.sampled_from(EXTREME_NUMBERS))
    return data


@st.composite
def changed_document(draw, kind: str | None = None) -> tuple[str, str, bytes]:
    """``(name, kind, yaml bytes)``: a real rubric or assessment, unchanged (1 in 8),
    mutated in structure, poisoned in its text, given extreme numbers, or mutated and
    poisoned."""
    docs = base_documents()
    names = sorted(n for n, (k, _) in docs.items() if kind is None or k == kind)
    name = draw(st.sampled_from(names))
    k, data = docs[name]
    how = draw(st.sampled_from(["same", "mutated", "mutated", "poisoned", "poisoned",
                                "poisoned", "extreme", "both"]))
    if how in ("poisoned", "both"):
        data = draw(poisoned(data))
    if how == "extreme":
        data = draw(extreme(data))
    if how in ("mutated", "both"):
        data = draw(mutated(data))
    return name, k, dump(data, unicode=draw(st.booleans()), flow=draw(st.sampled_from(
        [False, False, None, True])))


# -- file names ----------------------------------------------------------------------------

#: Stems of file and folder names: non-ASCII, bytes that are not UTF-8 (a Latin-1 é, 0xFF
#: 0xFE; as Python names them, U+DC80 to U+DCFF), a formula, a terminal escape, spaces.
NAME_STEMS = (
    "a", "x y", "\u00e4-\u00f6", "\u0645\u0634\u0646", "\U0001f600", "caf\udce9",
    "\udcff\udcfe", "a\udc80b", "=1+1", "+x", "@x", "-x", "\x1b]0;T\x07", "\u202eevil",
    "tab\there", "c1\x9b2J", "nel\x85x", "quote\"'\\",
)
names = st.sampled_from(NAME_STEMS)


# -- special files -------------------------------------------------------------------------

#: Files that are not regular files, and links to them: reading any of them would block
#: for ever, give endless bytes, or give more bytes than its size says. /proc/kmsg
#: blocks when the kernel has nothing to say (as root; others may not open it); reading
#: it takes a byte from the kernel log, as it did for the bug it guards against.
SPECIAL_KINDS = ("fifo", "link-to-fifo", "socket", "/dev/zero", "/dev/null", "/dev/urandom",
                 "/proc/kmsg", "/proc/self/status", "/proc/version",
                 "dangling-link", "link-loop", "folder")


def available_specials() -> tuple[str, ...]:
    return tuple(k for k in SPECIAL_KINDS if not k.startswith("/") or os.path.exists(k))


def make_special(kind: str, path: Path) -> None:
    """Make ``path`` the special file ``kind`` (or a link to it)."""
    import socket

    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link-to-fifo":
        target = path.with_name(path.name + ".fifo")
        os.mkfifo(target)
        os.symlink(target.name, path)
    elif kind == "socket":
        s = socket.socket(socket.AF_UNIX)
        try:
            s.bind(os.fsencode(path))
        finally:
            s.close()
    elif kind == "dangling-link":
        os.symlink("no-such-file.yaml", path)
    elif kind == "link-loop":
        os.symlink(path.name, path)
    elif kind == "folder":
        path.mkdir()
    else:
        os.symlink(kind, path)
