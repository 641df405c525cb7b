"""Fonts shipped with cyberdip, so a PDF or an Urdu HTML report looks the same on every
machine and needs no system font: Noto Sans (Latin) and Noto Nastaliq Urdu, both from
Debian's fonts-noto-core, under the SIL Open Font License 1.1 (``OFL.txt`` here)."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
FILES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoNastaliqUrdu-Regular.ttf")


def font_path(name: str) -> Path:
    return FOLDER / name
