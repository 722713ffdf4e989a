"""The page "Hoe wij bepalen wat bij u past" and its Algoritmeregister JSON, built from the compiled catalogue.

Every sentence about a rule comes from ``Catalog.describe`` (the same text the product
pages show), every figure from the norms file: nothing here is written twice. One short
section per product: its rule, the norms it uses on today's date (and the values already
decided for later), and its sources.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from litestar import Request, Response, get

from ..catalog import Catalog, Product
from ..exports import description_to_json
from ..models import KIND_ORDER
from ..norms import DatedValue, Norm, Variant
from ..wording import Description, norm_value_with_unit
from .deps import CatalogDep, SettingsDep, TodayDep
from .present import KINDS, KindInfo, description_tree
from .templating import date_nl, page

TRANSPARENCY_PATH = "/hoe-wij-bepalen"
REGISTER_PATH = TRANSPARENCY_PATH + "/algoritmeregister.json"


@dataclass(frozen=True)
class NormFigures:
    """A norm a product uses: its value(s) on today's date, later values already decided, its source."""

    id: str
    title: str
    now: list[tuple[str, str]]  # (for whom, value); for whom is "" without variants
    later: list[tuple[dt.date, list[tuple[str, str]]]]
    source: str | None


@dataclass(frozen=True)
class ProductRule:
    product: Product
    rule: dict  # description_tree of the product's rule
    norms: list[NormFigures]


@dataclass(frozen=True)
class NamedRule:
    name: str
    title: str
    rule: dict
    source: str | None


@dataclass(frozen=True)
class UrgentRule:
    rule: dict
    contact: str


def product_norm_ids(product: Product) -> list[str]:
    """The norms a product's rule and amount use."""
    ids = set(product.rule.norm_ids())
    if product.amount is not None:
        ids |= set(product.amount.norm_ids())
    return sorted(ids)


def norm_figures(catalog: Catalog, norm: Norm, today: dt.date) -> NormFigures:
    situations = catalog.vocabulary["leefsituatie"].options if "leefsituatie" in catalog.vocabulary else {}
    current = norm.on(today) if norm.values[0].start <= today else norm.values[0]
    later = [(d.start, _values(catalog, norm, d, situations)) for d in norm.values if d.start > current.start]
    return NormFigures(norm.id, norm.title, _values(catalog, norm, current, situations), later, current.source)


def product_rules(catalog: Catalog, today: dt.date) -> list[tuple[KindInfo, list[ProductRule]]]:
    """Every product's rule in plain Dutch with its norms, grouped by kind (collective first)."""
    day = catalog.norms.on(today)
    products = catalog.sorted_products()
    return [(KINDS[kind], [ProductRule(p, description_tree(catalog.describe(p.rule, day)),
                                       [norm_figures(catalog, catalog.norms.norms[n], today)
                                        for n in product_norm_ids(p)])
                           for p in products if p.kind == kind])
            for kind in KIND_ORDER]


def _full(catalog: Catalog, node, day) -> dict:
    """A named condition with its summary and, below it, how it is decided."""
    return description_tree(Description(node.summary, [catalog.describe(node.target, day)]))


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


# ---------------------------------------------------------------- the Algoritmeregister

def register_entry(catalog: Catalog, today: dt.date, public_url: str, source_url: str) -> dict[str, Any]:
    """The check as the Algoritmeregister's publication standard describes an algorithm, plus every rule.

    The standard's required fields come first (naam, korte omschrijving, organisatie, status,
    contact, doel, menselijke tussenkomst, wettelijke basis, broncode); ``regels`` holds the same
    rules and figures as the page, one entry per product.
    """
    day = catalog.norms.on(today)
    municipality = catalog.municipality
    base = public_url.rstrip("/") + municipality.prefix
    products = catalog.sorted_products()
    laws = sorted({p.content.wettelijke_basis.wet for p in products})
    return {
        "naam": f"Check: welke hulp en regelingen passen bij u ({municipality.name})",
        "korte_omschrijving": ("Een inwoner beantwoordt vragen over zijn situatie. De check vergelijkt de antwoorden "
                               "met vaste regels en laat zien welke hulp en regelingen kunnen passen. De check leert "
                               "niet zelf en neemt geen besluit."),
        "organisatie": f"Gemeente {municipality.name}",
        "status": "In gebruik",
        "contact": {"telefoon": municipality.phone, "bereikbaar": municipality.hours,
                    "website": base + TRANSPARENCY_PATH},
        "doel": ("Inwoners en medewerkers van het KCC snel laten zien welke regelingen bij een situatie passen, "
                 "wat ze ongeveer opleveren en wanneer een casemanager van het wijkteam kan helpen."),
        "menselijke_tussenkomst": ("De uitkomst is geen besluit. Vraagt een inwoner iets aan, dan beslist een "
                                   "medewerker van de gemeente of de organisatie die de regeling uitvoert, na "
                                   "een eigen beoordeling van de hele situatie. Een aanmelding bij het wijkteam "
                                   "leest een casemanager."),
        "wettelijke_basis": laws,
        # Never an address we made up: without a setting, say how to get it.
        "broncode": source_url or f"Op aanvraag bij de gemeente {municipality.name}",
        "type_algoritme": "Regelgebaseerd",
        "publicatiedatum": today.isoformat(),
        "regels": [{
            "product": p.id,
            "naam": p.title,
            "pagina": f"{base}/producten/{p.id}",
            "uitleg": f"{base}{TRANSPARENCY_PATH}#regel-{p.id}",
            "wettelijke_basis": {"wet": p.content.wettelijke_basis.wet, "artikel": p.content.wettelijke_basis.artikel,
                                 "bron": p.content.wettelijke_basis.bron},
            "voorwaarden": description_to_json(catalog.describe(p.rule, day)),
            "normen": [_norm_json(catalog, catalog.norms.norms[n], today) for n in product_norm_ids(p)],
        } for p in products],
    }


def _norm_json(catalog: Catalog, norm: Norm, today: dt.date) -> dict[str, Any]:
    figures = norm_figures(catalog, norm, today)
    return {"id": norm.id, "naam": norm.title, "bron": figures.source,
            "waarden": [{"voor": who or "iedereen", "waarde": value} for who, value in figures.now],
            "later": [{"vanaf": start.isoformat(), "waarden": [{"voor": who or "iedereen", "waarde": value}
                                                              for who, value in values]}
                      for start, values in figures.later]}


# ---------------------------------------------------------------- handlers

@get(TRANSPARENCY_PATH, name="transparency")
async def transparency(request: Request, catalog: CatalogDep, today: TodayDep) -> Any:
    route, urgent = routing_rules(catalog, today)
    return page(request, "transparantie.html", {
        "groups": product_rules(catalog, today),
        "domains": life_domains(catalog, today),
        "route": route,
        "urgent": urgent,
        "team": catalog.routing.team,
        "today": today,
        "register_path": REGISTER_PATH,
    })


@get(REGISTER_PATH, name="algorithm-register")
async def algorithm_register(catalog: CatalogDep, today: TodayDep, settings: SettingsDep) -> Response:
    """The same facts as the page, as JSON for the Algoritmeregister."""
    return Response(register_entry(catalog, today, settings.public_url, settings.source_url),
                    media_type="application/json", headers={"cache-control": "public, max-age=300"})


ROUTES = [transparency, algorithm_register]
