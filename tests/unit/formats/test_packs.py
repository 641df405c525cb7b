"""Rubric packs (formats/packs.py, formats/pack_manifest.py): the manifest, the hash of
each file, the search path and its precedence, and the packs cyberdip ships."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cyberdip.errors import CyberdipError, InvalidInput
from cyberdip.formats import documents, pack_manifest, packs
from tests.conftest import DATA, ROOT

#: the packs cyberdip ships: the built-in rubrics, and the three framework examples
SHIPPED = [ROOT / "rubrics", *sorted(p for p in (ROOT / "examples" / "frameworks").iterdir()
                                     if p.is_dir())]


@pytest.fixture(autouse=True)
def _no_search_path(monkeypatch):
    monkeypatch.delenv(packs.ENV, raising=False)
    packs.use(None)
    yield
    packs.use(None)


def make_pack(folder: Path, *, rubric: Path = DATA / "rubrics" / "mini.yaml",
              name: str = "mini.yaml", translation: bool = True) -> Path:
    """A pack in ``folder``: a rubric, its Urdu translation and its manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(rubric, folder / name)
    if translation:
        shutil.copy(DATA / "rubrics" / "mini.ur.yaml",
                    folder / name.replace(".yaml", ".ur.yaml"))
    assert pack_manifest.main([str(folder), "--licence", "CC-BY-4.0",
                               "--source", "https://example.org/ours"]) == 0
    return folder


# -- the packs cyberdip ships ---------------------------------------------------------------


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_pack_matches_its_manifest(folder):
    pack = packs.read_manifest(folder / packs.MANIFEST)
    problems = packs.verify(pack)
    assert not problems, (
        f"{folder.relative_to(ROOT)}: a file of the pack changed without its manifest; run "
        f"`{packs.REFRESH} {folder.relative_to(ROOT)}`:\n"
        + "\n".join(p.message for p in problems))
    # and the manifest is exactly what the script writes: no file unlisted, none extra
    assert pack_manifest.main(["--check", str(folder)]) == 0, (
        f"stale manifest; run `{packs.REFRESH} {folder.relative_to(ROOT)}`")


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_shipped_pack_lists_each_of_its_files_with_the_kind_it_has(folder):
    pack = packs.read_manifest(folder / packs.MANIFEST)
    yaml_files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.yaml")
                        if p.name != packs.MANIFEST)
    assert sorted(e.path for e in pack.files) == yaml_files
    for e in pack.files:
        kind = documents.detect_kind(documents.load(folder / e.path))
        assert {"assessment": "example"}.get(kind, kind) == e.kind
        if e.kind == "rubric":
            r = documents.load_rubric_file(folder / e.path)
            assert (r.id, r.version) == (e.id, e.version)
    assert sorted(pack.versions) == sorted(e.version for e in pack.rubrics())
    assert pack.licence == "Apache-2.0"


def test_the_built_in_pack_is_the_built_in_rubrics():
    pack = packs.read_manifest(ROOT / "rubrics" / packs.MANIFEST)
    assert sorted(pack.file(e) for e in pack.rubrics()) == sorted(
        documents.builtin_paths().values())
    assert "pack" not in documents.builtin_paths()  # the manifest is not a rubric


# -- the manifest -----------------------------------------------------------------------------


def test_the_manifest_records_each_file_with_the_hash_of_its_bytes(tmp_path):
    make_pack(tmp_path / "p")
    pack = packs.read_manifest(tmp_path / "p" / packs.MANIFEST)
    assert (pack.id, pack.versions, pack.licence) == ("mini", ["1.0.0"], "CC-BY-4.0")
    by_path = {e.path: e for e in pack.files}
    assert set(by_path) == {"mini.yaml", "mini.ur.yaml"}
    for rel, e in by_path.items():
        assert e.sha256 == hashlib.sha256((tmp_path / "p" / rel).read_bytes()).hexdigest()
    assert (by_path["mini.yaml"].kind, by_path["mini.yaml"].id) == ("rubric", "mini")
    assert (by_path["mini.ur.yaml"].kind, by_path["mini.ur.yaml"].language,
            by_path["mini.ur.yaml"].translates) == ("translation", "ur", "mini.yaml")


