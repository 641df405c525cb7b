"""docs/scoring.md, its formulas and section "Every field of the scorecard", against the
engine.

``doc_score`` below is a second scoring engine, written from that page alone: it reads
the plain rubric and assessment dicts, and uses nothing of ``cyberdip`` to compute (it
borrows only the built-in frameworks' item titles, as data). Property tests generate
random valid rubrics and assessments, in format 1 and in format 2 (indicators, groups,
answer scales and choices, the practices gate under both ``unanswered`` rules, linear
metrics with and without thresholds, bands, profiles, national context, mappings and
roll-ups, merged answers), and random answers to every rubric that ships; they score
each with the engine (``cyberdip.engine.scoring.score``, the system under test, whose
JSON is what ``cyberdip score --format json`` prints) and with ``doc_score``, and require
every field of the scorecard to be the same. When a test fails, either the engine or
the doc is wrong: fix the one that is, never the test's arithmetic alone.

The default profile runs the same examples on every run (derandomized, with or without
``CI``); ``HYPOTHESIS_PROFILE=long`` runs many more, new ones each time.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import os
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cyberdip import yamlio
from cyberdip.engine.scoring import ROLLUP_METHOD, Scorecard, score
from cyberdip.model import assessment as amod
from cyberdip.model import rubric as rmod
from cyberdip.model.assessment import Assessment
from cyberdip.model.rubric import Rubric
from cyberdip.yamlio import Document

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "scoring.md"

#: The long profile (HYPOTHESIS_PROFILE=long, as for tests/fuzz) explores many more cases,
#: each run new ones; the default runs the same examples every time, with and without CI.
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"

#: Hypothesis warns when the arguments of a failing case it writes out are over 30,000
#: characters. Under `filterwarnings = error` that warning stops the replay that reports
#: the failure before it draws, and the report reads FlakyStrategyDefinition ("The second
#: run stopped drawing earlier") instead of the failure: a large random case must show
#: what failed. (The shipped rubrics are passed by path, so their reports stay short.)
pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")


def sized(default: int, long: int = 5_000) -> settings:
    return settings(max_examples=long if LONG else default, derandomize=not LONG,
                    deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])

# -- the doc's engine --------------------------------------------------------------------
# Every name and step below follows docs/scoring.md, "Every field of the scorecard".


def wmean(pairs: list[tuple[float, float]]) -> float:
    """(Σ v × w) ÷ (Σ w), summed left to right."""
    num = 0.0
    den = 0.0
    for v, w in pairs:
        num += v * w
    for _, w in pairs:
        den += w
    return num / den


def floor2(x: Fraction) -> float:
    """⌊100 × x⌋ ÷ 100, on the exact share."""
    return math.floor(100 * x) / 100


def written(w: float) -> Fraction:
    """A weight as the decimal number written: 0.7 is 7/10."""
    return Fraction(repr(w))


def num(x: float) -> str:
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,}"


def cite(source: dict) -> str:
    surnames = [a.split(",")[0].strip() for a in source["authors"]]
    if len(surnames) == 1:
        who = surnames[0]
    else:
        who = ", ".join(surnames[:-1]) + " & " + surnames[-1]
    return f"{who} ({source['year']})"


def as_text(x: Any) -> str | None:
    if x is None:
        return None
    return x.isoformat() if isinstance(x, dt.date) else x


FRAMEWORK_TITLES = {
    "itu-gci": "ITU Global Cybersecurity Index pillars",
    "nist-csf": "NIST Cybersecurity Framework 2.0 functions",
    "un-gge-2015": "UN GGE 2015 norms of responsible state behaviour (A/70/174, paragraph 13)",
}


def mappings(c: dict) -> list[dict]:
    """A criterion's typed mappings, then its format-1 crosswalk read as `intersects`."""
    typed = [{"framework": m["framework"], "item": m["item"],
              "relationship": m["relationship"], "note": m.get("note")}
             for m in c.get("mappings") or []]
    cw = c.get("crosswalk") or {}
    old = []
    if cw.get("itu_gci"):
        old.append(("itu-gci", cw["itu_gci"]))
    if cw.get("nist_csf"):
        old.append(("nist-csf", cw["nist_csf"]))
    old += [("un-gge-2015", n) for n in cw.get("un_gge") or []]
    return typed + [{"framework": f, "item": i, "relationship": "intersects", "note": None}
                    for f, i in old]


def framework(rubric: dict, key: str) -> dict | None:
    """A framework the rubric declares, else a built-in one (rubric-format.md)."""
    from cyberdip.model.rubric import BUILTIN_FRAMEWORKS  # their item titles, as data

    declared = (rubric.get("frameworks") or {}).get(key)
    if declared is not None:
        return {"title": declared["title"], "items": dict(declared.get("items") or {})}
    if key in BUILTIN_FRAMEWORKS:
        return {"title": FRAMEWORK_TITLES[key], "items": dict(BUILTIN_FRAMEWORKS[key].items)}
    return None


def rollups(rubric: dict, criteria: list[dict], raw: dict[str, float | None]) -> list[dict]:
    """Rule 18: per framework and item, the weighted mean of the unrounded scores of the
    criteria mapped to it; N/A criteria are left out altogether."""
    found: dict[str, dict[str, list[tuple[dict, str]]]] = {}
    for r in criteria:
        if r["status"] == "not-applicable":
            continue
        for m in r["crosswalk"]:
            found.setdefault(m["framework"], {}).setdefault(m["item"], []).append(
                (r, m["relationship"]))
    out = []
    for fw_key, items in found.items():
        fw = framework(rubric, fw_key)
        order = list(fw["items"]) if fw else []
        keys = [k for k in order if k in items] + sorted(k for k in items if k not in order)
        rows = []
        for item in keys:
            mapped = items[item]
            pairs = [(raw[r["id"]], r["weight"]) for r, _ in mapped if raw[r["id"]] is not None]
            mean = wmean(pairs) if pairs else None
            rows.append({
                "item": item, "title": fw["items"].get(item) if fw else None,
                "score": round(mean * 100, 2) if mean is not None else None,
                "criteria": [{"id": r["id"], "relationship": rel,
                              "score": round(raw[r["id"]] * 100, 2)
                              if raw[r["id"]] is not None else None} for r, rel in mapped],
                "assessed": len(pairs)})
        out.append({"framework": fw_key, "title": fw["title"] if fw else fw_key,
                    "method": ROLLUP_METHOD, "items": rows})
    return out


def ends_a_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", "\u06d4"))


def all_criteria(owner: dict) -> list[dict]:
    """An area's (or a group's) criteria: its own, then each group's, depth first."""
    out = list(owner.get("criteria") or [])
    for g in owner.get("groups") or []:
        out += all_criteria(g)
    return out


def walk_groups(owner: dict, depth: int = 1, parent: str | None = None):
    for g in owner.get("groups") or []:
        yield g, depth, parent
        yield from walk_groups(g, depth + 1, g["id"])


# -- dated evidence (docs/scoring.md, rule 2b) -------------------------------------------


def doc_reference_date(assessment: dict, as_of: dt.date | None) -> dt.date | None:
    """R: `--as-of`, else the assessment's `date` when it is a day; else none."""
    if as_of is not None:
        return as_of
    d = assessment.get("date")
    if isinstance(d, dt.date) and not isinstance(d, dt.datetime):
        return d
    if isinstance(d, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d):
        try:
            return dt.date.fromisoformat(d)
        except ValueError:
            return None
    return None


def doc_months(text: Any) -> int | None:
    """`N months` or `N years` (12 months each), in months."""
    m = re.fullmatch(r"\s*(\d+)\s+(month|months|year|years)\s*", text or "", re.I) \
        if isinstance(text, str) else None
    if m is None:
        return None
    return int(m.group(1)) * (12 if m.group(2).lower().startswith("y") else 1)


def doc_max_age(rubric: dict, c: dict) -> int | None:
    own = doc_months(c.get("evidence_max_age"))
    return own if own is not None else doc_months(
        (rubric.get("scoring") or {}).get("evidence_max_age"))


def doc_cutoff(R: dt.date, months: int) -> dt.date:
    """R moved back N months; the month's last day when it is shorter."""
    y, mo = R.year, R.month - months
    while mo < 1:
        y, mo = y - 1, mo + 12
    last = 31
    while True:
        try:
            return dt.date(y, mo, min(R.day, last))
        except ValueError:
            last -= 1


def doc_day(x: Any) -> dt.date | None:
    return dt.date.fromisoformat(x) if isinstance(x, str) else x


def doc_evidence(items: list, R: dt.date | None, N: int | None) -> list[dict]:
    """`evidence[]`: each item's text, link, dates, hash, reference, stale and expired."""
    out = []
    for e in items:
        item = e if isinstance(e, dict) else {"text": e}
        date, until = doc_day(item.get("date")), doc_day(item.get("valid_until"))
        stale = expired = None
        if R is not None:
            stale = date is not None and N is not None and date < doc_cutoff(R, N)
            expired = until is not None and until < R
        out.append({"text": item["text"], "link": bool(re.fullmatch(
            r"https?://\S+", item["text"].strip(), re.IGNORECASE)),
            "date": date.isoformat() if date else None,
            "valid_until": until.isoformat() if until else None,
            "sha256": item.get("sha256"), "ref": item.get("ref"),
            "stale": stale, "expired": expired})
    return out


