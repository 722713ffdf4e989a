"""The question vocabulary: one type per question kind, and the validation of answers against it.

Answers inside the core use one representation: booleans, ints, money as
whole cents (int), choice values as str, multi answers as frozensets. Each kind
(``QuestionKind``) knows how to read a JSON answer, how to read what a person
typed in a form, how to turn an answer back into JSON, how to say it in Dutch,
which rule operators fit it, which values are worth trying when searching the
rules, and its JSON Schema; no other module switches on the type name.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any, Iterable, Mapping

from .errors import AnswerProblem, did_you_mean
from .models import QuestionDef

Answers = Mapping[str, Any]
MAX_MONEY_EUROS = 100_000_000
OTHER_GROUP = "overig"
FEW_ANSWERS = 200  # an integer question with at most this many possible answers (an age, a number of children)


# ---------------------------------------------------------------- Dutch formatting helpers

def format_money(cents: int) -> str:
    """Format cents the Dutch way: whole euros without cents.

    >>> format_money(165000), format_money(140150), format_money(5)
    ('€ 1.650', '€ 1.401,50', '€ 0,05')
    """
    euros, rest = divmod(int(cents), 100)
    whole = f"{euros:,}".replace(",", ".")
    return f"€ {whole}" if rest == 0 else f"€ {whole},{rest:02d}"


def join_dutch(items: list[str], word: str = "en") -> str:
    """Join words as Dutch does: 'a, b en c'.

    >>> join_dutch(["koken"]), join_dutch(["koken", "het huishouden", "post"]), join_dutch(["a", "b"], "of")
    ('koken', 'koken, het huishouden en post', 'a of b')
    """
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def money_to_cents(value: Any) -> int:
    """Turn a JSON number or a Dutch amount into whole cents.

    >>> money_to_cents(1234.5), money_to_cents("1.234,56"), money_to_cents("€ 1.234")
    (123450, 123456, 123400)
    """
    if isinstance(value, str):
        amount = parse_dutch_amount(value)
    else:
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise ValueError("vul een bedrag in euro's in") from None
    if not amount.is_finite():
        raise ValueError("vul een bedrag in euro's in")
    if amount < 0:
        raise ValueError("een bedrag kan niet negatief zijn")
    if amount > Decimal(MAX_MONEY_EUROS):  # before quantize: a huge amount would overflow its precision
        raise ValueError("dat bedrag is te hoog; vul een bedrag in tot 100 miljoen euro")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("een bedrag heeft hoogstens 2 cijfers achter de komma")
    return int(amount * 100)


_AMOUNT = re.compile(r"^\d+(?:[.,]\d+)*$")
_WHOLE_NUMBER = re.compile(r"^\d{1,9}$")


def parse_dutch_amount(text: str) -> Decimal:
    """Read an amount as people type it: ``1.234,56``, ``1234,56``, ``€ 1.234`` or ``1234.56``.

    >>> [str(parse_dutch_amount(t)) for t in ("1.234,56", "1234,56", "€ 1.234", "1234.56", "12,5", "1.234.567")]
    ['1234.56', '1234.56', '1234', '1234.56', '12.5', '1234567']
    """
    cleaned = text.strip().replace("€", "").replace("EUR", "").replace("euro", "")
    cleaned = cleaned.replace("\u00a0", "").replace(" ", "").rstrip("-").rstrip(",").rstrip(".")
    if cleaned.endswith(",-"):
        cleaned = cleaned[:-2]
    if cleaned.startswith("-"):
        raise ValueError("een bedrag kan niet negatief zijn")
    if not cleaned or not _AMOUNT.match(cleaned):
        raise ValueError("vul een bedrag in, bijvoorbeeld 1.250 of 1.250,50")
    if "," in cleaned:
        whole, _, cents = cleaned.rpartition(",")
        if "," in whole or len(cents) > 2:
            raise ValueError("een bedrag heeft hoogstens 2 cijfers achter de komma")
        if "." in whole and not re.fullmatch(r"\d{1,3}(\.\d{3})+", whole):
            raise ValueError("zet punten alleen tussen groepen van 3 cijfers, bijvoorbeeld 1.250,50")
        return Decimal(whole.replace(".", "") + "." + cents)
    if "." in cleaned:
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", cleaned):
            return Decimal(cleaned.replace(".", ""))  # Dutch thousands separators
        if cleaned.count(".") == 1:
            return Decimal(cleaned)
        raise ValueError("vul een bedrag in, bijvoorbeeld 1.250 of 1.250,50")
    return Decimal(cleaned)


def sentence(message: str) -> str:
    """Make a message a B1 sentence: capital first letter, closing full stop.

    >>> sentence("vul een getal in van 0 tot en met 120")
    'Vul een getal in van 0 tot en met 120.'
    """
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message[-1] in ".?!" else message + "."


# ---------------------------------------------------------------- what a form gave for one question

@dataclass(frozen=True)
class FormAnswer:
    """One question's form field(s), read: the JSON answer (or None), a B1 error (or None), and what to show again."""

    value: Any
    error: str | None
    shown: Any

    @property
    def empty(self) -> bool:
        return self.shown in ("", [])


