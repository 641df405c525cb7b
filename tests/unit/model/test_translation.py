"""model.translation: a rubric's words in another language, checked like the rubric."""

from __future__ import annotations

import pytest

from cyberdip import yamlio
from cyberdip.formats import documents
from cyberdip.model import translation as tmod
from tests.conftest import DATA, ROOT

MINI = DATA / "rubrics" / "mini.yaml"
MINI_UR = DATA / "rubrics" / "mini.ur.yaml"


def check_text(tmp_path, text: str):
    path = tmp_path / "mini.ur.yaml"
    path.write_text(text, encoding="utf-8")
    doc = yamlio.parse(path.read_bytes(), str(path))
    return tmod.check(doc, documents.load_rubric_file(MINI))


HEAD = ('translates: mini\nrubric_version: 1.0.0\nlanguage: ur\n'
        'status: "draft, not yet reviewed by a native speaker"\n')


def test_the_test_translation_translates_what_is_current_and_reports_the_rest():
    doc = yamlio.parse(MINI_UR.read_bytes(), str(MINI_UR))
    t, problems = tmod.check(doc, documents.load_rubric_file(MINI))
    assert not [p for p in problems if p.level == "error"]
    assert t.status == "test translation, not reviewed"
    assert t.lookup(("areas", "policy", "title"), "Policy") == "پالیسی"
    assert t.lookup(("scale", 2, "name"), "Formative") == "تشکیلی"
    # the stale entry is not used: its English is not the rubric's any more
    stale = [p for p in problems if p.code == "CD503"]
    assert len(stale) == 1 and "policy.law" in stale[0].message
    assert (stale[0].line, stale[0].col) == (25, 20)
    assert t.lookup(("criteria", "policy.law", "question"), "Is there a cybercrime law?") is None
    assert t.coverage.stale == 1
    assert t.coverage.translated + t.coverage.stale + t.coverage.missing == t.coverage.total
    assert t.coverage.total == len(tmod.rubric_strings(documents.load_rubric_file(MINI)))
    missing = [p for p in problems if p.code == "CD502"]
    assert any("`outreach.dialogue`: title, question" in p.message for p in missing)


def test_an_unknown_id_or_field_is_a_located_error(tmp_path):
    _t, problems = check_text(tmp_path, HEAD + "areas:\n  polcy:\n    title: {en: Policy, ur: x}\n"
                              "criteria:\n  policy.law:\n    tagline: {en: a, ur: b}\n"
                              "    levels:\n      7: {en: a, ur: b}\n")
    got = {(p.line, p.col, p.code, p.level) for p in problems if p.level == "error"}
    assert got == {(6, 3, "CD501", "error"), (10, 5, "CD501", "error"),
                   (12, 7, "CD501", "error")}
    msgs = " ".join(p.message for p in problems)
    assert "did you mean `policy`?" in msgs and "`tagline` is not a translatable field" in msgs


def test_a_translation_of_another_rubric_is_refused(tmp_path):
    t, problems = check_text(tmp_path, HEAD.replace("translates: mini", "translates: other"))
    assert t is None
    assert [(p.code, p.line) for p in problems] == [("CD501", 1)]


def test_a_missing_status_and_a_malformed_entry_are_errors(tmp_path):
    _t, problems = check_text(tmp_path, "translates: mini\nlanguage: ur\n")
    errors = [p for p in problems if p.level == "error"]
    assert [p.code for p in errors] == ["CD103"] and "status" in errors[0].message
    _t, problems = check_text(tmp_path, HEAD + "areas:\n  policy:\n    title: Policy\n")
    assert [(p.code, p.line) for p in problems if p.level == "error"] == [("CD104", 7)]


def test_a_version_change_is_a_warning(tmp_path):
    _t, problems = check_text(tmp_path, HEAD.replace("1.0.0", "0.9.0"))
    assert [p.code for p in problems if p.code == "CD504"] == ["CD504"]


