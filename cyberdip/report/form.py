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

#: The form's own words, by key, as gettext messages (``%(name)s`` filled in by the
#: page); translated from the catalogue of the form's language.
UI: dict[str, str] = {
    "questionnaire": "Questionnaire: %(rubric)s",
    "for_profile": ", for %(profile)s",
    "section_for": "The section for %(respondent)s.",
    "who": "Who is answering",
    "organisation": "Organisation (required)",
    "unit": "Unit (e.g. Embassy in Berlin)",
    "country": "Country",
    "respondent": "Your name or directorate",
    "period": "Period (e.g. 2026)",
    "date": "Date of the assessment",
    "kept": "Your answers are kept in this browser, on this computer, as you type: close "
            "and reopen this file to go on. They are not sent anywhere. To hand them in, "
            "use \u201cSave answers\u201d and send the file it saves.",
    "not_kept": "This browser cannot keep your answers (its storage is off or full): use "
                "\u201cSave answers\u201d often, or your work is lost when you close the page.",
    "status": "%(n)s of %(m)s questions answered",
    "status_carried": "; %(k)s carried forward, still to confirm",
    "status_problems": "; %(k)s to fix before saving",
    "stop": ".",
    "of": "%(n)s of %(m)s",
    "save": "Save answers",
    "areas": "Areas",
    "terms": "Terms used here",
    "context": " (national context)",
    "critical": "critical",
    "help": "? Help",
    "help_label": "Help on this question",
    "indicators": "Indicators: tick each that holds",
    "level_n": "Level %(n)s",
    "ind_evidence": "Evidence for this indicator",
    "evidence_head": "Evidence (a document, minutes, a link; with the date it refers to)",
    "evidence_n": "Evidence %(n)s",
    "date_short": "Date",
    "remove": "Remove",
    "add_evidence": "Add evidence",
    "from_indicators": "\u2014 from the indicators \u2014",
    "not_answered_opt": "\u2014 not answered \u2014",
    "choose_level": "Or choose the level directly",
    "level": "Level",
    "answer": "Answer",
    "answer_in": "Answer (%(measure)s)",
    "between": "a number from %(min)s to %(max)s",
    "at_least": "a number, at least %(min)s",
    "at_most": "a number, at most %(max)s",
    "no_number": "No number to give (the lowest level)",
    "yes": "Yes: %(what)s",
    "no": "No: %(what)s",
    "na": "Does not apply here",
    "na_reason": "Why it does not apply (required)",
    "target": "Target level (optional)",
    "default_target": "\u2014 the rubric's default \u2014",
    "notes": "Notes",
    "plan": "Action plan (optional): what will be done to reach the target",
    "plan_action": "Action (empty: the rubric's next step)",
    "plan_owner": "Owner (a role, e.g. Director, Policy Planning)",
    "plan_due": "Due (a date YYYY-MM-DD, or 2026-Q2, 2026-H1, 2026-06, 2026)",
    "plan_status": "Status",
    "gives_na": "Does not apply.",
    "gives_direct": "Level %(n)s chosen directly.",
    "gives_ind": "The indicators ticked give level %(n)s \u2013 %(name)s.",
    "answered": "Answered.",
    "unanswered": "Not answered yet.",
    "carried": "Carried forward from %(where)s: is it still true?",
    "confirm": "Confirm",
    "clear": "Clear",
    "p_reason": "not applicable: give the reason",
    "p_number": "the answer is not a number",
    "p_range": "the number is outside %(min)s to %(max)s",
    "p_date": "a date is not YYYY-MM-DD",
    "not_saved": "Not saved: %(k)s question(s) have a problem shown in red. Fix them first.",
    "not_saved_org": "Not saved: write the organisation's name at the top first.",
    "saved": "Saved as %(name)s (in your downloads). Send that file back; it is read with: "
             "cyberdip import %(name)s",
}
TITLE = "%(title)s: questionnaire"
NOSCRIPT = ("This questionnaire needs JavaScript, which your browser has turned off. Ask "
            "for the Excel workbook instead.")


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


def _marking(text: str | None) -> dict[str, Any] | None:
    """The marking as the page shows it: its text, and a TLP label's colour."""
    from cyberdip.report.marking import marking

    m = marking(text)
    return None if m is None else {"text": m.text, "colour": m.colour}


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


def _criterion(rubric: Rubric, c: Any, profile: str | None, glossary: list[str],
               rw: Any) -> dict:
    levels = list(rubric.levels)
    q = c.question_as(profile)

    def name(lv: int) -> str:
        return str(rw.level_name(lv, rubric.level_name(lv)))

    def desc(lv: int) -> str:
        return str(rw.descriptor(c.id, lv, descriptor(rubric, c, lv)))

    out: dict[str, Any] = {
        "id": c.id, "title": str(rw.criterion(c.id, "title", c.title) or ""),
        "question": str(rw.question(c.id, q, profile)), "kind": c.kind,
        "critical": bool(c.critical),
        "help": [[lv, name(lv), desc(lv)] for lv in c.reachable_levels(levels)],
        "targets": [[lv, name(lv)] for lv in c.reachable_levels(levels)],
        "terms": [i for i, term in enumerate(glossary)
                  if term.lower() in f"{c.title or ''} {q}".lower()],
    }
    if isinstance(c, BooleanCriterion):
        out["yes"] = desc(c.boolean.met)
        out["no"] = desc(c.boolean.not_met)
    elif isinstance(c, MetricCriterion):
        m = c.metric
        out["metric"] = {"unit": str(rw.unit(c.id, m.unit)), "min": m.min, "max": m.max,
                         "none": bool(c.reachable_levels(levels)),
                         "lowest": rubric.lowest}
    elif isinstance(c, ChoiceCriterion):
        out["options"] = [[o.id, str(rw.answer(o.id, o.name)), o.meaning or ""]
                          for o in rubric.answer_scales.get(c.answer_scale, [])]
    else:
        out["levels"] = [[lv, name(lv), desc(lv)] for lv in c.reachable_levels(levels)]
        out["indicators"] = [[lv, i.id, str(rw.indicator(c.id, i.id, i.text))]
                             for lv, i in c.indicator_list()]
    return out


