"""The words of a questionnaire (workbook, CSV sheet, YAML blank, ``assess``) in its
language: ``init --lang ur`` and ``assess --lang ur``.

A ``Wording`` carries two sources, both handed down by the command that builds it
(this layer reads no catalogue itself):

* ``gettext``: cyberdip's own words (instructions, headings, prompts), from the
  report catalogue (``cyberdip/locale/LANG/LC_MESSAGES/cyberdip.po``);
* ``rubric``: the rubric's words (titles, questions, indicators, level names), from
  the translation beside the rubric (``report.i18n.RubricWords``, used by its methods
  only: ``area``, ``criterion``, ``question``, ``indicator``, ``level_name``,
  ``descriptor``, ``answer``, ``unit``), each falling back to the English.

English is ``Wording()``: every method gives exactly what the questionnaire said
before it had languages. What a person picks from a drop-down or types in another
language is read back to the English it stands for (``to_english``): a filled Urdu
workbook imports to the same answers as an English one. The keys of a sheet (the
criterion ids, the detail names on the Start sheet, the choice ids, the numbers of
levels) stay as they are in every language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cyberdip.formats import questionnaire as q

#: The workbook's Start-sheet detail (and the CSV's detail row) that names the
#: questionnaire's language: read first, so the rest is read in it.
LANGUAGE_DETAIL = "language"

#: The answers every questionnaire offers besides levels and choices.
WORDS = ("yes", "no", "n/a", "none")


def _same(message: str) -> str:
    return message


@dataclass(frozen=True)
class Wording:
    """A questionnaire's words in one language (English by default)."""

    lang: str = "en"
    gettext: Callable[[str], str] = _same
    rubric: Any = None  # report.i18n.RubricWords, or None for the rubric's English
    rtl: bool = False

    @property
    def english(self) -> bool:
        return self.lang == "en"

    def t(self, message: str) -> str:
        """One of cyberdip's own messages in this language."""
        return self.gettext(message)

    # -- the rubric's words ---------------------------------------------------------

    def _r(self, method: str, *args: Any) -> str:
        english = args[-1]
        if self.rubric is None or self.english or english is None:
            return english
        found = getattr(self.rubric, method)(*args)
        return english if found is None else found.text

    def area(self, area: Any) -> str:
        return self._r("area", area.id, area.title)

    def level_name(self, rubric: Any, level: int) -> str:
        return self._r("level_name", level, rubric.level_name(level))

    def level_label(self, rubric: Any, level: int) -> str:
        """``3 – Defined``: a level as a drop-down offers it (read back as ``3``)."""
        return f"{level} \u2013 {self.level_name(rubric, level)}"

    def option_name(self, option: Any) -> str:
        return self._r("answer", option.id, option.name)

    def row_title(self, rubric: Any, row: q.Row) -> str:
        """What a sheet's `title` column says of a row (``Row.label``)."""
        if self.english:
            return row.label(rubric)
        c = row.criterion
        title = self._r("criterion", c.id, "title", c.label)
        if row.indicator is not None and row.level is not None:
            return (f"{title} - " + self.t("level %(level)s (%(name)s)")
                    % {"level": row.level, "name": self.level_name(rubric, row.level)})
        return title + (" [" + self.t("critical") + "]" if c.critical else "")

    def question(self, row: q.Row, profile: str | None) -> str:
        """What a sheet's `question` column says of a row (``Row.question``)."""
        if self.english:
            return row.question(profile)
        c = row.criterion
        if row.indicator is not None:
            return self._r("indicator", c.id, row.indicator.id, row.indicator.text)
        if self.rubric is None:
            return c.question_as(profile)
        found = self.rubric.question(c.id, c.question_as(profile), profile)
        return c.question_as(profile) if found is None else found.text

    def descriptor(self, rubric: Any, c: Any, level: int) -> str:
        from cyberdip.model.rubric import descriptor

        return self._r("descriptor", c.id, level, descriptor(rubric, c, level))

    # -- what fits an answer --------------------------------------------------------

    def allowed(self, rubric: Any, c: Any) -> str:
        """What a valid answer looks like, in a few words (``questionnaire.allowed``)."""
        from cyberdip.model.rubric import BooleanCriterion, ChoiceCriterion, MetricCriterion

        if self.english:
            return q.allowed(rubric, c)
        if isinstance(c, BooleanCriterion):
            return self.t("yes or no")
        if isinstance(c, MetricCriterion):
            m = c.metric
            unit = self._r("unit", c.id, m.unit)
            text = self.t("a number (%(unit)s)") % {"unit": unit}
            if m.min is not None and m.max is not None:
                text += " " + self.t("from %(low)s to %(high)s") % {
                    "low": q._num(m.min), "high": q._num(m.max)}
            if c.reachable_levels(rubric.levels):
                text += self.t(", or none")
            return text
        if isinstance(c, ChoiceCriterion):
            return self.t("one of %(options)s") % {
                "options": ", ".join(o.id for o in q.options(rubric, c))}
        return self.t("a level from %(low)s to %(high)s") % {"low": rubric.lowest,
                                                             "high": rubric.highest}

    def choices(self, rubric: Any, c: Any) -> list[tuple[str, str]]:
        """The answers of ``c`` and what each means (``questionnaire.choices``)."""
        from cyberdip.model.rubric import BooleanCriterion, ChoiceCriterion, MetricCriterion

        if self.english:
            return q.choices(rubric, c)
        level = self.t("level %(level)s")
        if isinstance(c, BooleanCriterion):
            b = c.boolean
            return [(self.t("yes"), f"{level % {'level': b.met}}: "
                                    f"{self.descriptor(rubric, c, b.met)}"),
                    (self.t("no"), f"{level % {'level': b.not_met}}: "
                                   f"{self.descriptor(rubric, c, b.not_met)}")]
        if isinstance(c, MetricCriterion):
            return [(str(lv), self.descriptor(rubric, c, lv))
                    for lv in c.reachable_levels(rubric.levels)]
        if isinstance(c, ChoiceCriterion):
            return [(o.id, self.option_name(o)) for o in q.options(rubric, c)]
        return [(str(lv), self.descriptor(rubric, c, lv)) for lv in rubric.levels]

    def allowed_cell(self, rubric: Any, c: Any, indicator: bool = False,
                     first: bool = True) -> str:
        """The `allowed answers` cell of a sheet row; an indicator's row after its
        criterion's first says it in a few words (the first says it in full)."""
        if indicator and not first:
            return self.t("yes or no, as above")
        if self.english and not indicator:
            lines = [q.allowed(rubric, c) + ", or n/a (then give the N/A reason)"]
            for label, meaning in q.choices(rubric, c):
                sep = " =" if label in ("yes", "no") else ":"
                lines.append(f"{label}{sep} {meaning}")
            return "\n".join(lines)
        if indicator:
            return self.t("yes if the statement holds, no if not (the level follows from "
                          "the indicators); n/a, with an N/A reason, if the criterion does "
                          "not apply")
        lines = [self.allowed(rubric, c) + self.t(", or n/a (then give the N/A reason)")]
        lines += [f"{label}: {meaning}" for label, meaning in self.choices(rubric, c)]
        return "\n".join(lines)

    # -- reading back -----------------------------------------------------------------

    def headings(self, columns: tuple[str, ...]) -> dict[str, str]:
        """A column heading in this language -> the English heading it translates."""
        return {self.t(c): c for c in columns}

    def answers_to_english(self, rubric: Any) -> dict[str, str]:
        """What this language's drop-downs offer (and its yes, no, n/a and none) ->
        what the English questionnaire says, for reading a filled sheet back."""
        out: dict[str, str] = {}
        if self.english:
            return out
        for w in WORDS:
            out[_key(self.t(w))] = w
        for s in rubric.scale or ():
            out[_key(self.level_label(rubric, s.level))] = f"{s.level} \u2013 {s.name}"
            out[_key(self.level_name(rubric, s.level))] = f"{s.level} \u2013 {s.name}"
        for opts in rubric.answer_scales.values():
            for o in opts:
                out[_key(f"{o.id} \u2013 {self.option_name(o)}")] = o.id
                out[_key(self.option_name(o))] = o.id
        return out


    def answers_from_english(self, rubric: Any) -> dict[str, str]:
        """The other way: what the English questionnaire says (``yes``, ``3 – Defined``)
        -> what this language's drop-downs offer, to show a carried answer in it."""
        out = {w: self.t(w) for w in WORDS}
        for s in rubric.scale or ():
            out[f"{s.level} \u2013 {s.name}"] = self.level_label(rubric, s.level)
        for opts in rubric.answer_scales.values():
            for o in opts:
                out[f"{o.id} \u2013 {o.name}"] = f"{o.id} \u2013 {self.option_name(o)}"
        return {} if self.english else out


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\u00a0", " ")).strip().casefold()


def to_english(text: str, table: dict[str, str]) -> str:
    """A cell's value as the English questionnaire would hold it (unchanged when it is
    not one of ``table``'s translated answers)."""
    return table.get(_key(text), text)


__all__ = ["LANGUAGE_DETAIL", "WORDS", "Wording", "to_english"]
