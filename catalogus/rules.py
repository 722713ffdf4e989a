"""The rule language: compile content rules once, evaluate them many times.

A compiled rule answers three-valued: True (certainly holds), False (certainly
does not hold) or None (not enough answers yet). Two paths share one tree:
``status`` (fast closures, nothing else) and ``evaluate`` (the value, the reasons
as data from ``catalogus.reasons``, and the questions that would decide what is
open). No wording lives here: ``catalogus.wording`` turns reasons into sentences.
Nothing is ``eval``ed: rules are data turned into closures at load time.
"""

from __future__ import annotations

import operator
from itertools import chain, repeat
from operator import itemgetter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator, Mapping

from . import models
from .frozen import unfrozen_twin
from .norms import AGE_QUESTION, SITUATION_QUESTION, DayNorms, Limits, NormBook
from .questions import Question
from .reasons import (
    AnswerStated, AtLeastView, CompareView, ContentWording, Counted, JunctionView, NamedView, NormLimit, NotView,
    NumberCompared, ProductDecided, ProductView, Reason, RuleView, WordedView,
)

Truth = bool | None
_new = object.__new__
_UnfrozenNumberCompared = unfrozen_twin(NumberCompared)
_UnfrozenAnswerStated = unfrozen_twin(AnswerStated)


def _number_compared(question: str, value, op: str, threshold, holds: bool, limit: NormLimit | None) -> NumberCompared:
    """``NumberCompared(...)`` for a fraction of the cost (``frozen.unfrozen_twin``): one per new amount."""
    made = _new(_UnfrozenNumberCompared)
    made.question = question
    made.value = value
    made.op = op
    made.threshold = threshold
    made.holds = holds
    made.limit = limit
    made.__class__ = NumberCompared
    return made


def _answer_stated(question: str, value, op: str, operand, holds: bool) -> AnswerStated:
    """``AnswerStated(...)`` as ``_number_compared``."""
    made = _new(_UnfrozenAnswerStated)
    made.question = question
    made.value = value
    made.op = op
    made.operand = operand
    made.holds = holds
    made.__class__ = AnswerStated
    return made


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a compiled node was written, and how it reads in the rule language."""

    path: str
    line: int
    column: int
    label: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class Env:
    """What one evaluation needs: answers, the norms of the day, the product rules, and its memos."""

    __slots__ = ("answers", "day", "rules", "memo", "outcomes", "_row")

    def __init__(self, answers: Mapping[str, Any], day: DayNorms, rules: Mapping[str, "Node"]):
        self.answers = answers
        self.day = day
        self.rules = rules
        self.memo: dict[str, Truth] = {}  # product id -> status
        self.outcomes: dict[Any, Outcome] = {}  # shared node or product id -> outcome, once per evaluation
        self._row: tuple | None = None

    @classmethod
    def scratch(cls, answers: dict[str, Any], day: DayNorms, rules: Mapping[str, "Node"]) -> "Env":
        """An environment whose answers the caller changes between calls (the ranking's tries): for
        ``status`` and ``vary`` only. A memo lookup on it fails loudly instead of reading a stale row."""
        env = cls(answers, day, rules)
        env._row = ()
        return env

    def row(self) -> tuple:
        """The day and the answer in every question's place (``key_getter``), made once: memo keys are read
        from it, so the answers must not change once an outcome has been asked for."""
        row = self._row
        if row is None:
            row = self._row = (self.day.key, *map(self.answers.get, _PLACED, repeat(_ABSENT)))
        return row

    def product(self, product_id: str) -> Truth:
        if product_id not in self.memo:
            self.memo[product_id] = self.rules[product_id].status(self)
        return self.memo[product_id]

    def product_outcome(self, product_id: str) -> "Outcome":
        found = self.outcomes.get(product_id)
        if found is None:
            rule = self.rules[product_id]
            memo = rule._outcome_memo
            if memo is False:
                memo = rule._outcome_memo = AnswerMemo.for_rule(rule, self.rules)
            key = memo.key_of(self._row or self.row())  # as in rule_outcome: one call less per product
            found = memo.table.get(key)
            if found is None:
                found = memo.store_result(key, rule.evaluate(self))
            self.outcomes[product_id] = found
        return found

    def rule_outcome(self, rule: "Node") -> "Outcome":
        """A whole rule's outcome (a product's, the routing's), memoised across evaluations by the answers
        it reads, through other products' rules too (``AnswerMemo.for_rule``)."""
        memo = rule._outcome_memo
        if memo is False:
            memo = rule._outcome_memo = AnswerMemo.for_rule(rule, self.rules)
        key = memo.key_of(self._row or self.row())  # the norms and the answers read
        found = memo.table.get(key)
        if found is None:
            found = memo.store_result(key, rule.evaluate(self))
        return found


class Outcome:
    """A decided or open result with its reasons (data) and what would decide it.

    ``made`` is None for an outcome of one evaluation; a whole rule's outcome that a memo keeps gets a dict
    there, in which the check keeps what it made of it (``check.ProductResult``) as long as the memo keeps it.
    """

    __slots__ = ("value", "reasons", "missing", "made")

    def __init__(self, value: Truth, reasons: tuple[Reason, ...] = (), missing: frozenset[str] = frozenset()):
        self.value = value
        self.reasons = reasons
        self.missing = missing
        self.made: dict | bool | None = None  # None: not kept; False: kept; True: kept and read once

    def kept(self) -> "Outcome":
        """This outcome, marked as kept by a memo (see ``made``)."""
        if self.made is None:
            self.made = False
        return self

    def made_for_reuse(self) -> dict | None:
        """``made`` from the second time a kept outcome is read; else None. An outcome read once (a new
        household's) then costs no objects that the garbage collector would walk for as long as it is kept."""
        made = self.made
        if made is None or made is False:
            if made is False:
                self.made = True
            return None
        if made is True:
            made = self.made = {}
        return made

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Outcome) and (self.value, self.reasons, self.missing) == (
            other.value, other.reasons, other.missing)

    def __repr__(self) -> str:
        return f"Outcome({self.value!r}, {self.reasons!r}, {set(self.missing)!r})"


