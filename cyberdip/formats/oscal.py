"""OSCAL interchange: a rubric as an OSCAL catalog and back, a scorecard as OSCAL
assessment-results (docs/oscal.md is the prose version of this module).

Pure functions: data in, JSON-ready dicts (or rubric data) out. Nothing here reads the
clock, the network or a file; the same input gives the same bytes (``to_json``), with
version-5 UUIDs derived from the content they identify.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from cyberdip.errors import CyberdipError

#: cyberdip's own namespace for OSCAL props and parts (a stable identifier, not a page
#: to load).
NS = "https://cyberdip.example/ns/oscal"
#: The namespace of every UUID cyberdip writes: ``uuid5(NAMESPACE_URL, NS)``, fixed.
UUID_NAMESPACE = uuid.UUID("76366553-c96d-58a6-baff-a815d52531fd")
VERSIONS = ("1.1.2", "1.2.1")
DEFAULT_VERSION = "1.1.2"
#: The back-matter resource that carries the rubric settings OSCAL has no place for.
SETTINGS_FILE = "cyberdip-rubric-settings.json"
#: The rubric-level fields carried in that resource, as JSON.
SETTINGS_FIELDS = ("format", "id", "language", "labels", "glossary", "tags", "profiles",
                   "frameworks", "scale", "answer_scales", "scoring", "index")

_TOKEN = re.compile(r"^[^\W\d](?:[\w.-])*$")
_STRING = re.compile(r"^\S(.*\S)?$")


class ExportError(CyberdipError):
    """A document that cannot be written as OSCAL, and why."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message, path=path, code="CD406", exit_code=1)


# -- ids, uuids, values -----------------------------------------------------------------


def oscal_id(native: str) -> str:
    """An OSCAL id for a cyberdip id. OSCAL ids start with a letter or ``_``; cyberdip's
    start with a letter or a digit, and never with ``_``. An id that starts with a
    digit gets ``_`` in front (``1.2`` -> ``_1.2``); any other is kept as it is."""
    return native if native[:1].isalpha() else "_" + native


def native_id(token: str) -> str:
    """The inverse of ``oscal_id``."""
    return token[1:] if token.startswith("_") else token


def uid(kind: str, content: Any) -> str:
    """A version-5 UUID for ``content`` (anything JSON can hold) of the given kind."""
    text = kind + "\n" + json.dumps(content, sort_keys=True, ensure_ascii=False,
                                    allow_nan=False)
    return str(uuid.uuid5(UUID_NAMESPACE, text))


def to_json(document: dict) -> str:
    """The document as written: indented, keys in the order built, UTF-8, newline."""
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _num(x: float | int) -> str:
    return str(x) if isinstance(x, int) else repr(float(x))


def _prop(name: str, value: Any, *, ns: str | None = NS, cls: str | None = None,
          remarks: str | None = None) -> dict:
    text = value if isinstance(value, str) else (
        ("true" if value else "false") if isinstance(value, bool) else _num(value))
    if not _STRING.match(text):
        raise ExportError(f"the {name} `{text[:40]}` cannot be an OSCAL property: it starts or "
                          "ends with a space or holds a line break; edit it and export again")
    p: dict[str, Any] = {"name": name}
    if ns:
        p["ns"] = ns
    p["value"] = text
    if cls:
        p["class"] = cls
    if remarks:
        p["remarks"] = remarks
    return p


def _line(text: str, what: str) -> str:
    """A title (OSCAL markup-line): one line."""
    if "\n" in text or not text.strip():
        raise ExportError(f"the {what} `{text[:40]}` cannot be an OSCAL title: it holds a line "
                          "break; make it one line and export again")
    return text


def _part(name: str, prose: str | None = None, *, ns: str | None = NS, props=None,
          parts=None, pid: str | None = None, title: str | None = None) -> dict:
    p: dict[str, Any] = {}
    if pid:
        p["id"] = pid
    p["name"] = name
    if ns:
        p["ns"] = ns
    if title:
        p["title"] = title
    if props:
        p["props"] = props
    if prose is not None:
        p["prose"] = prose
    if parts:
        p["parts"] = parts
    return p


def _timestamp(date: Any) -> str:
    return f"{date}T00:00:00Z"


