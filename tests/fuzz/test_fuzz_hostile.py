"""Fuzz the classes of hostile input the second attack found (tests/fuzz/README.md):
workbook parts with DTDs, long tokens, wide rows and hidden sheets; merge with one file
given by several names, copies, and respondents of different units, profiles and
markings; special files as outputs. Every run is checked against the properties of
every run (``fuzz_runs.check``), and each class against its own:

* **xml-refused**: a workbook with a DTD, a token over the limit or a row far too wide
  is refused (exit 2, CD006 or CD003), a hidden answers sheet too (exit 1, CD327);
  within the limits it imports as it would without the change;
* **respondent-once**: a merge given one file under two names is refused (CD329);
  respondents of different units are refused (CD312), of different profiles (CD328);
  whatever is written keeps the strictest TLP marking given;
* **special-kept**: an output that is a FIFO, a link to one, or a device node (made in
  the test's folder, never on /dev) is refused with CD401, with and without --force,
  and is still there, the same kind of file.

The resource budgets (time and memory per unit of input) are test_fuzz_resources.py's.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import fuzz_properties as P
import fuzz_strategies as S
import pytest
import yaml
from fuzz_harness import FUZZ, ForkServer
from fuzz_runs import check, workdir, write
from hypothesis import given
from hypothesis import strategies as st

from cyberdip.formats import xlsxscan

pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")


@pytest.fixture(scope="session")
def filled_book(fuzz_root: Path) -> bytes:
    """The mini rubric's workbook as `init -o x.xlsx` writes it, filled in, naming the
    rubric as a test's project does."""
    from cyberdip.formats import documents, workbook
    from tests.conftest import fill_workbook

    p = fuzz_root / "hostile-mini.xlsx"
    p.write_bytes(workbook.blank_xlsx(documents.load_rubric_file(S.MINI_RUBRIC),
                                      "../rubrics/mini.yaml"))
    fill_workbook(p, {"policy.strategy": {"answer": 2}, "policy.law": {"answer": True}},
                  {"organisation": "Test Ministry"})
    return p.read_bytes()


@st.composite
def hostile_book(draw, base: bytes) -> tuple[bytes, str | None]:
    """A workbook changed by one hostile class, and the code its refusal must carry
    (None when the change stays within the limits)."""
    from tests import hostile as H

    kind = draw(st.sampled_from(["dtd", "token", "wide", "hidden", "two-answers"]))
    if kind == "dtd":
        return H.with_dtd(base, entities=draw(st.integers(1, 9)),
                          fanout=draw(st.integers(1, 10))), "CD006"
    if kind == "token":
        size = draw(st.one_of(st.integers(0, 3 * xlsxscan.MAX_TOKEN_BYTES),
                              st.sampled_from([xlsxscan.MAX_TOKEN_BYTES,
                                               xlsxscan.MAX_TOKEN_BYTES + 1, 1_500_000])))
        where = draw(st.sampled_from(["comment", "attribute", "text"]))
        return (H.with_long_comment(base, size, where),
                "CD003" if size > xlsxscan.MAX_TOKEN_BYTES else None)
    if kind == "wide":
        cells = draw(st.one_of(st.integers(1, 3 * xlsxscan.MAX_ROW_CELLS),
                               st.sampled_from([xlsxscan.MAX_ROW_CELLS,
                                                xlsxscan.MAX_ROW_CELLS + 1, 200_000])))
        return H.with_wide_row(base, cells), (
            "CD003" if cells > xlsxscan.MAX_ROW_CELLS else None)
    if kind == "hidden":
        state = draw(st.sampled_from(["hidden", "veryHidden", "visible"]))
        return H.with_sheet_state(base, "Answers", state), (
            None if state == "visible" else "CD327")
    # a second sheet that could hold the answers, hidden or not
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(base))
    copy = wb.copy_worksheet(wb["Answers"])
    copy.title = draw(st.sampled_from(["answers", "ANSWERS", " Answers"]))
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl renames a title Excel would take for the same (`answers` -> `answers1`):
    # then the copy is just another sheet, not read
    could_be = copy.title.strip().lower() == "answers"
    return H.with_sheet_state(buf.getvalue(), copy.title,
                              draw(st.sampled_from(["hidden", "veryHidden", "visible"]))), \
        ("CD327" if could_be else None)


@FUZZ
@given(data=st.data(), command=st.sampled_from(["import", "merge"]))
def test_hostile_workbooks(forkserver: ForkServer, fuzz_root: Path, filled_book, data,
                           command) -> None:
    book, code = data.draw(hostile_book(filled_book))
    with workdir(fuzz_root) as work:
        f = write(work, "book.xlsx", book)
        out = work / "out" / "x.yaml"
        before = P.snapshot(work)
        if command == "import":
            r = forkserver.run("import", f, "-o", out, cwd=work)
        else:
            other = write(work, "other.yaml", S.MINI_ANSWERED.read_bytes())
            before = P.snapshot(work)
            r = forkserver.run("merge", f, other, "-o", out, cwd=work)
        what = check(r, work, before, output=out)
        if code is None:
            if command == "import" and r.code != 0:
                P.fail("xml-refused", "a workbook within the limits was not imported", what)
            return
        expected = 1 if code == "CD327" else 2
        if r.code != expected or f"[{code}]" not in r.stderr:
            P.fail("xml-refused", f"exit {r.code}, expected {expected} with {code}", what)


