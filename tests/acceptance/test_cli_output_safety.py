"""What cyberdip prints cannot be turned against the reader.

* Text from a file (a key, a value, a name in a rubric) never reaches the terminal
  with its control characters: ``ESC ] 0 ;`` would set the window title, ``ESC [ 2 J``
  clear the screen, ``ESC ] 52`` write the clipboard. They are shown as ``\\u001b``.
* A cell of a CSV cyberdip writes never starts like a formula.
* No file name leads to exit 3: names that are not UTF-8 are shown by their bytes
  (``\\xff``), even when stdout is strict UTF-8.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT

MINI = DATA / "rubrics" / "mini.yaml"
ANSWERED = DATA / "assessments" / "mini-answered.yaml"

#: Raw control characters a terminal would obey (newline and tab are layout).
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: The sequence the issue reported, as a YAML double-quoted scalar, and as shown.
PWN_YAML = "9\\e]0;PWNED\\a\\e[2J"
PWN = "9\x1b]0;PWNED\x07\x1b[2J"
PWN_SHOWN = "9\\u001b]0;PWNED\\u0007\\u001b[2J"


def hostile_files(folder: Path) -> tuple[Path, Path]:
    """A rubric with control characters and formulas in its words, and an assessment of
    it whose organisation, unknown key (CD301) and evidence link (CD308) carry them."""
    text = MINI.read_text()
    for old, new in [("title: A two-area rubric for tests", 'title: "Rubric\\e]0;T\\a"'),
                     ("name: Formative", 'name: "=1+1"'),
                     ("    title: Policy", '    title: "Policy\\u202e\\x9b2J"'),
                     ("    title: Outreach", '    title: "@SUM(1)"'),
                     ("3: Fund it.", '3: "Fund\\e]52;c;eA==\\a it."')]:
        assert old in text
        text = text.replace(old, new)
    (folder / "rubric.yaml").write_text(text)
    answers = ANSWERED.read_text().replace("../rubrics/mini.yaml", "rubric.yaml").replace(
        "{name: Test Ministry}", f'{{name: "{PWN_YAML}"}}')
    good = folder / "hostile.yaml"
    good.write_text(answers)
    bad = folder / "bad.yaml"
    bad.write_text(answers.replace(
        "answers:\n", 'answers:\n  "x\\e]52;c;SGVsbG8=\\a": {level: 1}\n').replace(
        '["PECA 2016"]', '["javascript:\\e]0;PWNED\\a"]'))
    return good, bad


def no_controls(text: str) -> None:
    found = CONTROLS.findall(text)
    assert not found, f"raw control characters reached the output: {found!r}"


# -- control characters ------------------------------------------------------------------


def test_validate_text_escapes_values_in_cd301_and_cd308(cli, tmp_path):
    _, bad = hostile_files(tmp_path)
    r = cli("validate", bad)
    no_controls(r.stdout + r.stderr)
    assert r.code == 1
    assert (f"{bad}:6:3: error[CD301]: `x\\u001b]52;c;SGVsbG8=\\u0007` is not a criterion "
            "of `mini`") in r.stdout
    assert ("warning[CD308]: evidence link `javascript:\\u001b]0;PWNED\\u0007` uses the "
            "`javascript:` scheme") in r.stdout
    assert len(r.stdout.splitlines()) == 2  # one problem, one line
    assert r.stderr == "1 file checked, 1 error in 1 file, 1 warning\n"


def test_validate_github_and_json_escape_them_too(cli, tmp_path):
    _, bad = hostile_files(tmp_path)
    gh = cli("validate", bad, "--format", "github")
    no_controls(gh.stdout)
    assert gh.code == 1 and "::`x\\u001b]52;c;SGVsbG8=\\u0007` is not" in gh.stdout
    js = cli("validate", bad, "--format", "json")
    no_controls(js.stdout.replace("\n", ""))
    assert js.code == 1
    messages = [p["message"] for p in json.loads(js.stdout)["files"][0]["problems"]]
    assert any("x\x1b]52;c;SGVsbG8=\x07" in m for m in messages)  # JSON keeps the data


def test_colour_on_a_terminal_is_kept_and_only_ours(cli, tmp_path, monkeypatch):
    _, bad = hostile_files(tmp_path)
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    r = cli("validate", bad)
    assert r.code == 1 and "\x1b[1;31merror[CD301]:\x1b[0m" in r.stdout
    no_controls(re.sub(r"\x1b\[[0-9;]*m", "", r.stdout))
    assert "x\\u001b]52;c;SGVsbG8=\\u0007" in r.stdout
    good, _ = hostile_files(tmp_path)
    s = cli("score", good)
    assert s.code == 0 and "\x1b[1m" in s.stdout
    no_controls(re.sub(r"\x1b\[[0-9;]*m", "", s.stdout))


def test_score_text_escapes_every_name_from_the_files(cli, tmp_path):
    good, _ = hostile_files(tmp_path)
    r = cli("score", good)
    no_controls(r.stdout + r.stderr)
    assert (r.code, r.stderr) == (0, "")
    lines = r.stdout.splitlines()
    assert lines[0] == PWN_SHOWN
    assert lines[1].startswith("Rubric\\u001b]0;T\\u0007 (mini 1.0.0)")
    assert "Policy\\u202e\\u009b2J" in r.stdout
    assert "Fund\\u001b]52;c;eA==\\u0007 it." in r.stdout


def test_score_json_is_valid_and_exact(cli, tmp_path):
    good, _ = hostile_files(tmp_path)
    r = cli("score", good, "--format", "json")
    no_controls(r.stdout.replace("\n", ""))
    assert (r.code, r.stderr) == (0, "")
    card = json.loads(r.stdout)
    assert card["organisation"]["name"] == PWN
    assert "\\u202e" in r.stdout and "\\u009b" in r.stdout


def test_aggregate_and_compare_text_on_stdout_are_escaped(cli, tmp_path):
    good, _ = hostile_files(tmp_path)
    for args in (("aggregate", good), ("compare", good, good)):
        r = cli(*args)
        assert r.code == 0, r.stderr
        no_controls(r.stdout + r.stderr)


# -- formulas --------------------------------------------------------------------------


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def no_formulas(rows: list[dict[str, str]]) -> None:
    for row in rows:
        bad = [v for v in row.values() if v and v[0] in "=+-@\t\r\n\x00"]
        assert not bad, f"cells a spreadsheet would take for formulas: {bad!r}"


def test_aggregate_csv_never_writes_a_live_formula(cli, tmp_path):
    good, _ = hostile_files(tmp_path)
    r = cli("aggregate", good, "-f", "csv")
    assert r.code == 0, r.stderr
    rows = csv_rows(r.stdout)
    no_formulas(rows)
    assert rows[0]["stage_name"] == "'=1+1"  # the scale named =1+1
    assert rows[0]["organisation"] == PWN_SHOWN  # on a terminal, escaped; not a formula
    assert float(rows[0]["index"]) > 0
    sheet = tmp_path / "a.csv"
    w = cli("aggregate", good, "-f", "csv", "-o", sheet)
    assert (w.code, w.stdout) == (0, "")
    rows = csv_rows(sheet.read_text(encoding="utf-8"))
    no_formulas(rows)
    # in the file too: a CSV is read back in terminals and editors, so escaped as well
    assert rows[0]["stage_name"] == "'=1+1" and rows[0]["organisation"] == PWN_SHOWN


def test_compare_csv_never_writes_a_live_formula(cli, tmp_path):
    good, _ = hostile_files(tmp_path)
    r = cli("compare", good, good, "-f", "csv")
    assert r.code == 0, r.stderr
    rows = csv_rows(r.stdout)
    no_formulas(rows)
    assert "'@SUM(1)" in [row["title"] for row in rows]


def test_blank_sheet_never_writes_a_live_formula(cli, tmp_path):
    hostile_files(tmp_path)
    sheet = tmp_path / "s.csv"
    r = cli("init", tmp_path / "rubric.yaml", "-o", sheet)
    assert r.code == 0, r.stderr
    rows = list(csv.reader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"), newline="")))
    assert not [c for row in rows for c in row if c and c[0] in "=+-@\t\r\n\x00"]
    assert "'@SUM(1)" in [row[1] for row in rows if len(row) > 1]


# -- file names that are not UTF-8 -------------------------------------------------------


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_strict(*args: str | bytes | Path, cwd: Path, encoding: str = "utf-8") -> Run:
    """The real CLI with stdout and stderr in strict UTF-8 (or ``encoding``): a name
    that cannot be encoded would be exit 3. Output must decode strictly."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": f"{encoding}:strict"}
    env.pop("GITHUB_ACTIONS", None)
    p = subprocess.run([sys.executable, "-m", "cyberdip", *args], cwd=cwd, env=env,
                       capture_output=True, timeout=60)
    r = Run(p.returncode, p.stdout.decode(encoding), p.stderr.decode(encoding))
    assert "internal error" not in r.stderr and r.code != 3, r.stderr
    no_controls(r.stdout.replace("\n", "").replace("\t", "") + r.stderr.replace("\n", ""))
    return r


