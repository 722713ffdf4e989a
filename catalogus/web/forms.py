"""Read form posts: the carried answers and one question's fields, in the shape the JSON API accepts.

Answers travel between pages as one hidden field ``antwoorden`` (a JSON object in the
order the questions were answered), never in a URL and never stored on the server.
Each question kind reads its own fields (``Question.read_form``); the check pipeline
validates everything (``catalogus.check``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from litestar.exceptions import ClientException

from ..check import Check, CheckResult
from ..errors import AnswerError
from ..questions import Question

ANSWERS_FIELD = "antwoorden"
MAX_ANSWERS_LENGTH = 20_000

class BadAnswers(ValueError):
    """The hidden answers field was changed or damaged: start again."""


@dataclass(frozen=True)
class FieldError:
    question: str
    message: str
    target: str  # the id of the element the error summary links to


def carried_answers(raw: str | None) -> dict[str, Any]:
    """The JSON answers of the hidden field, in order (not yet validated: the check does that)."""
    if not raw:
        return {}
    if len(raw) > MAX_ANSWERS_LENGTH:
        raise BadAnswers("te veel gegevens")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the decoder goes
        raise BadAnswers("geen geldige gegevens") from None
    if not isinstance(data, dict):
        raise BadAnswers("geen geldige gegevens")
    return data


def settle(check: Check, answers: Mapping[str, Any]) -> CheckResult:
    """The check of a conversation (answers that cannot matter any more are forgotten); bad answers are a 400."""
    try:
        return check.settle(answers, forget_unasked=True)
    except AnswerError:
        raise ClientException("de antwoorden in het formulier zijn niet geldig") from None


def read_settled(check: Check, raw: str | None) -> CheckResult:
    """The carried hidden field, settled; a damaged field is a 400 (start again)."""
    try:
        answers = carried_answers(raw)
    except BadAnswers:
        raise ClientException("de antwoorden in het formulier zijn niet geldig") from None
    return settle(check, answers)


def first_target(question: Question) -> str:
    """The id of the first input of a question, for links from the error summary."""
    if question.kind.widget in ("ja_nee", "keuze", "vinkjes"):
        first = "ja" if question.kind.widget == "ja_nee" else next(iter(question.options))
        return f"{question.id}-{first}"
    return question.id


def parse_field(question: Question, form: Mapping[str, Any] | Any) -> tuple[Any, FieldError | None, Any]:
    """Read one question's form field(s).

    Returns (JSON answer or None, error or None, what to show in the field again).
    """
    answer = question.read_form(form)
    error = FieldError(question.id, answer.error, first_target(question)) if answer.error else None
    return answer.value, error, answer.shown


def display_value(question: Question, value: Any) -> Any:
    """A JSON answer as it appears in the form field again."""
    return question.shown(value)
