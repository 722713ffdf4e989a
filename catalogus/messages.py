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
    "option_without_negation": ("W210", "keuze '{option}' van vraag '{question}' heeft geen 'zin_niet'",
                                "zet in rules/vragen.yaml bij '{option}' een zin als 'zin_niet: U studeert niet.', "
                                "dan leest de reden als een gewone zin"),
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
    # amounts (bedrag: formule)
    "formula_unknown_name": ("E801", "onbekende norm of vraag '{name}' in de formule",
                             "gebruik een norm uit rules/normen.yaml of een vraag uit rules/vragen.yaml"),
    "formula_character": ("E802", "teken '{char}' kan niet in een formule",
                          "gebruik namen, getallen met een punt (0.5), +, -, × en haakjes"),
    "formula_empty": ("E802", "de formule is leeg", "bijvoorbeeld: bijstandsnorm - netto_inkomen"),
    "formula_ends": ("E802", "de formule houdt op na '{after}'", "zet er een norm, vraag of getal achter"),
    "formula_unexpected": ("E802", "'{token}' staat op een plek waar een norm, vraag of getal hoort",
                           "tussen twee namen of getallen hoort +, - of ×"),
    "formula_unclosed": ("E802", "haakje '(' wordt niet gesloten", "zet er een ')' achter"),
    "formula_unmatched_close": ("E802", "haakje ')' zonder '(' ervoor", "haal het haakje weg"),
    "unit_norm": ("E803", "norm '{norm}' (eenheid {unit}) kan niet in een bedrag",
                  "gebruik een norm in euro_per_maand of euro_per_jaar, een factor of een aantal"),
    "unit_money_no_period": ("E803", "vraag '{question}' is een bedrag zonder periode (per maand of per jaar)",
                             "alleen bedragen met 'per:' in rules/vragen.yaml passen in een formule"),
    "unit_question": ("E803", "vraag '{question}' ({type}) is geen bedrag of aantal",
                      "gebruik een vraag van type money of integer (geen leeftijd)"),
    "unit_add_number": ("E803", "'{op}' telt een bedrag en een getal bij elkaar op",
                        "een getal zonder eenheid kan alleen vermenigvuldigen, bijvoorbeeld 2 × norm"),
    "unit_add_periods": ("E803", "'{op}' telt een bedrag per maand en een bedrag per jaar bij elkaar op",
                         "zet × 12 bij het maandbedrag"),
    "unit_money_times_money": ("E803", "twee bedragen met elkaar vermenigvuldigen kan niet",
                               "vermenigvuldig een bedrag met een getal of een aantal"),
    "unit_not_money": ("E803", "de formule geeft geen bedrag",
                       "gebruik een norm in euro's uit rules/normen.yaml: een bedrag heeft altijd een bron"),
    "unit_period_jaar": ("E803", "de formule geeft een bedrag per {got}, maar het bedrag is per {per}",
                         "zet × 12 in de formule, of maak er 'per: maand' van"),
    "unit_period_maand": ("E803", "de formule geeft een bedrag per {got}, maar het bedrag is per {per}",
                          "maak er 'per: jaar' van"),
    "amount_kind_referral": ("E804", "een verwijzing heeft geen bedrag: een andere organisatie rekent het uit",
                             "haal 'bedrag' weg en link met 'proefberekening' naar hun eigen berekening"),
    "amount_kind_collective": ("E804", "een collectieve voorziening heeft geen bedrag: die is gratis of hulp",
                               "haal 'bedrag' weg, of maak er soort: provision van als de gemeente geld geeft"),
    "instead_of_itself": ("E805", "een product kan niet in plaats van zichzelf komen", "noem een ander product"),
    "instead_of_unknown": ("E805", "onbekend product '{product}' bij in_plaats_van", "zie de map products/"),
    "instead_of_no_amount": ("E805", "product '{product}' heeft geen bedrag, dus niets om te vervangen",
                             "geef '{product}' een bedrag of haal in_plaats_van weg"),
    "instead_of_chain": ("E805", "product '{product}' komt zelf al in plaats van '{other}'",
                         "laat dit product in plaats van '{other}' komen"),
    "example_amount": ("E503", "voorbeeld '{name}' toont als bedrag: {got}; verwacht: {expected}", "{why}"),
    # a region (gemeenten/)
    "region_file_missing": ("E901", "de map gemeenten/ heeft geen regio.yaml",
                            "maak gemeenten/regio.yaml met naam, standaard en centrumgemeente"),
    "municipality_file_missing": ("E901", "de map {folder} heeft geen gemeente.yaml",
                                  "maak {folder}/gemeente.yaml, of haal de map weg"),
    "unknown_municipality": ("E902", "onbekende gemeente '{municipality}'", "{hint}"),
    "overlay_unknown_product": ("E903", "product '{product}' bestaat niet in products/", "{hint}"),
    "overlay_unknown_norm": ("E904", "norm '{norm}' bestaat niet in rules/normen.yaml", "{hint}"),
    "unknown_contact": ("E905", "contact '{contact}' staat niet onder contacten: in gemeente.yaml", "{hint}"),
    "own_product_clash": ("E906", "product '{product}' bestaat al in products/",
                          "geef het een eigen id, of verander het product met 'producten: {product}:' in "
                          "gemeente.yaml"),
    "contact_without_region": ("E907", "'contact: {contact}' verwijst naar een contact van de gemeente, maar er is "
                               "geen map gemeenten/", "schrijf het contact voluit (naam, telefoon, ...)"),
    "team_missing": ("E103", "verplicht veld 'wijkteam' ontbreekt",
                     "zet het wijkteam in rules/routering.yaml, of in een regio in gemeenten/<id>/gemeente.yaml"),
    "placeholder_without_value": ("E908", "'{{{name}}}' heeft hier geen waarde",
                                  "{hint}"),
    "unknown_placeholder": ("E908", "'{{{name}}}' is geen plaatshouder", "{hint}"),
    "overlay_not_a_block": ("E104", "de wijzigingen van product '{product}' moeten een blok met velden zijn",
                            "bijvoorbeeld: {product}: {{titel: Dorpshuis De Linde}}"),
    "example_amount_none": ("E503", "voorbeeld '{name}' verwacht een bedrag, maar dit product heeft geen bedrag",
                            "haal verwacht_bedrag weg of geef het product een bedrag"),
}

#: words used inside messages
WHAT = {"money": "een bedrag", "number": "geen bedrag"}


def diagnostic(source: SourceMap, path: tuple, key: str, *, hint: str | None = None, prefer_key: bool = False,
               at: tuple[int, int] | None = None, **details) -> Diagnostic:
    """The diagnostic for problem ``key`` at ``path`` (or at ``at``: line and column inside a value)."""
    code, message, default_hint = MESSAGES[key]
    found = source.diagnostic(path, code, message.format(**details), hint or default_hint.format(**details),
                              prefer_key=prefer_key, severity="warning" if code.startswith("W") else "error")
    if at is not None:
        return Diagnostic(found.path, at[0], at[1], found.code, found.message, found.hint, found.severity)
    return found


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
