"""The report's language: its own words from a gettext catalogue, the rubric's words
from a translation file beside the rubric, and the bidi isolation of English names
inside right-to-left text.

* The catalogue of language ``xx`` is ``cyberdip/locale/xx/LC_MESSAGES/cyberdip.mo``,
  compiled from the ``.po`` beside it when the package is built (``hatch_build.py``).
  English is the source language: its "catalogue" is the messages themselves.
* A rubric's words (titles, questions, level names...) come from
  ``RUBRIC.xx.yaml`` (``cyberdip.model.translation``). A string without a current
  translation is shown in English, isolated and marked, never silently.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cyberdip.errors import CyberdipError

if TYPE_CHECKING:
    from cyberdip.model.translation import Translation

#: Languages a report can be written in: code -> (English name, own name, direction).
LANGUAGES: dict[str, tuple[str, str, str]] = {
    "en": ("English", "English", "ltr"),
    "ur": ("Urdu", "اردو", "rtl"),
}

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "cyberdip"

#: a metric level's words (``model.rubric.descriptor``): the threshold and the unit
THRESHOLD = re.compile(r"^(?P<op>at least|at most|below|above) (?P<value>[\d,.]+) (?P<unit>.+)$")

# Unicode bidi isolates (UAX #9): first-strong, left-to-right, pop.
FSI, LRI, PDI = "\u2068", "\u2066", "\u2069"


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    path = catalogue_path(lang)
    try:
        with open(path, "rb") as f:
            return gettext.GNUTranslations(f)
    except OSError:
        raise CyberdipError(
            f"the {LANGUAGES[lang][0]} catalogue {path.name} is not installed (it is "
            f"compiled from {path.with_suffix('.po').name} when cyberdip is built); "
            "reinstall cyberdip, e.g. `pip install --force-reinstall cyberdip`",
            path=str(path), code="CD505", exit_code=3) from None


@dataclass(frozen=True)
class Words:
    """The report's own words in one language."""

    lang: str
    catalogue: Any

    @property
    def rtl(self) -> bool:
        return LANGUAGES[self.lang][2] == "rtl"

    @property
    def dir(self) -> str:
        return LANGUAGES[self.lang][2]

    @property
    def stop(self) -> str:
        """The full stop that ends a sentence of ours before the rubric's next one."""
        return "\u06d4" if self.lang == "ur" else "."

    @property
    def comma(self) -> str:
        """What separates the items of a list: the Arabic comma in Urdu (a Latin comma
        between right-to-left items lands on the wrong side of the space)."""
        return "\u060c " if self.lang == "ur" else ", "

    def gettext(self, message: str) -> str:
        return self.catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.catalogue.ngettext(singular, plural, n)

    def isolate(self, text: object) -> str:
        """Plain text (Markdown, PDF) kept apart from the text around it: in a
        right-to-left report an English name inside an Urdu sentence keeps its own
        direction and does not reorder its neighbours."""
        return f"{FSI}{text}{PDI}" if self.rtl else str(text)

    def ltr(self, text: object) -> str:
        """A figure written left to right (``28.58 / 100``, ``1 → 3``) as one unit."""
        return f"{LRI}{text}{PDI}" if self.rtl else str(text)


_CACHE: dict[str, Words] = {}


def words(lang: str = "en") -> Words:
    if lang not in LANGUAGES:
        raise CyberdipError(f"no report language `{lang}`; choose one of "
                            f"{', '.join(LANGUAGES)}", code="CD404", exit_code=2)
    if lang not in _CACHE:
        _CACHE[lang] = Words(lang, _catalogue(lang))
    return _CACHE[lang]


@dataclass(frozen=True)
class Localized:
    """A rubric string in the report's language, or in English when it has no
    current translation (``fallback``)."""

    text: str
    fallback: bool

    def __str__(self) -> str:
        return self.text