NO_MISSING: frozenset[str] = frozenset()
MEMO_LIMIT = 20_000
MANY_VALUES_LIMIT = 2_000  # entries of a rule's memo keyed by an amount of money (AnswerMemo)
_ABSENT = object()  # an unanswered question in a memo key (never equal to an answer)
# Every question a rule can read has a fixed place in one row per evaluation: (day, answer, answer, ...),
# with _ABSENT for an unanswered one (``Env.row``). A memo's key is then one C call on that row
# (``operator.itemgetter``) instead of a tuple built answer by answer, which was a tenth of a new
# household's check. A comparison takes the places of what it reads when it is compiled, so every place
# a memo uses exists before the first row that memo reads is made.
_PLACED: list[str] = []
_PLACES: dict[str, int] = {}


def _place(qid: str) -> int:
    found = _PLACES.get(qid)
    if found is None:
        _PLACED.append(qid)
        found = _PLACES[qid] = len(_PLACED)  # 0 is the day
    return found


def key_getter(questions: Iterable[str]) -> Callable[[tuple], tuple]:
    """The memo key for these questions, in this order, from ``Env.row()``: the day, then their answers."""
    return itemgetter(0, *(_place(q) for q in questions))


class SeenOnce:
    """Admission to a memo keyed by an amount of money: an entry is kept from its second sighting.

    Within one conversation the same income comes back on every screen after it; between households it
    almost never does. Kept at once, a stream of new amounts would fill the memo with entries that are
    never read again, and each of them is an object the garbage collector walks on every full collection
    (under load that was a sixth of the time). The first sighting leaves only the key's hash.
    """

    __slots__ = ("hashes", "limit")

    def __init__(self, limit: int):
        self.hashes: set[int] = set()
        self.limit = limit

    def second(self, key: Any) -> bool:
        """Whether ``key`` was seen before (and remember it when not)."""
        marker = hash(key)
        hashes = self.hashes
        if marker in hashes:
            return True
        if len(hashes) >= self.limit:
            hashes.clear()
        hashes.add(marker)
        return False