def questions(blank: Blank, *, rubric_sha256: str, answers_name: str,
              rubric_words: Any = None, mode: str = "indicators",
              marking: str | None = None) -> dict[str, Any]:
    """What the page draws and saves: the rubric's questions for the profile and
    section (in the language of ``rubric_words``, an ``i18n.RubricWords``; English by
    default), the answers carried into it, the form's own words, and what names and
    keys the saved file."""
    from cyberdip.formats.cycle import Section
    from cyberdip.report import i18n

    rw = rubric_words or i18n.RubricWords("en")
    w = i18n.words(rw.lang)
    rubric, profile = blank.rubric, blank.profile or blank.rubric.default_profile()
    section = blank.section or Section()
    glossary = list(rubric.glossary)
    areas = []
    for area in rubric.areas:
        asked = [c for c in area.all_criteria() if c.applies(profile)
                 and section.holds(c.id)]
        if asked:
            areas.append({"id": area.id, "title": str(rw.area(area.id, area.title)),
                          "description": str(rw.get(("areas", area.id, "description"),
                                                    area.description) or ""),
                          "context": area.context,
                          "criteria": [_criterion(rubric, c, profile, glossary, rw)
                                       for c in asked]})
    names = {p.id: str(rw.profile(p.id, p.name)) for p in rubric.profiles}
    respondent = section.respondent
    key = hashlib.sha256("\n".join([rubric_sha256, respondent or "", profile or "",
                                    answers_name]).encode("utf-8")).hexdigest()[:32]
    return {
        "form": FORM_VERSION,
        "title": str(rw.rubric_title(rubric.title)),
        "lang": rw.lang, "dir": w.dir,
        # `levels`: one level per criterion, its indicators shown as help only
        "mode": mode,
        # the protective marking: a banner on every screen and printed page, and saved
        "marking": _marking(marking),
        "ui": {k: (w.stop if k == "stop" else w.gettext(v)) for k, v in UI.items()},
        "rubric": {"id": rubric.id, "version": rubric.version, "ref": blank.rubric_ref,
                   "sha256": rubric_sha256},
        "profile": profile, "profile_name": names.get(profile or "", ""),
        "respondent": respondent,
        "organisation": {k: v for k, v in section.organisation.items()
                         if k in ("name", "unit", "country") and isinstance(v, str)},
        "stage_word": rubric.labels.stage,
        "lowest": rubric.lowest,
        "glossary": [[str(rw.term(t)), str(rw.definition(t, rubric.glossary[t]))]
                     for t in glossary],
        "areas": areas,
        "prefill": section.prefill,
        "carried": section.carried,
        "key": "cyberdip-form-" + key,
        "answers_name": answers_name,
    }


def render(blank: Blank, *, rubric_sha256: str, answers_name: str,
           rubric_words: Any = None, mode: str = "indicators",
           marking: str | None = None) -> str:
    """The form as one HTML page, in the language of ``rubric_words`` (English by
    default; Urdu right to left, with its Nastaliq font embedded)."""
    from cyberdip.report import i18n
    from cyberdip.report.view import font_face

    rw = rubric_words or i18n.RubricWords("en")
    w = i18n.words(rw.lang)
    data = _plain(questions(blank, rubric_sha256=rubric_sha256, answers_name=answers_name,
                            rubric_words=rw, mode=mode, marking=marking))
    script = _asset("form.js")
    style = str(font_face(rw.lang)) + _asset("form.css")
    fonts = "; font-src data:" if rw.lang == "ur" else ""
    csp = ("default-src 'none'; "
           f"script-src '{_csp_hash(script)}'; style-src '{_csp_hash(style)}'; "
           f"img-src data:{fonts}; base-uri 'none'; form-action 'none'")
    title = html.escape(w.gettext(TITLE) % {"title": data["title"]}, quote=True)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{rw.lang}" dir="{w.dir}">\n<head>\n'
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{title}</title>\n"
        f"<style>{style}</style>\n</head>\n<body>\n"
        f'<noscript><p class="noscript">{html.escape(w.gettext(NOSCRIPT))} '
        "(<code>cyberdip init RUBRIC -o answers.xlsx</code>)</p></noscript>\n"
        '<main id="form" aria-live="polite"></main>\n'
        f'<script type="application/json" id="questions">{_json_for_html(data)}</script>\n'
        f"<script>{script}</script>\n</body>\n</html>\n")
