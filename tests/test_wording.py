"""Every reason kind with every operator, said in B1 for residents and in professional terms for case managers.

A tiny catalogue of its own (tests/support/tiny.py), with a choice question whose options carry
their own sentences (``zin``, ``zin_niet``) and one option without, so the fallbacks are seen too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from catalogus.professional import ProfessionalWording
from catalogus.reasons import (
    AnswerStated, CompareView, ContentWording, Counted, NormLimit, NotRouted, NumberCompared, ProductDecided,
)
from tests.support.tiny import QUESTIONS, product, tiny_catalog

WORK = {"type": "choice", "tekst": "Wat past het best bij u?", "kort": "Werk", "vakterm": "Werksituatie",
        "onderwerp": "Uw situatie", "opties": {
            "werkend": {"label": "ik werk", "zin": "U werkt.", "zin_niet": "U werkt niet."},
            "student": {"label": "ik studeer", "zin": "U studeert.", "zin_niet": "U studeert niet."},
            "anders": {"label": "iets anders"}}}
HOURS = {"type": "integer", "min": 0, "max": 168, "eenheid": "uur per week", "tekst": "Hoeveel uur zorgt u?",
         "kort": "Zorguren p/w", "vakterm": "Mantelzorg", "onderwerp": "Het aantal uren zorg per week"}
MOEITE = {**QUESTIONS["moeite_met"], "opties": {
    "koken": {"label": "koken"}, "lopen": {"label": "lopen"},
    "geen": {"label": "nergens mee", "zin": "U heeft nergens moeite mee.", "zin_niet": "U heeft ergens moeite mee."}}}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    questions = {**QUESTIONS, "werk": WORK, "uren": HOURS, "moeite_met": MOEITE}
    rule = {"alle": [{"vraag": "werk", "!=": "student"}, {"vraag": "uren", ">=": 8}]}
    return tiny_catalog(tmp_path_factory.mktemp("wording"), questions=questions,
                        products={"pas": product(rule, title="Stadspas")})


def said(tiny, reason) -> tuple[str, str]:
    return tiny.wording.reason(reason), ProfessionalWording(tiny).reason(reason, {})


KOKEN = frozenset({"koken"})
BOTH = frozenset({"koken", "lopen"})
EXACT = NormLimit("bijstandsnorm", None, None, "exact", True)
FACTOR = NormLimit("bijstandsnorm", Decimal("1.30"), "minima_grens", "exact", True)
HIGHEST = NormLimit("bijstandsnorm", Decimal("1.30"), "minima_grens", "highest", True)
AOW = NormLimit("aow_leeftijd", None, None, "exact", False)

REASONS = [
    # yes/no: the content's ja/nee sentence for the answer, whatever the operator
    (AnswerStated("schulden", True, "=", True, True), "U heeft schulden.", "Schulden: ja"),
    (AnswerStated("schulden", False, "=", True, False), "U heeft geen schulden.", "Schulden: nee"),
    (AnswerStated("schulden", False, "!=", True, True), "U heeft geen schulden.", "Schulden: nee"),
    (AnswerStated("schulden", True, "!=", True, False), "U heeft schulden.", "Schulden: ja"),
    # a choice: said about what the rule asks, in the option's own sentences
    (AnswerStated("werk", "student", "=", "student", True), "U studeert.", "Werksituatie: ik studeer"),
    (AnswerStated("werk", "werkend", "=", "student", False), "U studeert niet.", "Werksituatie: ik werk"),
    (AnswerStated("werk", "werkend", "!=", "student", True), "U studeert niet.",
     "Werksituatie: ik werk (niet ik studeer)"),
    (AnswerStated("werk", "student", "!=", "student", False), "U studeert.", "Werksituatie: ik studeer"),
    (AnswerStated("werk", "werkend", "in", ("werkend", "student"), True), "U werkt.", "Werksituatie: ik werk"),
    (AnswerStated("werk", "anders", "in", ("werkend", "student"), False), "Uw situatie: iets anders.",
     "Werksituatie: iets anders"),
    # an option without zin_niet: the answer itself
    (AnswerStated("werk", "werkend", "!=", "anders", True), "U werkt.", "Werksituatie: ik werk (niet iets anders)"),
    # several answers
    (AnswerStated("moeite_met", KOKEN, "bevat", "koken", True), "U heeft moeite met koken.", "Moeite met: koken"),
    (AnswerStated("moeite_met", frozenset({"lopen"}), "bevat", "koken", False), "U heeft geen moeite met koken.",
     "Moeite met: lopen"),
    (AnswerStated("moeite_met", BOTH, "bevat_iets_anders_dan", "geen", True), "U heeft moeite met koken en lopen.",
     "Moeite met: koken en lopen"),
    (AnswerStated("moeite_met", frozenset({"geen"}), "bevat_iets_anders_dan", "geen", False),
     "U heeft nergens moeite mee.", "Moeite met: nergens mee"),
    # numbers against a constant: the relation of the figures, for every operator
    *[(NumberCompared("uren", value, op, 8, holds), resident, professional)
      for op, value, holds, resident, professional in [
          (">=", 12, True, "Het aantal uren zorg per week (12 uur per week) is hoger dan 8 uur per week.",
           "Mantelzorg: 12 uur per week, boven de grens van 8 uur per week"),
          (">", 8, False, "Het aantal uren zorg per week (8 uur per week) is gelijk aan 8 uur per week.",
           "Mantelzorg: 8 uur per week, gelijk aan de grens van 8 uur per week"),
          ("<=", 4, True, "Het aantal uren zorg per week (4 uur per week) is lager dan 8 uur per week.",
           "Mantelzorg: 4 uur per week, onder de grens van 8 uur per week"),
          ("<", 8, False, "Het aantal uren zorg per week (8 uur per week) is gelijk aan 8 uur per week.",
           "Mantelzorg: 8 uur per week, gelijk aan de grens van 8 uur per week"),
          ("=", 8, True, "Het aantal uren zorg per week (8 uur per week) is gelijk aan 8 uur per week.",
           "Mantelzorg: 8 uur per week, gelijk aan de grens van 8 uur per week"),
          ("!=", 3, True, "Het aantal uren zorg per week (3 uur per week) is lager dan 8 uur per week.",
           "Mantelzorg: 3 uur per week, onder de grens van 8 uur per week"),
      ]],
    # an age, for every operator
    *[(NumberCompared("leeftijd", value, op, 18, holds), resident, professional)
      for op, value, holds, resident, professional in [
          (">=", 18, True, "U bent 18 jaar, dus 18 jaar of ouder.", "Leeftijd: 18 jaar, gelijk aan de grens van 18 jaar"),
          (">=", 16, False, "U bent 16 jaar, dus jonger dan 18 jaar.", "Leeftijd: 16 jaar, onder de grens van 18 jaar"),
          (">", 18, False, "U bent 18 jaar, dus 18 jaar of jonger.", "Leeftijd: 18 jaar, gelijk aan de grens van 18 jaar"),
          ("<=", 30, False, "U bent 30 jaar, dus ouder dan 18 jaar.", "Leeftijd: 30 jaar, boven de grens van 18 jaar"),
          ("<", 16, True, "U bent 16 jaar, dus jonger dan 18 jaar.", "Leeftijd: 16 jaar, onder de grens van 18 jaar"),
          ("=", 18, True, "U bent 18 jaar.", "Leeftijd: 18 jaar, gelijk aan de grens van 18 jaar"),
          ("=", 30, False, "U bent 30 jaar, dus niet 18 jaar.", "Leeftijd: 30 jaar, boven de grens van 18 jaar"),
          ("!=", 30, True, "U bent 30 jaar, dus niet 18 jaar.", "Leeftijd: 30 jaar, boven de grens van 18 jaar"),
      ]],
    (NumberCompared("leeftijd", 70, ">=", 67, True, AOW), "U bent 70 jaar, dus de AOW-leeftijd (67 jaar) of ouder.",
     "Leeftijd: 70 jaar, boven de AOW-leeftijd (67 jaar)"),
    # money against a norm: exact for this household, with a factor, or the highest it can be
    (NumberCompared("netto_inkomen", 120000, "<", 140150, True, EXACT),
     "Uw inkomen (€ 1.200) is lager dan € 1.401,50, de bijstandsnorm voor uw situatie.",
     "Inkomen: € 1.200 per maand, onder de bijstandsnorm voor deze leefsituatie (€ 1.401,50)"),
    (NumberCompared("netto_inkomen", 145000, "<=", 182195, True, FACTOR),
     "Uw inkomen (€ 1.450) is lager dan € 1.821,95, de grens voor uw situatie (130% van de bijstandsnorm).",
     "Inkomen: € 1.450 per maand, onder de grens van 130% van de bijstandsnorm voor deze leefsituatie (€ 1.821,95)"),
    (NumberCompared("netto_inkomen", 300000, "<=", 278737, False, HIGHEST),
     "Uw inkomen (€ 3.000) is hoger dan € 2.787,37, de hoogste grens die voor u kan gelden "
     "(130% van de bijstandsnorm).",
     "Inkomen: € 3.000 per maand, boven de grens van 130% van de bijstandsnorm "
     "(€ 2.787,37; de hoogste mogelijke, leefsituatie of leeftijd nog onbekend)"),
    (Counted(1, 2), "Dat is 1 van de minstens 2 die nodig zijn.", "1 van minimaal 2 voorwaarden"),
    (ProductDecided("pas", True), "U komt in aanmerking voor Stadspas.", "Stadspas: komt in aanmerking"),
    (ProductDecided("pas", False), "U komt niet in aanmerking voor Stadspas.", "Stadspas: komt niet in aanmerking"),
    (ContentWording("Zo zegt de inhoud het.", True), "Zo zegt de inhoud het.", "Zo zegt de inhoud het"),
]


@pytest.mark.parametrize("reason, resident, professional", REASONS,
                         ids=[f"{type(r).__name__}-{getattr(r, 'question', '')}-{getattr(r, 'op', '')}-{i}"
                              for i, (r, *_rest) in enumerate(REASONS)])
def test_each_reason_with_each_operator_reads_naturally_for_residents_and_professionals(
        tiny, reason, resident, professional):
    assert said(tiny, reason) == (resident, professional)


def test_not_routed_says_the_count_to_both(tiny):
    reason = NotRouted(1, tiny.routing.route.view())
    resident, professional = said(tiny, reason)
    assert resident.startswith("Er spelen problemen op 1 levensgebied.")
    assert professional == "Niet naar het wijkteam: problemen op 1 leefgebied"


def test_a_worded_condition_is_told_to_a_professional_as_the_answers_it_read(tmp_path):
    routing_rule = {"vraag": "schulden", "=": True, "uitleg": {"waar": "U zit krap.", "onwaar": "U zit niet krap."}}
    catalog = tiny_catalog(tmp_path, products={"pas": product(routing_rule, title="Stadspas")})
    professional = ProfessionalWording(catalog)
    assert professional.reason(ContentWording("U zit krap.", True), {"schulden": True}) == "Schulden: ja"
    assert professional.reason(ContentWording("U zit krap.", True), {}) == "U zit krap"  # no answer: the sentence


# ---------------------------------------------------------------- what a rule says (product page, transparency)

VIEWS = [
    (CompareView("schulden", "=", True), "U heeft schulden."),
    (CompareView("schulden", "!=", True), "U heeft geen schulden."),
    (CompareView("werk", "=", "student"), "U studeert."),
    (CompareView("werk", "!=", "student"), "U studeert niet."),
    (CompareView("werk", "in", ("werkend", "student")), "U werkt of u studeert."),
    (CompareView("werk", "in", ("werkend", "anders")), "Werk: ik werk of iets anders."),
    (CompareView("werk", "!=", "anders"), "Werk: niet 'iets anders'."),
    (CompareView("moeite_met", "bevat", "koken"), "U heeft moeite met koken."),
    (CompareView("moeite_met", "bevat_iets_anders_dan", "geen"), "U heeft ergens moeite mee."),
    (CompareView("uren", ">=", 8), "Het aantal uren zorg per week is minstens 8 uur per week."),
    (CompareView("uren", ">", 8), "Het aantal uren zorg per week is meer dan 8 uur per week."),
    (CompareView("uren", "<=", 8), "Het aantal uren zorg per week is niet meer dan 8 uur per week."),
    (CompareView("uren", "<", 8), "Het aantal uren zorg per week is minder dan 8 uur per week."),
    (CompareView("uren", "=", 8), "Het aantal uren zorg per week is 8 uur per week."),
    (CompareView("uren", "!=", 8), "Het aantal uren zorg per week is niet 8 uur per week."),
    (CompareView("leeftijd", ">=", 18), "U bent minstens 18 jaar."),
    (CompareView("leeftijd", "<", 18), "U bent jonger dan 18 jaar."),
    (CompareView("leeftijd", "!=", 18), "U bent niet 18 jaar."),
    (CompareView("netto_inkomen", "<", None, norm="bijstandsnorm"), "Uw inkomen is minder dan de bijstandsnorm voor uw situatie."),
]


@pytest.mark.parametrize("view, expected", VIEWS, ids=[f"{v.question}-{v.op}-{i}" for i, (v, _) in enumerate(VIEWS)])
def test_each_comparison_in_a_rule_reads_as_a_sentence(tiny, view, expected):
    assert tiny.wording.describe(view, tiny.norms.on(dt.date(2026, 11, 26))).text == expected