class RubricWords:
    """The rubric's strings in the report's language.

    ``get(key, english)`` gives the translation of the string at ``key`` (a path in the
    translation file, such as ``("criteria", "policy.law", "title")``) when the file has
    a current one, else the English, marked as a fallback. For an English report every
    string is its English, unmarked.
    """

    def __init__(self, lang: str = "en", translation: Translation | None = None) -> None:
        self.lang = lang
        self.translation = translation

    @property
    def status(self) -> str | None:
        return None if self.translation is None else self.translation.status

    @property
    def complete(self) -> bool:
        """Every rubric string has a current translation: nothing can be marked EN."""
        if self.lang == "en":
            return True
        c = None if self.translation is None else self.translation.coverage
        return c is not None and c.total > 0 and c.translated == c.total

    def get(self, key: tuple, english: str | None) -> Localized | None:
        if english is None:
            return None
        if self.lang == "en":
            return Localized(english, False)
        t = self.translation.lookup(key, english) if self.translation is not None else None
        return Localized(english, True) if t is None else Localized(t, False)

    # the strings a report shows, by what they are
    def area(self, aid: str, english: str) -> Localized:
        return self.get(("areas", aid, "title"), english)

    def criterion(self, cid: str, field: str, english: str | None) -> Localized | None:
        return self.get(("criteria", cid, field), english)

    def level_name(self, level: int | None, english: str | None) -> Localized | None:
        return None if level is None else self.get(("scale", level, "name"), english)

    def scale_meaning(self, level: int, english: str) -> Localized:
        return self.get(("scale", level, "meaning"), english)

    def descriptor(self, cid: str, level: int | None, english: str | None) -> Localized | None:
        if level is None:
            return None
        found = self.get(("criteria", cid, "levels", level), english)
        if found is not None and found.fallback and english and self.translation is not None:
            # format 2 describes a level by its indicators, joined: when every one of
            # them is translated, so is the description
            from cyberdip.model.rubric import join_indicators

            parts = sorted((english.find(en), en, tr) for key, (en, tr)
                           in self.translation.entries.items()
                           if key[:3] == ("criteria", cid, "indicators") and en in english)
            if parts and join_indicators([en for _, en, _ in parts]) == english:
                return Localized(join_indicators([tr for _, _, tr in parts]), False)
            # a metric's level is its threshold, worded from the unit (``at least 75 %
            # of missions``): worded again in the report's language, the unit translated
            m = THRESHOLD.match(english)
            unit = m and self.translation.lookup(("criteria", cid, "unit"), m["unit"])
            if m and unit:
                w = words(self.lang)
                message = {"at least": w.gettext("at least %(value)s %(unit)s"),
                           "at most": w.gettext("at most %(value)s %(unit)s"),
                           "below": w.gettext("below %(value)s %(unit)s"),
                           "above": w.gettext("above %(value)s %(unit)s")}[m["op"]]
                return Localized(message % {"value": m["value"], "unit": unit}, False)
        return found

    def indicator(self, cid: str, ind_id: str, english: str) -> Localized:
        return self.get(("criteria", cid, "indicators", ind_id), english)

    def indicator_text(self, cid: str, english: str, bare: bool = False) -> Localized:
        """An indicator of ``cid`` known by its English text (a gap's steps are texts);
        ``bare``: without its closing full stop, to be listed."""
        found = Localized(english, self.lang != "en")
        if self.lang != "en" and self.translation is not None:
            for key, (en, tr) in self.translation.entries.items():
                if key[:3] == ("criteria", cid, "indicators") and en == english:
                    found = Localized(tr, False)
                    break
        return Localized(found.text.rstrip(".\u06d4"), found.fallback) if bare else found

    def recommendation(self, cid: str, level: int | None,
                       english: str | None) -> Localized | None:
        if level is None:
            return None
        return self.get(("criteria", cid, "recommendations", level), english)

    def action(self, cid: str, level: int | None, english: str) -> Localized:
        """One of a step's actions (``Gap.actions``): the rubric's recommendation for
        ``level``, or one of its indicators, or its words for a level, known by their
        English text; without its closing full stop, to be listed."""
        rec = self.recommendation(cid, level, english)
        if rec is not None and not rec.fallback:
            return Localized(rec.text.rstrip(".\u06d4"), False)
        ind = self.indicator_text(cid, english, True)
        if not ind.fallback:
            return ind
        desc = self.descriptor(cid, level, english)
        if desc is not None and not desc.fallback:
            return Localized(desc.text.rstrip(".\u06d4"), False)
        return Localized(english.rstrip("."), self.lang != "en")

    def rubric_title(self, english: str) -> Localized:
        return self.get(("rubric", "title"), english)

    def question(self, cid: str, english: str | None, profile: str | None = None
                 ) -> Localized | None:
        """A criterion's question as the profile is asked it (``question_for``), else
        its general question."""
        if english is None:
            return None
        if profile is not None:
            found = self.get(("criteria", cid, "question_for", profile), english)
            if not found.fallback or self.lang == "en":
                return found
        return self.get(("criteria", cid, "question"), english)

    def unit(self, cid: str, english: str | None) -> Localized | None:
        return self.get(("criteria", cid, "unit"), english)

    def label(self, which: str, english: str) -> Localized:
        """What the rubric calls its index or its stage (``labels``)."""
        return self.get(("labels", which), english)

    def profile(self, pid: str | None, english: str | None) -> Localized | None:
        return None if pid is None else self.get(("profiles", pid, "name"), english)

    def term(self, term: str) -> Localized:
        return self.get(("glossary", term, "term"), term)

    def definition(self, term: str, english: str) -> Localized:
        return self.get(("glossary", term, "definition"), english)

    def framework(self, key: str, english: str) -> Localized:
        return self.get(("frameworks", key, "title"), english)

    def framework_item(self, key: str, item: str, english: str | None) -> Localized | None:
        return self.get(("frameworks", key, "items", item), english)

    def mapping_note(self, cid: str, key: str, item: str, english: str | None
                     ) -> Localized | None:
        return self.get(("criteria", cid, "mappings", key, item), english)

    def group(self, gid: str, english: str | None) -> Localized | None:
        return self.get(("groups", gid, "title"), english)

    def band(self, minimum: float, field: str, english: str | None) -> Localized | None:
        from cyberdip.model.translation import band_key

        return self.get(("bands", band_key(minimum), field), english)

    def answer(self, option: str | None, english: str | None) -> Localized | None:
        """A choice criterion's answer, by its option id, in whichever answer scale has
        it with this English name."""
        if english is None:
            return None
        if self.lang == "en" or self.translation is None:
            return self.get((), english) if self.lang == "en" else Localized(english, True)
        for key, (en, tr) in self.translation.entries.items():
            if key[0] == "answer_scales" and key[2:] == (option, "name") and en == english:
                return Localized(tr, False)
        return Localized(english, True)
