"""Hostile inputs shared by the unit, acceptance and fuzz tests (and the measurements
of docs/limits.md): workbooks whose XML attacks the parser, rubrics and assessments of
a given size, and fields built to cost a PDF engine dearly.

Each builder takes a valid workbook (``cyberdip init -o x.xlsx``) and changes one part,
so a refusal can only come from what was changed."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable


def rewrite(xlsx: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    """``xlsx`` with ``part`` replaced by ``change(part)``; every other entry kept."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == part:
                body = change(body)
            dst.writestr(info.filename, body)
    return out.getvalue()


def sheet_part(xlsx: bytes, name: str = "Answers") -> str:
    """The zip entry of the sheet called ``name``."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(name)}"[^>]*r:id="(\w+)"', book).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    t = target.group(1).lstrip("/")
    return t if t.startswith("xl/") else "xl/" + t


def with_dtd(xlsx: bytes, *, entities: int = 10, fanout: int = 10) -> bytes:
    """Entity expansion ("billion laughs") in the Answers sheet: ``fanout ** entities``
    copies of a short text, declared in a DTD, used in one cell."""
    decl = ['<!ENTITY e0 "lol">'] + [
        f'<!ENTITY e{i} "{("&e" + str(i - 1) + ";") * fanout}">' for i in range(1, entities)]
    dtd = ("<!DOCTYPE worksheet [" + "".join(decl) + "]>").encode()

    def change(body: bytes) -> bytes:
        head, rest = body.split(b"?>", 1) if body.startswith(b"<?xml") else (b"", body)
        rest = rest.replace(b"</sheetData>", f"<row r=\"999\"><c r=\"A999\" "
                            f"t=\"inlineStr\"><is><t>&e{entities - 1};</t></is></c></row>"
                            "</sheetData>".encode(), 1)
        return (head + b"?>" if head else b"") + dtd + rest
    return rewrite(xlsx, sheet_part(xlsx), change)


def with_long_comment(xlsx: bytes, size: int, kind: str = "comment") -> bytes:
    """One comment, attribute value or text of ``size`` bytes in the Answers sheet."""
    def change(body: bytes) -> bytes:
        filler = b"a" * size
        if kind == "comment":
            return body.replace(b"<sheetData>", b"<!--" + filler + b"--><sheetData>", 1)
        if kind == "attribute":
            return body.replace(b"<sheetData>", b'<sheetData x="' + filler + b'">', 1)
        return body.replace(b"</sheetData>", b'<row r="999"><c r="A999" t="inlineStr"><is>'
                            b"<t>" + filler + b"</t></is></c></row></sheetData>", 1)
    return rewrite(xlsx, sheet_part(xlsx), change)


def with_wide_row(xlsx: bytes, cells: int) -> bytes:
    """A row of ``cells`` cells holding numbers at the end of the Answers sheet (varied,
    so the part does not compress like a zip bomb)."""
    def change(body: bytes) -> bytes:
        row = b"".join(b"<c><v>%d</v></c>" % ((i * 7919) % 100_003) for i in range(cells))
        return body.replace(b"</sheetData>", b'<row r="9999">' + row + b"</row></sheetData>",
                            1)
    return rewrite(xlsx, sheet_part(xlsx), change)


def with_sheet_state(xlsx: bytes, name: str, state: str) -> bytes:
    """``xlsx`` with the sheet ``name`` given ``state`` (hidden, veryHidden)."""
    def change(body: bytes) -> bytes:
        def one(m: re.Match[bytes]) -> bytes:
            tag = re.sub(rb'\sstate="[^"]*"', b"", m.group())
            return tag.replace(b"<sheet ", f'<sheet state="{state}" '.encode(), 1)
        return re.sub(rf'<sheet [^>]*name="{re.escape(name)}"[^>]*>'.encode(), one, body,
                      count=1)
    return rewrite(xlsx, "xl/workbook.xml", change)


def encrypted_workbook() -> bytes:
    """The first bytes of what Excel writes for a password-protected workbook: an OLE
    (compound file) container whose directory names the ``EncryptionInfo`` and
    ``EncryptedPackage`` streams (MS-OFFCRYPTO). Only the signature and the directory
    names matter to a reader deciding what the file is."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    entries = b""
    for name in ("Root Entry", "EncryptionInfo", "EncryptedPackage"):
        raw = name.encode("utf-16-le") + b"\0\0"
        entries += raw.ljust(64, b"\0") + len(raw).to_bytes(2, "little") + b"\0" * 62
    return header + entries.ljust(512, b"\0")


