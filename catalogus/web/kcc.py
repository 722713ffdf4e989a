"""The KCC screen (``/kcc``): the whole check on one page, during a phone call.

Every question is on the page at once. With htmx each change POSTs the whole form to
``/kcc/uitkomst`` and gets back only the results panel plus out-of-band updates of the
per-question relevance markers and error messages, so the field being typed in is never
replaced. Without JavaScript the same form POSTs to ``/kcc`` ("Bereken") and gets the
whole page again with the answers in the fields.

Nothing of a call is stored: answers travel in the form, every response is ``no-store``.
Form fields are read by each question's kind and settled by the check pipeline (answers that
cannot matter any more are dropped, the markers come from its ranking); this module only
arranges the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import ClientException
from litestar.response import Template

from ..catalog import Catalog
from ..check import TOPICS_QUESTION, Check, CheckResult, ProductResult
from ..questions import Question
from ..steering import events as ev
from ..summary import summary_text
from .forms import ANSWERS_FIELD, BadAnswers, FieldError, carried_answers, display_value, parse_field, settle
from .present import KINDS, STATUS_BADGE, STATUS_SHORT, other_results, result_groups
from .security import ExplainedClientError
from .staff import STAFF_ERRORS, LoginRequired, NoAccess, requires, staff_session
from .steering import count
from .templating import page, site_values

KCC_PATH = "/kcc"
PANEL_PATH = "/kcc/uitkomst"
KCC_ROLES = ("kcc", "casemanager")
NO_STORE = CacheControlHeader(no_store=True)

#: the shortcuts kcc.js handles, as the page documents them (key, what it does)
SHORTCUTS = [
    ("Alt+Shift+Z of /", "Naar het zoekveld"),
    ("Enter in het zoekveld", "Open het eerste zoekresultaat in de uitkomst"),
    ("Alt+Shift+V", "Naar de vraag die nu het meest beslist"),
    ("Alt+Shift+R", "Naar de uitkomst"),
    ("Alt+Shift+K", "Kopieer de samenvatting"),
    ("Alt+Shift+N", "Nieuw gesprek: alles wissen"),
    ("J / N", "Ja / Nee bij een ja/nee-vraag die de focus heeft"),
    ("0 of Backspace", "Ja/nee-antwoord wissen (weer onbekend)"),
    ("Tab / Shift+Tab", "Volgende / vorige vraag"),
]


# ---------------------------------------------------------------- one call

@dataclass(frozen=True)
class Relevance:
    """How much a question matters right now, for its marker next to the field."""

    state: str  # answered, topics, next, needed, idle (cannot change anything now), ignored (answer does not count)
    count: int = 0  # open results (and the case-manager decision) the answer could settle

    @property
    def parts(self) -> tuple[str, str]:
        """The marker as (what, detail); a narrow screen shows only "what", screen readers hear both.

        >>> Relevance("needed", 2).parts, Relevance("next", 1).parts, Relevance("idle").parts
        (('nodig', ' voor 2 uitkomsten'), ('beslist het meest', ': nodig voor 1 uitkomst'), ('nu niet nodig', ''))
        """
        if self.state in ("next", "needed"):
            words = "1 uitkomst" if self.count == 1 else f"{self.count} uitkomsten"
            return ("beslist het meest", f": nodig voor {words}") if self.state == "next" else ("nodig", f" voor {words}")
        return {"idle": ("nu niet nodig", ""), "ignored": ("telt nu niet mee", "")}.get(self.state, ("", ""))

    @property
    def text(self) -> str:
        """The whole marker text.

        >>> Relevance("needed", 2).text, Relevance("idle").text, Relevance("answered").text
        ('(nodig voor 2 uitkomsten)', '(nu niet nodig)', '')
        """
        what, detail = self.parts
        return f"({what}{detail})" if what else ""


@dataclass
class Call:
    """One request's view of a call: what the fields show, the answers that count, problems, the check."""

    catalog: Catalog
    shown: dict[str, Any]
    answers: dict[str, Any]  # JSON answers that count, in vocabulary order
    ignored: frozenset[str]  # answered, but the answer cannot matter (e.g. rent for a bought house)
    errors: list[FieldError]
    result: CheckResult
    product: ProductResult | None = None
    relevance: dict[str, Relevance] = field(default_factory=dict)
    counted: bool = False  # the steering counters have this call's results (the form's hidden "geteld")


