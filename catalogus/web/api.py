"""The JSON API for other channels (KCC/CRM screen, chat, app): ``/api/v1``.

Bad input of any kind is a 4xx with an ``ErrorBody`` naming the field; never a 500.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.datastructures import CacheControlHeader
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, FromPath, FromQuery

from ..catalog import Product
from ..errors import NormDateError
from ..wizard import run_check
from .security import ApiProblem
from .api_schema import (
    ApiError, CaseManagerOut, CheckRequest, CheckResponse, CheckResultItem, ContactInfo, Domain, ErrorBody,
    HowToApply, Kind, LegalBasis, NextQuestion, Option, ProductDetail, ProductList, ProductSummary, Progress,
    Upl, UrgentContact, describe_check_request,
)

PREFIX = "/api/v1"
# The request body is a CheckRequest; unknown top-level fields are refused, and the schema says so.
CheckBody = Annotated[CheckRequest, Body(media_type="application/json", schema_extra={"additionalProperties": False})]
TAGS = ["Catalogus"]


def _error_spec(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=ErrorBody, description=description)


BAD_REQUEST = {
    400: _error_spec("Het verzoek is geen geldige JSON of heeft een verkeerde vorm"),
    422: _error_spec("Een waarde klopt niet; 'field' of 'question' noemt welke"),
}


def _problem(status: int, errors: list[ApiError]) -> ApiProblem:
    return ApiProblem(status, [msgspec.to_builtins(e) for e in errors])


def _page_url(request: Request, product_id: str) -> str:
    """The public page of a product, from ``public_url`` (never the Host header, which the client chooses)."""
    return request.app.state.settings.public_url.rstrip("/") + f"/producten/{product_id}"


def _summary_fields(request: Request, product: Product) -> dict[str, Any]:
    return {"id": product.id, "title": product.title, "kind": product.kind, "domains": product.domains,
            "summary": product.summary, "url": _page_url(request, product.id)}


@get(f"{PREFIX}/products", name="api-products", tags=TAGS, responses=BAD_REQUEST,
     summary="Alle producten, met filters op soort en domein")
async def list_products(request: Request, kind: FromQuery[Kind | None] = None,
                        domain: FromQuery[Domain | None] = None) -> ProductList:
    catalog = request.app.state.content.current.catalog
    products = [p for p in catalog.sorted_products()
                if (kind is None or p.kind == kind) and (domain is None or domain in p.domains)]
    return ProductList([ProductSummary(**_summary_fields(request, p)) for p in products])


@get(f"{PREFIX}/products/{{product_id:str}}", name="api-product", tags=TAGS,
     responses={404: _error_spec("Onbekend product-id")}, summary="Eén product met alle inhoud en de regel")
async def product_detail(request: Request, product_id: FromPath[str]) -> ProductDetail:
    catalog = request.app.state.content.current.catalog
    product = catalog.products.get(product_id)
    if product is None:
        raise _problem(404, [ApiError(f"onbekend product '{product_id[:100]}'", field="product_id")])
    c = product.content
    return ProductDetail(
        **_summary_fields(request, product),
        what_you_get=c.wat_krijgt_u,
        for_whom=c.voor_wie,
        upl=Upl(c.upl.naam, c.upl.uri) if c.upl else None,
        legal_basis=LegalBasis(c.wettelijke_basis.wet, c.wettelijke_basis.artikel, c.wettelijke_basis.bron),
        how_to_apply=HowToApply(list(c.aanvragen.stappen), c.aanvragen.online),
        bring=list(c.meenemen),
        costs=c.kosten,
        decision_term=c.beslistermijn,
        contact=ContactInfo(c.contact.naam, c.contact.telefoon, c.contact.email, c.contact.website,
                            c.contact.adres, c.contact.open),
        eligibility=c.voorwaarden.model_dump(mode="json", by_alias=True, exclude_none=True),
        reviewed_before=c.herzien_voor,
    )


@post(f"{PREFIX}/check", name="api-check", tags=TAGS, status_code=200, responses=BAD_REQUEST,
      cache_control=CacheControlHeader(no_store=True),
      summary="Statussen, redenen, casemanager en de volgende vraag voor een set antwoorden")
async def check(request: Request, data: CheckBody) -> CheckResponse:
    state = request.app.state.content
    catalog = state.current.catalog
    if len(data.answers) > len(catalog.vocabulary):  # then some are unknown; don't spend seconds on 60,000 of them
        raise _problem(422, [ApiError(f"te veel antwoorden: er zijn {len(catalog.vocabulary)} vragen",
                                      field="answers")])
    money_as_text = [ApiError(f"{catalog.vocabulary[k].short}: geef een bedrag als getal, bijvoorbeeld 1250.50",
                              field=f"answers.{k}", question=k)
                     for k, v in data.answers.items()
                     if k in catalog.vocabulary and catalog.vocabulary[k].type == "money" and isinstance(v, str)]
    answers, problems = catalog.vocabulary.validate(data.answers)
    errors = money_as_text + [ApiError(p.message, field=f"answers.{p.question}", question=p.question)
                              for p in problems if p.question not in {e.question for e in money_as_text}]
    if errors:
        raise _problem(422, errors)
    date = data.date or state.today()
    try:
        result = run_check(catalog, answers, date)
    except NormDateError as exc:
        raise _problem(422, [ApiError(f"voor deze datum zijn er geen normen (de eerste gelden vanaf "
                                      f"{exc.first})", field="date")]) from None
    return _check_response(request, result)


def _check_response(request: Request, result) -> CheckResponse:
    cm = result.case_manager
    question = result.next_question
    next_question = None
    if question is not None:
        data = question.to_api()
        next_question = NextQuestion(
            id=data["id"], type=data["type"], text=data["text"],
            **({"help": data["help"]} if "help" in data else {}),
            **({"options": [Option(o["value"], o["label"]) for o in data["options"]]} if "options" in data else {}),
            **({"min": data["min"]} if "min" in data else {}),
            **({"max": data["max"]} if "max" in data else {}),
        )
    return CheckResponse(
        date=result.date,
        topics=list(result.topics),
        results=[CheckResultItem(r.id, r.product.title, r.product.kind, r.product.domains, r.status,
                                 list(r.reasons), list(r.deciding), r.id in result.relevant,
                                 _page_url(request, r.id)) for r in result.results],
        case_manager=CaseManagerOut(cm.route, cm.urgent, list(cm.reasons),
                                    [UrgentContact(u.titel, u.telefoon, u.tekst) for u in cm.urgent_contacts],
                                    list(cm.domains), list(cm.deciding)),
        next_question=next_question,
        progress=Progress(result.answered, result.estimated_remaining),
    )


def on_startup(app) -> None:
    """Publish the question vocabulary in the OpenAPI document (it comes from the content)."""
    from litestar._openapi.plugin import OpenAPIPlugin

    document = app.plugins.get(OpenAPIPlugin).provide_openapi_schema()
    describe_check_request(document, app.state.content.current.catalog.vocabulary)


ROUTES = [list_products, product_detail, check]
