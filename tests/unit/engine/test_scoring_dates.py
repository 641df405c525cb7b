"""Dated evidence, stale and expired (docs/scoring.md, rule 2b): judged against one
reference date, the assessment's own `date` or `--as-of`, never the clock."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cyberdip.engine.scoring import (
    evidence_age,
    months_before,
    reference_date,
    score,
)
from cyberdip.formats import documents
from cyberdip.model.assessment import Assessment, EvidenceItem
from tests.conftest import DATA

DATED = DATA / "rubrics" / "format2-dated.yaml"  # evidence_max_age: 2 years; policy.law 6 months
LAW = "policy.law"  # boolean, met -> 3, evidence needed from 3


@cache
def rubric():
    return documents.rubric_at(DATED)


def assessment(evidence: list, *, date: object = dt.date(2025, 6, 30), cid: str = LAW,
               answer: dict | None = None) -> Assessment:
    data: dict = {"rubric": "worked-example-2-dated", "organisation": {"name": "M"},
                  "answers": {cid: {**(answer or {"met": True}), "evidence": evidence}}}
    if date is not None:
        data["date"] = date
    return Assessment.model_validate(data)


def criterion(card, cid: str = LAW):
    return next(c for c in card.criteria if c.id == cid)


# -- the reference date -----------------------------------------------------------------


def test_the_reference_date_is_as_of_else_the_assessments_own_date():
    a = assessment([], date=dt.date(2025, 6, 30))
    assert reference_date(a) == dt.date(2025, 6, 30)
    assert reference_date(a, dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)
    assert reference_date(assessment([], date="2025-06-30")) == dt.date(2025, 6, 30)


@pytest.mark.parametrize("date", [None, "December 2025", "2025-Q4", "2025-02-30"])
def test_an_assessment_without_a_day_has_no_reference_date(date):
    a = assessment([{"text": "decision", "date": dt.date(2001, 1, 1)}], date=date)
    assert reference_date(a) is None
    card = score(rubric(), a, strict=True)
    assert card.reference_date is None and card.evidence_dates.checked is False
    ev = criterion(card).evidence[0]
    assert (ev.stale, ev.expired) == (None, None)
    # not judged, so not capped: a claim's old evidence still supports it
    assert criterion(card).evidence_stale is False and criterion(card).level == 3
    assert card.evidence_dates.dated == 1


@pytest.mark.parametrize(("day", "months", "want"), [
    (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
    (dt.date(2024, 3, 31), 1, dt.date(2024, 2, 29)),
    (dt.date(2025, 6, 30), 24, dt.date(2023, 6, 30)),
    (dt.date(2025, 1, 15), 13, dt.date(2023, 12, 15)),
    (dt.date(2025, 6, 30), 1200, dt.date(1925, 6, 30)),
])
def test_months_before_keeps_the_day_or_the_months_last(day, months, want):
    assert months_before(day, months) == want


# -- stale, expired, and --strict ---------------------------------------------------------


@pytest.mark.parametrize(("item", "stale", "expired"), [
    ({"text": "d", "date": dt.date(2024, 12, 29)}, True, False),    # 6 months back: 12-30
    ({"text": "d", "date": dt.date(2024, 12, 30)}, False, False),   # on the cutoff: holds
    ({"text": "d", "valid_until": dt.date(2025, 6, 29)}, False, True),
    ({"text": "d", "valid_until": dt.date(2025, 6, 30)}, False, False),  # its last day
    ({"text": "d"}, False, False),                                  # no date: never stale
    ("plain text", False, False),
])
def test_stale_and_expired_on_the_reference_date(item, stale, expired):
    card = score(rubric(), assessment([item]))
    ev = criterion(card).evidence[0]
    assert (ev.stale, ev.expired) == (stale, expired)
    assert card.evidence_dates.items == int(stale or expired)
    assert card.evidence_dates.ids == ([LAW] if stale or expired else [])


def test_a_criterions_own_max_age_overrides_the_rubrics():
    # policy.law: 6 months; policy.strategy: the rubric's 2 years
    old = {"text": "d", "date": dt.date(2024, 1, 1)}
    law = criterion(score(rubric(), assessment([old])))
    strategy = criterion(score(rubric(), assessment(
        [old], cid="policy.strategy", answer={"level": 3})), "policy.strategy")
    assert (law.max_age_months, law.evidence[0].stale) == (6, True)
    assert (strategy.max_age_months, strategy.evidence[0].stale) == (24, False)


def test_strict_scores_a_claim_resting_only_on_stale_evidence_as_unsupported():
    stale = {"text": "act of 2016", "date": dt.date(2016, 5, 1)}
    card = score(rubric(), assessment([stale]))
    c = criterion(card)
    assert (c.unsupported, c.evidence_stale, c.level) == (False, True, 3)
    strict = criterion(score(rubric(), assessment([stale]), strict=True))
    none = criterion(score(rubric(), assessment([]), strict=True))
    assert strict.level == none.level == 0 and strict.evidence_stale
    # one current item is enough
    both = criterion(score(rubric(), assessment([stale, "current minutes"]), strict=True))
    assert (both.evidence_stale, both.level) == (False, 3)


def test_a_later_as_of_makes_evidence_stale_and_the_same_files_score_the_same():
    item = {"text": "d", "date": dt.date(2025, 1, 1)}
    a = assessment([item], date=None)
    early = score(rubric(), a, as_of=dt.date(2025, 6, 30))
    late = score(rubric(), a, as_of=dt.date(2025, 7, 2))
    assert criterion(early).evidence[0].stale is False
    assert criterion(late).evidence[0].stale is True
    assert score(rubric(), a, as_of=dt.date(2025, 7, 2)) == late


DAYS = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))


@settings(max_examples=200, derandomize=True)
@given(date=DAYS, ref=DAYS, months=st.integers(1, 1200))
@example(date=dt.date(2024, 2, 29), ref=dt.date(2025, 2, 28), months=12)
def test_an_item_is_stale_exactly_when_its_date_is_before_the_cutoff(date, ref, months):
    stale, expired = evidence_age(EvidenceItem(text="d", date=date), ref, months)
    assert stale == (date < months_before(ref, months)) and expired is False
    # never stale on or after the cutoff; an item without a date never is
    if date >= ref:
        assert stale is False
    assert evidence_age(EvidenceItem(text="d"), ref, months) == (False, False)
    assert evidence_age("d", ref, months) == (False, False)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(days=st.lists(st.one_of(st.none(), DAYS), min_size=1, max_size=3),
       ref=DAYS, strict=st.booleans())
def test_stale_evidence_never_raises_a_level_and_strict_treats_it_as_missing(days, ref,
                                                                              strict):
    items = [{"text": f"doc {k}", **({"date": d} if d else {})} for k, d in enumerate(days)]
    c = criterion(score(rubric(), assessment(items, date=None), strict=strict, as_of=ref))
    current = [e for e in c.evidence if not e.stale]
    assert c.evidence_stale == (not current)
    kept = [dict(i) for i, e in zip(items, c.evidence, strict=True) if not e.stale]
    bare = criterion(score(rubric(), assessment(kept, date=None), strict=strict, as_of=ref))
    assert c.level == (bare.level if strict else 3)
