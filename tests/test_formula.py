"""The amount formula language: parsing without eval, names checked with a hint, units that must fit."""

from __future__ import annotations

import pytest

from catalogus.catalog import load_catalog
from catalogus.formula import FormulaError, parse, tokens
from tests.support.tiny import NORMS, QUESTIONS, TODAY, product, write_tree

EXTRA_QUESTIONS = {**QUESTIONS, "kinderen": {"type": "integer", "min": 0, "max": 15, "tekst": "Hoeveel kinderen?",
                                             "kort": "Kinderen", "onderwerp": "Het aantal kinderen"},
                   "spaargeld": {"type": "money", "tekst": "Hoeveel spaargeld?", "kort": "Spaargeld",
                                 "onderwerp": "Uw spaargeld"}}
EXTRA_NORMS = {
    **NORMS,
    "budget": {"titel": "budget", "eenheid": "euro_per_jaar",
               "waarden": [{"geldig_vanaf": "2026-01-01", "waarde": 100, "bron": "Testbesluit"}]},
    "premie": {"titel": "premie", "eenheid": "euro_per_maand",
               "waarden": [{"geldig_vanaf": "2026-01-01", "waarde": 20, "bron": "Testbesluit"}]},
    "grens": {"titel": "grens", "eenheid": "euro",
              "waarden": [{"geldig_vanaf": "2026-01-01", "waarde": 8000, "bron": "Testbesluit"}]},
    "uren": {"titel": "uren", "eenheid": "uren_per_week",
             "waarden": [{"geldig_vanaf": "2026-01-01", "waarde": 8, "bron": "Testbesluit"}]},
}
RULE = {"vraag": "woont_in_gemeente", "=": True}


def problems(tmp_path, amount: dict, *, kind: str = "provision") -> list[str]:
    """Load a one-product catalogue with this ``bedrag`` and return the diagnostics as text."""
    root = write_tree(tmp_path, products={"regeling": product(RULE, kind=kind, bedrag=amount)},
                      questions=EXTRA_QUESTIONS, norms=EXTRA_NORMS)
    catalog, diagnostics = load_catalog(root, today=TODAY)
    assert (catalog is None) == any(d.is_error for d in diagnostics)
    return [str(d) for d in diagnostics]


def test_tokens_accept_the_signs_editors_type():
    assert [t[1] for t in tokens("a − b – c * 2 × (d + e)")] == ["a", "-", "b", "-", "c", "×", "2", "×", "(", "d",
                                                                 "+", "e", ")"]


def test_multiplication_binds_tighter_than_addition():
    tree = parse("a + b × c - d")
    assert tree.op == "-" and tree.left.op == "+" and tree.left.right.op == "×"


@pytest.mark.parametrize("text, key, offset", [
    ("", "formula_empty", 0),
    ("a +", "formula_ends", 3),
    ("a b", "formula_unexpected", 2),
    ("(a + b", "formula_unclosed", 0),
    ("a + b)", "formula_unmatched_close", 5),
    ("a / 12", "formula_character", 2),
    ("__import__('os')", "formula_character", 0),
    ("a + -b", "formula_unexpected", 4),
])
def test_a_formula_that_cannot_be_read_says_where(text, key, offset):
    with pytest.raises(FormulaError) as raised:
        parse(text)
    assert (raised.value.key, raised.value.offset) == (key, offset)


def test_a_valid_amount_loads_without_diagnostics(tmp_path):
    assert problems(tmp_path, {"per": "jaar", "formule": "budget + premie × 12 × kinderen"}) == []


@pytest.mark.parametrize("amount, words", [
    ({"per": "maand", "formule": "bijstandsnorm - netto_inkomn"},
     ["E801", "'netto_inkomn'", "bedoelde u 'netto_inkomen'"]),
    ({"per": "jaar", "formule": "budget + premie"}, ["E803", "per maand en een bedrag per jaar", "× 12"]),
    ({"per": "jaar", "formule": "premie"}, ["E803", "per maand, maar het bedrag is per jaar", "× 12"]),
    ({"per": "maand", "formule": "budget"}, ["E803", "per jaar, maar het bedrag is per maand", "per: jaar"]),
    ({"per": "maand", "formule": "premie × premie"}, ["E803", "twee bedragen"]),
    ({"per": "maand", "formule": "premie + 2"}, ["E803", "een bedrag en een getal"]),
    ({"per": "maand", "formule": "2 × kinderen"}, ["E803", "geeft geen bedrag", "bron"]),
    ({"per": "maand", "formule": "grens"}, ["E803", "'grens' (eenheid euro)"]),
    ({"per": "maand", "formule": "uren × premie"}, ["E803", "'uren'", "uren_per_week"]),
    ({"per": "maand", "formule": "spaargeld"}, ["E803", "'spaargeld'", "zonder periode"]),
    ({"per": "maand", "formule": "premie × leeftijd"}, ["E803", "'leeftijd'", "geen bedrag of aantal"]),
    ({"per": "maand", "formule": "premie × schulden"}, ["E803", "'schulden' (boolean)"]),
])
def test_names_and_units_are_checked_at_load_time(tmp_path, amount, words):
    found = problems(tmp_path, amount)
    assert len(found) == 1, found
    for word in words:
        assert word in found[0], found[0]


def test_a_monthly_amount_times_twelve_is_yearly(tmp_path):
    assert problems(tmp_path, {"per": "jaar", "formule": "12 × premie"}) == []
    assert problems(tmp_path, {"per": "jaar", "formule": "(premie - netto_inkomen) × 12"}) == []


def test_the_column_points_at_the_character_in_the_formula(tmp_path):
    (found,) = problems(tmp_path, {"per": "maand", "formule": "premie + premie × budgett"})
    path, line, column = found.split(":")[:3]
    source = (tmp_path / path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    assert source[int(column) - 1:].startswith("budgett")


def test_a_referral_or_collective_service_carries_no_amount(tmp_path):
    (referral,) = problems(tmp_path, {"per": "maand", "formule": "premie"}, kind="referral")
    assert "E804" in referral and "proefberekening" in referral
    (collective,) = problems(tmp_path / "c", {"per": "maand", "formule": "premie"}, kind="collective")
    assert "E804" in collective and "collectieve voorziening" in collective


def test_the_closing_sentence_needs_the_amount_placeholder(tmp_path):
    (found,) = problems(tmp_path, {"per": "maand", "formule": "premie", "zin": "U krijgt dus ongeveer iets."})
    assert "E104" in found and "{bedrag}" in found


def test_in_plaats_van_must_name_another_product_with_an_amount(tmp_path):
    def load(products):
        root = write_tree(tmp_path, products=products, questions=EXTRA_QUESTIONS, norms=EXTRA_NORMS)
        return [str(d) for d in load_catalog(root, today=TODAY)[1]]

    amount = {"per": "maand", "formule": "premie"}
    itself = load({"a": product(RULE, bedrag={**amount, "in_plaats_van": "a"})})
    assert any("E805" in d and "zichzelf" in d for d in itself)
    without = load({"a": product(RULE, bedrag={**amount, "in_plaats_van": "b"}), "b": product(RULE)})
    assert any("E805" in d and "'b' heeft geen bedrag" in d for d in without)
    chain = load({"a": product(RULE, bedrag={**amount, "in_plaats_van": "b"}),
                  "b": product(RULE, bedrag={**amount, "in_plaats_van": "c"}), "c": product(RULE, bedrag=amount)})
    assert any("E805" in d and "komt zelf al in plaats van 'c'" in d for d in chain)
