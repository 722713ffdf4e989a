"""Read wizard form fields into JSON-style answers, the same shape the JSON API accepts.

Answers travel between pages as one hidden field ``antwoorden`` (a JSON object in the
order the questions were answered), never in a URL and never stored on the server.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Mapping

from ..questions import Question, Vocabulary, format_money

ANSWERS_FIELD = "antwoorden"
MAX_ANSWERS_LENGTH = 20_000
_WHOLE_NUMBER = re.compile(r"^\d{1,9}$")


class BadAnswers(ValueError):
    """The hidden answers field was changed or damaged: start again."""


@dataclass(frozen=True)
class FieldError:
    question: str
    message: str
    target: str  # the id of the element the error summary links to


def sentence(message: str) -> str:
    """Make a core message a B1 sentence: capital first letter, closing full stop.

    >>> sentence("vul een getal in van 0 tot en met 120")
    'Vul een getal in van 0 tot en met 120.'
    """
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message[-1] in ".?!" else message + "."


def read_answers(raw: str | None, vocabulary: Vocabulary) -> tuple[dict[str, Any], dict[str, Any]]:
    """Parse the hidden answers field; return (JSON answers in order, validated internal answers)."""
    if not raw:
        return {}, {}
    if len(raw) > MAX_ANSWERS_LENGTH:
        raise BadAnswers("te veel gegevens")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the decoder goes
        raise BadAnswers("geen geldige gegevens") from None
    if not isinstance(data, dict):
        raise BadAnswers("geen geldige gegevens")
    answers, problems = vocabulary.validate(data)
    if problems:
        raise BadAnswers("; ".join(f"{p.question}: {p.message}" for p in problems))
    ordered = {k: vocabulary[k].to_json(answers[k]) for k in data if k in answers}
    return ordered, answers


def first_target(question: Question) -> str:
    """The id of the first input of a question, for links from the error summary."""
    if question.type in ("boolean", "choice", "multi"):
        first = "ja" if question.type == "boolean" else next(iter(question.options))
        return f"{question.id}-{first}"
    return question.id


def parse_field(question: Question, form: Mapping[str, Any] | Any) -> tuple[Any, FieldError | None, Any]:
    """Read one question's form field(s).

    Returns (JSON answer or None, error or None, what to show in the field again).
    """
    qid = question.id
    kind = question.type
    if kind == "multi":
        values = [v for v in _getall(form, qid) if isinstance(v, str)]
        if not values:
            what = "onderwerp" if qid == "onderwerpen" else "antwoord"
            return None, _error(question, f"Kies minstens één {what}."), values
        return _checked(question, values, values)
    raw = form.get(qid)
    raw = raw.strip() if isinstance(raw, str) else ""
    if kind == "boolean":
        if raw not in ("ja", "nee"):
            return None, _error(question, "Kies ja of nee."), raw
        return raw == "ja", None, raw
    if kind == "choice":
        if raw not in question.options:
            return None, _error(question, "Kies het antwoord dat het best bij u past."), raw
        return raw, None, raw
    if not raw:
        message = "Vul een bedrag in. Heeft u niets? Vul dan 0 in." if kind == "money" else "Vul een getal in."
        return None, _error(question, message), raw
    if kind == "integer":
        if not _WHOLE_NUMBER.match(raw):
            return None, _error(question, "Vul een heel getal in, alleen cijfers. Bijvoorbeeld: 3."), raw
        return _checked(question, int(raw), raw)
    return _checked(question, raw, raw)  # money: the core reads Dutch notation


def display_value(question: Question, value: Any) -> Any:
    """A JSON answer as it appears in the form field again."""
    if value is None:
        return [] if question.type == "multi" else ""
    if question.type == "boolean":
        return "ja" if value else "nee"
    if question.type == "money":
        return format_money(question.parse(value)).removeprefix("€ ")
    if question.type == "multi":
        return list(value)
    return str(value)


def _checked(question: Question, value: Any, shown: Any) -> tuple[Any, FieldError | None, Any]:
    try:
        parsed = question.parse(value)
    except ValueError as exc:
        return None, _error(question, sentence(str(exc))), shown
    return question.to_json(parsed), None, shown


def _error(question: Question, message: str) -> FieldError:
    return FieldError(question.id, message, first_target(question))


def _getall(form: Any, key: str) -> list[Any]:
    if hasattr(form, "getall"):
        try:
            return list(form.getall(key))
        except KeyError:
            return []
    value = form.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]