class AnswerMemo:
    """A shared condition's outcomes across evaluations, keyed by the answers it reads and the day's norms.

    A resident's conversation settles many times with mostly the same answers, and a shared condition or
    life domain reads only a few questions, so its outcomes repeat (even between households). The key is the
    ``DayNorms.key`` (one norm book on one date: another municipality or date never shares an entry) plus the
    rule's own answers. A shared condition that reads
    another product's status (``ProductIs``) is not memoised here (``for_node``); a whole rule is, keyed by
    what ``reads`` finds through the other product's rule too (``for_rule``).
    Privacy: the keys hold answer values in this process's memory only, bounded by ``MEMO_LIMIT`` entries;
    they are never persisted or logged.
    """

    __slots__ = ("questions", "key_of", "table", "limit", "admission")

    def __init__(self, questions: set[str], *, many_values: bool = False):
        self.questions = tuple(sorted(questions))
        self.key_of = key_getter(self.questions)
        self.table: dict[tuple, Outcome] = {}
        self.limit = MANY_VALUES_LIMIT if many_values else MEMO_LIMIT
        self.admission = SeenOnce(4 * MANY_VALUES_LIMIT) if many_values else None

    @staticmethod
    def for_node(node: "Node") -> "AnswerMemo | None":
        nodes = list(node.walk())
        if any(isinstance(n, ProductIs) for n in nodes):
            return None
        if not any(isinstance(n, (Junction, AtLeast)) for n in nodes):
            return None  # a comparison memoises its own outcome already
        # Without ProductIs no part reads another product's rule: few_answers needs no rules.
        return AnswerMemo(node.questions(), many_values=not node.few_answers({}))

    @staticmethod
    def for_rule(node: "Node", rules: Mapping[str, "Node"]) -> "AnswerMemo":
        """A memo for a whole rule (a product's, the routing's), keyed by every answer it reads.

        ``reads`` follows ``ProductIs`` into the other product's rule, and a catalogue's rules never change
        (a reload compiles new nodes), so the key decides the outcome. Yes/no, a choice, an age or a number
        of children repeat between households. An amount of money does not, but it does repeat within one
        conversation: every screen after the income question settles with the same income, so such a rule
        keeps an outcome from the second time it is asked for (``SeenOnce``), and at most
        ``MANY_VALUES_LIMIT`` of them rather than ``MEMO_LIMIT``.
        """
        return AnswerMemo(set(node.reads(rules)), many_values=not node.few_answers(rules))

    def store(self, key: tuple, outcome: Any) -> Any:
        if self.admission is not None and not self.admission.second(key):
            return outcome
        table = self.table
        if len(table) >= self.limit:
            table.clear()
        table[key] = outcome
        return outcome

    def store_result(self, key: tuple, outcome: "Outcome") -> "Outcome":
        """``store`` for a whole rule's outcome: once kept, it also keeps what the check makes of it
        (``Outcome.made``; not for the many outcomes of shared rules and comparisons: each would be one
        more object for the garbage collector to walk)."""
        if self.admission is not None and not self.admission.second(key):
            return outcome
        table = self.table
        if len(table) >= self.limit:
            table.clear()
        table[key] = outcome
        return outcome.kept()


def forget_memos(nodes: Iterable["Node"]) -> None:
    """Empty every memo shared between evaluations (benchmarks measure households as never seen)."""
    for node in nodes:
        node._memo_state = node._outcome_memo = False
        node.__dict__.pop("_tries", None)
        node.__dict__.pop("_tries_seen", None)
        node.__dict__.pop("_tries_answers", None)
        if isinstance(node, Comparison):
            node._memo.clear()
            if node._admission is not None:
                node._admission.hashes.clear()


def reasons_may_repeat(nodes: Iterable["Node"]) -> bool:
    """Whether two of these nodes can give equal reasons: only when they share a ``Node.reason_keys`` key."""
    seen: set[tuple] = set()
    for node in nodes:
        keys = node.reason_keys()
        if not seen.isdisjoint(keys):
            return True
        seen |= keys
    return False


def _joined(groups: list[tuple[Reason, ...]], may_repeat: bool) -> tuple[Reason, ...]:
    """The reasons of several parts in order, each once. Each part's own reasons are distinct already, so
    only parts that can give equal reasons (``Node.reason_keys``) need de-duplicating."""
    if not groups:
        return ()
    if len(groups) == 1:
        return groups[0]
    if not may_repeat:
        return groups[0] + groups[1] if len(groups) == 2 else tuple(chain.from_iterable(groups))
    return tuple(dict.fromkeys(chain.from_iterable(groups)))


_VaryPlan = tuple[tuple[Callable[[Env], Truth], ...], tuple[Callable[..., Truth], ...], int, int, int,
                  tuple[str, ...]]


def _vary_plan(node: "Node", env: Env, qid: str, fixed: dict) -> _VaryPlan:
    """For ``Node.vary``, once per node, question and set of other answers: the statuses of the parts that
    read ``qid`` (leaves) and their ``vary`` (the others); how many of the parts that do not read it are
    true, false and open; and what else the parts that read it read. A part that does not read ``qid`` has
    the same status for every question it does not read, so ``fixed`` keeps it once."""
    plan = fixed.get((node, qid))
    if plan is not None:
        return plan
    leaves, composites = [], []
    others: set[str] = set()
    true = false = unknown = 0
    for part, reads, leaf in node.parts_reading(env.rules):
        if qid in reads:
            if leaf:
                leaves.append(part.status)
            else:
                composites.append(part.vary)
            others |= reads
            continue
        value = fixed.get(part, _ABSENT)
        if value is _ABSENT:
            value = fixed[part] = part.status(env)
        if value is True:
            true += 1
        elif value is False:
            false += 1
        else:
            unknown += 1
    others.discard(qid)
    plan = fixed[node, qid] = (tuple(leaves), tuple(composites), true, false, unknown, tuple(sorted(others)))
    return plan