def read_call(catalog: Catalog, date: dt.date, form: Any) -> Call:
    """Read every question's field (empty = not answered), settle the answers and run the check."""
    vocabulary = catalog.vocabulary
    try:  # answers carried back from the referral form as one hidden field
        carried = carried_answers(form.get(ANSWERS_FIELD))
        if vocabulary.validate(carried)[1]:
            raise BadAnswers("ongeldige antwoorden")
    except BadAnswers:
        raise ClientException("de antwoorden in het formulier zijn niet geldig") from None
    answers: dict[str, Any] = {}
    shown: dict[str, Any] = {}
    errors: list[FieldError] = []
    for question in vocabulary:
        qid = question.id
        value, error, typed = parse_field(question, form)
        if typed in ("", []) and carried.get(qid) is not None:
            value, error, typed = carried[qid], None, display_value(question, carried[qid])
        shown[qid] = typed
        if typed in ("", []):
            continue  # not answered (yet): no error
        if error is not None:
            errors.append(error)
        else:
            answers[qid] = value
    result = settle(Check(catalog, date), answers)
    call = Call(catalog, shown, {q: a for q, a in answers.items() if q in result.answers},
                frozenset(result.dropped), errors, result)
    chosen = str(form.get("toon") if "toon" in form else form.get("product") or "")
    call.product = next((r for r in result.results if r.id == chosen), None)
    call.relevance = {qid: Relevance(r.state, r.count) for qid, r in result.relevance().items()}
    # Back from the referral form the call was already under way: its results are not counted again.
    call.counted = form.get(COUNTED_FIELD) == "1" or bool(carried)
    return call


COUNTED_FIELD = "geteld"


def count_results(request: Request, call: Call) -> None:
    """A call reaches its results when nothing is left to ask; count that once per call."""
    result = call.result
    if call.counted or call.errors or result.next_question is not None:
        return
    count(request, result.date, call.catalog.municipality.id, ev.results(result, "kcc") + ev.topics(result))
    call.counted = True


def field_target(question: Question) -> str:
    """The id of the element that receives focus for a question (error summary, "beslist het meest")."""
    widget = question.kind.widget
    if widget == "vinkjes":
        return f"{question.id}-{next(iter(question.options))}"
    return f"{question.id}-ja" if widget == "ja_nee" else question.id  # a choice is a <select> on this screen


# ---------------------------------------------------------------- rendering

def context(call: Call, session: Any) -> dict[str, Any]:
    """What the page and the panel templates need."""
    catalog, result = call.catalog, call.result
    vocabulary = catalog.vocabulary
    errors = [{"target": field_target(vocabulary[e.question]), "question": e.question,
               "message": f"{vocabulary[e.question].short}: {e.message}"} for e in call.errors]
    eligible = sum(1 for r in result.results if r.status == "eligible" and r.id in result.relevant)
    still_open = sum(1 for r in result.results if r.status == "unknown" and r.id in result.relevant)
    others = other_results(result)
    return {
        "session": session, "can_refer": session is not None and session.user.role == "kcc",
        "groups": catalog.vocabulary.grouped(), "shown": call.shown, "errors": errors,
        "field_errors": {e.question: e.message for e in call.errors}, "relevance": call.relevance,
        "result": result, "cm": result.case_manager, "result_groups": result_groups(result),
        "others": others, "other_fitting": sum(1 for _, items in others for r in items if r.status == "eligible"),
        "kinds": KINDS, "product": call.product,
        "antwoorden": call.answers, "summary": summary_text(catalog, result), "team": catalog.routing.team,
        "vocabulary": vocabulary, "field_target": field_target, "status_words": STATUS_SHORT,
        "status_badge": STATUS_BADGE, "shortcuts": SHORTCUTS, "eligible_count": eligible,
        "open_count": still_open, "topics_chosen": TOPICS_QUESTION in result.answers,
        # the caller's municipality: its name, numbers and pages everywhere on this screen
        "gemeente": catalog.municipality, "prefix": catalog.municipality.prefix,
        "geteld": call.counted,
    }


