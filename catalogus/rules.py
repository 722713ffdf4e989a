"""The rule language: compile content rules once, evaluate them many times.

A compiled rule answers three-valued: True (certainly holds), False (certainly
does not hold) or None (not enough answers yet). Two paths share one tree:
``status`` (fast closures, no strings) and ``explain`` (reasons in B1 Dutch
with the figures used, and the questions that would decide what is open).
Nothing is ``eval``ed: rules are data turned into closures at load time.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterator, Mapping

from . import models
from .norms import AGE_QUESTION, SITUATION_QUESTION, DayNorms, Limits, NormBook, format_norm_value
from .questions import Question, format_money, join_dutch

Truth = bool | None


class Env:
    """What one evaluation needs: the answers, the norms of the day and a product memo."""

    __slots__ = ("answers", "day", "rules", "memo")

    def __init__(self, answers: Mapping[str, Any], day: DayNorms, rules: Mapping[str, "Node"]):
        self.answers = answers
        self.day = day
        self.rules = rules
        self.memo: dict[str, Truth] = {}

    def product(self, product_id: str) -> Truth:
        if product_id not in self.memo:
            self.memo[product_id] = self.rules[product_id].status(self)
        return self.memo[product_id]


class Outcome:
    """A decided or open result with its reasons and what would decide it."""

    __slots__ = ("value", "reasons", "missing")

    def __init__(self, value: Truth, reasons: tuple[str, ...] = (), missing: frozenset[str] = frozenset()):
        self.value = value
        self.reasons = reasons
        self.missing = missing

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Outcome) and (self.value, self.reasons, self.missing) == (
            other.value, other.reasons, other.missing)

    def __repr__(self) -> str:
        return f"Outcome({self.value!r}, {self.reasons!r}, {set(self.missing)!r})"


NO_MISSING: frozenset[str] = frozenset()
MEMO_LIMIT = 20_000


@dataclass
class Description:
    """A rule in plain Dutch: a sentence, or a joiner over sub-descriptions."""

    text: str
    children: list["Description"] = field(default_factory=list)


def _dedupe(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


class Node:
    """A compiled rule node."""

    status: Callable[[Env], Truth]
    explanation: models.Explanation | None = None

    def explain(self, env: Env) -> Outcome:
        outcome = self._explain(env)
        if self.explanation is not None and outcome.value is not None:
            text = self.explanation.waar if outcome.value else self.explanation.onwaar
            return Outcome(outcome.value, (text,), outcome.missing)
        return outcome

    def _explain(self, env: Env) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self, day: DayNorms) -> Description:  # pragma: no cover - abstract
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
    heading: str

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

    def _explain(self, env):
        deciding: list[str] = []
        other: list[str] = []
        missing: set[str] = set()
        decided = undecided = False
        for part in self.parts:
            outcome = part.explain(env)
            if outcome.value is self.decisive:
                decided = True
                deciding.extend(outcome.reasons)
            elif outcome.value is None:
                undecided = True
                missing.update(outcome.missing)
            else:
                other.extend(outcome.reasons)
        if decided:
            return Outcome(self.decisive, _dedupe(deciding))
        if undecided:
            return Outcome(None, _dedupe(other), frozenset(missing))
        return Outcome(not self.decisive, _dedupe(other))

    def describe(self, day):
        return Description(self.heading, [p.describe(day) for p in self.parts])


class AllOf(Junction):
    decisive = False
    heading = "Alle voorwaarden hieronder gelden:"


class AnyOf(Junction):
    decisive = True
    heading = "Minstens één van deze voorwaarden geldt:"


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

    def _explain(self, env):
        outcome = self.part.explain(env)
        value = None if outcome.value is None else not outcome.value
        return Outcome(value, outcome.reasons, outcome.missing)

    def describe(self, day):
        return Description("Dit geldt niet:", [self.part.describe(day)])


class AtLeast(Node):
    def __init__(self, count: int, parts: list[Node]):
        self.count = count
        self.parts = tuple(parts)
        statuses = tuple(p.status for p in parts)
        total = len(parts)

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
        self.total = total

    def children(self):
        return self.parts

    def _explain(self, env):
        outcomes = [p.explain(env) for p in self.parts]
        true = [o for o in outcomes if o.value is True]
        open_ = [o for o in outcomes if o.value is None]
        reasons = _dedupe(r for o in true for r in o.reasons)
        if len(true) >= self.count:
            return Outcome(True, reasons)
        if len(true) + len(open_) < self.count:
            summary = f"Dat is {len(true)} van de minstens {self.count} die nodig zijn."
            return Outcome(False, reasons + (summary,))
        return Outcome(None, reasons, frozenset().union(*(o.missing for o in open_)))

    def describe(self, day):
        return Description(f"Minstens {self.count} van deze voorwaarden gelden:",
                           [p.describe(day) for p in self.parts])


class Named(Node):
    """A shared condition or life domain: the named rule with its own wording."""

    def __init__(self, name: str, summary: str, target: Node, explanation=None, source: str | None = None):
        self.name = name
        self.summary = summary
        self.target = target
        self.source = source
        self.status = target.status
        self.explanation = explanation

    def children(self):
        return (self.target,)

    def _explain(self, env):
        return self.target.explain(env)

    def describe(self, day):
        # Named conditions over a norm also show the figures, for transparency.
        if self.target.norm_ids():
            return Description(self.summary, [self.target.describe(day)])
        return Description(self.summary)


class ProductIs(Node):
    """True when another product is eligible (used by routing: beschermd wonen)."""

    def __init__(self, product_id: str, title: str):
        self.product_id = product_id
        self.title = title

        def status(env: Env) -> Truth:
            value = env.product(product_id)
            return value

        self.status = status

    def _explain(self, env):
        value = env.product(self.product_id)
        if value is None:
            return Outcome(None, (), env.rules[self.product_id].explain(env).missing)
        text = f"U komt in aanmerking voor {self.title}." if value else f"U komt niet in aanmerking voor {self.title}."
        return Outcome(value, (text,))

    def describe(self, day):
        return Description(f"U komt in aanmerking voor {self.title}.")


# ------------------------------------------------------------------ comparisons

_ORDER = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


def _decide(op: str, low, high, value) -> Truth:
    """Decide ``value op threshold`` for every threshold in [low, high]."""
    if op == ">=":
        return True if value >= high else False if value < low else None
    if op == ">":
        return True if value > high else False if value <= low else None
    if op == "<=":
        return True if value <= low else False if value > high else None
    return True if value < low else False if value >= high else None  # "<"


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
        self.factor = factor
        self.explanation = explanation
        self.book = norm_book
        q = question.id
        deps = norm.depends_on if norm is not None else frozenset()
        self.norm_deps = deps
        self._memo: dict = {}
        whole_years = question.definition.hele_jaren
        self.status = self._build_status(q, op, operand, norm, factor, deps, whole_years)

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
            if whole_years and not (_integral(limits.low) and _integral(limits.high)):
                return _decide_interval(op, limits.low, limits.high, v)
            return _decide(op, limits.low, limits.high, v)

        return status

    def own_questions(self):
        return {self.question.id} | set(self.norm_deps)

    def own_norms(self):
        found = {self.norm.id} if self.norm is not None else set()
        if isinstance(self.factor, str):
            found.add(self.factor)
        return found

    # ------------------------------------------------------------- explaining

    def _missing(self, env: Env) -> frozenset[str]:
        return frozenset(d for d in self.norm_deps if d not in env.answers)

    def _explain(self, env):
        # Reasons depend only on the answer, the norm's inputs and the day: memoise them.
        answers = env.answers
        value = answers.get(self.question.id)
        if self.norm is not None:
            key = (value, env.day.date, answers.get(SITUATION_QUESTION), answers.get(AGE_QUESTION))
        else:
            key = value
        memo = self._memo
        found = memo.get(key)
        if found is None:
            if len(memo) > MEMO_LIMIT:
                memo.clear()
            found = memo[key] = self._explain_uncached(env)
        return found

    def _explain_uncached(self, env):
        q = self.question
        value = env.answers.get(q.id)
        truth = self.status(env)
        if value is None:
            return Outcome(None, (), frozenset({q.id}) | self._missing(env))
        if truth is None:
            return Outcome(None, (), self._missing(env))
        return Outcome(truth, (self._reason(env, value, truth),))

    def _reason(self, env: Env, value: Any, truth: bool) -> str:
        q = self.question
        words = q.definition.reden
        if q.type == "boolean":
            return words.ja if value else words.nee
        if q.type == "choice":
            return f"{q.definition.onderwerp}: {q.label(value)}."
        if q.type == "multi":
            if self.op == "bevat":
                label = q.label(self.operand)
                template = (words.bevat if truth else words.bevat_niet) if words else None
                return (template or "{waarden}").replace("{waarden}", label)
            others = [k for k in q.options if k in value and k != self.operand]
            if truth and words and words.bevat:
                return words.bevat.replace("{waarden}", join_dutch([q.label(k) for k in others]))
            return f"{q.short}: {q.format(value)}."
        return self._number_reason(env, value, truth)

    def _threshold(self, env: Env) -> tuple[Limits | None, str]:
        if self.norm is None:
            return None, self._format_constant(self.operand)
        answers = env.answers
        limits = env.day.limits(self.norm.id, self.factor,
                                answers.get(SITUATION_QUESTION) if SITUATION_QUESTION in self.norm_deps else None,
                                answers.get(AGE_QUESTION) if AGE_QUESTION in self.norm_deps else None)
        return limits, ""

    def _format_constant(self, value) -> str:
        if self.question.type == "money":
            return format_money(value)
        text = f"{Decimal(value).normalize():f}".replace(".", ",")
        unit = self.question.definition.eenheid
        return f"{text} {unit}" if unit else text

    def _format_limit(self, value) -> str:
        if self.question.type == "money":
            return format_money(int(value))
        return format_norm_value(value, self.norm.unit, in_cents=False)

    def _norm_name(self, env: Env, exact: bool) -> str:
        norm = self.norm
        where = " voor uw situatie" if norm.depends_on else ""
        if self.factor is None:
            name = f"de {norm.title}{where}" if exact else f"de {norm.title}"
            return name
        factor = env.day.scalar(self.factor) if isinstance(self.factor, str) else self.factor
        percent = format_norm_value(factor, "factor", in_cents=False)
        return f"de grens{where} ({percent} van de {norm.title})" if exact else f"{percent} van de {norm.title}"

    def _number_reason(self, env: Env, value, truth: bool) -> str:
        q = self.question
        limits, constant = self._threshold(env)
        if q.definition.hele_jaren:
            threshold = constant if limits is None else f"de {self.norm.title} ({self._format_limit(limits.low)})"
            holds_older = (self.op in (">=", ">")) == truth
            if self.op in (">=", "<"):
                relation = f"{threshold} of ouder" if holds_older else f"jonger dan {threshold}"
            else:
                relation = f"ouder dan {threshold}" if holds_older else f"{threshold} of jonger"
            return f"U bent {value} jaar, dus {relation}."
        shown = self._format_constant(value) if q.type != "money" else format_money(value)
        subject = f"{q.definition.onderwerp} ({shown})"
        if limits is None:
            threshold_value = self.operand
            return f"{subject} {_relation(value, threshold_value)} {constant}."
        if limits.exact:
            return (f"{subject} {_relation(value, limits.low)} {self._format_limit(limits.low)}, "
                    f"{self._norm_name(env, True)}.")
        if value > limits.high:
            edge, which = limits.high, "hoogste"
        else:
            edge, which = limits.low, "laagste"
        return (f"{subject} {_relation(value, edge)} {self._format_limit(edge)}, de {which} grens die voor u "
                f"kan gelden ({self._norm_name(env, False)}).")

    def describe(self, day: DayNorms) -> Description:
        q = self.question
        if q.type == "boolean":
            words = q.definition.reden
            return Description(words.ja if self.operand == (self.op == "=") else words.nee)
        if q.type == "choice":
            values = self.operand if self.op == "in" else [self.operand]
            labels = join_dutch([q.label(v) for v in values]).replace(" en ", " of ")
            verb = "is niet" if self.op == "!=" else "is"
            return Description(f"{q.definition.onderwerp} {verb}: {labels}.")
        if q.type == "multi":
            if self.op == "bevat":
                return Description(f"{q.short}: {q.label(self.operand)}.")
            return Description(f"{q.short}: iets anders dan '{q.label(self.operand)}'.")
        phrase = {">=": "is minstens", ">": "is meer dan", "<=": "is niet meer dan", "<": "is minder dan",
                  "=": "is", "!=": "is niet"}[self.op]
        if q.definition.hele_jaren:
            phrase = {">=": "is minstens", ">": "is ouder dan", "<=": "is hoogstens", "<": "is jonger dan"}.get(self.op, phrase)
            subject = "U"
            phrase = phrase.replace("is", "bent", 1)
        else:
            subject = q.definition.onderwerp
        if self.norm is None:
            return Description(f"{subject} {phrase} {self._format_constant(self.operand)}.")
        name = self._norm_name_for_description(day)
        return Description(f"{subject} {phrase} {name}.")

    def _norm_name_for_description(self, day: DayNorms) -> str:
        norm = self.norm
        where = " voor uw situatie" if norm.depends_on else ""
        dated = day.values[norm.id]
        value = ""
        if dated.value is not None:
            value = f" ({format_norm_value(dated.value, norm.unit, in_cents=False)})"
        if self.factor is None:
            return f"de {norm.title}{where}{value}"
        factor = day.scalar(self.factor) if isinstance(self.factor, str) else self.factor
        return f"{format_norm_value(factor, 'factor', in_cents=False)} van de {norm.title}{where}"


def _relation(value, threshold) -> str:
    if value > threshold:
        return "is hoger dan"
    if value < threshold:
        return "is lager dan"
    return "is gelijk aan"
