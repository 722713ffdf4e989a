"""Compile content rules (pydantic rule nodes) into evaluable nodes, once, at load time.

Every problem is reported with its file, line and column (the words are in
``messages``); a node with an error compiles to None so one mistake never hides
the others. Every compiled node remembers where it was written (``Node.origin``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import models
from .errors import Diagnostic, did_you_mean
from .messages import WHAT, diagnostic, either, rule_label
from .norms import NormBook, decimal
from .questions import Vocabulary
from .rules import AllOf, AnyOf, AtLeast, Comparison, Named, Node, Not, Origin, ProductIs, Reference
from .yamlio import SourceMap, locate


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
    domain: bool = False  # a life domain of the routing rules


class Compiler:
    """Turn pydantic rule nodes into compiled nodes, reporting every problem with its place."""

    def __init__(self, vocabulary: Vocabulary, norms: NormBook, named: dict[str, NamedSource],
                 product_titles: dict[str, str], broken_products: frozenset[str] = frozenset(), *,
                 norms_known: bool = True, names_known: bool = True):
        self.vocabulary = vocabulary
        self.norms = norms
        self.named = named
        self.product_titles = product_titles
        # Products whose own file has errors: references to them are not a second mistake.
        self.broken_products = broken_products
        # False when the file that defines them does not load: an unknown norm or shared rule is then no
        # mistake we can name; the node is skipped (the checker says once what it could not check).
        self.norms_known = norms_known
        self.names_known = names_known
        self.diagnostics: list[Diagnostic] = []
        self.compiled_named: dict[str, Named | None] = {}
        self.product_refs: dict[str, set[str]] = {}
        self._stack: list[str] = []

    def report(self, source: SourceMap, path: tuple, key: str, *, hint: str | None = None, **details) -> None:
        self.diagnostics.append(diagnostic(source, path, key, hint=hint, **details))

    def compile_named(self, name: str) -> Named | None:
        if name in self.compiled_named:
            return self.compiled_named[name]
        entry = self.named[name]
        if name in self._stack:
            cycle = " -> ".join(self._stack[self._stack.index(name):] + [name])
            self.report(entry.source, entry.path, "circular_shared", cycle=cycle)
            return None
        self._stack.append(name)
        try:
            target = self.compile(entry.model, entry.source, entry.path)
        finally:
            self._stack.pop()
        node = None
        if target is not None:
            node = Named(name, entry.summary, target, entry.explanation, entry.reference, domain=entry.domain)
            node.origin = Origin(*locate(entry.source, entry.path[:-1], prefer_key=True), name)
        self.compiled_named[name] = node
        return node

    def compile(self, model: Any, source: SourceMap, path: tuple, owner: str | None = None) -> Node | None:
        """Compile one pydantic rule node; None when it has errors (already reported)."""
        node = self._compile(model, source, path, owner)
        if node is None:
            return None
        if getattr(model, "uitleg", None) is not None and not isinstance(node, Reference):
            node.explanation = model.uitleg
        node.origin = Origin(*locate(source, path), rule_label(model))
        return node.seal()

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
                self.report(source, path + ("minstens",), "at_least_impossible", count=model.minstens,
                            total=len(parts))
                return None
            return None if parts is None else AtLeast(model.minstens, parts)
        if isinstance(model, models.SharedRef):
            if model.regel not in self.named:
                if not self.names_known:
                    return None
                self.report(source, path + ("regel",), "unknown_shared", name=model.regel,
                            hint=did_you_mean(model.regel, self.named) or None)
                return None
            target = self.compile_named(model.regel)
            return None if target is None else Reference(target, model.uitleg)
        if isinstance(model, models.ProductRef):
            if model.product in self.broken_products:
                return None
            if model.product not in self.product_titles:
                self.report(source, path + ("product",), "unknown_product", product=model.product,
                            hint=did_you_mean(model.product, self.product_titles) or None)
                return None
            if owner is not None:
                self.product_refs.setdefault(owner, set()).add(model.product)
            return ProductIs(model.product)
        if isinstance(model, models.Comparison):
            return self._comparison(model, source, path)
        self.report(source, path, "unknown_rule_kind")  # pragma: no cover - guarded by the model
        return None

    def _comparison(self, model: models.Comparison, source: SourceMap, path: tuple) -> Node | None:
        if model.vraag not in self.vocabulary:
            self.report(source, path + ("vraag",), "unknown_question", question=model.vraag,
                        hint=did_you_mean(model.vraag, self.vocabulary.ids()) or None)
            return None
        question = self.vocabulary[model.vraag]
        kind = question.kind
        op, operand = model.operator, model.operand
        here = path + (op,)
        if op not in kind.operators:
            self.report(source, here, "operator_type", op=op, question=question.id, type=question.type,
                        allowed=either(kind.operators))
            return None
        if isinstance(operand, models.NormRef) and kind.numeric:
            return self._norm_comparison(model, question, op, operand, source, here)
        values = operand if op == "in" else [operand]
        constants = []
        for i, value in enumerate(values):
            try:
                constants.append(kind.constant(question, value))
            except ValueError as problem:
                key = str(problem)
                place = here + ((i,) if op == "in" else ())
                hint = None
                if key == "unknown_option":
                    hint = did_you_mean(str(value), question.options) or None
                self.report(source, place, key, question=question.id, operand=value,
                            options=", ".join(question.options), hint=hint)
                return None
        constant = tuple(constants) if op == "in" else constants[0]
        # Only rules whose reasons people read (products, shared rules, routing); not a question's alleen_als
        # or a step's als, which only decide what is asked.
        if op in ("!=", "bevat_iets_anders_dan") and question.definition.opties and path[:1] not in (
                ("vragen",), ("stappen",)):
            option = question.definition.opties.get(constant)
            if option is not None and option.zin_niet is None and model.uitleg is None:
                # Without it a reason can only say "Werk: niet 'ik studeer'." instead of "U studeert niet."
                self.report(source, here, "option_without_negation", question=question.id, option=constant)
        if op in ("=", "!=") and isinstance(constant, Decimal):  # a fraction never equals a whole number
            self.report(source, here, "integer_never_equal", question=question.id, operand=operand)
            return None
        return Comparison(question, op, constant, explanation=model.uitleg)

    def _norm_comparison(self, model, question, op, ref: models.NormRef, source, here) -> Node | None:
        if op not in models.ORDERING_OPERATORS:
            self.report(source, here, "norm_operator")
            return None
        norm = self.norms.norms.get(ref.norm)
        if norm is None:
            if not self.norms_known:
                return None
            self.report(source, here + ("norm",), "unknown_norm", norm=ref.norm,
                        hint=did_you_mean(ref.norm, self.norms.norms) or None)
            return None
        if norm.unit == "factor":
            self.report(source, here + ("norm",), "factor_as_norm", norm=norm.id)
            return None
        if question.kind.money != norm.is_money:
            self.report(source, here + ("norm",), "money_norm_mismatch", question=question.id, norm=norm.id,
                        unit=norm.unit, what=WHAT["money" if question.kind.money else "number"])
            return None
        if norm.unit == "jaren" and not question.definition.hele_jaren:
            self.report(source, here + ("norm",), "age_norm", norm=norm.id)
            return None
        factor: Decimal | str | None = None
        if isinstance(ref.factor, str):
            factor_norm = self.norms.norms.get(ref.factor)
            if factor_norm is None:
                self.report(source, here + ("factor",), "unknown_norm", norm=ref.factor,
                            hint=did_you_mean(ref.factor, self.norms.norms) or None)
                return None
            if factor_norm.unit != "factor":
                self.report(source, here + ("factor",), "not_a_factor", norm=ref.factor, unit=factor_norm.unit)
                return None
            if any(v.variants for v in factor_norm.values):
                self.report(source, here + ("factor",), "factor_variants", norm=ref.factor)
                return None
            factor = ref.factor
        elif ref.factor is not None:
            factor = decimal(ref.factor)
        for dated in norm.values:
            for variant in dated.variants or ():
                for bound in (variant.age_from, variant.age_to):
                    if isinstance(bound, str) and bound not in self.norms.norms:
                        self.report(source, here + ("norm",), "norm_bound_unknown", norm=norm.id, bound=bound)
                        return None
        return Comparison(question, op, None, norm=norm, factor=factor, norm_book=self.norms,
                          explanation=model.uitleg)
