"""Adding answers of the same household never turns one decided status into another."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogus.check import Check
from tests.support.households import DATES, household


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False), date=st.sampled_from(DATES), data=st.data())
def test_decided_statuses_never_flip_as_answers_arrive(catalog, rng, date, data):
    complete = household(rng)
    order = data.draw(st.permutations(sorted(complete)))
    check = Check(catalog, date)
    decided: dict[str, str] = {}
    route_decided = None
    answers: dict = {}
    for question in order:
        answers[question] = complete[question]
        result = check.settle(answers)
        for item in result.results:
            if item.id in decided:
                assert item.status == decided[item.id], (item.id, question, answers)
            elif item.status != "unknown":
                decided[item.id] = item.status
        route = result.case_manager.route
        if route_decided is not None:
            assert route == route_decided, (question, answers)
        elif route != "unknown":
            route_decided = route
    # Arriving one by one ends where the whole household in one go ends: order never matters.
    at_once = check.settle(complete)
    assert {r.id: r.status for r in result.results} == {r.id: r.status for r in at_once.results}
    assert result.case_manager.route == at_once.case_manager.route
