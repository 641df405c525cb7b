"""The cycle's sections and carry-forward, as plain data: which criteria a section
holds, last year's answers carried into this year's questionnaire, and the cycle
manifest (``cycle.yaml``) that records what was sent, to whom. Pure: takes and returns
data and text; the CLI reads and writes the files (docs/cycle.md).

The manifest::

    # The sections of this cycle, as `cyberdip init --respondent` sent them.
    cycle: 1                      # the manifest's format
    rubric: cyberdip-core         # the rubric every section answers: a built-in id, or a
                                  # path relative to the manifest
    rubric_version: 2.0.0
    sections:
      - respondent: Policy Planning   # the key: one entry per respondent
        file: policy.xlsx             # what was written, relative to the manifest
        areas: [strategy, capacity]   # as asked (--areas)
        criteria: []                  # as asked (--criteria)
        ids: [strategy.x, ...]        # the criteria the section holds
        carried_from: berlin-2025.yaml  # when answers were carried forward (--from)

Entries are updated by respondent and never dropped: sending a section again to the
same respondent replaces that entry, in place; any other entry is kept as it was.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from cyberdip.errors import Problem
from cyberdip.model.rubric import Rubric

MANIFEST_FORMAT = 1
#: What a respondent writes in a sheet's `confirm` column about a carried answer.
CONFIRM_WORDS = {"yes": "yes", "y": "yes", "confirmed": "yes", "changed": "changed",
                 "clear": "clear", "cleared": "clear"}


def _ids(text: list[str] | None) -> list[str]:
    return [t.strip() for part in text or [] for t in part.split(",") if t.strip()]


def select(rubric: Rubric, areas: list[str] | None, criteria: list[str] | None,
           profile: str | None = None) -> tuple[list[str], list[str]]:
    """The criterion ids a section holds: every criterion (asked of ``profile``) of the
    ``areas``, and the ``criteria`` named, in rubric order; and a message per unknown
    id, with a did-you-mean."""
    from cyberdip.model.fields import did_you_mean

    profile = profile or rubric.default_profile()
    area_ids = [a.id for a in rubric.areas]
    by_area = {a.id: [c.id for c in a.all_criteria() if c.applies(profile)]
               for a in rubric.areas}
    every = [cid for a in rubric.areas for cid in by_area[a.id]]
    all_ids = [c.id for _, c in rubric.criteria()]
    wanted: set[str] = set()
    errors: list[str] = []
    for a in _ids(areas):
        if a not in by_area:
            hint = did_you_mean(a, area_ids)
            errors.append(f"--areas: `{a}` is not an area of `{rubric.id}`"
                          + (f"; {hint}" if hint else f" (its areas: {', '.join(area_ids)})"))
            continue
        wanted.update(by_area[a])
    for cid in _ids(criteria):
        if cid not in all_ids:
            hint = did_you_mean(cid, all_ids)
            errors.append(f"--criteria: `{cid}` is not a criterion of `{rubric.id}`"
                          + (f"; {hint}" if hint else
                             " (`cyberdip init RUBRIC -o x.yaml` lists them)"))
            continue
        if cid not in every:
            errors.append(f"--criteria: `{cid}` is not asked of the profile `{profile}`")
            continue
        wanted.add(cid)
    return [cid for cid in every if cid in wanted], errors


# -- carrying last year's answers forward ----------------------------------------------


#: What is not carried: who said what last year, and the marker (set afresh).
_NOT_CARRIED = ("respondents", "carried")


def carry(previous: dict[str, Any], source: str, ids: list[str]
          ) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Last year's answers (``previous``: an assessment's data) to the criteria ``ids``,
    each marked ``carried`` (from ``source``, with that assessment's period and date),
    and the marker itself. An answer still carried and unconfirmed last year keeps its
    older marker: it was never re-confirmed. Evidence keeps its text as written."""
    marker: dict[str, Any] = {"source": source}
    for k in ("period", "date"):
        if previous.get(k) not in (None, ""):
            marker[k] = previous[k] if k == "date" else str(previous[k])
    answers = previous.get("answers") or {}
    out: dict[str, dict[str, Any]] = {}
    for cid in ids:
        a = answers.get(cid)
        if not isinstance(a, dict):
            continue
        kept = {k: copy.deepcopy(v) for k, v in a.items()
                if k not in _NOT_CARRIED and v not in (None, [], {})}
        said = any(k in kept for k in ("level", "met", "value", "answer", "indicators",
                                       "not_applicable"))
        if not said:
            continue
        kept["carried"] = copy.deepcopy(a["carried"]) if isinstance(
            a.get("carried"), dict) else dict(marker)
        out[cid] = kept
    return out, marker


@dataclass(frozen=True)
class Section:
    """What makes a questionnaire a section of a cycle: the criteria it holds (all when
    ``only`` is None), its respondent, the answers carried into it and their marker,
    and the organisation's details carried with them."""

    only: frozenset[str] | None = None
    respondent: str | None = None
    prefill: dict[str, dict[str, Any]] = field(default_factory=dict)
    carried: dict[str, Any] | None = None
    organisation: dict[str, Any] = field(default_factory=dict)

    def holds(self, cid: str) -> bool:
        return self.only is None or cid in self.only


# -- the manifest -------------------------------------------------------------------------