# -- a rubric as a catalog -------------------------------------------------------------


def catalog(rubric, version: str = DEFAULT_VERSION) -> dict:
    """The rubric as an OSCAL catalog of ``version``. Its ``released`` date is the
    catalog's last-modified time; a rubric without one cannot be exported."""
    if version not in VERSIONS:
        raise ExportError(f"OSCAL version {version} is not one cyberdip writes "
                          f"({', '.join(VERSIONS)})")
    if rubric.released is None:
        raise ExportError("the rubric declares no `released` date, which an OSCAL catalog "
                          "needs as its last-modified time; add `released: YYYY-MM-DD` (the "
                          "day this version was released) to the rubric")
    resources = [_source_resource(key, s) for key, s in rubric.sources.items()]
    settings = rubric.model_dump(mode="json", include=set(SETTINGS_FIELDS))
    blob = json.dumps(settings, sort_keys=True, ensure_ascii=False, allow_nan=False)
    settings_res = {
        "title": "cyberdip rubric settings",
        "description": "The rubric's settings that OSCAL has no place for (its scale, "
                       "answer scales, scoring rules, profiles, frameworks, glossary, tags "
                       "and index bands), as the JSON file cyberdip reads back.",
        "props": [_prop("role", "rubric-settings")],
        "base64": {"filename": SETTINGS_FILE, "media-type": "application/json",
                   "value": base64.b64encode(blob.encode("utf-8")).decode("ascii")},
    }
    resources.append({"uuid": uid("resource", settings_res), **settings_res})
    source_uuid = {key: r["uuid"] for key, r in zip(rubric.sources, resources, strict=False)}
    groups = [_area_group(rubric, a, source_uuid) for a in rubric.areas]
    metadata: dict[str, Any] = {
        "title": _line(rubric.title, "rubric title"),
        "last-modified": _timestamp(rubric.released),
        "version": rubric.version,
        "oscal-version": version,
        "props": [_prop("rubric-id", rubric.id), _prop("format", rubric.format),
                  _prop("language", rubric.language)],
        "remarks": rubric.description,
    }
    body = {"metadata": metadata, "groups": groups, "back-matter": {"resources": resources}}
    return {"catalog": {"uuid": uid("catalog", body), **body}}


def _source_resource(key: str, s) -> dict:
    res: dict[str, Any] = {"title": _line(s.title, "source title")}
    if s.venue:
        res["description"] = s.venue
    props = [_prop("source-key", key), _prop("year", s.year)]
    props += [_prop("author", a) for a in s.authors]
    res["props"] = props
    if s.doi:
        res["document-ids"] = [{"scheme": "http://www.doi.org/", "identifier": s.doi}]
    res["citation"] = {"text": f"{s.citation()}, {s.title}"}
    if s.url:
        res["rlinks"] = [{"href": s.url}]
    return {"uuid": uid("resource", {"key": key, **res}), **res}


def _area_group(rubric, area, source_uuid) -> dict:
    g: dict[str, Any] = {"id": oscal_id(area.id), "class": "area",
                         "title": _line(area.title, "area title"),
                         "props": [_prop("weight", area.weight),
                                   _prop("context", area.context)]}
    if area.description is not None:
        g["parts"] = [_part("overview", area.description, ns=None)]
    _children(g, rubric, area, source_uuid)
    return g


def _group(rubric, group, source_uuid) -> dict:
    g: dict[str, Any] = {"id": oscal_id(group.id), "class": "group",
                         "title": _line(group.title or group.id, "group title")}
    if group.title is None:
        g["props"] = [_prop("titled", False)]
    if group.description is not None:
        g["parts"] = [_part("overview", group.description, ns=None)]
    _children(g, rubric, group, source_uuid)
    return g


def _children(g: dict, rubric, owner, source_uuid) -> None:
    if owner.groups:
        g["groups"] = [_group(rubric, sub, source_uuid) for sub in owner.groups]
    if owner.criteria:
        g["controls"] = [_control(rubric, c, source_uuid) for c in owner.criteria]


