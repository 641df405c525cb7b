"""A rubric's translation: its words in another language, in a file beside it
(``cyberdip-core.ur.yaml`` beside ``cyberdip-core.yaml``), keyed by the rubric's ids.

Every entry keeps a copy of the English it translates, so a translation whose English
has since changed is *stale*, found without guessing::

    translates: cyberdip-core
    rubric_version: 1.0.0
    language: ur
    status: "draft, not yet reviewed by a native speaker"
    partial: true      # optional: translates only some strings, on purpose
    rubric:
      title: {en: "Cyber and digital diplomacy readiness...", ur: "..."}
    scale:
      0: {name: {en: Absent, ur: "..."}, meaning: {en: "...", ur: "..."}}
    areas:
      policy: {title: {en: Policy and strategy, ur: "..."}}
    criteria:
      policy.law:
        title: {en: "...", ur: "..."}
        question: {en: "...", ur: "..."}
        levels: {0: {en: "...", ur: "..."}}
        recommendations: {1: {en: "...", ur: "..."}}
        indicators: {named-lead: {en: "...", ur: "..."}}   # format 2, by indicator id
        question_for: {mission: {en: "...", ur: "..."}}   # the question a profile is asked
        unit: {en: "% of missions", ur: "..."}             # a metric's unit
        mappings: {nist-csf: {GV: {en: "...", ur: "..."}}} # a mapping's note

and, beside them, ``labels`` (index, stage), ``glossary`` (term: term, definition),
``profiles`` (id: name, description), ``answer_scales`` (scale: option: name, meaning),
``bands`` (lower bound: name, meaning), ``frameworks`` (id: title, items) and ``groups``
(id: title, description); an area also translates its ``description``
(``rubric_strings`` lists every key; docs/rubric-format.md describes them).

The checks are the rubric's kind: every id and field must exist in the rubric (an
error), and a string with no translation, or a stale one, is a located warning.
A stale or missing string is shown in English in a report, marked.

A translation that covers only part of its rubric on purpose says so, beside its
``status``: ``partial: true``. Its untranslated strings are then not a warning each;
``cyberdip validate`` says once, as a note, how much it covers. Stale entries are still
warned about: the file claims them and they no longer fit. ``partial`` is about the
whole file, whatever sections it holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cyberdip.errors import Problem
from cyberdip.model.fields import did_you_mean
from cyberdip.model.rubric import Rubric
from cyberdip.yamlio import Document

#: the sections of a translation file, in the order a rubric shows them
SECTIONS = ("rubric", "labels", "glossary", "profiles", "scale", "answer_scales", "bands",
            "frameworks", "areas", "groups", "criteria")
TOP_KEYS = ("translates", "rubric_version", "language", "status", "partial", *SECTIONS)
LANG_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


def band_key(minimum: float) -> str:
    """A band's key in a translation: its lower bound as written (``25``, ``62.5``)."""
    return f"{minimum:g}"


