"""Guarded YAML loading with positions, and atomic writing.

PyYAML has traps (STYLE.md lists them); this module is the one place that
knows them:

* files are size-capped and read as bytes, so PyYAML handles BOMs and bad UTF-8;
* the event stream is walked first to cap nesting depth and the number of
  nodes that aliases expand to ("billion laughs");
* duplicate keys are an error naming both lines;
* every exception the constructor can raise becomes a located error;
* the composed node tree is kept so that a data path such as
  ``("areas", 2, "criteria", 0, "weight")`` maps back to ``line:col``.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cyberdip.errors import CyberdipError, InvalidInput, Problem, UnreadableInput

#: The libyaml loader when PyYAML was built with it, else the pure-Python one.
BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIASES = 1_000
#: Values (keys, scalars, lists and mappings) written in a document: far more than the
#: largest rubric cyberdip supports (10,000 criteria with a descriptor and a
#: recommendation for every level hold about 400,000), and few enough to load in
#: seconds and a few hundred MB (docs/limits.md).
MAX_VALUES = 600_000
#: Values that aliases (``*name``) add when they are expanded: a "billion laughs" file
#: is small and cheap to parse but explodes when walked.
MAX_ALIAS_VALUES = 250_000
#: Below this size, and with no alias (``*``) anywhere in the bytes, the event pass
#: is not needed before composing: without aliases a document expands to at most one
#: value per byte, and libyaml composes nesting far deeper than this many bytes allow
#: (24,000 levels were tested) without exhausting the stack. The depth cap is then
#: checked on the composed nodes instead, which is twenty times cheaper than a second
#: parse; ``aggregate`` reads small files by the thousand.
SMALL_WITHOUT_ALIASES = 8 * 1024


@dataclass
class Document:
    """A loaded YAML file: its data and the node tree that located it."""

    path: str
    data: Any
    root: yaml.Node | None
    #: Problems found while loading that did not stop it (duplicate keys when
    #: ``keep_going`` was asked for). Callers that check the data add these.
    problems: list[Problem] = field(default_factory=list)
    #: For the answers an offline form saved: the envelope around them (what the form
    #: was made from), while ``data`` and ``root`` are the assessment inside it.
    wrapper: dict[str, Any] | None = None

    def _walk(self, loc: Sequence[Any]) -> list[tuple[Any, yaml.Node, yaml.Node | None]]:
        """Follow ``loc`` through the node tree.

        Returns ``(segment, value node, key node)`` for each segment found in
        the data. Segments that are not there (pydantic adds union tags such as
        ``level`` or validator names) are skipped.
        """
        out: list[tuple[Any, yaml.Node, yaml.Node | None]] = []
        node = self.root
        if node is None:
            return out
        for seg in loc:
            if isinstance(node, yaml.MappingNode):
                # the last of duplicate keys is the one the data holds
                for k, v in reversed(node.value):
                    if isinstance(k, yaml.ScalarNode) and k.value == str(seg):
                        out.append((seg, v, k))
                        node = v
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(seg, int):
                if 0 <= seg < len(node.value):
                    node = node.value[seg]
                    out.append((seg, node, None))
        return out

    def data_path(self, loc: Sequence[Any]) -> tuple[Any, ...]:
        """``loc`` without the segments that are not keys or indexes in the file."""
        return tuple(seg for seg, _, _ in self._walk(loc))

    def node_at(self, loc: Sequence[Any]) -> yaml.Node | None:
        """The node at ``loc`` when its last segment is in the file, else None."""
        if not loc:
            return self.root
        steps = self._walk(loc)
        return steps[-1][1] if steps and steps[-1][0] == loc[-1] else None

    def locate(self, loc: Sequence[Any], *, key: bool = False) -> tuple[int, int]:
        """1-based ``(line, col)`` of the deepest node found along ``loc``.

        With ``key=True`` the mark of the last mapping key is returned, which
        is where an unknown key should point.
        """
        steps = self._walk(loc)
        if not steps:
            mark = self.root.start_mark if self.root is not None else None
        else:
            _, value, key_node = steps[-1]
            mark = key_node.start_mark if key and key_node is not None else value.start_mark
        if mark is None:
            return (1, 1)
        return (mark.line + 1, mark.column + 1)


class _LocatedError(Exception):
    def __init__(self, mark: yaml.Mark, message: str, code: str = "CD005") -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message
        self.code = code


_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
#: The scalar tags YAML 1.1 resolves plain scalars to, besides text: built by PyYAML's
#: own constructor functions on either path.
_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{t}"
                         for t in ("int", "float", "bool", "null", "timestamp"))


class _NotPlain(Exception):
    """The document holds something the plain construction leaves to PyYAML's."""