def _control(rubric, c, source_uuid) -> dict:
    cid = oscal_id(c.id)
    props = [_prop("kind", c.kind), _prop("weight", c.weight), _prop("critical", c.critical)]
    if c.title is None:
        props.append(_prop("titled", False))
    if c.stage is not None:
        props.append(_prop("stage", c.stage))
    for p in c.applies_to or []:
        props.append(_prop("applies-to", p))
    if c.applies_to == []:
        props.append(_prop("applies-to-none", True))
    for t in c.tags:
        props.append(_prop("tag", t))
    if c.kind == "boolean":
        props += [_prop("met-level", c.boolean.met), _prop("not-met-level", c.boolean.not_met)]
    elif c.kind == "choice":
        props.append(_prop("answer-scale", c.answer_scale))
    elif c.kind == "metric":
        m = c.metric
        props += [_prop("metric-unit", m.unit), _prop("metric-better", m.better),
                  _prop("metric-scoring", m.scoring)]
        if m.min is not None:
            props.append(_prop("metric-min", m.min))
        if m.max is not None:
            props.append(_prop("metric-max", m.max))
        for lv, t in sorted(m.thresholds.items()):
            props.append(_prop("metric-threshold", t, cls=f"level-{lv}"))
    for m in c.mappings:
        props.append(_prop("mapping", f"{m.framework}/{m.item}", cls=m.relationship,
                           remarks=m.note))
    if c.crosswalk is not None:
        cw = c.crosswalk
        if cw.itu_gci:
            props.append(_prop("crosswalk-itu-gci", cw.itu_gci))
        if cw.nist_csf:
            props.append(_prop("crosswalk-nist-csf", cw.nist_csf))
        for n in cw.un_gge:
            props.append(_prop("crosswalk-un-gge", n))
        if not (cw.itu_gci or cw.nist_csf or cw.un_gge):
            props.append(_prop("crosswalk-empty", True))

    statement_parts = [_part("question-for", q, props=[_prop("profile", p)])
                       for p, q in c.question_for.items()]
    parts = [_part("statement", c.question, ns=None, pid=f"{cid}_smt",
                   parts=statement_parts or None)]
    for lv, text in sorted(c.levels.items()):
        parts.append(_part("level", text, props=[_prop("level", lv)]))
    for lv, ind in c.indicator_list():
        sub = [_part("note", ind.note)] if ind.note is not None else None
        parts.append(_part("assessment-objective", ind.text, ns=None,
                           props=[_prop("level", lv), _prop("indicator", ind.id)], parts=sub))
    for lv, text in sorted(c.recommendations.items()):
        parts.append(_part("guidance", text, ns=None, props=[_prop("level", lv)]))
    links = []
    for cite in c.sources:
        sub = [_part("section", cite.section)]
        if cite.topic is not None:
            sub.append(_part("topic", cite.topic))
        if cite.note is not None:
            sub.append(_part("note", cite.note))
        parts.append(_part("citation", None, props=[_prop("source", cite.ref)], parts=sub))
        link = {"href": f"#{source_uuid[cite.ref]}", "rel": "reference"}
        if link not in links:
            links.append(link)
    ctl: dict[str, Any] = {"id": cid, "class": "criterion",
                           "title": _line(c.label, "criterion title"), "props": props}
    if links:
        ctl["links"] = links
    ctl["parts"] = parts
    return ctl


# -- a catalog back into a rubric ---------------------------------------------------------


@dataclass
class Imported:
    """A rubric's data read from a catalog, and what could not be carried over."""

    data: dict
    ours: bool
    dropped: list[str] = field(default_factory=list)


def _props(obj: dict, name: str) -> list[dict]:
    return [p for p in obj.get("props") or [] if p.get("ns") == NS and p.get("name") == name]


def _one(obj: dict, name: str, default: Any = None) -> Any:
    found = _props(obj, name)
    return found[0]["value"] if found else default


def _number(text: str) -> int | float:
    return int(text) if re.fullmatch(r"-?\d+", text) else float(text)


def _bool(text: str | None) -> bool:
    return text == "true"


