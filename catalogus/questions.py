"""The question vocabulary and the validation of answers against it.

Answers inside the core use one representation: booleans, ints, money as
whole cents (int), choice values as str, multi answers as frozensets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from .errors import AnswerProblem
from .models import QuestionDef

Answers = Mapping[str, Any]


@dataclass(frozen=True)
class Question:
    """One question of the vocabulary, with everything needed to ask and explain it."""

    id: str
    definition: QuestionDef
    order: int

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

    @property
    def options(self) -> dict[str, str]:
        return {k: v.label for k, v in (self.definition.opties or {}).items()}

    def label(self, value: str) -> str:
        return self.options.get(value, value)

    def to_api(self) -> dict:
        """The question as the JSON API describes it."""
        data: dict[str, Any] = {"id": self.id, "type": self.type, "text": self.text}
        if self.help:
            data["help"] = self.help
        if self.definition.opties:
            data["options"] = [{"value": k, "label": v} for k, v in self.options.items()]
        if self.type == "integer":
            data["min"], data["max"] = self.definition.min, self.definition.max
        if self.type == "money":
            data["min"] = 0
        return data

    # ----------------------------------------------------------- validation

    def parse(self, value: Any) -> Any:
        """Validate one JSON answer and return its internal form; raise ValueError with a B1 message."""
        kind = self.type
        if kind == "boolean":
            if isinstance(value, bool):
                return value
            raise ValueError("kies ja (true) of nee (false)")
        if kind == "integer":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                    isinstance(value, float) and not value.is_integer()):
                raise ValueError(f"vul een heel getal in van {self.definition.min} tot en met {self.definition.max}")
            number = int(value)
            if not self.definition.min <= number <= self.definition.max:
                raise ValueError(f"vul een getal in van {self.definition.min} tot en met {self.definition.max}")
            return number
        if kind == "money":
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise ValueError("vul een bedrag in euro's in, bijvoorbeeld 1250 of 1250.50")
            return money_to_cents(value)
        if kind == "choice":
            if not isinstance(value, str) or value not in self.options:
                raise ValueError("kies een van: " + ", ".join(self.options))
            return value
        if kind == "multi":
            if not isinstance(value, (list, tuple, set, frozenset)) or not value:
                raise ValueError("kies een of meer van: " + ", ".join(self.options))
            items = list(value)
            unknown = [v for v in items if not isinstance(v, str) or v not in self.options]
            if unknown:
                raise ValueError(f"'{unknown[0]}' is geen keuze; kies uit: " + ", ".join(self.options))
            if len(set(items)) != len(items):
                raise ValueError("elke keuze mag maar één keer voorkomen")
            none_value = self.definition.geen_waarde
            if none_value and none_value in items and len(items) > 1:
                raise ValueError(f"'{self.label(none_value)}' kan niet samen met een andere keuze")
            return frozenset(items)
        raise ValueError(f"onbekend vraagtype {kind}")  # pragma: no cover - guarded by the model

    def to_json(self, value: Any) -> Any:
        """Turn an internal answer back into its JSON form."""
        if self.type == "money":
            euros = Decimal(value) / 100
            return int(euros) if value % 100 == 0 else float(euros)
        if self.type == "multi":
            return [k for k in self.options if k in value]
        return value

    def format(self, value: Any) -> str:
        """Show an internal answer to a person, in Dutch."""
        if self.type == "boolean":
            return "ja" if value else "nee"
        if self.type == "money":
            return format_money(value)
        if self.type == "integer":
            return f"{value} {self.definition.eenheid}" if self.definition.eenheid else str(value)
        if self.type == "choice":
            return self.label(value)
        if self.type == "multi":
            return join_dutch([self.label(k) for k in self.options if k in value])
        return str(value)


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
    if amount > Decimal("100000000"):  # before quantize: a huge amount would overflow its precision
        raise ValueError("dat bedrag is te hoog; vul een bedrag in tot 100 miljoen euro")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("een bedrag heeft hoogstens 2 cijfers achter de komma")
    return int(amount * 100)


_AMOUNT = re.compile(r"^\d+(?:[.,]\d+)*$")


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


def format_money(cents: int) -> str:
    """Format cents the Dutch way: whole euros without cents.

    >>> format_money(165000), format_money(140150), format_money(5)
    ('€ 1.650', '€ 1.401,50', '€ 0,05')
    """
    euros, rest = divmod(int(cents), 100)
    whole = f"{euros:,}".replace(",", ".")
    return f"€ {whole}" if rest == 0 else f"€ {whole},{rest:02d}"


def join_dutch(items: list[str]) -> str:
    """Join words as Dutch does: 'a, b en c'.

    >>> join_dutch(["koken"]), join_dutch(["koken", "het huishouden", "post"])
    ('koken', 'koken, het huishouden en post')
    """
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


class Vocabulary:
    """All questions, in the order of the vocabulary file."""

    def __init__(self, questions: dict[str, Question]):
        self.questions = questions

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
        """Check every answer; return the parsed answers and every problem found.

        A JSON ``null`` means "not answered" and is dropped.
        """
        answers: dict[str, Any] = {}
        problems: list[AnswerProblem] = []
        for key, value in raw.items():
            question = self.questions.get(key)
            if question is None:
                from .errors import did_you_mean
                hint = did_you_mean(key, self.questions)
                problems.append(AnswerProblem(str(key)[:100], "onbekende vraag" + (f" ({hint})" if hint else "")))
                continue
            if value is None:
                continue
            try:
                answers[key] = question.parse(value)
            except ValueError as exc:
                problems.append(AnswerProblem(key, f"{question.short}: {exc}"))
        return answers, problems

    def to_json(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        return {k: self.questions[k].to_json(v) for k, v in answers.items() if k in self.questions}
