"""The amount formula language: text -> syntax tree -> checked, compiled ``Amount``.

``formule: meedoenbudget_volwassene × volwassenen + meedoenbudget_kind × aantal_kinderen``

A formula has names (a norm from ``rules/normen.yaml`` or a question from ``rules/vragen.yaml``),
numbers (``12``, ``0.5``), ``+``, ``-`` (or ``−``), ``×`` (or ``*``) and parentheses. A small
recursive-descent parser reads it (nothing is ``eval``ed); every name is checked against the
vocabulary with a "bedoelde u" hint, and every unit is checked: bedragen per maand and per jaar
do not mix unless the monthly one is multiplied by 12, two amounts are never multiplied, and
the result is an amount with the period the product gives (``per``). Each problem is reported
at the line and column of the character in the formula (the words are in ``messages``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from . import models
from .amounts import Amount, AnswerTerm, Binary, Constant, NormTerm, Term
from .errors import Diagnostic, did_you_mean
from .messages import diagnostic
from .norms import NormBook
from .questions import Vocabulary
from .rules import Origin
from .yamlio import SourceMap, locate

OPERATORS = {"+": "+", "-": "-", "\u2212": "-", "\u2013": "-", "×": "×", "*": "×"}
_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<name>[a-z][a-z0-9_]*)|(?P<op>[-+*×\u2212\u2013()]))")
MONTHS_PER_YEAR = Decimal(12)
#: norm units an amount can use: money with a period, or a plain number (a factor, a count)
PERIOD_OF_UNIT = {"euro_per_maand": "maand", "euro_per_jaar": "jaar"}
NUMBER_UNITS = ("factor", "aantal")


class FormulaError(Exception):
    """One problem in a formula: the message key, the offset of the character, the details."""

    def __init__(self, key: str, offset: int, **details):
        super().__init__(key)
        self.key = key
        self.offset = offset
        self.details = details


# ---------------------------------------------------------------- syntax

@dataclass(frozen=True)
class Number:
    value: Decimal
    offset: int


@dataclass(frozen=True)
class Name:
    name: str
    offset: int


@dataclass(frozen=True)
class Operation:
    op: str  # "+", "-" or "×"
    left: "Syntax"
    right: "Syntax"
    offset: int  # of the operator


Syntax = Number | Name | Operation


def tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, offset) of every token; raise FormulaError at the first character that fits none.

    >>> [t[1] for t in tokens("norm − netto_inkomen × 12")]
    ['norm', '-', 'netto_inkomen', '×', '12']
    """
    found = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            rest = text[position:]
            if not rest.strip():
                break
            offset = position + len(rest) - len(rest.lstrip())
            raise FormulaError("formula_character", offset, char=text[offset])
        kind = match.lastgroup
        value = match.group(kind)
        found.append((kind, OPERATORS.get(value, value) if kind == "op" else value, match.start(kind)))
        position = match.end()
    return found