@st.composite
def respondents(draw) -> dict:
    """Two to five respondents of the mini rubric: each a new file, or another name of
    one already given (./, an absolute path, a symbolic link, a hard link), or a copy;
    now and then of another unit or profile, with any marking."""
    base = yaml.safe_load(S.MINI_ANSWERED.read_bytes())
    people: list[tuple[str, object]] = []
    for i in range(draw(st.integers(2, 5))):
        how = draw(st.sampled_from(["new", "new", "new", "same", "symlink", "hardlink",
                                    "absolute", "copy"])) if people else "new"
        if how == "new":
            doc = dict(base, assessors=[f"P{i}"])
            doc["answers"] = {k: v for k, v in base["answers"].items() if draw(st.booleans())}
            if draw(st.integers(0, 5)) == 0:
                doc["organisation"] = {"name": "Test Ministry", "unit": "Embassy Berlin"}
            marking = draw(st.sampled_from([None, None, "TLP:CLEAR", "TLP:GREEN",
                                            "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"]))
            if marking:
                doc["marking"] = marking
            people.append((how, doc))
        else:
            people.append((how, draw(st.integers(0, len(people) - 1))))
    return {"people": people}


@FUZZ
@given(case=respondents())
def test_merge_repeated_and_mixed(forkserver: ForkServer, fuzz_root: Path, case) -> None:
    with workdir(fuzz_root) as work:
        names: list[str] = []
        files: list[Path] = []
        docs: list[dict] = []
        for i, (how, what) in enumerate(case["people"]):
            if how == "new":
                files.append(write(work, f"r{i}.yaml", S.dump(what)))
                docs.append(what)  # type: ignore[arg-type]
                names.append(f"r{i}.yaml")
                continue
            src = files[what]  # type: ignore[index]
            docs.append(docs[what])  # type: ignore[index]
            if how == "copy":
                files.append(write(work, f"r{i}.yaml", src.read_bytes()))
                names.append(f"r{i}.yaml")
            elif how == "symlink":
                os.symlink(src.name, work / "a" / f"l{i}.yaml")
                files.append(src)
                names.append(f"l{i}.yaml")
            elif how == "hardlink":
                os.link(src, work / "a" / f"h{i}.yaml")
                files.append(src)
                names.append(f"h{i}.yaml")
            elif how == "absolute":
                files.append(src)
                names.append(str(src))
            else:
                files.append(src)
                names.append(f"./{src.name}")
        out = work / "out" / "c.yaml"
        before = P.snapshot(work)
        r = forkserver.run("merge", *names, "-o", out, cwd=work / "a")
        what = check(r, work, before, output=out)
        repeated = len({os.stat(f).st_ino for f in files}) < len(files)
        units = {(d.get("organisation") or {}).get("unit") for d in docs}
        if repeated and "[CD329]" not in r.stderr:
            P.fail("respondent-once", "one file given twice was not refused", what)
        if repeated or len(units) > 1:
            P.refused(r.code, what, "respondent-once", codes=(1,))
            return
        if r.code != 0:
            P.fail("respondent-once", f"exit {r.code} for respondents that merge", what)
        markings = [d["marking"] for d in docs if d.get("marking")]
        kept = yaml.safe_load(out.read_text(encoding="utf-8")).get("marking")
        order = ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"]
        if (kept or None) != (max(markings, key=order.index) if markings else None):
            P.fail("respondent-once", f"marking {kept!r} kept from {markings}", what)


def _make_special(folder: Path, kind: str, name: str) -> Path | None:
    target = folder / name
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "link-to-fifo":
        os.mkfifo(folder / f".fifo-{name}")
        os.symlink(f".fifo-{name}", target)
    else:
        try:
            os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except OSError:
            return None  # no right to make a node here: the FIFO cases still run
    return target


@FUZZ
@given(kind=st.sampled_from(["fifo", "link-to-fifo", "device"]), force=st.booleans(),
       command=st.sampled_from(["report", "compare", "aggregate", "init", "merge", "import"]))
def test_special_files_as_outputs(forkserver: ForkServer, fuzz_root: Path, kind, force,
                                  command) -> None:
    with workdir(fuzz_root) as work:
        a = write(work, "x.yaml", S.MINI_ANSWERED.read_bytes())
        b = write(work, "y.yaml", S.MINI_ANSWERED.read_bytes().replace(b"level: 2",
                                                                         b"level: 3"))
        ext = {"report": "md", "compare": "json", "aggregate": "json", "init": "yaml",
               "merge": "yaml", "import": "yaml"}[command]
        out = _make_special(work / "out", kind, f"special.{ext}")
        if out is None:
            return
        args = {"report": ["report", a, "-o", out],
                "compare": ["compare", a, b, "-o", out],
                "aggregate": ["aggregate", a, b, "-o", out],
                "init": ["init", S.MINI_RUBRIC, "-o", out],
                "merge": ["merge", a, b, "-o", out],
                "import": ["import", S.DATA / "csv" / "mini-filled.csv", "-o", out]}[command]
        before = P.snapshot(work)
        r = forkserver.run(*args, *(["--force"] if force else []), cwd=work, timeout=10)
        what = check(r, work, before, output=out, fmt="json" if ext == "json" else "text")
        if r.code != 2 or "[CD401]" not in r.stderr:
            P.fail("special-kept", f"exit {r.code}, expected 2 with CD401", what)
        if stat.S_ISREG(os.stat(out).st_mode):
            P.fail("special-kept", f"{out} became a regular file", what)