def doc_score(rubric: dict, assessment: dict, *, strict: bool, min_coverage: float,
              engine_facts: dict | None = None, as_of: dt.date | None = None) -> dict:
    """The scorecard, as docs/scoring.md says it is: plain JSON-able data."""
    engine_facts = engine_facts or {"cyberdip_version": None, "sha256": None}
    scale_rows = rubric.get("scale") or []
    scale = [s["level"] for s in scale_rows]
    lo, hi = (scale[0], scale[-1]) if scale else (0, 1)
    names = {s["level"]: s["name"] for s in scale_rows}
    scoring = rubric.get("scoring") or {}
    E = scoring.get("evidence_from_level")
    stage_gate = scoring.get("stage_gate", "critical")
    # rule 7: as written, else `lowest` in format 2 and `ignore` in format 1
    unanswered = scoring.get("unanswered", "lowest" if rubric.get("format") == 2 else "ignore")
    sources = rubric["sources"]
    answer_scales = rubric.get("answer_scales") or {}
    profiles = rubric.get("profiles") or []
    profile = assessment.get("profile") or (profiles[0]["id"] if profiles else None)
    if profile not in [p["id"] for p in profiles]:
        profile = None

    def name(level: int) -> str:
        return names.get(level, str(level))

    def s(level: int) -> float:
        return (level - lo) / (hi - lo)

    def linear_score(m: dict, x: float) -> float:
        share = (x - float(m["min"])) / (float(m["max"]) - float(m["min"]))
        if m.get("better", "higher") == "lower":
            share = 1 - share
        return min(1.0, max(0.0, share))

    def reach(c: dict) -> list[int]:
        if c["kind"] == "level":
            return list(scale)
        if c["kind"] == "boolean":
            return [c["boolean"]["not_met"], c["boolean"]["met"]]
        if c["kind"] == "metric" and c["metric"].get("thresholds"):
            return sorted({lo, *c["metric"]["thresholds"]})
        return []  # a choice, or a metric without thresholds: no levels

    def describe(c: dict, level: int) -> str:
        levels = c.get("levels") or {}
        indicators = (c.get("indicators") or {}).get(level)
        if level in levels:
            return levels[level]
        if indicators:
            texts = [i["text"] for i in indicators]
            return (" " if all(ends_a_sentence(t) for t in texts) else "; ").join(texts)
        if c["kind"] == "metric":
            m = c["metric"]
            ts = m.get("thresholds") or {}
            higher = m.get("better", "higher") == "higher"
            if level in ts:
                return f"{'at least' if higher else 'at most'} {num(ts[level])} {m['unit']}"
            if level == lo and ts:
                return f"{'below' if higher else 'above'} {num(ts[min(ts)])} {m['unit']}"
        return name(level)

    def citations(c: dict) -> list[dict]:
        return [{"ref": x["ref"],
                 "citation": cite(sources[x["ref"]]) if x["ref"] in sources else x["ref"],
                 "section": x["section"], "topic": x.get("topic")} for x in c["sources"]]

    def applies(c: dict) -> bool:
        return profile is None or c.get("applies_to") is None or profile in c["applies_to"]

    def indicator_met(a: dict, ind: str) -> bool | None:
        v = (a.get("indicators") or {}).get(ind)
        return v.get("met") if isinstance(v, dict) else v

    def indicator_evidence(a: dict, ind: str) -> list[str]:
        v = (a.get("indicators") or {}).get(ind)
        return list(v.get("evidence") or []) if isinstance(v, dict) else []

    R = doc_reference_date(assessment, as_of)

    answers = assessment.get("answers") or {}
    criteria_out: list[dict] = []
    areas_out: list[dict] = []
    groups_out: list[dict] = []
    gaps: list[dict] = []
    raw: dict[str, float | None] = {}        # each criterion's unrounded score
    raw_target: dict[str, float | None] = {}
    area_A: list[tuple[float, float]] = []
    area_C: list[tuple[Fraction, Fraction]] = []
    requested_default = (assessment["default_target"]
                         if assessment.get("default_target") is not None
                         else scoring["default_target"]
                         if scoring.get("default_target") is not None else hi)

    def figures(rs: list[dict]) -> tuple[float | None, float | None, Fraction]:
        scored = [r for r in rs if raw[r["id"]] is not None]
        A = wmean([(raw[r["id"]], r["weight"]) for r in scored]) * 100 if scored else None
        T = (wmean([(raw_target[r["id"]], r["weight"]) for r in scored]) * 100
             if scored else None)
        answered = sum((written(r["weight"]) for r in rs if r["status"] != "not-assessed"),
                       Fraction(0))
        total = sum((written(r["weight"]) for r in rs), Fraction(0))
        return A, T, 100 * answered / total

    def counts_of(rs: list[dict]) -> dict:
        return {"assessed": sum(r["status"] == "assessed" for r in rs),
                "not_applicable": sum(r["status"] == "not-applicable" for r in rs),
                "not_assessed": sum(r["status"] == "not-assessed" for r in rs)}

    group_of: dict[str, str] = {}
    for area in rubric["areas"]:
        for g, _, _ in walk_groups(area):
            for c in g.get("criteria") or []:
                group_of[c["id"]] = g["id"]

    for area in rubric["areas"]:
        aw = float(area.get("weight", 1))
        context = area.get("context", False)
        asked = [c for c in all_criteria(area) if applies(c)]
        if not asked:
            continue  # rule 15: an area with nothing asked of the profile is left out
        mine: list[dict] = []
        for c in asked:
            a = answers.get(c["id"]) or {}
            cw = float(c.get("weight", 1))
            critical = c.get("critical", False)
            kind = c["kind"]
            m = c.get("metric") or {}
            linear = kind == "metric" and m.get("scoring") == "linear"
            na = a.get("not_applicable") not in (None, False)
            inds = [(lv, i) for lv in sorted(c.get("indicators") or {})
                    for i in c["indicators"][lv]]
            # rules 1 and 10: the level the answer claims
            claimed = None
            option = None
            if na:
                pass
            elif kind == "level":
                if a.get("level") is not None:
                    claimed = a["level"]
                elif inds and any(indicator_met(a, i["id"]) is not None for _, i in inds):
                    claimed = lo
                    for lv in sorted(c["indicators"]):
                        if all(indicator_met(a, i["id"]) is True for i in c["indicators"][lv]):
                            claimed = lv
                        else:
                            break
            elif kind == "boolean":
                if a.get("met") is not None:
                    claimed = c["boolean"]["met" if a["met"] else "not_met"]
            elif kind == "metric":
                ts = m.get("thresholds") or {}
                if a.get("value") is None:
                    if a.get("level") == lo and ts:
                        claimed = lo  # the metric's lowest case, answered `none`
                elif ts:
                    x = a["value"]
                    claimed = lo
                    for lv, t in ts.items():
                        reached = x >= t if m.get("better", "higher") == "higher" else x <= t
                        if reached and lv > claimed:
                            claimed = lv
            elif a.get("answer") is not None:
                option = next(o for o in answer_scales[c["answer_scale"]]
                              if o["id"] == a["answer"])
            value = float(a["value"]) if kind == "metric" and not na \
                and a.get("value") is not None else None
            assessed = claimed is not None or option is not None or (linear and value is not None)
            status = "not-applicable" if na else "assessed" if assessed else "not-assessed"
            evidence = list(a.get("evidence") or [])
            support = list(evidence)
            if E is not None:  # rule 2: a met indicator at level E or more supports too
                for lv, i in inds:
                    v = (a.get("indicators") or {}).get(i["id"])
                    if lv >= E and isinstance(v, dict) and v.get("met") is True:
                        support += v.get("evidence") or []
            N = doc_max_age(rubric, c)
            judged = doc_evidence(support, R, N)
            unsupported = (claimed is not None and E is not None and claimed >= E
                           and not any(e["text"].strip() for e in judged))
            evidence_stale = (claimed is not None and E is not None and claimed >= E
                              and not unsupported and not any(
                                  e["text"].strip() and not e["stale"] and not e["expired"]
                                  for e in judged))
            level = claimed
            # carried forward and not re-confirmed: an answer (or n/a) with `carried:`
            carried = a.get("carried") if status != "not-assessed" else None
            if strict and (unsupported or carried or evidence_stale) and claimed is not None:
                below = [lv for lv in reach(c) if E is None or lv < E]
                level = min(claimed, max(below) if below else lo)
            target = None
            if reach(c):
                requested = a["target"] if a.get("target") is not None else requested_default
                target = min(requested, max(reach(c)))
            # rules 9 and 11: the score and the target score, 0..1
            score = tscore = None
            if status == "assessed":
                if option is not None:
                    score = float(option["score"])
                    tscore = max(float(o["score"]) for o in answer_scales[c["answer_scale"]])
                elif linear:
                    score = linear_score(m, value) if value is not None else 0.0
                    if target is None:
                        tscore = 1.0
                    elif target == lo:
                        tscore = score
                    else:
                        tscore = max(score, linear_score(m, m["thresholds"][target]))
                else:
                    score = s(level)
                    tscore = s(max(target, level))
            raw[c["id"]], raw_target[c["id"]] = score, tscore
            gap = max(0, target - level) if level is not None and target is not None else 0
            above = [lv for lv in reach(c) if level is not None and lv > level]
            nxt = min(above) if above else None
            # above the scored level (what is claimed is not "still to show"), up to next
            missing = ([i["text"] for lv, i in inds
                        if level < lv <= nxt and indicator_met(a, i["id"]) is not True]
                       if nxt is not None and inds and gap > 0 else [])
            satisfied = None
            if c.get("stage") is not None and status == "assessed":
                satisfied = (bool(option.get("satisfies", False)) if option is not None
                             else level is not None and level >= c["stage"])
            reason = a.get("not_applicable")
            if level is not None:
                descriptor = describe(c, level)
            elif option is not None:
                descriptor = option.get("meaning") or option["name"]
            else:
                descriptor = None
            q = c["question"]
            if profile is not None:
                q = (c.get("question_for") or {}).get(profile, q)
            r = {
                "id": c["id"], "area": area["id"], "group": group_of.get(c["id"]),
                "title": c.get("title") or c["question"], "question": q, "kind": kind,
                "weight": cw, "critical": critical, "status": status, "claimed_level": claimed,
                "level": level, "level_name": name(level) if level is not None else None,
                "score": round(score, 4) if score is not None else None,
                "value": value,
                "met": a.get("met") if kind == "boolean" else None,
                "answer": option["id"] if option is not None else None,
                "answer_name": option["name"] if option is not None else None,
                "unit": m["unit"] if kind == "metric" else None,
                "stage": c.get("stage"), "satisfied": satisfied,
                "target": target, "gap": gap, "unsupported": unsupported,
                "not_applicable_reason": reason if isinstance(reason, str) else None,
                "evidence": doc_evidence(evidence, R, N),
                "notes": a.get("notes"), "owner": a.get("owner"), "due": as_text(a.get("due")),
                "descriptor": descriptor,
                "next_level": nxt,
                "next_descriptor": describe(c, nxt) if nxt is not None else None,
                "indicators": [] if na else [
                    {"id": i["id"], "level": lv, "text": i["text"],
                     "met": indicator_met(a, i["id"]),
                     "evidence": doc_evidence(indicator_evidence(a, i["id"]), R, N)}
                    for lv, i in inds],
                "missing": missing,
                "sources": citations(c),
                "crosswalk": mappings(c),
                "carried": {"source": carried["source"], "period": carried.get("period"),
                            "date": as_text(carried.get("date"))} if carried else None,
                "max_age_months": N, "evidence_stale": evidence_stale,
            }
            mine.append(r)
            k = 2 if critical else 1
            gap_entry = None
            if gap > 0:
                gap_entry = {
                    "id": c["id"], "area": area["id"], "title": r["title"],
                    "critical": critical, "current": level, "current_name": name(level),
                    "target": target, "target_name": name(target), "gap": gap,
                    "priority": round(gap * cw * aw * k, 4),
                    "next_level": nxt, "next_name": name(nxt),
                    "recommendation": (c.get("recommendations") or {}).get(nxt),
                    "steps": missing, "sources": citations(c),
                }
            elif status == "assessed" and level is None and tscore > score:
                # rule 12: a criterion without levels, short of the top of its scale
                if option is not None:
                    opts = answer_scales[c["answer_scale"]]
                    now = option["name"]
                    nxt_name = next(o["name"] for o in opts
                                    if float(o["score"]) > float(option["score"]))
                    top_name = opts[-1]["name"]
                else:
                    best = m["max"] if m.get("better", "higher") == "higher" else m["min"]
                    now = f"{0.0 if value == 0 else value:g} {m['unit']}"  # −0 as 0
                    nxt_name = top_name = f"{0.0 if best == 0 else float(best):g} {m['unit']}"
                gap_entry = {
                    "id": c["id"], "area": area["id"], "title": r["title"],
                    "critical": critical, "current": None, "current_name": now,
                    "target": None, "target_name": top_name, "gap": 0,
                    "priority": round((tscore - score) * (hi - lo) * cw * aw * k, 4),
                    "next_level": None, "next_name": nxt_name, "recommendation": None,
                    "steps": [], "sources": citations(c),
                }
            if gap_entry is not None and not context:
                gaps.append(gap_entry)
        A, T, C = figures(mine)
        # rules 7, 13 and 14: the stage
        stage, gating = None, []
        if not context and stage_gate != "none" and scale:
            if stage_gate == "practices":
                stage, gating = practices_stage(mine, scale, unanswered)
            else:
                by_id = {c["id"]: c for c in asked}

                def gate_level(r: dict, by_id: dict = by_id) -> int | None:
                    if r["level"] is not None:
                        return r["level"]
                    if unanswered == "lowest" and r["status"] == "not-assessed" \
                            and reach(by_id[r["id"]]):
                        return lo
                    return None

                levelled = [r for r in mine if gate_level(r) is not None]
                gating_set = levelled
                if stage_gate == "critical" and any(r["critical"] for r in levelled):
                    gating_set = [r for r in levelled if r["critical"]]
                if gating_set:
                    stage = min(gate_level(r) for r in gating_set)
                    gating = sorted(r["id"] for r in gating_set if gate_level(r) == stage)
        if not context:
            if A is not None:
                area_A.append((A, aw))
            area_C.append((C, written(area.get("weight", 1))))
        areas_out.append({
            "id": area["id"], "title": area["title"], "context": context, "weight": aw,
            "score": round(A, 2) if A is not None else None,
            "target_score": round(T, 2) if T is not None else None,
            "stage": stage, "stage_name": name(stage) if stage is not None else None,
            "coverage": floor2(C), **counts_of(mine), "gating": gating,
        })
        by_result = {r["id"]: r for r in mine}
        for g, depth, parent in walk_groups(area):
            inside = [by_result[c["id"]] for c in all_criteria(g) if c["id"] in by_result]
            if not inside:
                continue
            gA, gT, gC = figures(inside)
            groups_out.append({
                "id": g["id"], "title": g.get("title") or g["id"], "area": area["id"],
                "parent": parent, "depth": depth,
                "score": round(gA, 2) if gA is not None else None,
                "target_score": round(gT, 2) if gT is not None else None,
                "coverage": floor2(gC), "criteria": [r["id"] for r in inside],
                **counts_of(inside)})
        criteria_out.extend(mine)

    total_w = sum((w for _, w in area_C), Fraction(0))
    coverage = floor2(sum((c * w for c, w in area_C), Fraction(0)) / total_w) if total_w \
        else 0.0
    stages = [a["stage"] for a in areas_out if a["stage"] is not None]
    stage = min(stages) if stages else None
    gaps.sort(key=lambda g: (-g["priority"], -g["gap"], g["id"]))
    index = round(wmean(area_A), 2) if area_A else None
    bands = sorted((rubric.get("index") or {}).get("bands") or [], key=lambda b: -b["min"])
    reached = [b for b in bands if index is not None and index >= b["min"]]
    band_out = [{"name": b["name"], "min": float(b["min"]), "meaning": b.get("meaning")}
                for b in bands]
    band = band_out[bands.index(reached[0])] if reached else None
    contexts = {a["id"] for a in rubric["areas"] if a.get("context")}
    counted = [r for r in criteria_out if r["area"] not in contexts]
    labels = rubric.get("labels") or {}
    org = assessment["organisation"]
    out = {
        # the version and the hash are not figures: taken as the engine gives them
        "cyberdip_version": engine_facts["cyberdip_version"],
        "rubric": {"id": rubric["id"], "version": rubric["version"], "title": rubric["title"],
                   "sha256": engine_facts["sha256"]},
        "labels": {"index": labels.get("index", "readiness index"),
                   "stage": labels.get("stage", "stage")},
        "unanswered": unanswered,
        "profile": profile,
        "profile_name": next((p["name"] for p in profiles if p["id"] == profile), None),
        "band": band, "bands": band_out, "groups": groups_out,
        "glossary": dict(rubric.get("glossary") or {}),
        "rollups": rollups(rubric, criteria_out, raw),
        "answered_version": assessment.get("rubric_version"),
        "organisation": {"name": org.get("name", ""), "unit": org.get("unit"),
                         "country": org.get("country")},
        "period": assessment.get("period"),
        "date": as_text(assessment.get("date")),
        "assessors": list(assessment.get("assessors") or []),
        "illustrative": assessment.get("illustrative", False),
        "strict": strict,
        "stage_gate": stage_gate,
        "evidence_from_level": E,
        "min_coverage": float(min_coverage),
        "provisional": coverage < min_coverage,
        "index": index,
        "stage": stage,
        "stage_name": name(stage) if stage is not None else None,
        "coverage": coverage,
        "counts": {
            "criteria": len(counted),
            "assessed": sum(r["status"] == "assessed" for r in counted),
            "not_applicable": sum(r["status"] == "not-applicable" for r in counted),
            "not_assessed": sum(r["status"] == "not-assessed" for r in counted),
            "unsupported": sum(r["unsupported"] for r in counted),
        },
        "scale": [{"level": x["level"], "name": x["name"], "meaning": x["meaning"]}
                  for x in scale_rows],
        "areas": areas_out,
        "criteria": criteria_out,
        "gaps": gaps,
        "bibliography": [
            {"ref": k, "citation": cite(v), "title": v["title"], "venue": v.get("venue"),
             "link": f"https://doi.org/{v['doi']}" if v.get("doi") else v.get("url")}
            for k, v in sorted(sources.items())
        ],
        "merge": merge_out(rubric, assessment, R),
        "marking": None,
        "disclaimer": assessment.get("disclaimer"),
        "carried": {"unconfirmed": sum(r["carried"] is not None for r in criteria_out),
                    "ids": [r["id"] for r in criteria_out if r["carried"] is not None]},
        "signoff": None,  # the engine never sees a file: a command adds it
        "reference_date": R.isoformat() if R is not None else None,
        "evidence_dates": doc_evidence_dates(criteria_out, R),
    }
    out["_raw_scores"] = raw
    out.update(verdict_fields(rubric, assessment, out, describe))
    out.update(doc_plan(rubric, assessment, out, as_of))
    return out