def rubric_strings(rubric: Rubric) -> dict[tuple[str, ...], str]:
    """Every translatable string of ``rubric`` that a report shows, by its key: the
    path of its entry in a translation file. Names of people and papers, citations and
    ids are not here: they stay as the rubric writes them."""
    out: dict[tuple[str, ...], str] = {("rubric", "title"): rubric.title,
                                       ("rubric", "description"): rubric.description}
    out[("labels", "index")] = rubric.labels.index
    out[("labels", "stage")] = rubric.labels.stage
    for term, meaning in rubric.glossary.items():
        out[("glossary", term, "term")] = term
        out[("glossary", term, "definition")] = meaning
    for p in rubric.profiles:
        out[("profiles", p.id, "name")] = p.name
        if p.description:
            out[("profiles", p.id, "description")] = p.description
    for s in rubric.scale or []:
        out[("scale", str(s.level), "name")] = s.name
        out[("scale", str(s.level), "meaning")] = s.meaning
    for sid, options in rubric.answer_scales.items():
        for o in options:
            out[("answer_scales", sid, o.id, "name")] = o.name
            if o.meaning:
                out[("answer_scales", sid, o.id, "meaning")] = o.meaning
    for b in rubric.index.bands:
        out[("bands", band_key(b.min), "name")] = b.name
        if b.meaning:
            out[("bands", band_key(b.min), "meaning")] = b.meaning
    used = list(rubric.frameworks) + sorted(
        {m.framework for _, c in rubric.criteria() for m in c.mappings} - set(rubric.frameworks))
    for key in used:
        fw = rubric.framework(key)
        if fw is None:
            continue
        out[("frameworks", key, "title")] = fw.title
        for item, title in fw.items.items():
            out[("frameworks", key, "items", item)] = title
    for a in rubric.areas:
        out[("areas", a.id, "title")] = a.title
        if a.description:
            out[("areas", a.id, "description")] = a.description
        for g in _groups(a.groups):
            if g.title:
                out[("groups", g.id, "title")] = g.title
            if g.description:
                out[("groups", g.id, "description")] = g.description
        for c in a.all_criteria():
            if c.title:  # optional in format 2: the question is shown instead
                out[("criteria", c.id, "title")] = c.title
            out[("criteria", c.id, "question")] = c.question
            for pid, q in c.question_for.items():
                out[("criteria", c.id, "question_for", pid)] = q
            metric = getattr(c, "metric", None)
            if metric is not None:
                out[("criteria", c.id, "unit")] = metric.unit
            for _, ind in c.indicator_list():
                out[("criteria", c.id, "indicators", ind.id)] = ind.text
            for lv, text in sorted(c.levels.items()):
                out[("criteria", c.id, "levels", str(lv))] = text
            for lv, text in sorted(c.recommendations.items()):
                out[("criteria", c.id, "recommendations", str(lv))] = text
            for m in c.mappings:
                if m.note:
                    out[("criteria", c.id, "mappings", m.framework, m.item)] = m.note
    return out


def _groups(groups: list) -> list:
    out = []
    for g in groups:
        out += [g, *_groups(g.groups)]
    return out


@dataclass(frozen=True)
class Coverage:
    total: int
    translated: int
    stale: int
    missing: int

    @property
    def percent(self) -> float:
        """The share translated, rounded down (never shown above what is done)."""
        return 100.0 if not self.total else (self.translated * 10000 // self.total) / 100


@dataclass
class Translation:
    path: str
    translates: str
    language: str
    status: str
    rubric_version: str | None
    #: the file says it translates only part of its rubric (``partial: true``)
    partial: bool = False
    #: key -> (the English it translates, the translation)
    entries: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)
    coverage: Coverage = Coverage(0, 0, 0, 0)

    def lookup(self, key: tuple[Any, ...], english: str) -> str | None:
        """The translation of ``english`` at ``key``, when there is a current one."""
        e = self.entries.get(tuple(str(k) for k in key))
        if e is None or e[0] != english:
            return None
        return e[1]


def is_translation(data: Any) -> bool:
    return isinstance(data, dict) and "translates" in data


