"""Fuzz what the commands write, and where: `init` (any rubric, any output name and
extension, over existing files or not, with --force or not), outputs aimed at the
inputs of every command that writes a file (by another spelling, a link, a hard link),
and special files (FIFOs, sockets, devices, /proc files, links to them, loops) given
in every place a file is read. Properties: fuzz_properties.py.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import fuzz_properties as P
import fuzz_strategies as S
import pytest
import yaml
from fuzz_harness import FUZZ, ForkServer
from fuzz_runs import check, workdir, write
from hypothesis import assume, given
from hypothesis import strategies as st

pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")

#: names a YAML or CSV file can hold (a name that is not UTF-8 cannot be written in one)
utf8_names = S.names.filter(lambda n: not any("\udc80" <= c <= "\udcff" for c in n))

#: extension -> format, as every command reads an output's name
EXTENSIONS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json",
              ".csv": "csv", ".txt": "text", ".yaml": "yaml", ".yml": "yaml", ".xlsx": "xlsx"}


def _load(data: bytes):
    try:
        return yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except Exception:  # noqa: BLE001 - a rubric that does not parse is refused by init
        return None


def _fill_organisation(sheet: bytes) -> bytes:
    """The sheet as an officer returns it: the organisation's name filled in."""
    text = sheet.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows:
        if row and row[0] == "organisation" and len(row) > 1:
            row[1] = "Test Ministry"
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


# -- init ----------------------------------------------------------------------------------


@FUZZ
@given(source=st.sampled_from(["builtin", "file", "file", "file", "special"]),
       data=st.data(), special=st.sampled_from(S.available_specials()),
       rubric_name=utf8_names, rubric_ext=st.sampled_from([".yaml", ".yml", ".md", ""]),
       out_name=S.names,
       out_ext=st.sampled_from([".yaml", ".yml", ".csv", ".YAML", ".Csv", ".yaml", ".csv",
                                ".html", ".md", ".json", ".txt", ".pdf", ".xlsx", ""]),
       fmt=st.sampled_from([None, None, "yaml", "csv", "xlsx"]),
       existing=st.sampled_from(["none", "none", "file", "folder"]), force=st.booleans(),
       out_dir=st.sampled_from(["out", "rubrics", "missing"]))
def test_init(forkserver: ForkServer, fuzz_root: Path, source, data, special, rubric_name,
              rubric_ext, out_name, out_ext, fmt, existing, force, out_dir) -> None:
    with workdir(fuzz_root) as work:
        rubric_data = None
        if source == "builtin":
            rubric = "cyberdip-core"
        else:
            path = work / "rubrics" / f"{rubric_name}{rubric_ext}"
            if source == "special":
                S.make_special(special, path)
            else:  # drawn here, so that a failure prints the rubric only when it was used
                doc = data.draw(S.changed_document("rubric"), label="rubric")[2]
                path.write_bytes(doc)
                rubric_data = _load(doc)
            rubric = str(path)
        out = work / out_dir / f"{out_name}{out_ext}"
        assume(source == "builtin" or out != path)  # aimed at the rubric: the next test
        if existing == "file" and out.parent.is_dir():
            out.write_bytes(b"not to be lost\n")
        elif existing == "folder" and out.parent.is_dir():
            out.mkdir()
        before = P.snapshot(work)
        r = forkserver.run("init", rubric, "-o", out, *(["-f", fmt] if fmt else []),
                           *(["--force"] if force else []), cwd=work)
        replaced = frozenset({out}) if existing == "file" and force else frozenset()
        what = check(r, work, before, output=out, replaced=replaced)
        kind = fmt or EXTENSIONS.get(out_ext.lower())
        if kind not in ("yaml", "csv", "xlsx", "html"):
            P.extension_refused(r.code, r.stderr, what)
        if existing == "folder" or (existing == "file" and not force) or out_dir == "missing":
            P.refused(r.code, what, "no-clobber")
        if source == "special":
            P.refused(r.code, what, "special-refused")
        if r.code != 0:
            return
        if kind == "xlsx":  # no formula, no raw control; filled in, it imports
            P.xlsx_cells_safe(out, f"the written workbook {out.name}", what)
            if "raw-controls-in-files" in P.KNOWN_BUGS and P.has_breaks_or_controls(
                    rubric_data):
                return
            from tests.conftest import fill_workbook

            named = out.with_name("made.xlsx")  # openpyxl opens only .xlsx by name
            named.write_bytes(out.read_bytes())
            book = fill_workbook(named, {}, {"organisation": "Test Ministry"},
                                 out=out.with_name("filled.xlsx"))
            imported = out.with_name("imported.yaml")
            i = forkserver.run("import", book, "-o", imported, cwd=work)
            P.follow_up_ok(i, "init-xlsx-imports", what)
            v = forkserver.run("validate", imported, cwd=work)
            P.follow_up_ok(v, "init-xlsx-imports", what)
            return
        P.written_file_safe(out, kind, what)
        if kind == "html":  # the offline form: what it does in a browser is tested there
            return
        if kind == "yaml":
            if "yaml-comments" in P.KNOWN_BUGS and P.has_breaks_or_controls(rubric_data):
                return
            if out_ext.lower() in (".csv", ".tsv"):
                return  # YAML named .csv (--format yaml): every reader takes it for a sheet
            if "init-rubric-ref" in P.KNOWN_BUGS and re.search("[\x7f-\x9f]", rubric):
                return
            v = forkserver.run("validate", out, cwd=work)
            P.follow_up_ok(v, "init-validates", what)
        else:  # filled in and imported, the sheet gives a valid assessment
            if "raw-controls-in-files" in P.KNOWN_BUGS and P.has_breaks_or_controls(
                    rubric_data):
                return  # a NUL from the rubric, raw in the sheet, makes import refuse it
            sheet = out.with_name("filled.csv")
            sheet.write_bytes(_fill_organisation(out.read_bytes()))
            imported = out.with_name("imported.yaml")
            i = forkserver.run("import", sheet, "-o", imported, cwd=work)
            P.follow_up_ok(i, "init-csv-imports", what)
            v = forkserver.run("validate", imported, cwd=work)
            P.follow_up_ok(v, "init-csv-imports", what)