NAME = b"\xff\xfe.yaml"
SHOWN = r"\xff\xfe.yaml"


def readable(text: str, fmt: str) -> str:
    """The text a reader of this format sees: JSON strings decoded, Markdown's
    backslash escapes undone."""
    if fmt == "json":
        found: list[str] = []

        def walk(v: object) -> None:
            if isinstance(v, str):
                found.append(v)
            elif isinstance(v, dict):
                for x in v.values():
                    walk(x)
            elif isinstance(v, list):
                for x in v:
                    walk(x)

        walk(json.loads(text))
        return "\n".join(found)
    return text.replace("\\\\", "\\") if fmt == "md" else text


def shows(raw: bytes, text: str, fmt: str) -> bool:
    """Whether the file name ``raw`` is in the output, shown by its bytes (``\\xff``).
    Where ``cli.out`` had to escape what a renderer left raw, it shows the JSON escape
    of the surrogates (``\\udcff``), which JSON decodes back to the name itself."""
    name = os.fsdecode(raw)
    shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    fallback = name.encode("utf-8", "backslashreplace").decode("ascii")
    seen = readable(text, fmt)
    return shown in seen or (name if fmt == "json" else fallback) in seen


@pytest.fixture
def odd(tmp_path) -> Path:
    """A folder with ``rubric.yaml``, ``ok.yaml`` and ``\\xff\\xfe.yaml`` (an assessment
    with a non-UTF-8 name), and ``missions/`` whose first file has such a name."""
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(MINI.read_text())
    text = ANSWERED.read_text().replace("../rubrics/mini.yaml", "rubric.yaml")
    (tmp_path / "ok.yaml").write_text(text)
    try:
        with open(os.path.join(os.fsencode(tmp_path), NAME), "w") as f:
            f.write(text)
        missions = tmp_path / "missions"
        missions.mkdir()
        with open(os.path.join(os.fsencode(missions), b"a\xff.yaml"), "w") as f:
            f.write(text.replace("rubric.yaml", "../rubric.yaml"))
    except OSError:
        pytest.skip("this file system refuses file names that are not UTF-8")
    (missions / "b.yaml").write_text(text.replace("rubric.yaml", "../rubric.yaml")
                                     .replace("Test Ministry", "Other Ministry"))
    return tmp_path


