"""Dutch messages for the rule compiler's diagnostics: code, message and default hint per problem.

The compiler reports a problem by key and details (``report(source, path, "unknown_question",
question="leeftijdd")``); the words live here, in one table an editor-facing
change (or a translation) edits without touching the compiler.
"""

from __future__ import annotations

from .errors import Diagnostic
from .yamlio import SourceMap

#: key -> (code, message template, default hint template)
MESSAGES: dict[str, tuple[str, str, str]] = {
    "circular_shared": ("E206", "gedeelde voorwaarden verwijzen in een kring: {cycle}",
                        "haal één van de verwijzingen weg"),
    "at_least_impossible": ("E209", "minstens {count} van {total} voorwaarden kan nooit gelden",
                            "maak het aantal kleiner of voeg voorwaarden toe"),
    "unknown_shared": ("E205", "onbekende gedeelde voorwaarde '{name}'", "zie rules/regels.yaml"),
    "unknown_product": ("E208", "onbekend product '{product}'", "zie de map products/"),
    "unknown_rule_kind": ("E200", "onbekend soort voorwaarde", ""),
    "unknown_question": ("E201", "onbekende vraag '{question}'", "zie rules/vragen.yaml"),
    "operator_type": ("E207", "operator '{op}' past niet bij vraag '{question}' ({type})", "gebruik {allowed}"),
    "boolean_operand": ("E202", "vraag '{question}' is ja/nee; vergelijk met true of false, niet met '{operand}'",
                        ""),
    "unknown_option": ("E203", "'{operand}' is geen keuze van vraag '{question}'", "kies uit: {options}"),
    "number_operand": ("E202", "vraag '{question}' is een getal; vergelijk met een getal, niet met '{operand}'",
                       ""),
    "money_cents": ("E202", "bedrag {operand} heeft meer dan 2 cijfers achter de komma", ""),
    "integer_never_equal": ("E202", "vraag '{question}' is een heel getal; {operand} kan nooit gelijk zijn", ""),
    "norm_operator": ("E207", "met een norm vergelijkt u met >=, >, <= of <", ""),
    "unknown_norm": ("E204", "onbekende norm '{norm}'", "zie rules/normen.yaml"),
    "factor_as_norm": ("E202", "norm '{norm}' is een factor; gebruik hem als 'factor'",
                       "bijvoorbeeld {{norm: bijstandsnorm, factor: {norm}}}"),
    "money_norm_mismatch": ("E202", "vraag '{question}' is {what}, maar norm '{norm}' heeft eenheid {unit}",
                            "vergelijk bedragen met bedragen"),
    "age_norm": ("E202", "norm '{norm}' is een leeftijd; vergelijk hem met de leeftijd", ""),
    "not_a_factor": ("E202", "norm '{norm}' is geen factor (eenheid {unit})", ""),
    "factor_variants": ("E202", "factor-norm '{norm}' mag geen varianten hebben", ""),
    "norm_bound_unknown": ("E204", "norm '{norm}' gebruikt onbekende norm '{bound}'", ""),
}

#: words used inside messages
WHAT = {"money": "een bedrag", "number": "geen bedrag"}


def diagnostic(source: SourceMap, path: tuple, key: str, *, hint: str | None = None, **details) -> Diagnostic:
    """The diagnostic for problem ``key`` at ``path``; ``hint`` replaces the default hint when given."""
    code, message, default_hint = MESSAGES[key]
    return source.diagnostic(path, code, message.format(**details), hint or default_hint.format(**details))


def either(options) -> str:
    """'a' of 'b' of 'c', for "gebruik ..." hints.

    >>> either(["=", "!="])
    "'=' of '!='"
    """
    return " of ".join(f"'{o}'" for o in options)


def rule_label(model) -> str:
    """How a rule node reads in the rule language, for editors' reports (``catalogus coverage``)."""
    from . import models

    if isinstance(model, models.AllOf):
        return f"alle ({len(model.alle)} voorwaarden)"
    if isinstance(model, models.AnyOf):
        return f"een_van ({len(model.een_van)} voorwaarden)"
    if isinstance(model, models.Not):
        return "niet: " + rule_label(model.niet)
    if isinstance(model, models.AtLeast):
        return f"minstens {model.minstens} van {len(model.van)}"
    if isinstance(model, models.SharedRef):
        return f"regel: {model.regel}"
    if isinstance(model, models.ProductRef):
        return f"product: {model.product}"
    operand = model.operand
    if isinstance(operand, models.NormRef):
        text = operand.norm if operand.factor is None else f"{operand.factor} × {operand.norm}"
    elif isinstance(operand, bool):
        text = "true" if operand else "false"
    elif isinstance(operand, list):
        text = "[" + ", ".join(str(v) for v in operand) + "]"
    else:
        text = str(operand)
    return f"{model.vraag} {model.operator} {text}"