class GuardedLoader(BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that rejects duplicate keys and locates constructor errors.

    With ``keep_going`` set, a duplicate key is recorded in ``duplicates`` (the
    later value wins, as in PyYAML) instead of stopping the load, so a
    validator can report it alongside every other problem in the file.
    """

    keep_going = False

    def construct_document(self, node: yaml.Node) -> Any:
        """The document's data. Most documents are plain: mappings with text keys, each
        key once, sequences, and scalars of the YAML 1.1 types, with no alias. Those are
        built in one walk of the nodes, about seven times faster than PyYAML's
        constructor (which walks with a generator per collection, for aliases that
        point back up). Anything else (an alias, a duplicate or non-text key, a merge
        key, another tag, a value that will not construct) is built by PyYAML's
        constructor from the start, with every check and located error as before; a
        test holds the two equal on the YAML test suite and on random documents."""
        try:
            return self._construct_plain(node)
        except _NotPlain:
            return super().construct_document(node)

    def _construct_plain(self, root: yaml.Node) -> Any:
        scalars = self.yaml_constructors
        seen: set[int] = set()  # collection nodes built: a second visit is an alias

        def build(node: yaml.Node) -> Any:
            kind, tag = type(node), node.tag
            if kind is yaml.ScalarNode:
                if tag == _STR_TAG:
                    return node.value
                if tag not in _SCALAR_TAGS:
                    raise _NotPlain
                try:
                    return scalars[tag](self, node)
                except Exception:  # noqa: BLE001  (PyYAML's path locates the error)
                    raise _NotPlain from None
            if id(node) in seen:
                raise _NotPlain
            seen.add(id(node))
            if kind is yaml.MappingNode and tag == _MAP_TAG:
                out: dict[str, Any] = {}
                for key_node, value_node in node.value:
                    if type(key_node) is not yaml.ScalarNode or key_node.tag != _STR_TAG:
                        raise _NotPlain
                    key = key_node.value
                    if key in out:
                        raise _NotPlain
                    out[key] = build(value_node)
                return out
            if kind is yaml.SequenceNode and tag == _SEQ_TAG:
                return [build(item) for item in node.value]
            raise _NotPlain

        return build(root)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        if not isinstance(node, yaml.MappingNode):  # `!!map` on a scalar or a sequence
            return super().construct_mapping(node, deep=deep)  # raises a located YAMLError
        seen: dict[Any, yaml.Mark] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            # A plain string key is its own text; only other tags need constructing
            # (so `1` and `0x1` still collide). This loop runs for every mapping.
            key = (key_node.value if key_node.tag == _STR_TAG
                   else self.construct_object(key_node, deep=True))
            try:
                first = seen.get(key)
            except TypeError:
                continue
            if first is not None:
                error = _LocatedError(
                    key_node.start_mark,
                    f"duplicate key `{key}`: it is already set on line {first.line + 1}; "
                    "keep one of the two",
                    code="CD101",
                )
                if not self.keep_going:
                    raise error
                self.duplicates.append(error)
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (_LocatedError, yaml.YAMLError):
            raise
        except (ValueError, IndexError, KeyError, AttributeError, TypeError, OverflowError) as e:
            detail = str(e).splitlines()[0] if isinstance(e, ValueError) and str(e) else ""
            if "digits" in detail:
                detail = "it has too many digits"
            elif not detail.startswith(("day", "month", "year")):
                detail = ""  # Python's own wording would only confuse
            raise _LocatedError(
                node.start_mark,
                f"cannot read the value {_preview(node)} as {_tag_name(node.tag)}"
                + (f": {detail}" if detail else " (put it in quotes if it is meant as text)"),
            ) from None


def _tag_name(tag: str) -> str:
    short = tag.rsplit(":", 1)[-1]
    return {"int": "an integer", "float": "a number", "bool": "true or false",
            "timestamp": "a date", "binary": "binary data"}.get(short, f"`{short}`")


def _preview(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        text = node.value if len(node.value) <= 40 else node.value[:37] + "..."
        return f"`{text}`"
    return "here"


def _check_regular(st: os.stat_result, p: str, max_bytes: int) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise UnreadableInput("is a directory, not a file", path=p)
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableInput("is not a regular file (a FIFO, socket or device?)", path=p)
    if st.st_size > max_bytes:
        raise UnreadableInput(
            f"file is {st.st_size:,} bytes; the limit is {max_bytes:,} "
            "(is this really a rubric or an assessment?)",
            path=p, code="CD003",
        )


#: ``(st_dev, st_ino)`` of every file this process has read. An output is never
#: written over one of them (``cyberdip.cli.refuse_to_clobber``): the assessment, and
#: the rubric it names, whatever path or link or bind mount spells them.
READ_FILES: set[tuple[int, int]] = set()

#: Opening a FIFO without a writer, or reading a character device or /proc/kmsg,
#: would block for ever; with O_NONBLOCK the open returns and the checks below refuse.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_bytes(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a regular file of sensible size, and never block.

    The file is checked twice: by name first (for a clear message about a missing
    file or a folder), and again *after opening*, on the open descriptor, so that a
    file swapped for a FIFO or a device in between is refused too. A "regular" file
    that gives more bytes than its size says (a /proc or /sys file such as
    /proc/kmsg) is refused as well: it is not a file anybody wrote.
    """
    p = os.fspath(path)
    try:
        _check_regular(os.stat(p), p, max_bytes)
    except FileNotFoundError:
        raise UnreadableInput(f"no such file: {p} (check the path)", path=p) from None
    except OSError as e:
        raise UnreadableInput(f"cannot read {p}: {e.strerror}", path=p) from None
    try:
        fd = os.open(p, _OPEN_FLAGS)
    except OSError as e:
        raise UnreadableInput(f"cannot read {p}: {e.strerror}", path=p) from None
    try:
        st = os.fstat(fd)
        _check_regular(st, p, max_bytes)
        READ_FILES.add((st.st_dev, st.st_ino))
        chunks: list[bytes] = []
        want = st.st_size + 1  # one byte more than the size says, to catch a liar
        got = 0
        while got < want:
            chunk = os.read(fd, want - got)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except BlockingIOError:
        raise UnreadableInput("is not a regular file: reading it would wait for ever (a "
                              "/proc or /sys file, or a device?)", path=p) from None
    except OSError as e:
        raise UnreadableInput(f"cannot read {p}: {e.strerror}", path=p) from None
    finally:
        os.close(fd)
    if got > st.st_size:
        if st.st_size == 0:
            raise UnreadableInput("is not a regular file: it says it is empty but has content "
                                  "(a /proc or /sys file?)", path=p)
        raise UnreadableInput("changed while it was being read; try again", path=p)
    return b"".join(chunks)


def _problem(path: str, mark: Any, code: str, message: str) -> Problem:
    line = getattr(mark, "line", 0) + 1 if mark is not None else 0
    col = getattr(mark, "column", 0) + 1 if mark is not None else 0
    return Problem(path, line, col, "error", code, message)


def _check_events(data: bytes, path: str, loader: type = BaseLoader) -> None:
    """Walk parser events to cap depth, aliases and expanded size before building."""
    depth = 0
    aliases = 0
    nodes = 0  # values written
    expanded = 0  # values aliases add
    sizes: dict[str, int] = {}
    frames: list[tuple[str | None, int]] = []
    for ev in yaml.parse(data, Loader=loader):
        if isinstance(ev, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise InvalidInput([_problem(path, ev.start_mark, "CD003",
                                             f"nesting is deeper than {MAX_DEPTH} levels; "
                                             "a rubric or assessment never needs this")])
            nodes += 1
            frames.append((ev.anchor, nodes))
        elif isinstance(ev, yaml.CollectionEndEvent):
            depth -= 1
            anchor, start = frames.pop()
            if anchor is not None:
                sizes[anchor] = nodes - start + 1
        elif isinstance(ev, yaml.ScalarEvent):
            nodes += 1
            if ev.anchor is not None:
                sizes[ev.anchor] = 1
        elif isinstance(ev, yaml.AliasEvent):
            aliases += 1
            # an alias inside an anchored collection counts toward its size too, so an
            # alias of it repeats what it repeats
            size = sizes.get(ev.anchor, 1)
            nodes += size
            expanded += size
            if aliases > MAX_ALIASES:
                raise InvalidInput([_problem(path, ev.start_mark, "CD003",
                                             f"more than {MAX_ALIASES:,} aliases (*name); a "
                                             "rubric or assessment needs none")])
            if expanded > MAX_ALIAS_VALUES:
                raise InvalidInput([_problem(path, ev.start_mark, "CD003",
                                             f"aliases (*name) repeat more than "
                                             f"{MAX_ALIAS_VALUES:,} values (aliases that "
                                             "repeat aliases, a \"billion laughs\"?)")])
        if nodes - expanded > MAX_VALUES:
            raise InvalidInput([_problem(path, ev.start_mark, "CD003",
                                         f"the document holds more than {MAX_VALUES:,} "
                                         "values (keys, items and texts), more than the "
                                         "largest rubric cyberdip reads (10,000 criteria; "
                                         "see docs/limits.md)")])


def _check_node_depth(root: yaml.Node, path: str) -> None:
    """The depth cap of :func:`_check_events`, checked on composed nodes (document order)."""
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            continue
        if depth > MAX_DEPTH:
            raise InvalidInput([_problem(path, node.start_mark, "CD003",
                                         f"nesting is deeper than {MAX_DEPTH} levels; "
                                         "a rubric or assessment never needs this")])
        if isinstance(node, yaml.MappingNode):
            kids = [n for pair in node.value for n in pair]
        else:
            kids = list(node.value)
        stack.extend((k, depth + 1) for k in reversed(kids))


def _yaml_error(e: yaml.YAMLError, path: str, data: bytes) -> Problem:
    if isinstance(e, yaml.MarkedYAMLError):
        mark = e.problem_mark or e.context_mark
        msg = " ".join(x for x in (e.context, e.problem) if x) or "invalid YAML"
        return _problem(path, mark, "CD001", f"invalid YAML: {msg}")
    if isinstance(e, yaml.reader.ReaderError):
        pos = e.position if isinstance(e.position, int) else 0
        head = data[:pos]
        line = head.count(b"\n") + 1
        col = pos - (head.rfind(b"\n") + 1) + 1
        code = e.character if isinstance(e.character, int) else (
            ord(e.character) if isinstance(e.character, str) and len(e.character) == 1 else -1)
        reason = str(getattr(e, "reason", "") or "")
        if "octet" in reason or "UTF-8" in reason or "utf-8" in reason:
            code = -1
        if code == 0:
            what = "a NUL byte (is it a binary file?)"
        elif 0 < code <= 0x10FFFF:
            what = f"the control character U+{code:04X}, which YAML does not allow"
        else:  # bytes, -1, or a value libyaml decoded from a broken sequence
            what = "bytes that are not UTF-8 (save the file as UTF-8)"
        return Problem(path, line, col, "error", "CD001", f"the file contains {what}")
    return Problem(path, 1, 1, "error", "CD001", f"invalid YAML: {str(e).splitlines()[0]}")


def _guard_error_path(data: bytes, path: str, e: yaml.YAMLError) -> None:
    """Let the guards speak first when parsing failed before they could.

    Two cases reach here: a small file, composed without the event walk, that
    has a syntax error; and libyaml's own nesting limit (1,000 levels in the
    libyaml bundled with PyYAML 6.0.4), which its scanner reaches while looking
    ahead, before our walk reaches ``MAX_DEPTH``. The pure-Python parser has no
    such limit and yields events as it goes, so walking it raises the same located
    ``CD003`` whatever PyYAML or libyaml is installed. Only error paths pay for it.
    """
    try:
        _check_events(data, path, loader=yaml.SafeLoader)
    except yaml.YAMLError:
        pass
    if "maximum nesting depth" in str(e):
        raise InvalidInput([_problem(path, getattr(e, "problem_mark", None), "CD003",
                                     f"nesting is deeper than {MAX_DEPTH} levels; "
                                     "a rubric or assessment never needs this")])


def parse(data: bytes, path: str, *, keep_going: bool = False) -> Document:
    """Parse YAML bytes into a located :class:`Document`, or raise :class:`InvalidInput`.

    With ``keep_going``, duplicate keys do not stop the load: they end up in
    ``Document.problems`` for the caller to report with the rest.
    """
    duplicates: list[_LocatedError] = []
    root = None
    try:
        small = len(data) <= SMALL_WITHOUT_ALIASES and b"*" not in data
        if not small:
            _check_events(data, path)
        loader = GuardedLoader(data)
        loader.keep_going = keep_going
        loader.duplicates = duplicates
        try:
            root = loader.get_single_node()
            if small and root is not None:
                _check_node_depth(root, path)
            value = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except _LocatedError as e:
        error = InvalidInput([_problem(path, e.mark, e.code, e.message)])
        # what the file is, for callers that must not quote a file that is not theirs
        error.top_keys = _top_keys(root)
        raise error from None
    except yaml.YAMLError as e:
        if small or "maximum nesting depth" in str(e):
            _guard_error_path(data, path, e)
        raise InvalidInput([_yaml_error(e, path, data)]) from None
    except RecursionError:
        raise InvalidInput([Problem(path, 1, 1, "error", "CD003",
                                    "the document is nested too deeply")]) from None
    except UnicodeError as e:
        raise InvalidInput([Problem(path, 1, 1, "error", "CD001",
                                    f"the file is not valid text: {e.reason}")]) from None
    problems = [_problem(path, d.mark, d.code, d.message) for d in duplicates]
    return Document(path, value, root, problems)


def _top_keys(root: yaml.Node | None) -> frozenset[str]:
    """The plain keys of a top-level mapping node, without constructing anything."""
    if not isinstance(root, yaml.MappingNode):
        return frozenset()
    return frozenset(k.value for k, _ in root.value if isinstance(k, yaml.ScalarNode))


def load(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES,
         keep_going: bool = False) -> Document:
    """Read and parse one YAML file with every guard in place."""
    p = os.fspath(path)
    return parse(read_bytes(p, max_bytes=max_bytes), p, keep_going=keep_going)


def dump(data: Any) -> str:
    """Dump plain data as block-style YAML, keeping key order."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=88)


def special_kind(path: str | os.PathLike[str]) -> str | None:
    """What ``path`` is when it exists and is not a regular file, following links: ``a
    FIFO``, ``a device``, ``a socket``, ``a folder``; None for a regular file, or for
    nothing there (a dangling link too)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def refuse_special(path: str | os.PathLike[str]) -> None:
    """Refuse (CD401, exit 2) to write over anything but a regular file: a FIFO, a
    device node, a socket, or a link to one is never replaced by a regular file, not
    even with ``--force`` (docs/cli.md, "Output files")."""
    kind = special_kind(path)
    if kind is None:
        return
    link = " (through a symbolic link)" if os.path.islink(path) else ""
    raise CyberdipError(
        f"is {kind}{link}, not a regular file; cyberdip writes only regular files and "
        "never replaces anything else, not even with --force: name a regular file (to "
        "write to standard output, use `-o -` or leave out -o, as the command's help "
        "says)",
        path=str(path), code="CD401", exit_code=2)


def write_atomic(path: str | os.PathLike[str], content: str | bytes) -> None:
    """Write ``content`` to ``path`` via a temp file in the same folder and ``os.replace``.

    A reader never sees a half-written file, and a failure leaves nothing behind. What
    is at ``path`` must be a regular file, or nothing (``refuse_special``).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    data = content.encode("utf-8") if isinstance(content, str) else content
    refuse_special(target)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as e:
        reason = "the folder does not exist" if isinstance(e, FileNotFoundError) else e.strerror
        raise CyberdipError(f"cannot write here: {reason}", path=str(target), code="CD402",
                            exit_code=2) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(e, OSError):
            raise CyberdipError(f"cannot write: {e.strerror or e}", path=str(target),
                                code="CD402", exit_code=2) from None
        raise