def test_score_a_file_named_in_non_utf8(odd):
    r = run_strict("score", NAME, cwd=odd)
    assert (r.code, r.stderr) == (0, "") and r.stdout.startswith("Test Ministry\n")
    j = run_strict("score", NAME, "-f", "json", cwd=odd)
    assert (j.code, j.stderr) == (0, "") and json.loads(j.stdout)["organisation"]


def test_a_strict_ascii_stdout_is_not_an_internal_error_either(odd):
    r = run_strict("score", NAME, cwd=odd, encoding="ascii")
    assert (r.code, r.stderr) == (0, "") and "\\u2588" in r.stdout  # the bars, escaped
    j = run_strict("aggregate", "missions", "-f", "json", cwd=odd, encoding="ascii")
    assert j.code == 0
    paths = sorted(row["path"] for row in json.loads(j.stdout)["table"])
    assert paths[0] in (os.fsdecode(b"missions/a\xff.yaml"), r"missions/a\xff.yaml")


def test_a_missing_file_named_in_non_utf8_is_exit_2(odd):
    r = run_strict("score", b"nope\xff.yaml", cwd=odd)
    assert (r.code, r.stdout) == (2, "")
    assert r.stderr.startswith(r"nope\xff.yaml: error[CD002]: ")


def test_validate_files_named_in_non_utf8(odd):
    assert run_strict("validate", NAME, cwd=odd) == Run(0, "", "1 file checked: all valid\n")
    with open(os.path.join(os.fsencode(odd), b"bad\xff.yaml"), "w") as f:
        f.write("rubric: [\n")
    r = run_strict("validate", b"bad\xff.yaml", NAME, cwd=odd)
    assert r.code == 1
    assert r.stdout.startswith(r"bad\xff.yaml:2:1: error[CD001]: invalid YAML")
    gh = run_strict("validate", b"bad\xff.yaml", "-f", "github", cwd=odd)
    assert gh.code == 1 and gh.stdout.startswith(r"::error file=bad\xff.yaml,")
    js = run_strict("validate", b"bad\xff.yaml", NAME, "-f", "json", cwd=odd)
    assert js.code == 1
    paths = [f["path"] for f in json.loads(js.stdout)["files"]]
    assert [os.fsencode(p) if "\udcff" in p else p for p in paths] in (
        [b"bad\xff.yaml", NAME], [r"bad\xff.yaml", SHOWN])


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "md", "html"])
def test_compare_a_file_named_in_non_utf8_on_stdout(odd, fmt):
    r = run_strict("compare", NAME, "ok.yaml", "-f", fmt, cwd=odd)
    assert r.code == 0, r.stderr
    if fmt != "csv":  # the CSV has one row per area, no file names
        assert shows(NAME, r.stdout, fmt)


