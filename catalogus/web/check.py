"""The check for residents: topics, a few screens of questions, check your answers, results.

Each screen is a GET page (``/check/stap/<id>``) made from the answers so far, which travel with the
resident (``wizard_state``: a hidden field and an encrypted session cookie; nothing is kept on the
server). A submitted screen is a POST that answers to ``303 See Other`` with the next page, so the
browser's Back button, the back link and reloading all keep the answers. The core
(``catalogus.check``) settles the answers and picks the next screen; these handlers read the form and
choose the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import ClientException, NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response

from ..catalog import Catalog
from ..check import RESIDENCE_QUESTION, TOPICS_QUESTION, Check, CheckResult
from ..conversation import Step
from ..errors import AnswerError
from ..questions import Question, form_values
from .deps import CatalogDep, SettingsDep, SnapshotDep, TodayDep
from .forms import ANSWERS_FIELD, BadAnswers, FieldError, carried_answers, display_value, first_target, settle
from .present import STATUS_BADGE, STATUS_WORDS, domain_titles, not_resident, results_page, step_questions
from ..datadir import secret_key
from ..steering import events as ev
from .steering import count
from .templating import page
from .wizard_state import WizardState, cleared_cookie, cookie_name, counted_marks, seal, state_cookie, unseal

NO_STORE = CacheControlHeader(no_store=True)
START = "/check"
HISTORY_FIELD = "geschiedenis"
COUNTED_FIELD = "geteld"
ON_SCREEN_FIELD = "vragen"
TICKED_FIELD = "aangevinkt"
NONE_OF_THESE = "geen_van_deze"
SHOWN_FIELD = "getoond"  # follow-up questions the page showed
SAFETY_TOPIC = "veiligheid"


def step_url(step_id: str, position: int | None = None) -> str:
    """The address of a screen; ``position`` tells apart two screens of the same step."""
    return f"/check/stap/{step_id}" + (f"?nr={position}" if position is not None else "")


def _screen_url(state: WizardState, screen: tuple[str, int] | None) -> str:
    """A screen's address, with its number only when its step comes more than once."""
    if screen is None:
        return START
    step_id, position = screen
    twice = state.history.count(step_id) > (0 if position >= len(state.history) else 1)
    return step_url(step_id, position if twice else None)


def check_cookie(catalog: Catalog) -> str:
    """The cookie of this municipality's check."""
    municipality = catalog.municipality
    return cookie_name(None if municipality.default else municipality.id)


@dataclass
class Visit:
    """One request of the check: the catalogue, the date, what the resident has answered, the secret."""

    catalog: Catalog
    check: Check
    state: WizardState
    secret: str
    cookies_work: bool
    cookie_name: str

    @classmethod
    def of(cls, request: Request, catalog: Catalog, today: dt.date, settings, form: Any = None) -> "Visit":
        secret = secret_key(settings)
        name = check_cookie(catalog)
        from_cookie = unseal(request.cookies.get(name), secret, name)
        state = from_cookie or WizardState()
        if form is not None and form.get(ANSWERS_FIELD) is not None:
            # The page the resident submitted is what counts (it may be an older page after Back).
            try:
                state = WizardState(carried_answers(form.get(ANSWERS_FIELD)),
                                    [h for h in str(form.get(HISTORY_FIELD) or "").split(",") if h],
                                    from_cookie.remaining if from_cookie else None,
                                    from_cookie.counted if from_cookie else counted_marks(form.get(COUNTED_FIELD)))
            except BadAnswers:
                raise ClientException("de antwoorden in het formulier zijn niet geldig") from None
        visit = cls(catalog, Check(catalog, today), state, secret, name in request.cookies, name)
        visit.settle()  # damaged answers fail here, before anything is shown
        return visit

    def settle(self) -> CheckResult:
        result = settle(self.check, self.state.answers)
        self.state.answers = result.json_answers
        return result

    def step(self, step_id: str) -> Step:
        found = next((s for s in self.catalog.steps if s.id == step_id), None)
        if found is None:
            raise NotFoundException("deze stap bestaat niet")
        return found

    def count_once(self, request: Request, mark: str, events: list) -> bool:
        """Count these events the first time this check gets to ``mark`` (the marks travel with the check)."""
        if not self.state.count_once(mark):
            return False
        count(request, self.check.date, self.catalog.municipality.id, events)
        return True

    def count_start(self, request: Request, result: CheckResult) -> None:
        self.count_once(request, "start", ev.started("online") + ev.topics(result))

    def cookie(self, request: Request):
        return state_cookie(seal(self.state, self.secret, self.cookie_name), secure=request.url.scheme == "https",
                            name=self.cookie_name)