class Node:
    """A compiled rule node."""

    status: Callable[[Env], Truth]
    explanation: models.Explanation | None = None
    origin: Origin | None = None
    _view: RuleView | None = None
    _worded: dict[bool, Outcome] | None = None
    _memo_state: "AnswerMemo | None | bool" = False  # False: not made yet; None: this node is not memoised
    _reads: frozenset[str] | None = None
    _answers_key: Callable[[tuple], tuple] | None = None  # key_getter of what ``reads`` gives (tries_by_answers)
    _parts_reading: tuple | None = None
    _outcome_memo: "AnswerMemo | bool" = False  # a whole rule's outcomes (Env.rule_outcome); False: not made yet
    _parts_may_repeat: bool | None = None  # parts_may_repeat(); None: not worked out yet

    def evaluate(self, env: Env) -> Outcome:
        if self.explanation is not None:
            # A decided node with its own wording shows only that wording: the fast status decides it,
            # and the parts below are never evaluated.
            value = self.status(env)
            if value is not None:
                return self._content_wording(value)
        return self._evaluate(env)

    def seal(self) -> "Node":
        """Done compiling: a node without its own wording evaluates straight through (the hot path)."""
        if self.explanation is None and type(self).evaluate is Node.evaluate:
            self.evaluate = self._evaluate  # type: ignore[method-assign]
        return self

    def _content_wording(self, value: bool) -> Outcome:
        # A decided outcome has nothing missing, so the two worded outcomes can be made once.
        if self._worded is None:
            self._worded = {
                True: Outcome(True, (ContentWording(self.explanation.waar, True),)).kept(),
                False: Outcome(False, (ContentWording(self.explanation.onwaar, False),)).kept(),
            }
        return self._worded[value]

    def _evaluate(self, env: Env) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    def vary(self, env: Env, qid: str, fixed: dict) -> Truth:
        """``status`` when only the answer to ``qid`` changes between calls (the ranking trying answers).

        ``fixed`` belongs to one set of other answers: it keeps, per node and ``qid``, what the parts that do
        not read ``qid`` add up to, so each try evaluates only the parts that read it. A leaf reads its
        answer directly.
        """
        return self.status(env)

    @property
    def tries_memo(self) -> dict:
        """The ranking's tries of this open rule by ``tries_key`` (bounded by the ranking)."""
        found = self.__dict__.get("_tries")
        if found is None:
            found = self.__dict__["_tries"] = {}
        return found

    @property
    def tries_seen(self) -> "SeenOnce":
        """Admission of ``tries_by_answers`` entries with an amount of money in their key."""
        found = self.__dict__.get("_tries_seen")
        if found is None:
            found = self.__dict__["_tries_seen"] = SeenOnce(4 * MANY_VALUES_LIMIT)
        return found

    def reads_few(self, rules: Mapping[str, "Node"]) -> bool:
        """``few_answers``, worked out once."""
        found = self.__dict__.get("_reads_few")
        if found is None:
            found = self.__dict__["_reads_few"] = self.few_answers(rules)
        return found

    def tries_by_answers(self, env: Env) -> dict | None:
        """The ranking's tries of this open rule for the answers it reads now, by tried question.

        ``vary`` for a question depends on the date's norms and the other answers the rule reads; the
        tried question itself is unanswered (the ranking only tries those), so one entry per set of the
        rule's answers serves every question it tries. An entry is made at once when the rule reads only
        answers with few values, else from the second sighting (``SeenOnce``); None: not (yet) kept.
        """
        key_of = self._answers_key
        if key_of is None:
            key_of = self._answers_key = key_getter(sorted(self.reads(env.rules)))
        key = key_of(env._row or env.row())
        memo = self.__dict__.get("_tries_answers")
        if memo is None:
            memo = self.__dict__["_tries_answers"] = {}
        found = memo.get(key)
        if found is None and (self.reads_few(env.rules) or self.tries_seen.second(key)):
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            found = memo[key] = {}
        return found

    def tries_key(self, env: Env, qid: str, fixed: dict) -> tuple:
        """Everything ``vary`` for ``qid`` depends on besides the tried answer: the date's norms, what the
        parts that do not read ``qid`` add up to, and the other answers the parts that read it read. Two
        households with the same key get the same status for every answer to ``qid`` (the ranking memoises
        its tries by it: with different amounts elsewhere, the key still repeats)."""
        if not self.children():
            return (env.day.key, qid, *map(env.answers.get, sorted(self.reads(env.rules) - {qid})))
        if len(self.children()) == 1 and not isinstance(self, (Junction, AtLeast)):
            return self.children()[0].tries_key(env, qid, fixed)  # a reference, a shared rule, a negation
        _leaves, _composites, true, false, unknown, others = _vary_plan(self, env, qid, fixed)
        return (env.day.key, qid, true, false, unknown, *map(env.answers.get, others))

    def parts_reading(self, rules: Mapping[str, "Node"]) -> tuple[tuple["Node", frozenset[str], bool], ...]:
        """Each part with the questions it reads and whether it is a leaf (made once)."""
        found = self._parts_reading
        if found is None:
            found = self._parts_reading = tuple((c, c.reads(rules), not c.children()) for c in self.children())
        return found

    def reads(self, rules: Mapping[str, "Node"]) -> frozenset[str]:
        """Every question this node's status can depend on, through other products' rules too."""
        found = self._reads
        if found is None:
            found = frozenset(self.own_questions()).union(*(c.reads(rules) for c in self.children()))
            self._reads = found
        return found

    def few_answers(self, rules: Mapping[str, "Node"]) -> bool:
        """Whether every answer this node reads, through its parts and other products' rules, has only a
        few possible values."""
        return all(child.few_answers(rules) for child in self.children())

    def reason_keys(self) -> frozenset[tuple]:
        """What tells this node's possible reasons apart: two reasons can only be equal when they share a
        key (the compared question, the content's sentence, the other product, a count). Parts with no key in
        common never repeat each other's reasons, so joining them needs no de-duplicating."""
        found = self.__dict__.get("_reason_keys")
        if found is None:
            own = set(self.own_reason_keys())
            if self.explanation is not None:
                own |= {("tekst", self.explanation.waar), ("tekst", self.explanation.onwaar)}
            found = self.__dict__["_reason_keys"] = frozenset(own).union(*(c.reason_keys() for c in self.children()))
        return found

    def own_reason_keys(self) -> Iterable[tuple]:
        return ()

    def parts_may_repeat(self) -> bool:
        """Whether two parts of this node can give equal reasons (worked out once)."""
        found = self._parts_may_repeat
        if found is None:
            found = self._parts_may_repeat = reasons_may_repeat(self.children())
        return found

    def view(self) -> RuleView:
        """What the rule says, as data (for product pages, the transparency page, exports)."""
        if self._view is None:
            view = self._make_view()
            if self.explanation is not None:
                view = WordedView(self.explanation.waar, self.explanation.onwaar, view)
            self._view = view
        return self._view

    def _make_view(self) -> RuleView:  # pragma: no cover - abstract
        raise NotImplementedError

    def children(self) -> tuple["Node", ...]:
        return ()

    def walk(self) -> Iterator["Node"]:
        yield self
        for child in self.children():
            yield from child.walk()

    def questions(self) -> set[str]:
        return {q for node in self.walk() for q in node.own_questions()}

    def own_questions(self) -> set[str]:
        return set()

    def norm_ids(self) -> set[str]:
        return {n for node in self.walk() for n in node.own_norms()}

    def own_norms(self) -> set[str]:
        return set()


