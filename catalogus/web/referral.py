"""Referral to the wijkteam: the resident's form (``/aanmelden``) and the case managers' queue.

The answers arrive as the hidden ``antwoorden`` field from the results page (POST, never in
a URL). The server runs the check again on them, so the stored products, reasons and urgency
are what the rules say, not what a form claims.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from ..casework import ratelimit, referrals
from ..casework.contact import CONTACT_TIMES, CONTACT_WAYS, NOTE_MAX, FieldProblem, ReferralError, format_phone, validate_contact
from ..casework.db import DatabaseError, IntegrityError, utcnow
from ..logs import get_logger
from ..casework.referrals import (CURRENT_CONSENT_VERSION, NO_CONSENT_MESSAGE, OUTCOMES, STATUSES, Actor,
                                  consent_text)
from ..check import Check, CheckResult
from ..professional import ProfessionalWording
from ..steering import events as ev
from .forms import ANSWERS_FIELD, carried_answers, read_settled
from .security import RETRY_AFTER_SECONDS
from .staff import STAFF_ERRORS, actor_of, client_address, database, requires, run, settings_of, staff_session
from .steering import count
from .templating import MUNICIPALITY_SCOPE_KEY, date_nl, page

FIELD_TARGETS = {"name": "naam", "phone": "telefoon", "email": "email", "contact_time": "contact_time-ochtend",
                 "note": "toelichting", "consent": "toestemming", "safe_to_call": "veilig_bellen-ja",
                 "preferred": "voorkeur-telefoon"}
FORM_FIELDS = {"naam": "name", "telefoon": "phone", "email": "email", "contact_time": "contact_time",
               "toelichting": "note", "veilig_bellen": "safe_to_call", "voorkeur": "preferred"}


LOCAL_TIME = ZoneInfo("Europe/Amsterdam")

log = get_logger(__name__)


def when(moment: dt.datetime | None) -> str:
    """Date and time in Dutch local time, as staff read it.

    >>> when(dt.datetime(2026, 11, 26, 9, 5, tzinfo=dt.timezone.utc))
    '26 november 2026, 10.05 uur'
    """
    if moment is None:
        return ""
    local = moment.astimezone(LOCAL_TIME)
    return f"{date_nl(local)}, {local.hour}.{local.minute:02d} uur"


def _snapshot(request: Request):
    return request.app.state.content.current


def _catalog(request: Request):
    """The catalogue of the municipality whose form this is (``/buurdorp/aanmelden`` is Buurdorp's)."""
    municipality = request.scope.get(MUNICIPALITY_SCOPE_KEY)
    return _snapshot(request).catalog_of(municipality.id if municipality is not None else None)


def _check(request: Request, raw: Any):
    """The hidden field's answers as sent (validated) and the check on them (a damaged field is a 400)."""
    catalog = _catalog(request)
    result = read_settled(Check(catalog, request.app.state.content.today()), raw)
    return catalog, carried_answers(raw), result


# ---------------------------------------------------------------- resident (or KCC on a caller's behalf)

SUBMISSION_FIELD = "inzending"
_SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _submission_key(posted: Any) -> str:
    """The form's own random key, kept across re-renders, so sending it twice stores one referral."""
    if isinstance(posted, str) and _SUBMISSION_KEY.match(posted):
        return posted
    return secrets.token_urlsafe(24)


@get("/aanmelden", name="referral-start")
async def referral_start(request: Request) -> Any:
    """Without answers there is nothing to refer: explain where to start."""
    return page(request, "referral_start.html", {"team": _catalog(request).routing.team}, no_store=True)


@post("/aanmelden", name="referral")
async def referral(request: Request) -> Any:
    form = await request.form()
    catalog, ordered, result = _check(request, form.get(ANSWERS_FIELD))
    session = await staff_session(request)
    on_behalf = session is not None and session.complete and session.user.role == "kcc"
    context = {"antwoorden": ordered, "team": catalog.routing.team, "result": result, "on_behalf": on_behalf,
               "session": session if on_behalf else None,
               "submission_key": _submission_key(form.get(SUBMISSION_FIELD)),
               "consent_text": consent_text(CURRENT_CONSENT_VERSION, catalog.municipality.name),
               "contact_times": CONTACT_TIMES, "contact_ways": CONTACT_WAYS,
               "urgent": result.case_manager.urgent, "urgent_contacts": result.case_manager.urgent_contacts,
               "note_max": NOTE_MAX, "values": {k: "" for k in FORM_FIELDS}, "errors": [], "field_errors": {},
               "consent": False}
    if result.case_manager.route is not True:
        return page(request, "referral_not_routed.html", context, no_store=True)
    if form.get("stap") != "versturen":
        return page(request, "referral_form.html", context, no_store=True)

    values = {k: str(form.get(k) or "") for k in FORM_FIELDS}
    context.update(values=values, consent=form.get("toestemming") == "ja")
    contact, problems = validate_contact({FORM_FIELDS[k]: v for k, v in values.items()},
                                         urgent=result.case_manager.urgent)
    if not context["consent"]:
        problems.append(FieldProblem("consent", NO_CONSENT_MESSAGE))
    if problems:
        return _form_with_errors(request, context, problems)
    db, settings = database(request), settings_of(request)
    actor = actor_of(session, request) if on_behalf else Actor.resident(client_address(request))
    try:
        if not await run(ratelimit.allow, db, "aanmelden", client_address(request), settings.rate_limit_per_minute):
            return page(request, "referral_form.html", {**context, "errors": [{
                "target": "naam", "message": "Er kwamen te veel aanmeldingen achter elkaar van dit adres. Wacht "
                                             "een minuut en verstuur het formulier dan opnieuw."}]}, status=429,
                no_store=True)
        now = utcnow()
        stored = await run(
            referrals.create_referral, db, contact, consent=True, answers=ordered, now=now,
            products=[r.id for r in result.results if r.status == "eligible"],
            reasons=result.texts(result.case_manager.reasons), urgent=result.case_manager.urgent,
            professional_reasons=ProfessionalWording(catalog).case_manager(result.case_manager, result.json_answers),
            channel="kcc" if on_behalf else "online", actor=actor, catalog_version=catalog.version,
            submission_key=context["submission_key"], municipality=catalog.municipality.id, **amounts_told(result))
    except ReferralError as exc:  # pragma: no cover - validated above
        return _form_with_errors(request, context, exc.problems)
    except DatabaseError as exc:
        if isinstance(exc, IntegrityError):
            raise
        return _form_unavailable(request, context, exc)
    if stored.created_at == now:  # not the same form sent again
        count(request, request.app.state.content.today(), catalog.municipality.id, ev.referral(stored.channel))
    return page(request, "referral_done.html", {"reference": stored.reference, "team": catalog.routing.team,
                                                "urgent": result.case_manager.urgent,
                                                "urgent_contacts": result.case_manager.urgent_contacts,
                                                "on_behalf": on_behalf, "session": session if on_behalf else None,
                                                "contact": contact, "contact_ways": CONTACT_WAYS}, no_store=True)


def amounts_told(result: CheckResult) -> dict[str, Any]:
    """The amounts the results page showed (determined or open; never for not_eligible) and the yearly total,
    as the referral stores them: what the household was told."""
    shown = [{"product": r.id, "title": r.product.title, "status": str(r.status),
              "value": None if r.amount.cents is None else r.amount.cents / 100, "period": r.amount.period,
              "text": result.amount_text(r.amount)}
             for r in result.results if r.amount is not None and r.status != "not_eligible"
             and (r.amount.cents is not None or r.amount.open)]
    total = result.amounts_total
    return {"amounts": shown, "amounts_total": {"per_year": total.per_year / 100, "products": list(total.products),
                                                "complete": total.complete}}


def _form_unavailable(request: Request, context: dict, exc: DatabaseError) -> Any:
    """The database is unreachable: the form again, filled in, with "probeer het later opnieuw" (503)."""
    log.warning("referral_database_unavailable", error=type(exc.__cause__ or exc).__name__)
    errors = [{"target": "naam", "message": "Het lukt nu even niet. Probeer het later opnieuw. Uw aanmelding is "
                                            "nog niet verstuurd; wat u invulde, staat nog in het formulier."}]
    response = page(request, "referral_form.html", {**context, "errors": errors}, status=503, no_store=True)
    response.headers["retry-after"] = str(RETRY_AFTER_SECONDS)
    return response


def _form_with_errors(request: Request, context: dict, problems: list[FieldProblem]) -> Any:
    errors = [{"target": FIELD_TARGETS[p.field], "message": p.message} for p in problems]
    field_errors = {p.field: p.message for p in problems}
    return page(request, "referral_form.html", {**context, "errors": errors, "field_errors": field_errors},
                status=422, no_store=True)


# ---------------------------------------------------------------- case managers

CASEMANAGER = {"guards": [requires("casemanager")], "exception_handlers": STAFF_ERRORS}


@get("/medewerkers/aanmeldingen", name="referral-queue", **CASEMANAGER)
async def queue(request: Request) -> Any:
    session = await staff_session(request)
    status = request.query_params.get("status") or None
    if status not in STATUSES:
        status = None
    items = await run(referrals.list_queue, database(request), actor_of(session, request), status=status)
    catalog = _team_catalog(request, session.user.municipality)
    return page(request, "staff_queue.html", {"items": items, "status": status, "statuses": STATUSES,
                                              "session": session, "when": when, "gemeente": catalog.municipality,
                                              "team": catalog.routing.team}, no_store=True)


def _team_catalog(request: Request, municipality: str | None):
    """The catalogue of a staff member's (or a referral's) municipality; the default one when it is unknown."""
    region = _snapshot(request).region
    return (region.find(municipality) if municipality else None) or region.default_catalog


@get("/medewerkers/aanmeldingen/{reference:str}", name="referral-detail", **CASEMANAGER)
async def detail(request: Request, reference: FromPath[str]) -> Any:
    session = await staff_session(request)
    found = await run(referrals.get_referral, database(request), reference, actor_of(session, request))
    if found is None:
        raise NotFoundException("onbekende aanmelding")
    catalog = _team_catalog(request, found.municipality)
    undo_until = found.undo_until()
    return page(request, "staff_referral.html", {
        "referral": found, "session": session, "statuses": STATUSES, "contact_times": CONTACT_TIMES, "contact_ways": CONTACT_WAYS, "when": when,
        "answers": answer_rows(catalog, found.answers), "phone": format_phone(found.phone) if found.phone else "",
        "products": [(pid, catalog.products[pid].title if pid in catalog.products else pid)
                     for pid in found.products],
        "outcomes": OUTCOMES, "undo_until": undo_until if undo_until and undo_until > utcnow() else None,
        "consent_text": consent_text(found.consent_version, catalog.municipality.name),
        "gemeente": catalog.municipality,
        "notice": NOTICES.get(request.query_params.get("klaar", ""), ""),
    }, no_store=True)


NOTICES = {"afgerond": "De aanmelding is afgerond.", "heropend": "Afronden is ongedaan gemaakt.",
           "te-laat": f"Afronden kan alleen de eerste {referrals.UNDO_MINUTES} minuten ongedaan worden gemaakt. "
                      "Daarna is het definitief."}


@get("/medewerkers/aanmeldingen/{reference:str}/log", name="referral-log", **CASEMANAGER)
async def access_log(request: Request, reference: FromPath[str]) -> Any:
    session = await staff_session(request)
    db, actor = database(request), actor_of(session, request)
    found = await run(referrals.get_referral, db, reference, actor)
    if found is None:
        raise NotFoundException("onbekende aanmelding")
    entries = await run(referrals.access_log, db, found.reference, actor)
    if entries is None:
        raise NotFoundException("onbekende aanmelding")
    return page(request, "staff_access_log.html", {"referral": found, "entries": entries, "session": session,
                                                     "when": when},
                no_store=True)


def _to_detail(reference: str, notice: str = "") -> Redirect:
    target = referrals.normalise_reference(reference) or ""
    return Redirect(f"/medewerkers/aanmeldingen/{target}" + (f"?klaar={notice}" if notice else ""), status_code=303,
                    headers={"cache-control": "no-store"})


@post("/medewerkers/aanmeldingen/{reference:str}/in-behandeling", name="referral-assign", **CASEMANAGER)
async def assign(request: Request, reference: FromPath[str]) -> Any:
    session = await staff_session(request)
    try:
        await run(referrals.assign, database(request), reference, actor_of(session, request))
    except LookupError:
        raise NotFoundException("onbekende aanmelding") from None
    except referrals.WrongStatus:
        pass  # finished meanwhile: the page shows it
    return _to_detail(reference)


@get("/medewerkers/aanmeldingen/{reference:str}/afronden", name="referral-finish-form", **CASEMANAGER)
async def finish_form(request: Request, reference: FromPath[str]) -> Any:
    """"Afronden" asks first: what came of it, and why when nobody took it."""
    session = await staff_session(request)
    found = await run(referrals.get_referral, database(request), reference, actor_of(session, request))
    if found is None:
        raise NotFoundException("onbekende aanmelding")
    if found.status == "afgerond":
        return _to_detail(found.reference)
    return _finish_page(request, session, found, {})


def _finish_page(request: Request, session: Any, found: Any, values: dict, errors: list | None = None,
                 status: int = 200) -> Any:
    return page(request, "staff_finish.html", {
        "referral": found, "session": session, "outcomes": OUTCOMES, "values": values, "errors": errors or [],
        "field_errors": {("uitkomst" if e["target"].startswith("uitkomst") else e["target"]): e["message"]
                         for e in errors or []},
        "reason_needed": found.status == "nieuw", "note_max": referrals.CLOSING_NOTE_MAX,
        "undo_minutes": referrals.UNDO_MINUTES}, status=status, no_store=True)


@post("/medewerkers/aanmeldingen/{reference:str}/afronden", name="referral-finish", **CASEMANAGER)
async def finish(request: Request, reference: FromPath[str]) -> Any:
    form = await request.form()
    session = await staff_session(request)
    db, actor = database(request), actor_of(session, request)
    values = {"uitkomst": str(form.get("uitkomst") or ""), "reden": str(form.get("reden") or "")[:2000]}
    errors = []
    if values["uitkomst"] not in OUTCOMES:
        errors.append({"target": "uitkomst-opgepakt", "message": "Kies wat er met de aanmelding is gebeurd."})
    if len(values["reden"].strip()) > referrals.CLOSING_NOTE_MAX:
        errors.append({"target": "reden", "message": f"Schrijf de reden in hoogstens {referrals.CLOSING_NOTE_MAX} "
                                                     "tekens."})
    if not errors:
        try:
            await run(referrals.finish, db, reference, actor, outcome=values["uitkomst"], reason=values["reden"])
            return _to_detail(reference, "afgerond")
        except LookupError:
            raise NotFoundException("onbekende aanmelding") from None
        except referrals.WrongStatus:
            return _to_detail(reference)
        except referrals.ReasonRequired as exc:
            errors.append({"target": "reden", "message": str(exc)})
    found = await run(referrals.get_referral, db, reference, actor)
    if found is None:
        raise NotFoundException("onbekende aanmelding")
    if found.status == "nieuw" and not values["reden"].strip() and all(e["target"] != "reden" for e in errors):
        errors.append({"target": "reden", "message": referrals.REASON_REQUIRED})
    return _finish_page(request, session, found, values, errors, status=422)


@post("/medewerkers/aanmeldingen/{reference:str}/heropenen", name="referral-reopen", **CASEMANAGER)
async def reopen(request: Request, reference: FromPath[str]) -> Any:
    session = await staff_session(request)
    try:
        await run(referrals.reopen, database(request), reference, actor_of(session, request))
    except LookupError:
        raise NotFoundException("onbekende aanmelding") from None
    except referrals.WrongStatus:
        return _to_detail(reference, "te-laat")
    return _to_detail(reference, "heropend")


def answer_rows(catalog: Any, answers: dict[str, Any]) -> list[tuple[str, str]]:
    """(question text, formatted answer) in the order of the questionnaire; retired questions last, as stored."""
    rows = []
    for question in catalog.vocabulary:
        if question.id not in answers:
            continue
        value = answers[question.id]
        try:
            rows.append((question.text, question.format(question.parse(value))))
        except ValueError:
            rows.append((question.text, str(value)))
    rows += [(qid, str(value)) for qid, value in answers.items() if qid not in catalog.vocabulary]
    return rows


ROUTES = [referral_start, referral, queue, detail, access_log, assign, finish_form, finish, reopen]
