"""Sign-off: who approved which answers of an assessment, against which rubric, and when.

A sign-off is a small statement file beside the assessment (``berlin.signoff`` beside
``berlin.yaml``), bound to the hash of the assessment's answers and of the rubric file
(``cyberdip.formats.digest``). Any later change to an answer, or to the rubric, voids it.
It can also be signed with an SSH key (``ssh-keygen -Y sign``, namespace ``cyberdip``),
into ``berlin.signoff.sig``; anyone holding an allowed-signers file can then check who
signed, with cyberdip or with ``ssh-keygen -Y verify`` alone.

This module reads, writes and checks the statement; it runs ``ssh-keygen`` for the
signature. It never prints, and it writes nothing itself: the command does.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cyberdip.errors import CyberdipError

FORMAT = "cyberdip-signoff/1"
NAMESPACE = "cyberdip"
#: The statement's keys, in the order they are written.
KEYS = ("format", "assessment", "answers-sha256", "rubric", "rubric-sha256", "signed-by",
        "role", "date", "statement")
MAX_TEXT = 500
_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class SignOff:
    assessment: str
    answers_sha256: str
    rubric: str
    rubric_sha256: str
    signed_by: str
    role: str
    date: str
    statement: str

    def text(self) -> str:
        """The statement file: the exact bytes a signature covers."""
        values = {"format": FORMAT, "assessment": self.assessment,
                  "answers-sha256": self.answers_sha256, "rubric": self.rubric,
                  "rubric-sha256": self.rubric_sha256, "signed-by": self.signed_by,
                  "role": self.role, "date": self.date, "statement": self.statement}
        lines = ["# A cyberdip sign-off: who approved these answers, and when. Any change to",
                 "# an answer or to the rubric voids it: cyberdip signoff --check "
                 f"{_plain(self.assessment)}"]
        # JSON strings are YAML double-quoted scalars: one line each, every character safe
        lines += [f"{k}: {json.dumps(values[k], ensure_ascii=False)}" for k in KEYS]
        return "\n".join(lines) + "\n"


def _plain(name: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in name)


def signoff_path(assessment: Path) -> Path:
    return assessment.with_name(assessment.stem + ".signoff")


def signature_path(assessment: Path) -> Path:
    return assessment.with_name(assessment.stem + ".signoff.sig")


def clean_text(value: str, what: str) -> str:
    """A name, role or statement as a sign-off holds it: one line of printable text."""
    text = " ".join(str(value).split())
    if not text:
        raise CyberdipError(f"the {what} is empty", code="CD701", exit_code=2)
    if len(text) > MAX_TEXT or any(not ch.isprintable() for ch in text):
        raise CyberdipError(f"the {what} must be one line of printable text, at most "
                            f"{MAX_TEXT} characters", code="CD701", exit_code=2)
    return text


def parse(data: bytes, path: str) -> SignOff:
    """A statement file read back; a located error when it is not one."""
    from cyberdip import yamlio

    doc = yamlio.parse(data, path)
    values = doc.data
    if not isinstance(values, dict) or values.get("format") != FORMAT:
        raise CyberdipError(f"not a cyberdip sign-off (it should start with `format: "
                            f"\"{FORMAT}\"`)", path=path, code="CD702")
    unknown = sorted(set(map(str, values)) - set(KEYS))
    missing = [k for k in KEYS if not isinstance(values.get(k), str) or not values[k]]
    if unknown or missing:
        key = (unknown or missing)[0]
        line, col = doc.locate((key,)) if key in values else (1, 1)
        what = f"unknown key `{key}`" if unknown else f"`{key}` is missing or empty"
        raise CyberdipError(f"{what} in the sign-off", path=path, line=line, col=col,
                            code="CD702")
    for k in ("answers-sha256", "rubric-sha256"):
        if not _HEX.fullmatch(values[k]):
            line, col = doc.locate((k,))
            raise CyberdipError(f"`{k}` is not a SHA-256 in hex", path=path, line=line,
                                col=col, code="CD702")
    return SignOff(values["assessment"], values["answers-sha256"], values["rubric"],
                   values["rubric-sha256"], values["signed-by"], values["role"],
                   values["date"], values["statement"])


@dataclass
class Status:
    """What a sign-off says of the assessment as it is now."""

    signoff: SignOff
    answers_changed: bool
    rubric_changed: bool
    #: Set when a signature was checked: the principals the allowed-signers file names
    #: for the key that signed.
    signer: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not (self.answers_changed or self.rubric_changed)

    def line(self) -> str:
        """One line for a terminal and for every report."""
        s = self.signoff
        who = f"{s.signed_by} ({s.role})"
        if self.holds:
            text = f"Signed off by {who} on {s.date}"
            if self.signer:
                text += f"; signature checked: {self.signer}"
            return text
        what = " and ".join(w for w, changed in (("answers", self.answers_changed),
                                                 ("rubric", self.rubric_changed)) if changed)
        return (f"Changed since sign-off on {s.date} by {who}: the {what} differ from what "
                "was signed off, so the sign-off no longer holds")


def status(signoff: SignOff, answers_sha256: str, rubric_sha256: str) -> Status:
    return Status(signoff, signoff.answers_sha256 != answers_sha256,
                  signoff.rubric_sha256 != rubric_sha256)


def today() -> str:
    return dt.date.today().isoformat()


# -- SSH signatures -------------------------------------------------------------------


def _ssh_keygen() -> str:
    exe = shutil.which("ssh-keygen")
    if exe is None:
        raise CyberdipError("ssh-keygen is not installed, so the sign-off cannot be signed "
                            "or its signature checked (install OpenSSH's client)",
                            code="CD703", exit_code=2)
    return exe


def sign(statement: bytes, key: Path) -> bytes:
    """The SSH signature of ``statement`` with the private ``key`` (namespace cyberdip)."""
    p = subprocess.run([_ssh_keygen(), "-q", "-Y", "sign", "-f", os.fspath(key), "-n",
                        NAMESPACE], input=statement, capture_output=True, timeout=120)
    if p.returncode != 0 or not p.stdout.startswith(b"-----BEGIN SSH SIGNATURE-----"):
        why = p.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["failed"]
        raise CyberdipError(f"ssh-keygen could not sign with this key: {why[0][:120]}",
                            path=os.fspath(key), code="CD703", exit_code=2)
    return p.stdout


def verify(statement: bytes, signature: Path, allowed_signers: Path) -> str:
    """The principal that signed ``statement``, checked against ``allowed_signers``;
    a CD704 error when no allowed key made the signature."""
    exe = _ssh_keygen()
    found = subprocess.run([exe, "-Y", "find-principals", "-s", os.fspath(signature), "-f",
                            os.fspath(allowed_signers)], capture_output=True, timeout=120)
    principals = found.stdout.decode("utf-8", "replace").split()
    for principal in principals:
        p = subprocess.run([exe, "-Y", "verify", "-f", os.fspath(allowed_signers), "-I",
                            principal, "-n", NAMESPACE, "-s", os.fspath(signature)],
                           input=statement, capture_output=True, timeout=120)
        if p.returncode == 0:
            return principal
    raise CyberdipError("the signature was not made by a key in the allowed-signers file "
                        "(or the statement was changed after it was signed)",
                        path=os.fspath(signature), code="CD704", exit_code=1)


def as_dict(s: Status) -> dict[str, Any]:
    o = s.signoff
    return {"signed_by": o.signed_by, "role": o.role, "date": o.date,
            "statement": o.statement, "holds": s.holds,
            "answers_changed": s.answers_changed, "rubric_changed": s.rubric_changed,
            "signature_checked_for": s.signer}


__all__ = ["FORMAT", "NAMESPACE", "SignOff", "Status", "as_dict", "clean_text", "parse",
           "sign", "signature_path", "signoff_path", "status", "today", "verify"]