def form_values(form: Any, key: str) -> list[Any]:
    """Every value a form sent under ``key`` (a list: checkboxes send one per ticked box)."""
    if hasattr(form, "getall"):
        try:
            return list(form.getall(key))
        except KeyError:
            return []
    value = form.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _form_text(form: Any, key: str) -> str:
    raw = form.get(key)
    return raw.strip() if isinstance(raw, str) else ""


# ---------------------------------------------------------------- the kinds

class QuestionKind:
    """What every question of one type shares. Subclasses are singletons in ``KINDS``."""

    name: str
    operators: tuple[str, ...]
    numeric = False  # compared with <, >=, ... and with norms
    money = False  # whole cents inside, euros outside; compared only with money norms
    widget: str  # how forms show it: "ja_nee", "keuze", "vinkjes", "getal" or "bedrag"

    def parse(self, question: "Question", value: Any) -> Any:
        """Validate one JSON answer and return its internal form; raise ValueError with a B1 message."""
        raise NotImplementedError

    def read_form(self, question: "Question", form: Any) -> FormAnswer:
        """Read what a person entered in the form field(s) of this question."""
        raise NotImplementedError

    def to_json(self, question: "Question", value: Any) -> Any:
        return value

    def format(self, question: "Question", value: Any) -> str:
        return str(value)

    def shown(self, question: "Question", value: Any) -> Any:
        """A JSON answer as it appears in the form field again ('' when not answered)."""
        return "" if value is None else str(value)

    def constant(self, question: "Question", operand: Any) -> Any:
        """A rule's constant in internal units; raise ValueError (message key, details) when it does not fit."""
        return operand

    def candidates(self, question: "Question", thresholds: Iterable[Any]) -> list[Any]:
        """Answers that together reach every region the thresholds cut out (for searching rules)."""
        raise NotImplementedError

    def few_answers(self, question: "Question") -> bool:
        """Whether people give only a few different answers (so outcomes keyed by them repeat)."""
        return True

    def json_schema(self, question: "Question") -> dict[str, Any]:
        raise NotImplementedError

    def api_extras(self, question: "Question") -> dict[str, Any]:
        return {}


class BooleanKind(QuestionKind):
    name = "boolean"
    operators = ("=", "!=")
    widget = "ja_nee"

    def parse(self, question, value):
        if isinstance(value, bool):
            return value
        raise ValueError("kies ja (true) of nee (false)")

    def read_form(self, question, form):
        raw = _form_text(form, question.id)
        if raw not in ("ja", "nee"):
            return FormAnswer(None, "Kies ja of nee.", raw)
        return FormAnswer(raw == "ja", None, raw)

    def format(self, question, value):
        return "ja" if value else "nee"

    def shown(self, question, value):
        return "" if value is None else ("ja" if value else "nee")

    def constant(self, question, operand):
        if not isinstance(operand, bool):
            raise ValueError("boolean_operand")
        return operand

    def candidates(self, question, thresholds):
        return [True, False]

    def json_schema(self, question):
        return {"type": "boolean"}