def test_refreshing_a_manifest_keeps_its_licence_and_source(tmp_path):
    folder = make_pack(tmp_path / "p")
    (folder / "mini.yaml").write_bytes((folder / "mini.yaml").read_bytes() + b"# edited\n")
    assert pack_manifest.main(["--check", str(folder)]) == 1
    assert pack_manifest.main([str(folder)]) == 0
    pack = packs.read_manifest(folder / packs.MANIFEST)
    assert (pack.licence, pack.source) == ("CC-BY-4.0", "https://example.org/ours")
    assert packs.verify(pack) == []


def test_a_new_manifest_needs_a_licence_and_a_source(tmp_path, capsys):
    (tmp_path / "p").mkdir()
    shutil.copy(DATA / "rubrics" / "mini.yaml", tmp_path / "p")
    assert pack_manifest.main([str(tmp_path / "p")]) == 2
    assert "needs --licence, --source" in capsys.readouterr().err
    assert not (tmp_path / "p" / packs.MANIFEST).exists()


def _manifest(tmp_path: Path, text: str) -> Path:
    path = tmp_path / packs.MANIFEST
    path.write_text(text)
    return path


GOOD = ("pack: 1\nid: mini\nversions: [\"1.0.0\"]\nlicence: MIT\nsource: ours\nfiles:\n"
        "  - path: mini.yaml\n    kind: rubric\n    id: mini\n    version: \"1.0.0\"\n"
        f"    sha256: {'a' * 64}\n")


@pytest.mark.parametrize(("change", "where", "words"), [
    (("sha256: " + "a" * 64, "sha256: ABC"), (11, 13), "64 lowercase hexadecimal digits"),
    (("path: mini.yaml", "path: ../mini.yaml"), (7, 11), "not a path inside the pack"),
    (("path: mini.yaml", "path: /etc/mini.yaml"), (7, 11), "not a path inside the pack"),
    (("licence: MIT\n", ""), (1, 1), "`licence` must be non-empty text"),
    (("kind: rubric", "kind: recipe"), (8, 11), "`kind` must be one of rubric, translation"),
    (("versions: [\"1.0.0\"]", "versions: [\"2.0.0\"]"), (3, 11),
     "`versions` must be the versions of the pack's rubrics: 1.0.0"),
    (("pack: 1", "pack: 2"), (1, 7), "`pack:` must be 1"),
    (("source: ours", "source: ours\nsigned: yes"), (6, 9), "unknown key `signed`"),
])
def test_a_bad_manifest_is_refused_at_the_place_of_the_fault(tmp_path, change, where, words):
    path = _manifest(tmp_path, GOOD.replace(*change))
    with pytest.raises(InvalidInput) as e:
        packs.read_manifest(path)
    p = e.value.problems[0]
    assert (p.code, (p.line, p.col)) == ("CD730", where)
    assert words in p.message


def test_a_file_listed_twice_and_a_translation_of_no_rubric_are_refused(tmp_path):
    twice = GOOD + GOOD[GOOD.index("  - path"):]
    with pytest.raises(InvalidInput) as e:
        packs.read_manifest(_manifest(tmp_path, twice))
    assert "listed twice" in e.value.problems[0].message
    orphan = GOOD + ("  - path: mini.ur.yaml\n    kind: translation\n    language: ur\n"
                     f"    translates: other.yaml\n    sha256: {'b' * 64}\n")
    with pytest.raises(InvalidInput) as e:
        packs.read_manifest(_manifest(tmp_path, orphan))
    assert "which the pack does not list as a rubric" in e.value.problems[0].message


def test_a_yaml_file_that_is_not_a_manifest_is_said_to_be_none(tmp_path):
    with pytest.raises(InvalidInput) as e:
        packs.read_manifest(_manifest(tmp_path, "id: x\n"))
    assert e.value.problems[0].message.startswith("this is not a cyberdip pack manifest")