# ------------------------------------------------------------------ composites

class Junction(Node):
    """``alle`` (decided by the first false part) or ``een_van`` (decided by the first true part)."""

    decisive: bool

    def __init__(self, parts: list[Node]):
        self.parts = tuple(parts)
        statuses = tuple(p.status for p in parts)
        decisive = self.decisive
        otherwise = not decisive

        def status(env: Env) -> Truth:
            result: Truth = otherwise
            for part in statuses:
                value = part(env)
                if value is decisive:
                    return decisive
                if value is None:
                    result = None
            return result

        self.status = status

    def children(self):
        return self.parts

    def vary(self, env, qid, fixed):
        decisive = self.decisive
        statuses, varying, true, false, unknown, _others = _vary_plan(self, env, qid, fixed)
        if true if decisive else false:
            return decisive  # a part that does not read qid decides already
        result: Truth = None if unknown else not decisive
        for status in statuses:
            value = status(env)
            if value is decisive:
                return decisive
            if value is None:
                result = None
        for vary in varying:
            value = vary(env, qid, fixed)
            if value is decisive:
                return decisive
            if value is None:
                result = None
        return result

    def _evaluate(self, env):
        decisive = self.decisive
        deciding: list[tuple[Reason, ...]] | None = None  # reasons of the parts that decide, once one does
        other: list[tuple[Reason, ...]] = []
        missing: frozenset[str] | None = None
        for part in self.parts:
            outcome = part.evaluate(env)
            value = outcome.value
            if value is decisive:
                if deciding is None:
                    deciding = []
                if outcome.reasons:
                    deciding.append(outcome.reasons)
            elif value is None:
                missing = outcome.missing if missing is None else missing | outcome.missing
            elif deciding is None and outcome.reasons:
                other.append(outcome.reasons)
        may_repeat = self._parts_may_repeat  # an attribute read on the hot path; worked out on first use
        if may_repeat is None:
            may_repeat = self.parts_may_repeat()
        if deciding is not None:
            return Outcome(decisive, deciding[0] if len(deciding) == 1 else _joined(deciding, may_repeat))
        if missing is not None:
            return Outcome(None, _joined(other, may_repeat), missing)
        return Outcome(not decisive, _joined(other, may_repeat))

    def _make_view(self):
        return JunctionView(not self.decisive, tuple(p.view() for p in self.parts))


