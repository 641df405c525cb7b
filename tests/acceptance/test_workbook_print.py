"""The answer sheet, printed, reads at 9 pt or more.

The workbook `init` writes is printed by LibreOffice (headless, to PDF), and the size
of its text on the page is measured: ``pdftotext -bbox`` gives each word's box, whose
height is proportional to the font size the word is drawn at. A calibration workbook
(one line of the same font at 11 pt, printed at 100 %) gives the ratio, so the
measure holds whatever fonts LibreOffice substitutes. The Urdu workbook is checked for
its page setup and its direction here; how it reads, letters joined and right to
left, was looked at on the page images (docs/questionnaire.md).

Skipped without LibreOffice or poppler (``apt-get install libreoffice-calc
poppler-utils``); `.ci/run` installs both.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import PATIENCE

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None,
                                reason="needs LibreOffice (soffice) and pdftotext: "
                                "apt-get install libreoffice-calc poppler-utils")

#: The smallest text the printed answer sheet may hold, in points.
MIN_PT = 9.0
CALIBRATION_PT = 11


def to_pdf(tmp_path: Path, *books: Path) -> list[Path]:
    """Each workbook printed to PDF by LibreOffice, headless, with a profile of its own
    (so that it runs beside any other LibreOffice on the machine)."""
    out = tmp_path / "pdf"
    out.mkdir(exist_ok=True)
    profile = tmp_path / "lo-profile"
    p = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out), *map(str, books)],
                       capture_output=True, text=True, timeout=PATIENCE * 3)
    pdfs = [out / (b.stem + ".pdf") for b in books]
    assert p.returncode == 0 and all(f.exists() for f in pdfs), p.stdout + p.stderr
    return pdfs


def word_heights(pdf: Path) -> list[list[float]]:
    """The height of every word's box, page by page."""
    text = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, timeout=PATIENCE, check=True).stdout
    return [[float(y1) - float(y0) for y0, y1 in
             re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', page)]
            for page in text.split("<page ")[1:]]


def calibration(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Calibration line, one size, printed at one hundred per cent"
    path = tmp_path / "calibration.xlsx"
    wb.save(path)
    return path


def test_the_printed_answer_sheet_reads_at_9_pt_or_more(tmp_path, cli):
    book = tmp_path / "core.xlsx"
    r = cli("init", "cyberdip-core", "-o", book)
    assert r.code == 0, r.stderr
    core_pdf, cal_pdf = to_pdf(tmp_path, book, calibration(tmp_path))
    per_pt = statistics.median(word_heights(cal_pdf)[0]) / CALIBRATION_PT
    pages = word_heights(core_pdf)
    assert len(pages) > 2
    sizes = [statistics.median(hs) / per_pt for hs in pages if hs]
    # every page, the instructions and each page of answers, at 9 pt or more
    assert min(sizes) >= MIN_PT, [round(s, 2) for s in sizes]
    # and not by shrinking nothing: the answer pages are scaled to fit the width
    assert min(sizes) < CALIBRATION_PT


def test_the_urdu_workbook_prints_right_to_left_at_the_same_setup(tmp_path, cli):
    book = tmp_path / "core-ur.xlsx"
    r = cli("init", "cyberdip-core", "--lang", "ur", "-o", book)
    assert r.code == 0, r.stderr
    (pdf,) = to_pdf(tmp_path, book)
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"],
                          capture_output=True, text=True, timeout=PATIENCE,
                          check=True).stdout
    # the headings are printed in Urdu, the columns running from the right: the id
    # rightmost, then the area, the title and the question leftwards (on the first page
    # of the Answers sheet, after however many pages the Start sheet takes)
    text = text.replace("\u202b", "").replace("\u202c", "")  # pdftotext's RTL marks
    head = next((line for line in text.splitlines()
                 if all(w in line for w in ("شناخت", "دائرہ", "عنوان", "سوال"))), None)
    assert head is not None, text[:400]
    at = [head.index(w) for w in ("شناخت", "دائرہ", "عنوان", "سوال")]
    assert at == sorted(at, reverse=True), head
    assert head.rstrip().endswith("شناخت")
