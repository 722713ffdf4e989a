"""The shapes of the JSON API (``/api/v1``), as msgspec structs.

They are the OpenAPI document's schemas too, so what the server says it returns and
what it returns cannot drift apart. Contract: ``shared/policy/api.md``; fields may be
added, none of the contract's removed or renamed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from msgspec import UNSET, Meta, Struct, UnsetType
from typing_extensions import Annotated

from ..models import Domain, Kind
from ..models import QuestionType as QuestionType
from ..models import Status as StatusEnum

Status = Literal[tuple(s.value for s in StatusEnum)]  # type: ignore[valid-type]


class ApiError(Struct, omit_defaults=True):
    """One problem with a request; ``question`` names the answer it is about."""

    message: str
    field: str | UnsetType = UNSET
    question: str | UnsetType = UNSET


class ErrorBody(Struct):
    status: int
    errors: list[ApiError]


class ProductSummary(Struct, kw_only=True):
    id: str
    title: str
    kind: Kind
    domains: list[Domain]
    summary: str
    url: str


class ProductList(Struct):
    products: list[ProductSummary]


class Upl(Struct):
    name: str
    uri: str


class LegalBasis(Struct):
    law: str
    article: str | None
    url: str | None


class HowToApply(Struct):
    steps: list[str]
    online: str | None


class ContactInfo(Struct):
    name: str
    phone: str | None
    email: str | None
    website: str | None
    address: str | None
    hours: str | None


class ProductDetail(ProductSummary, kw_only=True):
    what_you_get: str
    for_whom: str | None
    upl: Upl | None
    legal_basis: LegalBasis
    how_to_apply: HowToApply
    bring: list[str]
    costs: str
    decision_term: str | None
    contact: ContactInfo
    eligibility: dict[str, Any]
    reviewed_before: dt.date


class CheckRequest(Struct, forbid_unknown_fields=True):
    """Answers keyed by question id (see the vocabulary); ``date`` defaults to today; ``gemeente`` (a
    municipality id from ``GET /api/v1/gemeenten``) defaults to the region's default municipality."""

    answers: dict[str, Any] = {}
    date: dt.date | None = None
    gemeente: str | None = None


class MunicipalityOut(Struct):
    """One municipality of the region."""

    id: str
    name: str
    default: bool


class MunicipalityList(Struct):
    gemeenten: list[MunicipalityOut]


class AmountOut(Struct):
    """An indicative amount (amounts.md): ``value`` in euros, null while open or when the product does not fit."""

    value: float | None
    period: Literal["maand", "jaar"]
    depends_on: list[str]  # question ids the amount still depends on; empty when determined
    text: str  # B1 sentence with the figures used and who decides the real amount


class AmountsTotalOut(Struct):
    """The yearly total of the determined amounts of the eligible products (alternatives counted once)."""

    per_year: float
    products: list[str]  # ids counted
    complete: bool  # false when an eligible product with an amount still has an open amount


class CheckResultItem(Struct):
    id: str
    title: str
    kind: Kind
    domains: list[Domain]
    status: Status
    reasons: list[str]
    deciding: list[str]
    in_topics: bool
    url: str
    amount: AmountOut | None  # null for products without an amount


class UrgentContact(Struct):
    title: str
    phone: str
    text: str


class CaseManagerOut(Struct):
    route: bool | Literal["unknown"]
    urgent: bool
    reasons: list[str]
    urgent_contacts: list[UrgentContact]
    domains: list[str]
    deciding: list[str]


class Option(Struct):
    value: str
    label: str


class NextQuestion(Struct, omit_defaults=True):
    id: str
    type: QuestionType
    text: str
    help: str | UnsetType = UNSET
    options: list[Option] | UnsetType = UNSET
    min: int | UnsetType = UNSET
    max: int | UnsetType = UNSET


class AskedWhen(Struct):
    """A follow-up question is asked only when the answer to ``question`` (on the same step) meets this."""

    question: str
    op: str  # "=", "!=", "in", "bevat", "bevat_iets_anders_dan", ">", ">=", "<", "<="
    value: Any


class StepQuestion(NextQuestion, omit_defaults=True):
    only_if: AskedWhen | UnsetType = UNSET


class NextStep(Struct):
    """The next screen: a few questions that belong together; ``next_question`` is its first question."""

    id: str
    title: str
    questions: list[StepQuestion]


class Progress(Struct):
    answered: Annotated[int, Meta(ge=0)]
    estimated_remaining: Annotated[int, Meta(ge=0)]
    steps_remaining: Annotated[int, Meta(ge=0)] = 0


class CheckResponse(Struct):
    date: dt.date
    topics: list[Domain]
    results: list[CheckResultItem]
    case_manager: CaseManagerOut
    next_question: NextQuestion | None
    next_step: NextStep | None
    progress: Progress
    amounts_total: AmountsTotalOut


# ---------------------------------------------------------------- the answers, from the vocabulary

DATE_FROM_2026 = r"^(202[6-9]|20[3-9][0-9]|2[1-9][0-9]{2}|[3-9][0-9]{3})-"  # the norms start on 2026-01-01


def answer_schema(question) -> dict[str, Any]:
    """The JSON Schema of one answer (``null`` means: not answered)."""
    return {"anyOf": [question.kind.json_schema(question), {"type": "null"}], "description": question.text}


def describe_check_request(document: dict[str, Any], vocabulary) -> None:
    """Write the vocabulary into the published CheckRequest schema (answers per question, valid dates)."""
    request = document.get("components", {}).get("schemas", {}).get("CheckRequest")
    if request is None:
        return
    request["properties"]["answers"] = {
        "type": "object", "additionalProperties": False,
        "description": "Antwoorden per vraag-id; een vraag weglaten of null = niet beantwoord.",
        "properties": {q.id: answer_schema(q) for q in vocabulary},
    }
    request["properties"]["date"] = {
        "oneOf": [{"type": "string", "format": "date", "pattern": DATE_FROM_2026}, {"type": "null"}],
        "description": "Datum voor de normen (JJJJ-MM-DD, vanaf 2026-01-01); standaard vandaag.",
    }


def describe_municipalities(document: dict[str, Any], ids: list[str]) -> None:
    """Name the region's municipality ids wherever a request can choose one (query ``gemeente`` and the
    check's ``gemeente`` field), so that a client sees which values exist."""
    choice = {"type": "string", "enum": list(ids)}
    for item in document.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("name") == "gemeente" and parameter.get("in") == "query":
                    parameter["schema"] = {**choice, "description": parameter.get("schema", {}).get("description", "")}
    request = document.get("components", {}).get("schemas", {}).get("CheckRequest")
    if request is not None:
        request["properties"]["gemeente"] = {
            "oneOf": [choice, {"type": "null"}],
            "description": "id van de gemeente (zie /api/v1/gemeenten); standaard de standaardgemeente van de regio."}