@pytest.mark.parametrize("fmt", ["html", "md", "json", "text", "csv"])
def test_compare_a_file_named_in_non_utf8_to_a_file(odd, fmt):
    out = odd / f"c.{fmt}"
    r = run_strict("compare", NAME, "ok.yaml", "-f", fmt, "-o", out, cwd=odd)
    assert (r.code, r.stdout, r.stderr) == (0, "", f"wrote {out}\n")
    if fmt != "csv":
        assert readable(out.read_text(encoding="utf-8"), fmt).count(SHOWN)


def _aggregated(r: Run) -> None:
    assert r.code == 0, r.stderr
    assert r.stderr.endswith(
        "aggregated 2 of 2 files (mini 1.0.0, taken from the first valid file, "
        "missions/a\\xff.yaml)\n")


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "md", "html"])
def test_aggregate_a_folder_holding_a_non_utf8_name_on_stdout(odd, fmt):
    r = run_strict("aggregate", "missions", "-f", fmt, cwd=odd)
    _aggregated(r)
    if fmt == "csv":
        assert sorted(row["path"] for row in csv_rows(r.stdout)) == [r"missions/a\xff.yaml",
                                                                     "missions/b.yaml"]
    else:
        assert shows(b"missions/a\xff.yaml", r.stdout, fmt)


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "md", "html"])
def test_aggregate_a_folder_holding_a_non_utf8_name_to_a_file(odd, fmt):
    out = odd / f"a.{fmt}"
    r = run_strict("aggregate", "missions", "-f", fmt, "-o", out, cwd=odd)
    _aggregated(r)
    assert r.stdout == "" and r.stderr.startswith(f"wrote {out}\n")
    assert r"missions/a\xff.yaml" in readable(out.read_text(encoding="utf-8"), fmt)


def test_reports_written_to_a_non_utf8_name(odd):
    r = run_strict("report", "ok.yaml", "-o", b"r\xff.html", cwd=odd)
    assert r.code == 0 and r.stderr.startswith(r"wrote r\xff.html: html report")
    assert (odd / os.fsdecode(b"r\xff.html")).is_file()


