"""Carrying an assessment's answers forward from one version of a rubric to the next.

A *rubric map* (``rubric_maps/FROM-to-TO.yaml`` beside this module) lists what moved
between two versions: criteria renamed, and indicators renamed (``same``), split
(``split``) or dropped (``dropped``, with the reason). Everything else keeps its id.
:func:`carry_forward` applies a map to an assessment's data and says, item by item,
what it did, so that last year's answers can start this year's assessment and the
assessor knows what to look at again. It never decides that evidence still fits: an
answer whose wording changed is carried and flagged for review.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAPS = Path(__file__).resolve().parent / "rubric_maps"

#: What happened to one answer, in the order a report lists them.
OUTCOMES = ("kept", "review", "renamed", "split", "not-carried", "dropped", "new")


@dataclass(frozen=True)
class Carried:
    """One line of the carry-forward report."""

    criterion: str           # the 2.0 criterion id (the new id for `new`)
    indicator: str | None    # the old indicator id, or None for the criterion as a whole
    outcome: str             # one of OUTCOMES
    detail: str              # what was done, in words


def map_path(rubric_id: str, old: str, new: str) -> Path:
    """Where the map from version ``old`` to ``new`` (major.minor) of a rubric lives."""
    return MAPS / f"{rubric_id}-{old}-to-{new}.yaml"


def load_map(path: str | Path) -> dict[str, Any]:
    from cyberdip import yamlio

    data = yamlio.load(Path(path)).data
    if not isinstance(data, dict) or not isinstance(data.get("criteria"), dict):
        raise ValueError(f"{path}: a rubric map needs `from`, `to` and `criteria`")
    return data


def _indicators(criterion) -> dict[str, str]:
    return {i.id: i.text for _, i in criterion.indicator_list()} if getattr(
        criterion, "indicators", None) else {}


def _by_id(rubric) -> dict[str, Any]:
    return {c.id: c for _, c in rubric.criteria()}


def check_map(mapping: dict[str, Any], old, new) -> list[str]:
    """Problems with a map between two rubrics: ids that do not exist, and 2.0 indicators
    that 2.1 no longer has but the map does not account for."""
    problems: list[str] = []
    olds, news = _by_id(old), _by_id(new)
    entries = mapping.get("criteria") or {}
    for cid, entry in entries.items():
        if cid not in olds:
            problems.append(f"`{cid}` is not a criterion of {old.id} {old.version}")
            continue
        target = (entry or {}).get("to", cid)
        if target not in news:
            problems.append(f"`{cid}` maps to `{target}`, not a criterion of "
                            f"{new.id} {new.version}")
            continue
        new_ids = set(_indicators(news[target]))
        for ind, how in ((entry or {}).get("indicators") or {}).items():
            if ind not in _indicators(olds[cid]):
                problems.append(f"`{cid}` has no indicator `{ind}`")
            targets = how.get("split") or ([how["same"]] if "same" in how else [])
            if "dropped" not in how and not targets:
                problems.append(f"`{cid}` indicator `{ind}`: say `same`, `split` or `dropped`")
            problems += [f"`{cid}` indicator `{ind}` maps to `{t}`, not an indicator of "
                         f"`{target}`" for t in targets if t not in new_ids]
    for cid, c in olds.items():
        entry = entries.get(cid) or {}
        target = entry.get("to", cid)
        if target not in news:
            problems.append(f"`{cid}` is not in {new.id} {new.version} and the map does not "
                            "say where it went")
            continue
        listed = entry.get("indicators") or {}
        problems += [f"`{cid}` indicator `{i}` is not in {new.id} {new.version} and the map "
                     "does not say what became of it"
                     for i in _indicators(c) if i not in _indicators(news[target])
                     and i not in listed]
    return problems


def carry_forward(data: dict[str, Any], old, new,
                  mapping: dict[str, Any]) -> tuple[dict[str, Any], list[Carried]]:
    """The assessment ``data`` (answered on ``old``) as answers to ``new``, and a report.

    Returns a new mapping; ``data`` is not changed. The result names ``new``'s version
    in ``rubric_version``. Criteria of ``new`` that the profile is asked and that no old
    answer reaches are reported as ``new`` (left unanswered).
    """
    out = copy.deepcopy(data)
    report: list[Carried] = []
    olds, news = _by_id(old), _by_id(new)
    entries = mapping.get("criteria") or {}
    answers = data.get("answers") or {}
    carried: dict[str, Any] = {}
    for cid, answer in answers.items():
        entry = entries.get(cid) or {}
        target = entry.get("to", cid)
        if target not in news:
            report.append(Carried(cid, None, "dropped", f"`{target}` is not in {new.version}"))
            continue
        if target != cid:
            report.append(Carried(cid, None, "renamed", f"answers `{target}`"))
        answer = copy.deepcopy(answer)
        before = _indicators(olds[cid]) if cid in olds else {}
        after = _indicators(news[target])
        how_map = entry.get("indicators") or {}
        if isinstance(answer, dict) and isinstance(answer.get("indicators"), dict):
            moved: dict[str, Any] = {}
            for ind, ans in answer["indicators"].items():
                how = how_map.get(ind)
                met = ans.get("met") if isinstance(ans, dict) else None
                if how and "dropped" in how:
                    report.append(Carried(cid, ind, "dropped", str(how["dropped"])))
                elif how and "split" in how:
                    if met is True:
                        for t in how["split"]:
                            moved[t] = copy.deepcopy(ans)
                        report.append(Carried(cid, ind, "split", "met, so each of "
                                              + ", ".join(f"`{t}`" for t in how["split"])
                                              + " is answered met; check each against"
                                              " the evidence"))
                    else:
                        report.append(Carried(cid, ind, "not-carried", "split into "
                                              + ", ".join(f"`{t}`" for t in how["split"])
                                              + "; an answer other than met cannot say which part"
                                              " failed, so they are left unanswered"))
                elif how and "same" in how:
                    moved[how["same"]] = ans
                    report.append(Carried(cid, ind, "renamed", f"answers `{how['same']}`"))
                elif ind in after:
                    moved[ind] = ans
                    if before.get(ind) != after[ind]:
                        report.append(Carried(cid, ind, "review", "wording changed: check the "
                                              "evidence against the new text"))
                    else:
                        report.append(Carried(cid, ind, "kept", "same indicator"))
                else:
                    report.append(Carried(cid, ind, "dropped", "no indicator of the new "
                                          "version asks it"))
            answer["indicators"] = moved
        elif isinstance(answer, dict) and "level" in answer and before != after:
            report.append(Carried(cid, None, "review", "answered by level, and the ladder "
                                  "changed: check the level against the new indicators"))
        else:
            report.append(Carried(cid, None, "kept", "answer carried as given"))
        carried[target] = answer
    out["answers"] = carried
    out["rubric_version"] = new.version
    profile = data.get("profile") or new.default_profile()
    reached = set(carried)
    report += [Carried(c.id, None, "new", "not answered in the old version; left unanswered")
               for _, c in new.criteria() if c.applies(profile) and c.id not in reached
               and c.id not in olds]
    return out, report


__all__ = ["Carried", "OUTCOMES", "carry_forward", "check_map", "load_map", "map_path"]
