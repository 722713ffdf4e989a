"""What one check, referral or search adds to the counters: (metric, item, amount) with fixed vocabularies.

Every item is a channel, a step id, a product id, a topic (domain) id or a routing outcome, taken from
the code or the content, never from what someone typed. Nothing here says which household it was.
"""

from __future__ import annotations

from ..check import TOPICS_QUESTION, CheckResult
from ..models import DOMAINS
from .counters import Event

CHANNELS = {"online": "Website (check)", "kcc": "KCC", "api": "API"}
REFERRAL_CHANNELS = {"online": "Website", "kcc": "KCC namens de beller"}
ROUTING = {"urgent": "Casemanager, urgent", "route": "Casemanager", "not_routed": "Geen casemanager nodig",
           "unknown": "Nog niet bekend"}
CHECK_PAGE = "controleer"      # "Controleer uw antwoorden"
NOT_RESIDENT = "niet_in_gemeente"

STARTED, RESULTS, TOPIC = "started", "results", "topic"
SHOWN, DONE = "shown", "done"  # a screen of the resident check was shown / was answered (once per check)
ELIGIBLE, UNKNOWN, ROUTE, AMOUNT = "eligible", "unknown", "route", "amount_cents"
REFERRAL, SEARCH, SEARCH_EMPTY = "referral", "search", "search_empty"


def started(channel: str) -> list[Event]:
    assert channel in CHANNELS
    return [(STARTED, channel, 1)]


def topics(result: CheckResult) -> list[Event]:
    """The topics the household chose (none when it did not choose: then all count and none is counted)."""
    chosen = result.answers.get(TOPICS_QUESTION) or ()
    return [(TOPIC, domain, 1) for domain in DOMAINS if domain in chosen]


def routing_outcome(result: CheckResult) -> str:
    cm = result.case_manager
    if cm.urgent:
        return "urgent"
    return {True: "route", False: "not_routed"}.get(cm.route, "unknown")


def results(result: CheckResult, channel: str) -> list[Event]:
    """A results page (or an API answer with nothing left to ask): statuses, routing and the money shown."""
    assert channel in CHANNELS
    found: list[Event] = [(RESULTS, channel, 1), (ROUTE, routing_outcome(result), 1)]
    for r in result.results:
        if r.status == "eligible":
            found.append((ELIGIBLE, r.id, 1))
        elif r.status == "unknown":
            found.append((UNKNOWN, r.id, 1))
    found.append((AMOUNT, "", result.amounts_total.per_year))
    return found


def screen(metric: str, step_id: str) -> list[Event]:
    assert metric in (SHOWN, DONE)
    return [(metric, step_id, 1)]


def referral(channel: str) -> list[Event]:
    assert channel in REFERRAL_CHANNELS
    return [(REFERRAL, channel, 1)]


def search(found_nothing: bool) -> list[Event]:
    return [(SEARCH, "", 1), (SEARCH_EMPTY, "", 1 if found_nothing else 0)]
