"""A limit (norm × factor) per leefsituatie and age band on one day: what a product page shows as a table.

A rule such as "income at most 130% of the bijstandsnorm" means a different amount for every
household. A resident needs the amount for their own situation, so a page lists it per
leefsituatie and age band. This module computes those figures; ``wording`` says them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .norms import DayNorms, _to_cents

Bound = Decimal | str | None  # an age, the id of an age norm (AOW-leeftijd), or open


@dataclass(frozen=True, slots=True)
class LimitLine:
    """One figure of a limit: for which leefsituaties (None: all) it holds, and the value."""

    situations: tuple[str, ...] | None
    value: int | Decimal  # cents for money


@dataclass(frozen=True, slots=True)
class LimitBand:
    """The figures for one age band [age_from, age_to); both None when the norm does not depend on age."""

    age_from: Bound
    age_to: Bound
    lines: tuple[LimitLine, ...]


@dataclass(frozen=True, slots=True)
class LimitTable:
    norm: str
    unit: str
    money: bool
    bands: tuple[LimitBand, ...]


def limit_table(day: DayNorms, norm_id: str, factor: Decimal | None, situations: tuple[str, ...]) -> LimitTable | None:
    """``factor × norm`` for every leefsituatie and age band on ``day``; None when the norm has one value.

    Leefsituaties with the same figure in a band are joined into one line, in vocabulary order.
    """
    norm = day.book.norms[norm_id]
    dated = day.values[norm_id]
    if dated.variants is None:
        return None
    bands: dict[tuple[Bound, Bound], dict[int | Decimal, list[str] | None]] = {}
    for variant in dated.variants:
        value = _to_cents(variant.value, factor) if norm.is_money else (
            variant.value * factor if factor is not None else variant.value)
        figures = bands.setdefault((variant.age_from, variant.age_to), {})
        if variant.situations is None:
            figures[value] = None
            continue
        chosen = [s for s in situations if s in variant.situations]
        if value in figures and figures[value] is not None:
            figures[value] = [s for s in situations if s in figures[value] or s in chosen]
        elif value not in figures:
            figures[value] = chosen
    ordered = sorted(bands.items(), key=lambda item: _age_key(day, item[0][0]))
    return LimitTable(norm_id, norm.unit, norm.is_money, tuple(
        LimitBand(low, high, tuple(sorted((LimitLine(tuple(s) if s is not None else None, v) for v, s in figures.items()),
                                          key=lambda line: _situation_key(situations, line))))
        for (low, high), figures in ordered))


def _age_key(day: DayNorms, bound: Bound) -> Decimal:
    if bound is None:
        return Decimal(0)
    return day.scalar(bound) if isinstance(bound, str) else Decimal(bound)


def _situation_key(situations: tuple[str, ...], line: LimitLine) -> int:
    return situations.index(line.situations[0]) if line.situations else -1
