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

TOP_KEYS = ("translates", "rubric_version", "language", "status", "partial", "rubric", "scale",
            "areas", "criteria")
LANG_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


def rubric_strings(rubric: Rubric) -> dict[tuple[str, ...], str]:
    """Every translatable string of ``rubric`` that a report shows, by its key."""
    out: dict[tuple[str, ...], str] = {("rubric", "title"): rubric.title}
    for s in rubric.scale or []:
        out[("scale", str(s.level), "name")] = s.name
        out[("scale", str(s.level), "meaning")] = s.meaning
    for a in rubric.areas:
        out[("areas", a.id, "title")] = a.title
        for c in a.all_criteria():
            if c.title:  # optional in format 2: the question is shown instead
                out[("criteria", c.id, "title")] = c.title
            out[("criteria", c.id, "question")] = c.question
            for _, ind in c.indicator_list():
                out[("criteria", c.id, "indicators", ind.id)] = ind.text
            for lv, text in sorted(c.levels.items()):
                out[("criteria", c.id, "levels", str(lv))] = text
            for lv, text in sorted(c.recommendations.items()):
                out[("criteria", c.id, "recommendations", str(lv))] = text
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
    known = _known_ids(rubric)
    stale = 0

    def entry(loc: tuple, key: tuple[str, ...]) -> None:
        nonlocal stale
        node = _get(data, loc)
        if key not in english:
            return
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

    def walk(loc: tuple, node: Any, depth_keys: list[str]) -> None:
        """Check ids and field names of a section against the rubric."""
        if not isinstance(node, dict):
            add(loc, "error", "CD104", f"`{'.'.join(map(str, loc))}` must be a mapping")
            return
        section = loc[0]
        for k, v in node.items():
            ks = str(k)
            here = (*loc, k)
            if len(loc) == 1 and section != "rubric":  # an id: area, criterion or level
                ids = known[section]
                if ks not in ids:
                    hint = did_you_mean(ks, list(ids))
                    add(here, "error", "CD501", f"`{ks}` is not {_kind(section)} of "
                        f"`{rubric.id}`" + (f": {hint}" if hint else ""), key=True)
                    continue
                if not isinstance(v, dict):
                    add(here, "error", "CD104", f"the translation of `{ks}` must be a mapping "
                        "of its fields")
                    continue
                for f, sub in v.items():
                    fkey = (section, ks, str(f))
                    if f in ("levels", "recommendations", "indicators") and \
                            section == "criteria":
                        what = "indicator ids" if f == "indicators" else "levels"
                        if not isinstance(sub, dict):
                            add((*here, f), "error", "CD104", f"`{f}` must be a mapping of "
                                f"{what}")
                            continue
                        for lv in sub:
                            if (*fkey, str(lv)) not in english:
                                add((*here, f, lv), "error", "CD501", f"`{ks}` has no "
                                    + (f"indicator `{lv}`" if f == "indicators" else
                                       f"{f[:-1]} for level {lv}") + " in the rubric",
                                    key=True)
                            else:
                                entry((*here, f, lv), (*fkey, str(lv)))
                    elif fkey in english:
                        entry((*here, f), fkey)
                    else:
                        add((*here, f), "error", "CD501", f"`{f}` is not a translatable "
                            f"field of {_kind(section)} (known: {_fields(section)})", key=True)
            else:  # rubric: title
                key = (section, ks)
                if key not in english:
                    add(here, "error", "CD501", f"`{ks}` is not a translatable field of the "
                        "rubric (known: title)", key=True)
                else:
                    entry(here, key)

    for section in ("rubric", "scale", "areas", "criteria"):
        if section in data and data[section] is not None:
            walk((section,), data[section], [])
    # what has no translation at all: one warning per area or criterion, located at its
    # entry when it has one, else at its section
    # (none for a file marked partial: its coverage is said once, as a note)
    missing = [k for k in english if k not in t.entries and not t.partial]
    by_owner: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for k in missing:
        by_owner.setdefault(k[:2], []).append(k)
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


def _known_ids(rubric: Rubric) -> dict[str, set[str]]:
    return {"scale": {str(s.level) for s in rubric.scale or []},
            "areas": {a.id for a in rubric.areas},
            "criteria": {c.id for _, c in rubric.criteria()}}


def _kind(section: str) -> str:
    return {"scale": "a level of the scale", "areas": "an area",
            "criteria": "a criterion"}[section]


def _fields(section: str) -> str:
    return {"scale": "name, meaning", "areas": "title",
            "criteria": "title, question, levels, recommendations, indicators"}[section]


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


def _where(key: tuple[str, ...]) -> str:
    return f"`{key[1]}` {_field(key)}" if key[0] != "rubric" else "the rubric's title"


def _owner(owner: tuple[str, ...]) -> str:
    if owner[0] == "rubric":
        return "the rubric"
    return {"scale": "level", "areas": "area", "criteria": "criterion"}[owner[0]] \
        + f" `{owner[1]}`"


def _field(key: tuple[str, ...]) -> str:
    if key[0] == "rubric":
        return key[1]
    if len(key) == 4:
        return f"{key[2][:-1]} {key[3]}"
    return key[2]


def _short(text: str, n: int = 60) -> str:
    s = " ".join(text.split())
    return s if len(s) <= n else s[:n - 1] + "…"
