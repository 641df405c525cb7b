"""Problems and errors: every user-facing failure carries a location.

The core never prints; it returns or raises these, and ``cli.py`` alone turns
them into text and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Stable problem codes. docs/error-codes.md documents each one and a test keeps
#: the two in step.
CODES: dict[str, str] = {
    # reading and YAML
    "CD001": "yaml-syntax",
    "CD002": "unreadable-file",
    "CD003": "resource-limit",
    "CD004": "unknown-document",
    "CD005": "yaml-value",
    "CD006": "not-a-workbook",
    "CD007": "guessed-encoding",
    # structure (schema)
    "CD101": "duplicate-key",
    "CD102": "unknown-key",
    "CD103": "missing-key",
    "CD104": "wrong-type",
    "CD105": "yaml-boolean",
    "CD106": "invalid-value",
    # rubric semantics
    "CD201": "duplicate-id",
    "CD202": "non-positive-weight",
    "CD203": "scale-not-contiguous",
    "CD204": "missing-descriptor",
    "CD205": "thresholds-not-monotonic",
    "CD206": "thresholds-incomplete",
    "CD207": "unknown-source",
    "CD208": "unknown-tag",
    "CD209": "missing-recommendation",
    "CD210": "level-outside-scale",
    "CD211": "bad-criterion-id",
    "CD212": "no-scale",
    "CD213": "needs-format-2",
    "CD214": "unknown-profile",
    "CD215": "missing-stage",
    "CD216": "unknown-framework-item",
    "CD217": "unknown-answer-scale",
    "CD218": "indicator-level-missing",
    "CD219": "evidence-max-age",
    # assessment semantics
    "CD301": "unknown-criterion",
    "CD302": "level-outside-scale",
    "CD303": "metric-not-a-number",
    "CD304": "answer-does-not-fit-kind",
    "CD305": "not-applicable-without-reason",
    "CD306": "rubric-not-found",
    "CD307": "rubric-version-mismatch",
    "CD308": "unsafe-link",
    "CD309": "answer-conflict",
    "CD310": "different-rubric",
    "CD311": "target-out-of-reach",
    "CD312": "different-unit",
    "CD313": "previous-is-later",
    "CD314": "indicators-contradict-level",
    "CD315": "unknown-indicator",
    "CD316": "outside-profile",
    "CD317": "unknown-answer",
    "CD318": "formula-in-cell",
    "CD319": "different-rubric-version",
    "CD320": "ambiguous-number",
    "CD324": "indicators-contradict-each-other",
    "CD325": "disclaimers-differ",
    "CD326": "duplicate-column",
    "CD327": "hidden-answers-sheet",
    "CD328": "different-profile",
    "CD329": "same-respondent",
    "CD330": "different-marking",
    "CD331": "evidence-date",
    "CD332": "evidence-hash",
    "CD333": "evidence-valid-until-before-date",
    "CD334": "evidence-reference",
    "CD335": "evidence-after-assessment-date",
    "CD336": "plan-status",
    "CD337": "plan-cells-differ",
    # the questionnaire's sheets (helper range CD341-CD345)
    "CD341": "targets-differ",
    "CD342": "unknown-sheet-language",
    # output
    "CD401": "refuse-to-overwrite",
    "CD402": "cannot-write",
    "CD403": "file-in-use",
    "CD404": "unknown-output-format",
    "CD405": "pdf-engine-missing",
    "CD406": "not-exportable-to-oscal",
    "CD407": "not-an-oscal-catalog",
    # translations of a rubric, and the report's catalogues
    "CD501": "translation-unknown-id",
    "CD502": "translation-missing",
    "CD503": "translation-stale",
    "CD504": "translation-version",
    "CD505": "catalogue-missing",
    # Word output
    "CD506": "word-extra-missing",
    # the yearly cycle: sign-off and history
    "CD701": "signoff-text",
    "CD702": "not-a-signoff",
    "CD703": "ssh-keygen-failed",
    "CD704": "signature-not-allowed",
    "CD705": "history-damaged",
    "CD706": "not-a-cycle-manifest",
    "CD707": "section-missing",
    "CD708": "confirm-word",
    "CD709": "carry-across-versions",
    "CD710": "evidence-cell",
    "CD711": "no-history",
    "CD712": "no-signoff",
    "CD715": "plan-differs-in-merge",
    # the years side by side (trend)
    "CD725": "series-undated",
    "CD726": "series-tie",
    "CD727": "series-mixed-units",
    "CD728": "series-not-latest",
    # rubric packs and the rubric pin
    "CD730": "pack-manifest",
    "CD731": "pack-tampered",
    "CD732": "pack-conflict",
    "CD733": "rubric-pin-mismatch",
    "CD734": "pack-folder-missing",
    "CD735": "pack-file-unlisted",
    "CD736": "pack-entry-mismatch",
    # the offline form's saved answers
    "CD740": "form-answers",
    "CD741": "form-rubric-version",
    "CD742": "form-rubric-changed",
}


@dataclass(frozen=True, order=True)
class Problem:
    """One located finding. ``line`` and ``col`` are 1-based; 0 means unknown."""

    path: str
    line: int
    col: int
    level: str  # "error" or "warning"
    code: str
    message: str

    @property
    def name(self) -> str:
        return CODES.get(self.code, "")

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "level": self.level,
            "code": self.code,
            "name": self.name,
            "message": self.message,
        }


class CyberdipError(Exception):
    """A user-facing failure with a location and an exit code.

    ``exit_code`` follows STYLE.md: 1 for input that was read but is invalid,
    2 for usage errors and unreadable input.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str = "",
        line: int = 0,
        col: int = 0,
        code: str = "CD106",
        exit_code: int = 1,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        self.code = code
        self.exit_code = exit_code

    def problem(self) -> Problem:
        return Problem(self.path, self.line, self.col, "error", self.code, self.message)


class InvalidInput(CyberdipError):
    """Input was read and found invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(first.message, path=first.path, line=first.line, col=first.col,
                         code=first.code, exit_code=1)
        self.problems = problems


class UnreadableInput(CyberdipError):
    """Input could not be read at all (missing, a directory, too big, not text)."""

    def __init__(self, message: str, *, path: str, code: str = "CD002") -> None:
        super().__init__(message, path=path, code=code, exit_code=2)


def format_location(path: str, line: int, col: int) -> str:
    if line:
        return f"{path}:{line}:{col}"
    return path
