"""Residents go through the check in Chromium, with JavaScript on and off, and with the keyboard only."""

from __future__ import annotations

import pytest

from tests.browser.wizard import (
    RESULTS, current_page, focused_tag, loaded_url, keyboard_field, keyboard_step, run_check, tab_to, wait_for_next, mark_current,
)
from catalogus.web.present import START_HERE
from tests.test_personas import FATIMA, HENK, PERSONAS, SANNE

pytestmark = pytest.mark.browser


def eligible_on_page(page, section: str) -> set[str]:
    return set(page.eval_on_selector_all(f'#{section} [data-status="eligible"]',
                                         "els => els.map(e => e.dataset.product)"))


def assert_results_grouped(page, catalog, household, expected):
    """"Begin hier" holds a few fits in the chosen topics; every other fit is on the page, none behind a closed section."""
    topics = set(household["onderwerpen"])
    in_topics = {p for p in expected if set(catalog.products[p].domains) & topics}
    everything = set(page.eval_on_selector_all('[data-status="eligible"]', "els => els.map(e => e.dataset.product)"))
    assert in_topics <= everything <= expected
    start = eligible_on_page(page, "begin-hier")
    assert start and start <= in_topics and len(start) <= START_HERE
    assert eligible_on_page(page, "ook") == everything - start
    assert eligible_on_page(page, "andere-regelingen") == set()
    hidden = page.eval_on_selector_all('[data-status="eligible"]', "els => els.filter(e => !e.checkVisibility())"
                                       ".map(e => e.dataset.product)")
    assert hidden == []


CASES = [("fatima", FATIMA, "live_server"), ("henk", HENK, "live_server"), ("sanne-2026", SANNE, "live_server"),
         ("sanne-2027", SANNE, "live_server_2027")]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("name, household, server", CASES, ids=[c[0] for c in CASES])
def test_a_persona_completes_the_check_and_sees_the_right_products(request, new_page, catalog, javascript, name,
                                                                   household, server):
    base_url = request.getfixturevalue(server).url
    expected = PERSONAS[name][2]
    page = new_page(javascript=javascript)
    asked = run_check(page, base_url, household)
    assert len(asked) < len(catalog.vocabulary) - 1
    assert_results_grouped(page, catalog, household, expected)
    if name.startswith("sanne"):
        year = "2027" if name.endswith("2027") else "2026"
        assert year in page.locator(".results__note").inner_text()
    # With JavaScript htmx swapped every step into the page loaded at /check (the address bar follows the
    # screens, so Back works); without, each screen was a page of its own.
    assert loaded_url(page).endswith("/check" if javascript else "/check/uitkomst")
    assert page.url.endswith("/check/uitkomst")
    assert page.problems == []  # no script errors, no CSP violations


def test_the_print_button_appears_only_with_javascript(live_server, new_page):
    household = {**FATIMA, "onderwerpen": ["veiligheid"]}
    for javascript in (True, False):
        page = new_page(javascript=javascript)
        run_check(page, live_server.url, household)
        assert page.get_by_role("button", name="Printen of opslaan als pdf").is_visible() is javascript


@pytest.mark.parametrize("javascript, household", [(True, HENK), (False, SANNE)], ids=["js-henk", "no-js-sanne"])
def test_the_whole_check_works_with_the_keyboard_alone(live_server, new_page, catalog, javascript, household):
    page = new_page(javascript=javascript)
    page.goto(live_server.url + "/")
    tab_to(page, 'a[href="/check"].utrecht-button-link')
    page.keyboard.press("Enter")
    page.locator('[data-question="onderwerpen"]').wait_for()
    keyboard_field(page, "onderwerpen", household["onderwerpen"])
    mark_current(page)
    tab_to(page, 'button[value="volgende"]')
    page.keyboard.press("Enter")
    wait_for_next(page)
    for _ in range(25):
        kind, _step = current_page(page)
        if kind != "stap":
            break
        if javascript:  # after the swap, focus moved to the new screen's heading and the page shows its top
            assert focused_tag(page, "H1") == "H1"
            page.wait_for_function("() => window.scrollY === 0")  # fails after the timeout if it never gets there
        keyboard_step(page, household)
    assert kind == "controleer"
    tab_to(page, 'form[action="/check/uitkomst"] button')
    page.keyboard.press("Enter")
    page.locator(RESULTS).wait_for()
    if javascript:
        assert focused_tag(page, "H1") == "H1"
    tab_to(page, "details.why summary")
    page.keyboard.press("Enter")
    assert page.locator("details.why[open]").count() == 1
    assert page.problems == []


def test_an_error_moves_focus_to_the_error_summary(live_server, new_page):
    page = new_page(javascript=True)
    page.goto(live_server.url + "/check")
    page.get_by_role("button", name="Volgende").click()
    page.locator("[data-error-summary]").wait_for()
    assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
    page.get_by_role("link", name="Kies minstens één onderwerp.").click()
    assert page.evaluate("() => document.activeElement.id") == "onderwerpen-geld"
