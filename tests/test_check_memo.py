"""The memos that settles share (rule outcomes by the answers a rule reads, the ranking's tries) never change
a result: not across municipalities with their own norms and rules, and not across dates."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from catalogus.check import Check, forget_outcomes
from catalogus.region import load_region
from tests.support.households import household, partial

ROOT = Path(__file__).resolve().parent.parent
DATES = (dt.date(2026, 11, 26), dt.date(2027, 1, 1))


@pytest.fixture(scope="module")
def region():
    found, diagnostics = load_region(ROOT, today=DATES[0])
    assert not [d for d in diagnostics if d.is_error]
    return found


def seen(result):
    """What a front end reads from a settle, as plain values."""
    products = tuple((r.id, r.status, r.reasons, r.missing, r.deciding) for r in result.results)
    step = result.next_step
    return (products, result.case_manager, step.id if step else None,
            tuple(q.id for q in step.questions) if step else (), dict(result._scores), result.remaining_steps)


def test_shared_memos_give_what_a_fresh_settle_gives_in_every_municipality_and_on_every_date(region):
    rng = random.Random(11)
    households = [household(rng) for _ in range(60)] + [partial(rng, household(rng)) for _ in range(60)]
    checks = [(mid, date, Check(region.catalog(mid), date)) for mid in region.ids for date in DATES]
    # Interleaved, so that every check reads memos the others filled.
    shared = {(mid, date): [check.settle(a) for a in households] for _round in range(2)
              for mid, date, check in checks}
    differs = False
    for mid, date, check in checks:
        fresh = []
        for answers in households:
            forget_outcomes(check.catalog)
            fresh.append(check.settle(answers))
        assert [seen(r) for r in shared[(mid, date)]] == [seen(r) for r in fresh], (mid, date)
        differs |= [seen(r) for r in fresh] != [seen(r) for r in shared[(checks[0][0], checks[0][1])]]
    assert differs, "the municipalities and dates should not all agree, or this test shows nothing"