@given(st.lists(st.text("abz09._-", min_size=1, max_size=6), min_size=1, max_size=4))
@example(["..", "x"])
@example([".", "x"])
@settings(derandomize=True)
def test_a_path_is_inside_the_pack_exactly_when_no_part_climbs_out(parts):
    rel = "/".join(parts)
    assert packs.safe_relative(rel) == (".." not in parts)
    assert not packs.safe_relative("/" + rel)
    assert not packs.safe_relative(rel.replace("/", "\\") + "\\x")


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30)),
                min_size=1, max_size=8))
@settings(derandomize=True)
def test_versions_are_ordered_by_their_numbers_not_as_text(versions):
    texts = [".".join(map(str, v)) for v in versions]
    assert (sorted(texts, key=packs.version_key)
            == [".".join(map(str, v)) for v in sorted(versions)])


# -- the files against the manifest ---------------------------------------------------------


@given(st.data())
@settings(derandomize=True, max_examples=25, deadline=None)
def test_changing_any_byte_of_any_file_is_found(tmp_path_factory, data):
    folder = make_pack(tmp_path_factory.mktemp("tamper") / "p")
    pack = packs.read_manifest(folder / packs.MANIFEST)
    victim = folder / data.draw(st.sampled_from(sorted(e.path for e in pack.files)))
    raw = bytearray(victim.read_bytes())
    at = data.draw(st.integers(0, len(raw) - 1))
    raw[at] ^= data.draw(st.integers(1, 255))
    victim.write_bytes(bytes(raw))
    problems = packs.verify(pack)
    assert [(p.path, p.code) for p in problems] == [(str(victim), "CD731")]
    assert "expected sha256" in problems[0].message and packs.REFRESH in problems[0].message
    with pytest.raises(InvalidInput):
        packs.check_intact(pack)


def test_a_listed_file_that_is_missing_is_found(tmp_path):
    folder = make_pack(tmp_path / "p")
    (folder / "mini.ur.yaml").unlink()
    problems = packs.verify(packs.read_manifest(folder / packs.MANIFEST))
    assert [p.code for p in problems] == ["CD731"]
    assert "there is no such file" in problems[0].message


# -- the search path --------------------------------------------------------------------------


def test_the_option_comes_before_the_environment_and_a_missing_env_folder_is_passed_over(
        tmp_path, monkeypatch):
    a = make_pack(tmp_path / "a")
    b_root = tmp_path / "b"
    make_pack(b_root / "one", rubric=DATA / "rubrics" / "format2.yaml", name="f2.yaml",
              translation=False)
    monkeypatch.setenv(packs.ENV, f"{tmp_path / 'gone'}{__import__('os').pathsep}{b_root}")
    packs.use([str(a)])
    assert [(d, by) for d, by in packs.search_dirs()] == [
        (str(a), "--packs"), (str(tmp_path / "gone"), packs.ENV), (str(b_root), packs.ENV)]
    assert [p.folder for p in packs.on_path()] == [a, b_root / "one"]


def test_a_folder_named_by_the_option_must_hold_a_pack(tmp_path):
    with pytest.raises(CyberdipError) as e:
        packs.pack_manifests(str(tmp_path / "gone"))
    assert (e.value.code, e.value.exit_code) == ("CD734", 2)
    with pytest.raises(CyberdipError) as e:
        packs.pack_manifests(str(tmp_path))
    assert "holds no rubric pack" in e.value.message


def test_a_pack_adds_an_id_that_is_then_found_by_it(tmp_path):
    folder = make_pack(tmp_path / "p")
    with pytest.raises(CyberdipError):
        documents.resolve_rubric("mini")
    packs.use([str(folder)])
    assert documents.resolve_rubric("mini") == folder / "mini.yaml"
    assert documents.is_rubric_id("mini")


def _core_copy(tmp_path: Path, version: str, edit: bytes = b"") -> Path:
    """A pack holding cyberdip-core as ``version``, changed by ``edit`` at the end."""
    text = (ROOT / "rubrics" / "cyberdip-core.yaml").read_bytes()
    text = text.replace(b"\nversion: 2.1.0\n", f"\nversion: {version}\n".encode()) + edit
    folder = tmp_path / f"core-{version}"
    folder.mkdir()
    (folder / "cyberdip-core.yaml").write_bytes(text)
    assert pack_manifest.main([str(folder), "--licence", "MIT", "--source", "ours"]) == 0
    return folder