class AllOf(Junction):
    decisive = False


class AnyOf(Junction):
    decisive = True


class Not(Node):
    def __init__(self, part: Node):
        self.part = part
        inner = part.status

        def status(env: Env) -> Truth:
            value = inner(env)
            return None if value is None else not value

        self.status = status

    def children(self):
        return (self.part,)

    def vary(self, env, qid, fixed):
        value = self.part.vary(env, qid, fixed)
        return None if value is None else not value

    def _evaluate(self, env):
        outcome = self.part.evaluate(env)
        value = None if outcome.value is None else not outcome.value
        return Outcome(value, outcome.reasons, outcome.missing)

    def _make_view(self):
        return NotView(self.part.view())


class AtLeast(Node):
    def __init__(self, count: int, parts: list[Node]):
        self.count = count
        self.parts = tuple(parts)
        statuses = tuple(p.status for p in parts)

        def status(env: Env) -> Truth:
            true = unknown = 0
            for part in statuses:
                value = part(env)
                if value is True:
                    true += 1
                    if true >= count:
                        return True
                elif value is None:
                    unknown += 1
            if true + unknown < count:
                return False
            return None

        self.status = status

    def children(self):
        return self.parts

    def vary(self, env, qid, fixed):
        statuses, varying, true, _false, unknown, _others = _vary_plan(self, env, qid, fixed)
        for value in [status(env) for status in statuses] + [vary(env, qid, fixed) for vary in varying]:
            if value is True:
                true += 1
            elif value is None:
                unknown += 1
        if true >= self.count:
            return True
        if true + unknown < self.count:
            return False
        return None

    def _evaluate(self, env):
        outcomes = [p.evaluate(env) for p in self.parts]
        true = [o for o in outcomes if o.value is True]
        open_ = [o for o in outcomes if o.value is None]
        reasons = _joined([o.reasons for o in true if o.reasons], self.parts_may_repeat())
        if len(true) >= self.count:
            return Outcome(True, reasons)
        if len(true) + len(open_) < self.count:
            return Outcome(False, reasons + (Counted(len(true), self.count),))
        return Outcome(None, reasons, frozenset().union(*(o.missing for o in open_)))

    def own_reason_keys(self):
        return (("telling",),)

    def _make_view(self):
        return AtLeastView(self.count, tuple(p.view() for p in self.parts))


class Named(Node):
    """A shared condition or life domain, compiled once; its outcome is memoised per evaluation."""

    def __init__(self, name: str, summary: str, target: Node, explanation=None, source: str | None = None, *,
                 domain: bool = False):
        self.name = name
        self.summary = summary
        self.target = target
        self.source = source
        self.domain = domain
        self.status = target.status
        self.vary = target.vary  # type: ignore[method-assign]  # straight through: one call less per try
        self.explanation = explanation

    def children(self):
        return (self.target,)

    def evaluate(self, env):
        found = env.outcomes.get(self)
        if found is None:
            memo = self._memo_state
            if memo is False:
                memo = self._memo_state = AnswerMemo.for_node(self)
            if memo is None:
                found = Node.evaluate(self, env)
            else:  # as Env.rule_outcome: this is the hot path of every product with a shared rule
                key = memo.key_of(env._row or env.row())
                found = memo.table.get(key)
                if found is None:
                    found = memo.store(key, Node.evaluate(self, env))
            env.outcomes[self] = found
        return found

    def _evaluate(self, env):
        return self.target.evaluate(env)

    def _make_view(self):
        # Named conditions over a norm also show the figures, for transparency.
        part = self.target.view() if self.target.norm_ids() else None
        return NamedView(self.name, self.summary, self.domain, part)


