"""Adding answers of the same household never turns one decided status into another."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogus.wizard import run_check
from tests.support.households import DATES, household


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False), date=st.sampled_from(DATES), data=st.data())
def test_decided_statuses_never_flip_as_answers_arrive(catalog, rng, date, data):
    complete = household(rng)
    order = data.draw(st.permutations(sorted(complete)))
    decided: dict[str, str] = {}
    route_decided = None
    answers_json: dict = {}
    for question in order:
        answers_json[question] = complete[question]
        answers, problems = catalog.vocabulary.validate(answers_json)
        assert problems == []
        result = run_check(catalog, answers, date)
        for item in result.results:
            if item.id in decided:
                assert item.status == decided[item.id], (item.id, question, answers_json)
            elif item.status != "unknown":
                decided[item.id] = item.status
        route = result.case_manager.route
        if route_decided is not None:
            assert route == route_decided, (question, answers_json)
        elif route != "unknown":
            route_decided = route
    assert "unknown" not in {decided.get(i.id, "unknown") for i in result.results if i.status != "unknown"}