def check(doc: Document, rubric: Rubric) -> tuple[Translation | None, list[Problem]]:
    """The translation in ``doc`` of ``rubric``, and every problem found, located."""
    out: list[Problem] = []

    def add(loc: tuple, level: str, code: str, msg: str, *, key: bool = False) -> None:
        line, col = doc.locate(loc, key=key)
        out.append(Problem(doc.path, line, col, level, code, msg))

    data = doc.data
    if not isinstance(data, dict):
        return None, [Problem(doc.path, 1, 1, "error", "CD104",
                              "a translation must be a mapping of keys to values")]
    for k in data:
        if k not in TOP_KEYS:
            hint = did_you_mean(str(k), TOP_KEYS)
            add((k,), "error", "CD102", f"unknown key `{k}` in a translation"
                + (f": {hint}" if hint else f" (known: {', '.join(TOP_KEYS)})"), key=True)
    for k in ("translates", "language", "status"):
        v = data.get(k)
        if v is None:
            add((), "error", "CD103", f"a translation needs `{k}:`"
                + {"translates": " (the id of the rubric it translates)",
                   "language": " (a language code, e.g. ur)",
                   "status": ' (e.g. "draft, not yet reviewed by a native speaker")'}[k])
        elif not isinstance(v, str) or not v.strip():
            add((k,), "error", "CD104", f"`{k}` must be text")
    if "partial" in data and not isinstance(data["partial"], bool):
        add(("partial",), "error", "CD104", "`partial` must be true or false (true: the file "
            "translates only part of the rubric, on purpose)")
    lang = data.get("language")
    if isinstance(lang, str) and not LANG_CODE.match(lang):
        add(("language",), "error", "CD106", f"`{lang}` is not a language code such as ur")
    # every problem in one run: an unknown key or a missing status does not stop the
    # checks of the entries; only a rubric or a language that cannot be read does
    if not (isinstance(data.get("translates"), str) and data["translates"].strip()
            and isinstance(lang, str) and LANG_CODE.match(lang)):
        return None, out
    if data["translates"] != rubric.id:
        add(("translates",), "error", "CD501", f"this translates `{data['translates']}`, but "
            f"the rubric beside it is `{rubric.id}`")
        return None, out
    version = data.get("rubric_version")
    if version is not None and str(version) != rubric.version:
        add(("rubric_version",), "warning", "CD504",
            f"translated from version {version} of `{rubric.id}`, which is now "
            f"{rubric.version}; entries whose English changed are reported as stale")

    english = rubric_strings(rubric)
    status = data.get("status")
    t = Translation(doc.path, rubric.id, lang, status.strip() if isinstance(status, str) else "",
                    None if version is None else str(version),
                    partial=data.get("partial") is True)
    # every path that leads to a string: what a mapping in the file may hold
    inner: dict[tuple[str, ...], set[str]] = {}
    for k in english:
        for i in range(len(k)):
            inner.setdefault(k[:i], set()).add(k[i])
    stale = 0

    def entry(loc: tuple, key: tuple[str, ...]) -> None:
        nonlocal stale
        node = _get(data, loc)
        if not isinstance(node, dict) or set(node) - {"en", lang} or not all(
                isinstance(node.get(x), str) and node.get(x).strip() for x in ("en", lang)):
            add(loc, "error", "CD104", f"a translated string is a mapping of `en:` (the English "
                f"it translates) and `{lang}:` (the translation), both text")
            return
        if node["en"] != english[key]:
            stale += 1
            add((*loc, "en"), "warning", "CD503",
                f"stale translation of {_where(key)}: the rubric's English is now "
                f"\u201c{_short(english[key])}\u201d; translate it again and copy the new "
                "English to `en:`")
            return
        t.entries[key] = (node["en"], node[lang])

    def walk(loc: tuple, node: Any) -> None:
        """Check a mapping's keys against the rubric's: each leads to a string of it."""
        key = tuple(str(k) for k in loc)
        if not isinstance(node, dict):
            add(loc, "error", "CD104", f"`{'.'.join(key)}` must be a mapping"
                + (f" of {_what(key)}" if len(key) > 1 else ""))
            return
        for k, v in node.items():
            here, hkey = (*loc, k), (*key, str(k))
            if hkey in english:
                entry(here, hkey)
            elif hkey in inner:
                walk(here, v)
            else:
                add(here, "error", "CD501", _unknown(rubric, hkey, inner.get(key, set())),
                    key=True)

    for section in SECTIONS:
        if section in data and data[section] is not None:
            if (section,) not in inner:
                add((section,), "error", "CD501", f"`{rubric.id}` has nothing to translate "
                    f"under `{section}`", key=True)
                continue
            walk((section,), data[section])
    # what has no translation at all: one warning per area or criterion, located at its
    # entry when it has one, else at its section
    # (none for a file marked partial: its coverage is said once, as a note)
    missing = [k for k in english if k not in t.entries and not t.partial]
    by_owner: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for k in missing:
        by_owner.setdefault(_owner_key(k), []).append(k)
    for owner, keys in by_owner.items():
        stale_here = [k for k in keys if _get(data, _loc_of(data, k)) is not None]
        absent = [k for k in keys if k not in stale_here]
        if not absent:
            continue
        loc = _loc_of(data, owner) if _get(data, _loc_of(data, owner)) is not None else (
            (owner[0],) if owner[0] in data else ())
        add(loc, "warning", "CD502", f"no {lang} translation of {_owner(owner)}: "
            + ", ".join(_field(k) for k in absent) + " (shown in English, marked EN)",
            key=bool(loc))
    n = len(english)
    t.coverage = Coverage(n, len(t.entries), stale, n - len(t.entries) - stale)
    if t.partial and n and t.coverage.translated == n:
        add(("partial",), "warning", "CD502", "every string is translated, so the file is "
            "not partial: remove `partial: true`", key=True)
    return t, out


_KIND = {"glossary": "a glossary term", "profiles": "a profile", "scale": "a level of the scale",
         "answer_scales": "an answer scale", "bands": "a band (by its lower bound)",
         "frameworks": "a framework", "areas": "an area", "groups": "a group",
         "criteria": "a criterion"}