# -- "The action plan" (docs/scoring.md) ---------------------------------------------------


def doc_last_day(due: Any) -> dt.date | None:
    """The last day a `due` allows: a date; YYYY-Qn, YYYY-Hn, YYYY-MM, YYYY; else none."""
    if isinstance(due, dt.date):
        return due
    text = str(due).strip().upper() if due is not None else ""
    m = re.fullmatch(r"(\d{4})(?:-Q([1-4])|-H([12])|-(0[1-9]|1[0-2]))?", text)
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    if m is None:
        return None
    year = int(m[1])
    month = 3 * int(m[2]) if m[2] else 6 * int(m[3]) if m[3] else int(m[4]) if m[4] else 12
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def doc_plan(rubric: dict, assessment: dict, card: dict,
             as_of: dt.date | None = None) -> dict:
    """`plan` and `plan_as_of`, as the doc's "The action plan" says."""
    answers = assessment.get("answers") or {}
    names = {s["level"]: s["name"] for s in rubric.get("scale") or []}
    gaps = {g["id"]: g for g in card["gaps"]}
    ref = as_of if as_of is not None else doc_last_day(assessment.get("date")) if re.fullmatch(
        r"\d{4}-\d\d-\d\d", str(assessment.get("date") or "").strip()) else None
    items = []
    for r in card["criteria"]:
        a = answers.get(r["id"]) or {}
        g = gaps.get(r["id"])
        if g is None and all(a.get(k) is None for k in ("action", "owner", "due", "status")):
            continue
        own = bool((a.get("action") or "").strip())
        item = {"id": r["id"], "area": r["area"], "title": r["title"],
                "own_action": own, "owner": a.get("owner"), "due": as_text(a.get("due")),
                "status": a.get("status"), "current": r["level"],
                "current_name": r["level_name"] if r["level"] is not None
                else g["current_name"] if g else None,
                "target": r["target"],
                "target_name": names.get(r["target"], str(r["target"]))
                if r["target"] is not None else g["target_name"] if g else None}
        if own:
            item["action"] = a["action"].strip()
        elif g is not None and "actions" in g:
            acts = g["actions"]
            item["action"] = (None if not acts else " ".join(acts)
                              if all(ends_a_sentence(t) for t in acts) else "; ".join(acts))
        elif g is None:
            item["action"] = None
        last = doc_last_day(a.get("due")) if a.get("due") is not None else None
        item["due_by"] = last.isoformat() if last else None
        if a.get("due") is None or a.get("status") in ("done", "dropped"):
            item["overdue"] = False
        else:
            item["overdue"] = None if last is None or ref is None else last < ref
        items.append(item)
    return {"plan": items, "plan_as_of": ref.isoformat() if ref else None}


# -- "What the verdict could still become" (docs/scoring.md, the end) ---------------------


def doc_reach(rubric: dict, c: dict) -> list[int]:
    """reach(c), rule 1: the levels a criterion can reach; none for a choice or a metric
    without thresholds (rule 12), nor for any criterion of a rubric without a scale."""
    scale = [s["level"] for s in rubric.get("scale") or []]
    if not scale:
        return []
    if c["kind"] == "level":
        return list(scale)
    if c["kind"] == "boolean":
        return [c["boolean"]["not_met"], c["boolean"]["met"]]
    if c["kind"] == "metric" and (c["metric"].get("thresholds") or {}):
        return sorted({scale[0], *c["metric"]["thresholds"]})
    return []


def doc_best(rubric: dict, c: dict) -> float:
    """best(c), the best score an answer to ``c`` can get (the range's high end): a
    choice's best option, a linear metric's 1, else s(top(c)), 0 without a level."""
    scale = [x["level"] for x in rubric.get("scale") or []]
    if c["kind"] == "choice":
        opts = (rubric.get("answer_scales") or {}).get(c.get("answer_scale"), [])
        return max((float(o.get("score", 0)) for o in opts), default=0.0)
    if c["kind"] == "metric" and (c["metric"].get("scoring") == "linear"):
        return 1.0
    reach = doc_reach(rubric, c)
    if not reach or scale[0] == scale[-1]:
        return 0.0
    return (max(reach) - scale[0]) / (scale[-1] - scale[0])


def doc_actions(rubric: dict, c: dict, answer: dict, frm: int | None, to: int,
                describe: Any) -> list[str]:
    """actions(c, from, to): the recommendation for `to`, else the indicators not
    answered met above `from` up to `to`, else describe(c, to) (the scale's meaning of
    `to` when describe gives only its name)."""
    scale_rows = rubric.get("scale") or []
    rec = (c.get("recommendations") or {}).get(to)
    if rec:
        return [rec]
    floor = frm if frm is not None else scale_rows[0]["level"] - 1
    given = answer.get("indicators") or {}

    def met(iid: str) -> bool | None:
        v = given.get(iid)
        return v.get("met") if isinstance(v, dict) else v

    todo = [i["text"] for lv in sorted(c.get("indicators") or {})
            for i in c["indicators"][lv] if floor < lv <= to and met(i["id"]) is not True]
    if todo:
        return todo
    words = describe(c, to)
    name = next((s["name"] for s in scale_rows if s["level"] == to), str(to))
    if words == name:
        return [next(s["meaning"] for s in scale_rows if s["level"] == to)]
    return [words]


def verdict_fields(rubric: dict, assessment: dict, card: dict, describe: Any) -> dict:
    """index_range, stage_setting, stage_plan and each gap's actions, from the rules
    docs/scoring.md gives under "What the verdict could still become", in format 1 and
    format 2 alike (a format-1 rubric simply has no choice, practice, profile or context)."""
    scale_rows = rubric.get("scale") or []
    scale = [s["level"] for s in scale_rows]
    names = {s["level"]: s["name"] for s in scale_rows}
    scoring = rubric.get("scoring") or {}
    gate = scoring.get("stage_gate", "critical") if scale else "none"
    answers = assessment.get("answers") or {}
    answer_scales = rubric.get("answer_scales") or {}
    results = {r["id"]: r for r in card["criteria"]}
    raw_score = card.pop("_raw_scores")  # each criterion's score before rounding
    by_id = {c["id"]: c for a in rubric["areas"] for c in all_criteria(a)}
    listed = {a["id"]: a for a in card["areas"]}
    # the areas that count (rules 15, 16): listed in the card (asked of the profile), not
    # national context; each with the criteria the card lists (the profile's), in order
    counted = [(a, listed[a["id"]], [results[c["id"]] for c in all_criteria(a)
                                     if c["id"] in results])
               for a in rubric["areas"]
               if a["id"] in listed and not listed[a["id"]]["context"]]

    def options(c: dict) -> list[dict]:
        return answer_scales.get(c.get("answer_scale"), [])

    # each gap's actions
    for g in card["gaps"]:
        c = by_id[g["id"]]
        if g["next_level"] is not None:
            g["actions"] = doc_actions(rubric, c, answers.get(g["id"]) or {}, g["current"],
                                       g["next_level"], describe)
        elif c["kind"] == "choice":
            now = float(next(o["score"] for o in options(c)
                             if o["id"] == results[c["id"]]["answer"]))
            up = next(o for o in options(c) if float(o["score"]) > now)
            g["actions"] = [up.get("meaning") or up["name"]]
        else:  # a metric without levels: reach the best end of its range
            m = c["metric"]
            best = m.get("max") if m.get("better", "higher") == "higher" else m.get("min")
            g["actions"] = ([f"reach {0.0 if best == 0 else float(best):g} {m['unit']}"]
                            if best is not None else [])  # −0 as 0, as in rule 12

    # index_range: blanks at 0, or at their best
    ends = []
    for blank in ("low", "high"):
        means = []
        for area, _, rs in counted:
            pairs = []
            for r in rs:
                if r["status"] == "not-applicable":
                    continue
                if r["status"] == "assessed":
                    v = raw_score[r["id"]]
                else:
                    v = 0.0 if blank == "low" else doc_best(rubric, by_id[r["id"]])
                pairs.append((v, r["weight"]))
            if pairs:
                means.append((wmean(pairs) * 100, float(area.get("weight", 1))))
        ends.append(round(wmean(means), 2) if means else None)

    # stage_setting
    setters = []
    for _, _, rs in counted:
        live = [r for r in rs if r["status"] != "not-applicable"]
        if gate == "none":
            continue
        if gate == "practices":
            setters += [r for r in live if r["stage"] is not None]
            continue
        live = [r for r in live if r["target"] is not None]  # criteria with levels
        critical = [r for r in live if r["critical"]] if gate == "critical" else []
        setters += critical or live
    blank_ids = [r["id"] for r in setters if r["status"] == "not-assessed"]

    # stage_plan
    stage = card["stage"]
    plan: dict[str, Any]
    above = [lv for lv in scale if stage is not None and lv > stage]
    lowest = card["unanswered"] == "lowest"

    def done(status: str, nxt: int | None, steps: list | None = None) -> dict:
        return {"status": status, "next_stage": nxt, "steps": steps or []}

    if gate == "none" or stage is None:
        plan = done("none", None)
    elif not above:
        plan = done("top", None)
    else:
        nxt = min(above)
        needed: list[dict] = []
        stuck = False
        for _, out, rs in counted:
            if out["stage"] != stage:
                continue
            if gate == "practices":
                considered = [r for r in rs if r["stage"] is not None
                              and r["status"] != "not-applicable"
                              and (r["status"] == "assessed" or lowest)]
                if not any(r["stage"] == nxt for r in considered):
                    stuck = True
                needed += [r for r in considered if r["stage"] <= nxt
                           and not (r["status"] == "assessed" and r["satisfied"])]
            else:
                needed += [r for r in rs if r["id"] in out["gating"]]
        blank = [r for r in needed if r["status"] == "not-assessed"]
        if blank:
            plan = done("blocked", nxt, [
                {"id": r["id"], "area": r["area"], "title": r["title"],
                 "critical": r["critical"], "answer_first": True, "current": None,
                 "current_name": None, "to_level": None, "to_name": None, "to_answer": None,
                 "actions": [r["question"]], "sources": r["sources"]} for r in blank])
        elif stuck:
            plan = done("top", nxt)
        else:
            steps, status = [], "rise"
            for r in needed:
                c = by_id[r["id"]]
                step = {"id": r["id"], "area": r["area"], "title": r["title"],
                        "critical": r["critical"], "answer_first": False}
                if c["kind"] == "choice":
                    ok = [o for o in options(c) if o.get("satisfies")]
                    if not ok:
                        status = "top"
                        break
                    step.update(current=None, current_name=r["answer_name"], to_level=None,
                                to_name=ok[0]["name"], to_answer=ok[0]["id"],
                                actions=[ok[0].get("meaning") or ok[0]["name"]])
                else:
                    floor = r["stage"] if gate == "practices" else nxt
                    up = [lv for lv in doc_reach(rubric, c) if lv >= floor]
                    if not up:
                        status = "top"
                        break
                    to = min(up)
                    if r["target"] < to:
                        status = "target"
                    step.update(current=r["level"], current_name=r["level_name"],
                                to_level=to, to_name=names[to], to_answer=None,
                                actions=doc_actions(rubric, c, answers.get(r["id"]) or {},
                                                    r["level"], to, describe))
                step["sources"] = r["sources"]
                steps.append(step)
            plan = done(status, nxt, steps if status == "rise" else [])
    return {
        "index_range": {"low": ends[0], "high": ends[1]},
        "stage_setting": {"criteria": len(setters), "not_assessed": len(blank_ids),
                          "unanswered": blank_ids},
        "stage_plan": plan,
    }


