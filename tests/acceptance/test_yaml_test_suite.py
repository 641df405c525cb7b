"""`cyberdip validate` on all 402 cases of the YAML test suite: exit 0, 1 or 2, never a crash.

The cases are vendored in tests/data/yaml-test-suite (see its README). In-process
runs cover every case quickly; a handful also run in a real subprocess, where a
segfault or an uncaught exception would show up as the exit code.
"""

from __future__ import annotations

import csv

import pytest
import yaml

from cyberdip import yamlio
from tests.conftest import DATA

SUITE = DATA / "yaml-test-suite"


def _manifest() -> list[tuple[str, str, str]]:
    with open(SUITE / "manifest.tsv", newline="", encoding="utf-8") as f:
        return [(r["case"], r["kind"], r["name"]) for r in csv.DictReader(f, delimiter="\t")]


CASES = _manifest()


def _path(case: str, kind: str):
    return SUITE / kind / f"{case}.yaml"


def test_the_whole_suite_is_vendored():
    assert len(CASES) == 402
    assert {k for _, k, _ in CASES} == {"valid", "error"}
    for case, kind, _ in CASES:
        assert _path(case, kind).is_file(), case
    assert (SUITE / "LICENSE").read_text().startswith("MIT License")


def test_the_loader_is_the_c_one_when_pyyaml_has_it():
    """STYLE.md: one loader. CSafeLoader and SafeLoader disagree on 27 cases."""
    assert issubclass(yamlio.GuardedLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@pytest.fixture
def fast_cli(cli, monkeypatch):
    """The ``cli`` fixture, building the click command once instead of on every call.

    typer's CliRunner rebuilds the whole command tree per invoke (~30 ms of signature
    inspection), which would be most of the time of 402 runs.
    """
    import typer.testing

    from cyberdip.cli.app import app

    if hasattr(typer.testing, "_get_command"):
        built = typer.testing._get_command(app)
        monkeypatch.setattr(typer.testing, "_get_command", lambda _app: built)
    return cli


def test_validate_never_crashes(fast_cli):
    """One loop rather than 402 parametrized tests: the pytest overhead would dominate."""
    cli = fast_cli
    bad = []
    for case, kind, name in CASES:
        path = _path(case, kind)
        r = cli("validate", path)
        ok = (
            r.code in (0, 1, 2)
            and "Traceback" not in r.stderr and "internal error" not in r.stderr
            and r.stderr.startswith("1 file checked")
            # exit 1 or 2 always comes with a located problem for this file
            and (r.code == 0 or (r.stdout.startswith(f"{path}:") and "error[CD" in r.stdout))
            # a document a YAML parser must reject never passes as a rubric or assessment
            and not (kind == "error" and r.code == 0)
        )
        if not ok:
            bad.append(f"{case} ({kind}: {name}): exit {r.code}\n{r.stdout}{r.stderr}")
    assert not bad, "\n".join(bad)


# A few kinds of case in a real process: a syntax error, a plain sequence of
# mappings, a directive, a set (tags), global tags.
SAMPLE = ["236B", "229Q", "27NA", "2XXW", "C4HZ"]


@pytest.mark.parametrize("case", SAMPLE)
def test_subprocess_sample(subprocess_cli, case):
    kind = dict((c, k) for c, k, _ in CASES)[case]
    r = subprocess_cli("validate", "--format", "json", _path(case, kind), timeout=30)
    assert r.code in (0, 1, 2), r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr
