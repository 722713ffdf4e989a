"""Amounts where people decide, through HTTP: result cards, the total, the product page, the KCC screen."""

from __future__ import annotations

import html
import json
import re

from tests.support.web import forms, screen_answers, screen_of, wizard_form
from tests.test_kcc import kcc_client, panel, post  # noqa: F401  (fixture)
from tests.test_personas import FATIMA, HENK

OPEN_BIJSTAND = {"onderwerpen": ["geld"], "leeftijd": 30, "netto_inkomen": 0, "woont_in_gemeente": True,
                 "vermogen": 0, "situatie_werk": "werkzoekend"}


def results_page(client, answers) -> str:
    token = wizard_form(client.get("/check").text).hidden()["_csrf_token"]
    response = client.post("/check/uitkomst", data={"_csrf_token": token, "antwoorden": json.dumps(answers)})
    assert response.status_code == 200
    return response.text


def card(page: str, product: str) -> str:
    return re.search(rf'<li class="result-card[^"]*" data-product="{product}".*?</li>\s*(?=<li class="result-card|</ul>)',
                     page, re.S).group(0)


def text_of(fragment: str) -> str:
    """What a person reads: inline tags vanish, block tags separate words."""
    inline = re.sub(r"</?(?:strong|span|a|em)\b[^>]*>", "", fragment)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline))).strip()


def test_each_card_shows_its_amount_with_how_it_is_computed_and_who_decides(client):
    page = results_page(client, FATIMA)
    pas = text_of(card(page, "voorbeeldpas"))
    assert "Ongeveer € 525 per jaar" in pas
    assert "Hoe rekenen we dit uit? Voorbeeldpas" in pas
    assert "Zo rekenen we: € 125 × 1 + € 200 × 2 = € 525." in pas
    assert "Dit is een indicatie. Team Inkomen beslist over het echte bedrag." in pas
    assert "Ongeveer € 22,50 per maand" in text_of(card(page, "collectieve-zorgverzekering"))


def test_the_total_says_what_it_counts_and_who_decides(client):
    total = text_of(re.search(r'<section id="bedragen".*?</section>', results_page(client, FATIMA), re.S).group(0))
    assert "Bij elkaar ongeveer € 1.345 per jaar." in total
    assert "Collectieve zorgverzekering (gemeentepolis), Kindpakket en Voorbeeldpas" in total
    assert "bepaalt het echte bedrag" in total and "of meer" not in total


def test_an_open_amount_is_left_out_and_the_page_says_the_total_may_be_higher(client):
    page = results_page(client, OPEN_BIJSTAND)
    bijstand = text_of(card(page, "bijstandsuitkering"))
    assert "Het bedrag weten we nog niet: het hangt nog af van wie er bij u woont." in bijstand
    assert "€" not in bijstand.split("Waarom?")[0]  # no guessed figure
    assert 'href="/check/wijzig/leefsituatie"' in card(page, "bijstandsuitkering")
    total = text_of(re.search(r'<section id="bedragen".*?</section>', page, re.S).group(0))
    assert "Het kan meer zijn" in total or "weten we het bedrag nog niet" in total
    assert "Bijstandsuitkering" in total


# At the end of the check an amount can still wait for a question no status needed: the Voorbeeldpas (not in
# the chosen topics) pays per child, and the number of children did not matter for anything asked about.
PAS_OPEN = {"onderwerpen": ["zorg", "veiligheid"], "onveilig_thuis": True, "woont_in_gemeente": True,
            "moeite_met": ["huishouden", "administratie", "dagbesteding"], "beperking_langdurig": False,
            "loopafstand_onder_100m": True, "huisgenoot_kan_helpen": True, "psychische_klachten": True,
            "zelfstandig_wonen_lukt_niet": False, "leeftijd": 66, "leefsituatie": "samenwonend",
            "woonsituatie": "koopwoning", "netto_inkomen": 2190.57, "vermogen": 3500.0}


