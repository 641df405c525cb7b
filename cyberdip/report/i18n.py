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
