"""The ranking tries answers one question at a time (``Node.vary``): that must give exactly the status a full
evaluation gives, for every kind of node, with the parts that do not read the question taken from before."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from catalogus.conversation import all_nodes, representatives
from catalogus.rules import Env, forget_memos
from tests.support.tiny import income_tested_products, product, tiny_catalog

NOV_2026 = dt.date(2026, 11, 26)
PRODUCTS = {
    **income_tested_products(),
    "ouderen": product({"alle": [{"vraag": "leeftijd", ">=": {"norm": "aow_leeftijd"}},
                                 {"niet": {"vraag": "netto_inkomen", ">=": {"norm": "bijstandsnorm"}}}]},
                       kind="referral"),
    "twee": product({"minstens": 2, "van": [{"vraag": "schulden", "=": True}, {"vraag": "kosten", "=": True},
                                            {"vraag": "moeite_met", "bevat": "koken"},
                                            {"product": "raad"}]}),
    "hulp": product({"alle": [{"regel": "inwoner"}, {"vraag": "moeite_met", "bevat": "koken"},
                              {"een_van": [{"vraag": "langdurig", "=": True}, {"product": "steun"}]}]},
                    domains=("zorg",)),
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_catalog(tmp_path_factory.mktemp("vary"), products=PRODUCTS)


def test_trying_one_answer_gives_the_status_of_a_full_evaluation_for_every_node(tiny):
    day = tiny.norms.on(NOV_2026)
    tried = representatives(tiny, day)
    nodes = list(all_nodes(tiny))
    rng = random.Random(5)
    compared = decided = 0
    for _household in range(150):
        answers = {q: rng.choice(values) for q, values in tried.items() if values and rng.random() < 0.6}
        for qid, values in tried.items():
            if not values:
                continue
            base = {q: v for q, v in answers.items() if q != qid}
            fixed: dict = {}  # one per set of other answers, shared by every node and every tried answer
            for value in values:
                env = Env({**base, qid: value}, day, tiny.rules)
                for node in nodes:
                    env.memo.clear()
                    expected = node.status(env)
                    env.memo.clear()
                    assert node.vary(env, qid, fixed) is expected, (node.origin, qid, value, base)
                    compared += 1
                    decided += expected is not None
    assert compared > 10_000 and 0 < decided < compared  # decided and open results both occur


def test_households_with_the_same_tries_key_get_the_same_status_for_every_tried_answer(tiny):
    """The ranking memoises its tries by ``tries_key`` (what the rule's parts add up to) and, per set of
    the answers the rule reads, by tried question (``tries_by_answers``): a key that left out something the
    status reads would hand one household another's tries."""
    day = tiny.norms.on(NOV_2026)
    tried = representatives(tiny, day)
    rules = list(tiny.rules.values()) + [tiny.routing.route]
    forget_memos(rules)
    rng = random.Random(8)
    seen: dict[tuple, tuple] = {}
    repeated = {"tries": 0, "answers": 0}
    for _household in range(400):
        answers = {q: rng.choice(values) for q, values in tried.items() if values and rng.random() < 0.5}
        for qid, values in tried.items():
            if not values or qid in answers:
                continue
            fixed: dict = {}
            base = Env(dict(answers), day, tiny.rules)
            for rule in rules:
                statuses = []
                for value in values:
                    env = Env({**answers, qid: value}, day, tiny.rules)
                    statuses.append(rule.status(env))
                key = (id(rule), rule.tries_key(base, qid, fixed))
                if key in seen:
                    repeated["tries"] += 1
                    assert seen[key] == tuple(statuses), (rule.origin, qid, answers)
                else:
                    seen[key] = tuple(statuses)
                by_answers = rule.tries_by_answers(base)
                if by_answers is None:  # an amount in the key: kept from the second sighting
                    by_answers = rule.tries_by_answers(base)
                if qid in by_answers:
                    repeated["answers"] += 1
                    assert by_answers[qid] == tuple(statuses), (rule.origin, qid, answers)
                else:
                    by_answers[qid] = tuple(statuses)
    # keys do repeat between households, or this shows nothing
    assert repeated["tries"] > 1000 and repeated["answers"] > 100, repeated
