"""The JSON API for other channels (KCC/CRM screen, chat, app): ``/api/v1``.

Bad input of any kind is a 4xx with an ``ErrorBody`` naming the field; never a 500.
"""

from __future__ import annotations

import datetime as dt
import weakref
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import CacheControlHeader
from litestar.enums import MediaType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, FromPath, FromQuery, QueryParameter

from ..amounts import AmountResult
from ..catalog import Catalog, Product
from ..check import Check, CheckResult, ProductResult
from ..errors import AnswerError, NormDateError
from ..questions import Question
from ..conversation import simple_condition
from ..content import Snapshot
from ..steering import events as ev
from .deps import SnapshotDep, TodayDep
from .security import ApiProblem
from .api_schema import (
    AmountOut, AmountsTotalOut, ApiError, AskedWhen, CaseManagerOut, CheckRequest, CheckResponse, CheckResultItem,
    ContactInfo, Domain, ErrorBody, HowToApply, Kind, LegalBasis, MunicipalityList, MunicipalityOut, NextQuestion,
    NextStep, Option, ProductDetail,
    ProductList, ProductSummary, Progress, StepQuestion,
    Upl, UrgentContact, describe_check_request, describe_municipalities,
)

PREFIX = "/api/v1"
# The request body is a CheckRequest; unknown top-level fields are refused, and the schema says so.
CheckBody = Annotated[CheckRequest, Body(media_type="application/json", schema_extra={"additionalProperties": False})]
TAGS = ["Catalogus"]
_ENCODER = msgspec.json.Encoder()


def _error_spec(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=ErrorBody, description=description)


BAD_REQUEST = {
    400: _error_spec("Het verzoek is geen geldige JSON of heeft een verkeerde vorm"),
    422: _error_spec("Een waarde klopt niet; 'field' of 'question' noemt welke"),
}


def _problem(status: int, errors: list[ApiError]) -> ApiProblem:
    return ApiProblem(status, [msgspec.to_builtins(e) for e in errors])


def _page_url(request: Request, product_id: str, catalog: Catalog) -> str:
    """The public page of a product in its municipality, from ``public_url`` (never the Host header, which the
    client chooses)."""
    return (request.app.state.settings.public_url.rstrip("/") + catalog.municipality.prefix
            + f"/producten/{product_id}")


def _summary_fields(request: Request, product: Product, catalog: Catalog) -> dict[str, Any]:
    return {"id": product.id, "title": product.title, "kind": product.kind, "domains": product.domains,
            "summary": product.summary, "url": _page_url(request, product.id, catalog)}