def parse_json(data: bytes, path: str) -> Any:
    """JSON text to data; invalid JSON is a located problem (CD407)."""
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise CyberdipError("the file is not UTF-8 text; an OSCAL catalog is JSON in UTF-8",
                            path=path, code="CD407", exit_code=1) from None
    except json.JSONDecodeError as e:
        raise CyberdipError(f"invalid JSON: {e.msg}", path=path, line=e.lineno, col=e.colno,
                            code="CD407", exit_code=1) from None
    except RecursionError:
        raise CyberdipError("the JSON is nested too deeply to be an OSCAL catalog", path=path,
                            code="CD407", exit_code=1) from None


def _no_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not a JSON number", name, 0)


def rubric_yaml(imported: Imported, source_name: str) -> str:
    """The imported rubric as the YAML file written, with a line saying where it came
    from (and, for a skeleton, that it is one)."""
    from cyberdip.textsafe import for_terminal
    from cyberdip.yamlio import dump

    data = dict(imported.data)
    if isinstance(data.get("released"), str):
        data["released"] = dt.date.fromisoformat(data["released"])
    name = " ".join(for_terminal(source_name).split())[:80]
    head = (f"# Imported by `cyberdip import-oscal` from the OSCAL catalog {name}.\n"
            if imported.ours else
            f"# A skeleton made by `cyberdip import-oscal` from the OSCAL catalog {name}:\n"
            "# finish it by hand (the command listed what it could not carry over).\n")
    return head + dump(data)


