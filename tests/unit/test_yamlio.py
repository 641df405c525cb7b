"""Guarded YAML loading: every trap in STYLE.md becomes a located problem."""

from __future__ import annotations

import os

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberdip import yamlio
from cyberdip.errors import CyberdipError, InvalidInput, UnreadableInput


def problems(text: str | bytes, **kw) -> list[tuple[int, int, str, str]]:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(InvalidInput) as e:
        yamlio.parse(data, "f.yaml", **kw)
    return [(p.line, p.col, p.code, p.message) for p in e.value.problems]


def test_plain_document_keeps_order_and_positions():
    doc = yamlio.parse(b"b: 1\na:\n  - x\n  - {y: 2}\n", "f.yaml")
    assert list(doc.data) == ["b", "a"]
    assert doc.data == {"b": 1, "a": ["x", {"y": 2}]}
    assert doc.locate(("a", 1, "y")) == (4, 9)
    assert doc.locate(("a", 1, "y"), key=True) == (4, 6)
    assert doc.locate(("a", 0)) == (3, 5)
    assert doc.locate(()) == (1, 1)
    assert doc.problems == []


def test_locate_skips_segments_that_are_not_in_the_file():
    doc = yamlio.parse(b"areas:\n  - criteria:\n      - weight: x\n", "f.yaml")
    # pydantic adds union tags such as `level` that are not keys in the file
    assert doc.locate(("areas", 0, "criteria", 0, "level", "weight")) == (3, 17)
    assert doc.data_path(("areas", 0, "criteria", 0, "level", "weight")) == \
        ("areas", 0, "criteria", 0, "weight")
    assert doc.node_at(("areas", 0, "nothing")) is None
    assert doc.locate(("areas", 9)) == (2, 3)  # falls back to the deepest node found


def test_integer_keys_are_found_by_their_text():
    doc = yamlio.parse(b"levels: {0: none, 1: some}\n", "f.yaml")
    assert doc.data == {"levels": {0: "none", 1: "some"}}
    assert doc.locate(("levels", 1), key=True) == (1, 19)


def test_duplicate_key_names_both_lines():
    [(line, col, code, msg)] = problems("a: 1\nb: 2\na: 3\n")
    assert (line, col, code) == (3, 1, "CD101")
    assert msg == "duplicate key `a`: it is already set on line 1; keep one of the two"


def test_duplicate_keys_are_collected_with_keep_going():
    doc = yamlio.parse(b"a: 1\nb: {x: 1, x: 2}\na: 3\n", "f.yaml", keep_going=True)
    assert doc.data == {"a": 3, "b": {"x": 2}}  # the later value wins, as in PyYAML
    assert sorted((p.line, p.col, p.code) for p in doc.problems) == [
        (2, 11, "CD101"), (3, 1, "CD101")]
    # locate follows the value the data holds: the last of the duplicates
    assert doc.locate(("a",)) == (3, 4)


@pytest.mark.parametrize(("text", "fragment"), [
    ("d: 2001-02-30\n", "`2001-02-30` as a date: day is out of range for month"),
    ("n: !!int abc\n", "`abc` as an integer (put it in quotes"),
    ("n: " + "9" * 5000 + "\n", "as an integer: it has too many digits"),
    ('n: !!int ""\n', "`` as an integer"),
    ("b: !!bool maybe\n", "`maybe` as true or false"),
    ("t: !!timestamp foo\n", "`foo` as a date"),
    ("f: !!float abc\n", "`abc` as a number"),
])
def test_constructor_errors_that_are_not_yaml_errors_are_located(text, fragment):
    [(line, col, code, msg)] = problems(text)
    assert (line, col, code) == (1, 4, "CD005")
    assert fragment in msg


def test_syntax_error_is_located():
    [(line, col, code, msg)] = problems("a: [1, 2\nb: 3\n")
    assert code == "CD001" and msg.startswith("invalid YAML: ")
    assert line == 2


def test_bad_utf8_is_located():
    [(line, col, code, msg)] = problems(b"a: ok\nb: caf\xe9\n")
    assert (line, col, code) == (2, 7, "CD001")
    assert "not UTF-8" in msg


def test_control_character():
    [(_, _, code, msg)] = problems(b"a: \x07\n")
    assert code == "CD001" and "U+0007" in msg


def test_bom_is_accepted():
    assert yamlio.parse(b"\xef\xbb\xbfa: 1\n", "f.yaml").data == {"a": 1}


