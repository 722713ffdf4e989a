"""Amounts: what a household gets (indicative), compiled once, evaluated three-valued.

A product's ``bedrag`` is a formula over norms, answers and numbers; ``catalogus.formula``
parses and checks it at load time and builds the terms below. Evaluating an amount gives
whole cents when the answers fix every figure it uses (rounded half up once, after the
computation), otherwise the questions it still depends on: never a guessed figure. Like a
norm comparison, a norm lookup is fixed as soon as the answers leave it one possible value
(a 19-year-old's bijstandsnorm does not depend on leefsituatie).

The outcome is memoised per amount by the answers it reads and the date, so a check pays
for an amount only when one of its own inputs changes. No wording here: the figures are
data (``catalogus.reasons``) that ``catalogus.wording`` turns into sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping

from .norms import AGE_QUESTION, SITUATION_QUESTION, DayNorms, Norm
from .reasons import AmountFigures, AmountOpen, AmountReason, Calculation, Figure, NoAmount, Subtotal, Unanswered
from .rules import Origin

MEMO_LIMIT = 20_000
HUNDRED = Decimal(100)
NO_MISSING: frozenset[str] = frozenset()


class NotAvailable:
    """A figure no answer can supply: the norm has no value for this household (under 18)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_AVAILABLE"


NOT_AVAILABLE = NotAvailable()


# ---------------------------------------------------------------- terms

class Term:
    """A compiled part of a formula; ``money`` and ``period`` are its unit (checked at load time)."""

    money: bool = False
    period: str | None = None

    def evaluate(self, answers: Mapping[str, Any], day: DayNorms):
        """(value, missing, shown): value is a Decimal (cents for money), None when open or NOT_AVAILABLE."""
        raise NotImplementedError  # pragma: no cover - abstract

    def partial(self, answers: Mapping[str, Any], day: DayNorms):
        """(value or None, shown) for the product page: unanswered questions stay words, known parts fold."""
        value, _missing, shown = self.evaluate(answers, day)
        if value is NOT_AVAILABLE:
            return NOT_AVAILABLE, None
        return value, shown

    def inputs(self) -> frozenset[str]:
        return NO_MISSING

    def norm_ids(self) -> frozenset[str]:
        return NO_MISSING


class Constant(Term):
    def __init__(self, value: Decimal):
        self.value = value
        self._result = (value, NO_MISSING, value)

    def evaluate(self, answers, day):
        return self._result


class AnswerTerm(Term):
    """An answer: cents for money, the number for an integer question."""

    def __init__(self, question: str, money: bool, period: str | None):
        self.question = question
        self.money = money
        self.period = period
        self._missing = frozenset({question})

    def evaluate(self, answers, day):
        value = answers.get(self.question)
        if value is None:
            return None, self._missing, None
        return Decimal(value), NO_MISSING, Figure("vraag", self.question, value, self.money, self.period, False)

    def partial(self, answers, day):
        value = answers.get(self.question)
        if value is None:
            return None, Unanswered(self.question)
        return self.evaluate(answers, day)[::2]

    def inputs(self):
        return self._missing


class NormTerm(Term):
    """A norm's value for this household (leefsituatie and age band), fixed when only one value is possible."""

    def __init__(self, norm: Norm, period: str | None):
        self.norm = norm
        self.money = norm.is_money
        self.period = period
        deps = norm.depends_on
        self.deps = deps
        self.uses_situation = SITUATION_QUESTION in deps
        self.uses_age = AGE_QUESTION in deps
        # when every input is answered and still two values are possible, the age in whole years is too coarse
        self._too_coarse = frozenset({AGE_QUESTION}) if self.uses_age else deps

    def evaluate(self, answers, day):
        possible = day.possible(self.norm.id, answers.get(SITUATION_QUESTION) if self.uses_situation else None,
                                answers.get(AGE_QUESTION) if self.uses_age else None)
        exact = possible.exact
        if exact is None:
            if not possible.values:
                return NOT_AVAILABLE, NO_MISSING, None
            missing = frozenset(q for q in self.deps if q not in answers) or self._too_coarse
            return None, missing, None
        value = exact * HUNDRED if self.money else exact
        shown = Figure("norm", self.norm.id, int(value) if self.money and value == int(value) else value,
                       self.money, self.period, bool(self.deps))
        return value, NO_MISSING, shown

    def inputs(self):
        return self.deps

    def norm_ids(self):
        return frozenset({self.norm.id})


