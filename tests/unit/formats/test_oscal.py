"""The OSCAL mapping (cyberdip.formats.oscal, docs/oscal.md): ids, UUIDs, the catalog
round trip for every shipped rubric, assessment-results, findings, and the skeleton made
from another tool's catalog. Schema validation of every export is in
tests/acceptance/test_cli_export.py."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cyberdip.errors import CyberdipError
from cyberdip.formats import documents, oscal
from cyberdip.model.rubric import NATIVE_ID, Rubric
from tests.conftest import DATA, ROOT

#: an example's own rubric is `rubric.yaml`, or `rubric-EDITION.yaml` beside it
RUBRIC_NAME = re.compile(r"rubric(-[\w.-]+)?\.yaml")
RUBRIC_PATHS = sorted([*documents.builtin_paths().values(),
                       *(p for p in (ROOT / "examples").rglob("rubric*.yaml")
                         if RUBRIC_NAME.fullmatch(p.name))])
ASSESSMENTS = sorted(p for p in (ROOT / "examples").rglob("*.yaml")
                     if not RUBRIC_NAME.fullmatch(p.name) and p.name != "pack.yaml")


def _id(p) -> str:
    return str(p.relative_to(ROOT))


def _card(path):
    from cyberdip.engine.scoring import score

    checked = documents.load_assessment(str(path))
    card = score(checked.rubric, checked.assessment)
    if checked.assessment.marking:
        card = card.model_copy(update={"marking": checked.assessment.marking})
    return card


# -- ids and uuids -----------------------------------------------------------------------


@given(st.from_regex(NATIVE_ID, fullmatch=True))
@example("1.2")
@example("GV.OC-01")
@example("13a")
def test_an_oscal_id_starts_with_a_letter_or_underscore_and_maps_back(native):
    token = oscal.oscal_id(native)
    assert token[0] == "_" or token[0].isalpha()
    assert oscal.native_id(token) == native
    assert token == native or token == "_" + native  # only a leading `_` is ever added


def test_ids_that_already_fit_are_kept_and_others_get_an_underscore():
    assert oscal.oscal_id("GV.OC-01") == "GV.OC-01"
    assert oscal.oscal_id("1.2") == "_1.2"
    assert oscal.native_id("_1.2") == "1.2"


def test_the_uuid_namespace_is_derived_from_the_documented_namespace_uri():
    assert uuid.uuid5(uuid.NAMESPACE_URL, oscal.NS) == oscal.UUID_NAMESPACE


@given(st.text(), st.text())
def test_uuids_are_version_5_and_follow_the_content(a, b):
    u = uuid.UUID(oscal.uid("x", a))
    assert u.version == 5
    assert oscal.uid("x", a) == str(u)
    assert (oscal.uid("x", a) == oscal.uid("x", b)) == (a == b)
    assert oscal.uid("x", a) != oscal.uid("y", a)


# -- a rubric as a catalog, and back -----------------------------------------------------


@pytest.mark.parametrize("version", oscal.VERSIONS)
@pytest.mark.parametrize("path", RUBRIC_PATHS, ids=_id)
def test_every_shipped_rubric_comes_back_from_its_catalog_as_the_same_rubric(path, version):
    rubric = documents.load_rubric_file(path)
    text = oscal.to_json(oscal.catalog(rubric, version))
    imported = oscal.read_catalog(json.loads(text))
    assert imported.ours and imported.dropped == []
    back = Rubric.model_validate(imported.data)
    assert back == rubric
    assert back.model_dump(mode="json") == rubric.model_dump(mode="json")


@pytest.mark.parametrize("path", RUBRIC_PATHS, ids=_id)
def test_a_catalog_is_the_same_bytes_every_time_and_its_uuids_are_unique(path):
    rubric = documents.load_rubric_file(path)
    first = oscal.to_json(oscal.catalog(rubric))
    assert oscal.to_json(oscal.catalog(rubric.model_copy(deep=True))) == first
    uuids = re.findall(r'"uuid": "([0-9a-f-]{36})"', first)
    assert len(uuids) == len(set(uuids)) == len(rubric.sources) + 2  # sources, settings, doc
    assert all(uuid.UUID(u).version == 5 for u in uuids)


def test_a_catalog_says_its_version_and_release_date_and_holds_every_criterion():
    rubric = documents.get_rubric("cyberdip-core")
    cat = oscal.catalog(rubric, "1.2.1")["catalog"]
    assert cat["metadata"]["oscal-version"] == "1.2.1"
    assert cat["metadata"]["version"] == rubric.version
    assert cat["metadata"]["last-modified"] == f"{rubric.released}T00:00:00Z"

    def controls(groups):
        for g in groups:
            yield from g.get("controls", [])
            yield from controls(g.get("groups", []))

    ids = [c["id"] for c in controls(cat["groups"])]
    assert ids == [oscal.oscal_id(i) for i in rubric.criterion_ids()]
    assert [g["id"] for g in cat["groups"]] == [oscal.oscal_id(a.id) for a in rubric.areas]


def test_a_rubric_without_a_release_date_cannot_be_exported():
    rubric = documents.get_rubric("cyberdip-core").model_copy(update={"released": None})
    with pytest.raises(oscal.ExportError, match="no `released` date") as e:
        oscal.catalog(rubric)
    assert e.value.code == "CD406"


def test_text_that_cannot_be_an_oscal_property_is_refused_not_changed():
    rubric = documents.get_rubric("cyberdip-core")
    bad = rubric.model_copy(update={"language": "en "})
    with pytest.raises(oscal.ExportError, match="cannot be an OSCAL property"):
        oscal.catalog(bad)


def test_an_unknown_oscal_version_is_refused():
    with pytest.raises(oscal.ExportError, match="1.1.2, 1.2.1"):
        oscal.catalog(documents.get_rubric("cyberdip-core"), "1.0.0")


# -- another tool's catalog --------------------------------------------------------------


def test_a_foreign_catalog_becomes_a_valid_skeleton_with_what_was_dropped_listed():
    from cyberdip import yamlio
    from cyberdip.model import loading

    doc = json.loads((DATA / "oscal" / "foreign-csf-catalog.json").read_text("utf-8"))
    imported = oscal.read_catalog(doc)
    assert not imported.ours
    text = oscal.rubric_yaml(imported, "foreign-csf-catalog.json")
    rubric = loading.rubric_from_document(yamlio.parse(text.encode(), "skeleton.yaml"))
    assert rubric.criterion_ids() == ["gv.oc-01", "gv.oc-02", "gv.oc-03"]
    csf = json.loads((DATA / "nist-csf-2.0" / "csf-2.0.json").read_text("utf-8"))
    statements = [s["statement"] for s in csf["functions"][0]["categories"][0]
                  ["subcategories"][:3]]
    assert [c.question for _, c in rubric.criteria()] == statements
    assert str(rubric.released) == "2024-02-26" and rubric.version == "0.1.0"
    dropped = "\n".join(imported.dropped)
    for what in ("the part `guidance`", "the parameters gv.oc-02_prm_1",
                 "the properties label", "1 back-matter resource", "version `2.0`",
                 "generic four-level scale"):
        assert what in dropped


@pytest.mark.parametrize("text, message", [
    (b'{"catalog": ', "invalid JSON"),
    (b"[1, 2]", "not an OSCAL catalog"),
    (b'{"catalog": {"metadata": 1}}', "could not be read"),
    (b'{"catalog": NaN}', "invalid JSON"),
    (b"\xff\xfe", "not UTF-8"),
])
def test_what_is_not_a_catalog_is_a_clear_error(text, message):
    with pytest.raises(CyberdipError, match=message) as e:
        oscal.read_catalog(oscal.parse_json(text, "x.json"), "x.json")
    assert e.value.code == "CD407" and e.value.path == "x.json"


# -- a scorecard as assessment-results -----------------------------------------------------


@pytest.mark.parametrize("path", ASSESSMENTS, ids=_id)
def test_every_answer_is_an_observation_collected_on_the_assessment_date(path):
    card = _card(path)
    doc = oscal.assessment_results(card, findings=True)["assessment-results"]
    result = doc["results"][0]
    assert result["start"] == f"{card.date}T00:00:00Z"
    answered = [c for c in card.criteria if c.status != "not-assessed"]
    observations = result.get("observations", [])
    assert [next(p["value"] for p in o["props"] if p["name"] == "criterion")
            for o in observations] == [oscal.oscal_id(c.id) for c in answered]
    assert {o["collected"] for o in observations} <= {result["start"]}
    props = {p["name"]: p["value"] for p in result["props"]}
    assert float(props["coverage"]) == card.coverage
    assert props["index"] == ("none" if card.index is None else repr(float(card.index)))
    marking = [p["value"] for p in doc["metadata"].get("props", []) if p["name"] == "marking"]
    assert marking == ([card.marking] if card.marking else [])
    # import-ap points at the back-matter note that says there is no plan
    href = doc["import-ap"]["href"]
    note = next(r for r in doc["back-matter"]["resources"] if f"#{r['uuid']}" == href)
    assert "no OSCAL assessment plan exists" in note["description"]
    again = oscal.to_json(oscal.assessment_results(_card(path), findings=True))
    assert again == oscal.to_json({"assessment-results": doc})


@given(st.one_of(st.none(), st.integers(0, 5)), st.one_of(st.none(), st.integers(0, 5)),
       st.one_of(st.none(), st.booleans()))
def test_a_finding_is_satisfied_iff_the_level_reaches_the_target(level, target, satisfied):
    state = oscal.finding_state(level, target, satisfied)
    if level is not None and target is not None:
        assert state == ("satisfied" if level >= target else "not-satisfied")
    elif satisfied is not None:
        assert state == ("satisfied" if satisfied else "not-satisfied")
    else:
        assert state is None


def test_findings_are_opt_in_and_each_names_its_observation():
    card = _card(ROOT / "examples" / "pakistan-mofa-2023.yaml")
    plain = oscal.assessment_results(card)["assessment-results"]["results"][0]
    assert "findings" not in plain
    result = oscal.assessment_results(card, findings=True)["assessment-results"]["results"][0]
    by_uuid = {o["uuid"]: o for o in result["observations"]}
    levels = {c.id: c for c in card.criteria}
    assert result["findings"]
    for f in result["findings"]:
        (rel,) = f["related-observations"]
        obs = by_uuid[rel["observation-uuid"]]
        cid = oscal.native_id(next(p["value"] for p in obs["props"] if p["name"] == "criterion"))
        c = levels[cid]
        assert f["target"]["target-id"] == f"{oscal.oscal_id(cid)}_smt"
        assert f["target"]["status"]["state"] == oscal.finding_state(c.level, c.target,
                                                                     c.satisfied)


def test_an_assessment_without_a_date_cannot_be_exported():
    card = _card(ROOT / "examples" / "pakistan-mofa-2023.yaml").model_copy(
        update={"date": None})
    with pytest.raises(oscal.ExportError, match="has no `date`"):
        oscal.assessment_results(card)


def test_dated_evidence_carries_its_dates_and_whether_it_has_run_out(tmp_path):
    """An item's date, valid-until, hash and reference go with its relevant-evidence as
    props, and stale or expired is said as judged on the assessment's date."""
    import shutil

    from tests.conftest import DATA

    shutil.copy(DATA / "rubrics" / "format2-dated.yaml", tmp_path / "r.yaml")
    sha = "ab" * 32
    (tmp_path / "a.yaml").write_text(
        "rubric: r.yaml\norganisation: {name: M}\ndate: 2026-11-30\nanswers:\n"
        "  policy.law:\n    met: true\n    evidence:\n"
        f"      - {{text: Act 2016, date: 2016-08-18, ref: Gazette, sha256: '{sha}'}}\n"
        "      - {text: Plan, date: 2023-03-01, valid_until: 2025-12-31}\n",
        encoding="utf-8")
    doc = oscal.assessment_results(_card(tmp_path / "a.yaml"))["assessment-results"]
    [obs] = [o for o in doc["results"][0]["observations"]
             if any(p["value"] == "policy.law" for p in o["props"])]
    got = [(e["description"], {p["name"]: p["value"] for p in e.get("props", [])})
           for e in obs["relevant-evidence"]]
    assert got[0][0] == "Act 2016" and got[1][0] == "Plan"
    assert {k: got[0][1][k] for k in ("evidence-date", "reference", "sha256")} == {
        "evidence-date": "2016-08-18", "reference": "Gazette", "sha256": sha}
    assert (got[1][1]["evidence-date"], got[1][1]["valid-until"], got[1][1]["expired"]) == (
        "2023-03-01", "2025-12-31", "true")
    assert "expired" not in got[0][1]