def test_empty_document():
    doc = yamlio.parse(b"", "f.yaml")
    assert doc.data is None and doc.root is None
    assert doc.locate(("a",)) == (1, 1)


@pytest.mark.parametrize("n", [yamlio.MAX_DEPTH + 1, 5_000, 40_000])
def test_deep_nesting_is_refused_before_it_crashes_the_parser(n):
    [(line, col, code, msg)] = problems("[" * n + "]" * n)
    assert (line, col, code) == (1, yamlio.MAX_DEPTH + 1, "CD003")
    assert f"deeper than {yamlio.MAX_DEPTH}" in msg


@pytest.mark.parametrize("n", [999, 1_000, 1_001, 1_100, 3_000])
@pytest.mark.parametrize("closed", [True, False])
def test_depth_error_is_ours_whatever_libyaml_limits_itself_to(n, closed):
    # libyaml as bundled with PyYAML 6.0.4 has its own nesting limit of 1,000 and
    # scans ahead, so without care its CD001 fires before our guard's CD003.
    [(line, col, code, msg)] = problems("[" * n + ("]" * n if closed else ""))
    assert (line, col, code) == (1, yamlio.MAX_DEPTH + 1, "CD003"), msg
    assert msg == (f"nesting is deeper than {yamlio.MAX_DEPTH} levels; "
                   "a rubric or assessment never needs this")


@pytest.mark.parametrize("n", [yamlio.MAX_DEPTH + 1, 1_001, 1_100])
def test_deep_block_nesting_is_refused_with_the_same_error(n):
    text = "".join("  " * i + f"k{i}:\n" for i in range(n)) + "  " * n + "leaf\n"
    [(line, col, code, msg)] = problems(text)
    assert code == "CD003", msg
    assert (line, col) == (yamlio.MAX_DEPTH + 1, yamlio.MAX_DEPTH * 2 + 1)


def test_nesting_at_the_limit_is_fine():
    n = yamlio.MAX_DEPTH
    assert yamlio.parse(("[" * n + "]" * n).encode(), "f.yaml").data is not None


def test_billion_laughs_is_refused():
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    [(_, _, code, msg)] = problems(text)
    assert code == "CD003" and "aliases (*name) repeat more than 250,000 values" in msg


def test_too_many_aliases():
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * (yamlio.MAX_ALIASES + 1)) + "]\n"
    [(_, _, code, msg)] = problems(text)
    assert code == "CD003" and f"more than {yamlio.MAX_ALIASES:,} aliases" in msg


def test_yaml_11_typing_is_what_pyyaml_does():
    """The Norway problem is real; the schema layer (not the loader) gives the hint."""
    doc = yamlio.parse(b"a: no\nb: off\nc: NO\nd: 012\ne: 2024-01-02\n", "f.yaml")
    assert doc.data["a"] is False and doc.data["b"] is False and doc.data["c"] is False
    assert doc.data["d"] == 10
    assert str(doc.data["e"]) == "2024-01-02"


def test_read_bytes_refuses_what_is_not_a_small_regular_file(tmp_path):
    with pytest.raises(UnreadableInput) as e:
        yamlio.read_bytes(tmp_path / "missing.yaml")
    assert (e.value.code, e.value.exit_code) == ("CD002", 2)
    assert "no such file" in e.value.message
    with pytest.raises(UnreadableInput, match="is a directory"):
        yamlio.read_bytes(tmp_path)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 101)
    with pytest.raises(UnreadableInput) as e:
        yamlio.read_bytes(big, max_bytes=100)
    assert e.value.code == "CD003" and "101 bytes; the limit is 100" in e.value.message
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(UnreadableInput, match="not a regular file"):
        yamlio.read_bytes(fifo)


@pytest.mark.parametrize("special", ["/proc/self/status", "/proc/kmsg", "/dev/zero",
                                     "/dev/null", "/dev/tty"])
def test_special_files_are_refused_without_blocking(tmp_path, special):
    # /proc/kmsg says it is a regular file of size 0 and blocks on read; /dev/tty and
    # a FIFO block on open. Checked on the opened descriptor, so a link is no way round.
    if not os.path.exists(special):
        pytest.skip(f"{special} is not on this system")
    link = tmp_path / "rubric.yaml"
    link.symlink_to(special)
    for path in (special, link):
        try:
            yamlio.read_bytes(path)
        except UnreadableInput as e:
            assert e.code == "CD002" and "not a regular file" in e.message, e.message
        except OSError as e:  # e.g. /proc/kmsg without the right to read it
            pytest.fail(f"{special}: OSError escaped: {e}")
        else:
            pytest.fail(f"{special} was read")