class Binary(Term):
    """``left op right`` with op "+", "-" or "×"; open when a side is open, not available when one is."""

    def __init__(self, op: str, left: Term, right: Term, money: bool, period: str | None):
        self.op = op
        self.left = left
        self.right = right
        self.money = money
        self.period = period
        self._apply = {"+": Decimal.__add__, "-": Decimal.__sub__, "×": Decimal.__mul__}[op]

    def evaluate(self, answers, day):
        lv, lm, ls = self.left.evaluate(answers, day)
        rv, rm, rs = self.right.evaluate(answers, day)
        if lv is NOT_AVAILABLE or rv is NOT_AVAILABLE:
            return NOT_AVAILABLE, NO_MISSING, None
        if lv is None or rv is None:
            return None, lm | rm, None
        return self._apply(lv, rv), NO_MISSING, Calculation(self.op, ls, rs)

    def partial(self, answers, day):
        lv, ls = self.left.partial(answers, day)
        rv, rs = self.right.partial(answers, day)
        if lv is NOT_AVAILABLE or rv is NOT_AVAILABLE:
            return NOT_AVAILABLE, None
        if lv is not None and rv is not None:
            value = self._apply(lv, rv)
            return value, Subtotal(value, self.money)
        return None, Calculation(self.op, ls, rs)

    def inputs(self):
        return self.left.inputs() | self.right.inputs()

    def norm_ids(self):
        return self.left.norm_ids() | self.right.norm_ids()


# ---------------------------------------------------------------- an amount and its outcome

@dataclass(frozen=True, slots=True)
class AmountResult:
    """One product's amount for this household: whole cents, or open with what it depends on, or none."""

    period: str  # "maand" or "jaar"
    cents: int | None
    depends_on: tuple[str, ...]  # questions still needed, in vocabulary order (empty when determined)
    reason: AmountReason
    instead_of: str | None = None  # the product this one comes instead of (counted once in a total)

    @property
    def determined(self) -> bool:
        return self.cents is not None

    @property
    def open(self) -> bool:
        return isinstance(self.reason, AmountOpen)

    @property
    def per_year(self) -> int | None:
        """The value per year in cents (monthly × 12), for totals and for ordering results by value."""
        if self.cents is None:
            return None
        return self.cents * 12 if self.period == "maand" else self.cents


class Amount:
    """A product's compiled amount: period, formula, closing sentence, alternative, and where it was written."""

    def __init__(self, product_id: str, period: str, formula: Term, sentence: str, decider: str,
                 instead_of: str | None, order: Mapping[str, int], origin: Origin):
        self.product_id = product_id
        self.period = period
        self.formula = formula
        self.sentence = sentence
        self.decider = decider
        self.instead_of = instead_of
        self.origin = origin
        self.inputs = tuple(sorted(formula.inputs(), key=lambda q: order.get(q, 0)))
        self._order = order
        self._memo: dict[tuple, AmountResult] = {}
        self.none = AmountResult(period, None, (), NoAmount(True), instead_of)
        self._no_norm = AmountResult(period, None, (), NoAmount(False), instead_of)  # no norm, or nothing to get

    def norm_ids(self) -> frozenset[str]:
        return self.formula.norm_ids()

    def result_for(self, status: str, answers: Mapping[str, Any], day: DayNorms) -> AmountResult:
        """What a check shows for a product with this status: no figure at all when it does not fit."""
        return self.none if status == "not_eligible" else self.evaluate(answers, day)

    def evaluate(self, answers: Mapping[str, Any], day: DayNorms) -> AmountResult:
        """The amount for these (internal) answers on this day, memoised by the answers it reads."""
        # the day's key (norm book and date): catalogues that share compiled products may differ in norms
        key = (day.key, *map(answers.get, self.inputs))
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) > MEMO_LIMIT:
                self._memo.clear()
            found = self._memo[key] = self._evaluate(answers, day)
        return found

    def _evaluate(self, answers, day) -> AmountResult:
        value, missing, shown = self.formula.evaluate(answers, day)
        if value is NOT_AVAILABLE:
            return self._no_norm
        if value is None:
            depends_on = tuple(sorted(missing, key=lambda q: self._order.get(q, 0)))
            return AmountResult(self.period, None, depends_on, AmountOpen(self.period, depends_on, self.decider),
                                self.instead_of)
        cents = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if cents <= 0:
            return self._no_norm  # nothing to get (say, an income above the norm): no figure, not "€ 0"
        return AmountResult(self.period, cents, (),
                            AmountFigures(cents, self.period, shown, self.sentence, self.decider), self.instead_of)


# ---------------------------------------------------------------- the total

