"""Fixtures of the fuzz suite (profiles and the fork server live in fuzz_harness.py)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzz_harness import ForkServer


@pytest.fixture(scope="session")
def forkserver() -> Iterator[ForkServer]:
    server = ForkServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def fuzz_root() -> Iterator[Path]:
    """A folder for the examples' work folders (one per example, removed after it)."""
    d = Path(tempfile.mkdtemp(prefix="cyberdip-fuzz-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)
