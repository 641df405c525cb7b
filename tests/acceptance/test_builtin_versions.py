"""Version 1 of the built-in rubric stays installed beside 2.0: old assessments still
score, on `cyberdip-core@1`, to the figures they gave before 2.0 shipped."""

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


def test_the_newest_built_in_is_2_0_and_version_1_is_unchanged():
    from cyberdip.formats import documents

    paths = documents.builtin_paths()
    assert documents.load_rubric_file(paths["cyberdip-core"]).version == "2.0.0"
    v1 = documents.load_rubric_file(paths["cyberdip-core@1"])
    assert (v1.version, v1.format, v1.count_criteria()) == ("1.0.0", 1, 42)
