"""The wheel ships the built-in rubrics and templates, and works outside the checkout.

Building the wheel takes a few seconds; installing it into a fresh virtual
environment takes half a minute, so that test runs only in CI (``CI`` set, as
GitHub Actions does) or with ``CYBERDIP_SLOW_TESTS=1``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

slow = pytest.mark.skipif(
    not (os.environ.get("CI") or os.environ.get("CYBERDIP_SLOW_TESTS")),
    reason="installs into a fresh venv (~30 s); runs in CI or with CYBERDIP_SLOW_TESTS=1")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    p = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps",
                        "--no-input", "-q", "-w", str(out)],
                       capture_output=True, text=True, timeout=180)
    assert p.returncode == 0, p.stdout + p.stderr
    [whl] = out.glob("cyberdip-*.whl")
    return whl


def test_wheel_contains_rubrics_templates_and_entry_point(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for rubric in sorted((ROOT / "rubrics").glob("*.yaml")):
        assert f"cyberdip/rubrics/{rubric.name}" in names
    templates = sorted((ROOT / "cyberdip" / "report" / "templates").glob("*.j2"))
    assert templates
    for t in templates:
        assert f"cyberdip/report/templates/{t.name}" in names
    assert "cyberdip/__main__.py" in names and "cyberdip/cli/__init__.py" in names
    info = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "cyberdip = cyberdip.cli:main" in zipfile.ZipFile(wheel).read(info).decode()
    assert not any(n.startswith(("tests/", "cyberdip/tests/")) for n in names)


def test_wheel_contains_the_fonts_the_pdf_template_and_the_compiled_catalogues(wheel):
    """What a PDF and an Urdu report need, inside the wheel: the fonts with their
    licence, the Typst template, and each catalogue compiled (.mo) by the build hook,
    saying what the .po beside it says."""
    import gettext
    import io

    names = set(zipfile.ZipFile(wheel).namelist())
    for f in ("NotoNastaliqUrdu-Regular.ttf", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
              "OFL.txt"):
        assert f"cyberdip/report/fonts/{f}" in names
    assert "cyberdip/report/typst/doc.typ" in names
    for po in sorted((ROOT / "cyberdip" / "locale").glob("*/LC_MESSAGES/*.po")):
        rel = po.relative_to(ROOT).with_suffix(".mo").as_posix()
        assert rel in names
        cat = gettext.GNUTranslations(io.BytesIO(zipfile.ZipFile(wheel).read(rel)))
        assert cat.gettext("Stage") != "Stage"


def test_packaged_rubric_is_byte_identical_to_the_checkout(wheel):
    z = zipfile.ZipFile(wheel)
    for rubric in sorted((ROOT / "rubrics").glob("*.yaml")):
        assert z.read(f"cyberdip/rubrics/{rubric.name}") == rubric.read_bytes()


@slow
def test_fresh_venv_install_works_from_any_directory(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    p = subprocess.run([str(bindir / "python"), "-m", "pip", "install", "-q", "--no-input",
                        str(wheel)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    exe = str(bindir / "cyberdip")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GITHUB_ACTIONS")}

    def run(*args):
        return subprocess.run([exe, *args], capture_output=True, text=True, cwd=elsewhere,
                              env=env, timeout=60)

    r = run("rubrics")
    assert r.returncode == 0, r.stderr
    assert "cyberdip-core" in r.stdout
    r = run("validate", "cyberdip-core")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "1 file checked: all valid\n")
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("cyberdip ")
    # a usage error is exit 2 with click's message, even without click installed
    r = run("no-such-command")
    assert r.returncode == 2 and "No such command" in r.stderr and "internal" not in r.stderr
    # the installed package, not the checkout, answered
    where = subprocess.run([str(bindir / "python"), "-c",
                            "import cyberdip, sys; print(cyberdip.__file__)"],
                           capture_output=True, text=True, cwd=elsewhere, env=env)
    assert str(env_dir) in where.stdout
