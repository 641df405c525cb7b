"""The offline questionnaire: one self-contained HTML file an officer opens from disk,
fills in a browser and saves back as a file `cyberdip import` and `merge` read.

The page is built from a JSON description of the questions (``questions``), embedded
in a ``<script type="application/json">`` block that is data, never run, and a small
script of our own (``form/form.js``) that draws the questions with DOM methods and
``textContent`` only: rubric text never becomes markup. A Content-Security-Policy meta
tag allows that one script and that one style sheet, by their hashes, and nothing
else: no request can leave the page. See docs/questionnaire.md, "The offline form".
"""

from __future__ import annotations

import base64
import hashlib
import html
import unicodedata
from importlib import resources
from typing import Any

from cyberdip.formats.blank import Blank
from cyberdip.model.rubric import (
    BooleanCriterion,
    ChoiceCriterion,
    MetricCriterion,
    Rubric,
    descriptor,
)

#: The format of the saved answers file (``cyberdip_form`` in it).
FORM_VERSION = 1
#: What the saved file's name ends with: ``berlin.html`` saves ``berlin.answers.json``.
ANSWERS_SUFFIX = ".answers.json"


def _asset(name: str) -> str:
    return resources.files("cyberdip.report").joinpath("form", name).read_text("utf-8")


def _csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()
                                        ).decode("ascii")


def _json_for_html(value: Any) -> str:
    """JSON that is safe inside a ``<script type="application/json">`` element: no
    ``<``, ``>`` or ``&`` (so no ``</script>`` and no comment opener), and no control,
    format, separator or private-use character raw (each a ``\\uXXXX`` escape, which the
    page's ``JSON.parse`` reads back to the very same text)."""
    import json

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    out = []
    for ch in text:
        if ch in "<>&" or (ch not in "\n\t" and unicodedata.category(ch)
                           in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co")):
            out.append("".join(f"\\u{u:04x}" for u in _utf16(ch)))
        else:
            out.append(ch)
    return "".join(out)


def _plain(value: Any) -> Any:
    """``value`` as JSON holds it: a date (of a carried answer) as ``YYYY-MM-DD``."""
    import datetime as dt

    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _utf16(ch: str) -> list[int]:
    b = ch.encode("utf-16-be", "surrogatepass")
    return [int.from_bytes(b[i:i + 2], "big") for i in range(0, len(b), 2)]


def _criterion(rubric: Rubric, c: Any, profile: str | None, glossary: list[str]) -> dict:
    levels = list(rubric.levels)
    q = c.question_as(profile)
    out: dict[str, Any] = {
        "id": c.id, "title": c.title or "", "question": q, "kind": c.kind,
        "critical": bool(c.critical),
        "help": [[lv, rubric.level_name(lv), descriptor(rubric, c, lv)]
                 for lv in c.reachable_levels(levels)],
        "targets": [[lv, rubric.level_name(lv)] for lv in c.reachable_levels(levels)],
        "terms": [i for i, term in enumerate(glossary)
                  if term.lower() in f"{c.title or ''} {q}".lower()],
    }
    if isinstance(c, BooleanCriterion):
        out["yes"] = descriptor(rubric, c, c.boolean.met)
        out["no"] = descriptor(rubric, c, c.boolean.not_met)
    elif isinstance(c, MetricCriterion):
        m = c.metric
        out["metric"] = {"unit": m.unit, "min": m.min, "max": m.max,
                         "none": bool(c.reachable_levels(levels)),
                         "lowest": rubric.lowest}
    elif isinstance(c, ChoiceCriterion):
        out["options"] = [[o.id, o.name, o.meaning or ""]
                          for o in rubric.answer_scales.get(c.answer_scale, [])]
    else:
        out["levels"] = [[lv, rubric.level_name(lv), descriptor(rubric, c, lv)]
                         for lv in c.reachable_levels(levels)]
        out["indicators"] = [[lv, i.id, i.text] for lv, i in c.indicator_list()]
    return out


def questions(blank: Blank, *, rubric_sha256: str, answers_name: str) -> dict[str, Any]:
    """What the page draws and saves: the rubric's questions for the profile and
    section, the answers carried into it, and what names and keys the saved file."""
    from cyberdip.formats.cycle import Section

    rubric, profile = blank.rubric, blank.profile or blank.rubric.default_profile()
    section = blank.section or Section()
    glossary = list(rubric.glossary)
    areas = []
    for area in rubric.areas:
        asked = [c for c in area.all_criteria() if c.applies(profile)
                 and section.holds(c.id)]
        if asked:
            areas.append({"id": area.id, "title": area.title,
                          "description": area.description or "", "context": area.context,
                          "criteria": [_criterion(rubric, c, profile, glossary)
                                       for c in asked]})
    names = {p.id: p.name for p in rubric.profiles}
    respondent = section.respondent
    key = hashlib.sha256("\n".join([rubric_sha256, respondent or "", profile or "",
                                    answers_name]).encode("utf-8")).hexdigest()[:32]
    return {
        "form": FORM_VERSION,
        "title": rubric.title,
        "rubric": {"id": rubric.id, "version": rubric.version, "ref": blank.rubric_ref,
                   "sha256": rubric_sha256},
        "profile": profile, "profile_name": names.get(profile or "", ""),
        "respondent": respondent,
        "organisation": {k: v for k, v in section.organisation.items()
                         if k in ("name", "unit", "country") and isinstance(v, str)},
        "stage_word": rubric.labels.stage,
        "lowest": rubric.lowest,
        "glossary": [[t, rubric.glossary[t]] for t in glossary],
        "areas": areas,
        "prefill": section.prefill,
        "carried": section.carried,
        "key": "cyberdip-form-" + key,
        "answers_name": answers_name,
    }


def render(blank: Blank, *, rubric_sha256: str, answers_name: str) -> str:
    """The form as one HTML page."""
    data = _plain(questions(blank, rubric_sha256=rubric_sha256, answers_name=answers_name))
    script, style = _asset("form.js"), _asset("form.css")
    csp = ("default-src 'none'; "
           f"script-src '{_csp_hash(script)}'; style-src '{_csp_hash(style)}'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    title = html.escape(f"{blank.rubric.title}: questionnaire", quote=True)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(blank.rubric.language, quote=True)}">\n<head>\n'
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{title}</title>\n"
        f"<style>{style}</style>\n</head>\n<body>\n"
        '<noscript><p class="noscript">This questionnaire needs JavaScript, which your '
        "browser has turned off. Ask for the Excel workbook instead "
        "(<code>cyberdip init RUBRIC -o answers.xlsx</code>).</p></noscript>\n"
        '<main id="form" aria-live="polite"></main>\n'
        f'<script type="application/json" id="questions">{_json_for_html(data)}</script>\n'
        f"<script>{script}</script>\n</body>\n</html>\n")
