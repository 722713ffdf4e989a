"""Amounts in Chromium: the results page, its print view and the KCC screen show them; axe-core finds nothing."""

from __future__ import annotations

import json

import pytest

from catalogus.settings import Settings
from tests.browser.test_browser_accessibility import violations
from tests.browser.wizard import RESULTS, run_check
from tests.support.servers import Server, server_env
from tests.support.staff import PASSWORD, add_staff
from tests.test_personas import FATIMA

pytestmark = pytest.mark.browser

OPEN_AMOUNT = {"onderwerpen": ["geld"], "woont_in_gemeente": True, "leeftijd": 30, "netto_inkomen": 0,
               "vermogen": 0, "situatie_werk": "werkzoekend"}


def card(page, product: str):
    return page.locator(f'li.result-card[data-product="{product}"]')


def results_for(page, base_url: str, answers: dict) -> None:
    """The results page for these answers, as the form of the check would post them."""
    page.goto(base_url + "/check")
    page.evaluate("""(answers) => {
        const form = document.querySelector("form.wizard__form");
        form.action = "/check/uitkomst";
        form.removeAttribute("hx-boost");
        form.querySelector('input[name="antwoorden"]').value = answers;
        form.submit();
    }""", json.dumps(answers))
    page.locator(RESULTS).wait_for()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_results_page_shows_each_amount_how_it_is_computed_and_the_total(live_server, new_page, javascript):
    page = new_page(javascript=javascript)
    run_check(page, live_server.url, FATIMA)
    pas = card(page, "voorbeeldpas")
    assert pas.locator(".amount__value").inner_text() == "Ongeveer € 525 per jaar"
    explanation = pas.locator(".amount__how .disclosure__body")
    assert not explanation.is_visible()
    pas.get_by_text("Hoe rekenen we dit uit?").click()
    assert "Zo rekenen we: € 125 × 1 + € 200 × 2 = € 525." in explanation.inner_text()
    assert "Team Inkomen beslist over het echte bedrag" in pas.inner_text()
    total = page.locator("#bedragen")
    assert "Bij elkaar ongeveer € 1.345 per jaar." in total.inner_text()
    assert card(page, "bijstandsuitkering").locator(".amount").count() == 0  # not eligible: no figure
    huurtoeslag = card(page, "huurtoeslag")
    assert huurtoeslag.locator(".amount__value").count() == 0
    assert huurtoeslag.get_by_role("link", name="Doe de proefberekening huurtoeslag van Dienst Toeslagen").is_visible()
    assert page.problems == []


def test_an_open_amount_asks_the_question_it_needs_and_the_total_says_it_may_be_higher(live_server, new_page):
    page = new_page(axe=True)
    results_for(page, live_server.url, OPEN_AMOUNT)
    bijstand = card(page, "bijstandsuitkering")
    assert "Het bedrag weten we nog niet: het hangt nog af van wie er bij u woont." in bijstand.inner_text()
    assert "weten we het bedrag nog niet" in page.locator("#bedragen").inner_text()
    assert violations(page) == []
    bijstand.get_by_role("link", name="Beantwoord deze vraag over het bedrag van Bijstandsuitkering").click()
    page.locator('[data-question="leefsituatie"]').wait_for()


def test_the_print_view_keeps_the_figures_and_who_decides(live_server, new_page):
    page = new_page()
    run_check(page, live_server.url, FATIMA)
    page.emulate_media(media="print")
    pas = card(page, "voorbeeldpas")
    assert pas.locator(".amount__value").is_visible()
    assert pas.locator(".amount__how").is_hidden()  # the disclosure is for the screen
    printed = pas.locator(".amount__print")
    assert printed.is_visible() and "Zo rekenen we: € 125 × 1 + € 200 × 2 = € 525." in printed.inner_text()
    assert pas.locator(".amount__who").is_visible()
    total = page.locator("#bedragen")
    assert total.is_visible() and "Bij elkaar ongeveer € 1.345 per jaar." in total.inner_text()
    page.emulate_media(media="screen")
    assert printed.is_hidden()


@pytest.fixture
def kcc_server(tmp_path):
    add_staff(Settings(data_dir=tmp_path), "karin", "kcc")
    with Server(server_env(tmp_path), log_path=tmp_path / "server.log") as running:
        yield running


def fill_kcc(page, answers: dict) -> None:
    for qid, value in answers.items():
        if isinstance(value, bool):
            page.check(f"#{qid}-{'ja' if value else 'nee'}")
        elif isinstance(value, list):
            for item in value:
                page.check(f"#{qid}-{item}")
        elif page.locator(f"select#{qid}").count():
            page.select_option(f"#{qid}", value)
        else:
            page.fill(f"#{qid}", str(value))
            page.keyboard.press("Tab")


def test_the_kcc_screen_shows_the_amounts_the_total_and_puts_them_in_the_crm_summary(kcc_server, new_page):
    page = new_page(axe=True, width=1366)
    page.goto(kcc_server.url + "/kcc?gemeente=voorbeeldstad")
    page.fill("#gebruikersnaam", "karin")
    page.fill("#wachtwoord", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/medewerkers")
    page.goto(kcc_server.url + "/kcc?gemeente=voorbeeldstad")
    fill_kcc(page, FATIMA)
    total = page.locator("#kcc-bedragen")
    total.wait_for()
    page.wait_for_function("() => document.querySelector('#kcc-bedragen').dataset.total === '134500'")
    assert "Bij elkaar ongeveer € 1.345 per jaar" in total.inner_text()
    pas = page.locator('#kcc-uitkomst li[data-product="voorbeeldpas"]')
    assert pas.locator(".kcc-amount").inner_text() == "Ongeveer € 525 per jaar (indicatie)"
    summary = page.locator("#kcc-samenvatting").input_value()
    assert "- past: Voorbeeldpas — ongeveer € 525 per jaar" in summary
    assert "Bedragen bij elkaar: ongeveer € 1.345 per jaar." in summary
    page.locator("#toon-voorbeeldpas").click()
    page.locator("#kcc-product-bedrag").wait_for()
    assert "Team Inkomen beslist over het echte bedrag." in page.locator("#kcc-product-bedrag").inner_text()
    assert violations(page) == []
    assert page.problems == []