def test_an_offline_form_written_to_a_non_utf8_name(odd):
    # the form suggests a name for its saved answers, made from its own: in a UTF-8 page
    # the byte that is not UTF-8 is shown as \xff, as the message shows it too
    r = run_strict("init", "rubric.yaml", "-o", b"caf\xe9.html", cwd=odd)
    assert r.code == 0 and r.stdout == ""
    assert r"cyberdip import caf\xe9.answers.json" in r.stderr
    page = (odd / os.fsdecode(b"caf\xe9.html")).read_text(encoding="utf-8")
    assert r"caf\\xe9.answers.json" in page  # in the page's JSON, the backslash escaped


def test_the_test_data_still_exists():
    assert MINI.is_file() and ANSWERED.is_file() and ROOT.is_dir()


# -- special files as outputs: never replaced (docs/cli.md, "Output files") ---------------


def _special(folder: Path, kind: str, suffix: str = "") -> Path:
    """A FIFO, a character device (the numbers of /dev/null, made with os.mknod), or a
    symbolic link to a FIFO, inside ``folder``: never on /dev."""
    import stat

    target = folder / f"special-{kind}{suffix}"
    if kind in ("fifo", "link-to-fifo"):
        fifo = folder / f"special-fifo{suffix}"
        if not fifo.exists():
            os.mkfifo(fifo)
        if kind == "link-to-fifo":
            os.symlink(fifo.name, target)
        return target
    try:
        os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError) as e:
        pytest.skip(f"cannot make a device node here ({e.strerror}): needs the rights "
                    "to, on a mount that allows it")
    return target


def _writers(folder: Path, out: str) -> dict[str, list[str]]:
    a = folder / "a.yaml"
    if not a.exists():
        a.write_text(ANSWERED.read_text().replace("../rubrics/mini.yaml", str(MINI)))
        (folder / "b.yaml").write_text(a.read_text().replace("level: 2", "level: 3"))
    return {
        "report": ["report", str(a), "-o", out, "--format", "md"],
        "report-pdf": ["report", str(a), "-o", out, "--format", "pdf"],
        "compare": ["compare", str(a), str(folder / "b.yaml"), "-o", out, "--format", "json"],
        "aggregate": ["aggregate", str(a), str(folder / "b.yaml"), "-o", out, "--format",
                      "json"],
        "init": ["init", str(MINI), "-o", out, "--format", "yaml"],
        "merge": ["merge", str(a), str(folder / "b.yaml"), "-o", out],
    }


@pytest.mark.parametrize("kind", ["fifo", "link-to-fifo", "device"])
@pytest.mark.parametrize("command", ["report", "report-pdf", "compare", "aggregate", "init",
                                     "merge"])
def test_a_special_file_is_never_replaced_even_with_force(tmp_path, kind, command):
    import stat

    if command == "report-pdf":
        pytest.importorskip("typst")
    special = _special(tmp_path, kind, ".yaml" if command == "merge" else "")
    args = _writers(tmp_path, str(special))[command]
    before = os.lstat(special)
    for force in ([], ["--force"]):
        p = subprocess.run([sys.executable, "-m", "cyberdip", *args, *force],
                           capture_output=True, text=True, timeout=120, cwd=tmp_path,
                           env={**os.environ, "NO_COLOR": "1"})
        what = {"fifo": "a FIFO (named pipe)", "link-to-fifo":
                "a FIFO (named pipe) (through a symbolic link)", "device": "a device"}[kind]
        assert (p.returncode, p.stdout) == (2, ""), p.stderr
        assert p.stderr == (
            f"{special}: error[CD401]: is {what}, not a regular file; cyberdip writes only "
            "regular files and never replaces anything else, not even with --force: name a "
            "regular file (to write to standard output, use `-o -` or leave out -o, as the "
            "command's help says)\n")
        after = os.lstat(special)
        assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    if kind == "link-to-fifo":
        assert stat.S_ISFIFO(os.stat(special).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