GEMEENTE_QUERY = QueryParameter(description=(
    "id van de gemeente (zie /api/v1/gemeenten); zonder: de standaardgemeente van de regio"),
    schema_extra={"pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 60})


def municipality_catalog(snapshot: Snapshot, municipality: str | None, field: str = "gemeente") -> Catalog:
    """The catalogue of the municipality a call names (the default without one); 422 naming the known ones."""
    region = snapshot.region
    if municipality is None:
        return region.default_catalog
    catalog = region.find(municipality)
    if catalog is None:
        shown = municipality[:60]
        raise _problem(422, [ApiError(f"onbekende gemeente '{shown}'; bekend zijn: {', '.join(region.ids)}",
                                      field=field)])
    return catalog


@get(f"{PREFIX}/gemeenten", name="api-municipalities", tags=TAGS,
     summary="De gemeenten van de regio; de standaardgemeente antwoordt als een verzoek geen gemeente noemt")
async def list_municipalities(snapshot: SnapshotDep) -> MunicipalityList:
    return MunicipalityList([MunicipalityOut(m.id, m.name, m.default) for m in snapshot.region.municipalities])


@get(f"{PREFIX}/products", name="api-products", tags=TAGS, responses=BAD_REQUEST,
     summary="Alle producten, met filters op soort en domein")
async def list_products(request: Request, snapshot: SnapshotDep, kind: FromQuery[Kind | None] = None,
                        domain: FromQuery[Domain | None] = None,
                        gemeente: Annotated[str | None, GEMEENTE_QUERY] = None) -> ProductList:
    catalog = municipality_catalog(snapshot, gemeente)
    products = [p for p in catalog.sorted_products()
                if (kind is None or p.kind == kind) and (domain is None or domain in p.domains)]
    return ProductList([ProductSummary(**_summary_fields(request, p, catalog)) for p in products])


@get(f"{PREFIX}/products/{{product_id:str}}", name="api-product", tags=TAGS,
     responses={404: _error_spec("Onbekend product-id"), 422: BAD_REQUEST[422]},
     summary="Eén product met alle inhoud en de regel")
async def product_detail(request: Request, product_id: FromPath[str], snapshot: SnapshotDep,
                         gemeente: Annotated[str | None, GEMEENTE_QUERY] = None) -> ProductDetail:
    catalog = municipality_catalog(snapshot, gemeente)
    product = catalog.products.get(product_id)
    if product is None:
        raise _problem(404, [ApiError(f"onbekend product '{product_id[:100]}'", field="product_id")])
    c = product.content
    return ProductDetail(
        **_summary_fields(request, product, catalog),
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
      summary="Statussen, redenen, bedragen, casemanager en de volgende vraag voor een set antwoorden")
async def check(request: Request, data: CheckBody, snapshot: SnapshotDep, today: TodayDep) -> Response[CheckResponse]:
    return Response(check_json(request.app.state, snapshot, data, today), media_type=MediaType.JSON)


def check_json(state: Any, snapshot: Snapshot, data: CheckRequest, today: dt.date) -> bytes:
    """The check's JSON answer to one request, counted for the steering figures; raises the 422 problem
    for bad input. The route above and the fast lane (``fast_check``) both answer with this."""
    catalog = municipality_catalog(snapshot, data.gemeente)
    if len(data.answers) > len(catalog.vocabulary):  # then some are unknown; don't spend seconds on 60,000 of them
        raise _problem(422, [ApiError(f"te veel antwoorden: er zijn {len(catalog.vocabulary)} vragen",
                                      field="answers")])
    try:
        result = Check(catalog, data.date or today).settle(data.answers)
    except AnswerError as exc:
        raise _problem(422, [ApiError(p.message, field=f"answers.{p.question}", question=p.question)
                             for p in exc.problems]) from None
    except NormDateError as exc:
        raise _problem(422, [ApiError(f"voor deze datum zijn er geen normen (de eerste gelden vanaf "
                                      f"{exc.first})", field="date")]) from None
    # Encoded here, once: handed a struct, Litestar would build and run its own encoder per response.
    body = _ENCODER.encode(check_response(state.settings.public_url, result))
    counted = ev.started("api")
    if result.next_question is None:  # nothing left to ask: the client shows results
        counted += ev.results(result, "api") + ev.topics(result)
    state.tally.record(today, catalog.municipality.id, counted)  # last: an answer that fails is not counted
    return body


def next_question_out(question: Question | None, struct=NextQuestion, **extra) -> NextQuestion | None:
    if question is None:
        return None
    data = question.to_api()
    return struct(
        id=data["id"], type=data["type"], text=data["text"],
        **({"help": data["help"]} if "help" in data else {}),
        **({"options": [Option(o["value"], o["label"]) for o in data["options"]]} if "options" in data else {}),
        **({"min": data["min"]} if "min" in data else {}),
        **({"max": data["max"]} if "max" in data else {}),
        **extra,
    )


class _Shapes:
    """What the check response repeats unchanged for every household of one catalogue: the product pages'
    URLs and the questions as the API shows them (built once, not per request)."""

    def __init__(self, catalog: Catalog, public_url: str):
        base = public_url.rstrip("/") + catalog.municipality.prefix + "/producten/"
        self.catalog, self.public_url = catalog, public_url
        self.urls = {pid: base + pid for pid in catalog.products}
        self._questions: dict[str, NextQuestion] = {}
        self._steps: dict[tuple[str, bool], StepQuestion] = {}

    def item(self, result: CheckResult, r: ProductResult) -> msgspec.Raw:
        """One result as encoded JSON; kept with a result that settles share (``ProductResult.shown``)."""
        shown = r.shown
        if shown is not None:
            found = shown.get(self)
            if found is not None:
                return found
        product, amount = r.product, r.amount
        raw = msgspec.Raw(_ENCODER.encode(CheckResultItem(
            product.id, product.title, product.kind, product.domains, r.status,
            self.catalog.wording.reasons(r.reasons), list(r.deciding), r.in_topics, self.urls[product.id],
            None if amount is None else amount_out(result, amount))))
        if shown is not None:
            shown[self] = raw
        return raw

    def question(self, question: Question | None) -> NextQuestion | None:
        if question is None:
            return None
        found = self._questions.get(question.id)
        if found is None:
            found = self._questions[question.id] = next_question_out(question)
        return found

    def step_question(self, question: Question, follow_up: bool) -> StepQuestion:
        key = (question.id, follow_up)
        found = self._steps.get(key)
        if found is None:
            extra = {}
            simple = simple_condition(self.catalog.question_conditions.get(question.id)) if follow_up else None
            if simple is not None:
                extra["only_if"] = AskedWhen(*simple)
            found = self._steps[key] = next_question_out(question, StepQuestion, **extra)
        return found


_SHAPES: dict[int, tuple[weakref.ref, _Shapes]] = {}


def _shapes(public_url: str, catalog: Catalog) -> _Shapes:
    """The catalogue's ``_Shapes`` (a new one after a content reload; the old one goes with its catalogue)."""
    found = _SHAPES.get(id(catalog))
    if found is not None and found[0]() is catalog and found[1].public_url == public_url:
        return found[1]
    for key in [k for k, (ref, _) in _SHAPES.items() if ref() is None]:
        del _SHAPES[key]
    shapes = _Shapes(catalog, public_url)
    _SHAPES[id(catalog)] = (weakref.ref(catalog), shapes)
    return shapes


def next_step_out(result: CheckResult, shapes: _Shapes) -> NextStep | None:
    step = result.next_step
    if step is None:
        return None
    follow_ups = step.follow_ups
    return NextStep(step.id, step.step.title, [shapes.step_question(q, q in follow_ups) for q in step.all_questions])


def amount_out(result: CheckResult, amount: AmountResult | None) -> AmountOut | None:
    if amount is None:
        return None
    value = None if amount.cents is None else amount.cents / 100
    return AmountOut(value, amount.period, list(amount.depends_on), result.amount_text(amount))


def check_response(public_url: str, result: CheckResult) -> CheckResponse:
    shapes = _shapes(public_url, result.catalog)
    cm = result.case_manager
    total = result.amounts_total
    item = shapes.item
    return CheckResponse(
        date=result.date,
        topics=result.topics,
        results=[item(result, r) for r in result.results],  # encoded already: msgspec writes them as they are
        case_manager=CaseManagerOut(cm.route, cm.urgent, result.catalog.wording.reasons(cm.reasons),
                                    [UrgentContact(u.titel, u.telefoon, u.tekst) for u in cm.urgent_contacts],
                                    cm.domains, cm.deciding),
        next_question=shapes.question(result.next_question),
        next_step=next_step_out(result, shapes),
        progress=Progress(result.answered, result.estimated_remaining, result.remaining_steps),
        amounts_total=AmountsTotalOut(total.per_year / 100, list(total.products), total.complete),
    )


def publish_vocabulary(app) -> None:
    """Publish the question vocabulary and the region's municipalities in the OpenAPI document (both come
    from the content)."""
    from litestar._openapi.plugin import OpenAPIPlugin

    document = app.plugins.get(OpenAPIPlugin).provide_openapi_schema()
    snapshot = app.state.content.current
    describe_check_request(document, snapshot.catalog.vocabulary)
    describe_municipalities(document, snapshot.region.ids)


ROUTES = [list_products, product_detail, check, list_municipalities]