# The complete Urdu translation is 2.0's; 2.1's holds only the 2.0 entries whose English
# is unchanged until its new text is translated (a separate task), so for 2.1 this checks
# that what is there is valid and current. When 2.1 is translated, add it to the first list.
@pytest.mark.parametrize("rid", ["cyberdip-core@2.0"])
def test_the_builtin_translation_covers_the_titles_the_report_needs(rid):
    path = documents.builtin_paths()[rid]
    rubric = documents.rubric_at(path)
    found = documents.load_translation_for(rubric, str(path), "ur")
    assert found is not None
    t, problems = found
    assert not [p for p in problems if p.level == "error"]
    assert "not yet reviewed by a native speaker" in t.status
    for a in rubric.areas:
        assert t.lookup(("areas", a.id, "title"), a.title), a.id
        for c in a.criteria:
            assert t.lookup(("criteria", c.id, "title"), c.title), c.id
    for s in rubric.scale:
        assert t.lookup(("scale", s.level, "name"), s.name)


def test_the_2_1_translation_is_valid_and_holds_no_stale_entry():
    path = documents.builtin_paths()["cyberdip-core"]
    rubric = documents.rubric_at(path)
    t, problems = documents.load_translation_for(rubric, str(path), "ur")
    assert (t.rubric_version, rubric.version) == ("2.1.0", "2.1.0")
    assert [p for p in problems if p.level == "error" or p.code in ("CD503", "CD504")] == []


@pytest.mark.parametrize("name", ["cyberdip-core.ur.yaml", "cyberdip-core@2.0.ur.yaml"])
def test_translations_are_never_taken_for_rubrics(name):
    assert name.removesuffix(".yaml") not in documents.builtin_paths()


# -- format 2: indicators, criteria in groups, rubrics without a scale --------------------

FORMAT2 = DATA / "rubrics" / "format2.yaml"
FORMAT2_HEAD = ('translates: worked-example-2\nrubric_version: 2.0.0\nlanguage: ur\n'
                'status: "draft, not yet reviewed by a native speaker"\n')


def check_format2(tmp_path, text: str):
    path = tmp_path / "format2.ur.yaml"
    path.write_text(FORMAT2_HEAD + text, encoding="utf-8")
    doc = yamlio.parse(path.read_bytes(), str(path))
    return tmod.check(doc, documents.load_rubric_file(FORMAT2))


def test_indicators_are_translated_by_id_even_inside_groups(tmp_path):
    t, problems = check_format2(tmp_path, (
        "criteria:\n"
        "  policy.strategy:\n"
        "    indicators:\n"
        "      owned: {en: A named unit owns the strategy., ur: \"ایک نامزد یونٹ مالک ہے۔\"}\n"
        "      ownd: {en: x, ur: y}\n"))
    assert t.lookup(("criteria", "policy.strategy", "indicators", "owned"),
                    "A named unit owns the strategy.") == "ایک نامزد یونٹ مالک ہے۔"
    errors = [p for p in problems if p.level == "error"]
    assert [(p.code, p.line) for p in errors] == [("CD501", 9)]
    assert "`policy.strategy` has no indicator `ownd` in the rubric" in errors[0].message
    # every indicator of the rubric counts in the coverage, the grouped criterion's too
    strings = tmod.rubric_strings(documents.load_rubric_file(FORMAT2))
    assert ("criteria", "policy.strategy", "indicators", "reviewed") in strings
    assert ("criteria", "policy.law", "question") in strings  # inside a group


def test_a_rubric_without_scale_or_titles_can_be_translated(tmp_path):
    gci = documents.load_rubric_file(ROOT / "examples" / "frameworks" / "itu-gci" /
                                     "rubric.yaml")
    strings = tmod.rubric_strings(gci)
    assert not any(k[0] == "scale" for k in strings)
    assert all(isinstance(v, str) for v in strings.values())


