"""Search in a real browser: results while typing (htmx), the plain form without JavaScript, and axe-core."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_browser_accessibility import violations

pytestmark = pytest.mark.browser


def test_the_home_page_shows_results_while_typing_and_keeps_focus(live_server, new_page):
    page = new_page(axe=True)
    page.goto(live_server.url + "/")
    box = page.get_by_label("Waar zoekt u hulp bij?")
    box.press_sequentially("kwijtscheldng", delay=30)
    first = page.locator("#home-zoekresultaten .search-result__link").first
    first.wait_for()
    assert first.inner_text() == "Kwijtschelding gemeentelijke belastingen"
    assert page.locator("#home-zoekresultaten").get_by_role("link", name="kwijtschelding", exact=True).is_visible()  # Bedoelde u
    assert re.fullmatch(r"(1 resultaat|\d+ resultaten) voor kwijtscheldng", page.locator("#home-zoekresultaten-status").inner_text())
    assert page.evaluate("document.activeElement.id") == "home-search"
    assert page.url == live_server.url + "/"
    page.screenshot(path=str(live_server.log.parent / "home-live.png"))
    assert violations(page) == []
    assert page.problems == []


def test_the_search_page_updates_while_typing_and_the_address_can_be_shared(live_server, new_page):
    page = new_page(axe=True)
    page.goto(live_server.url + "/zoeken")
    page.get_by_label("Waar zoekt u hulp bij?").press_sequentially("invalide parkeerkaart", delay=20)
    page.wait_for_url(re.compile(r"/zoeken\?q=invalide(\+|%20)parkeerkaart$"))
    page.locator('.search-result[data-product="gehandicaptenparkeerkaart"]').wait_for()
    assert page.locator(".search-result").first.get_attribute("data-product") == "gehandicaptenparkeerkaart"
    assert page.evaluate("document.activeElement.id") == "zoekvraag"
    page.screenshot(path=str(live_server.log.parent / "zoeken-live.png"), full_page=True)
    assert violations(page) == []
    assert page.problems == []


def test_filters_are_plain_links_that_narrow_the_results(live_server, new_page):
    page = new_page()
    page.goto(live_server.url + "/zoeken?q=huur")
    everything = page.locator(".search-result").count()
    page.get_by_role("link", name=re.compile(r"^Hulp van andere organisaties \(\d+\)$")).click()
    page.wait_for_url(re.compile(r"soort=verwijzing"))
    narrowed = page.locator(".search-result").count()
    assert 0 < narrowed < everything
    current = page.get_by_role("link", name=re.compile(r"^Hulp van andere organisaties \(\d+\)$"))
    assert current.get_attribute("aria-current") == "true"


def test_without_javascript_the_form_searches_with_a_page_load(live_server, new_page):
    page = new_page(javascript=False, axe=False)
    page.goto(live_server.url + "/")
    page.get_by_label("Waar zoekt u hulp bij?").fill("hulp in de huishouding")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/zoeken\?q=hulp"))
    assert page.locator(".search-result").first.get_attribute("data-product") == "huishoudelijke-ondersteuning"
    assert page.get_by_role("heading", level=2).first.inner_text().endswith("voor ‘hulp in de huishouding’")
    page.screenshot(path=str(live_server.log.parent / "zoeken-zonder-js.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", ["/zoeken", "/zoeken?q=huur", "/zoeken?q=kwijtscheldng", "/zoeken?q=fietsenmaker",
                                  "/zoeken?q=huur&onderwerp=wonen&soort=verwijzing", "/zoeken?q=%21%21"])
def test_search_pages_have_no_accessibility_violations(live_server, new_page, path, width):
    page = new_page(axe=True, width=width)
    page.goto(live_server.url + path)
    assert violations(page) == []
    assert page.problems == []