_FIELD_OF = {"rubric": "the rubric", "labels": "the labels", "glossary": "a glossary term",
             "profiles": "a profile", "scale": "a level of the scale",
             "answer_scales": "an answer option", "bands": "a band", "frameworks": "a framework",
             "areas": "an area", "groups": "a group", "criteria": "a criterion"}
_SUB = {"indicators": "indicator", "levels": "level", "recommendations": "recommendation for level",
        "question_for": "question for the profile", "items": "item", "mappings": "mapping to"}


def _what(key: tuple[str, ...]) -> str:
    return {"indicators": "indicator ids", "levels": "levels", "recommendations": "levels",
            "question_for": "profile ids", "items": "item ids",
            "mappings": "framework ids"}.get(key[-1], "fields")


def _unknown(rubric: Rubric, key: tuple[str, ...], known: set[str]) -> str:
    """Why ``key`` is not a string of ``rubric``, and what was perhaps meant."""
    name, section = key[-1], key[0]
    hint = did_you_mean(name, sorted(known)) if known else None
    tail = f": {hint}" if hint else ""
    if len(key) == 2 and section in _KIND:
        return f"`{name}` is not {_KIND[section]} of `{rubric.id}`" + tail
    if len(key) == 4 and section == "criteria" and key[2] in _SUB:
        if key[2] in ("levels", "recommendations"):
            return f"`{key[1]}` has no {key[2][:-1]} for level {name} in the rubric" + tail
        return f"`{key[1]}` has no {_SUB[key[2]]} `{name}` in the rubric" + tail
    if len(key) > 3 and key[-2] in _SUB:
        return f"`{'.'.join(key[1:-2])}` has no {_SUB[key[-2]]} `{name}` in the rubric" + tail
    owner = _FIELD_OF.get(section, section)
    fields = ", ".join(sorted(known)) if known else "none"
    return (f"`{name}` is not a translatable field of {owner} in `{rubric.id}` "
            f"(known: {fields})")


def _get(data: Any, loc: tuple) -> Any:
    node = data
    for seg in loc:
        if not isinstance(node, dict):
            return None
        match = [k for k in node if str(k) == str(seg)]
        if not match:
            return None
        node = node[match[0]]
    return node


def _loc_of(data: Any, key: tuple[str, ...]) -> tuple:
    """``key`` as a path through ``data``, with the keys as the file writes them
    (``0``, not ``"0"``), so it can be located."""
    node, loc = data, []
    for seg in key:
        if not isinstance(node, dict):
            loc.append(seg)
            continue
        match = [k for k in node if str(k) == seg]
        k = match[0] if match else seg
        loc.append(k)
        node = node.get(k) if match else None
    return tuple(loc)


def _owner_key(key: tuple[str, ...]) -> tuple[str, ...]:
    """What a string belongs to: the rubric, its labels, or one term, level, area..."""
    return key[:1] if key[0] in ("rubric", "labels") else key[:2]


def _where(key: tuple[str, ...]) -> str:
    if key[0] in ("rubric", "labels"):
        return f"the {key[0]}' {key[1]}" if key[0] == "labels" else f"the rubric's {key[1]}"
    return f"`{key[1]}` {_field(key)}"


def _owner(owner: tuple[str, ...]) -> str:
    if len(owner) == 1:
        return {"rubric": "the rubric", "labels": "the labels"}[owner[0]]
    return {"glossary": "glossary term", "profiles": "profile", "scale": "level",
            "answer_scales": "answer scale", "bands": "the band from", "frameworks": "framework",
            "areas": "area", "groups": "group", "criteria": "criterion"}[owner[0]] \
        + f" `{owner[1]}`"


def _field(key: tuple[str, ...]) -> str:
    if key[0] in ("rubric", "labels"):
        return key[1]
    rest = key[2:]
    if len(rest) >= 2 and rest[0] == "question_for":
        return f"question for {rest[1]}"
    if len(rest) >= 2 and rest[0] in _SUB:
        return f"{_SUB[rest[0]].split(' for')[0]} {'/'.join(rest[1:])}"
    return " ".join(rest)


def _short(text: str, n: int = 60) -> str:
    s = " ".join(text.split())
    return s if len(s) <= n else s[:n - 1] + "…"