def practices_stage(results: list[dict], scale: list[int], unanswered: str
                    ) -> tuple[int | None, list[str]]:
    """Rule 14: the practices gate."""
    counted = []
    for r in results:
        if r["stage"] is None or r["status"] == "not-applicable":
            continue
        if r["status"] == "not-assessed":
            if unanswered == "lowest":
                counted.append((r["stage"], False, r["id"]))
            continue
        counted.append((r["stage"], r["satisfied"], r["id"]))
    if not counted and unanswered != "lowest":
        return None, []
    stage = scale[0]
    for lv in scale[1:]:
        if any(st_ == lv for st_, _, _ in counted) and \
                all(ok for st_, ok, _ in counted if st_ <= lv):
            stage = lv
        else:
            break
    return stage, sorted(cid for st_, ok, cid in counted if st_ <= stage + 1 and not ok)


def doc_evidence_dates(criteria: list[dict], R: dt.date | None) -> dict:
    """`evidence_dates`, over the criteria's and their indicators' evidence."""
    rows = [(r["id"], e) for r in criteria
            for e in [*r["evidence"], *(x for i in r["indicators"] for x in i["evidence"])]]
    bad = [(cid, e) for cid, e in rows if e["stale"] or e["expired"]]
    return {"checked": R is not None, "items": len(bad),
            "stale": sum(bool(e["stale"]) for _, e in bad),
            "expired": sum(bool(e["expired"]) for _, e in bad),
            "ids": [r["id"] for r in criteria if any(cid == r["id"] for cid, _ in bad)],
            "claims": sum(r["evidence_stale"] for r in criteria),
            "dated": sum(e["date"] is not None or e["valid_until"] is not None
                         for _, e in rows)}


def merge_out(rubric: dict, assessment: dict, R: dt.date | None = None) -> dict | None:
    """`merge`: each respondent's answer and the spread of their levels, for an assessment
    `cyberdip merge` made (one with `merged_from`); `null` for any other."""
    m = assessment.get("merged_from")
    if m is None:
        return None
    scale = [x["level"] for x in rubric.get("scale") or []]
    lo = scale[0] if scale else 0
    answers = assessment.get("answers") or {}

    def met(given: dict, iid: str) -> bool | None:
        v = (given.get("indicators") or {}).get(iid)
        return v.get("met") if isinstance(v, dict) else v

    def typed(c: dict, p: dict) -> str:
        inds = [i for lv in sorted(c.get("indicators") or {}) for i in c["indicators"][lv]]
        if p.get("not_applicable") not in (None, False):
            return "n/a"
        if p.get("met") is not None:
            return "yes" if p["met"] else "no"
        if p.get("value") is not None:
            return f"{p['value']:g}"
        if p.get("answer") is not None:
            return p["answer"]
        if p.get("level") is not None:
            return "none" if c["kind"] == "metric" else str(p["level"])
        if any(met(p, k) is not None for k in p.get("indicators") or {}):
            return f"{sum(met(p, k) is True for k in p['indicators'])} of {len(inds)} " \
                   "indicators met"
        return "\u2014"

    def claims(c: dict, p: dict) -> int | None:
        """The level a respondent claims (the doc's merge row): rule 1 and rule 10; a
        choice's place on its answer scale; 0 for a metric without thresholds."""
        if p.get("not_applicable") not in (None, False):
            return None
        kind, metric = c["kind"], c.get("metric") or {}
        if kind == "choice":
            ids = [o["id"] for o in rubric["answer_scales"][c["answer_scale"]]]
            return ids.index(p["answer"]) if p.get("answer") in ids else None
        if kind == "metric" and not metric.get("thresholds"):
            return 0 if p.get("value") is not None else None
        if kind == "boolean":
            return None if p.get("met") is None else c["boolean"]["met" if p["met"]
                                                                   else "not_met"]
        if kind == "metric":
            if p.get("value") is None:
                return lo if p.get("level") == lo else None
            level = lo
            for lv, t in metric["thresholds"].items():
                higher = metric.get("better", "higher") == "higher"
                if (p["value"] >= t if higher else p["value"] <= t) and lv > level:
                    level = lv
            return level
        if p.get("level") is not None:
            return p["level"]
        ind = c.get("indicators") or {}
        if not ind or not any(met(p, i["id"]) is not None for lv in ind for i in ind[lv]):
            return None
        level = lo
        for lv in sorted(ind):
            if all(met(p, i["id"]) is True for i in ind[lv]):
                level = lv
            else:
                break
        return level

    rows = []
    for area in rubric["areas"]:
        for c in all_criteria(area):
            a = answers.get(c["id"])
            if not a or not a.get("respondents"):
                continue
            people = [{"name": p["name"], "answer": typed(c, p), "level": claims(c, p),
                       "evidence": doc_evidence(p.get("evidence") or [], R,
                                                doc_max_age(rubric, c))}
                      for p in a["respondents"]]
            levels = [p["level"] for p in people if p["level"] is not None]
            spread = max(levels) - min(levels) if levels else None
            rows.append({"id": c["id"], "respondents": people, "spread": spread,
                         "needs_discussion": spread is not None
                         and m.get("discuss_above") is not None
                         and spread > m["discuss_above"]})
    return {"respondents": list(m["respondents"]), "rule": m["rule"],
            "discuss_above": m.get("discuss_above"),
            "disagreements": sum(1 for r in rows if r["spread"]), "criteria": rows}


# -- comparing ---------------------------------------------------------------------------


def differences(got: Any, want: Any, path: str = "$") -> list[str]:
    """Where two JSON values differ. Exact: 2 and 2.0 are the same number, but a
    boolean is never a number and 79.99 is not 79.99000000000001."""
    if isinstance(got, dict) and isinstance(want, dict):
        out = [f"{path}: key {k!r} only in the engine" for k in got.keys() - want.keys()]
        out += [f"{path}: key {k!r} only in the doc" for k in want.keys() - got.keys()]
        for k in got.keys() & want.keys():
            out += differences(got[k], want[k], f"{path}.{k}")
        return out
    if isinstance(got, list) and isinstance(want, list):
        if len(got) != len(want):
            return [f"{path}: engine has {len(got)} items, doc {len(want)}: "
                    f"{[x.get('id') if isinstance(x, dict) else x for x in got]} vs "
                    f"{[x.get('id') if isinstance(x, dict) else x for x in want]}"]
        return [d for i, (g, w) in enumerate(zip(got, want, strict=True))
                for d in differences(g, w, f"{path}[{i}]")]
    if isinstance(got, bool) or isinstance(want, bool) or got is None or want is None:
        same = type(got) is type(want) and got == want
    elif isinstance(got, int | float) and isinstance(want, int | float):
        same = got == want
    else:
        same = type(got) is type(want) and got == want
    return [] if same else [f"{path}: engine {got!r}, doc {want!r}"]


_MODELS: dict[int, tuple[dict, Rubric, list]] = {}


def rubric_model(rubric: dict) -> tuple[Rubric, list]:
    """The engine's model of a rubric and its problems, made once per rubric dict (a
    shipped rubric is scored with many assessments; the dict is never changed)."""
    cached = _MODELS.get(id(rubric))
    if cached is None or cached[0] is not rubric:
        if len(_MODELS) > 8:
            _MODELS.clear()
        r = Rubric.model_validate(rubric)
        cached = _MODELS[id(rubric)] = (rubric, r,
                                        rmod.check(r, Document("rubric.yaml", rubric, None)))
    return cached[1], cached[2]


def assert_same(rubric: dict, assessment: dict, *, strict: bool, min_coverage: float,
                as_of: dt.date | None = None) -> None:
    r, _ = rubric_model(rubric)
    a = Assessment.model_validate(assessment)
    got = score(r, a, strict=strict, min_coverage=min_coverage,
                as_of=as_of).model_dump(mode="json")
    want = doc_score(rubric, assessment, strict=strict, min_coverage=min_coverage,
                     engine_facts={"cyberdip_version": got["cyberdip_version"],
                                   "sha256": got["rubric"]["sha256"]}, as_of=as_of)
    diffs = differences(got, want)
    assert not diffs, "engine and docs/scoring.md disagree:\n" + "\n".join(diffs[:20])


def test_the_comparison_can_fail():
    base = {"a": [1, 2.0, None, True, "x"]}
    assert differences(base, {"a": [1.0, 2, None, True, "x"]}) == []
    assert differences(base, {"a": [1, 2.0, None, 1, "x"]})
    assert differences(base, {"a": [1, 2.0, 0, True, "x"]})
    assert differences(base, {"a": [1, 2.0000000000000004, None, True, "x"]})
    assert differences(base, {"a": [1, 2.0, None, True], "b": 1})


# -- random rubrics ----------------------------------------------------------------------

AUTHORS = ["Munir, Shahzad", "Mahmood, Muhammad Asghar", "Malik, Rimsha", "UNIDIR",
           " Bjola , Corneliu", "Manor, Ilan"]
WEIGHT = st.one_of(
    st.sampled_from([1, 2, 3, 4, 6, 0.5, 0.25, 0.1, 0.2, 0.3, 0.7, 1.5, 0.03125, 1e-6,
                     999_999.5, 1_000_000]),
    st.integers(1, 12),
    st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False),
)
THRESHOLD = st.one_of(
    st.integers(-1000, 1000),
    st.sampled_from([0.1, 0.2, 0.3, 2.675, 1234567.5, 0.1234567, -0.5, 1e15]),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
)
NAMES = ["zeta", "alpha", "m", "b-2", "a0", "policy", "x9", "law", "aa"]
TEXT = st.sampled_from(["Plan", "Fund it.", "Train staff", "Déclarer", "a b", "Ωμέγα"])


