"""Fuzz `cyberdip assess`, the questionnaire, in a pseudo-terminal: a few scripted
answers (levels, commands, garbage, terminal escapes, Ctrl-C, Ctrl-D), a new file or
one to resume or review, a rubric of its own with odd text. The fork server types each
answer at a prompt and Ctrl-D once the script is done (driver.py), so every session
ends; the examples are fewer (half the profile's), each a whole session.

Properties: an exit code of 0, 1, 2 or 130 (130 after Ctrl-C), no traceback, no raw
control character on the terminal or on stderr, the file left absent or valid (what
`cyberdip validate` accepts), or as it was when it could not be resumed, an output aimed
at the rubric (or a link to it) refused, a file another session holds refused (CD403),
and no stray file: no temp file, and no ``.NAME.lock`` once a session has ended in any
way.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import fuzz_properties as P
import fuzz_strategies as S
import pytest
import yaml
from fuzz_harness import FUZZ, ForkServer
from fuzz_runs import check, workdir, write
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")

CTRL_C, CTRL_D = "\x03", "\x04"

#: Half the examples of the other fuzz tests: each is a whole session of prompts.
SESSIONS = settings(FUZZ, max_examples=max(4, FUZZ.max_examples // 2))


def _typable(text: str) -> bool:
    """What a user can type and Python's input() reads back: no NUL (CPython drops a line
    holding one and reads on), no line break inside; no byte that is not UTF-8 while
    KNOWN_BUGS holds the exit 3 it gives."""
    if "\x00" in text or "\n" in text or "\r" in text:
        return False
    return "assess-non-utf8-typed" not in P.KNOWN_BUGS or not any(
        "\udc80" <= c <= "\udcff" for c in text)


answer = st.one_of(
    st.sampled_from(["0", "1", "2", "3", "4", "5", "9", "-1", "2.5", "yes", "no", "y", "met",
                     "30", "150", "-5", "nan", "inf", "1e400", "n/a", "n/a: no mission there",
                     "na", "skip", "back", "back", "quit", "", "", "", "clear",
                     "https://example.org/x", " 2 ", "Ministry", "\u0648\u0632\u0627\u0631\u062a",
                     "caf\udce9", "\udcff"]),
    S.payload, st.text(max_size=20),
).filter(_typable)
script = st.lists(st.one_of(answer, answer, answer, answer, answer, answer, answer, answer,
                            st.sampled_from([CTRL_C, CTRL_D])), max_size=16)


@st.composite
def session(draw):
    # how the session ends, when it gets that far: Ctrl-D (typed by the server), Ctrl-C, quit
    end = draw(st.sampled_from([[], [CTRL_C], [CTRL_C], ["quit"]]))
    return dict(
        script=draw(script) + end,
        rubric=draw(st.sampled_from(["mini", "mini", "poisoned", "builtin"])),
        start=draw(st.sampled_from(["new", "new", "new", "resume", "review", "invalid",
                                    "locked", "locked-via-symlink", "locked-via-hardlink",
                                    "the-rubric", "a-link-to-the-rubric"])),
        name=draw(S.names), stdio=draw(st.sampled_from(["utf-8:strict",
                                                        "utf-8:surrogateescape"])),
        data=draw(st.data()))


@SESSIONS
@given(case=session())
def test_assess(forkserver: ForkServer, fuzz_root: Path, case) -> None:
    with workdir(fuzz_root) as work:
        rubric_data = None
        if case["rubric"] == "builtin":
            rubric = "cyberdip-core"
        else:
            rubric_data = yaml.safe_load(S.MINI_RUBRIC.read_bytes())
            if case["rubric"] == "poisoned":
                rubric_data = case["data"].draw(S.poisoned(rubric_data), label="rubric")
                (work / "rubrics" / "mini.yaml").write_bytes(S.dump(rubric_data))
            rubric = "../rubrics/mini.yaml"
        out = work / "a" / f"{case['name']}.yaml"
        start = case["start"]
        if start.endswith("the-rubric") and case["rubric"] == "builtin":
            start = "new"
        elif start == "the-rubric":  # -o aimed at the rubric it answers
            out = work / "rubrics" / "mini.yaml"
        elif start == "a-link-to-the-rubric":
            os.symlink("../rubrics/mini.yaml", out)
        if start.startswith("locked-via") and case["rubric"] == "builtin":
            start = "new"
        real = out
        if start.startswith("locked-via"):  # the session holds the file, through another name
            real = out.with_name("real-" + out.name)
        if start.startswith("lock") and case["rubric"] != "builtin":
            answered = yaml.safe_load(S.MINI_ANSWERED.read_bytes())
            answered["answers"].pop("outreach.dialogue")  # one left to answer
            write(work, real.name, S.dump(answered))
            if start == "locked-via-symlink":
                os.symlink(real.name, out)
            elif start == "locked-via-hardlink":
                os.link(real, out)
        elif start in ("resume", "review") and case["rubric"] != "builtin":
            answered = yaml.safe_load(S.MINI_ANSWERED.read_bytes())
            answered["answers"].pop("outreach.dialogue")  # one left to answer
            write(work, out.name, S.dump(answered))
        elif start == "invalid":  # a YAML test-suite case, spliced: never an assessment
            write(work, out.name, case["data"].draw(S.spliced(S.suite_cases()), label="file"))
        lock = out.with_name(f".{out.name}.lock")
        held = None
        other = None
        if start == "locked":  # another session holds the file
            held = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        elif start.startswith("locked-via"):  # a session on the file's own name
            from cyberdip.cli.asker.lock import session_lock

            other = session_lock(real)
            other.__enter__()
        try:
            before = P.snapshot(work)
            r = forkserver.run("assess", rubric, "-o", os.path.relpath(out, work / "a"),
                               *(["--review"] if start == "review" else []),
                               cwd=work / "a", tty=case["script"], stdio=case["stdio"])
        finally:
            if held is not None:
                os.close(held)
        existed = out in before
        # the file is answered as it goes: replaced, unless it could not be resumed
        replaced = frozenset({out}) if start in ("new", "resume", "review") else frozenset()
        # saved after every answer: after Ctrl-C (130) too, the file may be there
        try:  # the other session still holds the file while the run is checked
            what = check(r, work, before, replaced=replaced, also=frozenset({out}),
                         codes=(0, 1, 2, 130), fmt=None)
        finally:
            if other is not None:
                other.__exit__(None, None, None)
        if not existed and r.code in (1, 2):  # "stopped before anything was answered"
            P.absent(out, "nothing-written", what)
        terminal = r.stdout
        if "assess-raw-sgr" in P.KNOWN_BUGS:
            terminal = P.SGR.sub("", terminal)
        P.no_raw_controls(terminal, "the terminal", what)
        typed = case["script"][:r.sent]
        ends = [a for a in typed if a in (CTRL_C, CTRL_D)]
        if ends and ends[0] == CTRL_C:
            P.interrupted(r.code, r.stderr, what)
        if start.startswith("locked"):
            P.session_locked(r.code, r.stderr, what)
        if start.endswith("the-rubric"):  # refused (a poisoned rubric may be invalid: 1)
            P.refused(r.code, what, "input-protected")
            if case["rubric"] == "mini":
                P.input_protected(r.code, r.stderr, None, what)
        written = out.is_file() and not out.is_symlink() and (
            not existed or before[out] != out.read_bytes())
        if written:  # what assess wrote (a file it left as it was is not its doing)
            if ("yaml-comments" in P.KNOWN_BUGS and rubric_data is not None
                    and P.has_breaks_or_controls(rubric_data)):
                return
            v = forkserver.run("validate", out, cwd=work)
            P.follow_up_ok(v, "assess-leaves-valid-yaml", what)
