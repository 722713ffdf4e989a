"""Which truth values can a rule take? A search over complete answer sets on every norm date.

Only values that can make a difference are tried: the boundaries of every
constant and of every norm (± 1, ± 1 cent), every choice, every set of at most
two options of a multi question, true and false. The engine is monotone, so a
subtree of the search is cut as soon as a partial set of answers decides the
condition. Rules use few questions, which keeps the search small; a search that
still grows too large returns None ("not examined") instead of running on.
"""

from __future__ import annotations

import itertools
from typing import Any, Iterator

from .catalog import Catalog
from .norms import AGE_QUESTION, SITUATION_QUESTION, DayNorms
from .rules import Comparison, Env, Node, ProductIs

SEARCH_LIMIT = 50_000  # evaluations per condition and date before we give up on it


class _TooBig(Exception):
    pass


class Search:
    """Which truth values a condition can take over all complete answer sets and norm dates."""

    def __init__(self, catalog: Catalog, limit: int = SEARCH_LIMIT):
        self.catalog = catalog
        self.limit = limit
        first = catalog.norms.first_date()
        starts = {v.start for norm in catalog.norms.norms.values() for v in norm.values}
        self.dates = sorted({first} | {d for d in starts if d > first})
        self._questions: dict[int, frozenset[str]] = {}
        self._cache: dict[int, frozenset | None] = {}

    def outcomes(self, node: Node) -> frozenset | None:
        """The values (True, False, None) the node can take; None when the search grew too large."""
        key = id(node)
        if key not in self._cache:
            found: set = set()
            try:
                for date in self.dates:
                    found |= self._search(node, self.catalog.norms.on(date))
                    if {True, False} <= found:
                        break
                self._cache[key] = frozenset(found)
            except _TooBig:
                self._cache[key] = None
        return self._cache[key]

    # -- which questions and which values

    def questions(self, node: Node) -> frozenset[str]:
        key = id(node)
        if key not in self._questions:
            found: set[str] = set()
            for sub in node.walk():
                found |= sub.own_questions()
                if isinstance(sub, ProductIs):
                    found |= self.questions(self.catalog.rules[sub.product_id])
            self._questions[key] = frozenset(found)
        return self._questions[key]

    def comparisons(self, node: Node, seen: set[str] | None = None) -> Iterator[Comparison]:
        seen = set() if seen is None else seen
        for sub in node.walk():
            if isinstance(sub, Comparison):
                yield sub
            elif isinstance(sub, ProductIs) and sub.product_id not in seen:
                seen.add(sub.product_id)
                yield from self.comparisons(self.catalog.rules[sub.product_id], seen)

    def candidates(self, node: Node, day: DayNorms) -> dict[str, list]:
        """Representative answers per question: one value in every region the thresholds cut out."""
        vocabulary = self.catalog.vocabulary
        comparisons = list(self.comparisons(node))
        thresholds: dict[str, set] = {q: set() for q in self.questions(node)}
        for c in comparisons:  # constants and norms without age or situation first
            if c.norm is None and c.operand is not None and not isinstance(c.operand, (bool, str, tuple)):
                thresholds[c.question.id].add(c.operand)
        for c in comparisons:  # age bands of norms on this date
            if c.norm is not None:
                for variant in day.values[c.norm.id].variants or ():
                    for bound in (variant.age_from, variant.age_to):
                        if bound is not None and AGE_QUESTION in thresholds:
                            thresholds[AGE_QUESTION].add(day.scalar(bound) if isinstance(bound, str) else bound)
                if not c.norm.depends_on:
                    limits = day.limits(c.norm.id, c.factor, None, None)
                    thresholds[c.question.id] |= {limits.low, limits.high}
        ages = self._values(AGE_QUESTION, thresholds.get(AGE_QUESTION, set())) if AGE_QUESTION in vocabulary else [None]
        situations = list(vocabulary[SITUATION_QUESTION].options) if SITUATION_QUESTION in vocabulary else [None]
        for c in comparisons:  # norms that depend on age and situation: every band, every situation
            if c.norm is not None and c.norm.depends_on:
                for situation, age in itertools.product(
                        situations if SITUATION_QUESTION in c.norm.depends_on else [None],
                        ages if AGE_QUESTION in c.norm.depends_on else [None]):
                    limits = day.limits(c.norm.id, c.factor, situation, age)
                    if not (limits.gap and limits.low == limits.high == 0):
                        thresholds[c.question.id] |= {limits.low, limits.high}
        return {q: self._values(q, thresholds[q]) for q in self._order(node, comparisons)}

    def _order(self, node: Node, comparisons: list[Comparison]) -> list[str]:
        counts = {q: 0 for q in self.questions(node)}
        for c in comparisons:
            counts[c.question.id] = counts.get(c.question.id, 0) + 1
            for dep in c.norm_deps:
                counts[dep] = counts.get(dep, 0) + 1
        return sorted(counts, key=lambda q: (-counts[q], q))

    def _values(self, qid: str, thresholds: set) -> list:
        question = self.catalog.vocabulary[qid]
        return question.kind.candidates(question, thresholds)

    # -- the search itself

    def _search(self, node: Node, day: DayNorms) -> set:
        candidates = self.candidates(node, day)
        order = list(candidates)
        answers: dict[str, Any] = {}
        found: set = set()
        evaluations = 0
        rules = self.catalog.rules

        def visit(i: int) -> bool:
            nonlocal evaluations
            evaluations += 1
            if evaluations > self.limit:
                raise _TooBig
            value = node.status(Env(answers, day, rules))
            if value is not None or i == len(order):
                found.add(value)
                return {True, False} <= found
            question = order[i]
            for candidate in candidates[question]:
                answers[question] = candidate
                if visit(i + 1):
                    return True
            del answers[question]
            return False

        visit(0)
        return found