PLAN = st.fixed_dictionaries({}, optional={
    "action": st.sampled_from(["Fund it.", "  ", "Train staff"]),
    "status": st.sampled_from(["planned", "under-way", "done", "dropped"]),
    "due": st.sampled_from([dt.date(2024, 4, 30), dt.date(2024, 5, 1), "2024-Q1", "2024-h2",
                            "2024-05", "2023", " 2024-04-30 ", "2024-02-30", "soon"]),
    "owner": st.sampled_from(["Desk officer", ""])})


@st.composite
def sources_(draw) -> dict:
    out = {}
    for i in range(draw(st.integers(1, 3))):
        src: dict[str, Any] = {
            "authors": draw(st.lists(st.sampled_from(AUTHORS), min_size=1, max_size=3)),
            "year": draw(st.integers(1990, 2030)),
            "title": draw(TEXT),
        }
        if draw(st.booleans()):
            src["venue"] = draw(TEXT)
        link = draw(st.sampled_from(["none", "doi", "url", "both"]))
        if link in ("doi", "both"):
            src["doi"] = f"10.1000/x{i}"
        if link in ("url", "both"):
            src["url"] = f"https://example.org/s{i}"
        out[f"s{i}"] = src
    return out


@st.composite
def criterion_(draw, cid: str, scale: list[int], refs: list[str]) -> dict:
    above = scale[1:]
    kind = draw(st.sampled_from(["level", "boolean", "metric"]))
    c: dict[str, Any] = {"id": cid, "title": f"Title {cid}", "question": f"{cid}?",
                         "kind": kind, "weight": draw(WEIGHT)}
    if draw(st.booleans()):
        c["critical"] = draw(st.booleans())
    extra = draw(st.lists(st.sampled_from(scale), max_size=3, unique=True))
    if kind == "level":
        c["levels"] = {lv: f"{cid} at {lv}" for lv in scale}
        needed = above
    elif kind == "boolean":
        not_met, met = sorted(draw(st.lists(st.sampled_from(scale), min_size=2, max_size=2,
                                            unique=True)))
        c["boolean"] = {"met": met, "not_met": not_met}
        c["levels"] = {lv: f"{cid} described at {lv}" for lv in sorted({not_met, met, *extra})}
        needed = [met]
    else:
        ts = sorted(draw(st.lists(THRESHOLD, min_size=len(above), max_size=len(above),
                                  unique_by=float)), key=float)
        better = draw(st.sampled_from(["higher", "lower", None]))
        if better == "lower":
            ts.reverse()
        metric: dict[str, Any] = {"unit": draw(st.sampled_from(["%", "missions", "days"])),
                                  "thresholds": dict(zip(above, ts, strict=True))}
        if better is not None:
            metric["better"] = better
        if draw(st.booleans()):
            metric["min"] = min(ts) - draw(st.sampled_from([0, 1, 0.5]))
        if draw(st.booleans()):
            metric["max"] = max(ts) + draw(st.sampled_from([0, 1, 0.5]))
        c["metric"] = metric
        if extra:
            c["levels"] = {lv: f"{cid} measured at {lv}" for lv in extra}
        needed = above
    c["recommendations"] = {lv: f"Reach {lv} on {cid}" for lv in sorted({*needed, *extra})}
    c["sources"] = [
        {"ref": ref, "section": draw(TEXT), **({"topic": "t"} if draw(st.booleans()) else {})}
        for ref in draw(st.lists(st.sampled_from(refs), min_size=1, max_size=2))
    ]
    return c


@st.composite
def rubrics(draw) -> dict:
    lo = draw(st.integers(0, 3))
    scale = list(range(lo, lo + draw(st.integers(4, 7))))
    sources = draw(sources_())
    areas = []
    area_ids = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    for i, aid in enumerate(area_ids):
        names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True))
        areas.append({
            "id": aid, "title": f"Area {i}", "description": "d", "weight": draw(WEIGHT),
            "criteria": [draw(criterion_(f"{aid}.{name}", scale, sorted(sources)))
                         for name in names],
        })
    scoring: dict[str, Any] = {}
    for key, values in (("stage_gate", st.sampled_from(["critical", "all"])),
                        ("default_target", st.one_of(st.none(), st.sampled_from(scale))),
                        ("evidence_from_level", st.sampled_from([*scale[1:], None]))):
        if draw(st.integers(0, 3)):
            scoring[key] = draw(values)
    # a "no" must never need evidence (CD106): the rule starts above every not_met
    not_mets = [c["boolean"]["not_met"] for a in areas for c in a["criteria"]
                if c["kind"] == "boolean"]
    if scoring.get("evidence_from_level") is not None and any(
            n >= scoring["evidence_from_level"] for n in not_mets):
        above = [lv for lv in scale if lv > max(not_mets)]
        scoring["evidence_from_level"] = above[0] if above else None
    rubric: dict[str, Any] = {
        "id": "random", "title": "A random rubric", "version": "1.2.3",
        "description": "Generated.", "sources": sources,
        "scale": [{"level": lv, "name": f"Name {lv}", "meaning": f"Meaning {lv}"}
                  for lv in scale],
        "areas": areas,
    }
    if scoring or draw(st.booleans()):
        rubric["scoring"] = scoring
    return rubric


# -- random assessments ------------------------------------------------------------------

EVIDENCE = st.lists(st.sampled_from([
    "  ", "minutes of 2023", "\t\u00a0", "https://example.org/x", " HTTP://Example.org/y ",
    "https://", "mailto:desk@example.org", "see https://example.org z",
    # dated items (rule 2b), around the cutoffs of the max ages and reference dates below
    {"text": "decision", "date": dt.date(2022, 4, 30)},
    {"text": "decision", "date": dt.date(2022, 5, 1), "ref": "Registry 7"},
    {"text": "https://example.org/d", "date": dt.date(2024, 2, 29)},
    {"text": "charter", "valid_until": dt.date(2024, 4, 30)},
    {"text": "charter", "date": dt.date(2023, 1, 31), "valid_until": dt.date(2024, 5, 1),
     "sha256": "ab" * 32},
    {"text": " ", "date": dt.date(2024, 1, 1)},
]), min_size=1, max_size=2)
#: max ages for a rubric or a criterion (rule 2b), and reference dates given as --as-of
MAX_AGES = st.sampled_from([None, "24 months", "1 year", "3 months"])
AS_OF = st.sampled_from([None, dt.date(2024, 5, 31), dt.date(2024, 3, 31)])


def with_max_ages(draw, rubric: dict) -> dict:
    """A max age of evidence for the rubric, and for one criterion of its own."""
    age = draw(MAX_AGES)
    if age is not None:
        rubric["scoring"] = {**(rubric.get("scoring") or {}), "evidence_max_age": age}
    crits = [c for area in rubric["areas"] for c in all_criteria(area)]
    if crits and draw(st.booleans()):
        draw(st.sampled_from(crits))["evidence_max_age"] = draw(MAX_AGES.filter(bool))
    return rubric


def values_for(metric: dict) -> st.SearchStrategy[float]:
    ts = [float(t) for t in metric["thresholds"].values()]
    near = [math.nextafter(t, d) for t in ts for d in (-math.inf, math.inf)]
    lo = metric.get("min", min(ts) - 10)
    hi = metric.get("max", max(ts) + 10)
    inside = [v for v in [*ts, *near] if lo <= v <= hi]
    return st.one_of(st.sampled_from(inside),
                     st.floats(min_value=lo, max_value=hi, allow_nan=False),
                     st.sampled_from([float(lo), float(hi)]))


@st.composite
def answer_(draw, c: dict, scale: list[int]) -> dict | None | str:
    what = draw(st.sampled_from(["answered", "answered", "answered", "answered", "na",
                                 "absent", "null", "empty"]))
    if what == "absent":
        return "absent"
    if what == "null":
        return None
    a: dict[str, Any] = {}
    if what == "na":
        a["not_applicable"] = draw(st.sampled_from(["no mission there", "not our remit"]))
    elif what == "answered":
        if c["kind"] == "level":
            a["level"] = draw(st.sampled_from(scale))
        elif c["kind"] == "boolean":
            a["met"] = draw(st.booleans())
        else:
            a["value"] = draw(values_for(c["metric"]))
        if draw(st.integers(0, 5)) == 0:
            a["not_applicable"] = False
    if draw(st.booleans()):
        a["target"] = draw(st.sampled_from(scale))
    if draw(st.integers(0, 2)):
        a["evidence"] = draw(EVIDENCE)
    if draw(st.integers(0, 3)) == 0:
        a["notes"], a["owner"] = "n", "Desk officer"
    if draw(st.integers(0, 3)) == 0:
        a["due"] = draw(st.sampled_from([dt.date(2025, 6, 30), "2025-Q3"]))
    if draw(st.integers(0, 3)) == 0:  # the action plan
        a.update(draw(PLAN))
    if draw(st.integers(0, 3)) == 0:  # carried forward by `init --from`, unconfirmed
        a["carried"] = draw(st.sampled_from([
            {"source": "berlin-2025.yaml"},
            {"source": "berlin-2025.yaml", "period": "2025", "date": dt.date(2025, 11, 3)}]))
    return a


@st.composite
def assessments(draw, rubric: dict) -> dict:
    scale = [s["level"] for s in rubric["scale"]]
    answers = {}
    for area in rubric["areas"]:
        for c in area["criteria"]:
            a = draw(answer_(c, scale))
            if a != "absent":
                answers[c["id"]] = a
    out: dict[str, Any] = {"rubric": rubric["id"], "organisation": {"name": "Ministry"},
                           "answers": answers}
    if draw(st.booleans()):
        out["default_target"] = draw(st.sampled_from(scale))
    if draw(st.booleans()):
        out.update(rubric_version="1.2.3", period="2024", date=dt.date(2024, 5, 1),
                   assessors=["A. Person"], illustrative=draw(st.booleans()),
                   organisation={"name": "Ministry", "unit": "Cyber desk", "country": "PK"})
    return out


def assert_valid(rubric: dict, assessment: dict) -> None:
    """The generators make only inputs `cyberdip validate` accepts (warnings allowed)."""
    r, problems = rubric_model(rubric)
    problems = list(problems)
    a = Assessment.model_validate(assessment)
    problems += amod.check(a, r, Document("assessment.yaml", assessment, None))
    errors = [f"{p.code} {p.message}" for p in problems if p.level == "error"]
    assert not errors, f"the generator made an invalid input: {errors}"


@st.composite
def cases(draw) -> tuple[dict, dict]:
    rubric = with_max_ages(draw, draw(rubrics()))
    return rubric, draw(assessments(rubric))


@sized(300)
@given(case=cases(), data=st.data())
def test_every_field_of_the_scorecard_is_as_the_doc_says(case, data):
    rubric, assessment = case
    assert_valid(rubric, assessment)
    # the coverage gate at, just above and just below the figure, and anywhere
    coverage = doc_score(rubric, assessment, strict=False, min_coverage=80)["coverage"]
    min_coverage = data.draw(st.one_of(
        st.sampled_from([coverage, round(coverage + 0.01, 2), max(0.0, coverage - 0.01),
                         80.0, 0.0, 100.0]),
        st.floats(min_value=0, max_value=100)), label="min_coverage")
    as_of = data.draw(AS_OF, label="as_of")
    for strict in (False, True):
        assert_same(rubric, assessment, strict=strict, min_coverage=min_coverage, as_of=as_of)


# -- random format-2 rubrics -------------------------------------------------------------

OPTION_SCORES = st.sampled_from([0, 0.1, 0.25, 0.3, 0.33, 0.5, 0.67, 0.75, 1])
OPTION_IDS = ["NI", "PI", "LI", "FI", "NO", "PART", "YES", "x1"]
BAND_MINS = [0, 20, 33.33, 40, 54.72, 55, 75, 85, 95, 100]
SENTENCE = st.sampled_from(["A plan exists.", "Staff are trained!", "Is it funded?",
                            "budget line", "a named owner", "منصوبہ موجود ہے۔"])
BUILTIN_ITEMS = {"itu-gci": ["legal", "technical", "cooperation"],
                 "nist-csf": ["GV", "DE", "RC"], "un-gge-2015": ["13a", "13e", "13k"]}


