"""Through the JSON API, statuses and routing agree with the independent reading of the policy pack."""

from __future__ import annotations

import random

from tests.support import policy_oracle
from tests.support.households import DATES, household, partial

STATUS = {True: "eligible", False: "not_eligible", None: "unknown"}
ROUTE = {True: True, False: False, None: "unknown"}


def test_api_check_matches_the_policy_for_random_households(client):
    rng = random.Random(42)
    for i in range(250):
        complete = household(rng)
        answers = complete if i % 2 else partial(rng, complete)
        date = rng.choice(DATES)
        response = client.post("/api/v1/check", json={"answers": answers, "date": date.isoformat()})
        assert response.status_code == 200, response.text
        body = response.json()
        expected = policy_oracle.products(answers, date)
        got = {r["id"]: r["status"] for r in body["results"]}
        assert got == {pid: STATUS[v] for pid, v in expected.items()}, (date, answers)
        route, urgent = policy_oracle.routing(answers, date, expected)
        assert body["case_manager"]["route"] == ROUTE[route]
        assert body["case_manager"]["urgent"] is urgent
        assert body["date"] == date.isoformat()
