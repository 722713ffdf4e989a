"""Compile content rules (pydantic rule nodes) into evaluable nodes, once, at load time.

Every problem is reported with its file, line and column; a node with an error
compiles to None so one mistake never hides the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import models
from .errors import Diagnostic, did_you_mean
from .norms import NormBook, decimal
from .questions import Vocabulary
from .rules import AllOf, AnyOf, AtLeast, Comparison, Named, Node, Not, ProductIs
from .yamlio import SourceMap


@dataclass
class NamedSource:
    """A named rule waiting to be compiled, with where it was written."""

    name: str
    summary: str
    model: Any  # a pydantic RuleNode
    source: SourceMap
    path: tuple
    explanation: models.Explanation | None = None
    reference: str | None = None


class Compiler:
    """Turn pydantic rule nodes into compiled nodes, reporting every problem with its place."""

    def __init__(self, vocabulary: Vocabulary, norms: NormBook, named: dict[str, NamedSource],
                 product_titles: dict[str, str], broken_products: frozenset[str] = frozenset()):
        self.vocabulary = vocabulary
        self.norms = norms
        self.named = named
        self.product_titles = product_titles
        # Products whose own file has errors: references to them are not a second mistake.
        self.broken_products = broken_products
        self.diagnostics: list[Diagnostic] = []
        self.compiled_named: dict[str, Node | None] = {}
        self.product_refs: dict[str, set[str]] = {}
        self._stack: list[str] = []

    def error(self, source: SourceMap, path: tuple, code: str, message: str, hint: str = "") -> None:
        self.diagnostics.append(source.diagnostic(path, code, message, hint))

    def compile_named(self, name: str, source: SourceMap | None = None, path: tuple = ()) -> Node | None:
        if name in self.compiled_named:
            return self.compiled_named[name]
        if name in self._stack:
            cycle = " -> ".join(self._stack[self._stack.index(name):] + [name])
            entry = self.named[name]
            self.error(entry.source, entry.path, "E206", f"gedeelde voorwaarden verwijzen in een kring: {cycle}",
                       "haal één van de verwijzingen weg")
            return None
        entry = self.named[name]
        self._stack.append(name)
        try:
            target = self.compile(entry.model, entry.source, entry.path)
        finally:
            self._stack.pop()
        node = None if target is None else Named(name, entry.summary, target, entry.explanation, entry.reference)
        self.compiled_named[name] = node
        return node

    def compile(self, model: Any, source: SourceMap, path: tuple, owner: str | None = None) -> Node | None:
        """Compile one pydantic rule node; None when it has errors (already reported)."""
        node = self._compile(model, source, path, owner)
        if node is not None and getattr(model, "uitleg", None) is not None and not isinstance(node, Named):
            node.explanation = model.uitleg
        elif node is not None and isinstance(node, Named) and getattr(model, "uitleg", None) is not None:
            node = Named(node.name, node.summary, node.target, model.uitleg, node.source)
        return node

    def _compile_all(self, parts, source, path, key, owner):
        compiled = [self.compile(p, source, path + (key, i), owner) for i, p in enumerate(parts)]
        return None if any(c is None for c in compiled) else compiled

    def _compile(self, model, source, path, owner):
        if isinstance(model, models.AllOf):
            parts = self._compile_all(model.alle, source, path, "alle", owner)
            return None if parts is None else AllOf(parts)
        if isinstance(model, models.AnyOf):
            parts = self._compile_all(model.een_van, source, path, "een_van", owner)
            return None if parts is None else AnyOf(parts)
        if isinstance(model, models.Not):
            part = self.compile(model.niet, source, path + ("niet",), owner)
            return None if part is None else Not(part)
        if isinstance(model, models.AtLeast):
            parts = self._compile_all(model.van, source, path, "van", owner)
            if parts is not None and model.minstens > len(parts):
                self.error(source, path + ("minstens",), "E209",
                           f"minstens {model.minstens} van {len(parts)} voorwaarden kan nooit gelden",
                           "maak het aantal kleiner of voeg voorwaarden toe")
                return None
            return None if parts is None else AtLeast(model.minstens, parts)
        if isinstance(model, models.SharedRef):
            if model.regel not in self.named:
                self.error(source, path + ("regel",), "E205", f"onbekende gedeelde voorwaarde '{model.regel}'",
                           did_you_mean(model.regel, self.named) or "zie rules/regels.yaml")
                return None
            return self.compile_named(model.regel, source, path)
        if isinstance(model, models.ProductRef):
            if model.product in self.broken_products:
                return None
            if model.product not in self.product_titles:
                self.error(source, path + ("product",), "E208", f"onbekend product '{model.product}'",
                           did_you_mean(model.product, self.product_titles) or "zie de map products/")
                return None
            if owner is not None:
                self.product_refs.setdefault(owner, set()).add(model.product)
            return ProductIs(model.product, self.product_titles[model.product])
        if isinstance(model, models.Comparison):
            return self._comparison(model, source, path)
        self.error(source, path, "E200", "onbekend soort voorwaarde")  # pragma: no cover
        return None

    def _comparison(self, model: models.Comparison, source: SourceMap, path: tuple) -> Node | None:
        if model.vraag not in self.vocabulary:
            self.error(source, path + ("vraag",), "E201", f"onbekende vraag '{model.vraag}'",
                       did_you_mean(model.vraag, self.vocabulary.ids()) or "zie rules/vragen.yaml")
            return None
        question = self.vocabulary[model.vraag]
        op, operand = model.operator, model.operand
        here = path + (op,)
        allowed = {
            "boolean": ("=", "!="),
            "choice": ("=", "!=", "in"),
            "multi": ("bevat", "bevat_iets_anders_dan"),
            "integer": ("=", "!=", ">=", ">", "<=", "<"),
            "money": ("=", "!=", ">=", ">", "<=", "<"),
        }[question.type]
        if op not in allowed:
            self.error(source, here, "E207", f"operator '{op}' past niet bij vraag '{question.id}' ({question.type})",
                       "gebruik " + " of ".join(f"'{a}'" for a in allowed))
            return None
        explanation = model.uitleg
        if question.type == "boolean":
            if not isinstance(operand, bool):
                self.error(source, here, "E202", f"vraag '{question.id}' is ja/nee; vergelijk met true of false, niet met '{operand}'")
                return None
            return Comparison(question, op, operand, explanation=explanation)
        if question.type in ("choice", "multi"):
            values = operand if op == "in" else [operand]
            for i, value in enumerate(values):
                if not isinstance(value, str) or value not in question.options:
                    place = here + ((i,) if op == "in" else ())
                    self.error(source, place, "E203", f"'{value}' is geen keuze van vraag '{question.id}'",
                               did_you_mean(str(value), question.options) or "kies uit: " + ", ".join(question.options))
                    return None
            return Comparison(question, op, tuple(values) if op == "in" else operand, explanation=explanation)
        # integer and money
        if isinstance(operand, models.NormRef):
            return self._norm_comparison(model, question, op, operand, source, here)
        if isinstance(operand, bool) or not isinstance(operand, (int, float)):
            self.error(source, here, "E202", f"vraag '{question.id}' is een getal; vergelijk met een getal, niet met '{operand}'")
            return None
        if question.type == "money":
            cents = decimal(operand) * 100
            if cents != cents.to_integral_value():
                self.error(source, here, "E202", f"bedrag {operand} heeft meer dan 2 cijfers achter de komma")
                return None
            constant: Any = int(cents)
        else:
            if op in ("=", "!=") and not float(operand).is_integer():
                self.error(source, here, "E202", f"vraag '{question.id}' is een heel getal; {operand} kan nooit gelijk zijn")
                return None
            constant = int(operand) if float(operand).is_integer() else decimal(operand)
        return Comparison(question, op, constant, explanation=explanation)

    def _norm_comparison(self, model, question, op, ref: models.NormRef, source, here) -> Node | None:
        if op not in models.ORDERING_OPERATORS:
            self.error(source, here, "E207", "met een norm vergelijkt u met >=, >, <= of <")
            return None
        norm = self.norms.norms.get(ref.norm)
        if norm is None:
            self.error(source, here + ("norm",), "E204", f"onbekende norm '{ref.norm}'",
                       did_you_mean(ref.norm, self.norms.norms) or "zie rules/normen.yaml")
            return None
        if norm.unit == "factor":
            self.error(source, here + ("norm",), "E202", f"norm '{norm.id}' is een factor; gebruik hem als 'factor'",
                       f"bijvoorbeeld {{norm: bijstandsnorm, factor: {norm.id}}}")
            return None
        if (question.type == "money") != norm.is_money:
            kind = "een bedrag" if question.type == "money" else "geen bedrag"
            self.error(source, here + ("norm",), "E202",
                       f"vraag '{question.id}' is {kind}, maar norm '{norm.id}' heeft eenheid {norm.unit}",
                       "vergelijk bedragen met bedragen")
            return None
        if norm.unit == "jaren" and not question.definition.hele_jaren:
            self.error(source, here + ("norm",), "E202", f"norm '{norm.id}' is een leeftijd; vergelijk hem met de leeftijd")
            return None
        factor: Decimal | str | None = None
        if isinstance(ref.factor, str):
            factor_norm = self.norms.norms.get(ref.factor)
            if factor_norm is None:
                self.error(source, here + ("factor",), "E204", f"onbekende norm '{ref.factor}'",
                           did_you_mean(ref.factor, self.norms.norms) or "zie rules/normen.yaml")
                return None
            if factor_norm.unit != "factor":
                self.error(source, here + ("factor",), "E202",
                           f"norm '{ref.factor}' is geen factor (eenheid {factor_norm.unit})")
                return None
            if any(v.variants for v in factor_norm.values):
                self.error(source, here + ("factor",), "E202", f"factor-norm '{ref.factor}' mag geen varianten hebben")
                return None
            factor = ref.factor
        elif ref.factor is not None:
            factor = decimal(ref.factor)
        for dated in norm.values:
            if dated.variants is None:
                continue
            for variant in dated.variants:
                for bound in (variant.age_from, variant.age_to):
                    if isinstance(bound, str) and bound not in self.norms.norms:
                        self.error(source, here + ("norm",), "E204", f"norm '{norm.id}' gebruikt onbekende norm '{bound}'")
                        return None
        return Comparison(question, op, None, norm=norm, factor=factor, norm_book=self.norms,
                          explanation=model.uitleg)