def test_a_report_shows_translated_indicators_and_steps():
    from cyberdip.report.i18n import RubricWords

    t = tmod.Translation("x", "worked-example-2", "ur", "draft", "2.0.0", entries={
        ("criteria", "policy.strategy", "indicators", "owned"):
            ("A named unit owns the strategy.", "ایک نامزد یونٹ مالک ہے۔")})
    rw = RubricWords("ur", t)
    assert rw.indicator("policy.strategy", "owned", "A named unit owns the strategy.").text \
        == "ایک نامزد یونٹ مالک ہے۔"
    step = rw.indicator_text("policy.strategy", "A named unit owns the strategy.", bare=True)
    assert (step.text, step.fallback) == ("ایک نامزد یونٹ مالک ہے", False)
    other = rw.indicator_text("policy.strategy", "Something else.")
    assert other.fallback  # shown in English, marked


def test_a_level_described_by_its_indicators_is_translated_when_each_one_is():
    from cyberdip.report.i18n import RubricWords

    key = ("criteria", "x.y", "indicators")
    t = tmod.Translation("x", "r", "ur", "draft", "1.0.0", entries={
        (*key, "a"): ("Multi-factor sign-in is enforced.", "کثیر مرحلہ توثیق لازمی ہے۔"),
        (*key, "b"): ("Updates are applied on time.", "تازہ کاری بروقت ہوتی ہے۔")})
    rw = RubricWords("ur", t)
    english = "Multi-factor sign-in is enforced. Updates are applied on time."
    got = rw.descriptor("x.y", 3, english)
    assert not got.fallback
    assert got.text == "کثیر مرحلہ توثیق لازمی ہے۔ تازہ کاری بروقت ہوتی ہے۔"
    partly = rw.descriptor("x.y", 3, english + " A third is missing.")
    assert partly.fallback  # one indicator untranslated: shown in English, marked


def _complete(rubric) -> dict:
    """A translation of every string of ``rubric`` (the English reversed)."""
    data: dict = {"translates": rubric.id, "rubric_version": rubric.version, "language": "ur",
                  "status": "test"}
    for key, english in tmod.rubric_strings(rubric).items():
        node = data
        for seg in key[:-1]:
            node = node.setdefault(seg, {})
        node[key[-1]] = {"en": english, "ur": english[::-1]}
    return data


@pytest.mark.parametrize("partial", [False, True])
def test_partial_silences_what_is_missing_not_what_is_stale(tmp_path, partial):
    rubric = documents.load_rubric_file(MINI)
    data = _complete(rubric)
    del data["criteria"]["outreach.dialogue"]  # missing
    data["areas"]["policy"]["title"]["en"] = "Old policy"  # stale
    if partial:
        data["partial"] = True
    _t, problems = check_text(tmp_path, yamlio.dump(data))
    codes = sorted(p.code for p in problems)
    assert codes == (["CD503"] if partial else ["CD502", "CD503"])
    assert _t.partial is partial and _t.coverage.missing > 0


def test_a_complete_translation_marked_partial_is_told_to_drop_the_mark(tmp_path):
    rubric = documents.load_rubric_file(MINI)
    t, problems = check_text(tmp_path, yamlio.dump({**_complete(rubric), "partial": True}))
    assert t.coverage.translated == t.coverage.total
    assert [(p.level, p.code) for p in problems] == [("warning", "CD502")]
    assert "remove `partial: true`" in problems[0].message
    _t, problems = check_text(tmp_path, yamlio.dump(_complete(rubric)))
    assert problems == []


def test_a_bad_top_level_key_does_not_hide_a_bad_entry(tmp_path):
    """Every problem in one run: an unknown key at the top and a missing status are
    said together with an unknown id further down."""
    _t, problems = check_text(tmp_path, HEAD.replace("status:", "statuss:")
                              + "areas:\n  polcy:\n    title: {en: Policy, ur: x}\n")
    errors = sorted((p.line, p.code) for p in problems if p.level == "error")
    assert errors == [(1, "CD103"), (4, "CD102"), (6, "CD501")]
    _t, problems = check_text(tmp_path, "translates: mini\nlanguage: 7x\nstatus: s\n"
                              "areas:\n  polcy:\n    title: {en: Policy, ur: x}\n")
    assert [p.code for p in problems] == ["CD106"]  # no language: the entries cannot be read