class IntegerKind(QuestionKind):
    name = "integer"
    operators = ("=", "!=", ">=", ">", "<=", "<")
    numeric = True
    widget = "getal"

    def parse(self, question, value):
        low, high = question.definition.min, question.definition.max
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                isinstance(value, float) and not value.is_integer()):
            raise ValueError(f"vul een heel getal in van {low} tot en met {high}")
        number = int(value)
        if not low <= number <= high:
            raise ValueError(f"vul een getal in van {low} tot en met {high}")
        return number

    def read_form(self, question, form):
        raw = _form_text(form, question.id)
        if not raw:
            return FormAnswer(None, "Vul een getal in.", raw)
        if not _WHOLE_NUMBER.match(raw):
            return FormAnswer(None, f"Vul een heel getal in, alleen cijfers. Bijvoorbeeld: {question.example}.", raw)
        try:
            return FormAnswer(self.parse(question, int(raw)), None, raw)
        except ValueError as exc:
            return FormAnswer(None, sentence(str(exc)), raw)

    def format(self, question, value):
        unit = question.definition.eenheid
        return f"{value} {unit}" if unit else str(value)

    def constant(self, question, operand):
        if isinstance(operand, bool) or not isinstance(operand, (int, float)):
            raise ValueError("number_operand")
        return int(operand) if float(operand).is_integer() else Decimal(str(operand))

    def candidates(self, question, thresholds):
        low = question.definition.min if question.definition.min is not None else 0
        high = question.definition.max
        values = {low} if high is None else {low, high}
        for t in thresholds:
            base = math.floor(Decimal(t))
            values |= {base, base + 1}
        return sorted(v for v in values if v >= low and (high is None or v <= high))

    def json_schema(self, question):
        return {"type": "integer", "minimum": question.definition.min, "maximum": question.definition.max}

    def few_answers(self, question):
        low, high = question.definition.min, question.definition.max
        return low is not None and high is not None and high - low <= FEW_ANSWERS

    def api_extras(self, question):
        return {"min": question.definition.min, "max": question.definition.max}


class MoneyKind(QuestionKind):
    name = "money"
    operators = ("=", "!=", ">=", ">", "<=", "<")
    numeric = True
    money = True
    widget = "bedrag"

    def few_answers(self, question):
        return False  # every household has its own amounts

    def parse(self, question, value):
        # JSON carries amounts as numbers; Dutch notation is for forms (read_form).
        if isinstance(value, str):
            raise ValueError("geef een bedrag als getal, bijvoorbeeld 1250.50")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError("vul een bedrag in euro's in, bijvoorbeeld 1250 of 1250.50")
        return money_to_cents(value)

    def read_form(self, question, form):
        raw = _form_text(form, question.id)
        if not raw:
            return FormAnswer(None, "Vul een bedrag in. Heeft u niets? Vul dan 0 in.", raw)
        try:
            cents = money_to_cents(raw)
        except ValueError as exc:
            return FormAnswer(None, sentence(str(exc)), raw)
        return FormAnswer(self.to_json(question, cents), None, raw)

    def to_json(self, question, value):
        euros = Decimal(value) / 100
        return int(euros) if value % 100 == 0 else float(euros)

    def format(self, question, value):
        return format_money(value)

    def shown(self, question, value):
        return "" if value is None else format_money(self.parse(question, value)).removeprefix("€ ")

    def constant(self, question, operand):
        if isinstance(operand, bool) or not isinstance(operand, (int, float)):
            raise ValueError("number_operand")
        cents = Decimal(str(operand)) * 100
        if cents != cents.to_integral_value():
            raise ValueError("money_cents")
        return int(cents)

    candidates = IntegerKind.candidates

    def json_schema(self, question):
        return {"type": "number", "minimum": 0, "maximum": MAX_MONEY_EUROS, "multipleOf": 0.01}

    def api_extras(self, question):
        return {"min": 0}


