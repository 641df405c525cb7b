"""A loaded YAML document to a checked rubric: the schema, the semantic checks, and,
when the schema fails, the checks that can still run (``salvage``).

Kept apart from ``rubric`` so that ``salvage`` (which needs ``rubric``) and the
rubric models do not import each other.
"""

from __future__ import annotations

from pydantic import ValidationError

from cyberdip.errors import InvalidInput, Problem
from cyberdip.model.fields import pydantic_problems
from cyberdip.model.rubric import Rubric, check
from cyberdip.model.salvage import check_despite_schema_errors
from cyberdip.yamlio import Document


def rubric_from_document(doc: Document) -> Rubric:
    """Validate a loaded document as a rubric; raise InvalidInput with every problem."""
    if not isinstance(doc.data, dict):
        raise InvalidInput([Problem(doc.path, 1, 1, "error", "CD104",
                                    "a rubric must be a mapping of keys to values")])
    try:
        rubric = Rubric.model_validate(doc.data)
    except ValidationError as e:
        problems = pydantic_problems(e, doc, Rubric)
        raise InvalidInput(problems + check_despite_schema_errors(doc, e)) from None
    problems = check(rubric, doc)
    if any(p.level == "error" for p in problems):
        raise InvalidInput(problems)
    return rubric