# -- outputs aimed at inputs ---------------------------------------------------------------

#: command -> (the inputs it reads, the formats it writes, the -f that forces one)
COMMANDS = {
    "report": (("assessment", "rubric"), ("html", "md", "json"), "md"),
    "compare": (("assessment", "second", "rubric"), ("text", "json", "csv", "md", "html"), "md"),
    "aggregate": (("assessment", "second", "rubric"), ("text", "json", "csv", "md", "html"),
                  "md"),
    "trend": (("assessment", "second", "rubric"), ("text", "json", "csv", "md", "html"),
              "md"),
    "sensitivity": (("assessment", "second", "rubric"), ("text", "json", "csv", "md", "html"),
                    "md"),
    "init": (("rubric",), ("yaml", "csv", "xlsx", "html"), "yaml"),
    "import": (("sheet", "rubric"), ("yaml",), None),
    "merge": (("assessment", "second", "rubric"), ("yaml",), None),
}
#: a document may have any name but .csv or .tsv (taken for a sheet); a link any at all
INPUT_EXTS = (".yaml", ".yml", ".md", ".html", ".json", ".txt")
LINK_EXTS = (*INPUT_EXTS, ".csv")


@st.composite
def aimed(draw):
    command = draw(st.sampled_from(sorted(COMMANDS)))
    inputs, _, _ = COMMANDS[command]
    return dict(
        command=command, target=draw(st.sampled_from(inputs)),
        via=draw(st.sampled_from(["itself", "itself", "symlink", "hardlink", "dotted",
                                  "relative"])),
        link_ext=draw(st.sampled_from(LINK_EXTS)),
        exts={k: draw(st.sampled_from(INPUT_EXTS)) for k in ("assessment", "second", "rubric")},
        names={k: draw(utf8_names) for k in ("assessment", "second", "rubric", "sheet")},
        force=draw(st.booleans()), fmt=draw(st.booleans()), poison=draw(st.integers(0, 3)) == 0,
        data=draw(st.data()))