@st.composite
def answer_scale(draw) -> list[dict]:
    ids = draw(st.lists(st.sampled_from(OPTION_IDS), min_size=2, max_size=4, unique=True))
    scores = sorted(draw(st.lists(OPTION_SCORES, min_size=len(ids), max_size=len(ids))))
    out = []
    for oid, sc in zip(ids, scores, strict=True):
        o: dict[str, Any] = {"id": oid, "name": f"Answer {oid}", "score": sc}
        if draw(st.booleans()):
            o["meaning"] = draw(st.sampled_from(["", f"{oid} means this.", "Done in part."]))
        if draw(st.booleans()):
            o["satisfies"] = draw(st.booleans())
        out.append(o)
    if draw(st.integers(0, 3)):  # mostly, the best option counts as the practice done
        out[-1]["satisfies"] = True
    return out


@st.composite
def criterion2(draw, cid: str, scale: list[int], ctx: dict) -> dict:
    """One format-2 criterion; ``ctx`` holds what the rubric around it offers."""
    kinds = ["choice", "linear"] if not scale else [
        "level", "level", "indicators", "indicators", "boolean", "metric", "linear",
        "linear-levels", "choice"]
    kind = draw(st.sampled_from(kinds))
    c: dict[str, Any] = {"id": cid, "question": f"Is {cid} done?",
                         "kind": "metric" if kind.startswith("linear") else
                         "level" if kind == "indicators" else kind}
    if draw(st.booleans()):
        c["title"] = f"Title of {cid}"
    if draw(st.booleans()):
        c["weight"] = draw(WEIGHT)
    if draw(st.integers(0, 2)) == 0:
        c["critical"] = draw(st.booleans())
    above = scale[1:]
    if kind == "indicators":
        c["indicators"] = {
            lv: [{"id": f"i{lv}{k}", "text": draw(SENTENCE)}
                 for k in range(draw(st.integers(1, 2)))] for lv in above}
    elif kind == "boolean":
        ceiling = [lv for lv in scale[:-1] if ctx["E"] is None or lv < ctx["E"]]
        not_met = draw(st.sampled_from(ceiling))
        c["boolean"] = {"not_met": not_met,
                        "met": draw(st.sampled_from([lv for lv in scale if lv > not_met]))}
    elif kind == "choice":
        c["answer_scale"] = draw(st.sampled_from(sorted(ctx["answer_scales"])))
    elif kind != "level":
        m: dict[str, Any] = {"unit": draw(st.sampled_from(["%", "points", "days"]))}
        better = draw(st.sampled_from(["higher", "lower", None]))
        if better is not None:
            m["better"] = better
        if kind in ("metric", "linear-levels"):
            ts = sorted(draw(st.lists(THRESHOLD, min_size=len(above), max_size=len(above),
                                      unique_by=float)), key=float)
            if better == "lower":
                ts.reverse()
            m["thresholds"] = dict(zip(above, ts, strict=True))
            lo_t, hi_t = min(ts), max(ts)
        else:
            lo_t = draw(st.sampled_from([0, -0.0, -5, 0.5, 10]))
            hi_t = lo_t + draw(st.sampled_from([0.1, 1, 20, 100, 1e6]))
        if kind != "metric":
            m["scoring"] = "linear"
        if kind != "metric" or draw(st.booleans()):
            m["min"] = lo_t - draw(st.sampled_from([0, 1, 0.5]))
        if kind != "metric" or draw(st.booleans()):
            m["max"] = hi_t + draw(st.sampled_from([0, 1, 0.5]))
        c["metric"] = m
    if scale and draw(st.booleans()):
        c["levels"] = {lv: f"{cid} at {lv}" for lv in draw(
            st.lists(st.sampled_from(scale), max_size=3, unique=True))}
    if scale and draw(st.booleans()):
        c["recommendations"] = {lv: f"Reach {lv} on {cid}" for lv in draw(
            st.lists(st.sampled_from(above), max_size=3, unique=True))}
    if ctx["practices"] or (scale and draw(st.integers(0, 3)) == 0):
        # mostly the first stages above the lowest, so that an area's stage can rise
        c["stage"] = draw(st.sampled_from(scale[1:3] if draw(st.integers(0, 2)) else scale))
    profiles = ctx["profiles"]
    if ctx.get("only"):  # the whole area is asked of one profile
        c["applies_to"] = [ctx["only"]]
    elif profiles and draw(st.integers(0, 2)) == 0:
        c["applies_to"] = draw(st.lists(st.sampled_from(profiles), min_size=1, unique=True))
    if profiles and draw(st.integers(0, 2)) == 0:
        c["question_for"] = {p: f"As {p}: is {cid} done?" for p in draw(
            st.lists(st.sampled_from(profiles), min_size=1, unique=True))}
    if draw(st.booleans()):
        maps = []
        for _ in range(draw(st.integers(1, 2))):
            fw = draw(st.sampled_from([*BUILTIN_ITEMS, *ctx["frameworks"]]))
            items = BUILTIN_ITEMS.get(fw) or ctx["frameworks"][fw] or ["free-1", "z", "a"]
            mp = {"framework": fw, "item": draw(st.sampled_from(items)),
                  "relationship": draw(st.sampled_from(
                      ["equal", "subset", "superset", "intersects"]))}
            if draw(st.booleans()):
                mp["note"] = "why"
            maps.append(mp)
        c["mappings"] = maps
    if draw(st.integers(0, 4)) == 0:
        c["crosswalk"] = {"nist_csf": "DE", "un_gge": ["13a"]}
    c["sources"] = [{"ref": ref, "section": draw(TEXT)}
                    for ref in draw(st.lists(st.sampled_from(ctx["refs"]), min_size=1,
                                             max_size=2))]
    return c


@st.composite
def rubrics2(draw) -> dict:
    scale: list[int] = []
    if draw(st.integers(0, 7)):
        lo = draw(st.integers(0, 2))
        scale = list(range(lo, lo + draw(st.integers(4, 6))))
    gate = draw(st.sampled_from(["critical", "all", "practices", "none"])) if scale else "none"
    scoring: dict[str, Any] = {}
    if gate != "critical" or draw(st.booleans()):
        scoring["stage_gate"] = gate
    if draw(st.booleans()):
        scoring["unanswered"] = draw(st.sampled_from(["ignore", "lowest"]))
    E = draw(st.sampled_from([None, *scale[1:]])) if scale else None
    if E is not None:
        scoring["evidence_from_level"] = E
    if scale and draw(st.booleans()):
        scoring["default_target"] = draw(st.sampled_from(scale))
    sources = draw(sources_())
    profiles = draw(st.sampled_from([[], ["hq"], ["hq", "mission"], ["mission", "hq", "desk"]]))
    frameworks = {}
    if draw(st.booleans()):
        frameworks["oecd"] = draw(st.sampled_from([[], ["D1", "D2", "D0"]]))
    answer_scales = {f"scale-{i}": draw(answer_scale()) for i in range(draw(st.integers(1, 2)))}
    ctx = {"E": E, "answer_scales": answer_scales, "practices": gate == "practices",
           "profiles": profiles, "frameworks": frameworks, "refs": sorted(sources)}
    counter = iter(range(10_000))

    def criteria(prefix: str, n_max: int, context: bool, only: str | None) -> list[dict]:
        out = []
        for _ in range(draw(st.integers(1, n_max))):
            c = draw(criterion2(f"{prefix}-{next(counter)}", scale,
                                {**ctx, "practices": ctx["practices"] and not context,
                                 "only": only}))
            out.append(c)
        return out

    areas = []
    n_areas = draw(st.integers(1, 3))
    contexts = [draw(st.integers(0, 3)) == 0 for _ in range(n_areas)]
    if all(contexts):
        contexts[draw(st.integers(0, n_areas - 1))] = False  # CD106: one is not context
    for i, context in enumerate(contexts):
        aid = f"A{i}"
        area: dict[str, Any] = {"id": aid, "title": f"Area {i}"}
        if draw(st.booleans()):
            area["weight"] = draw(WEIGHT)
        if context:
            area["context"] = True
        only = draw(st.sampled_from(profiles)) if profiles and draw(st.integers(0, 3)) == 0 \
            else None
        if draw(st.booleans()):
            area["criteria"] = criteria(aid, 3, context, only)
        if "criteria" not in area or draw(st.booleans()):
            groups = []
            for j in range(draw(st.integers(1, 2))):
                g: dict[str, Any] = {"id": f"{aid}.g{j}",
                                     "criteria": criteria(f"{aid}g{j}", 2, context, only)}
                if draw(st.booleans()):
                    g["title"] = f"Group {j}"
                if draw(st.integers(0, 2)) == 0:
                    g["groups"] = [{"id": f"{aid}.g{j}.s", "criteria": criteria(
                        f"{aid}g{j}s", 2, context, only)}]
                groups.append(g)
            area["groups"] = groups
        areas.append(area)
    rubric: dict[str, Any] = {
        "format": 2, "id": "random2", "title": "A random format-2 rubric", "version": "2.0.0",
        "description": "Generated.", "sources": sources, "areas": areas,
    }
    if scale:
        rubric["scale"] = [{"level": lv, "name": f"Name {lv}", "meaning": f"Meaning {lv}"}
                           for lv in scale]
    if scoring:
        rubric["scoring"] = scoring
    if any(c.get("kind") == "choice" for a in areas for c in all_criteria(a)) \
            or draw(st.booleans()):
        rubric["answer_scales"] = answer_scales
    if profiles:
        rubric["profiles"] = [{"id": p, "name": f"The {p}"} for p in profiles]
    if frameworks:
        rubric["frameworks"] = {k: {"title": f"Framework {k}",
                                    **({"items": {i: f"Item {i}" for i in v}} if v else {})}
                                for k, v in frameworks.items()}
    if draw(st.booleans()):
        mins = draw(st.lists(st.sampled_from(BAND_MINS), min_size=1, max_size=4, unique=True))
        rubric["index"] = {"bands": [
            {"name": f"Band {k}", "min": mn, **({"meaning": "m"} if k % 2 else {})}
            for k, mn in enumerate(mins)]}
    if draw(st.booleans()):
        rubric["labels"] = {"index": "overall score", "stage": "tier"}
    if draw(st.booleans()):
        rubric["glossary"] = {"mission": "An embassy.", "MIL": "A maturity level."}
    return rubric


# -- random answers to any rubric (format 1 or 2) -----------------------------------------


@st.composite
def answer2(draw, rubric: dict, c: dict, blanks: bool = True) -> dict | None | str:
    """A random answer to ``c``; with ``blanks`` false, never a blank one (an assessment
    with no blank gets past `blocked` to the other stage plans)."""
    scale = [s["level"] for s in rubric.get("scale") or []]
    lo = scale[0] if scale else 0
    what = draw(st.sampled_from(["answered"] * 5 + ["na", "absent", "null", "empty"])
                if blanks else st.sampled_from(["answered"] * 8 + ["na"]))
    if what == "absent":
        return "absent"
    if what == "null":
        return None
    a: dict[str, Any] = {}
    if what == "na":
        a["not_applicable"] = draw(st.sampled_from(["no mission there", "not our remit"]))
    elif what == "answered":
        kind = c["kind"]
        m = c.get("metric") or {}
        if kind == "level" and c.get("indicators") and draw(st.integers(0, 3)):
            inds = [(lv, i["id"]) for lv in sorted(c["indicators"])
                    for i in c["indicators"][lv]]
            given: dict[str, Any] = {}
            for _lv, iid in inds:
                how = draw(st.sampled_from(["true", "true", "false", "none", "absent",
                                            "full"]))
                if how == "true":
                    given[iid] = True
                elif how == "false":
                    given[iid] = False
                elif how == "none":
                    given[iid] = None
                elif how == "full":
                    given[iid] = {"met": draw(st.sampled_from([True, False, None])),
                                  **({"evidence": draw(EVIDENCE)} if draw(st.booleans())
                                     else {})}
            a["indicators"] = given
            met = {k: (v.get("met") if isinstance(v, dict) else v) for k, v in given.items()}
            if any(v is not None for v in met.values()) and draw(st.integers(0, 3)) == 0:
                derived = lo  # the quick `level:` too, agreeing with the indicators (CD314)
                for lv in sorted(c["indicators"]):
                    if all(met.get(i["id"]) is True for i in c["indicators"][lv]):
                        derived = lv
                    else:
                        break
                a["level"] = derived
        elif kind == "level":
            a["level"] = draw(st.sampled_from(scale))
        elif kind == "boolean":
            a["met"] = draw(st.booleans())
        elif kind == "choice":
            a["answer"] = draw(st.sampled_from(
                [o["id"] for o in rubric["answer_scales"][c["answer_scale"]]]))
        elif m.get("thresholds") and draw(st.integers(0, 5)) == 0:
            a["level"] = lo  # the metric's lowest case, with no number
        elif m.get("thresholds"):
            a["value"] = draw(values_for(m))
        else:
            ends = [m["min"], m["max"], (m["min"] + m["max"]) / 2]
            a["value"] = draw(st.one_of(
                st.floats(min_value=m["min"], max_value=m["max"], allow_nan=False),
                st.sampled_from(ends + ([-0.0] if m["min"] <= 0 <= m["max"] else []))))
        if draw(st.integers(0, 5)) == 0:
            a["not_applicable"] = False
    if scale and draw(st.integers(0, 2)) == 0:
        a["target"] = draw(st.sampled_from(scale))
    if draw(st.integers(0, 2)):
        a["evidence"] = draw(EVIDENCE)
    if draw(st.integers(0, 3)) == 0:
        a["notes"], a["owner"] = "n", "Desk officer"
    if draw(st.integers(0, 3)) == 0:
        a["due"] = draw(st.sampled_from([dt.date(2025, 6, 30), "2025-Q3"]))
    if draw(st.integers(0, 3)) == 0:  # the action plan
        a.update(draw(PLAN))
    return a


