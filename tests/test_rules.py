"""The rule engine: three-valued logic, dated norms, interval reasoning and reasons.

Every test builds its own small catalogue (``tests/support/tiny.py``), so a policy edit in
``products/`` never breaks an engine test; the shipped content is tested by its worked examples.
"""

from __future__ import annotations

import datetime as dt

import pytest

from catalogus.check import Check
from catalogus.errors import NormDateError
from tests.support.tiny import income_tested_products, product, tiny_catalog

NOV_2026 = dt.date(2026, 11, 26)

PRODUCTS = {
    **income_tested_products(),
    "toeslag": product({"alle": [{"regel": "inwoner"}, {"vraag": "netto_inkomen", "<=": {"norm": "bijstandsnorm",
                                                                                          "factor": 1.10}}]}),
    "ouderen": product({"alle": [{"vraag": "leeftijd", ">=": {"norm": "aow_leeftijd"}},
                                 {"vraag": "netto_inkomen", "<": {"norm": "bijstandsnorm"}}]}, kind="referral"),
    "hulp": product({"alle": [{"regel": "inwoner"}, {"vraag": "moeite_met", "bevat": "koken"},
                              {"vraag": "langdurig", "=": True}]}, domains=("zorg",)),
    # The same condition written twice, in two parts: its reason must still show once.
    "dubbel": product({"alle": [{"vraag": "schulden", "=": True},
                                {"een_van": [{"vraag": "schulden", "=": True}, {"vraag": "kosten", "=": True}]},
                                {"vraag": "leeftijd", ">=": 18}]}),
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_catalog(tmp_path_factory.mktemp("tiny"), products=PRODUCTS)


def check(catalog, answers, date=NOV_2026):
    return Check(catalog, date).settle(answers)


def status(catalog, answers, product_id, date=NOV_2026):
    return check(catalog, answers, date).status_of(product_id)


def test_a_false_condition_decides_even_with_others_missing(tiny):
    assert status(tiny, {"woont_in_gemeente": False}, "steun") == "not_eligible"
    assert status(tiny, {"kosten": False}, "steun") == "not_eligible"


def test_one_true_branch_of_an_or_decides(tiny):
    assert status(tiny, {"schulden": True}, "raad") == "eligible"


def test_all_branches_false_of_an_or_decide_false(tiny):
    answers = {"schulden": False, "leeftijd": 40, "leefsituatie": "alleenstaand", "netto_inkomen": 3000}
    assert status(tiny, answers, "raad") == "not_eligible"


def test_income_exactly_at_the_rounded_limit_is_within(tiny):
    base = {"woont_in_gemeente": True, "leeftijd": 29, "leefsituatie": "samenwonend", "kosten": True}
    assert status(tiny, {**base, "netto_inkomen": 2602.77}, "steun") == "eligible"  # 1.30 × 2002.13 = 2602.769
    assert status(tiny, {**base, "netto_inkomen": 2602.78}, "steun") == "not_eligible"


def test_a_dated_factor_applies_from_its_date(tiny):
    answers = {"woont_in_gemeente": True, "leeftijd": 29, "leefsituatie": "samenwonend", "kosten": True,
               "netto_inkomen": 2802.98}
    assert status(tiny, answers, "steun", dt.date(2026, 12, 31)) == "not_eligible"
    assert status(tiny, answers, "steun", dt.date(2027, 1, 1)) == "eligible"
    assert status(tiny, {**answers, "netto_inkomen": 2802.99}, "steun", dt.date(2027, 1, 1)) == "not_eligible"


def test_an_open_leefsituatie_decides_when_every_situation_agrees(tiny):
    assert status(tiny, {"leeftijd": 40, "netto_inkomen": 0}, "toeslag") == "unknown"  # residence still open
    assert status(tiny, {"woont_in_gemeente": True, "leeftijd": 40, "netto_inkomen": 0}, "toeslag") == "eligible"
    assert status(tiny, {"woont_in_gemeente": True, "leeftijd": 40, "netto_inkomen": 1900}, "toeslag") == "unknown"
    assert status(tiny, {"woont_in_gemeente": True, "leeftijd": 40, "netto_inkomen": 2300}, "toeslag") == "not_eligible"


def test_an_open_age_keeps_a_norm_comparison_unknown(tiny):
    """The person might be under 18, where no bijstandsnorm exists."""
    assert status(tiny, {"woont_in_gemeente": True, "netto_inkomen": 0, "leefsituatie": "alleenstaand"},
                  "toeslag") == "unknown"


def test_under_18_a_norm_comparison_stays_unknown(tiny):
    answers = {"woont_in_gemeente": True, "leeftijd": 16, "leefsituatie": "alleenstaand", "netto_inkomen": 0}
    assert status(tiny, answers, "toeslag") == "unknown"


def test_an_aow_age_of_67_and_3_months_makes_67_year_olds_unknown_in_2028(tiny):
    date = dt.date(2028, 3, 1)
    base = {"leefsituatie": "alleenstaand", "netto_inkomen": 1000}
    assert status(tiny, {**base, "leeftijd": 67}, "ouderen", date) == "unknown"
    assert status(tiny, {**base, "leeftijd": 68}, "ouderen", date) == "eligible"
    assert status(tiny, {**base, "leeftijd": 66}, "ouderen", date) == "not_eligible"
    assert status(tiny, {**base, "leeftijd": 67}, "ouderen", dt.date(2027, 12, 31)) == "eligible"


def test_a_date_before_the_first_norm_is_a_clear_error(tiny):
    with pytest.raises(NormDateError) as raised:
        Check(tiny, dt.date(2025, 12, 31))
    assert "2025-12-31" in str(raised.value) and "geen waarde voor norm" in str(raised.value)


def test_a_norm_keeps_applying_after_its_date(tiny):
    answers = {"woont_in_gemeente": True, "leeftijd": 29, "leefsituatie": "samenwonend", "kosten": True,
               "netto_inkomen": 2802.98}
    assert status(tiny, answers, "steun", dt.date(2031, 5, 1)) == "eligible"


def test_the_fast_status_path_agrees_with_the_evaluated_path(tiny):
    answers = {"woont_in_gemeente": True, "leeftijd": 40, "netto_inkomen": 1900, "kosten": True}
    result = check(tiny, answers)
    internal, _ = tiny.vocabulary.validate(answers)
    assert tiny.statuses(internal, NOV_2026) == {r.id: r.status for r in result.results}


def test_reasons_name_the_figures_used(tiny):
    result = check(tiny, {"woont_in_gemeente": True, "leeftijd": 30, "leefsituatie": "alleenstaand",
                          "netto_inkomen": 1600})
    item = result.result("toeslag")
    assert item.status == "not_eligible"
    assert result.texts(item.reasons) == ["Uw inkomen (€ 1.600) is hoger dan € 1.541,65, de grens voor uw situatie "
                                          "(110% van de bijstandsnorm)."]


def test_reasons_over_a_range_of_norms_say_which_edge(tiny):
    result = check(tiny, {"leeftijd": 40, "netto_inkomen": 5000, "schulden": False})
    item = result.result("raad")
    assert result.texts(item.reasons) == ["U heeft geen schulden.",
                                          "Uw inkomen (€ 5.000) is hoger dan € 2.602,77, de hoogste grens die voor u "
                                          "kan gelden (130% van de bijstandsnorm)."]


def test_reasons_of_an_age_against_a_norm_say_older_or_younger(tiny):
    result = check(tiny, {"leeftijd": 70, "leefsituatie": "alleenstaand", "netto_inkomen": 1000})
    assert result.texts(result.result("ouderen").reasons) == [
        "U bent 70 jaar, dus de AOW-leeftijd (67 jaar) of ouder.",
        "Uw inkomen (€ 1.000) is lager dan € 1.564,69, de bijstandsnorm voor uw situatie."]


def test_a_condition_written_in_two_parts_gives_its_reason_once_and_the_others_in_order(tiny):
    result = check(tiny, {"schulden": True, "leeftijd": 30})
    assert result.result("dubbel").status == "eligible"
    assert result.texts(result.result("dubbel").reasons) == [
        "U heeft schulden.", "U bent 30 jaar, dus 18 jaar of ouder."]
    result = check(tiny, {"schulden": False, "kosten": False, "leeftijd": 16})
    assert result.texts(result.result("dubbel").reasons) == [
        "U heeft geen schulden.", "U heeft geen kosten.", "U bent 16 jaar, dus jonger dan 18 jaar."]


def test_unknown_results_name_the_question_that_would_decide(tiny):
    result = check(tiny, {"kosten": True, "woont_in_gemeente": True, "leeftijd": 30, "leefsituatie": "alleenstaand"})
    assert result.result("steun").deciding == ("netto_inkomen",)


def test_a_follow_up_question_decides_only_once_it_may_be_asked(tiny):
    result = check(tiny, {"woont_in_gemeente": True})
    assert result.result("hulp").deciding == ("moeite_met",)  # "langdurig" only once moeite_met is known
    assert check(tiny, {"woont_in_gemeente": True, "moeite_met": ["koken"]}).result("hulp").deciding == ("langdurig",)


def test_answers_that_cannot_matter_are_forgotten_in_a_conversation_and_named(tiny):
    answers = {"woont_in_gemeente": True, "moeite_met": ["geen"], "langdurig": True}
    conversation = Check(tiny, NOV_2026).settle(answers, forget_unasked=True)
    assert conversation.dropped == ("langdurig",) and "langdurig" not in conversation.answers
    assert Check(tiny, NOV_2026).settle(answers).dropped == ()  # the API keeps what it is given


def test_routing_counts_life_domains_and_says_every_way_to_be_routed(tiny):
    result = check(tiny, {"schulden": True, "moeite_met": ["koken"], "langdurig": False, "wil_contact": False})
    cm = result.case_manager
    assert cm.route is False and cm.domains == ("Geld",)
    assert result.texts(cm.reasons) == [
        "U heeft schulden.",
        "Er spelen problemen op 1 levensgebied. Een casemanager van het wijkteam helpt als een van deze dingen bij "
        "u past: er spelen problemen op 2 of meer levensgebieden; of u wilt contact."]
    routed = check(tiny, {"schulden": True, "moeite_met": ["koken"], "langdurig": True})
    assert routed.case_manager.route is True and routed.case_manager.domains == ("Geld", "Gezondheid")


def test_the_rule_is_described_in_plain_dutch(tiny):
    description = tiny.describe(tiny.products["steun"].rule, tiny.norms.on(NOV_2026))

    def texts(node):
        yield node.text
        for lead, lines in node.limits:
            yield from ([lead] if lead else []) + lines
        for child in node.children:
            yield from texts(child)

    found = list(texts(description))
    assert found[0] == "Alle voorwaarden hieronder gelden:"
    assert "U woont in de gemeente." in found and "U bent minstens 18 jaar." in found
    # a limit that differs per household is said as the amount for each situation, never as a bare percentage
    assert "Uw inkomen is niet meer dan de grens voor uw situatie." in found
    assert not any("130%" in text for text in found)
    assert any(text.endswith("Dan is de grens € 1.821,95 per maand.") for text in found), found


def test_compiled_nodes_know_where_they_were_written(tiny):
    rule = tiny.products["steun"].rule
    assert rule.origin.path == "products/steun.yaml" and rule.origin.label == "alle (4 voorwaarden)"
    income = rule.children()[3]
    assert income.origin.label == "netto_inkomen <= minima_grens × bijstandsnorm"
    assert income.origin.line > rule.origin.line