def test_a_fifo_is_refused_even_when_swapped_in_after_the_first_check(tmp_path, monkeypatch):
    fifo = tmp_path / "a.yaml"
    os.mkfifo(fifo)
    real_stat = os.stat
    # the first check by name sees a regular file; the check on the open descriptor
    # still sees the FIFO, and the open does not block
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: real_stat(__file__))
    with pytest.raises(UnreadableInput, match="not a regular file"):
        yamlio.read_bytes(fifo)


def test_every_file_read_is_remembered_by_device_and_inode(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("a: 1\n")
    yamlio.READ_FILES.clear()
    yamlio.load(f)
    st = os.stat(f)
    assert (st.st_dev, st.st_ino) in yamlio.READ_FILES


def test_write_atomic_replaces_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "out.yaml"
    yamlio.write_atomic(target, "a: 1\n")
    yamlio.write_atomic(target, "a: 2\n")
    assert target.read_text() == "a: 2\n"
    assert sorted(os.listdir(tmp_path)) == ["out.yaml"]


def test_write_atomic_failure_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.yaml"
    target.write_text("old\n")

    def boom(*_a):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(CyberdipError, match="cannot write: disk full") as info:
        yamlio.write_atomic(target, "new\n")
    assert (info.value.code, info.value.exit_code) == ("CD402", 2)
    assert target.read_text() == "old\n"
    assert sorted(os.listdir(tmp_path)) == ["out.yaml"]


scalars = st.one_of(st.integers(-10**6, 10**6), st.text(max_size=20), st.booleans(), st.none(),
                    st.floats(allow_nan=False, allow_infinity=False))
trees = st.recursive(scalars, lambda kids: st.one_of(
    st.lists(kids, max_size=4), st.dictionaries(st.text(min_size=1, max_size=8), kids, max_size=4)),
    max_leaves=20)


@settings(max_examples=60, deadline=None)
@given(trees)
def test_dump_then_parse_round_trips(data):
    assert yamlio.parse(yamlio.dump(data).encode(), "f.yaml").data == data


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_escape_as_anything_but_invalid_input(data):
    try:
        yamlio.parse(data, "f.yaml")
    except InvalidInput as e:
        assert all(p.code.startswith("CD0") for p in e.problems)


def test_loader_rejects_python_tags():
    [(_, _, code, _)] = problems("a: !!python/object/apply:os.system ['true']\n")
    assert code in ("CD001", "CD005")
    assert issubclass(yamlio.GuardedLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@pytest.mark.parametrize("text", [
    "!!map --- |+\n ab\n \n  \n...\n",  # found by tests/fuzz: used to crash with ValueError
    "a: !!map [1, 2]\n",
    "a: !!set scalar\n",
    "a: !!omap {x: 1}\n",
    "a: !!seq {x: 1}\n",
    "a: !!str [1]\n",
])
def test_collection_tags_on_the_wrong_node_are_located(text):
    [(line, col, code, msg)] = problems(text)
    assert code == "CD001" and line >= 1 and col >= 1
    assert msg.startswith("invalid YAML: ")


@pytest.mark.parametrize("data", [b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80", b"a: caf\xe9\n"])
def test_bytes_that_are_not_utf8_are_reported_as_such(data):
    # libyaml reports some broken sequences as a code point above U+10FFFF, which chr()
    # cannot take; this once escaped as a ValueError.
    with pytest.raises(InvalidInput) as info:
        yamlio.parse(data, "x.yaml")
    (p,) = info.value.problems
    assert (p.code, p.message) == (
        "CD001", "the file contains bytes that are not UTF-8 (save the file as UTF-8)")


def test_values_written_and_values_aliases_add_are_two_limits_named_as_such():
    """A large document without an alias is not called an alias bomb: it is refused,
    above MAX_VALUES, in words that say what was counted."""
    n = yamlio.MAX_VALUES
    assert yamlio.MAX_VALUES > yamlio.MAX_ALIAS_VALUES
    fits = "a: [" + ",".join(["1"] * (n - 3)) + "]\n"
    assert len(yamlio.parse(fits.encode(), "f.yaml").data["a"]) == n - 3
    [(_, _, code, msg)] = problems("a: [" + ",".join(["1"] * n) + "]\n")
    assert code == "CD003" and "alias" not in msg
    assert msg.startswith(f"the document holds more than {n:,} values (keys, items and texts)")


def test_a_plain_rubric_of_ten_thousand_criteria_loads():
    from tests.hostile import big_rubric_text

    text = big_rubric_text(10_000, levels=True)
    assert "*" not in text and len(text) < yamlio.MAX_BYTES
    doc = yamlio.parse(text.encode(), "big.yaml")
    assert sum(len(a["criteria"]) for a in doc.data["areas"]) == 10_000


# -- the plain construction: PyYAML's objects, built in one walk -------------------------


class _PyYAMLOnly(yamlio.GuardedLoader):
    """The loader with the plain construction turned off: PyYAML's constructor always."""

    def _construct_plain(self, root):
        raise yamlio._NotPlain


def constructed(loader: type, data: bytes) -> tuple:
    """What ``loader`` makes of ``data``: the data's repr (which shows every type), or
    the error's type and text."""
    ld = loader(data)
    ld.duplicates = []
    try:
        node = ld.get_single_node()
        return ("data", repr(ld.construct_document(node)) if node is not None else None,
                [(d.mark.line, d.message) for d in ld.duplicates])
    except Exception as e:  # noqa: BLE001  (both must fail alike)
        return ("error", type(e).__name__, str(e))
    finally:
        ld.dispose()


def test_every_case_of_the_yaml_test_suite_constructs_as_pyyaml_constructs_it():
    from tests.conftest import DATA

    cases = sorted((DATA / "yaml-test-suite").glob("*/*.yaml"))
    assert len(cases) == 402
    for case in cases:
        data = case.read_bytes()
        assert constructed(yamlio.GuardedLoader, data) == constructed(_PyYAMLOnly, data), case


#: Plain scalars YAML 1.1 reads as something other than text, and texts near them.
SCALARS = st.sampled_from([
    "yes", "No", "on", "off", "~", "null", "", "0x1F", "0o17", "017", "1_000", "1:30",
    "-1:30:00", ".inf", "-.Inf", ".nan", "1e3", "1.5", "+7", "2001-12-14",
    "2001-12-14t21:59:43.10-05:00", "2001-02-30", "12:60", "1e", "0b101", "true",
    "<<", "=", "!", "&a", "a: b", "- x", "'q'", '"q"', "#c",
])


@st.composite
def documents(draw) -> bytes:
    """A YAML document: nested mappings and sequences of the scalars above and of any
    text, in block or flow style, maybe with a duplicate key, an anchor and alias, a
    merge key or a tag."""
    leaf = st.one_of(SCALARS, st.text(max_size=12))
    tree = st.recursive(leaf, lambda kids: st.one_of(
        st.lists(kids, max_size=4), st.dictionaries(st.one_of(SCALARS, st.text(max_size=6)),
                                                    kids, max_size=4)), max_leaves=12)
    data = {"top": draw(tree)}
    text = yaml.safe_dump(data, default_flow_style=draw(st.sampled_from([False, True, None])),
                          allow_unicode=draw(st.booleans()), sort_keys=False)
    # what a person may also write, which a dump never does: bare scalars of every
    # kind, duplicates, anchors and aliases, merge keys, tags
    extra = draw(st.lists(st.sampled_from([
        "x: {s}", "top: again", "a: &a [1, 2]\nb: *a", "base: &b {{k: 1}}\nm:\n  <<: *b\n  j: 2",
        "t: !!str 12", "u: !!binary aGk=", "s: !!set {{a, b}}", "o: !!omap [a: 1]",
        "r: &r [*r]", "k: {{1: a, 1: b}}", "n: [{s}, {s}]",
    ]), max_size=3))
    for line in extra:
        text += line.format(s=draw(SCALARS)) + "\n"
    return text.encode("utf-8")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(documents())
def test_random_documents_construct_as_pyyaml_constructs_them(data):
    assert constructed(yamlio.GuardedLoader, data) == constructed(_PyYAMLOnly, data)


def test_the_plain_construction_is_the_one_taken_for_a_plain_document(monkeypatch):
    calls = []
    real = yaml.constructor.BaseConstructor.construct_document
    monkeypatch.setattr(yaml.constructor.BaseConstructor, "construct_document",
                        lambda self, node: calls.append(node) or real(self, node))
    assert yamlio.parse(b"a: [1, yes, x]\nb: {c: 2001-12-14}\n", "f.yaml").data == {
        "a": [1, True, "x"], "b": {"c": __import__("datetime").date(2001, 12, 14)}}
    assert calls == []
    # an alias, which may point back up, goes PyYAML's way
    assert yamlio.parse(b"a: &x [1]\nb: *x\n", "f.yaml").data == {"a": [1], "b": [1]}
    assert len(calls) == 1
