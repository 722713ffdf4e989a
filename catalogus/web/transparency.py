"""What the page "Hoe wij bepalen wat bij u past" shows, built from the compiled catalogue.

Every sentence about a rule comes from ``Catalog.describe`` (the same text the product
pages show), every figure from the norms file: nothing here is written twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..catalog import Catalog, Product
from ..models import KIND_ORDER
from ..norms import DatedValue, Norm, Variant
from ..wording import Description, norm_value_with_unit
from .present import KINDS, KindInfo, description_tree

UNIT_LABELS = {
    "euro": "bedrag in euro",
    "euro_per_maand": "bedrag in euro per maand",
    "euro_per_jaar": "bedrag in euro per jaar",
    "factor": "percentage van een andere norm",
    "uren_per_week": "uren per week",
    "jaren": "leeftijd",
}


@dataclass(frozen=True)
class ProductRule:
    product: Product
    rule: dict  # description_tree of the product's rule


@dataclass(frozen=True)
class NamedRule:
    name: str
    title: str
    rule: dict
    source: str | None


@dataclass(frozen=True)
class NormRow:
    start: dt.date
    source: str | None
    values: list[tuple[str, str]]  # (for whom, the value in Dutch); for whom is "" without variants
    current: bool


@dataclass(frozen=True)
class NormTable:
    id: str
    title: str
    unit: str
    rows: list[NormRow]
    used_by: list[Product]


@dataclass(frozen=True)
class UrgentRule:
    rule: dict
    contact: str


def product_rules(catalog: Catalog, today: dt.date) -> list[tuple[KindInfo, list[ProductRule]]]:
    """Every product's rule in plain Dutch, grouped by kind (collective first)."""
    day = catalog.norms.on(today)
    products = catalog.sorted_products()
    return [(KINDS[kind], [ProductRule(p, description_tree(catalog.describe(p.rule, day)))
                           for p in products if p.kind == kind])
            for kind in KIND_ORDER]


def _full(catalog: Catalog, node, day) -> dict:
    """A named condition with its summary and, below it, how it is decided."""
    return description_tree(Description(node.summary, [catalog.describe(node.target, day)]))


def shared_rules(catalog: Catalog, today: dt.date) -> list[NamedRule]:
    """The shared conditions of rules/regels.yaml, each with its source."""
    day = catalog.norms.on(today)
    return [NamedRule(name, node.summary, _full(catalog, node, day), catalog.shared_sources.get(name))
            for name, node in catalog.shared.items() if name not in catalog.routing.domains]


def life_domains(catalog: Catalog, today: dt.date) -> list[NamedRule]:
    day = catalog.norms.on(today)
    routing = catalog.routing
    return [NamedRule(name, routing.domain_titles[name], _full(catalog, node, day), routing.source)
            for name, node in routing.domains.items()]


def routing_rules(catalog: Catalog, today: dt.date) -> tuple[dict, list[UrgentRule]]:
    """When we advise a case manager, and which situations are urgent."""
    day = catalog.norms.on(today)
    routing = catalog.routing
    urgent = [UrgentRule(description_tree(catalog.describe(signal.rule, day)),
                         f"{signal.contact.titel} ({signal.contact.telefoon})") for signal in routing.urgent]
    return description_tree(catalog.describe(routing.route, day)), urgent


def norm_tables(catalog: Catalog, today: dt.date) -> list[NormTable]:
    """Every norm with all its dated values, the one that applies today marked."""
    situations = catalog.vocabulary["leefsituatie"].options if "leefsituatie" in catalog.vocabulary else {}
    tables = []
    for norm in catalog.norms.norms.values():
        applies = norm.on(today) if norm.values[0].start <= today else None
        rows = [NormRow(dated.start, dated.source, _values(catalog, norm, dated, situations), dated is applies)
                for dated in norm.values]
        used_by = [p for p in catalog.sorted_products() if norm.id in p.rule.norm_ids()]
        tables.append(NormTable(norm.id, norm.title, UNIT_LABELS.get(norm.unit, norm.unit), rows, used_by))
    return tables


def _values(catalog: Catalog, norm: Norm, dated: DatedValue, situations: dict[str, str]) -> list[tuple[str, str]]:
    if dated.variants is None:
        return [("", _amount(dated.value, norm.unit))]
    return [(variant_label(catalog, variant, situations), _amount(variant.value, norm.unit))
            for variant in dated.variants]


def _amount(value: Decimal, unit: str) -> str:
    return norm_value_with_unit(value, unit)


def variant_label(catalog: Catalog, variant: Variant, situations: dict[str, str]) -> str:
    """For whom a variant holds, in words: age band and living situation."""
    parts = []
    age = _age_band(catalog, variant.age_from, variant.age_to)
    if age:
        parts.append(age)
    if variant.situations is not None:
        labels = [label for key, label in situations.items() if key in variant.situations]
        parts.append("woont " + " of ".join(labels))
    return ", ".join(parts) or "iedereen"


def _age(catalog: Catalog, bound: Decimal | str) -> str:
    if isinstance(bound, str):
        norm = catalog.norms.norms.get(bound)
        return f"de {norm.title}" if norm else bound
    return f"{bound.normalize():f}".replace(".", ",") + " jaar"


def _age_band(catalog: Catalog, low: Decimal | str | None, high: Decimal | str | None) -> str:
    if low is None and high is None:
        return ""
    if high is None:
        return f"vanaf {_age(catalog, low)}"
    if low is None:
        return f"jonger dan {_age(catalog, high)}"
    return f"van {_age(catalog, low)} tot {_age(catalog, high)}"