# ---------------------------------------------------------------- pages

def _context(visit: Visit, result: CheckResult, **extra: Any) -> dict[str, Any]:
    """What every page of the check shows around its own content."""
    topics = result.answers.get(TOPICS_QUESTION) or ()
    return {"result": result, "antwoorden": visit.state.answers, "geschiedenis": ",".join(visit.state.history),
            "geteld": ",".join(visit.state.counted),
            "show_quick_exit": SAFETY_TOPIC in topics, "urgent_contacts": result.case_manager.urgent_contacts,
            "team": visit.catalog.routing.team, "vocabulary": visit.catalog.vocabulary,
            "status_words": STATUS_WORDS, "status_badge": STATUS_BADGE, **extra}


def _page(request: Request, visit: Visit, template: str, context: dict[str, Any], *, status: int = 200) -> Any:
    response = page(request, template, context, status=status, no_store=True)
    response.cookies.append(visit.cookie(request))
    if request.headers.get("hx-request") == "true" and status == 200 and request.method == "GET":
        query = request.url.query
        response.headers["hx-push-url"] = request.url.path + (f"?{query}" if query else "")  # Back comes back here
    return response


def _topics_page(request: Request, visit: Visit, *, errors=(), shown=None, status: int = 200) -> Any:
    result = visit.settle()
    question = visit.catalog.vocabulary[TOPICS_QUESTION]
    chosen = shown if shown is not None else display_value(question, visit.state.answers.get(TOPICS_QUESTION))
    return _page(request, visit, "check_topics.html", _context(
        visit, result, question=question, shown=chosen, errors=list(errors)), status=status)


def _step_page(request: Request, visit: Visit, step: Step, *, mode: str = "next", errors=(), shown=None,
               status: int = 200, asked_for: Collection[str] = (), position: int | None = None,
               showed: Collection[str] = ()) -> Any:
    result = visit.settle()
    fields = step_questions(result, step, mode, asked_for, visit.check, showed)
    if not fields.questions:
        return Redirect(_next_target(visit, result), status_code=303, headers={"cache-control": "no-store"})
    visit.count_once(request, f"{ev.SHOWN}:{step.id}", ev.screen(ev.SHOWN, step.id))
    position = visit.state.position(step.id, position)
    values = shown or _shown_values(visit, step, fields.questions)
    total = len(visit.state.history) + (visit.state.remaining or result.remaining_steps)
    number = position + 1
    return _page(request, visit, "check_step.html", _context(
        visit, result, step=step, fields=fields, shown=values, errors=list(errors), mode=mode,
        back=("/check/controleer" if mode == "wijzig" else _screen_url(visit.state, visit.state.back_from(position))),
        number=number, total=max(total, number)), status=status)


def _shown_values(visit: Visit, step: Step, questions) -> dict[str, Any]:
    """What the fields show again: the answers given (on a list to tick, what was ticked)."""
    answers = visit.state.answers
    if step.checkboxes:
        ticked = [q.id for q in questions if answers.get(q.id) is True]
        if not ticked and questions and all(answers.get(q.id) is False for q in questions):
            ticked = [NONE_OF_THESE]
        return {TICKED_FIELD: ticked}
    return {q.id: display_value(q, answers.get(q.id)) for q in questions}


