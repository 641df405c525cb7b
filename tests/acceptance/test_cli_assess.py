"""`cyberdip assess`: a real session in a pseudo-terminal, killed and resumed."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pexpect

from cyberdip import yamlio
from cyberdip.engine.scoring import score
from cyberdip.formats import documents
from tests.conftest import PATIENCE, ctrl_c

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
MINI = DATA / "rubrics" / "mini.yaml"
HAND = DATA / "assessments" / "mini-answered.yaml"
TIMEOUT = PATIENCE  # a session takes about a second; this bounds a stuck one


def spawn(tmp_path: Path, *args: str) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}
    env.pop("CYBERDIP_DEBUG", None)
    return pexpect.spawn(sys.executable, ["-m", "cyberdip", "assess", str(MINI), *args],
                         cwd=str(tmp_path), env=env, encoding="utf-8", timeout=TIMEOUT,
                         dimensions=(50, 100))


def answer(child: pexpect.spawn, prompt: str, text: str) -> None:
    child.expect(prompt)
    child.sendline(text)


def wrapped(text: str) -> str:
    """A pattern for ``text`` as the terminal may wrap it: any space a line break."""
    import re

    return r"\s+".join(re.escape(w) for w in text.split())


def finish(child: pexpect.spawn) -> tuple[int, str]:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


def file_answers(path: Path) -> dict:
    return yamlio.load(path).data["answers"]


def scorecard(path: Path):
    checked = documents.load_assessment(str(path))
    return score(checked.rubric, checked.assessment)


def test_a_session_survives_sigkill_resumes_and_scores_like_the_handwritten_file(tmp_path):
    out = tmp_path / "answers.yaml"
    child = spawn(tmp_path, "-o", "answers.yaml")
    answer(child, "Organisation", "Test Ministry")
    answer(child, "Unit or mission", "")
    answer(child, "Period", "2023")
    child.expect("1 of 4, policy 1 of 2")
    child.expect("Is there a strategy")
    child.expect(r"4\s+Reviewed")  # the level descriptors, as a numbered list
    answer(child, "Answer", "9")  # invalid: explained, then asked again
    child.expect(r"9 is above the top level \(4\)")
    answer(child, "Answer", "2")
    answer(child, "Evidence", "")
    answer(child, "Target", "")
    child.expect("2 of 4, policy 2 of 2")
    answer(child, "Answer", "yes")
    answer(child, "Evidence", "PECA 2016")
    answer(child, "Evidence", "")
    answer(child, "Target", "")
    child.expect("3 of 4, outreach 1 of 2")
    answer(child, "Answer", "back")  # back to the law, its answer offered as the default
    child.expect("2 of 4, policy 2 of 2")
    child.expect(r"Answer \(yes\)")
    child.sendline("")
    child.expect("Evidence so far")
    child.expect("PECA 2016")
    answer(child, "Evidence", "")
    answer(child, "Target", "")
    child.expect("3 of 4, outreach 1 of 2")
    answer(child, "Answer", "30")
    child.expect("Evidence")
    # Killed without warning in the middle of a criterion: what was answered is on disk.
    child.kill(signal.SIGKILL)
    child.close()
    assert child.signalstatus == signal.SIGKILL
    assert file_answers(out) == {"policy.strategy": {"level": 2},
                                 "policy.law": {"met": True, "evidence": ["PECA 2016"]},
                                 "outreach.missions-online": {"value": 30}}
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    # Resume: straight to the first unanswered criterion.
    child = spawn(tmp_path, "-o", "answers.yaml")
    child.expect("resuming answers.yaml: 1 of 4 criteria to answer")
    child.expect("4 of 4, outreach 2 of 2")
    answer(child, "Answer", "n/a")
    answer(child, "Why does it not apply", "no public channels yet")
    child.expect("(?i)index")  # the scorecard summary
    child.expect(r"Next: `cyberdip report answers.yaml -o report.html`")
    code, _ = finish(child)
    assert code == 0
    assert file_answers(out) == {**file_answers(HAND)}
    assert scorecard(out) == scorecard(HAND)


def test_review_shows_every_answer_as_the_default_and_changes_one(tmp_path):
    out = tmp_path / "mine.yaml"
    text = HAND.read_text().replace("../rubrics/mini.yaml", str(MINI))
    out.write_text(text)
    child = spawn(tmp_path, "-o", "mine.yaml", "--review")
    child.expect("reviewing mine.yaml")
    answer(child, r"Answer \(2\)", "3")
    answer(child, "Evidence", "https://example.org/strategy.pdf")
    answer(child, "Evidence", "")
    answer(child, "Target", "4")
    answer(child, r"Answer \(yes\)", "")
    answer(child, "Evidence", "")
    answer(child, "Target", "")
    answer(child, r"Answer \(30\)", "")
    answer(child, "Evidence", "")
    answer(child, "Target", "")
    answer(child, r"Answer \(n/a: no public channels yet\)", "")
    code, _ = finish(child)
    assert code == 0
    got = file_answers(out)
    assert got["policy.strategy"] == {"level": 3, "evidence": ["https://example.org/strategy.pdf"],
                                      "target": 4}
    assert {k: v for k, v in got.items() if k != "policy.strategy"} == {
        k: v for k, v in file_answers(HAND).items() if k != "policy.strategy"}


def test_plan_asks_for_the_action_plan_of_each_criterion_below_its_target(tmp_path):
    """`--plan`: below its target a criterion's plan is asked, each part optional; at or
    above it nothing is asked; a status is refused until it is one of the four."""
    import datetime as dt

    out = tmp_path / "mine.yaml"
    out.write_text(HAND.read_text().replace("../rubrics/mini.yaml", str(MINI)))
    child = spawn(tmp_path, "-o", "mine.yaml", "--review", "--plan")
    child.expect("reviewing mine.yaml")
    answer(child, r"Answer \(2\)", "")  # level 2, target 3: below it
    answer(child, "Evidence", "")
    answer(child, "Target", "")
    child.expect(wrapped("Action plan (optional)"))
    answer(child, r"Plan an action for this gap\? yes or no \(no\)", "yes")
    answer(child, "Action", "Put the strategy to the cabinet")
    answer(child, "Owner", "Director, Policy Planning")
    answer(child, "Due", "2026-06-30")
    answer(child, "Status", "finished")
    child.expect("type one of planned, under-way, done, dropped")
    answer(child, "Status", "under way")
    answer(child, r"Answer \(yes\)", "")  # met: level 3, at its target: no plan asked
    answer(child, "Evidence", "")
    answer(child, "Target", "")
    answer(child, r"Answer \(30\)", "")  # level 2: asked, and skipped with Enter
    answer(child, "Evidence", "")
    answer(child, "Target", "")
    answer(child, r"Plan an action for this gap\? yes or no \(no\)", "")
    answer(child, r"Answer \(n/a: no public channels yet\)", "")
    code, _ = finish(child)
    assert code == 0
    got = file_answers(out)
    assert got["policy.strategy"] == {
        "level": 2, "action": "Put the strategy to the cabinet",
        "owner": "Director, Policy Planning", "due": dt.date(2026, 6, 30),
        "status": "under-way"}
    assert {k: v for k, v in got.items() if k != "policy.strategy"} == {
        k: v for k, v in file_answers(HAND).items() if k != "policy.strategy"}
    [item] = [i for i in scorecard(out).plan if i.own_action]
    assert (item.id, item.status, item.due_by) == ("policy.strategy", "under-way",
                                                   "2026-06-30")


def test_skip_quit_and_ctrl_c_keep_what_was_answered(tmp_path):
    out = tmp_path / "a.yaml"
    child = spawn(tmp_path, "-o", "a.yaml")
    answer(child, "Organisation", "وزارت خارجہ")
    answer(child, "Unit or mission", "Embassy in Berlin")
    answer(child, "Period", "")
    answer(child, "Answer", "skip")
    child.expect("2 of 4")
    answer(child, "Answer", "no")
    child.expect("Evidence: ")
    ctrl_c(child)
    code, rest = finish(child)
    assert code == 130
    assert "interrupted" in rest
    data = yamlio.load(out).data
    assert data["organisation"] == {"name": "وزارت خارجہ", "unit": "Embassy in Berlin"}
    assert data["answers"] == {"policy.law": {"met": False}}
    documents.load_assessment(str(out))  # still a valid assessment

    child = spawn(tmp_path, "-o", "a.yaml")
    child.expect("1 of 4")  # the skipped one comes back first
    answer(child, "Answer", "quit")
    code, rest = finish(child)
    assert code == 0
    assert "saved a.yaml: 1 answered, 0 not applicable, 3 to go" in rest
    assert file_answers(out) == {"policy.law": {"met": False}}


def test_an_invalid_file_is_refused_with_located_errors(tmp_path):
    (tmp_path / "bad.yaml").write_text(
        f"rubric: {MINI}\norganisation: {{name: X}}\nanswers:\n  policy.strategy: {{level: 9}}\n")
    child = spawn(tmp_path, "-o", "bad.yaml")
    code, text = finish(child)
    assert code == 1
    assert "bad.yaml:4:" in text and "level 9 is outside the scale 0..4" in text


def test_without_a_terminal_it_refuses(tmp_path, subprocess_cli):
    r = subprocess_cli("assess", str(MINI), "-o", str(tmp_path / "x.yaml"), input="2\n")
    assert r.code == 2
    assert r.stdout == ""
    assert "needs a terminal" in r.stderr and "cyberdip import" in r.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_a_complete_file_is_not_asked_again_and_the_scorecard_is_shown(tmp_path):
    out = tmp_path / "done.yaml"
    out.write_text(HAND.read_text().replace("../rubrics/mini.yaml", str(MINI)))
    before = out.read_bytes()
    child = spawn(tmp_path, "-o", "done.yaml")
    child.expect("every criterion is answered; use --review to change answers")
    child.expect("Test Ministry")
    child.expect("(?i)index")
    code, _ = finish(child)
    assert code == 0
    assert out.read_bytes() == before  # nothing changed, so nothing rewritten


def test_help_defaults_critical_ordinals_none_and_ctrl_c_as_a_new_user_meets_them(tmp_path):
    out = tmp_path / "a.yaml"
    child = spawn(tmp_path, "-o", "a.yaml")
    answer(child, "Organisation", "Test Ministry")
    answer(child, "Unit or mission", "")
    answer(child, "Period", "")
    child.expect("1 of 4, policy 1 of 2")
    child.expect(r"\[critical\] marks a basic")  # explained the first time it is shown
    answer(child, "Answer", "?")
    child.expect("Help: Digital diplomacy strategy")
    child.expect(wrapped("Target: the level you aim to reach"))
    child.expect(wrapped("Enter keeps the default, level 3 for this question."))
    answer(child, "Answer", "three")
    child.expect(wrapped("`three` is not a level; answer with a level from 0 to 4, or n/a, "
                         "skip, back, quit, or ? for help"))
    answer(child, "Answer", "2")
    answer(child, "Evidence", "")
    child.expect(wrapped("Target: the level you aim to reach"))  # what a target is, once
    answer(child, r"Target level \(0-4; Enter for 3, the default\)", "")
    child.expect("2 of 4, policy 2 of 2")
    answer(child, "Answer", "yes")
    answer(child, "Evidence", "3")  # an answer, one prompt too late: never stored as evidence
    child.expect(wrapped("`3` looks like an answer, not evidence, so it is not kept"))
    answer(child, "Evidence", "PECA 2016")
    answer(child, "Evidence", "")
    child.expect(r"Target level \(0-4; Enter for 3, the default\)")  # a boolean reaches 3
    child.sendline("")
    child.expect("3 of 4, outreach 1 of 2")
    answer(child, "Answer", "79th")
    child.expect(r"Evidence")  # 79th is the number 79
    child.sendline("")
    answer(child, "Target", "")
    child.expect("4 of 4, outreach 2 of 2")
    answer(child, "Answer", "back")
    child.expect("3 of 4, outreach 1 of 2")
    answer(child, "Answer", "none")  # the lowest case, with no number to give
    answer(child, "Evidence", "")
    answer(child, "Target", "")
    child.expect("4 of 4, outreach 2 of 2")
    child.expect("Answer")
    ctrl_c(child)
    code, rest = finish(child)
    assert code == 130
    assert ("interrupted: your answers are saved in a.yaml (3 answered, 0 not applicable, "
            "1 to go). Run `cyberdip assess") in rest.replace("\r\n", " ").replace("\n", " ")
    assert file_answers(out) == {"policy.strategy": {"level": 2},
                                 "policy.law": {"met": True, "evidence": ["PECA 2016"]},
                                 "outreach.missions-online": {"level": 0}}
    assert scorecard(out).criteria[2].level == 0  # `none` scores as the lowest level


def test_an_answer_typed_at_the_review_evidence_prompt_changes_the_answer(tmp_path):
    out = tmp_path / "mine.yaml"
    out.write_text(HAND.read_text().replace("../rubrics/mini.yaml", str(MINI)))
    child = spawn(tmp_path, "-o", "mine.yaml", "--review")
    answer(child, r"Answer \(2\)", "")
    answer(child, "Evidence", "3")
    answer(child, "looks like an answer, not evidence", "yes")
    child.expect(wrapped("The answer is now 3"))
    answer(child, "Evidence", "")
    answer(child, "Target", "")
    child.expect("2 of 4")
    child.expect("Answer")
    child.sendeof()  # Ctrl-D: ends the line it is on, then stops
    code, rest = finish(child)
    assert code == 0
    assert "Answer (yes): \r\nsaved mine.yaml" in rest  # not on the prompt's line
    got = file_answers(out)["policy.strategy"]
    assert got["level"] == 3 and "3" not in got.get("evidence", [])


def test_a_mission_answers_its_own_questions_indicator_by_indicator(tmp_path):
    rubric = tmp_path / "format2.yaml"
    rubric.write_bytes((DATA / "rubrics" / "format2.yaml").read_bytes())
    out = tmp_path / "berlin.yaml"
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}
    env.pop("CYBERDIP_DEBUG", None)
    child = pexpect.spawn(sys.executable, ["-m", "cyberdip", "assess", str(rubric), "-o",
                                           str(out)], cwd=str(tmp_path), env=env,
                          encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 100))
    answer(child, "Organisation", "Embassy in Berlin")
    answer(child, "Unit or mission", "")
    answer(child, "Period", "2025")
    answer(child, "Whom is it for", "embassy")  # not a profile: asked again
    child.expect("is not one of headquarters, mission")
    answer(child, "Whom is it for", "mission")
    # the strategy, indicator by indicator
    child.expect("i to answer indicator by indicator")
    answer(child, "Answer", "i")
    answer(child, r"level 1 \(Start-up\): A draft strategy exists\.", "yes")
    # a met indicator's own evidence, as the workbook's indicator row takes it
    answer(child, "Evidence that it holds", "Draft of March 2024")
    answer(child, "Evidence that it holds", "")
    answer(child, r"level 2 \(Formative\)", "y")
    answer(child, "Evidence that it holds", "")
    answer(child, r"level 3 \(Established\): The strategy has a budget line\.", "yes")
    answer(child, "Evidence that it holds", "")
    answer(child, r"level 3 \(Established\): A named unit owns the strategy\.", "no")
    answer(child, r"level 4 \(Strategic\)", "")  # left unanswered
    child.expect(r"The answer is now indicators \(3 met\)")
    answer(child, "Evidence", "")
    answer(child, "Target level", "")
    # the mission's own wording; policy.law is not asked of a mission
    child.expect("Does your mission run an active official account?")
    answer(child, "Answer", "45")
    answer(child, "Evidence", "")
    answer(child, "Target level", "")
    child.expect("Replies to the public")
    answer(child, "Answer", "part")
    answer(child, "Evidence", "")  # a choice has no target level: none asked
    child.expect("National cyber-security strategy")
    answer(child, "Answer", "yes")
    answer(child, "Evidence", "Adopted in 2021")
    answer(child, "Evidence", "")
    answer(child, "Target level", "")
    code, _ = finish(child)
    assert code == 0
    data = yamlio.load(out).data
    assert data["profile"] == "mission"
    assert data["answers"]["policy.strategy"]["indicators"] == {
        "drafted": {"met": True, "evidence": ["Draft of March 2024"]}, "adopted": True,
        "funded": True, "owned": False}
    assert data["answers"]["outreach.replies"]["answer"] == "PART"
    assert "policy.law" not in data["answers"]
    card = scorecard(out)
    policy = next(a for a in card.areas if a.id == "policy")
    assert (card.profile, policy.score) == ("mission", 50.0)


def test_a_second_session_through_another_name_of_the_file_is_refused(tmp_path):
    """The lock follows the file: `./`, an absolute path, a symbolic link and a hard
    link all lead to the file the first session answers, and each is refused (CD403),
    so the answers cannot end up split over two files."""
    text = HAND.read_text(encoding="utf-8").replace("../rubrics/mini.yaml", str(MINI))
    (tmp_path / "berlin.yaml").write_text(
        "".join(line for line in text.splitlines(True) if "dialogue" not in line),
        encoding="utf-8")
    first = spawn(tmp_path, "-o", "berlin.yaml")
    first.expect("Answer")  # the one question left
    os.link(tmp_path / "berlin.yaml", tmp_path / "hard.yaml")
    os.symlink("berlin.yaml", tmp_path / "soft.yaml")
    (tmp_path / "elsewhere").mkdir()
    os.symlink("../berlin.yaml", tmp_path / "elsewhere" / "far.yaml")
    try:
        for name in ("./berlin.yaml", str(tmp_path / "berlin.yaml"), "soft.yaml",
                     "elsewhere/far.yaml", "hard.yaml"):
            second = spawn(tmp_path, "-o", name)
            code, text = finish(second)
            assert code == 2, (name, text)
            assert text.strip().startswith(f"{Path(name)}: error[CD403]: another `cyberdip "
                                           "assess` session is answering this file"), text
    finally:
        first.kill(9)
        first.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".berlin.yaml.lock", "berlin.yaml", "elsewhere", "hard.yaml", "soft.yaml"]


def test_carried_answers_are_confirmed_changed_or_cleared_and_the_history_says_so(tmp_path):
    from tests.conftest import run_cli

    last = tmp_path / "berlin-2025.yaml"
    last.write_text(HAND.read_text().replace("../rubrics/mini.yaml", str(MINI)))
    r = run_cli("init", MINI, "--from", last, "-o", tmp_path / "next.yaml")
    assert r.code == 0, r.stderr
    child = spawn(tmp_path, "-o", "next.yaml")
    child.expect("resuming next.yaml: 0 of 4 criteria to answer, 4 carried forward to "
                 "re-confirm")
    child.expect("Carried forward from 2023 \\(berlin-2025.yaml\\), to re-confirm: 2")
    answer(child, r"Still true\? yes, change or clear \(yes\)", "")  # Enter: it holds
    child.expect("Carried forward from 2023")
    answer(child, "Still true", "clear")
    child.expect("Carried forward from 2023")
    answer(child, "Still true", "change")
    answer(child, r"Answer \(30\)", "65")
    answer(child, "Evidence", "")
    answer(child, "Target", "")
    child.expect("Carried forward from 2023")
    answer(child, "Still true", "quit")
    code, _ = finish(child)
    assert code == 0
    got = file_answers(tmp_path / "next.yaml")
    assert got == {"policy.strategy": {"level": 2}, "outreach.missions-online": {"value": 65},
                   "outreach.dialogue": {"not_applicable": "no public channels yet",
                                         "carried": {"source": "berlin-2025.yaml",
                                                     "period": "2023"}}}
    r = run_cli("history", tmp_path / "next.yaml", "--json")
    entries = [json.loads(line) for line in r.stdout.splitlines()]
    confirmed = [e for e in entries if e["criterion"] == "policy.strategy"]
    assert [(e["from"], e["to"]) for e in confirmed] == [
        ({"level": 2, "carried": {"source": "berlin-2025.yaml", "period": "2023"}},
         {"level": 2})]


def test_an_urdu_session_asks_in_urdu_and_saves_the_answers_an_english_one_does(tmp_path):
    """`assess --lang ur`: the prompts are the catalogue's, the rubric's words its
    translation's; what is typed stays as in English (numbers, y, n/a, skip, quit), and
    Urdu yes or no (ہاں, نہیں) is read as yes or no."""
    out = tmp_path / "ur.yaml"
    child = spawn(tmp_path, "-o", "ur.yaml", "--lang", "ur")
    answer(child, "تنظیم", "Test Ministry")
    answer(child, "یونٹ یا مشن", "")
    answer(child, "مدت", "2023")
    child.expect("4 میں سے 1")  # the progress, in Urdu
    child.expect("ڈیجیٹل سفارت کاری کی حکمتِ عملی")  # the criterion's title, translated
    child.expect("کیا کوئی حکمتِ عملی ہے؟")  # and its question
    answer(child, "جواب", "2")
    answer(child, "ثبوت", "Cabinet decision 2023")
    answer(child, "ثبوت", "")
    answer(child, "ہدف کی سطح", "")
    child.expect("4 میں سے 2")
    answer(child, "جواب", "ہاں")  # Urdu yes
    answer(child, "ثبوت", "")
    answer(child, "ہدف کی سطح", "")
    child.expect("4 میں سے 3")
    answer(child, "جواب", "n/a")
    answer(child, "یہ لاگو کیوں نہیں ہوتا", "no missions")
    child.expect("4 میں سے 4")
    answer(child, "جواب", "quit")
    code, _ = finish(child)
    assert code == 0
    assert file_answers(out) == {"policy.strategy": {"level": 2,
                                                     "evidence": ["Cabinet decision 2023"]},
                                 "policy.law": {"met": True},
                                 "outreach.missions-online": {"not_applicable": "no missions"}}


def test_evidence_is_dated_after_its_item_and_a_bad_date_is_asked_again(tmp_path):
    import datetime as dt

    out = tmp_path / "a.yaml"
    child = spawn(tmp_path, "-o", "a.yaml")
    answer(child, "Organisation", "Test Ministry")
    answer(child, "Unit or mission", "")
    answer(child, "Period", "2026")
    answer(child, "Answer", "2")
    answer(child, "Evidence", "Cabinet decision 12/2023")
    answer(child, "Evidence", "date: 2023-02-30")  # not a day: said, nothing kept
    child.expect(wrapped("`2023-02-30` is not a real day"))
    answer(child, "Evidence", "date: 2023-05-01")
    answer(child, "Evidence", "valid until: 2025-12-31")
    answer(child, "Evidence", "Minutes [date: 2024-01-10; ref: Registry 7]")
    answer(child, "Evidence", "")
    answer(child, "Target", "")
    child.expect("2 of 4, policy 2 of 2")
    answer(child, "Answer", "quit")
    code, rest = finish(child)
    assert code == 0, rest
    assert file_answers(out)["policy.strategy"]["evidence"] == [
        {"text": "Cabinet decision 12/2023", "date": dt.date(2023, 5, 1),
         "valid_until": dt.date(2025, 12, 31)},
        {"text": "Minutes", "date": dt.date(2024, 1, 10), "ref": "Registry 7"}]
