"""The checked copies of the built-in rubrics, each named by the SHA-256 of its
bytes, giving exactly the rubric the full load and check gives; any other file, even
one byte away from a built-in rubric, is loaded and checked in full."""

from __future__ import annotations

import pytest

from cyberdip import yamlio
from cyberdip.errors import InvalidInput
from cyberdip.formats import checked_rubrics, documents
from cyberdip.model import loading

BUILTINS = sorted(documents.builtin_paths().items())


def full_load(path) -> object:
    return loading.rubric_from_document(documents.load(path, expect="rubric"))


@pytest.mark.parametrize(("rubric_id", "path"), BUILTINS)
def test_a_built_in_rubric_comes_from_its_copy_as_the_full_load_gives_it(rubric_id, path):
    data = yamlio.read_bytes(path)
    copy = checked_rubrics.lookup(data)
    assert copy is not None, rubric_id
    assert copy == full_load(path)
    assert copy.model_dump() == full_load(path).model_dump()
    assert documents.load_rubric_file(path) == copy


@pytest.mark.parametrize(("rubric_id", "path"), BUILTINS[:1])
def test_a_file_one_byte_away_from_a_built_in_rubric_is_checked_in_full(tmp_path, rubric_id,
                                                                          path):
    text = path.read_text(encoding="utf-8")
    same = tmp_path / "renamed.yaml"
    same.write_text(text, encoding="utf-8")
    assert checked_rubrics.lookup(same.read_bytes()) is not None  # the bytes, not the name
    commented = tmp_path / "commented.yaml"
    commented.write_text(text + "# one more line\n", encoding="utf-8")
    assert checked_rubrics.lookup(commented.read_bytes()) is None
    assert documents.load_rubric_file(commented) == full_load(path)
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("\nareas:", "\nareas: 3\nold_areas:", 1), encoding="utf-8")
    assert checked_rubrics.lookup(broken.read_bytes()) is None
    with pytest.raises(InvalidInput) as e:
        documents.load_rubric_file(broken)
    assert any(p.path == str(broken) and p.line > 1 for p in e.value.problems)