def _next_target(visit: Visit, result: CheckResult, *, residence_told: bool = False) -> str:
    if result.resident is False and not residence_told:
        return "/check/niet-in-gemeente"
    if result.next_step is not None:
        return _screen_url(visit.state, (result.next_step.id, len(visit.state.history)))
    return "/check/controleer"


def _go(request: Request, visit: Visit, target: str) -> Any:
    """After a submitted screen: See Other to the next page (so Back works), or that page itself without cookies."""
    if visit.cookies_work:
        response = Redirect(target, status_code=303, headers={"cache-control": "no-store"})
        response.cookies.append(visit.cookie(request))
        return response
    return _render_target(request, visit, target)


def _render_target(request: Request, visit: Visit, target: str) -> Any:
    if target.startswith("/check/stap/"):
        step_id, _, position = target.rsplit("/", 1)[1].partition("?nr=")
        return _step_page(request, visit, visit.step(step_id), position=int(position) if position else None)
    if target == "/check/niet-in-gemeente":
        return _not_resident_page(request, visit)
    return _overview_page(request, visit)


def _overview_page(request: Request, visit: Visit) -> Any:
    result = visit.settle()
    vocabulary = visit.catalog.vocabulary
    rows = [(vocabulary[qid], vocabulary[qid].format(value)) for qid, value in result.answers.items()]
    visit.count_once(request, f"{ev.SHOWN}:{ev.CHECK_PAGE}", ev.screen(ev.SHOWN, ev.CHECK_PAGE))
    return _page(request, visit, "check_overview.html", _context(visit, result, rows=rows,
                                                                 back=_back_of_overview(visit)))


def _back_of_overview(visit: Visit) -> str:
    return _screen_url(visit.state, visit.state.back_from(len(visit.state.history)))


def _not_resident_page(request: Request, visit: Visit) -> Any:
    result = visit.settle()
    region = request.app.state.content.current.region
    others = [m for m in region.municipalities if m.id != visit.catalog.municipality.id]
    moved = {**visit.state.answers}
    moved.pop(RESIDENCE_QUESTION, None)  # the other municipality's check says it: choosing it answers the question
    visit.count_once(request, f"{ev.SHOWN}:{ev.NOT_RESIDENT}", ev.screen(ev.SHOWN, ev.NOT_RESIDENT))
    return _page(request, visit, "check_not_resident.html", _context(
        visit, result, help=not_resident(result), back=_back_of_overview(visit), others=others, region=region,
        moved_answers=moved))


# ---------------------------------------------------------------- handlers

@get(START, name="check", cache_control=NO_STORE)
async def start(request: Request, catalog: CatalogDep, today: TodayDep, settings: SettingsDep) -> Any:
    return _topics_page(request, Visit.of(request, catalog, today, settings))


@get("/check/opnieuw", name="check-restart", cache_control=NO_STORE)
async def restart(request: Request, catalog: CatalogDep) -> Any:
    response = Redirect(START, status_code=303, headers={"cache-control": "no-store"})
    response.cookies.append(cleared_cookie(secure=request.url.scheme == "https", name=check_cookie(catalog)))
    return response


QUICK_EXIT_TO = "https://www.google.nl/"


@get("/check/weg", name="check-quick-exit", cache_control=NO_STORE)
async def quick_exit(request: Request, snapshot: SnapshotDep) -> Any:
    """"Snel weg": forget the answers in this browser (of every municipality's check) and leave for a
    neutral site at once."""
    response = Redirect(QUICK_EXIT_TO, status_code=303, headers={"cache-control": "no-store"})
    secure = request.url.scheme == "https"
    for catalog in snapshot.region.catalogs.values():
        response.cookies.append(cleared_cookie(secure=secure, name=check_cookie(catalog)))
    return response