class ChoiceKind(QuestionKind):
    name = "choice"
    operators = ("=", "!=", "in")
    widget = "keuze"

    def parse(self, question, value):
        if not isinstance(value, str) or value not in question.options:
            raise ValueError("kies een van: " + ", ".join(question.options))
        return value

    def read_form(self, question, form):
        raw = _form_text(form, question.id)
        if raw not in question.options:
            return FormAnswer(None, "Kies het antwoord dat het best bij u past.", raw)
        return FormAnswer(raw, None, raw)

    def format(self, question, value):
        return question.label(value)

    def constant(self, question, operand):
        if not isinstance(operand, str) or operand not in question.options:
            raise ValueError("unknown_option")
        return operand

    def candidates(self, question, thresholds):
        return list(question.options)

    def json_schema(self, question):
        return {"type": "string", "enum": list(question.options)}

    def api_extras(self, question):
        return {"options": [{"value": k, "label": v} for k, v in question.options.items()]}


class MultiKind(QuestionKind):
    name = "multi"
    operators = ("bevat", "bevat_iets_anders_dan")
    widget = "vinkjes"

    def parse(self, question, value):
        if not isinstance(value, (list, tuple, set, frozenset)) or not value:
            raise ValueError("kies een of meer van: " + ", ".join(question.options))
        items = list(value)
        unknown = [v for v in items if not isinstance(v, str) or v not in question.options]
        if unknown:
            raise ValueError(f"'{unknown[0]}' is geen keuze; kies uit: " + ", ".join(question.options))
        if len(set(items)) != len(items):
            raise ValueError("elke keuze mag maar één keer voorkomen")
        none_value = question.definition.geen_waarde
        if none_value and none_value in items and len(items) > 1:
            raise ValueError(f"'{question.label(none_value)}' kan niet samen met een andere keuze")
        return frozenset(items)

    def read_form(self, question, form):
        values = [v for v in form_values(form, question.id) if isinstance(v, str)]
        if not values:
            what = "onderwerp" if question.id == "onderwerpen" else "antwoord"
            return FormAnswer(None, f"Kies minstens één {what}.", values)
        try:
            parsed = self.parse(question, values)
        except ValueError as exc:
            return FormAnswer(None, sentence(str(exc)), values)
        return FormAnswer(self.to_json(question, parsed), None, values)

    def to_json(self, question, value):
        return [k for k in question.options if k in value]

    def format(self, question, value):
        return join_dutch([question.label(k) for k in question.options if k in value])

    def shown(self, question, value):
        return [] if value is None else list(value)

    def constant(self, question, operand):
        return ChoiceKind.constant(self, question, operand)

    def candidates(self, question, thresholds):
        options = list(question.options)
        none = question.definition.geen_waarde
        sets = [frozenset([o]) for o in options]
        sets += [frozenset(pair) for pair in itertools.combinations(options, 2) if none not in pair]
        return sets

    def json_schema(self, question):
        schema: dict[str, Any] = {"type": "array", "items": {"type": "string", "enum": list(question.options)},
                                  "minItems": 1, "uniqueItems": True}
        if question.definition.geen_waarde:
            schema["not"] = {"allOf": [{"contains": {"const": question.definition.geen_waarde}}, {"minItems": 2}]}
        return schema

    def api_extras(self, question):
        return ChoiceKind.api_extras(self, question)


KINDS: dict[str, QuestionKind] = {k.name: k for k in (BooleanKind(), IntegerKind(), MoneyKind(), ChoiceKind(),
                                                     MultiKind())}


# ---------------------------------------------------------------- questions

PARSED_LIMIT = 1_000  # parsed answers kept per question (Question.parsed)
_UNPARSED = object()

