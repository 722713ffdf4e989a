"""The rule engine: three-valued logic, dated norms, interval reasoning and reasons."""

from __future__ import annotations

import datetime as dt

import pytest

from catalogus.errors import NormDateError
from catalogus.wizard import run_check

NOV_2026 = dt.date(2026, 11, 26)


def status(catalog, answers_json, product, date=NOV_2026):
    answers, problems = catalog.vocabulary.validate(answers_json)
    assert problems == []
    return catalog.statuses(answers, date)[product]


def test_a_false_condition_decides_even_with_others_missing(catalog):
    assert status(catalog, {"woont_in_gemeente": False}, "bijstandsuitkering") == "not_eligible"


def test_one_true_branch_of_an_or_decides(catalog):
    assert status(catalog, {"schulden": True}, "sociaal-raadslieden") == "eligible"


def test_all_branches_false_of_an_or_decide_false(catalog):
    answers = {"schulden": False, "juridische_vraag": False, "leeftijd": 40, "leefsituatie": "alleenstaand",
               "netto_inkomen": 3000}
    assert status(catalog, answers, "sociaal-raadslieden") == "not_eligible"


def test_income_exactly_at_the_rounded_limit_is_within(catalog):
    base = {"woont_in_gemeente": True, "leeftijd": 29, "leefsituatie": "samenwonend"}
    assert status(catalog, {**base, "netto_inkomen": 2602.77}, "collectieve-zorgverzekering") == "eligible"
    assert status(catalog, {**base, "netto_inkomen": 2602.78}, "collectieve-zorgverzekering") == "not_eligible"


def test_the_2027_minima_factor_applies_from_new_year(catalog):
    answers = {"woont_in_gemeente": True, "leeftijd": 29, "leefsituatie": "samenwonend", "netto_inkomen": 2802.98}
    assert status(catalog, answers, "collectieve-zorgverzekering", dt.date(2026, 12, 31)) == "not_eligible"
    assert status(catalog, answers, "collectieve-zorgverzekering", dt.date(2027, 1, 1)) == "eligible"
    assert status(catalog, {**answers, "netto_inkomen": 2802.99}, "collectieve-zorgverzekering",
                  dt.date(2027, 1, 1)) == "not_eligible"


def test_an_open_leefsituatie_decides_when_every_situation_agrees(catalog):
    assert status(catalog, {"leeftijd": 40, "netto_inkomen": 0}, "collectieve-zorgverzekering") == "unknown"
    assert status(catalog, {"woont_in_gemeente": True, "leeftijd": 40, "netto_inkomen": 0},
                  "collectieve-zorgverzekering") == "eligible"
    assert status(catalog, {"woont_in_gemeente": True, "leeftijd": 40, "netto_inkomen": 1900},
                  "collectieve-zorgverzekering") == "unknown"


def test_an_open_age_keeps_a_norm_comparison_unknown(catalog):
    """The person might be under 18, where no bijstandsnorm exists."""
    assert status(catalog, {"woont_in_gemeente": True, "netto_inkomen": 0, "vermogen": 0,
                            "leefsituatie": "alleenstaand"}, "voorbeeldpas") == "unknown"


def test_under_18_a_norm_comparison_stays_unknown(catalog):
    answers = {"woont_in_gemeente": True, "leeftijd": 16, "leefsituatie": "alleenstaand", "netto_inkomen": 0,
               "vermogen": 0}
    assert status(catalog, answers, "voorbeeldpas") == "unknown"


def test_the_aow_age_of_67_and_3_months_makes_67_year_olds_unknown_in_2028(catalog):
    date = dt.date(2028, 3, 1)
    base = {"leefsituatie": "alleenstaand", "netto_inkomen": 1000}
    assert status(catalog, {**base, "leeftijd": 67}, "aow-aio", date) == "unknown"
    assert status(catalog, {**base, "leeftijd": 68}, "aow-aio", date) == "eligible"
    assert status(catalog, {**base, "leeftijd": 66}, "aow-aio", date) == "not_eligible"
    assert status(catalog, {**base, "leeftijd": 67}, "aow-aio", dt.date(2027, 12, 31)) == "eligible"


def test_a_date_before_the_first_norm_is_a_clear_error(catalog):
    with pytest.raises(NormDateError) as raised:
        catalog.statuses({}, dt.date(2025, 12, 31))
    assert "2025-12-31" in str(raised.value) and "geen waarde voor norm" in str(raised.value)


def test_a_norm_keeps_applying_after_its_date(catalog):
    answers = {"woont_in_gemeente": True, "leeftijd": 29, "leefsituatie": "samenwonend", "netto_inkomen": 2802.98}
    assert status(catalog, answers, "collectieve-zorgverzekering", dt.date(2031, 5, 1)) == "eligible"


def test_reasons_name_the_figures_used(catalog):
    answers, _ = catalog.vocabulary.validate({"woont_in_gemeente": True, "leeftijd": 30, "leefsituatie": "alleenstaand",
                                              "netto_inkomen": 1600, "laag_inkomen_3_jaar": True,
                                              "situatie_werk": "werkend"})
    result = run_check(catalog, answers, NOV_2026)
    iit = next(r for r in result.results if r.id == "individuele-inkomenstoeslag")
    assert iit.status == "not_eligible"
    assert iit.reasons == ("Uw inkomen (€ 1.600) is hoger dan € 1.541,65, de grens voor uw situatie "
                           "(110% van de bijstandsnorm).",)


def test_reasons_over_a_range_of_norms_say_which_edge(catalog):
    answers, _ = catalog.vocabulary.validate({"leeftijd": 40, "netto_inkomen": 5000})
    result = run_check(catalog, answers, NOV_2026)
    pas = next(r for r in result.results if r.id == "voorbeeldpas")
    assert pas.reasons == ("Uw inkomen (€ 5.000) is hoger dan € 2.602,77, de hoogste grens die voor u kan gelden "
                           "(130% van de bijstandsnorm).",)


def test_unknown_results_name_the_question_that_would_decide(catalog):
    answers, _ = catalog.vocabulary.validate({"bijzondere_kosten": True, "woont_in_gemeente": True, "leeftijd": 30,
                                              "leefsituatie": "alleenstaand"})
    result = run_check(catalog, answers, NOV_2026)
    assert next(r for r in result.results if r.id == "bijzondere-bijstand").deciding == ("netto_inkomen",)


def test_the_rule_is_described_in_plain_dutch(catalog):
    description = catalog.products["bijzondere-bijstand"].rule.describe(catalog.norms.on(NOV_2026))
    def texts(node):
        yield node.text
        for child in node.children:
            yield from texts(child)

    texts = list(texts(description))
    assert "U woont in de gemeente Voorbeeldstad." in texts
    assert any("130% van de bijstandsnorm" in t for t in texts)