def read_catalog(doc: Any, path: str = "catalog.json") -> Imported:
    """Rubric data from an OSCAL catalog: the exact rubric for a catalog cyberdip
    exported, a skeleton to finish by hand for any other (with what was dropped)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("catalog"), dict):
        raise CyberdipError("this is not an OSCAL catalog in JSON: the top-level key "
                            "`catalog` is missing", path=path, code="CD407", exit_code=1)
    cat = doc["catalog"]
    resources = (cat.get("back-matter") or {}).get("resources") or []
    settings = next((r for r in resources if _one(r, "role") == "rubric-settings"), None)
    try:
        if settings is not None:
            return Imported(_ours(cat, resources, settings), True)
        return _foreign(cat, resources)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
        raise CyberdipError(f"the catalog could not be read: {type(e).__name__} {e}"[:160],
                            path=path, code="CD407", exit_code=1) from None


def _ours(cat: dict, resources: list[dict], settings_res: dict) -> dict:
    settings = json.loads(base64.b64decode(settings_res["base64"]["value"]).decode("utf-8"))
    meta = cat["metadata"]
    data: dict[str, Any] = {"format": settings.pop("format"), "id": settings.pop("id"),
                            "title": meta["title"], "version": meta["version"],
                            "released": meta["last-modified"][:10],
                            "description": meta.get("remarks", "")}
    data["language"] = settings.pop("language")
    key_of: dict[str, str] = {}
    sources: dict[str, Any] = {}
    for r in resources:
        key = _one(r, "source-key")
        if key is None:
            continue
        key_of[r["uuid"]] = key
        s: dict[str, Any] = {"authors": [p["value"] for p in _props(r, "author")],
                             "year": int(_one(r, "year")), "title": r["title"]}
        if "description" in r:
            s["venue"] = r["description"]
        if r.get("document-ids"):
            s["doi"] = r["document-ids"][0]["identifier"]
        if r.get("rlinks"):
            s["url"] = r["rlinks"][0]["href"]
        sources[key] = s
    data["labels"] = settings.pop("labels")
    data["sources"] = sources
    data.update(settings)
    data["areas"] = [_area_back(g) for g in cat.get("groups") or []]
    return data


def _overview(g: dict) -> str | None:
    return next((p.get("prose") for p in g.get("parts") or []
                 if p["name"] == "overview"), None)


def _area_back(g: dict) -> dict:
    a: dict[str, Any] = {"id": native_id(g["id"]), "title": g["title"]}
    if _overview(g) is not None:
        a["description"] = _overview(g)
    a["weight"] = float(_one(g, "weight", "1.0"))
    a["context"] = _bool(_one(g, "context"))
    a["criteria"] = [_criterion_back(c) for c in g.get("controls") or []]
    a["groups"] = [_group_back(sub) for sub in g.get("groups") or []]
    return a


def _group_back(g: dict) -> dict:
    out: dict[str, Any] = {"id": native_id(g["id"])}
    if _one(g, "titled") != "false":
        out["title"] = g["title"]
    if _overview(g) is not None:
        out["description"] = _overview(g)
    out["criteria"] = [_criterion_back(c) for c in g.get("controls") or []]
    out["groups"] = [_group_back(sub) for sub in g.get("groups") or []]
    return out


def _level(part: dict) -> int:
    return int(_one(part, "level"))


def _criterion_back(ctl: dict) -> dict:
    c: dict[str, Any] = {"id": native_id(ctl["id"]), "kind": _one(ctl, "kind")}
    if _one(ctl, "titled") != "false":
        c["title"] = ctl["title"]
    parts = ctl.get("parts") or []
    smt = next(p for p in parts if p["name"] == "statement")
    c["question"] = smt["prose"]
    c["question_for"] = {_one(p, "profile"): p["prose"] for p in smt.get("parts") or []
                         if p["name"] == "question-for"}
    c["weight"] = float(_one(ctl, "weight"))
    c["critical"] = _bool(_one(ctl, "critical"))
    if _one(ctl, "stage") is not None:
        c["stage"] = int(_one(ctl, "stage"))
    applies = [p["value"] for p in _props(ctl, "applies-to")]
    if applies or _one(ctl, "applies-to-none") == "true":
        c["applies_to"] = applies
    c["levels"] = {_level(p): p["prose"] for p in parts if p["name"] == "level"}
    indicators: dict[int, list] = {}
    for p in parts:
        if p["name"] == "assessment-objective":
            ind: dict[str, Any] = {"id": _one(p, "indicator"), "text": p["prose"]}
            for sub in p.get("parts") or []:
                if sub["name"] == "note":
                    ind["note"] = sub["prose"]
            indicators.setdefault(_level(p), []).append(ind)
    c["indicators"] = indicators
    c["recommendations"] = {_level(p): p["prose"] for p in parts if p["name"] == "guidance"}
    sources = []
    for p in parts:
        if p["name"] == "citation":
            cite: dict[str, Any] = {"ref": _one(p, "source")}
            for sub in p.get("parts") or []:
                cite[sub["name"]] = sub["prose"]
            sources.append(cite)
    c["sources"] = sources
    kind = c["kind"]
    if kind == "boolean":
        c["boolean"] = {"met": int(_one(ctl, "met-level")),
                        "not_met": int(_one(ctl, "not-met-level"))}
    elif kind == "choice":
        c["answer_scale"] = _one(ctl, "answer-scale")
    elif kind == "metric":
        m: dict[str, Any] = {"unit": _one(ctl, "metric-unit"),
                             "better": _one(ctl, "metric-better"),
                             "scoring": _one(ctl, "metric-scoring")}
        for end in ("min", "max"):
            if _one(ctl, f"metric-{end}") is not None:
                m[end] = _number(_one(ctl, f"metric-{end}"))
        m["thresholds"] = {int(p["class"].removeprefix("level-")): _number(p["value"])
                           for p in _props(ctl, "metric-threshold")}
        c["metric"] = m
    cw: dict[str, Any] = {}
    if _one(ctl, "crosswalk-itu-gci"):
        cw["itu_gci"] = _one(ctl, "crosswalk-itu-gci")
    if _one(ctl, "crosswalk-nist-csf"):
        cw["nist_csf"] = _one(ctl, "crosswalk-nist-csf")
    un = [p["value"] for p in _props(ctl, "crosswalk-un-gge")]
    if un:
        cw["un_gge"] = un
    if cw or _one(ctl, "crosswalk-empty") == "true":
        c["crosswalk"] = cw
    mappings = []
    for p in _props(ctl, "mapping"):
        fw, _, item = p["value"].partition("/")
        mp: dict[str, Any] = {"framework": fw, "item": item, "relationship": p["class"]}
        if "remarks" in p:
            mp["note"] = p["remarks"]
        mappings.append(mp)
    c["mappings"] = mappings
    c["tags"] = [p["value"] for p in _props(ctl, "tag")]
    return c


#: The scale a foreign catalog's skeleton is given: generic, to be replaced by hand.
SKELETON_SCALE = [
    {"level": 0, "name": "Not in place", "meaning": "Nothing of the control is in place."},
    {"level": 1, "name": "Partly in place", "meaning": "Some of the control is in place."},
    {"level": 2, "name": "Largely in place", "meaning": "Most of the control is in place."},
    {"level": 3, "name": "Fully in place", "meaning": "All of the control is in place."},
]

_NATIVE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,78}[A-Za-z0-9])?$")


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
    return s if s and s[0].isalnum() else "imported-catalog"


def _prose(part: dict) -> str:
    """A part's prose with its sub-parts' (a statement's items), one per line."""
    lines = [part["prose"]] if part.get("prose") else []
    for sub in part.get("parts") or []:
        label = next((p.get("value") for p in sub.get("props") or []
                      if p.get("name") == "label"), None)
        text = _prose(sub)
        if text:
            lines.append(f"{label} {text}" if label else text)
    return "\n".join(lines)


def _foreign(cat: dict, resources: list[dict]) -> Imported:
    meta = cat.get("metadata") or {}
    title = str(meta.get("title") or "Imported catalog")
    dropped: list[str] = [
        "the scale: the skeleton has a generic four-level scale (0 Not in place to 3 Fully "
        "in place); replace it with the catalog's method",
        "level descriptors, indicators and recommendations: a catalog has none; write them",
    ]
    released = str(meta.get("last-modified", ""))[:10] or None
    try:
        released = dt.date.fromisoformat(released).isoformat() if released else None
    except ValueError:
        dropped.append(f"the last-modified time `{released}` is not a date: no `released`")
        released = None
    version = str(meta.get("version", ""))
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        dropped.append(f"the catalog's version `{version[:40]}` is not MAJOR.MINOR.PATCH: the "
                       "skeleton is 0.1.0")
        version = "0.1.0"
    parties = [p.get("name") for p in meta.get("parties") or [] if p.get("name")]
    year = int(released[:4]) if released and released[:4].isdigit() else 0
    sources = {"catalog": {"authors": parties or [title], "year": year, "title": title}}
    seen_ids: set[str] = set()
    counters = {"controls": 0}

    def native(token: str, what: str) -> str:
        nid = native_id(str(token))
        if not _NATIVE.match(nid) or nid in seen_ids:
            counters["controls"] += 1
            new = f"{what}-{counters['controls']}"
            dropped.append(f"the id `{str(token)[:40]}` is not a cyberdip id (or is used "
                           f"twice): it is `{new}` here")
            nid = new
        seen_ids.add(nid)
        return nid

    def criterion(ctl: dict, section: str) -> list[dict]:
        cid = native(ctl.get("id", ""), "control")
        parts = ctl.get("parts") or []
        smt = next((p for p in parts if p.get("name") == "statement"), None)
        question = _prose(smt) if smt else ""
        if not question:
            question = str(ctl.get("title") or cid)
            dropped.append(f"`{cid}` has no statement: its question is its title")
        for p in parts:
            if p.get("name") != "statement":
                dropped.append(f"`{cid}`: the part `{p.get('name')}` (not a statement)")
        if ctl.get("params"):
            names = ", ".join(str(p.get("id"))[:40] for p in ctl["params"])
            dropped.append(f"`{cid}`: the parameters {names}")
        if ctl.get("props"):
            names = ", ".join(str(p.get("name"))[:40] for p in ctl["props"])
            dropped.append(f"`{cid}`: the properties {names}")
        c = {"id": cid, "kind": "level", "title": str(ctl.get("title") or cid),
             "question": question,
             "sources": [{"ref": "catalog", "section": section}]}
        out = [c]
        for sub in ctl.get("controls") or []:
            dropped.append(f"`{sub.get('id')}` is an enhancement of `{cid}`: it is a criterion "
                           "beside it")
            out += criterion(sub, section)
        return out

    def group(g: dict, top: bool) -> dict:
        gid = native(g.get("id") or _slug(str(g.get("title", ""))), "group")
        gtitle = str(g.get("title") or gid)
        out: dict[str, Any] = {"id": gid, "title": gtitle}
        overview = [p for p in g.get("parts") or [] if p.get("prose")]
        if overview:
            out["description"] = "\n\n".join(_prose(p) for p in overview)
        out["criteria"] = [c for ctl in g.get("controls") or []
                           for c in criterion(ctl, f"{gid} {gtitle}")]
        out["groups"] = [group(sub, False) for sub in g.get("groups") or []]
        return out

    areas = [group(g, True) for g in cat.get("groups") or []]
    if cat.get("controls"):
        areas.append({"id": native("controls", "area"), "title": "Controls outside a group",
                      "criteria": [c for ctl in cat["controls"]
                                   for c in criterion(ctl, "catalog")], "groups": []})
    if resources:
        dropped.append(f"{len(resources)} back-matter resource(s): the skeleton cites the "
                       "catalog as a whole")
    data: dict[str, Any] = {
        "format": 2, "id": _slug(title), "title": title, "version": version,
        **({"released": released} if released else {}),
        "description": f"A skeleton made from the OSCAL catalog \"{title}\"; finish it by "
                       "hand (see what could not be carried over).",
        "sources": sources, "scale": SKELETON_SCALE, "areas": areas,
    }
    return Imported(data, False, dropped)


# -- a scorecard as assessment-results ----------------------------------------------------


def assessment_results(card, version: str = DEFAULT_VERSION, *,
                       findings: bool = False) -> dict:
    """A scorecard as OSCAL assessment-results: each answer an observation, the index,
    stage and coverage in the result's props; with ``findings``, one finding per
    criterion that has a level and a target (satisfied iff the level reaches the
    target, docs/oscal.md)."""
    if version not in VERSIONS:
        raise ExportError(f"OSCAL version {version} is not one cyberdip writes "
                          f"({', '.join(VERSIONS)})")
    if card.date is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(card.date)):
        raise ExportError("the assessment has no `date` (YYYY-MM-DD), which OSCAL needs as "
                          "the time the observations were collected and the result started; "
                          "add `date:` to the assessment")
    when = _timestamp(card.date)
    no_plan = {"title": "No assessment plan",
               "description": "This self-assessment was made with cyberdip against the rubric "
               f"{card.rubric.id} {card.rubric.version}; no OSCAL assessment plan exists for "
               "it. The rubric, exported as an OSCAL catalog, says what was assessed.",
               "props": [_prop("role", "no-assessment-plan")]}
    no_plan_res = {"uuid": uid("resource", no_plan), **no_plan}
    observations = []
    found = []
    for cr in card.criteria:
        if cr.status == "not-assessed":
            continue
        obs = _observation(cr, when)
        observations.append(obs)
        if findings:
            f = _finding(cr, obs["uuid"])
            if f is not None:
                found.append(f)
    org = card.organisation
    who = ", ".join(x for x in (org.name, org.unit) if x) or "an organisation"
    result_props = [_prop("index", card.index if card.index is not None else "none"),
                    _prop("stage", card.stage if card.stage is not None else "none"),
                    _prop("coverage", card.coverage),
                    _prop("provisional", card.provisional),
                    _prop("strict", card.strict)]
    if card.stage_name:
        result_props.append(_prop("stage-name", card.stage_name))
    if card.band is not None:
        result_props.append(_prop("band", card.band.name))
    result: dict[str, Any] = {
        "title": _line(f"Self-assessment of {who}", "organisation"),
        "description": f"Answers to the rubric {card.rubric.title} ({card.rubric.id} "
                       f"{card.rubric.version}), scored by cyberdip {card.cyberdip_version}.",
        "start": when,
        "props": result_props,
        "reviewed-controls": {"control-selections": [{"include-controls": [
            {"control-id": oscal_id(cr.id)} for cr in card.criteria]}]},
    }
    if observations:
        result["observations"] = observations
    if found:
        result["findings"] = found
    result = {"uuid": uid("result", result), **result}
    meta_props = []
    if card.marking:
        meta_props.append(_prop("marking", card.marking, ns=None))
    meta_props += [_prop("rubric-id", card.rubric.id),
                   _prop("rubric-version", card.rubric.version),
                   _prop("illustrative", card.illustrative)]
    if card.profile:
        meta_props.append(_prop("profile", card.profile))
    if card.period:
        meta_props.append(_prop("period", card.period))
    metadata = {"title": _line(f"Assessment results: {who}, {card.date}", "organisation"),
                "last-modified": when, "version": str(card.date), "oscal-version": version,
                "props": meta_props}
    body = {"metadata": metadata,
            "import-ap": {"href": f"#{no_plan_res['uuid']}"},
            "results": [result],
            "back-matter": {"resources": [no_plan_res]}}
    return {"assessment-results": {"uuid": uid("assessment-results", body), **body}}


