"""Public pages: home, one page per product, overviews per topic (domain) and per kind."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from ..catalog import Catalog, Product
from ..models import DOMAINS
from .deps import CatalogDep, SnapshotDep, TodayDep
from .present import KIND_BY_SLUG, KINDS, amount_view, description_tree, domain_titles
from .templating import page


@get("/", name="home")
async def home(request: Request, catalog: CatalogDep) -> Any:
    return page(request, "home.html", {
        "by_domain": catalog.by_domain(),
        "domain_titles": domain_titles(catalog),
        "kinds": KINDS,
    })


@get("/producten/{product_id:str}", name="product")
async def product(request: Request, product_id: FromPath[str], catalog: CatalogDep, today: TodayDep) -> Any:
    found = catalog.products.get(product_id)
    if found is None:
        raise NotFoundException("onbekend product")
    return page(request, "product.html", product_context(catalog, found, today))


def product_context(catalog: Catalog, found: Product, today: dt.date) -> dict[str, Any]:
    """What product.html shows (the staff preview renders a draft catalogue's product with it too)."""
    return {
        "product": found,
        "content": found.content,
        "kind": KINDS[found.kind],
        "rule": description_tree(catalog.describe(found.rule, catalog.norms.on(today))),
        "amount": amount_view(catalog, found, catalog.norms.on(today)),
        "domain_titles": domain_titles(catalog),
        "today": today,
    }


@get("/onderwerpen/{domain:str}", name="domain")
async def domain(request: Request, domain: FromPath[str], catalog: CatalogDep) -> Any:
    if domain not in DOMAINS:
        raise NotFoundException("onbekend onderwerp")
    products = catalog.by_domain()[domain]
    return page(request, "domain.html", {
        "domain": domain,
        "title": domain_titles(catalog)[domain],
        "groups": [(KINDS[k], [p for p in products if p.kind == k]) for k in KINDS],
        "domain_titles": domain_titles(catalog),
    })


@get("/soorten/{slug:str}", name="kind")
async def kind(request: Request, slug: FromPath[str], catalog: CatalogDep) -> Any:
    info = KIND_BY_SLUG.get(slug)
    if info is None:
        raise NotFoundException("onbekende soort")
    return page(request, "kind.html", {
        "info": info,
        "products": [p for p in catalog.sorted_products() if p.kind == info.kind],
        "domain_titles": domain_titles(catalog),
        "kinds": KINDS,
    })


REGION_PATH = "/gemeenten"


@get(REGION_PATH, name="region")
async def region(request: Request, snapshot: SnapshotDep) -> Any:
    """The region's entry page: every municipality, with its own pages and check."""
    if snapshot.region.single:
        raise NotFoundException("deze site is van één gemeente")
    return page(request, "regio.html", {"municipalities": snapshot.region.municipalities})


ROUTES = [home, product, domain, kind, region]