class Reference(Node):
    """``regel: naam`` where it is written: the shared node, with this place's origin and wording."""

    def __init__(self, target: Named, explanation=None):
        self.target = target
        self.status = target.status
        self.vary = target.vary  # type: ignore[method-assign]
        self.explanation = explanation

    @property
    def name(self) -> str:
        return self.target.name

    def children(self):
        return (self.target,)

    def seal(self) -> "Node":
        """Without wording of its own a reference evaluates as its target, without a call in between."""
        if self.explanation is None:
            self.evaluate = self.target.evaluate  # type: ignore[method-assign]
        return self

    def _evaluate(self, env):
        return self.target.evaluate(env)

    def _make_view(self):
        return self.target.view()


class ProductIs(Node):
    """True when another product is eligible (used by routing: beschermd wonen)."""

    def __init__(self, product_id: str):
        self.product_id = product_id
        # Decided, the outcome is one of two: made once (reasons are immutable; a memo may keep either).
        self._decided = {value: Outcome(value, (ProductDecided(product_id, value),)) for value in (True, False)}

        def status(env: Env) -> Truth:
            return env.product(product_id)

        self.status = status

    def reads(self, rules):
        if self._reads is None:
            self._reads = rules[self.product_id].reads(rules)
        return self._reads

    def few_answers(self, rules):
        return rules[self.product_id].few_answers(rules)

    def _evaluate(self, env):
        value = env.product(self.product_id)
        if value is None:
            return Outcome(None, (), env.product_outcome(self.product_id).missing)
        return self._decided[value]

    def own_reason_keys(self):
        return (("product", self.product_id),)

    def _make_view(self):
        return ProductView(self.product_id)


# ------------------------------------------------------------------ comparisons

_ORDER = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


def _decide(op: str, low, high, value) -> Truth:
    """Decide ``value op threshold`` for every threshold in [low, high]."""
    return _DECIDE[op](low, high, value)


# Per operator, so that the hot path does not compare operator strings on every call.
_DECIDE: dict[str, Callable[[Any, Any, Any], Truth]] = {
    ">=": lambda low, high, value: True if value >= high else False if value < low else None,
    ">": lambda low, high, value: True if value > high else False if value <= low else None,
    "<=": lambda low, high, value: True if value <= low else False if value > high else None,
    "<": lambda low, high, value: True if value < low else False if value >= high else None,
}


def _decide_interval(op: str, low, high, years: int) -> Truth:
    """Decide for a real age in [years, years + 1) against a possibly fractional threshold."""
    if op in (">=", "<"):
        holds = True if years >= high else False if years + 1 <= low else None
    else:
        holds = True if years > high else False if years + 1 <= low else None
    if op in ("<", "<="):
        return None if holds is None else not holds
    return holds


def _integral(value) -> bool:
    return Decimal(value) == Decimal(value).to_integral_value()


