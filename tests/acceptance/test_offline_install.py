"""The offline install (docs/offline-install.md): cyberdip, its dependencies and the PDF
extra installed from a wheelhouse alone into a fresh venv, with the network refused, and
the cyberdip half of the README's main command run there.

Building the wheelhouse needs the network, so `.ci/run` builds it
(`scripts/wheelhouse.sh build`) and names it in CYBERDIP_WHEELHOUSE; without that
variable this test is skipped. The network is refused with `unshare -n` (a network
namespace with no interface) when the test runs as root, as in CI; otherwise only
`pip --no-index` keeps pip off the network, and the test says so in its report line.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

HOUSE = os.environ.get("CYBERDIP_WHEELHOUSE", "")
pytestmark = pytest.mark.skipif(
    not HOUSE, reason="set CYBERDIP_WHEELHOUSE to a wheelhouse built by "
    "`scripts/wheelhouse.sh build` (.ci/run does)")


def _no_network() -> list[str]:
    """The prefix that runs a command with no network: `unshare -n` when we may."""
    if os.geteuid() == 0 and shutil.which("unshare"):
        probe = subprocess.run(["unshare", "-n", "--", "true"], capture_output=True,
                               timeout=60)
        if probe.returncode == 0:
            return ["unshare", "-n", "--"]
    return []


def readme_cyberdip_commands() -> list[list[str]]:
    """The cyberdip half of the README's main command: its `.venv/bin/cyberdip` parts."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r"<!-- main-command -->\n```sh\n(.*)\n", readme).group(1)
    parts = [shlex.split(p) for p in line.split("&&")]
    commands = [p for p in parts if p and p[0] == ".venv/bin/cyberdip"]
    assert len(commands) >= 2, line
    return commands


def test_the_wheelhouse_holds_wheels_only_and_cyberdips_own():
    house = Path(HOUSE)
    files = sorted(p.name for p in house.iterdir())
    assert files and all(f.endswith(".whl") for f in files), files
    assert any(f.startswith("cyberdip-") for f in files)
    assert any(f.startswith("typst-") for f in files)  # the PDF extra


def test_install_offline_and_run_the_readmes_main_command(tmp_path, record_property):
    prefix = _no_network()
    record_property("network", "refused by unshare -n" if prefix else
                    "not refused (not root): pip --no-index alone kept it off the index")
    venv = tmp_path / "offline-venv"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env |= {"NO_COLOR": "1", "PYTHON": shutil.which("python3") or "python3"}
    env.pop("GITHUB_ACTIONS", None)
    p = subprocess.run([*prefix, "bash", str(ROOT / "scripts" / "wheelhouse.sh"), "install",
                        HOUSE, str(venv)], capture_output=True, text=True, env=env,
                       timeout=900)
    assert p.returncode == 0, p.stdout + p.stderr
    # the installed package, not this checkout
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import cyberdip; print(cyberdip.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, env=env, timeout=120)
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr

    (tmp_path / "examples").symlink_to(ROOT / "examples")
    for argv in readme_cyberdip_commands():
        exe = str(venv / "bin" / "cyberdip")
        r = subprocess.run([*prefix, exe, *argv[1:]], cwd=tmp_path, capture_output=True,
                           text=True, env=env, timeout=600)
        assert r.returncode == 0, r.stdout + r.stderr
        if argv[1] == "score":  # what this checkout prints for the same command
            here = run_cli(*argv[1:], cwd=tmp_path, env={"NO_COLOR": "1"})
            assert (here.code, r.stdout) == (0, here.stdout)
        if "-o" in argv:
            out = tmp_path / argv[argv.index("-o") + 1]
            assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    # and the PDF extra works offline too
    r = subprocess.run([*prefix, str(venv / "bin" / "cyberdip"), "report",
                        "examples/pakistan-mofa-2023.yaml", "-o", "mofa.pdf"], cwd=tmp_path,
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "mofa.pdf").read_bytes().startswith(b"%PDF-")