RESPONDENT_KEYS = ("level", "met", "value", "answer", "indicators", "not_applicable",
                   "evidence", "notes")


@st.composite
def assessments2(draw, rubric: dict) -> dict:
    scale = [s["level"] for s in rubric.get("scale") or []]
    answers = {}
    merged = draw(st.integers(0, 2)) == 0
    blanks = draw(st.integers(0, 2)) != 0
    names = ["Desk A", "Desk B", "Mission C"]
    for area in rubric["areas"]:
        for c in all_criteria(area):
            a = draw(answer2(rubric, c, blanks))
            if merged and isinstance(a, dict) and draw(st.booleans()):
                # as `cyberdip merge` keeps them: each respondent's own answer
                people = []
                for who in draw(st.lists(st.sampled_from(names), min_size=2, max_size=3,
                                         unique=True)):
                    own = draw(answer2(rubric, c))
                    own = {k: v for k, v in own.items() if k in RESPONDENT_KEYS} \
                        if isinstance(own, dict) else {}
                    if own.get("not_applicable") is False:
                        del own["not_applicable"]
                    people.append({"name": who, **own})
                a["respondents"] = people
            if a != "absent":
                answers[c["id"]] = a
    out: dict[str, Any] = {"rubric": rubric["id"], "organisation": {"name": "Ministry"},
                           "answers": answers}
    if merged:
        out["merged_from"] = {"respondents": names, "rule": draw(st.sampled_from(
            ["median", "lowest"])), **({"discuss_above": draw(st.integers(0, 2))}
                                       if draw(st.booleans()) else {})}
    profiles = [p["id"] for p in rubric.get("profiles") or []]
    if profiles and draw(st.booleans()):
        out["profile"] = draw(st.sampled_from(profiles))
    if scale and draw(st.booleans()):
        out["default_target"] = draw(st.sampled_from(scale))
    if draw(st.booleans()):
        out.update(rubric_version=rubric["version"], period="2024", date=dt.date(2024, 5, 1),
                   assessors=["A. Person"], illustrative=draw(st.booleans()),
                   organisation={"name": "Ministry", "unit": "Cyber desk", "country": "PK"})
    return out


@st.composite
def cases2(draw) -> tuple[dict, dict]:
    rubric = with_max_ages(draw, draw(rubrics2()))
    return rubric, draw(assessments2(rubric))


@sized(300)
@given(case=cases2(), data=st.data())
def test_every_field_of_a_format_2_scorecard_is_as_the_doc_says(case, data):
    rubric, assessment = case
    assert_valid(rubric, assessment)
    coverage = doc_score(rubric, assessment, strict=False, min_coverage=80)["coverage"]
    min_coverage = data.draw(st.sampled_from([coverage, round(coverage + 0.01, 2), 80.0]),
                             label="min_coverage")
    as_of = data.draw(AS_OF, label="as_of")
    for strict in (False, True):
        assert_same(rubric, assessment, strict=strict, min_coverage=min_coverage, as_of=as_of)


SHIPPED = ["rubrics/cyberdip-core.yaml", "rubrics/cyberdip-core@1.yaml",
           "examples/frameworks/itu-gci/rubric.yaml",
           "examples/frameworks/nist-csf-2.0/rubric.yaml",
           "examples/frameworks/c2m2-style/rubric.yaml"]


@functools.cache
def shipped_rubric(path: str) -> dict:
    """A shipped rubric's data, loaded once (and never changed by a test)."""
    return yamlio.load(ROOT / path).data


@pytest.mark.parametrize("shipped", SHIPPED)
@sized(25, long=1_000)
@given(data=st.data())
def test_every_field_for_random_answers_to_the_shipped_rubrics(shipped, data):
    # the rubric's path, not its data, is the argument: Hypothesis writes the arguments
    # of a failing case out in full, and the core rubric alone is over 30,000 characters
    # (see `pytestmark`)
    rubric = shipped_rubric(shipped)
    assessment = data.draw(assessments2(rubric), label="assessment")
    assert_valid(rubric, assessment)
    for strict in (False, True):
        assert_same(rubric, assessment, strict=strict, min_coverage=80)


# -- fixed cases the doc names -----------------------------------------------------------


def _one_area_rubric(**scoring) -> dict:
    return {
        "id": "fixed", "title": "t", "version": "1.0.0", "description": "d",
        "sources": {"s": {"authors": ["Munir, Shahzad"], "year": 2023, "title": "t"}},
        "scale": [{"level": lv, "name": f"N{lv}", "meaning": "m"} for lv in range(5)],
        "scoring": scoring,
        "areas": [{"id": "a", "title": "A", "description": "d", "weight": 1, "criteria": [
            {"id": "a.yes", "title": "y", "question": "q", "kind": "boolean", "weight": 1,
             "critical": True, "boolean": {"met": 3, "not_met": 1},
             "levels": {1: "No.", 3: "Yes."}, "recommendations": {3: "Do it."},
             "sources": [{"ref": "s", "section": "x"}]},
            {"id": "a.lvl", "title": "l", "question": "q", "kind": "level", "weight": 2,
             "levels": {lv: f"L{lv}" for lv in range(5)},
             "recommendations": {lv: f"R{lv}" for lv in range(1, 5)},
             "sources": [{"ref": "s", "section": "x"}]},
        ]}],
    }


@pytest.mark.parametrize("strict", [False, True])
def test_targets_are_capped_at_reach_for_every_status(strict):
    rubric = _one_area_rubric(evidence_from_level=2)
    for answer in ({"met": False, "target": 4}, {"met": True, "target": 4},
                   {"not_applicable": "n/a", "target": 4}, {"target": 4}):
        assessment = {"rubric": "fixed", "organisation": {"name": "m"},
                      "answers": {"a.yes": answer, "a.lvl": {"level": 1}}}
        assert_valid(rubric, assessment)
        assert_same(rubric, assessment, strict=strict, min_coverage=80)
        card = score(Rubric.model_validate(rubric), Assessment.model_validate(assessment),
                     strict=strict)
        yes = card.criteria[0]
        assert yes.target == 3  # boolean.met, not the 4 asked for
        assert (yes.gap > 0) == any(g.id == "a.yes" for g in card.gaps)


def test_the_fields_section_names_every_field_of_the_scorecard():
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Every field of the scorecard"):]
    missing = []

    def walk(model: type) -> None:
        for name, info in model.model_fields.items():
            if f"`{name}`" not in section:
                missing.append(f"{model.__name__}.{name}")
            for sub in _models_in(info.annotation):
                walk(sub)

    walk(Scorecard)
    assert not missing, f"docs/scoring.md does not describe: {missing}"


def _models_in(annotation: Any) -> list[type]:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


def block(marker: str) -> bytes:
    m = re.search(rf"<!-- {marker} -->\s*```\w*\n(.*?)```", DOC.read_text("utf-8"), re.S)
    assert m, f"docs/scoring.md has no block after <!-- {marker} -->"
    return m.group(1).encode()


def test_the_doc_engine_agrees_with_the_worked_example():
    """The second engine is itself checked against the hand-worked figures."""
    rubric = yamlio.parse(block("example-rubric"), "r").data
    assessment = yamlio.parse(block("example-assessment"), "a").data
    card = doc_score(rubric, assessment, strict=False, min_coverage=80)
    assert [(a["score"], a["stage"], a["coverage"]) for a in card["areas"]] == [
        (58.33, 2, 100.0), (50.0, 2, 100.0)]
    assert (card["index"], card["stage"], card["provisional"]) == (55.56, 2, False)
    assert [(g["id"], g["priority"]) for g in card["gaps"]] == [
        ("policy.strategy", 8.0), ("outreach.missions-online", 1.0)]
    assert_same(rubric, assessment, strict=False, min_coverage=80)
    assert_same(rubric, assessment, strict=True, min_coverage=80)


def test_the_doc_engine_agrees_with_the_format_2_worked_examples():
    rubric = yamlio.parse(block("example2-rubric"), "r").data
    assessment = yamlio.parse(block("example2-assessment"), "a").data
    card = doc_score(rubric, assessment, strict=False, min_coverage=80)
    assert [(a["id"], a["score"], a["target_score"], a["stage"]) for a in card["areas"]] == [
        ("policy", 58.33, 75.0, 2), ("outreach", 47.5, 80.0, 2), ("national", 100.0, 100.0,
                                                                  None)]
    assert (card["index"], card["band"]["name"], card["stage"]) == (54.72, "Developing", 2)
    assert [(g["id"], g["priority"]) for g in card["gaps"]] == [
        ("policy.strategy", 8.0), ("outreach.replies", 2.0), ("outreach.reach", 1.0)]
    as_mission = {**assessment, "profile": "mission"}
    assert doc_score(rubric, as_mission, strict=False, min_coverage=80)["areas"][0][
        "score"] == 50.0
    practices = yamlio.parse(block("example3-rubric"), "r").data
    answered = yamlio.parse(block("example3-assessment"), "a").data
    blank = {**answered, "answers": {k: v for k, v in answered["answers"].items()
                                     if k != "ASSET-1a"}}
    assert [doc_score(practices, a, strict=False, min_coverage=80)["areas"][0]["stage"]
            for a in (answered, blank)] == [1, 0]
    for r, a in ((rubric, assessment), (rubric, as_mission), (practices, answered),
                 (practices, blank)):
        for strict in (False, True):
            assert_same(r, a, strict=strict, min_coverage=80)


def _rubric(areas: list[tuple[float, list[tuple[float, dict]]]], *, top: int = 4,
            **scoring) -> dict:
    """A rubric on the scale 0..top: areas of (weight, [(criterion weight, extra keys)])."""
    out = []
    for i, (aw, crits) in enumerate(areas):
        criteria = []
        for j, (cw, extra) in enumerate(crits):
            c = {"id": f"a{i}.c{j}", "title": "t", "question": "q", "weight": cw,
                 "kind": "level", "levels": {lv: f"L{lv}" for lv in range(top + 1)},
                 "recommendations": {lv: f"R{lv}" for lv in range(1, top + 1)},
                 "sources": [{"ref": "s", "section": "x"}]}
            c.update(extra)
            criteria.append(c)
        out.append({"id": f"a{i}", "title": f"A{i}", "description": "d", "weight": aw,
                    "criteria": criteria})
    return {"id": "fixed", "title": "t", "version": "1.0.0", "description": "d",
            "sources": {"s": {"authors": ["Munir, Shahzad"], "year": 2023, "title": "t"}},
            "scale": [{"level": lv, "name": f"N{lv}", "meaning": "m"} for lv in range(top + 1)],
            "scoring": scoring, "areas": out}


def _card(rubric: dict, answers: dict, **kw) -> Scorecard:
    assessment = {"rubric": "fixed", "organisation": {"name": "m"}, "answers": answers}
    assert_valid(rubric, assessment)
    for strict in (False, True):
        assert_same(rubric, assessment, strict=strict, min_coverage=kw.get("min_coverage", 80))
    return score(Rubric.model_validate(rubric), Assessment.model_validate(assessment), **kw)


