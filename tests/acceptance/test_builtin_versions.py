"""Versions 1 and 2.0 of the built-in rubric stay installed beside the newest: old
assessments still score, on `cyberdip-core@1` and `cyberdip-core@2.0`, to the figures
they gave before the next version shipped."""

from __future__ import annotations

import json

import pytest

from tests.conftest import DATA

V1 = DATA / "v1-examples"

#: The 1.0 figures, recorded with `cyberdip score --format json` on these copies (then
#: examples/ under rubric cyberdip-core 1.0.0) before cyberdip-core 2.0.0 shipped.
#: They must never change: a 1.x assessment is scored on `cyberdip-core@1`.
V1_FIGURES = {
    "pakistan-mofa-2023.yaml": (28.58, 0, "Absent", 52.17),
    "pakistan-mofa-2025-followup.yaml": (40.74, 2, "Formative", 93.61),
    "missions/consulate-general-dubai.yaml": (31.41, 0, "Absent", 77.47),
    "missions/embassy-beijing.yaml": (61.78, 2, "Formative", 77.84),
    "missions/embassy-berlin.yaml": (55.3, 1, "Start-up", 100.0),
    "missions/high-commission-london.yaml": (54.07, 2, "Formative", 100.0),
}


def test_every_v1_copy_is_pinned():
    found = sorted(str(p.relative_to(V1)) for p in V1.rglob("*.yaml"))
    assert found == sorted(V1_FIGURES)


@pytest.mark.parametrize("name", sorted(V1_FIGURES))
def test_v1_assessments_score_to_their_1_0_figures(cli, name):
    r = cli("score", "--format", "json", V1 / name)
    assert r.code == 0, r.stderr
    card = json.loads(r.stdout)
    assert (card["rubric"]["id"], card["rubric"]["version"]) == ("cyberdip-core", "1.0.0")
    assert card["answered_version"] == "1.0.0"
    assert (card["index"], card["stage"], card["stage_name"], card["coverage"]) == (
        V1_FIGURES[name])


def test_cyberdip_core_at_1_resolves_explicitly(tmp_path, cli):
    src = (V1 / "pakistan-mofa-2023.yaml").read_text(encoding="utf-8")
    explicit = tmp_path / "explicit.yaml"
    explicit.write_text(src.replace("rubric: cyberdip-core\n", "rubric: cyberdip-core@1\n", 1),
                        encoding="utf-8")
    r = cli("score", "--format", "json", explicit)
    assert r.code == 0, r.stderr
    card = json.loads(r.stdout)
    assert card["rubric"]["version"] == "1.0.0"
    assert (card["index"], card["stage"], card["coverage"]) == (28.58, 0, 52.17)


def test_the_newest_built_in_is_2_1_and_versions_1_and_2_0_are_unchanged():
    from cyberdip.formats import documents

    paths = documents.builtin_paths()
    assert sorted(paths) == ["cyberdip-core", "cyberdip-core@1", "cyberdip-core@2.0"]
    assert documents.load_rubric_file(paths["cyberdip-core"]).version == "2.1.0"
    v1 = documents.load_rubric_file(paths["cyberdip-core@1"])
    assert (v1.version, v1.format, v1.count_criteria()) == ("1.0.0", 1, 42)
    v20 = documents.load_rubric_file(paths["cyberdip-core@2.0"])
    assert (v20.version, v20.format, v20.count_criteria()) == ("2.0.0", 2, 48)


V20 = DATA / "v2.0-examples"

#: The 2.0 figures, recorded with `cyberdip score --format json` on these copies (then
#: examples/ under rubric cyberdip-core 2.0.0) before cyberdip-core 2.1.0 shipped.
#: They must never change: a 2.0.x assessment is scored on `cyberdip-core@2.0`.
V20_FIGURES = {
    "pakistan-mofa-2023.yaml": (24.35, 1, "Start-up", 28.4),
    "pakistan-mofa-2025-followup.yaml": (31.18, 1, "Start-up", 96.41),
    "missions/consulate-general-dubai.yaml": (24.44, 1, "Start-up", 35.9),
    "missions/embassy-beijing.yaml": (68.67, 2, "Formative", 70.9),
    "missions/embassy-berlin.yaml": (52.73, 1, "Start-up", 100.0),
    "missions/high-commission-london.yaml": (44.64, 1, "Start-up", 100.0),
}


def test_every_v2_0_copy_is_pinned():
    found = sorted(str(p.relative_to(V20)) for p in V20.rglob("*.yaml"))
    assert found == sorted(V20_FIGURES)


@pytest.mark.parametrize("name", sorted(V20_FIGURES))
def test_v2_0_assessments_score_to_their_2_0_figures(cli, name):
    r = cli("score", "--format", "json", V20 / name)
    assert r.code == 0, r.stderr
    card = json.loads(r.stdout)
    assert (card["rubric"]["id"], card["rubric"]["version"]) == ("cyberdip-core", "2.0.0")
    assert card["answered_version"] == "2.0.0"
    assert (card["index"], card["stage"], card["stage_name"], card["coverage"]) == (
        V20_FIGURES[name])


@pytest.mark.parametrize(("ref", "version", "expected"), [
    ("cyberdip-core", None, "2.1.0"),
    ("cyberdip-core", "2.1.0", "2.1.0"),
    ("cyberdip-core", "2.0.0", "2.0.0"),
    ("cyberdip-core", "2.0.3", "2.0.0"),
    ("cyberdip-core", "1.0.0", "1.0.0"),
    ("cyberdip-core", "3.0.0", "2.1.0"),
    ("cyberdip-core@2.0", None, "2.0.0"),
    ("cyberdip-core@2.1", None, "2.1.0"),
    ("cyberdip-core@2", None, "2.1.0"),
    ("cyberdip-core@1", None, "1.0.0"),
])
def test_built_ins_resolve_by_minor_then_major_version(ref, version, expected):
    from cyberdip.formats import documents

    path = documents.resolve_rubric(ref, version=version)
    assert documents.load_rubric_file(path).version == expected


@pytest.mark.parametrize("ref", ["cyberdip-core@2.2", "cyberdip-core@3", "cyberdip-core@x"])
def test_a_version_no_installed_file_holds_is_not_found(ref):
    from cyberdip.errors import CyberdipError
    from cyberdip.formats import documents

    with pytest.raises(CyberdipError) as e:
        documents.resolve_rubric(ref)
    assert e.value.code == "CD306"


def test_cyberdip_core_at_2_0_resolves_explicitly(tmp_path, cli):
    src = (V20 / "pakistan-mofa-2023.yaml").read_text(encoding="utf-8")
    explicit = tmp_path / "explicit.yaml"
    explicit.write_text(src.replace("rubric: cyberdip-core\n", "rubric: cyberdip-core@2.0\n", 1),
                        encoding="utf-8")
    r = cli("score", "--format", "json", explicit)
    assert r.code == 0, r.stderr
    card = json.loads(r.stdout)
    assert card["rubric"]["version"] == "2.0.0"
    assert (card["index"], card["stage"], card["coverage"]) == V20_FIGURES[
        "pakistan-mofa-2023.yaml"][:2] + V20_FIGURES["pakistan-mofa-2023.yaml"][3:]
