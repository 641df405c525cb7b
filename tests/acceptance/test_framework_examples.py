"""The shipped examples under examples/frameworks/: each validates and scores, and the
ITU GCI example reproduces ITU's published overall scores for Pakistan."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS = ROOT / "examples" / "frameworks"
GCI = FRAMEWORKS / "itu-gci"
FILES = sorted(p for p in FRAMEWORKS.glob("*/*.yaml") if p.name != "pack.yaml")

#: ITU's published overall scores and the tier of the edition they were published in
#: (GCI 2020 ranked countries and had no tiers). The only figures here the engine does
#: not compute: what it computes is compared with them.
PUBLISHED = {
    "pakistan-2020.yaml": (Decimal("64.88"), None),
    "pakistan-2024.yaml": (Decimal("96.69"), "Tier 1"),
}


def test_every_framework_has_a_rubric_and_an_assessment():
    names = sorted(p.name for p in FRAMEWORKS.iterdir() if p.is_dir())
    assert names == ["c2m2-style", "itu-gci", "nist-csf-2.0"]
    for name in names:
        files = {p.name for p in (FRAMEWORKS / name).glob("*.yaml")}
        assert "rubric.yaml" in files
        assert len(files) >= 2, f"{name} has no assessment"


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_framework_example_validates(cli, path):
    r = cli("validate", path)
    assert r.code == 0, r.stdout + r.stderr
    assert "all valid" in r.stdout + r.stderr


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_framework_example_passes_its_json_schema(path):
    """What an editor checks as you type: the file against the schema of its kind."""
    from jsonschema import Draft202012Validator

    from cyberdip import yamlio
    from cyberdip.formats import documents, schemas

    doc = yamlio.load(path)
    kind = documents.detect_kind(doc)
    assert kind == ("rubric" if path.name.startswith("rubric") else "assessment")
    data = json.loads(json.dumps(doc.data, default=str))
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in Draft202012Validator(schemas.schema(kind)).iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_gci_reproduces_itu_published_overall_score_and_tier(cli, name):
    r = cli("validate", GCI / "rubric.yaml", GCI / "rubric-2020.yaml", GCI / name)
    assert r.code == 0, r.stdout + r.stderr
    r = cli("score", GCI / name, "--format", "json")
    assert r.code == 0, r.stderr
    card = json.loads(r.stdout)
    published, tier = PUBLISHED[name]
    # exact decimal comparison: 64.87 is within 0.01 of 64.88, and float noise must not
    # push it out
    assert abs(Decimal(str(card["index"])) - published) <= Decimal("0.01"), card["index"]
    assert (card["band"] or {}).get("name") == tier
    assert card["labels"]["index"] == "overall score"
    assert card["stage"] is None  # the GCI has tiers, not stages
    assert card["coverage"] == 100
    # the index is the sum of the pillars: each pillar's area score is its share of 20
    pillars = {c["id"]: c["value"] for c in card["criteria"]}
    assert len(pillars) == 5
    for area in card["areas"]:
        value = pillars[f"{area['id']}.score"]
        assert area["score"] == pytest.approx(value * 5, abs=0.005)
    (rollup,) = card["rollups"]
    assert rollup["framework"] == "itu-gci"
    assert [i["item"] for i in rollup["items"]] == [
        "legal", "technical", "organizational", "capacity-development", "cooperation"]
    assert {c["relationship"] for i in rollup["items"] for c in i["criteria"]} == {"equal"}


def test_gci_2020_notes_explain_the_rounding():
    from cyberdip import yamlio

    data = yamlio.load(GCI / "pakistan-2020.yaml").data
    values = [Decimal(str(a["value"])) for a in data["answers"].values()]
    assert sum(values) == Decimal("64.87")  # the published, rounded pillars
    assert "64.88" in data["notes"] and "unrounded" in data["notes"]


def test_gci_bands_are_the_2024_tiers():
    from cyberdip.formats import documents

    rubric = documents.load_rubric_file(GCI / "rubric.yaml")
    assert [(b.name, b.min) for b in rubric.index.bands] == [
        ("Tier 1", 95), ("Tier 2", 85), ("Tier 3", 55), ("Tier 4", 20), ("Tier 5", 0)]
    assert rubric.scale is None and rubric.scoring.stage_gate == "none"
    assert {s.url.split(":")[0] for s in rubric.sources.values()} == {"https"}
    for edge, tier in [(95, "Tier 1"), (94.99, "Tier 2"), (85, "Tier 2"), (55, "Tier 3"),
                       (54.99, "Tier 4"), (20, "Tier 4"), (19.99, "Tier 5"), (0, "Tier 5")]:
        assert rubric.band_for(edge).name == tier


def test_each_gci_edition_scores_with_its_own_method(cli):
    """The 2020 edition ranked countries and had no tiers: its rubric has no bands, and
    the 2020 score shows no tier in any output, while the 2024 one shows its tier."""
    from cyberdip.formats import documents

    r2020 = documents.load_rubric_file(GCI / "rubric-2020.yaml")
    r2024 = documents.load_rubric_file(GCI / "rubric.yaml")
    assert (r2020.id, r2020.version, r2024.id, r2024.version) == (
        "itu-gci", "2020.0.0", "itu-gci", "2024.0.0")
    assert not (r2020.index and r2020.index.bands)
    assert {s for s in r2020.sources} == {"itu-gci-2020"}
    assert {s for s in r2024.sources} == {"itu-gci-2024"}
    # the same pillars, asked the same way: only the edition's method differs
    assert [c.id for _, c in r2020.criteria()] == [c.id for _, c in r2024.criteria()]
    text = cli("score", GCI / "pakistan-2020.yaml")
    assert text.code == 0 and "64.87" in text.stdout and "Tier" not in text.stdout
    card = json.loads(cli("score", GCI / "pakistan-2020.yaml", "--format", "json").stdout)
    assert card["band"] is None and card["rubric"]["version"] == "2020.0.0"
    text = cli("score", GCI / "pakistan-2024.yaml")
    assert text.code == 0 and "Tier 1" in text.stdout


def test_csf_profile_scores_with_targets(cli):
    csf = FRAMEWORKS / "nist-csf-2.0"
    r = cli("score", csf / "example-profile.yaml", "--format", "json")
    assert r.code == 0, r.stderr
    card = json.loads(r.stdout)
    assert [a["id"] for a in card["areas"]] == ["GV", "ID", "PR", "DE", "RS", "RC"]
    assert len(card["groups"]) == 22
    assessed = [c for c in card["criteria"] if c["status"] == "assessed"]
    assert 30 <= len(assessed) <= 40
    assert {c["area"] for c in assessed} == {"GV", "ID", "PR", "DE", "RS", "RC"}
    assert all(c["target"] is not None for c in assessed)
    assert card["gaps"], "a current profile below its target profile has gaps"
    assert card["illustrative"] is True
    assert card["stage"] is None
