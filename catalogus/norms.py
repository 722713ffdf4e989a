"""Dated norms: the value of a parameter on a date, per leefsituatie and age band.

A value applies from its ``geldig_vanaf`` until a newer value starts (the way
OpenFisca parameters behave). Money is handled in whole cents; a factor × norm
limit is rounded half up to whole cents, as municipalities publish them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache
from typing import Iterable

from .errors import NormDateError

AGE_QUESTION = "leeftijd"
SITUATION_QUESTION = "leefsituatie"
MONEY_UNITS = frozenset({"euro", "euro_per_maand", "euro_per_jaar"})


@dataclass(frozen=True)
class Variant:
    """One value of a norm for some leefsituaties and an age band [age_from, age_to)."""

    situations: frozenset[str] | None
    age_from: Decimal | str | None
    age_to: Decimal | str | None
    value: Decimal


@dataclass(frozen=True)
class DatedValue:
    start: dt.date
    source: str | None
    value: Decimal | None
    variants: tuple[Variant, ...] | None


@dataclass(frozen=True)
class Norm:
    id: str
    title: str
    unit: str
    values: tuple[DatedValue, ...]
    article: str = "de"  # for the title in a sentence ("het meedoenbudget")

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_UNITS

    @cached_property
    def depends_on(self) -> frozenset[str]:
        """The questions whose answers select this norm's value (worked out once: the rules read it on every
        comparison they explain)."""
        deps = set()
        for dated in self.values:
            for variant in dated.variants or ():
                if variant.situations is not None:
                    deps.add(SITUATION_QUESTION)
                if variant.age_from is not None or variant.age_to is not None:
                    deps.add(AGE_QUESTION)
        return frozenset(deps)

    def on(self, date: dt.date) -> DatedValue:
        """Return the value that applies on ``date``; raise NormDateError before the first one."""
        starts = [v.start for v in self.values]
        index = bisect_right(starts, date) - 1
        if index < 0:
            raise NormDateError(self.id, date, self.values[0].start)
        return self.values[index]


@dataclass(frozen=True)
class Limits:
    """What a norm (× factor) can be for the households the answers still allow.

    ``gap`` is true when some of those households have no value at all (for
    example a person who may be under 18 has no bijstandsnorm).
    """

    low: Decimal | int
    high: Decimal | int
    gap: bool
    exact: bool
    whole: bool = True  # both ends whole numbers (an age in whole years then compares as a number)


@dataclass(frozen=True)
class Possible:
    """The values a norm can still take, and whether some allowed household has none (``gap``)."""

    values: tuple[Decimal, ...]
    gap: bool

    @property
    def exact(self) -> Decimal | None:
        """The one value, when the answers fix it."""
        return self.values[0] if len(self.values) == 1 and not self.gap else None


_DAY_KEYS = itertools.count(1)


class DayNorms:
    """Every norm resolved for one evaluation date, with memoised limits.

    ``key`` stands for this norm book on this date in the memos that settles share: a number never given
    to another ``DayNorms`` in this process. A memo key of numbers, texts and yes/no answers holds no object
    the garbage collector tracks, so the collector stops walking it after its first look; with the object
    itself in it, it walked every key of every memo on each full collection.
    """

    def __init__(self, book: "NormBook", date: dt.date):
        self.book = book
        self.date = date
        self.key = next(_DAY_KEYS)
        self.values = {norm_id: norm.on(date) for norm_id, norm in book.norms.items()}
        self._limits: dict[tuple, Limits] = {}
        self._possible: dict[tuple, Possible] = {}

    def scalar(self, norm_id: str) -> Decimal:
        """A norm without variants (a factor, hours, an age) on this date."""
        dated = self.values[norm_id]
        if dated.value is None:
            raise ValueError(f"norm {norm_id} has variants: it needs a leefsituatie or age")
        return dated.value

    def _age(self, bound: Decimal | str | None, default: Decimal) -> Decimal:
        if bound is None:
            return default
        if isinstance(bound, str):
            return self.scalar(bound)
        return bound

    def limits(self, norm_id: str, factor: Decimal | str | None, situation: str | None,
               age: int | None) -> Limits:
        """The possible values of ``factor × norm`` for the given (possibly unknown) answers."""
        key = (norm_id, factor, situation, age)
        found = self._limits.get(key)
        if found is None:
            found = self._limits[key] = self._compute(norm_id, factor, situation, age)
        return found

    def possible(self, norm_id: str, situation: str | None, age: int | None) -> "Possible":
        """The values a norm can have (in euros, unrounded) for the given (possibly unknown) answers."""
        key = (norm_id, situation, age)
        found = self._possible.get(key)
        if found is None:
            values, gap = self._candidates(norm_id, situation, age)
            found = self._possible[key] = Possible(tuple(sorted(set(values))), gap)
        return found

    def _candidates(self, norm_id: str, situation: str | None, age: int | None) -> tuple[list[Decimal], bool]:
        dated = self.values[norm_id]
        if dated.variants is None:
            return [dated.value], False
        situations = [situation] if situation is not None else list(self.book.situations)
        low_age, high_age = (Decimal(age), Decimal(age) + 1) if age is not None else self.book.age_range
        candidates, gap = [], False
        for sit in situations:
            covered: list[tuple[Decimal, Decimal]] = []
            for variant in dated.variants:
                if variant.situations is not None and sit not in variant.situations:
                    continue
                start = self._age(variant.age_from, Decimal(0))
                end = self._age(variant.age_to, Decimal(1000))
                if start < high_age and low_age < end:
                    candidates.append(variant.value)
                    covered.append((max(start, low_age), min(end, high_age)))
            if not _covers(covered, low_age, high_age):
                gap = True
        return candidates, gap

    def _compute(self, norm_id: str, factor: Decimal | str | None, situation: str | None,
                 age: int | None) -> Limits:
        norm = self.book.norms[norm_id]
        multiplier = self.scalar(factor) if isinstance(factor, str) else factor
        candidates, gap = self._candidates(norm_id, situation, age)
        if norm.is_money:
            results = [_to_cents(v, multiplier) for v in candidates]
        else:
            results = [v * multiplier if multiplier is not None else v for v in candidates]
        if not results:
            return Limits(Decimal(0), Decimal(0), True, False)
        low, high = min(results), max(results)
        return Limits(low, high, gap, len(set(results)) == 1 and not gap, _whole(low) and _whole(high))


def _whole(value: Decimal | int) -> bool:
    return Decimal(value) == Decimal(value).to_integral_value()


def _covers(pieces: list[tuple[Decimal, Decimal]], low: Decimal, high: Decimal) -> bool:
    reached = low
    for start, end in sorted(pieces):
        if start > reached:
            return False
        reached = max(reached, end)
    return reached >= high


def _to_cents(euros: Decimal, factor: Decimal | None) -> int:
    amount = euros * 100 if factor is None else euros * factor * 100
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class NormBook:
    """All norms, plus the answer ranges needed to reason about open answers."""

    def __init__(self, norms: dict[str, Norm], situations: Iterable[str], age_max: int):
        self.norms = norms
        self.situations = tuple(situations)
        self.age_range = (Decimal(0), Decimal(age_max) + 1)
        self.on = lru_cache(maxsize=64)(self._on)

    def _on(self, date: dt.date) -> DayNorms:
        return DayNorms(self, date)

    def first_date(self) -> dt.date:
        return max(norm.values[0].start for norm in self.norms.values())


def decimal(value: float | int) -> Decimal:
    """Exact decimal of a YAML number (1.3 stays 1.3, not 1.2999…)."""
    return Decimal(str(value))
