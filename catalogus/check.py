"""The check: one pipeline from answers to everything a front end shows.

``Check(catalog, date).settle(answers)`` validates and normalises the answers,
forgets answers that can no longer matter (when asked to, and says which),
evaluates every product and the case-manager routing with reasons as data,
ranks what to ask next and estimates the progress. The resident pages, the KCC
screen, the JSON API, the referral, ``catalogus test`` and ``coverage`` all read
the same ``CheckResult``; they only parse input and render.

Topics (``onderwerpen``) never change a status; they only steer which open
results the next question should settle and what a page shows first.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from typing import Any, Iterable, Mapping

from .amounts import AmountResult, AmountsTotal, total
from .catalog import Catalog, Product
from .conversation import NextStep, Ranking, all_nodes
from .errors import AnswerError
from .frozen import dict_maker, unfrozen_twin
from .models import DOMAINS, KIND_ORDER, Status, UrgentContact
from .questions import Question
from .reasons import NotRouted, Reason
from .rules import MEMO_LIMIT, Env, Outcome, forget_memos

TOPICS_QUESTION = "onderwerpen"
RESIDENCE_QUESTION = "woont_in_gemeente"
Route = bool | str  # True, False or "unknown"
ROUTE_OF: dict[bool | None, Route] = {True: True, False: False, None: "unknown"}
STATUS_OF = {truth: Status.of(truth) for truth in (True, False, None)}
# Read once: an enum member read off its class goes through EnumType.__getattr__, a Python-level lookup,
# and the check compares dozens of results with it per settle.
ELIGIBLE, UNKNOWN = Status.ELIGIBLE, Status.UNKNOWN
RANK_OF = {truth: status.rank for truth, status in STATUS_OF.items()}
RESULTS_PER_OUTCOME = 16  # an outcome's results (topic, questions, amount), before they are made anew


@dataclass(frozen=True, slots=True)
class ProductResult:
    """One product for this household: status, reasons (data) and what would decide it.

    Made once per outcome that a memo keeps (``result_of``) and then shared between settles; such a result
    has a dict ``shown`` in which a front end may keep what it made of it (the API its encoding), for as
    long as the result lives. A result of one settle only has None there.
    """

    product: Product
    status: Status
    reasons: tuple[Reason, ...]
    missing: frozenset[str]  # what the rule itself still needs
    deciding: tuple[str, ...]  # questions that may be asked now and would decide it, in vocabulary order
    in_topics: bool = True
    amount: AmountResult | None = None  # None: this product has no amount (services, referrals)
    shown: dict | None = field(default=None, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.product.id

    @property
    def kind(self) -> str:
        return self.product.kind


_UnfrozenResult = unfrozen_twin(ProductResult)
_new = object.__new__


def _make_result(product, status, reasons, missing, deciding, in_topics, amount, shown) -> ProductResult:
    """``ProductResult(...)`` for a fraction of the cost, the same frozen object (``frozen.unfrozen_twin``):
    a new household's check makes some twenty results."""
    made = _new(_UnfrozenResult)
    made.product = product
    made.status = status
    made.reasons = reasons
    made.missing = missing
    made.deciding = deciding
    made.in_topics = in_topics
    made.amount = amount
    made.shown = shown
    made.__class__ = ProductResult
    return made


@dataclass(frozen=True)
class CaseManager:
    """The routing decision: route (True, False or "unknown"), urgency, reasons and what would decide it."""

    route: Route
    urgent: bool
    reasons: tuple[Reason, ...]
    urgent_contacts: tuple[UrgentContact, ...]
    domains: tuple[str, ...]  # titles of the life domains with a problem
    deciding: tuple[str, ...]
    missing: frozenset[str] = frozenset()
    domain_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Relevance:
    """How much a question matters right now (the KCC screen's marker next to a field)."""

    state: str  # topics, answered, ignored (its answer cannot matter), next, needed, idle (cannot change anything now)
    count: int = 0  # open results (and the case-manager decision) the answer could settle