def big_rubric_text(criteria: int, *, indicators: int = 0, areas: int = 10,
                    levels: bool = False) -> str:
    """A valid format-2 rubric of ``criteria`` level criteria over ``areas`` areas, each
    with ``indicators`` indicators (spread over its levels), with a descriptor and a
    recommendation for every level when ``levels``, and no YAML alias."""
    lines = ["format: 2", "id: big", "version: 1.0.0", "title: A big rubric",
             "description: Made by the tests, as big as asked.", "scale:"]
    lines += [f"  - {{level: {lv}, name: L{lv}, meaning: Level {lv}.}}" for lv in range(5)]
    lines += ["sources:", "  src: {authors: [A. Author], year: 2024, title: A source}"]
    lines.append("areas:")
    areas = max(1, min(areas, criteria))
    for a in range(areas):
        lines += [f"  - id: a{a}", f"    title: Area {a}", f"    description: Area {a}.",
                  "    weight: 1", "    criteria:"]
        for n in range(a, criteria, areas):
            lines += [f"      - id: a{a}.c{n}", f"        title: Criterion {n}",
                      f"        question: Is criterion {n} met?", "        kind: level",
                      "        weight: 1", "        sources: [{ref: src, section: One}]"]
            if levels:
                lines += ["        levels: {0: None yet., 1: A start., 2: Some parts., "
                          "3: Everywhere., 4: Measured.}",
                          "        recommendations: {1: Start., 2: Go on., 3: Spread it., "
                          "4: Measure it.}"]
            if indicators:
                lines.append("        indicators:")
                for lv in range(1, 5):
                    mine = [i for i in range(indicators) if 1 + i % 4 == lv]
                    if mine:
                        lines.append(f"          {lv}: [" + ", ".join(
                            f"{{id: i{i}, text: Indicator {i} holds.}}" for i in mine) + "]")
    return "\n".join(lines) + "\n"


def big_rubric(criteria: int, **kw: int):
    """``big_rubric_text`` loaded as a rubric."""
    from cyberdip import yamlio
    from cyberdip.model import loading

    doc = yamlio.parse(big_rubric_text(criteria, **kw).encode(), "big.yaml")
    return loading.rubric_from_document(doc)


#: The PDF cases of docs/limits.md: each makes the PDF engine pay for one kind of input.
PDF_CASES = ("long-link", "source-url", "marks", "evidence-items", "long-word",
             "translation", "long-notes")


def pdf_case(name: str, folder, size: int | None = None) -> tuple[str, list[str]]:
    """Write the files of the PDF case ``name`` into ``folder``: the assessment's path
    and the extra arguments of ``cyberdip report``. ``size`` scales the case (the
    default is the figure the hostile-inputs issue reported)."""
    import shutil
    from pathlib import Path

    import yaml

    data = Path(__file__).resolve().parent / "data" / "rubrics"
    folder = Path(folder)
    shutil.copy(data / "mini.yaml", folder / "mini.yaml")
    shutil.copy(data / "mini.ur.yaml", folder / "mini.ur.yaml")
    answers: dict = {"policy.strategy": {"level": 2}, "policy.law": {"met": True},
                     "outreach.missions-online": {"value": 30},
                     "outreach.dialogue": {"not_applicable": "no public channels yet"}}
    org = "Test Ministry"
    args: list[str] = []
    if name == "long-link":
        answers["policy.law"]["evidence"] = ["https://example.org/" + "a" * (size or 9_000)]
    elif name == "source-url":
        text = (folder / "mini.yaml").read_text(encoding="utf-8")
        text = text.replace('    doi: "10.58669/jspga.v04.i01.01"',
                            '    url: "https://example.org/' + "b" * (size or 9_000) + '"')
        (folder / "mini.yaml").write_text(text, encoding="utf-8")
    elif name == "marks":
        answers["policy.strategy"]["notes"] = "a" + "\u0301" * (size or 20_000)
    elif name == "evidence-items":
        answers["policy.law"]["evidence"] = [f"item {i}" for i in range(size or 25_000)]
    elif name == "long-word":
        org = "x" * (size or 4_000_000)
    elif name == "long-notes":
        answers["policy.strategy"]["notes"] = "word " * ((size or 1_000_000) // 5)
    elif name == "translation":
        tr = yaml.safe_load((folder / "mini.ur.yaml").read_text(encoding="utf-8"))
        tr["rubric"]["title"]["ur"] = "\u0627" * (size or 100_000)
        (folder / "mini.ur.yaml").write_text(yaml.safe_dump(tr, allow_unicode=True),
                                             encoding="utf-8")
        args = ["--lang", "ur"]
    else:
        raise ValueError(name)
    doc = {"rubric": "mini.yaml", "rubric_version": "1.0.0",
           "organisation": {"name": org}, "period": "2023", "answers": answers}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, width=1 << 30), encoding="utf-8")
    return str(path), args


def pdf_case_urdu_evidence(folder, items: int = 400, length: int = 3_000):
    """Many long Urdu evidence items in one paragraph: a text group of megabytes."""
    path, args = pdf_case("evidence-items", folder, 1)
    import yaml

    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    doc["answers"]["policy.law"]["evidence"] = ["\u0627" * length] * items
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(doc, f, allow_unicode=True)
    return path, args


def big_case(folder, criteria: int, *, indicators: int = 0) -> str:
    """A rubric of ``criteria`` criteria (``big.yaml``) and an assessment answering each
    (levels 0 to 4 in turn, evidence on every third) in ``folder``: the assessment's
    path. The unit of the cost budgets in docs/limits.md."""
    from pathlib import Path

    folder = Path(folder)
    (folder / "big.yaml").write_text(big_rubric_text(criteria, indicators=indicators,
                                                     levels=True), encoding="utf-8")
    lines = ["rubric: big.yaml", "rubric_version: 1.0.0", "organisation: {name: Big Ministry}",
             "answers:"]
    areas = max(1, min(10, criteria))
    for n in range(criteria):
        ev = ", evidence: [https://example.org/doc]" if n % 3 == 0 else ""
        lines.append(f"  a{n % areas}.c{n}: {{level: {n % 5}{ev}}}")
    path = folder / "big-assessment.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


#: The mini rubric of the tests.
DATA_RUBRIC = __import__("pathlib").Path(__file__).resolve().parent / "data" / "rubrics" / \
    "mini.yaml"
