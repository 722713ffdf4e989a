"""The worked examples of personas.md, evaluated by the engine."""

from __future__ import annotations

import datetime as dt

import pytest

from catalogus.check import Check

FATIMA = {"onderwerpen": ["geld", "gezin"], "woont_in_gemeente": True, "leeftijd": 34,
          "leefsituatie": "alleenstaande_ouder", "aantal_kinderen": 2, "netto_inkomen": 1650,
          "vermogen": 500, "laag_inkomen_3_jaar": False, "situatie_werk": "werkend",
          "baan_verloren": False, "schulden": True, "bijzondere_kosten": False,
          "woonsituatie": "huurwoning", "huur": 780, "moeite_met": ["geen"],
          "beperking_langdurig": False, "loopafstand_onder_100m": False, "huisgenoot_kan_helpen": False,
          "mantelzorg_uren": 0, "mantelzorg_zwaar": False, "zorgen_over_kind": False,
          "kind_beperking_school": False, "eenzaam": False, "psychische_klachten": False,
          "zelfstandig_wonen_lukt_niet": False, "onveilig_thuis": False, "juridische_vraag": False,
          "wil_persoonlijk_contact": False}
HENK = {**{k: v for k, v in FATIMA.items() if k != "huur"},
        "onderwerpen": ["zorg"], "leeftijd": 78, "leefsituatie": "alleenstaand", "aantal_kinderen": 0,
        "netto_inkomen": 1480, "vermogen": 12000, "situatie_werk": "pensioen", "schulden": False,
        "woonsituatie": "koopwoning", "moeite_met": ["huishouden", "verplaatsen_buiten"],
        "beperking_langdurig": True, "loopafstand_onder_100m": True, "huisgenoot_kan_helpen": False}
SANNE = {**FATIMA, "onderwerpen": ["geld"], "leeftijd": 29, "leefsituatie": "samenwonend", "aantal_kinderen": 0,
         "netto_inkomen": 2700, "vermogen": 3000, "schulden": False, "huur": 900}

PERSONAS = {
    "fatima": (FATIMA, dt.date(2026, 11, 26), {
        "voorbeeldpas", "kindpakket", "collectieve-zorgverzekering", "schuldhulpverlening", "opvoedondersteuning",
        "formulierenhulp", "sociaal-raadslieden", "thuisadministratie", "budgetcursus", "huurtoeslag",
        "zorgtoeslag", "kindgebonden-budget"}, False),
    "henk": (HENK, dt.date(2026, 11, 26), {
        "collectieve-zorgverzekering", "huishoudelijke-ondersteuning", "rolstoel", "scootmobiel", "regiotaxi",
        "gehandicaptenparkeerkaart", "formulierenhulp", "sociaal-raadslieden", "budgetcursus", "valpreventie",
        "boodschappendienst", "zorgtoeslag", "aow-aio"}, False),
    "sanne-2026": (SANNE, dt.date(2026, 11, 26), {"huurtoeslag", "zorgtoeslag"}, False),
    "sanne-2027": (SANNE, dt.date(2027, 2, 1), {
        "huurtoeslag", "zorgtoeslag", "voorbeeldpas", "collectieve-zorgverzekering", "formulierenhulp",
        "sociaal-raadslieden"}, False),
}


def check(catalog, answers_json, date):
    return Check(catalog, date).settle(answers_json)


@pytest.mark.parametrize("name", PERSONAS)
def test_complete_personas_get_exactly_the_expected_products(catalog, name):
    answers, date, eligible, route = PERSONAS[name]
    result = check(catalog, answers, date)
    assert {r.id for r in result.results if r.status == "eligible"} == eligible
    assert {r.status for r in result.results if r.id not in eligible} == {"not_eligible"}
    assert result.case_manager.route is route
    assert result.next_question is None


def test_fatima_is_told_why_bijstand_does_not_apply(catalog):
    result = check(catalog, FATIMA, dt.date(2026, 11, 26))
    bijstand = next(r for r in result.results if r.id == "bijstandsuitkering")
    assert "Uw inkomen (€ 1.650) is hoger dan € 1.401,50, de bijstandsnorm voor uw situatie." in result.texts(
        bijstand.reasons)
    assert result.case_manager.domains == ("Geld en schulden",)


def test_henk_is_over_the_voorbeeldpas_asset_limit(catalog):
    result = check(catalog, HENK, dt.date(2026, 11, 26))
    pas = next(r for r in result.results if r.id == "voorbeeldpas")
    assert pas.status == "not_eligible"
    assert any("€ 12.000" in reason and "€ 8.000" in reason for reason in result.texts(pas.reasons))


def test_sanne_2026_is_just_over_the_minima_limit(catalog):
    result = check(catalog, SANNE, dt.date(2026, 11, 26))
    policy = next(r for r in result.results if r.id == "collectieve-zorgverzekering")
    assert any("€ 2.602,77" in reason for reason in result.texts(policy.reasons))


@pytest.mark.parametrize("answers, product, status", [
    ({"bijzondere_kosten": False}, "bijzondere-bijstand", "not_eligible"),
    ({"netto_inkomen": 900}, "voorbeeldpas", "unknown"),
    ({"leeftijd": 40, "netto_inkomen": 5000}, "voorbeeldpas", "not_eligible"),
    ({"onveilig_thuis": True}, "veilig-thuis", "eligible"),
])
def test_partial_answers(catalog, answers, product, status):
    assert check(catalog, answers, dt.date(2026, 11, 26)).status_of(product) == status


def test_an_unsafe_home_routes_urgently(catalog):
    result = check(catalog, {"onveilig_thuis": True}, dt.date(2026, 11, 26))
    assert result.case_manager.route is True
    assert result.case_manager.urgent is True
    assert result.case_manager.urgent_contacts[0].telefoon == "0800-2000"
