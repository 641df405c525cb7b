"""CI runs the suite twice: on the newest dependency versions (the README's test
command) and on the oldest that pyproject.toml allows (scripts/lower_bounds.py)."""

from __future__ import annotations

import re
import sys

import pytest

from tests.conftest import ROOT, load_script


def _lower_bounds():
    return load_script("lower_bounds")


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib is Python 3.11+")
def test_every_runtime_and_test_dependency_is_pinned_to_its_lower_bound():
    import tomllib

    mod = _lower_bounds()
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = mod.requirements(data)
    pins = mod.lower_bounds(reqs)
    names = [re.match(r"[A-Za-z0-9._-]+", r).group() for r in reqs]
    assert [p.split("==")[0] for p in pins] == names
    for req, pin in zip(reqs, pins, strict=True):
        assert pin.split("==")[1] == re.search(r">=\s*([^,\s]+)", req).group(1)


def test_a_requirement_without_a_lower_bound_is_refused():
    mod = _lower_bounds()
    with pytest.raises(ValueError, match="has no >= lower bound"):
        mod.lower_bounds(["typer"])
    assert mod.lower_bounds(["pydantic>=2.6,<3", "rich[jupyter]>=13.8"]) == [
        "pydantic==2.6", "rich==13.8"]


def test_ci_runs_the_readme_command_and_then_the_oldest_versions():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in run
    assert "scripts/lower_bounds.py" in run and "CYBERDIP_OLDEST_DEPS=1" in run
    assert run.index('bash -c "$cmd"') < run.index("lower_bounds.py")


def test_ci_installs_what_the_skipping_tests_need():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # chromium for the browser tests, poppler for the PDF tests, LibreOffice for the
    # workbook round trips: each installed when missing, before the tests run
    for program, package in (("chromium", "chromium"), ("pdffonts", "poppler-utils"),
                             ("soffice", "libreoffice-calc")):
        assert f'command -v {program} >/dev/null 2>&1 || need="$need {package}"' in run
    # Writer for the Word documents, even where soffice came with Calc alone
    assert '[ -e "$WRITER" ] || need="$need libreoffice-writer"' in run
    assert "WRITER=/usr/lib/libreoffice/program/libswlo.so" in run
    assert "apt-get install -y -qq $need" in run
    assert run.index("apt-get install") < run.index('bash -c "$cmd"')