class _Parser:
    """expression := term (("+" | "-") term)* ; term := factor ("×" factor)* ; factor := number | name | "(" expression ")"."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = tokens(text)
        self.index = 0

    def parse(self) -> Syntax:
        if not self.tokens:
            raise FormulaError("formula_empty", 0)
        tree = self.expression()
        if self.index < len(self.tokens):
            kind, value, offset = self.tokens[self.index]
            raise FormulaError("formula_unmatched_close" if value == ")" else "formula_unexpected", offset, token=value)
        return tree

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def expression(self) -> Syntax:
        tree = self.term()
        while (token := self.peek()) is not None and token[1] in ("+", "-"):
            self.index += 1
            tree = Operation(token[1], tree, self.term(), token[2])
        return tree

    def term(self) -> Syntax:
        tree = self.factor()
        while (token := self.peek()) is not None and token[1] == "×":
            self.index += 1
            tree = Operation("×", tree, self.factor(), token[2])
        return tree

    def factor(self) -> Syntax:
        token = self.peek()
        if token is None:
            last = self.tokens[-1]
            raise FormulaError("formula_ends", len(self.text.rstrip()), after=last[1])
        kind, value, offset = token
        self.index += 1
        if kind == "number":
            return Number(Decimal(value), offset)
        if kind == "name":
            return Name(value, offset)
        if value == "(":
            inner = self.expression()
            closing = self.peek()
            if closing is None or closing[1] != ")":
                raise FormulaError("formula_unclosed", offset)
            self.index += 1
            return inner
        raise FormulaError("formula_unexpected", offset, token=value)


def parse(text: str) -> Syntax:
    """The syntax tree of a formula (raises FormulaError).

    >>> parse("a + 2 × b")
    Operation(op='+', left=Name(name='a', offset=0), right=Operation(op='×', left=Number(value=Decimal('2'), offset=4), right=Name(name='b', offset=8), offset=6), offset=2)
    """
    return _Parser(text).parse()


# ---------------------------------------------------------------- names and units

class _Checker:
    """Turn a syntax tree into terms, checking every name and unit."""

    def __init__(self, vocabulary: Vocabulary, norms: NormBook):
        self.vocabulary = vocabulary
        self.norms = norms

    def term(self, tree: Syntax) -> Term:
        if isinstance(tree, Number):
            return Constant(tree.value)
        if isinstance(tree, Name):
            return self.name(tree)
        left, right = self.term(tree.left), self.term(tree.right)
        if tree.op == "×":
            return self.multiply(tree, left, right)
        if left.money != right.money:
            raise FormulaError("unit_add_number", tree.offset, op=tree.op)
        if left.money and left.period != right.period:
            raise FormulaError("unit_add_periods", tree.offset, op=tree.op)
        return Binary(tree.op, left, right, left.money, left.period)

    def multiply(self, tree: Operation, left: Term, right: Term) -> Term:
        if left.money and right.money:
            raise FormulaError("unit_money_times_money", tree.offset)
        money = left.money or right.money
        period = left.period if left.money else right.period
        if money and period == "maand" and _has_factor(tree, MONTHS_PER_YEAR):
            period = "jaar"  # "× 12" makes a monthly amount yearly
        return Binary("×", left, right, money, period)

    def name(self, tree: Name) -> Term:
        norm = self.norms.norms.get(tree.name)
        if norm is not None:
            if norm.unit in PERIOD_OF_UNIT:
                return NormTerm(norm, PERIOD_OF_UNIT[norm.unit])
            if norm.unit in NUMBER_UNITS:
                return NormTerm(norm, None)
            raise FormulaError("unit_norm", tree.offset, norm=norm.id, unit=norm.unit)
        if tree.name in self.vocabulary:
            question = self.vocabulary[tree.name]
            if question.type == "money":
                if question.definition.per is None:
                    raise FormulaError("unit_money_no_period", tree.offset, question=question.id)
                return AnswerTerm(question.id, True, question.definition.per)
            if question.type == "integer" and not question.definition.hele_jaren:
                return AnswerTerm(question.id, False, None)
            raise FormulaError("unit_question", tree.offset, question=question.id, type=question.type)
        options = list(self.norms.norms) + list(self.vocabulary.ids())
        raise FormulaError("formula_unknown_name", tree.offset, name=tree.name,
                           hint=did_you_mean(tree.name, options) or None)


def _has_factor(tree: Syntax, value: Decimal) -> bool:
    """Whether the product ``tree`` has the number ``value`` among its factors (through nested ×)."""
    if isinstance(tree, Number):
        return tree.value == value
    if isinstance(tree, Operation) and tree.op == "×":
        return _has_factor(tree.left, value) or _has_factor(tree.right, value)
    return False


def _first_money(tree: Syntax, checker: _Checker, period: str) -> int:
    """Offset of the first name whose period is ``period`` (where a period mismatch starts)."""
    if isinstance(tree, Name):
        term = checker.name(tree)
        return tree.offset if term.money and term.period == period else -1
    if isinstance(tree, Operation):
        for side in (tree.left, tree.right):
            found = _first_money(side, checker, period)
            if found >= 0:
                return found
    return -1


def compile_formula(text: str, per: str, vocabulary: Vocabulary, norms: NormBook) -> Term:
    """The checked terms of a formula whose result is an amount ``per`` maand or jaar (raises FormulaError)."""
    tree = parse(text)
    checker = _Checker(vocabulary, norms)
    term = checker.term(tree)
    if not term.money:
        raise FormulaError("unit_not_money", 0)
    if term.period != per:
        offset = max(_first_money(tree, checker, term.period), 0)
        raise FormulaError("unit_period_" + per, offset, got=term.period, per=per)
    return term


# ---------------------------------------------------------------- amounts of a catalogue

def compile_amounts(products: dict[str, tuple[models.ProductFile, SourceMap]], vocabulary: Vocabulary,
                    norms: NormBook, broken: frozenset[str] = frozenset()
                    ) -> tuple[dict[str, Amount], list[Diagnostic]]:
    """Every product's ``bedrag`` compiled, and every problem with its place.

    ``broken`` are products whose own file has errors: pointing at one is not a second mistake.
    """
    found: dict[str, Amount] = {}
    problems: list[Diagnostic] = []
    order = {q.id: q.order for q in vocabulary}
    for pid, (pf, source) in products.items():
        amount = pf.bedrag
        if amount is None:
            continue
        here = ("bedrag",)
        if pf.soort not in models.AMOUNT_KINDS:
            problems.append(diagnostic(source, here, "amount_kind_" + pf.soort, prefer_key=True))
            continue
        try:
            term = compile_formula(amount.formule, amount.per, vocabulary, norms)
        except FormulaError as problem:
            details = dict(problem.details)
            hint = details.pop("hint", None)
            line, column = source.position_in(here + ("formule",), problem.offset)
            problems.append(diagnostic(source, here + ("formule",), problem.key, hint=hint, at=(line, column),
                                       **details))
            continue
        contact = getattr(getattr(pf, "contact", None), "naam", "")  # a product file with errors may have none
        found[pid] = Amount(pid, amount.per, term, amount.zin, contact, amount.in_plaats_van, order,
                            Origin(*locate(source, here, prefer_key=True), f"bedrag: {amount.formule}"))
    for pid, (pf, source) in products.items():
        instead = pf.bedrag.in_plaats_van if pf.bedrag is not None else None
        if instead is None or pid not in found or instead in broken:
            continue
        place = ("bedrag", "in_plaats_van")
        if instead == pid:
            problems.append(diagnostic(source, place, "instead_of_itself"))
        elif instead not in products:
            problems.append(diagnostic(source, place, "instead_of_unknown", product=instead,
                                       hint=did_you_mean(instead, [p for p in products if p != pid]) or None))
        elif products[instead][0].bedrag is None:
            problems.append(diagnostic(source, place, "instead_of_no_amount", product=instead))
        elif products[instead][0].bedrag.in_plaats_van is not None:
            problems.append(diagnostic(source, place, "instead_of_chain", product=instead,
                                       other=products[instead][0].bedrag.in_plaats_van))
    return found, problems