# -- the sections a report needs beyond titles: glossary, profiles, labels, units ... ---

CORE = ROOT / "rubrics" / "cyberdip-core.yaml"
CORE_HEAD = ('translates: cyberdip-core\nlanguage: ur\n'
             'status: "draft, not yet reviewed by a native speaker"\npartial: true\n')


def check_core(tmp_path, text: str):
    rubric = documents.load_rubric_file(CORE)
    path = tmp_path / "cyberdip-core.ur.yaml"
    path.write_text(CORE_HEAD + text, encoding="utf-8")
    return tmod.check(yamlio.parse(path.read_bytes(), str(path)), rubric), rubric


def test_every_string_a_report_shows_has_a_key(tmp_path):
    rubric = documents.load_rubric_file(CORE)
    keys = tmod.rubric_strings(rubric)
    assert keys[("labels", "index")] == rubric.labels.index
    for term, meaning in rubric.glossary.items():
        assert keys[("glossary", term, "term")] == term
        assert keys[("glossary", term, "definition")] == meaning
    for p in rubric.profiles:
        assert keys[("profiles", p.id, "name")] == p.name
    for a in rubric.areas:
        assert keys[("areas", a.id, "description")] == a.description
    for _, c in rubric.criteria():
        for pid, q in c.question_for.items():
            assert keys[("criteria", c.id, "question_for", pid)] == q
        if c.kind == "metric":
            assert keys[("criteria", c.id, "unit")] == c.metric.unit
        for m in c.mappings:
            if m.note:
                assert keys[("criteria", c.id, "mappings", m.framework, m.item)] == m.note
    used = {m.framework for _, c in rubric.criteria() for m in c.mappings}
    assert {k[1] for k in keys if k[0] == "frameworks"} == used | set(rubric.frameworks)


def test_the_new_sections_are_looked_up_and_checked_like_the_old(tmp_path):
    rubric = documents.load_rubric_file(CORE)
    q = next(c for _, c in rubric.criteria()
             if c.id == "outreach.engagement-rate").question_for["mission"]
    (t, problems), _ = check_core(tmp_path, (
        "labels:\n  index: {en: readiness index, ur: تیاری کا انڈیکس}\n"
        "glossary:\n  mission:\n    term: {en: mission, ur: مشن}\n"
        "  misson:\n    term: {en: misson, ur: مشن}\n"
        "profiles:\n  mission:\n    name: {en: Mission abroad, ur: بیرونِ ملک مشن}\n"
        "  embassy:\n    name: {en: Embassy, ur: سفارت خانہ}\n"
        "criteria:\n  outreach.engagement-rate:\n    question_for:\n"
        f"      mission: {{en: \"{q}\", ur: سوال}}\n"
        "      headquarters: {en: x, ur: y}\n"
        "    unit: {en: \"% of followers\", ur: \"%\"}\n"))
    assert t.lookup(("labels", "index"), "readiness index") == "تیاری کا انڈیکس"
    assert t.lookup(("glossary", "mission", "term"), "mission") == "مشن"
    assert t.lookup(("profiles", "mission", "name"), "Mission abroad") == "بیرونِ ملک مشن"
    assert t.lookup(("criteria", "outreach.engagement-rate", "question_for", "mission"),
                    q) == "سوال"
    errors = sorted((p.line, p.code, p.message) for p in problems if p.level == "error")
    # a term, a profile and a profile's question the rubric does not have: located errors
    assert [(ln, code) for ln, code, _ in errors] == [(10, "CD501"), (15, "CD501"),
                                                      (21, "CD501")]
    assert "did you mean `mission`?" in errors[0][2]
    assert "`embassy` is not a profile of `cyberdip-core`" in errors[1][2]
    assert "no question for the profile `headquarters`" in errors[2][2]
    stale = [p for p in problems if p.code == "CD503"]  # the unit's English is not the rubric's
    assert [(p.line, p.level) for p in stale] == [(22, "warning")]
