"""Print a pip constraints file that pins every dependency to its lowest allowed version.

CI installs the project a second time with these constraints (``.ci/run``), so a
lower bound in ``pyproject.toml`` that is false fails a test run instead of a user.

    python scripts/lower_bounds.py > constraints-oldest.txt
    pip install -c constraints-oldest.txt -e '.[test]'

Every requirement of ``[project] dependencies`` and of the ``test`` extra must have
a ``>=`` bound; one without is an error, since its oldest version is unknown.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = None

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$")


def requirements(pyproject: dict) -> list[str]:
    project = pyproject["project"]
    return list(project.get("dependencies", [])) + list(
        project.get("optional-dependencies", {}).get("test", []))


def lower_bounds(reqs: list[str]) -> list[str]:
    """``name==X`` for each requirement's ``>=X`` bound; ValueError when one has none."""
    pins: list[str] = []
    for req in reqs:
        m = REQUIREMENT.match(req.split(";")[0])
        if not m:
            raise ValueError(f"cannot read the requirement {req!r}")
        name, spec = m.group(1), m.group(3)
        low = re.search(r">=\s*([0-9][^,\s]*)", spec)
        if not low:
            raise ValueError(f"{req!r} has no >= lower bound")
        pins.append(f"{name}=={low.group(1)}")
    return pins


def main() -> int:
    if tomllib is None:
        print("error: needs Python 3.11 or newer (tomllib)", file=sys.stderr)
        return 2
    with open(ROOT / "pyproject.toml", "rb") as f:
        data = tomllib.load(f)
    try:
        pins = lower_bounds(requirements(data))
    except ValueError as e:
        print(f"pyproject.toml: error: {e}", file=sys.stderr)
        return 1
    sys.stdout.write("".join(p + "\n" for p in pins))
    return 0


if __name__ == "__main__":
    sys.exit(main())
