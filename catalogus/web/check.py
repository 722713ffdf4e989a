"""The check for residents: topics, one question per page, check your answers, results.

Every step is a POST carrying all answers in one hidden field; nothing is kept on the
server and nothing goes into a URL. The core (``wizard.run_check``) picks the next
question; these handlers only read the form and choose the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import ClientException

from ..catalog import Catalog
from ..questions import Question
from ..wizard import TOPICS_QUESTION, CheckResult, run_check
from .forms import ANSWERS_FIELD, BadAnswers, FieldError, display_value, parse_field, read_answers
from .present import STATUS_BADGE, STATUS_WORDS, domain_titles, other_results, result_groups
from .templating import page

NO_STORE = CacheControlHeader(no_store=True)


@dataclass
class Wizard:
    """One request's view of the check: the catalogue snapshot, the date and the answers so far."""

    catalog: Catalog
    date: dt.date
    ordered: dict[str, Any]  # JSON answers in the order they were given
    answers: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_form(cls, request: Request, form: Any) -> "Wizard":
        snapshot = request.app.state.content.current
        catalog = snapshot.catalog
        try:
            ordered, answers = read_answers(form.get(ANSWERS_FIELD), catalog.vocabulary)
        except BadAnswers:
            raise ClientException("de antwoorden in het formulier zijn niet geldig") from None
        return cls(catalog, request.app.state.content.today(), ordered, answers)

    def question(self, qid: str) -> Question:
        if qid not in self.catalog.vocabulary:
            raise ClientException("onbekende vraag")
        return self.catalog.vocabulary[qid]

    def set(self, qid: str, value: Any) -> None:
        self.ordered.pop(qid, None)
        self.ordered[qid] = value
        self._revalidate()
        self._drop_irrelevant()

    def pop_last(self) -> tuple[str, Any] | None:
        if not self.ordered:
            return None
        qid = next(reversed(self.ordered))
        value = self.ordered.pop(qid)
        self._revalidate()
        return qid, value

    def check(self) -> CheckResult:
        return run_check(self.catalog, self.answers, self.date)

    def _revalidate(self) -> None:
        self.answers, _ = self.catalog.vocabulary.validate(self.ordered)

    def _drop_irrelevant(self) -> None:
        """Forget answers to questions that cannot matter any more (e.g. rent after moving to a bought house)."""
        conditions = self.catalog.question_conditions
        changed = True
        while changed:
            env = self.catalog.env(self.answers, self.date)
            gone = [q for q in self.ordered if q in conditions and conditions[q].status(env) is False]
            changed = bool(gone)
            for qid in gone:
                del self.ordered[qid]
            if changed:
                self._revalidate()


# ---------------------------------------------------------------- handlers

@get("/check", name="check", cache_control=NO_STORE)
async def start(request: Request) -> Any:
    snapshot = request.app.state.content.current
    wizard = Wizard(snapshot.catalog, request.app.state.content.today(), {})
    return _question_page(request, wizard, wizard.question(TOPICS_QUESTION))


@post("/check", name="check-step", cache_control=NO_STORE)
async def step(request: Request) -> Any:
    form = await request.form()
    wizard = Wizard.from_form(request, form)
    action = str(form.get("actie") or "volgende")
    if action == "terug":
        last = wizard.pop_last()
        if last is None:
            return _question_page(request, wizard, wizard.question(TOPICS_QUESTION))
        return _question_page(request, wizard, wizard.question(last[0]), shown=last[1])
    if action == "controleer":
        return _overview_page(request, wizard)
    if action.startswith(("wijzig:", "vraag:")):
        qid = action.partition(":")[2]
        question = wizard.question(qid)
        return _question_page(request, wizard, question, shown=wizard.ordered.get(qid),
                              changing=action.startswith("wijzig:"))
    return _answer(request, wizard, form)


@post("/check/uitkomst", name="check-results", cache_control=NO_STORE)
async def results(request: Request) -> Any:
    form = await request.form()
    wizard = Wizard.from_form(request, form)
    result = wizard.check()
    catalog = wizard.catalog
    others = other_results(result)
    return page(request, "check_results.html", {
        "result": result,
        "groups": result_groups(result),
        "others": others,
        "other_fitting": sum(1 for _, items in others for r in items if r.status == "eligible"),
        "antwoorden": wizard.ordered,
        "vocabulary": catalog.vocabulary,
        "team": catalog.routing.team,
        "topic_titles": [domain_titles(catalog)[t] for t in result.topics],
        "all_topics": TOPICS_QUESTION not in wizard.answers,
        "status_words": STATUS_WORDS,
        "status_badge": STATUS_BADGE,
    }, no_store=True)


# ---------------------------------------------------------------- steps

def _answer(request: Request, wizard: Wizard, form: Any) -> Any:
    question = wizard.question(str(form.get("vraag") or TOPICS_QUESTION))
    value, error, shown = parse_field(question, form)
    if error is not None:
        changing = form.get("wijzigen") == "ja"
        return _question_page(request, wizard, question, shown=shown, errors=[error], changing=changing,
                              status=422)
    wizard.set(question.id, value)
    result = wizard.check()
    if result.next_question is None:
        return _overview_page(request, wizard)
    return _question_page(request, wizard, result.next_question, result=result)


def _question_page(request: Request, wizard: Wizard, question: Question, *, shown: Any = None,
                   errors: list[FieldError] | None = None, changing: bool = False, status: int = 200,
                   result: CheckResult | None = None) -> Any:
    remaining = 0
    if question.id != TOPICS_QUESTION:  # the topic page shows no count: skip the work
        result = result or wizard.check()
        remaining = max(result.estimated_remaining, 0 if question.id in wizard.ordered else 1)
    ordered = {k: v for k, v in wizard.ordered.items() if k != question.id} if not changing else wizard.ordered
    if shown is None:
        shown = display_value(question, wizard.ordered.get(question.id))
    elif not errors:
        shown = display_value(question, shown)
    return page(request, "check_question.html", {
        "question": question,
        "shown": shown,
        "errors": errors or [],
        "antwoorden": ordered,
        "changing": changing,
        "first": question.id == TOPICS_QUESTION,
        "answered": len(ordered),
        "remaining": remaining,
        "none_value": question.definition.geen_waarde,
    }, status=status, no_store=True)


def _overview_page(request: Request, wizard: Wizard) -> Any:
    vocabulary = wizard.catalog.vocabulary
    rows = [(vocabulary[qid], vocabulary[qid].format(wizard.answers[qid]))
            for qid in wizard.ordered if qid in wizard.answers]
    return page(request, "check_overview.html", {"rows": rows, "antwoorden": wizard.ordered}, no_store=True)


ROUTES = [start, step, results]