@pytest.mark.parametrize(("top", "levels_weights", "expected"), [
    # the exact mean is 54.375; the doc's order (mean, then × 100) gives 54.37499999999999
    (5, [(4, 9), (2, 3), (0, 11), (5, 9)], 54.37),
    # (0.75 × 0.1 + 1 × 0.7) ÷ 0.8 × 100 is 96.88; 100 × 0.775 ÷ 0.8 would be 96.87
    (4, [(3, 0.1), (4, 0.7)], 96.88),
])
def test_an_area_score_is_the_mean_then_times_100_then_rounded(top, levels_weights, expected):
    rubric = _rubric([(1, [(w, {}) for _, w in levels_weights])], top=top)
    card = _card(rubric, {f"a0.c{j}": {"level": lv} for j, (lv, _) in enumerate(levels_weights)})
    assert card.areas[0].score == expected
    assert card.index == expected


def test_coverage_is_rounded_down_once_and_gated_as_shown():
    # area a0: 42 equal criteria, 7 unanswered: 250/3 %; area a1: one criterion, unanswered.
    # Weighted 299997 : 12503, the overall coverage is exactly 79.9992 %.
    rubric = _rubric([(299_997, [(1, {})] * 42), (12_503, [(1, {})])])
    answers = {f"a0.c{j}": {"level": 2} for j in range(35)}
    card = _card(rubric, answers, min_coverage=80)
    assert [a.coverage for a in card.areas] == [83.33, 0.0]
    assert card.coverage == 79.99
    assert card.provisional is True
    assert _card(rubric, answers, min_coverage=79.99).provisional is False

    from cyberdip.cli.common import check_gates

    assert check_gates(card, 80, None) == 1
    assert check_gates(card, 79.99, None) == 0


def test_coverage_floating_point_noise_is_not_rounded_down():
    # 0 % at weight 0.1 and 75 % at weight 0.2 is 50 %, computed as 49.99999999999999
    rubric = _rubric([(0.1, [(1, {})]), (0.2, [(1, {})] * 4)])
    card = _card(rubric, {f"a1.c{j}": {"level": 1} for j in range(3)}, min_coverage=50)
    assert card.coverage == 50.0 and card.provisional is False


def test_a_boolean_no_at_or_above_the_evidence_rule_is_refused():
    # not_met (2) at the evidence rule (2): a "no" would need evidence, and --strict
    # would score it at a level the boolean cannot produce. Validation refuses it.
    rubric = _rubric([(1, [(1, {"kind": "boolean", "boolean": {"met": 3, "not_met": 2},
                                "levels": {2: "No.", 3: "Yes."},
                                "recommendations": {3: "Do it."}})])],
                     evidence_from_level=2)
    r = Rubric.model_validate(rubric)
    doc = Document("r.yaml", rubric, None)
    [p] = rmod.check(r, doc)
    assert p.code == "CD106" and "boolean.not_met (2) is at or above" in p.message


def test_a_tiny_true_shortfall_is_not_rounded_up_to_full_coverage():
    rubric = _rubric([(1, [(1_000_000, {}), (0.00001, {})])])
    card = _card(rubric, {"a0.c0": {"level": 1}}, min_coverage=100)
    assert card.coverage == 99.99 and card.provisional is True


def test_a_criterion_above_its_target_counts_at_its_level_in_the_target_score():
    rubric = _rubric([(1, [(1, {})])], default_target=2)
    card = _card(rubric, {"a0.c0": {"level": 4}})
    assert (card.areas[0].score, card.areas[0].target_score) == (100.0, 100.0)


def test_the_band_is_read_from_the_index_as_shown():
    # a linear metric at 54.996 of 0..100 gives an index of 54.996, shown as 55.0: the
    # band that starts at 55 (rule 18), though the unrounded index is below it
    rubric = {
        "format": 2, "id": "bands", "title": "t", "version": "1.0.0", "description": "d",
        "sources": {"s": {"authors": ["A"], "year": 2023, "title": "t"}},
        "scoring": {"stage_gate": "none"},
        "index": {"bands": [{"name": "Low", "min": 0}, {"name": "High", "min": 55}]},
        "areas": [{"id": "a", "title": "A", "criteria": [
            {"id": "m", "question": "q", "kind": "metric", "sources": [{"ref": "s",
                                                                       "section": "x"}],
             "metric": {"unit": "points", "min": 0, "max": 100, "scoring": "linear"}}]}]}
    assessment = {"rubric": "bands", "organisation": {"name": "m"},
                  "answers": {"m": {"value": 54.996}}}
    assert_valid(rubric, assessment)
    assert_same(rubric, assessment, strict=False, min_coverage=80)
    card = score(Rubric.model_validate(rubric), Assessment.model_validate(assessment))
    assert (card.index, card.band.name) == (55.0, "High")


SHIPPED_ASSESSMENTS = sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "examples").rglob("*.yaml")
    if not p.name.startswith("rubric")  # rubric.yaml, rubric-2020.yaml
    and p.name != "pack.yaml")  # a pack's manifest (docs/packs.md)


@pytest.mark.parametrize("path", SHIPPED_ASSESSMENTS)
def test_cyberdip_score_json_of_every_shipped_assessment_is_as_the_doc_says(cli, path):
    """What `cyberdip score --format json` prints is the engine's scorecard: the doc's,
    field by field, with the assessment's `marking` (its spaces folded) carried over."""
    import json

    from cyberdip.formats import documents

    r = cli("score", ROOT / path, "--format", "json")
    assert (r.code, r.stderr) == (0, ""), r.stderr
    got = json.loads(r.stdout)
    checked = documents.load_assessment(str(ROOT / path))
    rubric = yamlio.load(checked.rubric_path).data
    assessment = yamlio.load(ROOT / path).data
    # the rubric's `sha256` is that of the file's bytes, as the doc says
    file_hash = hashlib.sha256(Path(checked.rubric_path).read_bytes()).hexdigest()
    want = doc_score(rubric, assessment, strict=False, min_coverage=80,
                     engine_facts={"cyberdip_version": got["cyberdip_version"],
                                   "sha256": file_hash})
    if assessment.get("marking"):
        want["marking"] = " ".join(assessment["marking"].split())
    diffs = differences(got, want)
    assert not diffs, "cyberdip score and docs/scoring.md disagree:\n" + "\n".join(diffs[:20])


def test_a_value_of_minus_zero_is_named_0_in_a_gap():
    """Rule 12: found by the long profile, where the doc first said only `f"{x:g}"`."""
    assert_same_on_one_linear_metric(low=-5, high=0.0, value=-0.0)


def assert_same_on_one_linear_metric(low: float, high: float, value: float
                                     ) -> tuple[dict, dict]:
    """The engine and the doc agree on a rubric of one linear metric, lower better,
    from ``low`` to ``high``, answered ``value``; returns the rubric and assessment."""
    rubric = {
        "format": 2, "id": "zero", "title": "t", "version": "1.0.0", "description": "d",
        "sources": {"s": {"authors": ["A"], "year": 2023, "title": "t"}},
        "scoring": {"stage_gate": "none"},
        "areas": [{"id": "a", "title": "A", "criteria": [
            {"id": "m", "question": "q", "kind": "metric",
             "sources": [{"ref": "s", "section": "x"}],
             "metric": {"unit": "pts", "min": low, "max": high, "better": "lower",
                        "scoring": "linear"}}]}]}
    assessment = {"rubric": "zero", "organisation": {"name": "m"},
                  "answers": {"m": {"value": value}}}
    assert_valid(rubric, assessment)
    assert_same(rubric, assessment, strict=False, min_coverage=80)
    return rubric, assessment
    card = score(Rubric.model_validate(rubric), Assessment.model_validate(assessment))
    assert [(g.current_name, g.target_name) for g in card.gaps] == [("0 pts", "-5 pts")]


def _practices_rubric(rate_stage: int = 2) -> dict:
    """Format 2, C2M2's practices gate on 0..3: a level practice and a choice practice at
    stage 1, and a linear metric without thresholds (so never satisfied) at stage 2."""
    rate: dict[str, Any] = {"id": "a.rate", "question": "What share is done?", "kind": "metric",
                            "metric": {"unit": "%", "min": 0, "max": 100,
                                       "scoring": "linear"},
                            "stage": rate_stage, "sources": [{"ref": "s", "section": "x"}]}
    return {
        "format": 2, "id": "fixed", "title": "t", "version": "1.0.0", "description": "d",
        "sources": {"s": {"authors": ["A"], "year": 2023, "title": "t"}},
        "scale": [{"level": lv, "name": f"N{lv}", "meaning": f"M{lv}"} for lv in range(4)],
        "scoring": {"stage_gate": "practices"},
        "answer_scales": {"yn": [
            {"id": "NO", "name": "No", "score": 0},
            {"id": "PART", "name": "Partly", "score": 0.5, "meaning": "Done in part."},
            {"id": "YES", "name": "Yes", "score": 1, "satisfies": True,
             "meaning": "Done fully."}]},
        "areas": [{"id": "a", "title": "A", "criteria": [
            {"id": "a.plan", "question": "Is there a plan?", "kind": "level", "stage": 1,
             "indicators": {1: [{"id": "p1", "text": "A plan exists."}],
                            2: [{"id": "p2", "text": "It is funded."}],
                            3: [{"id": "p3", "text": "It is reviewed."}]},
             "sources": [{"ref": "s", "section": "x"}]},
            {"id": "a.choice", "question": "Is it done?", "kind": "choice",
             "answer_scale": "yn", "stage": 1, "sources": [{"ref": "s", "section": "x"}]},
            rate]}]}


def test_a_choice_practice_not_satisfied_is_a_step_to_the_first_option_that_satisfies():
    """"What the verdict could still become", stage_plan rules 3 and 7 with a choice."""
    card = _card(_practices_rubric(), {"a.plan": {"level": 1}, "a.choice": {"answer": "PART"},
                                       "a.rate": {"value": 40}})
    plan = card.stage_plan
    assert (plan.status, plan.next_stage) == ("rise", 1)
    assert [(s.id, s.current_name, s.to_answer, s.to_name, s.actions) for s in plan.steps] == \
        [("a.choice", "Partly", "YES", "Yes", ["Done fully."])]
    # each gap's actions: the next option's meaning; for a linear metric, its best end
    assert {g.id: g.actions for g in card.gaps} == {
        "a.plan": ["It is funded."], "a.choice": ["Done fully."], "a.rate": ["reach 100 %"]}


def test_a_practice_that_can_never_be_satisfied_leaves_the_stage_plan_at_top():
    """stage_plan rule 5: a linear metric without thresholds has no level, so as a
    practice it is never satisfied, and the stage cannot rise past its stage."""
    card = _card(_practices_rubric(), {"a.plan": {"level": 1}, "a.choice": {"answer": "YES"},
                                       "a.rate": {"value": 40}})
    assert (card.stage, card.stage_plan.status, card.stage_plan.next_stage) == (1, "top", 2)


def test_a_stage_with_no_practice_leaves_the_stage_plan_at_top():
    """stage_plan rules 3 and 5: stage 2 has no counted criterion (the area is stuck)."""
    card = _card(_practices_rubric(rate_stage=3),
                 {"a.plan": {"level": 3}, "a.choice": {"answer": "YES"},
                  "a.rate": {"value": 40}})
    assert (card.stage, card.stage_plan.status, card.stage_plan.next_stage) == (1, "top", 2)


def test_a_blank_practice_is_answered_first():
    """stage_plan rule 4, under format 2's default `unanswered: lowest`."""
    card = _card(_practices_rubric(), {"a.choice": {"answer": "YES"}, "a.rate": {"value": 4}})
    assert card.unanswered == "lowest"
    assert (card.stage_plan.status, [(s.id, s.answer_first, s.actions)
                                     for s in card.stage_plan.steps]) == \
        ("blocked", [("a.plan", True, ["Is there a plan?"])])
    assert (card.stage_setting.criteria, card.stage_setting.unanswered) == (3, ["a.plan"])


def test_a_best_end_of_minus_zero_is_reached_as_0():
    """"What the verdict could still become", each gap's `actions`: the best end of a
    metric without levels is written as rule 12 writes it, so −0 is `0` (the engine
    wrote `reach -0 pts` beside a `next_name` of `0 pts`)."""
    rubric, assessment = assert_same_on_one_linear_metric(low=-0.0, high=5, value=2)
    card = score(Rubric.model_validate(rubric), Assessment.model_validate(assessment))
    assert [(g.next_name, g.actions) for g in card.gaps] == [("0 pts", ["reach 0 pts"])]