@post("/check/overnemen", name="check-move", cache_control=NO_STORE)
async def move_here(request: Request, catalog: CatalogDep, today: TodayDep, settings: SettingsDep) -> Any:
    """A resident of another municipality of the region continues here with the answers given there: choosing
    this municipality says they live in it."""
    form = await request.form()
    visit = Visit.of(request, catalog, today, settings, form)
    visit.cookies_work = bool(request.cookies)  # this check's cookie is new, but the browser keeps others
    _set(visit.state, {RESIDENCE_QUESTION: True})
    visit.state.history = [s for s in visit.state.history if s in {step.id for step in catalog.steps}]
    result = visit.settle()
    visit.state.counted = []  # a check of this municipality starts here (the other one counted its own)
    visit.count_start(request, result)
    visit.state.remaining = result.remaining_steps
    return _go(request, visit, _next_target(visit, result))


@get("/check/stap/{step_id:str}", name="check-step-page", cache_control=NO_STORE)
async def step_page(request: Request, step_id: FromPath[str], catalog: CatalogDep, today: TodayDep,
                    settings: SettingsDep, nr: FromQuery[int | None] = None) -> Any:
    visit = Visit.of(request, catalog, today, settings)
    step = visit.step(step_id)
    result = visit.settle()
    is_next = result.next_step is not None and result.next_step.id == step.id
    position = visit.state.position(step.id, nr)
    mode = "next" if is_next and position == len(visit.state.history) else "terug"
    return _step_page(request, visit, step, mode=mode, position=position)


@get("/check/wijzig/{question_id:str}", name="check-change", cache_control=NO_STORE)
async def change(request: Request, question_id: FromPath[str], catalog: CatalogDep, today: TodayDep,
                 settings: SettingsDep) -> Any:
    """From "Controleer uw antwoorden" or an open result: the screen with this question, filled in."""
    visit = Visit.of(request, catalog, today, settings)
    if question_id == TOPICS_QUESTION:
        return _topics_page(request, visit)
    step = next((s for s in catalog.steps if question_id in s.questions), None)
    if step is None:
        raise NotFoundException("deze vraag bestaat niet")
    mode = "wijzig" if question_id in visit.state.answers else "vraag"
    return _step_page(request, visit, step, mode=mode, asked_for=(question_id,))


@get("/check/controleer", name="check-overview", cache_control=NO_STORE)
async def overview(request: Request, catalog: CatalogDep, today: TodayDep, settings: SettingsDep) -> Any:
    return _overview_page(request, Visit.of(request, catalog, today, settings))


@get("/check/niet-in-gemeente", name="check-not-resident", cache_control=NO_STORE)
async def not_resident_page(request: Request, catalog: CatalogDep, today: TodayDep, settings: SettingsDep) -> Any:
    return _not_resident_page(request, Visit.of(request, catalog, today, settings))


@post(START, name="check-submit", cache_control=NO_STORE)
async def submit(request: Request, catalog: CatalogDep, today: TodayDep, settings: SettingsDep) -> Any:
    form = await request.form()
    visit = Visit.of(request, catalog, today, settings, form)
    screen = str(form.get("scherm") or TOPICS_QUESTION)
    if form.get("actie") == "controleer":
        return _go(request, visit, "/check/controleer")
    if screen == TOPICS_QUESTION:
        return _submit_topics(request, visit, form)
    return _submit_step(request, visit, visit.step(screen), form)


def _submit_topics(request: Request, visit: Visit, form: Any) -> Any:
    question = visit.catalog.vocabulary[TOPICS_QUESTION]
    answer = question.read_form(form)
    if answer.error:
        error = FieldError(question.id, answer.error, first_target(question))
        return _topics_page(request, visit, errors=[error], shown=answer.shown, status=422)
    _set(visit.state, {question.id: answer.value})
    visit.state.history = []
    result = visit.settle()
    visit.count_start(request, result)
    visit.state.remaining = result.remaining_steps
    return _go(request, visit, _next_target(visit, result))