@dataclass(frozen=True)
class CheckResult:
    """Everything a front end shows for one set of answers on one date."""

    catalog: Catalog = field(repr=False)
    date: dt.date
    answers: Mapping[str, Any]  # internal answers that count, in the order given
    dropped: tuple[str, ...]  # answered, but forgotten: they can no longer matter
    topics: tuple[str, ...]
    results: tuple[ProductResult, ...]
    case_manager: CaseManager
    next_question: Question | None
    answered: int
    estimated_remaining: int
    relevant: frozenset[str]  # products in the chosen topics
    open_in_topics: int
    amounts_total: AmountsTotal = AmountsTotal(0, (), True)
    _scores: Mapping[str, int] = field(default_factory=dict, repr=False)
    next_step: NextStep | None = None  # the screen to show now (next_question is its first question)
    remaining_steps: int = 0  # screens that can still change something

    @property
    def mattering(self) -> frozenset[str]:
        """Questions that may be asked now and could still change an open result or the routing."""
        return frozenset(self._scores)

    @property
    def resident(self) -> bool | None:
        """Does the household live in the municipality (None: not answered yet)."""
        return self.answers.get(RESIDENCE_QUESTION)

    # ------------------------------------------------------------ reading

    def by_kind(self, kind: str, *, in_topics: bool = False) -> list[ProductResult]:
        return [r for r in self.results if r.product.kind == kind and (not in_topics or r.in_topics)]

    def status_of(self, product_id: str) -> Status:
        return self.result(product_id).status

    def result(self, product_id: str) -> ProductResult:
        return self._by_id[product_id]

    @cached_property
    def _by_id(self) -> dict[str, ProductResult]:
        return {r.id: r for r in self.results}

    def eligible(self) -> list[ProductResult]:
        return [r for r in self.results if r.status is ELIGIBLE]

    @property
    def json_answers(self) -> dict[str, Any]:
        """The answers that count, as JSON, in the order given (what a form carries to the next page)."""
        vocabulary = self.catalog.vocabulary
        return {qid: vocabulary[qid].to_json(value) for qid, value in self.answers.items()}

    def texts(self, reasons) -> list[str]:
        """Reasons as B1 sentences (rendered only where they are shown)."""
        return self.catalog.wording.reasons(reasons)

    def amount_text(self, amount: AmountResult) -> str:
        """An amount's B1 explanation with its figures and who sets the real amount."""
        return self.catalog.wording.amount_text(amount)

    def amount_decides(self, amount: AmountResult) -> str:
        """Who sets the real amount, as a sentence (every place that shows an amount says it)."""
        return self.catalog.wording.decides(amount.reason.decider)

    def titles(self, product_ids) -> list[str]:
        """The products' titles, in the order given."""
        return [self.catalog.products[pid].title for pid in product_ids]

    def shown_amounts(self) -> list[ProductResult]:
        """Results whose amount a page shows: determined, for eligible and unknown products (never not_eligible)."""
        return [r for r in self.results if r.amount is not None and r.amount.cents is not None]

    # ------------------------------------------------------------ the KCC markers

    def relevance(self) -> dict[str, Relevance]:
        """Each question's state for the KCC screen, from the same ranking as ``next_question``.

        A question matters when its answer could settle an open result in the chosen topics or the
        case-manager decision. On that screen any question can be answered first, so a follow-up
        question (say "langdurig" before "moeite met") also counts when the open rule itself needs it,
        unless its ``alleen_als`` already rules it out.
        """
        catalog = self.catalog
        env = catalog.env(self.answers, self.date)
        needs: Counter[str] = Counter()
        for r in self.results:
            if r.status is UNKNOWN and r.in_topics:
                needs.update(r.missing)
        if self.case_manager.route == "unknown":
            needs.update(self.case_manager.missing)
        ruled_out = {q for q, condition in catalog.question_conditions.items() if condition.status(env) is False}
        best = self.next_question.id if self.next_question else None
        dropped = set(self.dropped)
        found = {}
        for question in catalog.vocabulary:
            qid = question.id
            count = self._scores.get(qid, 0) or needs[qid]
            if qid == TOPICS_QUESTION:
                state = "topics"
            elif qid in dropped:
                state = "ignored"
            elif qid in self.answers:
                state = "answered"
            elif qid == best:
                state = "next"
            else:
                state = "needed" if count and qid not in ruled_out else "idle"
            found[qid] = Relevance(state, count if state in ("next", "needed") else 0)
        return found


