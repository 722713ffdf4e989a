"""Amounts in the check pipeline: three-valued, rounded once, memoised, totalled with alternatives counted once.

Engine tests on small synthetic catalogues; the policy's own worked examples are in test_amounts_policy.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

from catalogus.amounts import amount_table
from catalogus.check import Check
from tests.support.tiny import NORMS, QUESTIONS, TODAY, product, tiny_catalog

QUESTIONS_WITH_KIDS = {**QUESTIONS, "kinderen": {"type": "integer", "min": 0, "max": 15, "tekst": "Hoeveel kinderen?",
                                                 "kort": "Kinderen", "onderwerp": "Het aantal kinderen"}}
SOURCE = "Testbesluit"
AMOUNT_NORMS = {
    **NORMS,
    "premie": {"titel": "premie", "eenheid": "euro_per_maand",
               "waarden": [{"geldig_vanaf": "2026-01-01", "waarde": 20.05, "bron": SOURCE}]},
    "per_kind": {"titel": "bedrag per kind", "lidwoord": "het", "eenheid": "euro_per_jaar",
                 "waarden": [{"geldig_vanaf": "2026-01-01", "waarde": 100, "bron": SOURCE},
                             {"geldig_vanaf": "2027-01-01", "waarde": 150, "bron": SOURCE}]},
    "volwassenen": {"titel": "aantal volwassenen", "lidwoord": "het", "eenheid": "aantal", "waarden": [
        {"geldig_vanaf": "2026-01-01", "bron": SOURCE, "varianten": [
            {"leefsituatie": ["alleenstaand"], "waarde": 1}, {"leefsituatie": ["samenwonend"], "waarde": 2}]}]},
}
RESIDENT = {"vraag": "woont_in_gemeente", "=": True}
BELOW_NORM = {"alle": [RESIDENT, {"vraag": "netto_inkomen", "<": {"norm": "bijstandsnorm"}}]}
TOP_UP = {"per": "maand", "formule": "bijstandsnorm - netto_inkomen", "zin": "U krijgt dus ongeveer {bedrag} aanvulling."}


def catalog_with(tmp_path, **products):
    return tiny_catalog(tmp_path, products=products, questions=QUESTIONS_WITH_KIDS, norms=AMOUNT_NORMS)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    return catalog_with(
        tmp_path_factory.mktemp("amounts"),
        aanvulling=product(BELOW_NORM, title="Aanvulling", bedrag=TOP_UP),
        oudere=product(BELOW_NORM, title="Oudere", bedrag={**TOP_UP, "in_plaats_van": "aanvulling"}),
        pas=product(RESIDENT, title="Pas", bedrag={"per": "jaar", "formule": "per_kind × kinderen"}),
        premie=product(RESIDENT, title="Premie", bedrag={"per": "maand", "formule": "premie × 0.5 + premie × 0.5"}),
        helft=product(RESIDENT, title="Helft", bedrag={"per": "maand", "formule": "premie × 0.5 × volwassenen"}),
        dienst=product({"vraag": "schulden", "=": True}, kind="collective", title="Dienst"),
    )


def settle(catalog, answers, date=TODAY):
    return Check(catalog, date).settle(answers)


def amount(catalog, answers, pid, date=TODAY):
    return settle(catalog, answers, date).result(pid).amount


def test_an_amount_is_determined_when_the_answers_fix_every_figure(catalog):
    result = settle(catalog, {"woont_in_gemeente": True, "leeftijd": 45, "leefsituatie": "alleenstaand",
                              "netto_inkomen": 900})
    got = result.result("aanvulling").amount
    assert (got.cents, got.period, got.depends_on) == (50150, "maand", ())
    assert result.texts([got.reason]) == [
        "De bijstandsnorm voor u is € 1.401,50. Uw inkomen is € 900. U krijgt dus ongeveer € 501,50 per maand "
        "aanvulling."]
    assert result.amount_text(got).endswith("Dit is een indicatie. Team Test beslist over het echte bedrag.")


def test_a_19_year_olds_norm_is_fixed_without_leefsituatie(catalog):
    got = amount(catalog, {"woont_in_gemeente": True, "leeftijd": 19, "netto_inkomen": 100}, "aanvulling")
    assert (got.cents, got.depends_on) == (24599, ())


def test_an_open_amount_names_what_it_still_depends_on_and_shows_no_figure(catalog):
    result = settle(catalog, {"woont_in_gemeente": True, "leeftijd": 30, "netto_inkomen": 0})
    got = result.result("aanvulling")
    assert got.status == "eligible"  # 0 is below every norm for a 30-year-old
    assert (got.amount.cents, got.amount.depends_on) == (None, ("leefsituatie",))
    assert result.texts([got.amount.reason]) == ["Het bedrag weten we nog niet: het hangt nog af van uw leefsituatie."]
    assert amount(catalog, {"woont_in_gemeente": True, "netto_inkomen": 0}, "pas").depends_on == ("kinderen",)
    assert amount(catalog, {"woont_in_gemeente": True}, "aanvulling").depends_on == ("leeftijd", "leefsituatie",
                                                                                    "netto_inkomen")


def test_an_age_that_cannot_say_which_side_of_the_aow_age_keeps_the_amount_open(catalog):
    answers = {"woont_in_gemeente": True, "leeftijd": 67, "leefsituatie": "alleenstaand", "netto_inkomen": 0}
    assert amount(catalog, answers, "aanvulling", dt.date(2027, 6, 1)).cents == 156469  # the AOW-age norm
    in_2028 = amount(catalog, answers, "aanvulling", dt.date(2028, 6, 1))
    assert (in_2028.cents, in_2028.depends_on) == (None, ("leeftijd",))


def test_no_figure_when_the_product_does_not_fit_or_nothing_is_left_to_get(catalog):
    not_eligible = amount(catalog, {"woont_in_gemeente": False, "leeftijd": 45, "leefsituatie": "alleenstaand",
                                    "netto_inkomen": 900}, "aanvulling")
    assert (not_eligible.cents, not_eligible.depends_on, not_eligible.reason.not_eligible) == (None, (), True)
    # a product whose rule leaves the income open may still not leave anything to top up: no "€ 0", no minus
    nothing = amount(catalog, {"woont_in_gemeente": True, "kinderen": 0}, "pas")
    assert (nothing.cents, nothing.depends_on, nothing.reason.not_eligible) == (None, (), False)


def test_an_unknown_product_still_shows_its_determined_amount(catalog):
    result = settle(catalog, {"leeftijd": 45, "leefsituatie": "samenwonend", "netto_inkomen": 1000})
    item = result.result("aanvulling")
    assert item.status == "unknown" and item.amount.cents == 100213
    assert item in result.shown_amounts()


def test_rounding_is_half_up_once_after_the_computation(catalog):
    # 20.05 × 0.5 = 10.025 per half: rounding each half first would give 10.03 + 10.03
    assert amount(catalog, {"woont_in_gemeente": True}, "premie").cents == 2005
    assert amount(catalog, {"woont_in_gemeente": True, "leefsituatie": "alleenstaand"}, "helft").cents == 1003


def test_dated_norms_change_the_amount_on_their_date(catalog):
    answers = {"woont_in_gemeente": True, "kinderen": 2}
    assert amount(catalog, answers, "pas", dt.date(2026, 12, 31)).cents == 20000
    assert amount(catalog, answers, "pas", dt.date(2027, 1, 1)).cents == 30000


def test_a_count_declared_as_a_norm_multiplies(catalog):
    assert amount(catalog, {"woont_in_gemeente": True, "leefsituatie": "samenwonend"}, "helft").cents == 2005


def test_amounts_are_memoised_by_the_answers_they_read(catalog):
    base = {"woont_in_gemeente": True, "leeftijd": 45, "leefsituatie": "alleenstaand", "netto_inkomen": 900}
    first = amount(catalog, base, "aanvulling")
    assert amount(catalog, {**base, "schulden": True}, "aanvulling") is first  # schulden is not an input
    assert amount(catalog, {**base, "netto_inkomen": 901}, "aanvulling").cents == 50050


def test_the_total_counts_eligible_determined_amounts_per_year_and_alternatives_once(catalog):
    result = settle(catalog, {"woont_in_gemeente": True, "leeftijd": 62, "leefsituatie": "alleenstaand",
                              "netto_inkomen": 900, "kinderen": 1})
    total = result.amounts_total
    # aanvulling and oudere give the same: oudere comes instead of aanvulling and wins the tie
    assert set(total.products) == {"oudere", "pas", "premie", "helft"}
    assert total.replaced == (("aanvulling", "oudere"),)
    assert total.per_year == 50150 * 12 + 10000 + 2005 * 12 + 1003 * 12
    assert total.complete is True


def test_an_open_amount_is_left_out_of_the_total_and_makes_it_incomplete(catalog):
    total = settle(catalog, {"woont_in_gemeente": True, "leeftijd": 30, "netto_inkomen": 0}).amounts_total
    assert total.complete is False
    assert set(total.left_out) == {"aanvulling", "oudere", "pas", "helft"}
    assert total.products == ("premie",) and total.per_year == 2005 * 12


def test_products_without_an_amount_have_none(catalog):
    assert settle(catalog, {"schulden": True}).result("dienst").amount is None


def test_the_product_page_table_fills_in_leefsituatie_and_age_band(catalog):
    wording = catalog.wording
    table = amount_table(catalog.products["aanvulling"].amount, catalog.norms.on(TODAY), ["alleenstaand", "samenwonend"])
    assert [wording.age_band(b) for b in table.bands] == ["18 tot 21 jaar", "21 jaar tot de AOW-leeftijd",
                                                          "vanaf de AOW-leeftijd"]
    assert [[wording.calculation(cell) for cell in row] for row in table.cells] == [
        ["€ 345,99 − uw inkomen", "€ 1.401,50 − uw inkomen", "€ 1.564,69 − uw inkomen"],
        ["€ 345,99 − uw inkomen", "€ 2.002,13 − uw inkomen", "€ 2.144,16 − uw inkomen"]]
    fixed = amount_table(catalog.products["helft"].amount, catalog.norms.on(TODAY), ["alleenstaand", "samenwonend"])
    assert fixed.bands == (None,)
    assert [[wording.calculation(cell) for cell in row] for row in fixed.cells] == [["€ 10,03"], ["€ 20,05"]]
