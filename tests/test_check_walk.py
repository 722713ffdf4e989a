"""Random complete households walked screen by screen (as the web wizard and bench_wizard.py do) end with
the status every product in their topics has under all their answers."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from catalogus.check import Check
from tests.support.check_walk import walk
from tests.support.households import household


@pytest.mark.parametrize("seed", [2026, 7])
def test_after_the_last_screen_every_product_in_the_topics_has_its_status_under_all_answers(catalog, seed):
    check = Check(catalog, dt.date(2026, 11, 26))
    rng = random.Random(seed)
    for number in range(80):
        complete = household(rng)
        for script in (True, False):  # follow-ups shown on the screen (JavaScript) or on a next screen
            done = walk(check, complete, complete["onderwerpen"], script=script)
            assert done.wrong == [], (number, script, complete)
            assert not done.route_differs, (number, script, complete)  # residents: routed as with all answers
            assert done.useless_ids == [], (number, script, complete)  # nothing asked that could not matter
            assert done.steps <= min(done.questions, len(catalog.vocabulary))  # the walk ends


def test_a_household_that_chose_nothing_is_walked_over_every_topic(catalog):
    check = Check(catalog, dt.date(2026, 11, 26))
    complete = household(random.Random(1))
    done = walk(check, {**complete, "onderwerpen": None}, None)
    assert done.wrong == [] and done.steps > 0


def test_a_half_filled_household_has_answered_about_half_of_what_its_whole_walk_answers(catalog):
    from tests.support.check_walk import halfway, walk_answers

    check = Check(catalog, dt.date(2026, 11, 26))
    rng = random.Random(2026)
    for _ in range(10):
        complete = household(rng)
        whole = walk_answers(check, complete, complete["onderwerpen"])
        half = halfway(check, complete, complete["onderwerpen"])
        assert half["onderwerpen"] == complete["onderwerpen"]
        assert len(half) - 1 == (len(whole) - 1) // 2
        assert all(half[q] == complete[q] for q in half)
        assert check.settle(half).next_step is not None or len(whole) == len(half)
