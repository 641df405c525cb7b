"""`cyberdip rubrics`: the rubrics, with id, version, areas, criteria and where each comes
from (built-in, or a rubric pack's folder)."""

from __future__ import annotations

import re

from cyberdip.formats import documents
from tests.conftest import ROOT


def test_lists_every_builtin_rubric_with_counts_from_the_file(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # works from any directory
    r = cli("rubrics")
    assert (r.code, r.stderr) == (0, "")
    lines = r.stdout.splitlines()
    assert re.split(r"\s+", lines[0]) == ["id", "version", "areas", "criteria", "from", "title"]
    # translations beside a rubric (`cyberdip-core.ur.yaml`, `cyberdip-core@2.0.ur.yaml`)
    # are not rubrics; an older version's file may have a dot in its version
    ids = sorted(p.stem for p in (ROOT / "rubrics").glob("*.yaml")
                 if not re.search(r"\.[a-z]{2}$", p.stem) and p.name != "pack.yaml")
    assert [line.split()[0] for line in lines[1:]] == ids
    for line in lines[1:]:
        rid, version, areas, criteria, origin, *title = line.split()
        assert origin == "built-in"
        r_ = documents.load_rubric_file(ROOT / "rubrics" / f"{rid}.yaml")
        assert version == r_.version
        assert int(areas) == len(r_.areas)
        assert int(criteria) == sum(len(a.criteria) for a in r_.areas)
        assert " ".join(title) == r_.title


def test_core_rubric_row(cli):
    row = next(line for line in cli("rubrics").stdout.splitlines()
               if line.startswith("cyberdip-core "))
    assert row.split()[2] == "8"  # seven areas of practice and the national context
    assert 30 <= int(row.split()[3]) <= 65


def test_columns_line_up(cli):
    lines = cli("rubrics").stdout.splitlines()
    # version, areas and criteria are right-aligned under their headers
    ends = [m.end() for m in re.finditer(r"\S+", lines[0])][1:4]
    for line in lines[1:]:
        assert [m.end() for m in re.finditer(r"\S+", line)][1:4] == ends


def test_help(cli):
    r = cli("rubrics", "--help")
    assert r.code == 0 and "--packs DIR" in r.stdout and r.stderr == ""


def test_extra_argument_is_a_usage_error(cli):
    r = cli("rubrics", "extra")
    assert r.code == 2 and r.stdout == "" and "unexpected extra argument" in r.stderr.lower()
