"""Issue 18 in Chromium at 390 and 1280 px: a transparency page people can read, the KCC frame for an agent.

Screenshots go to /tmp/issue18-*.png, to be looked at, not only asserted.
"""

from __future__ import annotations

import pytest

from catalogus.settings import Settings
from tests.browser.test_browser_accessibility import violations
from tests.browser.test_kcc_browser import log_in_with_keyboard
from tests.support.servers import Server, server_env
from tests.support.staff import add_staff

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1280"])


def shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/issue18-{name}-{page.viewport_size['width']}.png", full_page=False)


# ---------------------------------------------------------------- transparency

@SIZES
def test_every_product_section_of_the_transparency_page_fits_in_three_screens(live_server, new_page, size):
    page = new_page(axe=True, width=size["width"])
    page.set_viewport_size(size)
    page.goto(live_server.url + "/hoe-wij-bepalen")
    heights = page.eval_on_selector_all(
        "article.rule-entry[data-product]",
        "els => Object.fromEntries(els.map(el => [el.dataset.product, el.getBoundingClientRect().height]))")
    assert len(heights) > 40
    too_tall = {pid: round(h) for pid, h in heights.items() if h > 3 * size["height"]}
    assert too_tall == {}
    page.locator("#regel-voorbeeldpas").scroll_into_view_if_needed()
    shot(page, "transparantie-voorbeeldpas")
    assert violations(page) == []
    assert page.problems == []


def test_the_norm_table_headers_never_break_inside_a_word_on_a_phone(live_server, new_page):
    page = new_page(width=390)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/hoe-wij-bepalen#regel-bijzondere-bijstand")
    lines = page.eval_on_selector_all(".norm-table thead th", """ths => ths.map(th => {
        const range = document.createRange(); range.selectNodeContents(th);
        return range.getClientRects().length; })""")
    assert lines and all(count == 1 for count in lines)  # 'Waarde' on one line, not 'Waa/rde'


@SIZES
def test_a_product_page_shows_its_limit_in_euros_and_links_to_its_own_section(live_server, new_page, size):
    page = new_page(width=size["width"])
    page.set_viewport_size(size)
    page.goto(live_server.url + "/producten/bijzondere-bijstand")
    limits = page.locator("[data-limits]").first
    assert "Woont u alleen of alleen met kinderen? Dan is de grens € 1.821,95 per maand." in limits.inner_text().replace("\u00a0", " ")
    assert page.get_by_text("Uniforme productnaam").count() == 0
    limits.scroll_into_view_if_needed()
    shot(page, "product-grens")
    page.get_by_role("link", name="Zo bepalen wij dit voor Bijzondere bijstand").click()
    page.wait_for_url("**/hoe-wij-bepalen#regel-bijzondere-bijstand")
    # the reader lands on the product's own section
    page.wait_for_function("""() => { const top = document.getElementById('regel-bijzondere-bijstand')
        .getBoundingClientRect().top; return top >= -2 && top < window.innerHeight / 2; }""", timeout=5000)
    shot(page, "transparantie-sectie")


# ---------------------------------------------------------------- the KCC frame

@pytest.fixture
def kcc_server(tmp_path):
    add_staff(Settings(data_dir=tmp_path), "karin", "kcc")
    with Server(server_env(tmp_path), log_path=tmp_path / "server.log") as running:
        yield running


def open_call(page, url: str) -> None:
    log_in_with_keyboard(page, url)
    page.goto(url + "/kcc?gemeente=voorbeeldstad")
    page.locator("#kcc-form").wait_for()


def tabs_to_first_question(page) -> int:
    """Tab from the top of the page until a question's field has focus; the number of presses."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    first = page.eval_on_selector(".kcc-q", "el => el.dataset.question")
    for presses in range(1, 30):
        page.keyboard.press("Tab")
        if page.evaluate("(q) => !!document.activeElement.closest(`.kcc-q[data-question='${q}']`)", first):
            return presses
    raise AssertionError("Tab never reached the first question")


@SIZES
def test_the_kcc_screen_has_its_own_frame_and_the_first_question_is_within_three_tab_stops(kcc_server, new_page, size):
    page = new_page(axe=True, width=size["width"])
    page.set_viewport_size(size)
    open_call(page, kcc_server.url)
    header = page.locator(".kcc-header")
    assert "Ingelogd als" in header.inner_text() and "Nieuw gesprek" in header.inner_text()
    assert "Voorbeeldstad" in header.inner_text()
    assert page.locator(".site-footer").count() == 0
    assert page.get_by_text("Uw antwoorden in de check bewaren we niet").count() == 0
    assert tabs_to_first_question(page) <= 3
    shot(page, "kcc")
    assert violations(page) == []


@SIZES
def test_an_urgent_result_is_above_everything_in_the_panel_even_the_next_question(kcc_server, new_page, size):
    page = new_page(axe=True, width=size["width"])
    page.set_viewport_size(size)
    open_call(page, kcc_server.url)
    page.locator("label[for='onveilig_thuis-ja']").click()
    urgent = page.locator("#kcc-urgent")
    urgent.wait_for()
    first = page.eval_on_selector("#kcc-uitkomst", "el => el.querySelector('section, p, div, h2').id")
    assert first == "kcc-urgent"
    assert urgent.bounding_box()["y"] < page.locator("#kcc-volgende").bounding_box()["y"]
    if size["width"] < 960:  # one column: above the questions too (two columns: beside them, at the top)
        assert urgent.bounding_box()["y"] < page.locator(".kcc-group").first.bounding_box()["y"]
    urgent.scroll_into_view_if_needed()
    shot(page, "kcc-urgent")
    assert violations(page) == []


def test_the_on_behalf_referral_form_is_in_the_kcc_frame(kcc_server, new_page):
    page = new_page(axe=True, width=1280)
    open_call(page, kcc_server.url)
    for qid, value in (("woont_in_gemeente", "ja"), ("wil_persoonlijk_contact", "ja")):
        page.locator(f"label[for='{qid}-{value}']").click()
    page.locator("#kcc-aanmelden").click()
    page.get_by_role("heading", name="Beller aanmelden bij het wijkteam").wait_for()
    assert page.locator(".kcc-header").count() == 1 and page.locator(".site-footer").count() == 0
    assert page.get_by_text("Uw antwoorden in de check bewaren we niet").count() == 0
    shot(page, "kcc-aanmelden")
    assert violations(page) == []
