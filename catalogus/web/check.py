"""The check for residents: topics, one question per page, check your answers, results.

Every step is a POST carrying all answers in one hidden field; nothing is kept on the
server and nothing goes into a URL. The core (``catalogus.check``) settles the answers
and picks the next question; these handlers only read the form and choose the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import ClientException

from ..catalog import Catalog
from ..check import TOPICS_QUESTION, Check, CheckResult
from ..questions import Question
from .forms import ANSWERS_FIELD, BadAnswers, FieldError, carried_answers, display_value, parse_field, settle
from .present import STATUS_BADGE, STATUS_WORDS, domain_titles, other_results, result_groups
from .deps import CatalogDep, TodayDep
from .templating import page

NO_STORE = CacheControlHeader(no_store=True)


@dataclass
class Conversation:
    """One request's view of the check: the catalogue, the date and the JSON answers in the order given."""

    check: Check
    ordered: dict[str, Any]

    @classmethod
    def from_form(cls, catalog: Catalog, today: dt.date, form: Any) -> "Conversation":
        try:
            ordered = carried_answers(form.get(ANSWERS_FIELD))
        except BadAnswers:
            raise ClientException("de antwoorden in het formulier zijn niet geldig") from None
        conversation = cls(Check(catalog, today), ordered)
        conversation.settle()  # a damaged field fails here, before anything is shown
        return conversation

    @property
    def catalog(self) -> Catalog:
        return self.check.catalog

    def question(self, qid: str) -> Question:
        if qid not in self.catalog.vocabulary:
            raise ClientException("onbekende vraag")
        return self.catalog.vocabulary[qid]

    def settle(self) -> CheckResult:
        """The check now; answers that can no longer matter are forgotten (e.g. rent after buying a house)."""
        result = settle(self.check, self.ordered)
        self.ordered = result.json_answers
        return result

    def set(self, qid: str, value: Any) -> CheckResult:
        self.ordered.pop(qid, None)
        self.ordered[qid] = value
        return self.settle()

    def pop_last(self) -> tuple[str, Any] | None:
        if not self.ordered:
            return None
        qid = next(reversed(self.ordered))
        return qid, self.ordered.pop(qid)


# ---------------------------------------------------------------- handlers

@get("/check", name="check", cache_control=NO_STORE)
async def start(request: Request, catalog: CatalogDep, today: TodayDep) -> Any:
    conversation = Conversation(Check(catalog, today), {})
    return _question_page(request, conversation, conversation.question(TOPICS_QUESTION))


@post("/check", name="check-step", cache_control=NO_STORE)
async def step(request: Request, catalog: CatalogDep, today: TodayDep) -> Any:
    form = await request.form()
    conversation = Conversation.from_form(catalog, today, form)
    action = str(form.get("actie") or "volgende")
    if action == "terug":
        last = conversation.pop_last()
        if last is None:
            return _question_page(request, conversation, conversation.question(TOPICS_QUESTION))
        return _question_page(request, conversation, conversation.question(last[0]), shown=last[1])
    if action == "controleer":
        return _overview_page(request, conversation)
    if action.startswith(("wijzig:", "vraag:")):
        qid = action.partition(":")[2]
        question = conversation.question(qid)
        return _question_page(request, conversation, question, shown=conversation.ordered.get(qid),
                              changing=action.startswith("wijzig:"))
    return _answer(request, conversation, form)


@post("/check/uitkomst", name="check-results", cache_control=NO_STORE)
async def results(request: Request, catalog: CatalogDep, today: TodayDep) -> Any:
    form = await request.form()
    conversation = Conversation.from_form(catalog, today, form)
    result = conversation.settle()
    others = other_results(result)
    return page(request, "check_results.html", {
        "result": result,
        "groups": result_groups(result),
        "others": others,
        "other_fitting": sum(1 for _, items in others for r in items if r.status == "eligible"),
        "antwoorden": conversation.ordered,
        "vocabulary": catalog.vocabulary,
        "team": catalog.routing.team,
        "topic_titles": [domain_titles(catalog)[t] for t in result.topics],
        "all_topics": TOPICS_QUESTION not in result.answers,
        "status_words": STATUS_WORDS,
        "status_badge": STATUS_BADGE,
    }, no_store=True)


# ---------------------------------------------------------------- steps

def _answer(request: Request, conversation: Conversation, form: Any) -> Any:
    question = conversation.question(str(form.get("vraag") or TOPICS_QUESTION))
    value, error, shown = parse_field(question, form)
    if error is not None:
        changing = form.get("wijzigen") == "ja"
        return _question_page(request, conversation, question, shown=shown, errors=[error], changing=changing,
                              status=422)
    result = conversation.set(question.id, value)
    if result.next_question is None:
        return _overview_page(request, conversation)
    return _question_page(request, conversation, result.next_question, result=result)


def _question_page(request: Request, conversation: Conversation, question: Question, *, shown: Any = None,
                   errors: list[FieldError] | None = None, changing: bool = False, status: int = 200,
                   result: CheckResult | None = None) -> Any:
    remaining = 0
    if question.id != TOPICS_QUESTION:  # the topic page shows no count: skip the work
        result = result or conversation.settle()
        remaining = max(result.estimated_remaining, 0 if question.id in conversation.ordered else 1)
    ordered = conversation.ordered
    carried = {k: v for k, v in ordered.items() if k != question.id} if not changing else ordered
    if shown is None:
        shown = display_value(question, ordered.get(question.id))
    elif not errors:
        shown = display_value(question, shown)
    return page(request, "check_question.html", {
        "question": question,
        "shown": shown,
        "errors": errors or [],
        "antwoorden": carried,
        "changing": changing,
        "first": question.id == TOPICS_QUESTION,
        "answered": len(carried),
        "remaining": remaining,
        "none_value": question.definition.geen_waarde,
    }, status=status, no_store=True)


def _overview_page(request: Request, conversation: Conversation) -> Any:
    result = conversation.settle()
    vocabulary = conversation.catalog.vocabulary
    rows = [(vocabulary[qid], vocabulary[qid].format(value)) for qid, value in result.answers.items()]
    return page(request, "check_overview.html", {"rows": rows, "antwoorden": conversation.ordered}, no_store=True)


ROUTES = [start, step, results]
