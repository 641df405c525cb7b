"""Writing the checked copies of the built-in rubrics: the copies in the package are
what the writer makes now, one for each built-in rubric and nothing else."""

from __future__ import annotations

from cyberdip.formats import checked_rubrics, checked_write, documents


def test_the_copies_are_fresh_and_nothing_else_is_there():
    """Regenerate with `python -m cyberdip.formats.checked_write` when this fails."""
    want = checked_write.expected()
    have = {p.name: p.read_bytes() for p in checked_rubrics.FOLDER.iterdir()}
    assert sorted(have) == sorted(want), (
        "the checked rubric copies are stale: run `python -m cyberdip.formats.checked_write`")
    for name, data in want.items():
        assert have[name] == data, name
    assert len(want) == len(documents.builtin_paths())
