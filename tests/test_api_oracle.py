"""Through the JSON API, statuses and routing agree with the independent reading of the policy pack."""

from __future__ import annotations

import random
from decimal import Decimal

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


def test_api_amounts_and_total_match_the_policy_for_thousands_of_random_households(client):
    rng = random.Random(13)
    seen = {"determined": 0, "open": 0, "none": 0, "counted": 0, "incomplete": 0}
    for i in range(2000):
        complete = household(rng)
        if i % 3 == 2:  # everything but one input of the amounts: eligible products with an open amount
            left_out = rng.choice(["leeftijd", "leefsituatie", "aantal_kinderen", "netto_inkomen"])
            answers = {k: v for k, v in complete.items() if k != left_out}
        else:
            answers = complete if i % 3 else partial(rng, complete)
        date = rng.choice(DATES)
        response = client.post("/api/v1/check", json={"answers": answers, "date": date.isoformat()})
        assert response.status_code == 200, response.text
        body = response.json()
        statuses = policy_oracle.products(answers, date)
        expected = policy_oracle.amounts(answers, date, statuses)
        got = {}
        for r in body["results"]:
            amount = r["amount"]
            if amount is None:
                continue
            value = None if amount["value"] is None else Decimal(str(amount["value"])).quantize(Decimal("0.01"))
            got[r["id"]] = (value, amount["period"], tuple(amount["depends_on"]))
            assert amount["text"], r["id"]
            seen["determined" if value is not None else "open" if amount["depends_on"] else "none"] += 1
        assert got == expected, (date, answers)
        per_year, counted, is_complete = policy_oracle.amounts_total(expected, statuses)
        total = body["amounts_total"]
        assert Decimal(str(total["per_year"])).quantize(Decimal("0.01")) == per_year, (date, answers)
        assert set(total["products"]) == counted and len(total["products"]) == len(counted)
        assert total["complete"] is is_complete
        seen["counted"] += bool(counted)
        seen["incomplete"] += not is_complete
    # the households reach every case, so the comparison above can fail in each of them
    assert min(seen.values()) > 30, seen
