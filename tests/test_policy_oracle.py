"""The engine agrees with an independent reading of the policy pack on thousands of households."""

from __future__ import annotations

import random

import pytest

from catalogus.check import Check
from tests.support import policy_oracle
from tests.support.households import DATES, household, partial

STATUS = {True: "eligible", False: "not_eligible", None: "unknown"}
ROUTE = {True: True, False: False, None: "unknown"}


def compare(catalog, answers_json, date):
    answers, problems = catalog.vocabulary.validate(answers_json)
    assert problems == []
    result = Check(catalog, date).settle(answers, validated=True)
    expected = policy_oracle.products(answers_json, date)
    got = {r.id: r.status for r in result.results}
    assert set(got) == set(expected), "the catalogue and the policy list different products"
    wrong = {pid: (got[pid], STATUS[value]) for pid, value in expected.items() if got[pid] != STATUS[value]}
    assert not wrong, f"{date} {answers_json}: engine vs policy {wrong}"
    route, urgent = policy_oracle.routing(answers_json, date, expected)
    assert result.case_manager.route == ROUTE[route], (date, answers_json)
    assert result.case_manager.urgent == urgent, (date, answers_json)


@pytest.mark.parametrize("seed", range(4))
def test_complete_households_match_the_policy(catalog, seed):
    rng = random.Random(seed)
    for _ in range(500):
        compare(catalog, household(rng), rng.choice(DATES))


@pytest.mark.parametrize("seed", range(4))
def test_partial_households_match_the_policy(catalog, seed):
    rng = random.Random(1000 + seed)
    for _ in range(500):
        compare(catalog, partial(rng, household(rng)), rng.choice(DATES))


def test_the_statuses_fast_path_matches_the_explained_path(catalog):
    rng = random.Random(7)
    for _ in range(300):
        answers_json = partial(rng, household(rng))
        date = rng.choice(DATES)
        answers, _ = catalog.vocabulary.validate(answers_json)
        explained = {r.id: r.status for r in Check(catalog, date).settle(answers, validated=True).results}
        assert catalog.statuses(answers, date) == explained
