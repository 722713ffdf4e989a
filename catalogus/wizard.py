"""The check as a pure function of (catalog, answers, date): statuses, reasons,
case-manager routing, the next question and progress.

Topics (``onderwerpen``) never change a status; they only steer which open
results the next question should settle and what a page shows first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from .catalog import STATUS_OF, Catalog, Product
from .models import DOMAINS, KIND_ORDER, UrgentContact
from .questions import Question
from .rules import AtLeast, Env, Outcome

TOPICS_QUESTION = "onderwerpen"
STATUS_ORDER = {"eligible": 0, "unknown": 1, "not_eligible": 2}
ROUTE_OF = {True: True, False: False, None: "unknown"}


@dataclass(frozen=True)
class ProductResult:
    product: Product
    status: str
    reasons: tuple[str, ...]
    deciding: tuple[str, ...]  # questions that would decide an open result, most useful first

    @property
    def id(self) -> str:
        return self.product.id


@dataclass(frozen=True)
class CaseManager:
    route: bool | str  # True, False or "unknown"
    urgent: bool
    reasons: tuple[str, ...]
    urgent_contacts: tuple[UrgentContact, ...]
    domains: tuple[str, ...]  # titles of the life domains with a problem
    deciding: tuple[str, ...]


@dataclass(frozen=True)
class CheckResult:
    date: dt.date
    answers: Mapping[str, Any]
    topics: tuple[str, ...]
    results: tuple[ProductResult, ...]
    case_manager: CaseManager
    next_question: Question | None
    answered: int
    estimated_remaining: int
    open_in_topics: int = 0
    relevant: frozenset[str] = field(default_factory=frozenset)

    def by_kind(self, kind: str, *, in_topics: bool = False) -> list[ProductResult]:
        return [r for r in self.results if r.product.kind == kind and (not in_topics or r.id in self.relevant)]

    def status_of(self, product_id: str) -> str:
        return next(r.status for r in self.results if r.id == product_id)


def topics_of(answers: Mapping[str, Any]) -> tuple[str, ...]:
    chosen = answers.get(TOPICS_QUESTION)
    if not chosen:
        return DOMAINS
    return tuple(d for d in DOMAINS if d in chosen)


def run_check(catalog: Catalog, answers: Mapping[str, Any], date: dt.date) -> CheckResult:
    """Evaluate everything for validated answers on a date (raises NormDateError before the norms start)."""
    env = catalog.env(answers, date)
    topics = topics_of(answers)
    outcomes: dict[str, Outcome] = {pid: product.rule.explain(env) for pid, product in catalog.products.items()}
    askable = _Askable(catalog, env)
    results = []
    for pid, product in catalog.products.items():
        outcome = outcomes[pid]
        deciding = askable.expand(outcome.missing) if outcome.value is None else ()
        results.append(ProductResult(product, STATUS_OF[outcome.value], outcome.reasons, deciding))
    kind_rank = {kind: i for i, kind in enumerate(KIND_ORDER)}
    results.sort(key=lambda r: (kind_rank[r.product.kind], STATUS_ORDER[r.status], r.product.title.lower()))
    case_manager = _case_manager(catalog, env, askable)
    relevant = frozenset(pid for pid, p in catalog.products.items() if set(p.domains) & set(topics))
    scores: dict[str, int] = {}
    open_items = [r.deciding for r in results if r.id in relevant and r.status == "unknown"]
    if case_manager.route == "unknown":
        open_items.append(case_manager.deciding)
    for deciding in open_items:
        for qid in deciding:
            scores[qid] = scores.get(qid, 0) + 1
    next_question = None
    if scores:
        best = max(scores.items(), key=lambda item: (item[1], -catalog.vocabulary[item[0]].order))
        next_question = catalog.vocabulary[best[0]]
    answered = sum(1 for qid in answers if qid in catalog.vocabulary)
    return CheckResult(date, answers, topics, tuple(results), case_manager, next_question, answered,
                       len(scores), sum(1 for d in open_items if d), relevant)


class _Askable:
    """Which unanswered questions may be asked now, following ``alleen_als``."""

    def __init__(self, catalog: Catalog, env: Env):
        self.catalog = catalog
        self.env = env
        self._conditions = catalog.question_conditions
        self._cache: dict[str, tuple[str, ...]] = {}

    def questions_for(self, qid: str, trail: tuple[str, ...] = ()) -> tuple[str, ...]:
        if qid in self._cache:
            return self._cache[qid]
        if qid in self.env.answers or qid in trail:
            found: tuple[str, ...] = ()
        else:
            condition = self._conditions.get(qid)
            if condition is None:
                found = (qid,)
            else:
                outcome = condition.explain(self.env)
                if outcome.value is True:
                    found = (qid,)
                elif outcome.value is False:
                    found = ()  # cannot matter for this household: never asked
                else:
                    found = tuple(q for m in sorted(outcome.missing) for q in self.questions_for(m, trail + (qid,)))
        self._cache[qid] = found
        return found

    def expand(self, missing) -> tuple[str, ...]:
        found = {q for m in missing for q in self.questions_for(m)}
        order = self.catalog.vocabulary
        return tuple(sorted(found, key=lambda q: order[q].order))


def _case_manager(catalog: Catalog, env: Env, askable: _Askable) -> CaseManager:
    routing = catalog.routing
    route = routing.route.explain(env)
    urgent_contacts = tuple(s.contact for s in routing.urgent if s.rule.status(env) is True)
    domain_outcomes = {name: node.explain(env) for name, node in routing.domains.items()}
    problem_domains = [name for name, o in domain_outcomes.items() if o.value is True]
    domain_reasons = [r for name in problem_domains for r in domain_outcomes[name].reasons]
    reasons = list(route.reasons) if route.value is True else []
    reasons += domain_reasons
    if route.value is False:
        needed = next((n.count for n in routing.route.walk() if isinstance(n, AtLeast)), None)
        if needed is not None:
            count = len(problem_domains)
            word = "levensgebied" if count == 1 else "levensgebieden"
            reasons.append(f"Er spelen problemen op {count} {word}. Een casemanager van het wijkteam helpt "
                           f"als dat er {needed} of meer zijn, of als het thuis niet veilig is.")
    deciding = askable.expand(route.missing) if route.value is None else ()
    return CaseManager(ROUTE_OF[route.value], bool(urgent_contacts), tuple(dict.fromkeys(reasons)),
                       urgent_contacts, tuple(routing.domain_titles[n] for n in problem_domains), deciding)