def _observation(cr, when: str) -> dict:
    if cr.status == "not-applicable":
        description = f"Not applicable: {cr.not_applicable_reason or 'no reason given'}"
    elif cr.level is not None:
        description = f"Level {cr.level} ({cr.level_name})" + (
            f": {cr.descriptor}" if cr.descriptor else "")
    elif cr.answer is not None:
        description = f"Answer: {cr.answer_name or cr.answer}"
    elif cr.value is not None:
        description = f"Value: {_num(cr.value)} {cr.unit or ''}".rstrip()
    else:
        description = "Answered"
    evidence = [e for e in cr.evidence]
    evidence += [e for ind in cr.indicators for e in ind.evidence]
    props = [_prop("criterion", oscal_id(cr.id)), _prop("status", cr.status)]
    for name in ("level", "claimed_level", "target", "score", "value"):
        v = getattr(cr, name)
        if v is not None:
            props.append(_prop(name.replace("_", "-"), v))
    if cr.answer is not None:
        props.append(_prop("answer", cr.answer))
    if cr.unsupported:
        props.append(_prop("unsupported", True))
    obs: dict[str, Any] = {
        "title": _line(f"{cr.id}: {' '.join(cr.title.split())}", "criterion title"),
        "description": description,
        "props": props,
        "methods": ["EXAMINE"] if evidence else ["INTERVIEW"],
    }
    if evidence:
        seen: list[dict] = []
        for e in evidence:
            item = {"href": e.text, "description": e.text} if e.link else {
                "description": e.text}
            dated = [_prop(name, v) for name, v in (
                ("evidence-date", getattr(e, "date", None)),
                ("valid-until", getattr(e, "valid_until", None)),
                ("sha256", getattr(e, "sha256", None)),
                ("reference", getattr(e, "ref", None)),
                ("stale", True if getattr(e, "stale", None) else None),
                ("expired", True if getattr(e, "expired", None) else None)) if v]
            if dated:  # the date it refers to, how long it holds, where it is kept
                item["props"] = dated
            if item not in seen:
                seen.append(item)
        obs["relevant-evidence"] = seen
    obs["collected"] = when
    if cr.notes:
        obs["remarks"] = cr.notes
    return {"uuid": uid("observation", {"when": when, **obs}), **obs}