# One of each per settle, with many fields: written into the instance dict at once (``frozen.dict_maker``).
_make_check_result = dict_maker(CheckResult)
_make_case_manager = dict_maker(CaseManager)


def forget_outcomes(catalog: Catalog) -> None:
    """Empty the memos that settles share: outcomes by the answers they read (shared rules, comparisons,
    products that read only answers with few values, the ranking's tries), expansions.

    They hold answer values in this process's memory only (bounded, never persisted or logged); a
    benchmark empties them so that a household is never counted as already seen.
    """
    forget_memos(all_nodes(catalog))
    catalog.__dict__.pop("_check_expansions", None)


def topics_of(answers: Mapping[str, Any]) -> tuple[str, ...]:
    chosen = answers.get(TOPICS_QUESTION)
    if not chosen:
        return DOMAINS
    return tuple([d for d in DOMAINS if d in chosen])


class Check:
    """The check of one catalogue on one date (raises NormDateError before the norms start)."""

    def __init__(self, catalog: Catalog, date: dt.date):
        self.catalog = catalog
        self.date = date
        self.day = catalog.norms.on(date)

    def validate(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """JSON answers -> internal answers, in the order given; raise AnswerError naming every problem."""
        answers, problems = self.catalog.vocabulary.validate(raw)
        if problems:
            raise AnswerError(problems)
        return answers

    def settle(self, raw: Mapping[str, Any], *, forget_unasked: bool = False, validated: bool = False) -> CheckResult:
        """The whole check for these JSON answers (or internal ones with ``validated=True``).

        ``forget_unasked`` is for conversations (the resident check, the KCC screen): an answer to a
        question that would not be asked any more (its ``alleen_als`` is false, e.g. the rent after
        choosing a bought house) is forgotten and listed in ``dropped``. The JSON API keeps every answer
        it is given, as the policy reads them.
        """
        answers = dict(raw) if validated else self.validate(raw)
        dropped: tuple[str, ...] = ()
        if forget_unasked:
            answers, dropped = self._forget_unasked(answers)
        return _Evaluation(self, answers, dropped).result()

    def revealed(self, raw: Mapping[str, Any], follow_ups: Iterable[str]) -> tuple[str, ...]:
        """The follow-up questions of a screen to show now, for these JSON answers (the screen's included).

        A follow-up shows when its ``alleen_als`` holds and its answer can still change an open result in
        the chosen topics or the case-manager decision. Each is judged on the other answers, its own left
        out, so that a follow-up already filled in stays on the screen as long as it matters.
        """
        conditions = self.catalog.question_conditions
        given = Env(self.validate(raw), self.day, self.catalog.rules)
        shown = []
        for qid in follow_ups:
            condition = conditions.get(qid)
            if condition is not None and condition.status(given) is not True:
                continue  # forgetting answers never makes it hold: no settle needed (a fresh screen, say)
            result = self.settle({q: v for q, v in raw.items() if q != qid}, forget_unasked=True)
            holds = condition is None or condition.status(Env(result.answers, self.day, self.catalog.rules)) is True
            if holds and qid in result.mattering:
                shown.append(qid)
        return tuple(shown)

    def _forget_unasked(self, answers: dict[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
        conditions = self.catalog.question_conditions
        dropped: list[str] = []
        while True:
            env = Env(answers, self.day, self.catalog.rules)
            gone = [q for q in answers if q in conditions and conditions[q].status(env) is False]
            if not gone:
                return answers, tuple(dropped)
            dropped += gone
            answers = {q: v for q, v in answers.items() if q not in gone}


class _Evaluation:
    """One settle: the environment, the outcomes and the ranking, computed once."""

    def __init__(self, check: Check, answers: dict[str, Any], dropped: tuple[str, ...]):
        self.check = check
        self.catalog = check.catalog
        self.answers = answers
        self.dropped = dropped
        self.env = Env(answers, check.day, self.catalog.rules)
        self.askable = _Askable(self.catalog, self.env)

    def result(self) -> CheckResult:
        catalog, env = self.catalog, self.env
        topics = topics_of(self.answers)
        # Results in page order: per kind (collective first), eligible, unknown, not eligible; by title within.
        buckets: list[list[ProductResult]] = [[] for _ in range(len(KIND_ORDER) * 3)]
        expand, product_outcome = self.askable.expand, env.product_outcome
        answers, day = self.answers, env.day
        for (product, kind_rank), in_topics in zip(catalog.products_in_order, catalog.in_topics(topics)):
            outcome = product_outcome(product.id)
            value = outcome.value
            status = STATUS_OF[value]
            # The amount is a step of its own: memoised by the answers it reads, none when not eligible.
            rule = product.amount
            amount = None if rule is None else rule.result_for(status, answers, day)
            item = result_of(product, status, outcome, expand(outcome.missing) if value is None else (), in_topics,
                             amount)
            buckets[kind_rank * 3 + RANK_OF[value]].append(item)
        results = tuple(chain.from_iterable(buckets))
        amounts_total = total([r for r in results if r.amount is not None])
        case_manager = self.case_manager()
        open_results = [r for r in results if r.status is UNKNOWN and r.in_topics]
        open_items = [(r.product.rule, r.deciding) for r in open_results]
        needed = [r.missing for r in open_results]
        # The wijkteam serves residents: for someone who lives elsewhere we do not ask what only routing needs.
        if case_manager.route == "unknown" and self.answers.get(RESIDENCE_QUESTION) is not False:
            open_items.append((catalog.routing.route, case_manager.deciding))
            needed.append(case_manager.missing)
        ranking = Ranking(catalog, env, self.answers, open_items, catalog.representatives(self.check.day),
                          frozenset().union(*needed))
        next_step = ranking.next_step()
        answered = len(self.answers.keys() & catalog.vocabulary.questions.keys())
        return _make_check_result(
            catalog=catalog, date=self.check.date, answers=self.answers, dropped=self.dropped, topics=topics,
            results=results, case_manager=case_manager, next_question=next_step.questions[0] if next_step else None,
            answered=answered, estimated_remaining=len(ranking.scores),
            relevant=frozenset([r.product.id for r in results if r.in_topics]),
            open_in_topics=len([d for _rule, d in open_items if d]), amounts_total=amounts_total,
            _scores=ranking.scores, next_step=next_step, remaining_steps=ranking.remaining_steps())

    def case_manager(self) -> CaseManager:
        routing, env = self.catalog.routing, self.env
        route = env.rule_outcome(routing.route)
        deciding = self.askable.expand(route.missing) if route.value is None else ()
        made = route.made_for_reuse() if routing.decided_by_route(env.rules) else None
        if made is None:
            return self._case_manager(route, deciding)
        key = ("case_manager", id(deciding))
        found = made.get(key)
        if found is None or found.deciding is not deciding:
            if len(made) >= RESULTS_PER_OUTCOME:
                made.clear()
            found = made[key] = self._case_manager(route, deciding)
        return found

    def _case_manager(self, route: Outcome, deciding: tuple[str, ...]) -> CaseManager:
        routing, env = self.catalog.routing, self.env
        urgent_contacts = tuple(s.contact for s in routing.urgent if s.rule.status(env) is True)
        domain_outcomes: dict[str, Outcome] = {name: node.evaluate(env) for name, node in routing.domains.items()}
        problem_domains = [name for name, o in domain_outcomes.items() if o.value is True]
        groups = [domain_outcomes[name].reasons for name in problem_domains]
        if route.value is True:  # the route's reasons include those of the domains it counted
            reasons = tuple(dict.fromkeys(chain(route.reasons, *groups)))
        elif routing.domains_may_repeat():
            reasons = tuple(dict.fromkeys(chain.from_iterable(groups)))
        else:
            reasons = tuple(chain.from_iterable(groups))
        if route.value is False:
            reasons += (NotRouted(len(problem_domains), routing.route.view()),)
        return _make_case_manager(route=ROUTE_OF[route.value], urgent=bool(urgent_contacts), reasons=reasons,
                                  urgent_contacts=urgent_contacts,
                                  domains=tuple([routing.domain_titles[n] for n in problem_domains]),
                                  deciding=deciding, missing=route.missing, domain_ids=tuple(problem_domains))


class _Askable:
    """Which unanswered questions may be asked now, following ``alleen_als``."""

    def __init__(self, catalog: Catalog, env: Env):
        self.catalog = catalog
        self.env = env
        self._conditions = catalog.question_conditions
        self._cache: dict[str, tuple[str, ...]] = {}
        self._expanded: dict[frozenset[str], tuple[str, ...]] = {}
        self._shared = _expansions(catalog)

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
                outcome = condition.evaluate(self.env)
                if outcome.value is True:
                    found = (qid,)
                elif outcome.value is False:
                    found = ()  # cannot matter for this household: never asked
                else:
                    found = tuple(q for m in sorted(outcome.missing) for q in self.questions_for(m, trail + (qid,)))
        self._cache[qid] = found
        return found

    def expand(self, missing: frozenset[str]) -> tuple[str, ...]:
        """The askable questions behind what a rule still needs, in vocabulary order (shared sets made once).

        What a rule still needs is never answered, so the expansion depends only on the set and on what
        the ``alleen_als`` of its conditional questions give now: that is the key of a cache shared by every
        settle of this catalogue (question ids only, no answers).
        """
        found = self._expanded.get(missing)
        if found is None:
            shared = self._shared
            conditional = shared.conditional.get(missing)
            if conditional is None:
                conditional = shared.conditional[missing] = tuple(sorted(m for m in missing if m in self._conditions))
            key = (missing, tuple(map(self.questions_for, conditional))) if conditional else missing
            unanswered = self.env.answers.keys().isdisjoint(missing)  # always, as rules build it; checked anyway
            found = shared.expanded.get(key) if unanswered else None
            if found is None:
                questions = {q for m in missing for q in self.questions_for(m)}
                order = self.catalog.vocabulary
                found = tuple(sorted(questions, key=lambda q: order[q].order))
                if unanswered:
                    shared.store(key, found)
            self._expanded[missing] = found
        return found


def result_of(product: Product, status: Status, outcome: Outcome, deciding: tuple[str, ...], in_topics: bool,
              amount: AmountResult | None) -> ProductResult:
    """The result for these parts; made once when a memo keeps the outcome. The questions and the amount
    come from memos too, which hand out the same object whenever what they depend on repeats, so with the
    topic their identities tell the results of one outcome apart."""
    made = outcome.made
    if made.__class__ is not dict:  # the hot path reads the dict of a kept outcome without a call
        made = outcome.made_for_reuse()
        if made is None:
            return _make_result(product, status, outcome.reasons, outcome.missing, deciding, in_topics, amount, None)
    key = (product.id, in_topics, id(deciding), id(amount))
    found = made.get(key)
    if found is None or found.deciding is not deciding or found.amount is not amount:
        if len(made) >= RESULTS_PER_OUTCOME:
            made.clear()
        found = made[key] = _make_result(product, status, outcome.reasons, outcome.missing, deciding, in_topics,
                                         amount, {})
    return found


class _Expansions:
    """Per catalogue: ``_Askable.expand`` results by missing set and conditional expansions (bounded)."""

    __slots__ = ("conditional", "expanded")

    def __init__(self):
        self.conditional: dict[frozenset[str], tuple[str, ...]] = {}
        self.expanded: dict[Any, tuple[str, ...]] = {}

    def store(self, key, found: tuple[str, ...]) -> None:
        if len(self.expanded) >= MEMO_LIMIT:
            self.expanded.clear()
            self.conditional.clear()
        self.expanded[key] = found


def _expansions(catalog: Catalog) -> _Expansions:
    found = catalog.__dict__.get("_check_expansions")
    if found is None:
        found = catalog.__dict__["_check_expansions"] = _Expansions()
    return found