@dataclass(frozen=True)
class Question:
    """One question of the vocabulary, with everything needed to ask and explain it."""

    id: str
    definition: QuestionDef
    order: int

    @property
    def kind(self) -> QuestionKind:
        return KINDS[self.definition.type]

    @property
    def type(self) -> str:
        return self.definition.type

    @property
    def text(self) -> str:
        return self.definition.tekst

    @property
    def short(self) -> str:
        return self.definition.kort

    @property
    def help(self) -> str | None:
        return self.definition.uitleg

    @cached_property
    def options(self) -> dict[str, str]:
        """Option value -> label, in the content's order (made once: every parse of a choice reads it)."""
        return {k: v.label for k, v in (self.definition.opties or {}).items()}

    def label(self, value: str) -> str:
        return self.options.get(value, value)

    def stated(self, value: str) -> str:
        """A choice answer as a sentence: the option's own ``zin``, else 'Onderwerp: label.'"""
        option = (self.definition.opties or {}).get(value)
        if option is not None and option.zin:
            return option.zin
        return f"{self.definition.onderwerp or self.short}: {self.label(value)}."

    @property
    def example(self) -> int:
        """A whole number to show as an example in a hint: one a person could really type (an age of 40, not 3)."""
        low, high = self.definition.min or 0, self.definition.max
        usual = 40 if self.definition.hele_jaren else 3
        return min(max(usual, low), high) if high is not None else max(usual, low)

    def to_api(self) -> dict:
        """The question as the JSON API describes it."""
        data: dict[str, Any] = {"id": self.id, "type": self.type, "text": self.text}
        if self.help:
            data["help"] = self.help
        data.update(self.kind.api_extras(self))
        return data

    def parse(self, value: Any) -> Any:
        return self.kind.parse(self, value)

    @cached_property
    def _parsed(self) -> dict | None:
        # Answers to a question with few possible answers repeat in every check: parsed once. An amount of
        # money is different in every household and is parsed each time (nothing kept).
        return {} if self.kind.few_answers(self) else None

    def parsed(self, value: Any) -> Any:
        """``parse``, remembered for a question with few possible answers (a problem is never remembered)."""
        memo = self._parsed
        if memo is None:
            return self.kind.parse(self, value)
        # The type is part of the key: True == 1 in Python, but not as an answer.
        key = (type(value), tuple(value) if type(value) is list else value)
        try:
            found = memo.get(key, _UNPARSED)
        except TypeError:  # a list holding something unhashable: never a valid answer anyway
            return self.kind.parse(self, value)
        if found is _UNPARSED:
            found = self.kind.parse(self, value)
            if len(memo) < PARSED_LIMIT:
                memo[key] = found
        return found

    def read_form(self, form: Any) -> FormAnswer:
        return self.kind.read_form(self, form)

    def to_json(self, value: Any) -> Any:
        return self.kind.to_json(self, value)

    def format(self, value: Any) -> str:
        return self.kind.format(self, value)

    def shown(self, value: Any) -> Any:
        return self.kind.shown(self, value)


class Vocabulary:
    """All questions, in the order of the vocabulary file, and the groups they belong to."""

    def __init__(self, questions: dict[str, Question], groups: Mapping[str, str] | None = None):
        self.questions = questions
        self.groups: dict[str, str] = dict(groups or {})  # group id -> title, in the file's order

    def grouped(self) -> list[tuple[str, str, list[Question]]]:
        """(group id, title, questions) in the order of the groups; a group nobody uses is left out."""
        members: dict[str, list[Question]] = {}
        for question in self.questions.values():
            members.setdefault(question.definition.groep or OTHER_GROUP, []).append(question)
        order = list(self.groups) + [g for g in members if g not in self.groups]
        return [(g, self.groups.get(g, g.capitalize()), members[g]) for g in order if g in members]

    def __contains__(self, question_id: str) -> bool:
        return question_id in self.questions

    def __getitem__(self, question_id: str) -> Question:
        return self.questions[question_id]

    def __iter__(self):
        return iter(self.questions.values())

    def __len__(self) -> int:
        return len(self.questions)

    def ids(self) -> list[str]:
        return list(self.questions)

    def validate(self, raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[AnswerProblem]]:
        """Check every JSON answer; return the parsed answers (in the order given) and every problem found.

        A JSON ``null`` means "not answered" and is dropped.
        """
        answers: dict[str, Any] = {}
        problems: list[AnswerProblem] = []
        for key, value in raw.items():
            question = self.questions.get(key)
            if question is None:
                hint = did_you_mean(key, self.questions)
                problems.append(AnswerProblem(str(key)[:100], f"onbekende vraag '{str(key)[:40]}'"
                                              + (f" ({hint})" if hint else "")))
                continue
            if value is None:
                continue
            try:
                answers[key] = question.parsed(value)
            except ValueError as exc:
                problems.append(AnswerProblem(key, f"{question.short}: {exc}"))
        return answers, problems

    def to_json(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        return {k: self.questions[k].to_json(v) for k, v in answers.items() if k in self.questions}