def finding_state(level: int | None, target: int | None, satisfied: bool | None) -> str | None:
    """How a finding is decided: ``satisfied`` iff the scored level reaches the target;
    a criterion without a level follows its answer's ``satisfies`` (C2M2's practices);
    None (no finding) when neither can be said."""
    if level is not None and target is not None:
        return "satisfied" if level >= target else "not-satisfied"
    if satisfied is not None:
        return "satisfied" if satisfied else "not-satisfied"
    return None


def _finding(cr, obs_uuid: str) -> dict | None:
    if cr.status != "assessed":
        return None
    state = finding_state(cr.level, cr.target, cr.satisfied)
    if state is None:
        return None
    if cr.level is not None and cr.target is not None:
        why = f"level {cr.level} {'reaches' if state == 'satisfied' else 'is below'} the " \
              f"target {cr.target}"
    else:
        why = f"the answer {'counts' if state == 'satisfied' else 'does not count'} as the " \
              "practice performed"
    f: dict[str, Any] = {
        "title": _line(f"{cr.id}: {' '.join(cr.title.split())}", "criterion title"),
        "description": f"{state.replace('-', ' ').capitalize()}: {why}.",
        "target": {"type": "statement-id", "target-id": f"{oscal_id(cr.id)}_smt",
                   "status": {"state": state}},
        "related-observations": [{"observation-uuid": obs_uuid}],
    }
    return {"uuid": uid("finding", f), **f}
