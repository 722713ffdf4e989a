"""Reasons and rule views as data: what the engine found, never how to say it.

The engine (``rules``) returns these; a renderer (``wording`` for B1 Dutch) turns them
into sentences. A reason names what was compared, with which figures, against which
norm, and whether it held, so it can be said to a resident, to a professional, in
another language, or checked by a test. All types are frozen and hashable: outcomes
are memoised and reasons de-duplicated by value.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, Union

Edge = Literal["exact", "highest", "lowest"]


@dataclass(frozen=True, slots=True)
class AnswerStated:
    """A yes/no, choice or multi answer compared with a value: ``moeite_met bevat koken``."""

    question: str
    value: Any  # the internal answer (bool, str or frozenset)
    op: str
    operand: Any
    holds: bool


@dataclass(frozen=True, slots=True)
class NormLimit:
    """The norm side of a comparison: which norm, which factor, and what it came to for this household."""

    norm: str
    factor: Decimal | None  # the factor's value on the day (from a number or a factor norm)
    factor_norm: str | None  # id of the factor norm, when the factor is one
    edge: Edge  # exact: one value for this household; highest/lowest: the edge of the possible values
    personal: bool  # the norm depends on leefsituatie or age ("voor uw situatie")


@dataclass(frozen=True, slots=True)
class NumberCompared:
    """A number or amount compared with a constant or a (factor ×) norm: the figures used."""

    question: str
    value: int | Decimal  # the answer (cents for money)
    op: str
    threshold: int | Decimal  # the constant, or the norm's value at ``limit.edge`` (cents for money)
    holds: bool
    limit: NormLimit | None = None


@dataclass(frozen=True, slots=True)
class Counted:
    """``minstens N van`` that failed: how many held against how many are needed."""

    held: int
    needed: int


@dataclass(frozen=True, slots=True)
class ProductDecided:
    """Another product's status decided a condition (routing: beschermd wonen)."""

    product: str
    holds: bool


@dataclass(frozen=True, slots=True)
class ContentWording:
    """A sentence the content gives for a decided condition (``uitleg: {waar, onwaar}``)."""

    text: str
    holds: bool


@dataclass(frozen=True, slots=True)
class NotRouted:
    """Routing said no: how many life domains had a problem, and the routing rule that was not met."""

    problem_domains: int
    rule: "RuleView"


# ---------------------------------------------------------------- amounts (what a household gets)

@dataclass(frozen=True, slots=True)
class Figure:
    """One value an amount used: a norm or an answer, with what it was for this household."""

    source: Literal["norm", "vraag"]
    name: str  # norm id or question id
    value: int | Decimal  # cents for money, otherwise the number
    money: bool
    period: str | None  # "maand" or "jaar" for money
    personal: bool  # a norm that depends on the answers ("voor u")


@dataclass(frozen=True, slots=True)
class Calculation:
    """``left op right`` of an amount formula, with the figures filled in (op: "+", "-" or "×")."""

    op: str
    left: "Calculation | Figure | Decimal"
    right: "Calculation | Figure | Decimal"


@dataclass(frozen=True, slots=True)
class AmountFigures:
    """A determined amount: how it was computed, the content's closing sentence and who sets the real amount."""

    cents: int
    period: str
    calculation: Calculation | Figure
    sentence: str  # the product's ``bedrag.zin``, with {bedrag}
    decider: str  # the product's contact: they decide the real amount


@dataclass(frozen=True, slots=True)
class AmountOpen:
    """An amount the answers do not fix yet, and the questions it still depends on."""

    period: str
    depends_on: tuple[str, ...]
    decider: str


@dataclass(frozen=True, slots=True)
class NoAmount:
    """No amount for this household: the product does not fit, or no norm applies (under 18)."""

    not_eligible: bool


AmountReason = Union[AmountFigures, AmountOpen, NoAmount]


@dataclass(frozen=True, slots=True)
class Unanswered:
    """A question a product page cannot fill in (the household's own answer): said in words."""

    question: str


@dataclass(frozen=True, slots=True)
class Subtotal:
    """Part of a formula whose figures are all known on a product page, as one value."""

    value: Decimal  # cents for money
    money: bool
Reason = Union[AnswerStated, NumberCompared, Counted, ProductDecided, ContentWording, NotRouted, AmountFigures,
               AmountOpen, NoAmount]


# ---------------------------------------------------------------- what a rule says (for pages)

@dataclass(frozen=True, slots=True)
class JunctionView:
    """``alle`` (every part) or ``een_van`` (at least one part)."""

    every: bool
    parts: tuple["RuleView", ...]


@dataclass(frozen=True, slots=True)
class NotView:
    part: "RuleView"


@dataclass(frozen=True, slots=True)
class AtLeastView:
    count: int
    parts: tuple["RuleView", ...]


@dataclass(frozen=True, slots=True)
class NamedView:
    """A shared condition or life domain: its own summary (content), and its rule when figures matter."""

    name: str
    summary: str
    domain: bool  # a life domain of the routing rules
    part: "RuleView | None"  # shown for conditions over a norm (transparency), else None


@dataclass(frozen=True, slots=True)
class ProductView:
    product: str


@dataclass(frozen=True, slots=True)
class CompareView:
    question: str
    op: str
    operand: Any  # the constant (internal units) or None for a norm
    norm: str | None = None
    factor: Decimal | None = None
    factor_norm: str | None = None


@dataclass(frozen=True, slots=True)
class WordedView:
    """A condition with the content's own sentences (``uitleg``) around what it says."""

    when_true: str
    when_false: str
    part: "RuleView"


RuleView = Union[JunctionView, NotView, AtLeastView, NamedView, ProductView, CompareView, WordedView]