class Comparison(Node):
    """An answer compared with a constant or a norm."""

    def __init__(self, question: Question, op: str, operand: Any, *, norm=None, factor=None,
                 norm_book: NormBook | None = None, explanation=None):
        self.question = question
        self.op = op
        self.operand = operand  # internal constant (cents for money) or None for norms
        self.norm = norm
        self.factor = factor  # a Decimal, the id of a factor norm, or None
        self.explanation = explanation
        self.book = norm_book
        deps = norm.depends_on if norm is not None else frozenset()
        self.norm_deps = deps
        for qid in (question.id, *deps):
            _place(qid)  # before any rule that reads it is evaluated (key_getter)
        self._memo: dict = {}
        self._norm_limits: dict[tuple, NormLimit] = {}
        self._admission = None if question.kind.few_answers(question) else SeenOnce(4 * MANY_VALUES_LIMIT)
        self.status = self._build_status(question.id, op, operand, norm, factor, deps,
                                         question.definition.hele_jaren)

    @staticmethod
    def _build_status(q, op, operand, norm, factor, deps, whole_years):
        if op == "=":
            return lambda env: None if (v := env.answers.get(q)) is None else v == operand
        if op == "!=":
            return lambda env: None if (v := env.answers.get(q)) is None else v != operand
        if op == "in":
            members = frozenset(operand)
            return lambda env: None if (v := env.answers.get(q)) is None else v in members
        if op == "bevat":
            return lambda env: None if (v := env.answers.get(q)) is None else operand in v
        if op == "bevat_iets_anders_dan":
            return lambda env: None if (v := env.answers.get(q)) is None else any(x != operand for x in v)
        if norm is None:
            if whole_years and not _integral(operand):
                return lambda env: None if (v := env.answers.get(q)) is None else _decide_interval(op, operand, operand, v)
            compare = _ORDER[op]
            return lambda env: None if (v := env.answers.get(q)) is None else compare(v, operand)
        norm_id = norm.id
        uses_situation = SITUATION_QUESTION in deps
        uses_age = AGE_QUESTION in deps
        decide = _DECIDE[op]

        def status(env: Env) -> Truth:
            answers = env.answers
            v = answers.get(q)
            if v is None:
                return None
            limits = env.day.limits(norm_id, factor,
                                    answers.get(SITUATION_QUESTION) if uses_situation else None,
                                    answers.get(AGE_QUESTION) if uses_age else None)
            if limits.gap:
                return None
            if whole_years and not limits.whole:
                return _decide_interval(op, limits.low, limits.high, v)
            return decide(limits.low, limits.high, v)

        return status

    def _limits(self, env: Env) -> Limits:
        answers, deps = env.answers, self.norm_deps
        return env.day.limits(self.norm.id, self.factor,
                              answers.get(SITUATION_QUESTION) if SITUATION_QUESTION in deps else None,
                              answers.get(AGE_QUESTION) if AGE_QUESTION in deps else None)

    def _unanswered_deps(self, env: Env) -> frozenset[str]:
        deps = self.norm_deps
        return frozenset([d for d in deps if d not in env.answers]) if deps else NO_MISSING

    def own_questions(self):
        return {self.question.id} | set(self.norm_deps)

    def own_reason_keys(self):
        return (("vraag", self.question.id),)

    def few_answers(self, rules):
        # A norm depends on the leefsituatie and the age only: both have a few values.
        return self.question.kind.few_answers(self.question)

    def own_norms(self):
        found = {self.norm.id} if self.norm is not None else set()
        if isinstance(self.factor, str):
            found.add(self.factor)
        return found

    def _make_view(self):
        factor = self.factor if not isinstance(self.factor, str) else None
        factor_norm = self.factor if isinstance(self.factor, str) else None
        return CompareView(self.question.id, self.op, self.operand, self.norm.id if self.norm else None,
                           factor, factor_norm)

    # ------------------------------------------------------------- evaluating

    def _evaluate(self, env):
        # The outcome depends only on the answer, the norm's inputs and the day: memoise it. The day's key
        # (its norm book on its date) is part of it, so another municipality's norms never reuse an entry.
        answers = env.answers
        value = answers.get(self.question.id)
        if self.norm is not None:
            key = (value, env.day.key, answers.get(SITUATION_QUESTION), answers.get(AGE_QUESTION))
        else:
            key = value
        memo = self._memo
        found = memo.get(key)
        if found is None:
            found = self._evaluate_uncached(env, value)
            # An amount of money is kept from its second sighting (as in AnswerMemo): a conversation repeats
            # it on every screen, new households almost never do, and each kept outcome is a handful of
            # objects the garbage collector walks on every full collection.
            admission = self._admission
            if admission is None or admission.second(key):
                if len(memo) >= MEMO_LIMIT:
                    memo.clear()
                memo[key] = found
        return found

    def _evaluate_uncached(self, env: Env, value: Any) -> Outcome:
        qid = self.question.id
        if value is None:
            return Outcome(None, (), frozenset({qid}) | self._unanswered_deps(env))
        truth = self.status(env)
        if truth is None:  # a norm that may not apply yet, or whole years against a fractional age
            return Outcome(None, (), self._unanswered_deps(env))
        if self.norm is None:
            return Outcome(truth, (self._answer_reason(value, truth),))
        return Outcome(truth, (self._norm_reason(env, value, truth, self._limits(env)),))

    def _answer_reason(self, value: Any, holds: bool) -> Reason:
        if not self.question.kind.numeric:
            return _answer_stated(self.question.id, value, self.op, self.operand, holds)
        return _number_compared(self.question.id, value, self.op, self.operand, holds, None)

    def _norm_reason(self, env: Env, value: Any, holds: bool, limits: Limits) -> Reason:
        qid = self.question.id
        if limits.exact or self.question.definition.hele_jaren:
            threshold, edge = limits.low, "exact"
        elif value > limits.high:
            threshold, edge = limits.high, "highest"
        else:
            threshold, edge = limits.low, "lowest"
        limit = self._norm_limits.get((env.day, edge))
        if limit is None:  # one per day and edge: the same figures for every answer
            factor = env.day.scalar(self.factor) if isinstance(self.factor, str) else self.factor
            limit = NormLimit(self.norm.id, factor, self.factor if isinstance(self.factor, str) else None, edge,
                              bool(self.norm_deps))
            if len(self._norm_limits) >= MEMO_LIMIT:
                self._norm_limits.clear()
            self._norm_limits[env.day, edge] = limit
        return _number_compared(qid, value, self.op, threshold, holds, limit)