@FUZZ
@given(case=aimed())
def test_output_aimed_at_an_input(forkserver: ForkServer, fuzz_root: Path, case) -> None:
    command, target, via = case["command"], case["target"], case["via"]
    _, writes, forced = COMMANDS[command]
    names, exts = case["names"], case["exts"]
    with workdir(fuzz_root) as work:
        rubric = work / "rubrics" / f"{names['rubric']}{exts['rubric']}"
        mini = yaml.safe_load(S.MINI_RUBRIC.read_bytes())
        if case["poison"]:  # still valid, mostly: terminal escapes and formulas in its text
            mini = case["data"].draw(S.poisoned(mini))
        rubric.write_bytes(S.dump(mini))
        ref = f"../rubrics/{rubric.name}"
        answered = yaml.safe_load(S.MINI_ANSWERED.read_bytes())
        files = {"rubric": rubric}
        for key in ("assessment", "second"):
            n = 1 if key == "assessment" else 2
            files[key] = write(work, f"{names[key]}-{n}{exts[key]}",
                               S.dump({**answered, "rubric": ref}))
        sheet_rows = (S.DATA / "csv" / "mini-filled.csv").read_bytes().replace(
            b"../rubrics/mini.yaml", ref.encode("utf-8"))
        files["sheet"] = write(work, f"{names['sheet']}-s.csv", sheet_rows)
        aim = files[target]
        if via in ("symlink", "hardlink"):
            link = aim.with_name(f"link{case['link_ext']}")
            if link.exists():
                link = aim.with_name(f"link-2{case['link_ext']}")
            if via == "symlink":
                os.symlink(os.path.relpath(aim, link.parent), link)
            else:
                os.link(aim, link)
            aim = link
        spelled = {"itself": str(aim), "symlink": str(aim), "hardlink": str(aim),
                   "dotted": str(aim.parent / "." / ".." / aim.parent.name / aim.name),
                   "relative": os.path.relpath(aim, work)}[via]
        if spelled.startswith("-"):
            spelled = "./" + spelled
        args = {"report": [files["assessment"]],
                "compare": [files["assessment"], files["second"]],
                "aggregate": [files["assessment"], files["second"]],
                "trend": [files["assessment"], files["second"]],
                "sensitivity": [files["assessment"], files["second"], "--draws", "20"],
                "init": [rubric], "import": [files["sheet"]],
                "merge": [files["assessment"], files["second"]]}[command]
        fmt = ["-f", forced] if case["fmt"] and forced else []
        before = P.snapshot(work)
        r = forkserver.run(command, *args, "-o", spelled, *fmt,
                           *(["--force"] if case["force"] else []), cwd=work)
        what = check(r, work, before, codes=(1, 2))
        ext = Path(spelled).suffix.lower()
        kind = forced if fmt else EXTENSIONS.get(ext)
        if command == "import" and "import-output-extension" in P.KNOWN_BUGS:
            kind = "yaml"
        if command == "report" and fmt and kind == "md" and ext in (".yaml", ".yml"):
            expect = None  # refused for its extension: "a report is never written to .yaml"
        else:
            expect = "CD401" if kind in writes else "CD404"
        if case["poison"] and r.code == 1:
            return  # the poisoned rubric is invalid: refused before any output
        P.input_protected(r.code, r.stderr, expect, what)


# -- special files -------------------------------------------------------------------------

ROLES = ("argument", "argument", "named-rubric", "named-rubric", "in-folder", "rubric-option")


@FUZZ
@given(kind=st.sampled_from(S.available_specials()), role=st.sampled_from(ROLES),
       command=st.sampled_from(["validate", "score", "report", "compare", "compare-second",
                                "aggregate", "import", "init"]),
       absolute=st.booleans())
def test_special_files(forkserver: ForkServer, fuzz_root: Path, kind, role, command,
                       absolute) -> None:
    with workdir(fuzz_root) as work:
        special = work / "a" / "special.yaml"
        S.make_special(kind, special)
        good = write(work, "good.yaml", S.MINI_ANSWERED.read_bytes())
        out = work / "out" / "x.html"
        if role == "named-rubric":
            ref = str(special) if absolute else "special.yaml"
            named = write(work, "names-it.yaml", S.dump(
                {**yaml.safe_load(S.MINI_ANSWERED.read_bytes()), "rubric": ref}))
            command = {"import": "score", "init": "report"}.get(command, command)
            subject = named
        else:
            subject = special
        argv = {"validate": ["validate", subject],
                "score": ["score", subject],
                "report": ["report", subject, "-o", out],
                "compare": ["compare", subject, good],
                "compare-second": ["compare", good, subject],
                "aggregate": ["aggregate", subject],
                "import": ["import", subject, "-o", work / "out" / "x.yaml"],
                "init": ["init", subject, "-o", work / "out" / "x.yaml"]}[command]
        if role == "in-folder":
            argv = [*argv[:1], work / "a", *argv[2:]] if command in ("validate", "aggregate") \
                else ["aggregate", work / "a"]
        elif role == "rubric-option":
            argv = [{"report": "report", "compare": "compare"}.get(command, "score"), good,
                    "--rubric", special]
            if argv[0] == "report":
                argv += ["-o", out]
            elif argv[0] == "compare":
                argv.insert(2, good)
        before = P.snapshot(work)
        # a special file is refused at once: a run that waits is a hang (30 s alarm)
        r = forkserver.run(*argv, cwd=work, timeout=30)
        what = check(r, work, before, output=out if "-o" in map(str, argv) else None,
                     output_on_1=argv[0] == "aggregate")
        if kind == "folder" and role in ("in-folder", "named-rubric", "rubric-option"):
            return  # a folder named special.yaml is skipped (in a folder) or not a rubric
        P.refused(r.code, what, "special-refused")
        P.named(r.stdout + r.stderr, "special.yaml", what)


def test_special_kinds_are_available() -> None:
    """At least the kinds every Linux machine can make are generated."""
    assert {"fifo", "socket", "link-loop", "/dev/zero"} <= set(S.available_specials())