def test_answering_the_question_an_open_amount_waits_for_shows_the_figure(client):
    pas = card(results_page(client, PAS_OPEN), "voorbeeldpas")
    assert "Het bedrag weten we nog niet: het hangt nog af van het aantal kinderen" in text_of(pas)
    question = client.get(re.search(r'href="(/check/wijzig/aantal_kinderen)"', pas).group(1))
    form = wizard_form(question.text)
    shown = form.hidden()["vragen"].split(",")
    assert "aantal_kinderen" in shown and all(q in PAS_OPEN for q in shown if q != "aantal_kinderen")
    household = {**PAS_OPEN, "aantal_kinderen": 2}
    page = client.post(form.action, data={**form.hidden(), **screen_answers(form, household)}, follow_redirects=True)
    assert screen_of(page.text) == "controleer"  # nothing else is asked
    results_form = next(f for f in forms(page.text) if f.action == "/check/uitkomst")
    pas = text_of(card(client.post(results_form.action, data=results_form.hidden()).text, "voorbeeldpas"))
    assert "Ongeveer € 650 per jaar" in pas and "Het bedrag weten we nog niet" not in pas  # 2 adults, 2 children


def test_unknown_results_say_if_it_fits_and_not_eligible_results_show_no_figure(client):
    page = results_page(client, {**OPEN_BIJSTAND, "onderwerpen": ["geld", "mantelzorg"], "leefsituatie": "alleenstaand",
                                 "netto_inkomen": 900})
    assert "Als dit bij u past: ongeveer € 200 per jaar" in text_of(card(page, "mantelzorgwaardering"))
    fatima = results_page(client, FATIMA)
    assert "data-amount" not in card(fatima, "bijstandsuitkering")


def test_a_national_referral_links_to_its_own_calculation_and_shows_no_figure_of_ours(client):
    aio = card(results_page(client, HENK), "aow-aio")
    assert 'href="https://www.svb.nl/nl/aio"' in aio and "data-amount" not in aio
    assert "beslist hoeveel u krijgt" in text_of(aio)


def test_the_product_page_shows_the_figures_per_leefsituatie_on_todays_date(client):
    page = client.get("/producten/bijstandsuitkering").text
    section = text_of(re.search(r'<section aria-labelledby="hoeveel".*?</section>', page, re.S).group(0))
    assert "Hoeveel krijgt u?" in section and "Bedrag per maand op 26 november 2026" in section
    assert "Samen met een partner € 345,99 − uw inkomen € 2.002,13 − uw inkomen € 2.144,16 − uw inkomen" in section
    assert "Team Inkomen beslist over het echte bedrag." in section
    pas = text_of(re.search(r'<section aria-labelledby="hoeveel".*?</section>',
                            client.get("/producten/voorbeeldpas").text, re.S).group(0))
    assert "Samen met een partner € 250 + € 200 × het aantal kinderen" in pas
    aio = client.get("/producten/aow-aio").text
    assert "Wij noemen hier geen bedrag" in aio and 'href="https://www.svb.nl/nl/aio"' in aio
    assert 'aria-labelledby="hoeveel"' not in client.get("/producten/buurthuis").text


def test_the_kcc_panel_and_its_crm_summary_carry_the_amounts(kcc_client):  # noqa: F811
    page = post(kcc_client, FATIMA).text
    shown = text_of(panel(page))
    assert "Bij elkaar ongeveer € 1.345 per jaar" in shown
    assert "Ongeveer € 525 per jaar (indicatie)" in shown
    summary = html.unescape(re.search(r'<textarea[^>]*id="kcc-samenvatting"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    assert "- past: Voorbeeldpas — ongeveer € 525 per jaar" in summary
    assert "Bedragen bij elkaar: ongeveer € 1.345 per jaar." in summary
    assert "- past: Huurtoeslag — bedrag: Dienst Toeslagen beslist" in summary


def test_the_kcc_product_view_reads_out_the_sentence_with_the_figures(kcc_client):  # noqa: F811
    page = post(kcc_client, FATIMA, toon="voorbeeldpas").text
    product = text_of(re.search(r'<section class="kcc-product.*?</section>', page, re.S).group(0))
    assert "Ongeveer € 525 per jaar. Het meedoenbudget per volwassene is € 125." in product
    assert "Team Inkomen beslist over het echte bedrag." in product