def test_the_same_id_and_version_with_the_same_bytes_is_the_built_in(tmp_path):
    packs.use([str(_core_copy(tmp_path, "2.1.0"))])
    assert documents.resolve_rubric("cyberdip-core") == documents.builtin_paths()["cyberdip-core"]
    found = [c for c in documents.rubric_candidates() if c.id == "cyberdip-core"]
    assert [c.origin for c in found] == ["built-in"] * 3


def test_the_same_id_and_version_with_other_bytes_is_refused_naming_both_places(tmp_path):
    folder = _core_copy(tmp_path, "2.1.0", b"# ours\n")
    packs.use([str(folder)])
    with pytest.raises(InvalidInput) as e:
        documents.resolve_rubric("cyberdip-core")
    p = e.value.problems[0]
    assert (p.code, p.path) == ("CD732", str(folder / packs.MANIFEST))
    assert str(documents.builtin_paths()["cyberdip-core"]) in p.message
    assert str(folder / "cyberdip-core.yaml") in p.message


def test_a_pack_may_add_a_new_version_of_a_built_in_id(tmp_path):
    folder = _core_copy(tmp_path, "3.0.0")
    packs.use([str(folder)])
    assert documents.resolve_rubric("cyberdip-core") == folder / "cyberdip-core.yaml"
    assert documents.resolve_rubric("cyberdip-core@3") == folder / "cyberdip-core.yaml"
    builtin = documents.builtin_paths()
    # an assessment answered on an installed version still scores on it
    assert documents.resolve_rubric("cyberdip-core", version="2.1.0") == builtin["cyberdip-core"]
    assert documents.resolve_rubric("cyberdip-core", version="2.0.0") == builtin[
        "cyberdip-core@2.0"]
    assert documents.resolve_rubric("cyberdip-core@1") == builtin["cyberdip-core@1"]


def test_a_tampered_pack_is_refused_when_its_rubric_is_asked_for(tmp_path):
    folder = make_pack(tmp_path / "p")
    packs.use([str(folder)])
    assert documents.resolve_rubric("mini") == folder / "mini.yaml"
    (folder / "mini.ur.yaml").write_text("tampered: true\n")
    with pytest.raises(InvalidInput) as e:
        documents.resolve_rubric("mini")
    assert [(p.path, p.code) for p in e.value.problems] == [
        (str(folder / "mini.ur.yaml"), "CD731")]


def test_without_packs_the_built_ins_resolve_as_before(tmp_path):
    builtin = documents.builtin_paths()
    assert documents.resolve_rubric("cyberdip-core") == builtin["cyberdip-core"]
    assert documents.resolve_rubric("cyberdip-core", version="1.2.0") == builtin[
        "cyberdip-core@1"]
    assert [c.origin for c in documents.rubric_candidates()] == ["built-in"] * len(builtin)


# -- the one content hash ----------------------------------------------------------------------


def test_a_loaded_rubric_keeps_the_hash_of_its_files_bytes_and_equality_ignores_it(tmp_path):
    from cyberdip.engine.scoring import rubric_hash

    original = DATA / "rubrics" / "mini.yaml"
    copy = tmp_path / "mini.yaml"
    copy.write_bytes(original.read_bytes() + b"# a comment changes the bytes, not the rubric\n")
    a, b = documents.load_rubric_file(original), documents.load_rubric_file(copy)
    assert a == b  # the same rubric ...
    assert a.file_sha256 == hashlib.sha256(original.read_bytes()).hexdigest()
    assert b.file_sha256 == hashlib.sha256(copy.read_bytes()).hexdigest()  # ... two files
    assert (rubric_hash(a), rubric_hash(b)) == (a.file_sha256, b.file_sha256)
    in_memory = type(a).model_validate(a.model_dump())
    assert in_memory == a and in_memory.file_sha256 is None