def _submit_step(request: Request, visit: Visit, step: Step, form: Any) -> Any:
    on_screen = [q for q in str(form.get(ON_SCREEN_FIELD) or "").split(",") if q]
    if not on_screen or any(q not in step.questions for q in on_screen):
        raise ClientException("dit scherm hoort niet bij deze stap")
    questions = [visit.catalog.vocabulary[q] for q in on_screen]
    answers, errors, shown = (_read_ticks if step.checkboxes else _read_fields)(visit, questions, form)
    if errors:
        mode = str(form.get("modus") or "next")
        return _step_page(request, visit, step, mode=mode, errors=errors, shown=shown, status=422,
                          asked_for=on_screen, position=_position(form), showed=form_values(form, SHOWN_FIELD))
    position = visit.state.position(step.id, _position(form))
    forward = position >= len(visit.state.history)
    if f"{ev.SHOWN}:{step.id}" in visit.state.counted:
        visit.count_once(request, f"{ev.DONE}:{step.id}", ev.screen(ev.DONE, step.id))
    before = {q: visit.state.answers.get(q) for q in on_screen}
    _set(visit.state, answers, forget=[q.id for q in questions if q.id not in answers])
    result = visit.settle()
    # Back to an earlier screen and on without changing it: the screens after it stay as they were.
    later = None if forward or before != {q: visit.state.answers.get(q) for q in on_screen} \
        else visit.state.after(position)
    if later is None:
        visit.state.answered(step.id, position)
    if forward or visit.state.remaining is None:
        told = visit.state.remaining
        visit.state.remaining = result.remaining_steps if told is None else min(max(told - 1, 0),
                                                                                 result.remaining_steps)
    if result.resident is False and RESIDENCE_QUESTION in answers:
        return _go(request, visit, "/check/niet-in-gemeente")  # said just now: tell them at once
    if form.get("modus") == "wijzig":
        return _go(request, visit, "/check/controleer")
    if later is not None:
        return _go(request, visit, _screen_url(visit.state, later))
    return _go(request, visit, _next_target(visit, result, residence_told=True))


def _position(form: Any) -> int | None:
    """The number of the screen a form was on (0 is the first after the topics), if it says one."""
    raw = str(form.get("nr") or "")
    return int(raw) if raw.isdigit() and len(raw) < 4 else None


def _read_fields(visit: Visit, questions: list[Question], form: Any):
    """Each question's own field; a follow-up counts only when the answer above asks for it. A follow-up the
    page did not show (no JavaScript, or it did not matter) may stay empty: it comes on a next screen if it
    matters; one it showed must be answered."""
    answers: dict[str, Any] = {}
    errors: list[FieldError] = []
    shown: dict[str, Any] = {}
    conditions = visit.catalog.question_conditions
    unconditional = _unconditional(visit, questions)
    showed = set(form_values(form, SHOWN_FIELD))
    for question in questions:
        answer = question.read_form(form)
        shown[question.id] = answer.shown
        condition = conditions.get(question.id)
        if condition is not None and question.id not in unconditional:
            holds = condition.status(visit.catalog.env(
                visit.catalog.vocabulary.validate({**visit.state.answers, **answers})[0], visit.check.date))
            if holds is False or (answer.empty and (holds is None or question.id not in showed)):
                continue  # not asked for by the answers above, or not shown yet: ignored
        if answer.error:
            errors.append(FieldError(question.id, answer.error, first_target(question)))
        else:
            answers[question.id] = answer.value
    return answers, errors, shown


def _unconditional(visit: Visit, questions: list[Question]) -> set[str]:
    """Questions on the screen that are asked whatever the others say (their condition already holds)."""
    env = visit.catalog.env(visit.catalog.vocabulary.validate(visit.state.answers)[0], visit.check.date)
    conditions = visit.catalog.question_conditions
    return {q.id for q in questions if q.id not in conditions or conditions[q.id].status(env) is True}


