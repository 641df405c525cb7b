"""The content of the built-in rubric `cyberdip-core` 2.0 and of its examples: our own
words, atomic indicators, one question each, and a baseline that reads the paper fairly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from cyberdip.engine.scoring import score
from cyberdip.formats import documents
from cyberdip.report import registry
from tests.conftest import ROOT

RUBRIC = ROOT / "rubrics" / "cyberdip-core.yaml"
PAPERS = sorted((ROOT / "tests" / "data" / "papers").glob("*.txt"))
#: The examples on this rubric (examples/frameworks/ holds other rubrics' examples).
EXAMPLES = [ROOT / "examples" / n for n in (
    "pakistan-mofa-2023.yaml", "pakistan-mofa-2025-followup.yaml",
    "missions/consulate-general-dubai.yaml", "missions/embassy-beijing.yaml",
    "missions/embassy-berlin.yaml", "missions/high-commission-london.yaml")]
BASELINE = ROOT / "examples" / "pakistan-mofa-2023.yaml"
SCOPE = ROOT / "docs" / "traceability.yaml"
RUN = 13  # a run of this many words copied from a paper is too long


def words(text: str) -> list[str]:
    """Lower-case words, whitespace and punctuation normalised away."""
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace("\u2019", "'"))


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            if isinstance(k, str):
                yield k
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)


@pytest.fixture(scope="module")
def paper_runs() -> set[tuple[str, ...]]:
    runs = set()
    for p in PAPERS:
        w = words(p.read_text(encoding="utf-8"))
        runs.update(tuple(w[i:i + RUN]) for i in range(len(w) - RUN + 1))
    return runs


@pytest.fixture(scope="module")
def rubric():
    return documents.load_rubric_file(RUBRIC)


def test_both_papers_are_vendored():
    assert len(PAPERS) == 2


def test_the_check_catches_a_copied_run(paper_runs):
    text = PAPERS[0].read_text(encoding="utf-8")
    sample = " ".join(words(text)[400:400 + RUN]).upper()
    w = words(sample)
    assert tuple(w[:RUN]) in paper_runs


@pytest.mark.parametrize("path", [RUBRIC, SCOPE, *EXAMPLES],
                         ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_no_run_of_13_words_is_copied_from_a_paper(paper_runs, path):
    copied = []
    for s in strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
        w = words(s)
        copied += [" ".join(w[i:i + RUN]) for i in range(len(w) - RUN + 1)
                   if tuple(w[i:i + RUN]) in paper_runs]
    assert copied == []


def test_rubric_is_2_0_on_format_2_with_the_cmm_scale(rubric):
    assert (rubric.format, rubric.version) == (2, "2.0.0")
    assert [s.name for s in rubric.scale] == [
        "Absent", "Start-up", "Formative", "Established", "Strategic", "Dynamic"]
    assert (rubric.scoring.stage_gate, rubric.scoring.default_target,
            rubric.scoring.evidence_from_level) == ("critical", 3, 3)
    assert RUBRIC.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schemas/rubric.schema.json\n")


def test_the_gcscc_cmm_is_credited_for_the_stage_names(rubric):
    assert "Global Cyber Security Capacity Centre" in rubric.description
    assert "Capacity Maturity Model" in rubric.description
    assert any("Capacity Maturity Model" in s.title for s in rubric.sources.values())


@pytest.mark.parametrize("term", ["mission", "significant incident", "trained",
                                  "largest platform", "active account", "engagement rate",
                                  "state without a mission", "national CERT"])
def test_key_terms_are_in_the_glossary(rubric, term):
    assert term in rubric.glossary


def test_profiles_are_headquarters_then_mission(rubric):
    assert rubric.profile_ids() == ["headquarters", "mission"]
    asked = [c for _, c in rubric.criteria() if c.applies("mission")]
    assert len(asked) >= 10
    for c in asked:
        if c.applies("headquarters"):
            assert "mission" in c.question_for, f"{c.id}: no wording for a mission"


def test_every_level_criterion_has_atomic_indicators_from_1_to_5(rubric):
    for _, c in rubric.criteria():
        if c.kind != "level":
            continue
        assert sorted(c.indicators) == [1, 2, 3, 4, 5], c.id
        for _, i in c.indicator_list():
            assert len(i.text.split()) <= 25, (c.id, i.id)
            assert i.text.endswith("."), (c.id, i.id)


def test_one_question_per_criterion(rubric):
    for _, c in rubric.criteria():
        for q in [c.question, *c.question_for.values()]:
            assert q.count("?") == 1 and q.endswith("?"), c.id
            # a second question hides behind "and is/does/has/are"
            assert not re.search(r" and (is|does|has|are) ", q), c.id


def test_national_context_holds_the_country_s_strategy_and_laws(rubric):
    context = next(a for a in rubric.areas if a.context)
    ids = [c.id for c in context.all_criteria()]
    for cid in ("context.national-strategy", "context.cybercrime-law",
                "context.electronic-transactions", "context.gci-tier"):
        assert cid in ids
    assert not any(c.critical for c in context.all_criteria())


def test_no_pakistan_specific_wording_in_what_a_ministry_answers(rubric):
    banned = re.compile(r"Pakistan|\blac\b|PECA|79th|30%|diaspora vot|vote|election|"
                        r"munir2023|khan2022", re.IGNORECASE)
    for _, c in rubric.criteria():
        texts = [c.title or "", c.question, *c.question_for.values(), *c.levels.values(),
                 *c.recommendations.values(), *(i.text for _, i in c.indicator_list())]
        assert not [t for t in texts if banned.search(t)], c.id


def test_online_services_do_not_assume_the_ministry_runs_visas(rubric):
    c = next(c for _, c in rubric.criteria() if c.id == "outreach.online-services")
    assert "visa" not in c.question.lower()


def test_time_thresholds_are_labelled_as_the_authors_own(rubric):
    for cid in ("incident-response.time-to-report",):
        c = next(c for _, c in rubric.criteria() if c.id == cid)
        assert "rubric authors' own" in c.levels[0]
    c = next(c for _, c in rubric.criteria() if c.id == "incident-response.secure-continuity")
    assert any("sets none" in (i.note or "") for _, i in c.indicator_list())


def test_mappings_use_the_built_in_frameworks_only(rubric):
    for _, c in rubric.criteria():
        for m in c.all_mappings():
            assert m.framework in ("itu-gci", "nist-csf", "un-gge-2015"), c.id


# -- the 2023 baseline ---------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline():
    checked = documents.load_assessment(str(BASELINE))
    assert not checked.errors
    return checked


@pytest.fixture(scope="module")
def baseline_md(baseline):
    return registry.render("md", score(baseline.rubric, baseline.assessment)).decode("utf-8")


def test_baseline_writes_down_the_silent_and_partial_rules(baseline):
    notes = " ".join(baseline.assessment.notes.split())
    assert "When the paper is silent" in notes
    assert "When the fit is partial" in notes


def test_baseline_headline_reads_start_up(baseline):
    card = score(baseline.rubric, baseline.assessment)
    assert (card.stage, card.stage_name) == (1, "Start-up")


@pytest.mark.parametrize("statement", [
    "not consolidated or used in decisions", "uptake is low",
    "no shared system with headquarters", "no one is clearly in charge",
    "without prepared positions"])
def test_baseline_report_drops_the_statements_the_paper_contradicts(baseline_md, statement):
    assert statement not in baseline_md


def test_every_baseline_indicator_answer_quotes_a_section_of_the_paper(baseline):
    sections = {s["section"] for ref in ("munir2023", "khan2022")
                for s in yaml.safe_load(SCOPE.read_text(encoding="utf-8"))["papers"][ref]}
    for cid, ans in baseline.assessment.answers.items():
        for ind, value in (ans.indicators if ans else {}).items():
            assert not isinstance(value, bool), f"{cid}/{ind}: answer with evidence"
            if value is None or value.met is None and not value.evidence:
                continue
            assert value.evidence, f"{cid}/{ind}"
            for e in value.evidence:
                m = re.match(r"^(Munir et al\. \(2023\)|Khan et al\. \(2022\)), ", e)
                assert m, e
                assert any(e[m.end():].startswith(s + ": ") for s in sections), e


@pytest.mark.parametrize("path", [p for p in EXAMPLES if p != BASELINE],
                         ids=lambda p: p.name)
def test_other_examples_are_illustrative_on_2_0(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["illustrative"] is True
    assert data["rubric_version"] == "2.0.0"
    if "missions" in path.parts:
        assert data["profile"] == "mission"
