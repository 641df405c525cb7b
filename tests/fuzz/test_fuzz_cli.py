"""Fuzz the commands that read documents: validate, score, report, compare, aggregate,
import. The CLI never crashes, hangs, prints a traceback or a raw control character,
writes JSON that is not strict or a CSV cell a spreadsheet would run, passes a gate on a
figure that is not finite, leaves a half-written or failed output behind, or touches its
input (fuzz_properties.py names each property).

The CLI runs in forked children of one subprocess (``driver.py``), so a segfault or a
hang shows up as a signal, while 10,000 examples per command stay within minutes.
Every child's stdout is strict UTF-8. Profiles and how to run the long one:
tests/fuzz/README.md. init, assess, outputs aimed at inputs and special files:
test_fuzz_outputs.py and test_fuzz_assess.py.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import fuzz_properties as P
import fuzz_strategies as S
import pytest
from fuzz_harness import FUZZ, ROOT, ForkServer, environment
from fuzz_runs import check, workdir, write
from hypothesis import given
from hypothesis import strategies as st

# The inputs are whole rubrics (100 KB): hypothesis warns when it prints one, and
# pytest's filterwarnings=error would turn that note into a failure.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")

formats = st.sampled_from(["auto", "text", "json", "github"])
#: Input folder names: mostly plain, else non-ASCII, non-UTF-8, a formula, an escape.
folders = st.one_of(st.just("a"), S.names)


# -- validate ------------------------------------------------------------------------------


@FUZZ
@given(doc=S.changed_document(), fmt=formats, folder=folders, name=S.names)
def test_validate_mutated(forkserver: ForkServer, fuzz_root: Path, doc, fmt, folder,
                          name) -> None:
    _, _, data = doc
    with workdir(fuzz_root, folder) as work:
        f = write(work, f"{name}.yaml", data, folder)
        before = P.snapshot(work)
        r = forkserver.run("validate", "-f", fmt, f, cwd=work)
        check(r, work, before, fmt="json" if fmt == "json" else "text")


@FUZZ
@given(data=S.spliced(), fmt=formats, folder=st.booleans())
def test_validate_spliced(forkserver: ForkServer, fuzz_root: Path, data, fmt, folder) -> None:
    with workdir(fuzz_root) as work:
        f = write(work, "doc.yaml", data)
        before = P.snapshot(work)
        r = forkserver.run("validate", "-f", fmt, f.parent if folder else f, cwd=work)
        check(r, work, before, fmt="json" if fmt == "json" else "text")


# -- score ---------------------------------------------------------------------------------


@st.composite
def assessment_setup(draw) -> tuple[bytes, bytes | None]:
    """(assessment bytes, changed rubric bytes or None): changed, spliced or both."""
    how = draw(st.sampled_from(["changed", "changed", "spliced"]))
    if how == "spliced":
        bases = tuple(p.read_bytes() for p in (*S.core_assessments(), S.MINI_ANSWERED))
        data = draw(S.spliced(bases))
        name = "mini" if b"mini.yaml" in data else "core"
    else:
        name, _, data = draw(S.changed_document("assessment"))
    rubric = None
    if draw(st.integers(0, 3)) == 0:  # also a changed rubric: the one it answers
        key = rubric_of(name)
        data_r = S.base_documents()[key][1]
        change = draw(st.sampled_from([S.mutated, S.poisoned, S.extreme, S.extreme]))
        rubric = S.dump(draw(change(data_r)))
    return data, rubric


def rubric_of(name: str) -> str:
    """The base rubric an assessment of ``base_documents`` answers."""
    docs = S.base_documents()
    if name.startswith("assessment:frameworks/"):
        own = "rubric:" + name.split(":", 1)[1].rsplit("/", 1)[0] + "/rubric.yaml"
        if own in docs:
            return own
    if name in ("mini", "assessment:mini") or "rubric:core" not in docs:
        return "rubric:mini"
    if name == "assessment:format2":
        return "rubric:format2"
    return "rubric:core"


def place(work: Path, setup: tuple[bytes, bytes | None], folder: str = "a",
          name: str = "assessment") -> tuple[Path, list[str]]:
    """Write the assessment (and rubric); return its path and any --rubric option."""
    data, rubric = setup
    f = write(work, f"{name}.yaml", data, folder)
    if rubric is None:
        return f, []
    r = work / "rubrics" / "fuzzed.yaml"
    r.write_bytes(rubric)
    return f, ["--rubric", str(r)]


#: Gate values: ordinary, at the edges, and ones that are not finite or out of range
#: (refused as usage errors; were they taken, the gate must still fail).
gate_values = st.sampled_from(["0", "50", "100", "-0", "1e-300", "99.995", "28.58", "nan",
                               "inf", "-inf", "NaN", "-1", "100.5", "1e400"])
gates = st.lists(st.tuples(st.sampled_from(["--min-coverage", "--fail-under"]), gate_values),
                 max_size=2, unique_by=lambda g: g[0])


def gate_of(gates: list[tuple[str, str]], option: str) -> float | None:
    return next((float(v) for o, v in gates if o == option), None)


@FUZZ
@given(setup=assessment_setup(), fmt=st.sampled_from(["text", "json"]), strict=st.booleans(),
       gates=gates)
def test_score(forkserver: ForkServer, fuzz_root: Path, setup, fmt, strict, gates) -> None:
    with workdir(fuzz_root) as work:
        f, rubric = place(work, setup)
        before = P.snapshot(work)
        r = forkserver.run("score", f, "-f", fmt, *rubric, *(["--strict"] if strict else []),
                           *[x for g in gates for x in g], cwd=work)
        what = check(r, work, before, fmt=fmt)
        if fmt == "json":
            card = P.json_or_nothing(r.stdout, "stdout", what) or {}
            index, coverage = card.get("index"), card.get("coverage")
        else:
            index, coverage = P.text_figures(r.stdout)
        P.gate_held(r.code, index, coverage, gate_of(gates, "--fail-under"),
                    gate_of(gates, "--min-coverage"), what)


@st.composite
def extreme_pair(draw) -> tuple[bytes, bytes | None]:
    """(assessment, rubric or None) of the same rubric, one of them with extreme numbers."""
    name = draw(st.sampled_from(["mini", "mini", "core"]))
    if name == "mini" or "rubric:core" not in S.base_documents():
        assessment, rubric = S.base_documents()["assessment:mini"][1], "rubric:mini"
    else:
        assessment = S.base_documents()["assessment:pakistan-mofa-2023.yaml"][1]
        rubric = "rubric:core"
    if draw(st.integers(0, 3)) == 0:
        return S.dump(draw(S.extreme(assessment))), None
    return S.dump(assessment), S.dump(draw(S.extreme(S.base_documents()[rubric][1])))


@FUZZ
@given(setup=extreme_pair(), command=st.sampled_from(["score", "score", "report"]),
       fmt=st.sampled_from(["text", "json"]),
       gates=st.lists(st.tuples(st.sampled_from(["--min-coverage", "--fail-under"]),
                                st.sampled_from(["0", "50", "28.58", "100", "-0", "1e-300",
                                                 "nan"])),
                      min_size=1, max_size=2, unique_by=lambda g: g[0]))
def test_gates_on_extreme_numbers(forkserver: ForkServer, fuzz_root: Path, setup, command,
                                  fmt, gates) -> None:
    """Weights, metric bounds and answers made NaN, infinite, huge or tiny: a gate never
    passes on a figure that is not finite, and no JSON holds one."""
    with workdir(fuzz_root) as work:
        f, rubric = place(work, setup)
        out = work / "out" / "report.json"
        if command == "report":  # report gates on coverage only
            gates = [("--min-coverage", v) for o, v in gates if o == "--min-coverage"] or [
                ("--min-coverage", "50")]
        before = P.snapshot(work)
        target = ["-f", fmt] if command == "score" else ["-o", out]
        r = forkserver.run(command, f, *target, *rubric, *[x for g in gates for x in g],
                           cwd=work)
        what = check(r, work, before, fmt=fmt if command == "score" else "text",
                     output=out if command == "report" else None, output_on_1=True)
        if command == "report":
            card = P.written_file_safe(out, "json", what) if out.exists() else {}
        elif fmt == "json":
            card = P.json_or_nothing(r.stdout, "stdout", what) or {}
        else:
            index, coverage = P.text_figures(r.stdout)
            card = {"index": index, "coverage": coverage}
        P.gate_held(r.code, card.get("index"), card.get("coverage"),
                    gate_of(gates, "--fail-under"), gate_of(gates, "--min-coverage"), what)


# -- report --------------------------------------------------------------------------------


@FUZZ
@given(setup=assessment_setup(), ext=st.sampled_from(["html", "md", "json"]),
       strict=st.booleans(), to_stdout=st.integers(0, 4).map(lambda i: i == 0),
       gate=st.one_of(st.none(), gate_values), name=S.names)
def test_report(forkserver: ForkServer, fuzz_root: Path, setup, ext, strict, to_stdout, gate,
                name) -> None:
    with workdir(fuzz_root) as work:
        f, rubric = place(work, setup)
        out = work / "out" / f"{name}.{ext}"
        target = ["-o", "-", "-f", ext] if to_stdout else ["-o", out]
        before = P.snapshot(work)
        r = forkserver.run("report", f, *target, *rubric, *(["--strict"] if strict else []),
                           *(["--min-coverage", gate] if gate else []), cwd=work)
        # with a gate, the report is written and then the gate may fail (exit 1)
        what = check(r, work, before, output=None if to_stdout else out,
                     output_on_1=gate is not None, fmt=ext if to_stdout else "text")
        if r.code == 0 and not to_stdout:
            assert out.stat().st_size > 0, what
        card = None
        if to_stdout and ext == "json":
            card = P.json_or_nothing(r.stdout, "stdout", what)
        elif not to_stdout and out.exists():
            card = P.written_file_safe(out, ext, what)
        if ext == "json" and card:
            P.gate_held(r.code, card.get("index"), card.get("coverage"), None,
                        float(gate) if gate else None, what)


# -- compare -------------------------------------------------------------------------------


@st.composite
def rubric_change(draw) -> bytes | None:
    """The mini rubric as a test's project holds it: unchanged, or with terminal escapes
    and formulas in its text (a scale named ``=1+1``), or with extreme numbers."""
    how = draw(st.sampled_from(["same", "same", "poisoned", "poisoned", "extreme"]))
    if how == "same":
        return None
    data = S.base_documents()["rubric:mini"][1]
    return S.dump(draw(S.poisoned(data) if how == "poisoned" else S.extreme(data)))


@FUZZ
@given(old=S.changed_document("assessment"), new=S.changed_document("assessment"),
       rubric=rubric_change(), fmt=st.sampled_from(["text", "json", "csv", "md", "html"]),
       to_file=st.booleans(), folder=folders, names=st.tuples(S.names, S.names))
def test_compare(forkserver: ForkServer, fuzz_root: Path, old, new, rubric, fmt, to_file,
                 folder, names) -> None:
    with workdir(fuzz_root, folder) as work:
        if rubric is not None:
            (work / "rubrics" / "mini.yaml").write_bytes(rubric)
        a = write(work, f"{names[0]}.yaml", old[2], folder)
        b = write(work, f"{names[1]}-new.yaml", new[2], folder)
        out = work / "out" / f"compare.{fmt}"
        before = P.snapshot(work)
        r = forkserver.run("compare", a, b, "-f", fmt, *(["-o", str(out)] if to_file else []),
                           cwd=work)
        what = check(r, work, before, output=out if to_file else None,
                     fmt="text" if to_file else fmt)
        if to_file and out.exists():
            P.written_file_safe(out, fmt, what)


# -- aggregate -----------------------------------------------------------------------------


@FUZZ
@given(docs=st.lists(st.one_of(S.changed_document("assessment").map(lambda d: d[2]),
                               st.sampled_from(S.core_assessments()).map(Path.read_bytes),
                               st.just(S.MINI_ANSWERED.read_bytes()),
                               S.spliced(tuple(p.read_bytes() for p in S.core_assessments()))),
                     min_size=1, max_size=5),
       rubric=rubric_change(), fmt=st.sampled_from(["text", "json", "csv", "md", "html"]),
       folder=folders, names=st.lists(S.names, min_size=5, max_size=5), relative=st.booleans(),
       to_file=st.integers(0, 3).map(bool))
def test_aggregate(forkserver: ForkServer, fuzz_root: Path, docs, rubric, fmt, folder, names,
                   relative, to_file) -> None:
    with workdir(fuzz_root, folder) as work:
        if rubric is not None:
            (work / "rubrics" / "mini.yaml").write_bytes(rubric)
        for i, d in enumerate(docs):
            write(work, f"{names[i]}{i:02d}.yaml", d, folder)
        out = work / "out" / f"portfolio.{fmt}"
        before = P.snapshot(work)
        # relative, the folder's name starts each `path` cell (=1+1/m00.yaml)
        where = (folder if not folder.startswith("-") else f"./{folder}") if relative \
            else work / folder
        r = forkserver.run("aggregate", where, "-f", fmt, *(["-o", out] if to_file else []),
                           cwd=work)
        # files that cannot be aggregated are reported and the rest still are (exit 1)
        what = check(r, work, before, output=out if to_file else None, output_on_1=True,
                     fmt="text" if to_file else fmt)
        if to_file and r.code == 1 and out.exists():
            assert "left out" in r.stderr, what
        if to_file and out.exists():
            P.written_file_safe(out, fmt, what)


# -- CSV -----------------------------------------------------------------------------------


@FUZZ
@given(rubric=S.poisoned(S.base_documents()["rubric:mini"][1], payloads=S.formula),
       docs=st.lists(S.poisoned(S.base_documents()["assessment:mini"][1], payloads=S.formula),
                     min_size=1, max_size=3),
       command=st.sampled_from(["aggregate", "aggregate", "compare", "init"]),
       folder=st.sampled_from(["a", "=1+1", "-x", "+x", "@x"]), to_file=st.booleans())
def test_csv_cells(forkserver: ForkServer, fuzz_root: Path, rubric, docs, command, folder,
                   to_file) -> None:
    """Formula characters at the start of every text the CSV outputs show (a scale, an
    area, a unit, a period, a question, a folder's name): no cell starts a formula."""
    with workdir(fuzz_root, folder) as work:
        (work / "rubrics" / "mini.yaml").write_bytes(S.dump(rubric))
        files = [write(work, f"m{i}.yaml", S.dump(d), folder) for i, d in enumerate(docs)]
        where = f"./{folder}" if folder.startswith("-") else folder
        out = work / "out" / "sheet.csv"
        argv = {"aggregate": ["aggregate", where, "-f", "csv"],
                "compare": ["compare", files[0], files[-1], "-f", "csv"],
                "init": ["init", "rubrics/mini.yaml", "--format", "csv"]}[command]
        to_file = to_file or command == "init"
        before = P.snapshot(work)
        r = forkserver.run(*argv, *(["-o", out] if to_file else []), cwd=work)
        what = check(r, work, before, output=out if to_file else None, output_on_1=True,
                     fmt="text" if to_file else "csv")
        if to_file and out.exists():
            P.written_file_safe(out, "csv", what)


# -- import --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def csv_bases(fuzz_root: Path) -> tuple[bytes, ...]:
    """A blank sheet of the built-in rubric (made by `init --format csv`) and a filled one."""
    blank = fuzz_root / "blank.csv"
    p = subprocess.run([sys.executable, "-m", "cyberdip", "init", "cyberdip-core", "--format",
                        "csv", "-o", str(blank)], capture_output=True, text=True, cwd=ROOT,
                       timeout=60)
    assert p.returncode == 0, p.stderr
    return (blank.read_bytes(), (S.DATA / "csv" / "mini-filled.csv").read_bytes())


#: Output names for import: YAML (mostly), and extensions it does not write (CD404).
import_exts = st.sampled_from([".yaml", ".yaml", ".yaml", ".yml", ".YAML"] + (
    [] if "import-output-extension" in P.KNOWN_BUGS else [".html", ".csv", ".pdf", ""]))


@FUZZ
@given(data=st.data(), ext=import_exts, name=S.names)
def test_import(forkserver: ForkServer, fuzz_root: Path, csv_bases, data, ext, name) -> None:
    sheet = data.draw(S.mutated_csv(data.draw(st.sampled_from(csv_bases))))
    with workdir(fuzz_root) as work:
        f = write(work, f"{name}.csv", sheet)
        out = work / "out" / f"{name}{ext}"
        before = P.snapshot(work)
        r = forkserver.run("import", f, "-o", out, cwd=work)
        what = check(r, work, before, output=out)
        if ext.lower() not in (".yaml", ".yml"):
            P.extension_refused(r.code, r.stderr, what)
        if r.code == 0:  # what import writes must validate
            v = forkserver.run("validate", out, cwd=work)
            P.follow_up_ok(v, "import-validates", what)


# -- workbooks and merge --------------------------------------------------------------------


@pytest.fixture(scope="session")
def xlsx_bases(fuzz_root: Path) -> tuple[bytes, ...]:
    """Workbooks made by `init -o x.xlsx`: the built-in rubric's blank one, and the mini
    rubric's filled in (rubric named by the relative path a test's project has)."""
    from tests.conftest import fill_workbook

    out = []
    for rubric, name in (("cyberdip-core", "core.xlsx"), (str(S.MINI_RUBRIC), "mini.xlsx")):
        book = fuzz_root / name
        p = subprocess.run([sys.executable, "-m", "cyberdip", "init", rubric, "-o",
                            str(book)], capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert p.returncode == 0, p.stderr
        out.append(book)
    fill_workbook(out[1], {"policy.strategy": {"answer": 2, "evidence": "Cabinet minutes"},
                           "policy.law": {"answer": True},
                           "outreach.missions-online": {"answer": "30"},
                           "outreach.dialogue": {"answer": "n/a", "N/A reason": "none yet"}},
                  {"organisation": "Test Ministry", "rubric": "../rubrics/mini.yaml"})
    return tuple(b.read_bytes() for b in out)


@FUZZ
@given(data=st.data(), name=S.names)
def test_import_workbook(forkserver: ForkServer, fuzz_root: Path, xlsx_bases, data,
                         name) -> None:
    book = data.draw(S.mutated_xlsx(data.draw(st.sampled_from(xlsx_bases))))
    with workdir(fuzz_root) as work:
        f = write(work, f"{name}.xlsx", book)
        out = work / "out" / f"{name}.yaml"
        before = P.snapshot(work)
        r = forkserver.run("import", f, "-o", out, cwd=work)
        what = check(r, work, before, output=out)
        if r.code == 0:  # what import writes must validate
            v = forkserver.run("validate", out, cwd=work)
            P.follow_up_ok(v, "import-validates", what)


@st.composite
def respondents(draw, xlsx_bases: tuple[bytes, ...]) -> list[tuple[str, bytes]]:
    """Two to four respondents' answers to the mini rubric: changed assessments, sheets,
    and workbooks (changed or not), or now and then a file of another rubric."""
    answered = S.base_documents()["assessment:mini"][1]
    out = []
    for _ in range(draw(st.integers(2, 4))):
        kind = draw(st.sampled_from(["yaml", "yaml", "mutated", "xlsx", "csv", "core"]))
        if kind == "yaml":
            doc = dict(answered)
            doc["assessors"] = [draw(S.odd_text.filter(lambda t: t.strip()))]
            doc["answers"] = {k: v for k, v in answered["answers"].items()
                              if draw(st.booleans())}
            out.append(("yaml", S.dump(doc)))
        elif kind == "mutated":
            out.append(("yaml", S.dump(draw(S.mutated(answered)))))
        elif kind == "xlsx":
            base = xlsx_bases[1]
            out.append(("xlsx", draw(S.mutated_xlsx(base)) if draw(st.booleans()) else base))
        elif kind == "csv":
            sheet = (S.DATA / "csv" / "mini-filled.csv").read_bytes().replace(
                b"../rubrics/mini.yaml", b"../rubrics/mini.yaml")
            out.append(("csv", sheet))
        else:
            out.append(("yaml", S.core_assessments()[0].read_bytes()))
    return out


@FUZZ
@given(data=st.data(), rule=st.sampled_from([None, "median", "lowest"]),
       discuss=st.sampled_from([None, "0", "1", "3", "-1", "x"]), name=S.names)
def test_merge(forkserver: ForkServer, fuzz_root: Path, xlsx_bases, data, rule, discuss,
               name) -> None:
    people = data.draw(respondents(xlsx_bases))
    with workdir(fuzz_root) as work:
        files = [write(work, f"r{i}.{kind}", body) for i, (kind, body) in enumerate(people)]
        out = work / "out" / f"{name}.yaml"
        before = P.snapshot(work)
        r = forkserver.run("merge", *files, "-o", out,
                           *(["--rule", rule] if rule else []),
                           *(["--discuss-above", discuss] if discuss else []), cwd=work)
        what = check(r, work, before, output=out)
        if discuss in ("-1", "x"):
            P.refused(r.code, what, "usage-error", codes=(2,))
        if r.code == 0:  # the consensus is an ordinary assessment: validates and reports
            v = forkserver.run("validate", out, cwd=work)
            P.follow_up_ok(v, "merge-validates", what)
            report = work / "out" / "consensus.md"
            rep = forkserver.run("report", out, "-o", report, cwd=work)
            P.follow_up_ok(rep, "merge-reports", what)
            P.written_file_safe(report, "md", what)


# -- the harness itself --------------------------------------------------------------------


def test_fork_server_answers_like_a_real_process(forkserver: ForkServer, fuzz_root: Path) -> None:
    """A job in a forked child gives the exit code and output of `python -m cyberdip`,
    both with stdout strict UTF-8, also for a file name that is not UTF-8 and a value
    holding a terminal escape."""
    folder = "caf\udce9"  # bytes 63 61 66 e9: Latin-1, not UTF-8
    with workdir(fuzz_root, folder) as work:
        good = write(work, "good.yaml", S.MINI_ANSWERED.read_bytes(), folder)
        bad = write(work, "bad\udcff.yaml", b"rubric: mini\nanswers: {a: \x00}\n", folder)
        esc = write(work, "esc.yaml", S.MINI_ANSWERED.read_bytes().replace(
            b"Test Ministry", b'"9\\e]0;PWNED\\a\\e[2J"'), folder)
        for argv in (["validate", bad], ["score", good, "-f", "json"], ["score", bad],
                     ["report", good, "-o", "-", "-f", "md"], ["no-such-command"],
                     ["validate", "-f", "json", work / folder], ["score", esc],
                     ["compare", good, esc, "-f", "csv"]):
            forked = forkserver.run(*argv, cwd=work)
            p = subprocess.run([sys.executable, "-m", "cyberdip", *map(os.fspath, argv)],
                               cwd=work, capture_output=True, timeout=60, env=environment())
            real = (p.returncode, p.stdout.decode("utf-8", "surrogateescape"),
                    p.stderr.decode("utf-8", "surrogateescape"))
            assert (forked.code, forked.stdout, forked.stderr) == real, argv


def test_properties_can_fail() -> None:
    """The properties catch what they are for (each on a made-up output)."""
    for text in ("a,=1+1\n", "a,-x\n", '"\tb"\n', "@x\n"):
        with pytest.raises(AssertionError, match=r"\[csv-cells\]"):
            P.csv_cells_safe(text, "t", "")
    P.csv_cells_safe("a,-1.50,'=x,b\n", "t", "")
    for text in ('{"a": NaN}', '{"a": 1e400}', '{"a": Infinity}', '{"a": "\x1b"}'):
        with pytest.raises(AssertionError, match=r"\[strict-json\]"):
            P.strict_json(text, "t", "")
    with pytest.raises(AssertionError, match=r"\[no-raw-controls\]"):
        P.no_raw_controls("ok \x9b2J", "t", "")
    for value in ("nan", "\u2014", float("nan"), None, 49.99):
        with pytest.raises(AssertionError, match=r"\[gate\]"):
            P.gate_held(0, value, 100.0, 50.0, None, "")
    P.gate_held(1, float("nan"), 100.0, 50.0, None, "")
    buf = io.StringIO()
    csv.writer(buf).writerow(["x", "-2.00"])
    P.csv_cells_safe(buf.getvalue(), "t", "")