def _read_ticks(visit: Visit, questions: list[Question], form: Any):
    """A list to tick: what is ticked is yes, the rest is no; 'Geen van deze' says no to all."""
    allowed = {q.id for q in questions} | {NONE_OF_THESE}
    ticked = {v for v in form_values(form, TICKED_FIELD) if isinstance(v, str) and v in allowed}
    shown = {TICKED_FIELD: sorted(ticked)}
    target = f"{TICKED_FIELD}-{questions[0].id}"
    if not ticked:
        return {}, [FieldError(TICKED_FIELD, "Vink aan wat bij u past. Past niets? Kies dan 'Geen van deze'.",
                               target)], shown
    if NONE_OF_THESE in ticked and len(ticked) > 1:
        return {}, [FieldError(TICKED_FIELD, "'Geen van deze' kan niet samen met een andere keuze.", target)], shown
    return {q.id: q.id in ticked for q in questions}, [], shown


def _set(state: WizardState, answers: dict[str, Any], forget: list[str] = ()) -> None:
    """Put the new answers last (the order the resident gave them) and drop the ones left empty."""
    for qid in [*answers, *forget]:
        state.answers.pop(qid, None)
    state.answers.update(answers)


# ---------------------------------------------------------------- results

@get("/check/uitkomst", name="check-results-page", cache_control=NO_STORE)
async def results_get(request: Request, catalog: CatalogDep, today: TodayDep, settings: SettingsDep) -> Any:
    visit = Visit.of(request, catalog, today, settings)
    return _results(request, visit)


@post("/check/uitkomst", name="check-results", cache_control=NO_STORE)
async def results(request: Request, catalog: CatalogDep, today: TodayDep, settings: SettingsDep) -> Any:
    """The results for the answers carried in the form (from "Controleer uw antwoorden", or back from the referral)."""
    form = await request.form()
    return _results(request, Visit.of(request, catalog, today, settings, form))


def _results(request: Request, visit: Visit) -> Any:
    result = visit.settle()
    catalog = visit.catalog
    if f"{ev.SHOWN}:{ev.CHECK_PAGE}" in visit.state.counted:
        visit.count_once(request, f"{ev.DONE}:{ev.CHECK_PAGE}", ev.screen(ev.DONE, ev.CHECK_PAGE))
    visit.count_once(request, "results", ev.results(result, "online"))
    return _page(request, visit, "check_results.html", _context(
        visit, result, sections=results_page(result),
        topic_titles=[domain_titles(catalog)[t] for t in result.topics],
        all_topics=TOPICS_QUESTION not in result.answers, back="/check/controleer",
        not_resident=result.answers.get(RESIDENCE_QUESTION) is False))


# ---------------------------------------------------------------- follow-up questions

@post("/check/vervolgvragen", name="check-follow-ups", cache_control=NO_STORE, status_code=200)
async def follow_ups(request: Request, catalog: CatalogDep, today: TodayDep, settings: SettingsDep) -> Any:
    """Which follow-up questions of a screen to show for what is filled in so far (``site.js`` asks as the
    resident answers; nothing is kept). Fields that are empty or not valid yet simply do not count."""
    form = await request.form()
    visit = Visit.of(request, catalog, today, settings, form)
    step = visit.step(str(form.get("scherm") or ""))
    vocabulary = catalog.vocabulary
    candidates = [q for q in str(form.get("vervolgvragen") or "").split(",") if q in step.questions]
    answers = dict(visit.state.answers)
    for qid in str(form.get(ON_SCREEN_FIELD) or "").split(","):
        if qid in step.questions:
            answer = vocabulary[qid].read_form(form)
            if answer.error is None and not answer.empty:
                answers[qid] = answer.value
    try:
        shown = visit.check.revealed(answers, candidates)
    except AnswerError:  # answers that only together are impossible: show nothing new until they are fixed
        shown = ()
    return Response({"toon": list(shown)}, headers={"cache-control": "no-store"})


ROUTES = [start, restart, quick_exit, move_here, step_page, change, overview, not_resident_page, submit, follow_ups,
          results_get, results]