MUNICIPALITY_FIELD = "gemeente"


def caller_catalog(request: Request, chosen: Any) -> Catalog:
    """The catalogue of the caller's municipality (the KCC works for the whole region); a 400 for an unknown one."""
    region = request.app.state.content.current.region
    if region.single or chosen in (None, ""):
        return region.default_catalog
    catalog = region.find(chosen)
    if catalog is None:
        names = ", ".join(m.name for m in region.municipalities)
        raise ExplainedClientError(f"Deze gemeente kennen we niet. Kies een van de gemeenten van de regio: {names}.")
    return catalog


async def _call(request: Request) -> tuple[Call, Any]:
    form = await request.form()
    content = request.app.state.content
    catalog = caller_catalog(request, form.get(MUNICIPALITY_FIELD))
    return read_call(catalog, content.today(), form), await staff_session(request)


# ---------------------------------------------------------------- handlers

def _login_first(request: Request, exc: Exception) -> Response:
    """Anonymous (or expired): the login page; an htmx request is told to go there instead of swapping it in."""
    if request.headers.get("hx-request") == "true":
        return Response("", status_code=401, headers={"hx-redirect": "/medewerkers/inloggen",
                                                      "cache-control": "no-store"})
    return STAFF_ERRORS[LoginRequired](request, exc)


def _no_access(request: Request, exc: Exception) -> Response:
    return Template("kcc_geen_toegang.html", context={**site_values(request), "fragment": False}, status_code=403,
                    headers={"cache-control": "no-store"})


KCC = {"guards": [requires(*KCC_ROLES)], "cache_control": NO_STORE,
       "exception_handlers": {LoginRequired: _login_first, NoAccess: _no_access}}


@get(KCC_PATH, name="kcc", **KCC)
async def kcc_page(request: Request) -> Any:
    """A new call: in a region first the caller's municipality, then every field empty."""
    content = request.app.state.content
    region = content.current.region
    chosen = request.query_params.get(MUNICIPALITY_FIELD)
    session = await staff_session(request)
    if not region.single and not chosen:
        return page(request, "kcc_gemeente.html", {"session": session, "municipalities": region.municipalities,
                                                   "regio_naam": region.name}, no_store=True)
    call = read_call(caller_catalog(request, chosen), content.today(), {})
    count(request, call.result.date, call.catalog.municipality.id, ev.started("kcc"))  # a new call
    return page(request, "kcc.html", context(call, session), no_store=True)


@post(KCC_PATH, name="kcc-post", **KCC)
async def kcc_recalculate(request: Request) -> Any:
    """The button Bereken without JavaScript, and the way back from the referral form: the whole page again."""
    call, session = await _call(request)
    count_results(request, call)
    return page(request, "kcc.html", context(call, session), status=422 if call.errors else 200,
                no_store=True)


@post(PANEL_PATH, name="kcc-panel", **KCC)
async def kcc_panel(request: Request) -> Any:
    """For htmx: the results panel plus out-of-band markers, error messages and status text."""
    call, session = await _call(request)
    count_results(request, call)
    return Template("_kcc_bijwerken.html", context={**site_values(request), **context(call, session)},
                    status_code=422 if call.errors else 200, headers={"cache-control": "no-store"})


ROUTES = [kcc_page, kcc_recalculate, kcc_panel]