@dataclass(frozen=True)
class AmountsTotal:
    """The yearly total of the determined amounts of the eligible products, alternatives counted once."""

    per_year: int  # cents
    products: tuple[str, ...]  # ids counted, in result order
    complete: bool  # False when an eligible product's amount is still open (left out: the total may be higher)
    left_out: tuple[str, ...] = ()  # eligible products whose amount is open
    replaced: tuple[tuple[str, str], ...] = ()  # (not counted, counted instead): alternatives counted once

    @property
    def per_year_euros(self) -> float:
        return self.per_year / 100


def total(results: Iterable[Any]) -> AmountsTotal:
    """Sum the eligible results' determined amounts per year; of alternatives only the highest counts.

    ``results`` are the check's product results in page order (each with ``id``, ``status`` and
    ``amount``). A product that comes ``in_plaats_van`` another wins a tie ("IOAW comes instead of
    bijstand": ioaw counts when both give the same).
    """
    counted: dict[str, tuple[int, bool, str]] = {}  # group -> (per year, comes instead, product id)
    order: list[str] = []
    left_out: list[str] = []
    groups: dict[str, str] = {}  # product id -> its group (itself, or the product it comes instead of)
    for r in results:
        amount = r.amount
        if amount is None or r.status != "eligible":
            continue
        order.append(r.id)
        if amount.cents is None:
            left_out.append(r.id)
            continue
        group = groups[r.id] = amount.instead_of or r.id
        candidate = (amount.per_year, amount.instead_of is not None, r.id)
        best = counted.get(group)
        if best is None or candidate[:2] > best[:2]:
            counted[group] = candidate
    chosen = {pid for _value, _instead, pid in counted.values()}
    replaced = tuple((pid, counted[group][2]) for pid, group in groups.items() if pid not in chosen)
    return AmountsTotal(sum(value for value, _instead, _pid in counted.values()),
                        tuple(pid for pid in order if pid in chosen), not left_out, tuple(left_out), replaced)


# ---------------------------------------------------------------- the product page: figures per leefsituatie

@dataclass(frozen=True)
class AgeBand:
    """Ages [low, high) in which the formula's norms do not change; bounds may be a norm (AOW-leeftijd)."""

    low: Decimal
    high: Decimal | None
    low_norm: str | None
    high_norm: str | None
    sample: int  # a whole age inside the band


@dataclass(frozen=True)
class AmountTable:
    """What an amount comes to per leefsituatie (rows) and age band (columns) on one day."""

    situations: tuple[str | None, ...]  # None: the amount does not depend on leefsituatie
    bands: tuple[AgeBand | None, ...]  # None: it does not depend on age
    cells: tuple[tuple[Any, ...], ...]  # per row, per column: the partial calculation, or None (no norm)


def amount_table(amount: Amount, day: DayNorms, situations: Iterable[str]) -> AmountTable:
    """The amount filled in as far as leefsituatie and age go, for the product page."""
    inputs = set(amount.inputs)
    rows = tuple(situations) if SITUATION_QUESTION in inputs else (None,)
    bands: tuple[AgeBand | None, ...] = tuple(_age_bands(amount, day)) if AGE_QUESTION in inputs else (None,)
    cells = []
    for situation in rows:
        row = []
        for band in bands:
            answers: dict[str, Any] = {}
            if situation is not None:
                answers[SITUATION_QUESTION] = situation
            if band is not None:
                answers[AGE_QUESTION] = band.sample
            value, shown = amount.formula.partial(answers, day)
            if value is not None and value is not NOT_AVAILABLE:
                shown = Subtotal(Decimal(int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))), True)
            row.append(None if value is NOT_AVAILABLE else shown)
        cells.append(tuple(row))
    keep = [i for i in range(len(bands)) if any(row[i] is not None for row in cells)]
    return AmountTable(rows, tuple(bands[i] for i in keep), tuple(tuple(row[i] for i in keep) for row in cells))


def _age_bands(amount: Amount, day: DayNorms) -> list[AgeBand]:
    """The age bands of the formula's norms on ``day``, from their variants' bounds."""
    bounds: dict[Decimal, str | None] = {Decimal(0): None}
    for norm_id in amount.norm_ids():
        for variant in day.values[norm_id].variants or ():
            for bound in (variant.age_from, variant.age_to):
                if bound is not None:
                    value = day.scalar(bound) if isinstance(bound, str) else bound
                    bounds[value] = bound if isinstance(bound, str) else bounds.get(value)
    edges = sorted(bounds)
    bands = []
    for i, low in enumerate(edges):
        high = edges[i + 1] if i + 1 < len(edges) else None
        sample = int(low) if low == int(low) else int(low) + 1
        if high is not None and sample + 1 > high:
            continue  # no whole age lies entirely inside this band
        bands.append(AgeBand(low, high, bounds[low], bounds[high] if high is not None else None, sample))
    return bands