@dataclass
class Manifest:
    rubric: str
    rubric_version: str
    sections: list[dict[str, Any]] = field(default_factory=list)

    def put(self, entry: dict[str, Any]) -> bool:
        """Add or replace the entry of ``entry['respondent']``; True when it replaced."""
        for i, e in enumerate(self.sections):
            if e.get("respondent") == entry["respondent"]:
                self.sections[i] = entry
                return True
        self.sections.append(entry)
        return False

    def names(self) -> list[str]:
        return [str(e["respondent"]) for e in self.sections]

    def text(self) -> str:
        from cyberdip.yamlio import dump

        head = ("# The sections of this assessment cycle, as `cyberdip init --respondent` "
                "sent them\n# (docs/cycle.md). `cyberdip merge` and `cyberdip status` read "
                "it to name the\n# sections that have not come back.\n")
        return head + dump({"cycle": MANIFEST_FORMAT, "rubric": self.rubric,
                            "rubric_version": self.rubric_version,
                            "sections": self.sections})


def read_manifest(data: Any, path: str) -> tuple[Manifest | None, list[Problem]]:
    """The manifest in ``data`` (parsed YAML), or the problems that keep it from being
    one (CD706)."""
    def bad(msg: str) -> tuple[None, list[Problem]]:
        return None, [Problem(path, 0, 0, "error", "CD706", msg + "; a cycle manifest is "
                              "written by `cyberdip init --respondent` (docs/cycle.md)")]

    if not isinstance(data, dict) or data.get("cycle") != MANIFEST_FORMAT:
        return bad("not a cycle manifest (it needs `cycle: 1`)")
    rubric, version = data.get("rubric"), data.get("rubric_version")
    sections = data.get("sections")
    if not isinstance(rubric, str) or not isinstance(version, str):
        return bad("`rubric` and `rubric_version` must be text")
    if sections is None:
        sections = []
    if not isinstance(sections, list):
        return bad("`sections` must be a list")
    seen: set[str] = set()
    for i, e in enumerate(sections):
        if not isinstance(e, dict) or not isinstance(e.get("respondent"), str) \
                or not e["respondent"].strip():
            return bad(f"section {i + 1} has no `respondent`")
        if not isinstance(e.get("ids", []), list) or not isinstance(e.get("file", ""), str):
            return bad(f"section {i + 1} (`{e['respondent'][:40]}`): `ids` must be a list "
                       "and `file` text")
        if e["respondent"] in seen:
            return bad(f"the respondent `{e['respondent'][:40]}` has two sections")
        seen.add(e["respondent"])
    return Manifest(rubric, version, list(sections)), []


def section_of(data: dict[str, Any]) -> str | None:
    """The section an assessment (its data) answers: its `section:`, else None."""
    s = data.get("section") if isinstance(data, dict) else None
    return s if isinstance(s, str) and s.strip() else None




def load_manifest(path: str) -> Manifest:
    """The manifest at ``path``; raises InvalidInput (CD706) when it is not one."""
    from cyberdip import yamlio
    from cyberdip.errors import InvalidInput

    manifest, problems = read_manifest(yamlio.load(path).data, path)
    if manifest is None:
        raise InvalidInput(problems)
    return manifest



# -- which sections are back --------------------------------------------------------------


def _said(a: Any) -> bool:
    """Whether an answer (as data) gives a value or N/A."""
    if not isinstance(a, dict):
        return False
    if any(a.get(k) is not None for k in ("level", "met", "value", "answer")):
        return True
    if a.get("not_applicable") not in (None, False, ""):
        return True
    inds = a.get("indicators")
    return isinstance(inds, dict) and any(
        (v.get("met") if isinstance(v, dict) else v) is not None for v in inds.values())


@dataclass
class SectionStatus:
    respondent: str
    sent: str  # the file written for it, as the manifest names it
    file: str | None = None  # the file it came back in
    answered: int = 0  # answers given or confirmed (not carried and unconfirmed)
    to_confirm: list[str] = field(default_factory=list)  # carried, not re-confirmed

    @property
    def back(self) -> bool:
        return self.file is not None

    def as_json(self) -> dict[str, Any]:
        return {"respondent": self.respondent, "sent": self.sent, "back": self.back,
                "file": self.file, "answered": self.answered,
                "to_confirm": list(self.to_confirm)}


def section_status(manifest: Manifest, files: list[tuple[str, dict[str, Any]]]
                   ) -> list[SectionStatus]:
    """Each section of ``manifest``, with the file it came back in (``files``: name and
    assessment data of each file found). A section is **back** when a file naming it
    (``section:``) holds an answer given or confirmed by its respondent, one that is not
    carried and unconfirmed; a questionnaire still as it was sent is not back. With
    several such files, the one with the most such answers (then the first name)."""
    out = []
    for e in manifest.sections:
        st = SectionStatus(str(e["respondent"]), str(e.get("file") or ""))
        best: tuple[int, str, list[str]] | None = None
        for name, data in sorted(files):
            if section_of(data) != st.respondent:
                continue
            answers = data.get("answers") or {}
            if not isinstance(answers, dict):
                continue
            given = [cid for cid, a in answers.items() if _said(a)]
            carried = [cid for cid in given if isinstance(answers[cid], dict)
                       and answers[cid].get("carried")]
            own = len(given) - len(carried)
            if own and (best is None or own > best[0]):
                best = (own, name, carried)
        if best is not None:
            st.answered, st.file, st.to_confirm = best[0], best[1], best[2]
        out.append(st)
    return out


def manifest_rubric(manifest: Manifest, path: str) -> Rubric:
    """The rubric a manifest names (a built-in id, or a path relative to it)."""
    from cyberdip.formats import documents

    return documents.rubric_at(documents.resolve_rubric(
        manifest.rubric, relative_to=path, version=manifest.rubric_version))


__all__ = ["CONFIRM_WORDS", "MANIFEST_FORMAT", "Manifest", "Section", "SectionStatus",
           "carry", "load_manifest", "manifest_rubric", "read_manifest", "section_of",
           "section_status", "select"]
