"""A KCC employee handles a whole call in Chromium: with the keyboard only, and again with JavaScript off."""

from __future__ import annotations

import pytest

from catalogus.casework.db import open_database
from catalogus.settings import Settings
from tests.browser.test_browser_accessibility import violations
from tests.support.servers import Server, server_env
from tests.support.staff import PASSWORD, add_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    add_staff(Settings(data_dir=tmp_path), "karin", "kcc")
    with Server(server_env(tmp_path), log_path=tmp_path / "server.log") as running:
        yield running


def stored_in_browser(page) -> dict:
    """Everything in localStorage and sessionStorage. htmx itself keeps the current path
    (``htmx-current-path-for-history``: "/kcc"); nothing of the call may be there."""
    return page.evaluate("""() => {
        const all = {};
        for (const store of [localStorage, sessionStorage])
            for (let i = 0; i < store.length; i++) all[store.key(i)] = store.getItem(store.key(i));
        return all;
    }""")


def channels(tmp_path) -> list[str]:
    database = open_database(Settings(data_dir=tmp_path))
    try:
        with database.transaction(write=False) as tx:
            return [row["channel"] for row in tx.fetchall("SELECT channel FROM referrals")]
    finally:
        database.close()


# ---------------------------------------------------------------- keyboard helpers

def active(page, expression: str = "el.id"):
    return page.evaluate(f"() => {{ const el = document.activeElement; return el ? {expression} : null; }}")


def keyboard_focus(page, selector: str, limit: int = 250) -> None:
    """Tab (or Shift+Tab, when the target lies behind the focus) until the selector has focus."""
    backwards = page.evaluate("""(sel) => {
        const target = document.querySelector(sel), now = document.activeElement;
        if (!target || !now || now === document.body) return false;
        return !!(target.compareDocumentPosition(now) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""", selector)
    for _ in range(limit):
        if page.evaluate("(sel) => !!document.activeElement && document.activeElement.matches(sel)", selector):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"the keyboard never reached {selector}")


def answered(page, qid: str) -> None:
    page.locator(f"#{qid}-relevantie.kcc-mark--answered").wait_for(state="attached")


def type_answer(page, qid: str, text: str) -> None:
    keyboard_focus(page, f"#{qid}")
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    answered(page, qid)


def key_answer(page, qid: str, key: str) -> None:
    """Ja / Nee with one key on the radio group."""
    keyboard_focus(page, f'input[name="{qid}"]')
    page.keyboard.press(key)
    answered(page, qid)


def choose_option(page, qid: str, value: str) -> None:
    keyboard_focus(page, f"#{qid}")
    values = page.eval_on_selector_all(f"#{qid} option", "options => options.map(o => o.value)")
    for _ in range(values.index(value)):
        page.keyboard.press("ArrowDown")
    answered(page, qid)


def tick(page, qid: str, option: str) -> None:
    keyboard_focus(page, f"#{qid}-{option}")
    page.keyboard.press("Space")


def log_in_with_keyboard(page, url: str) -> None:
    page.goto(url + "/kcc?gemeente=voorbeeldstad")
    assert "/medewerkers/inloggen" in page.url  # not logged in yet
    keyboard_focus(page, "#gebruikersnaam")
    page.keyboard.type("karin")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/medewerkers")


def choose_municipality(page, municipality: str = "voorbeeldstad") -> None:
    """A new call in the region starts with the caller's municipality; chosen with the keyboard."""
    page.locator(".kcc-municipalities").wait_for()
    keyboard_focus(page, f'a[href="/kcc?gemeente={municipality}"]')
    page.keyboard.press("Enter")
    page.locator("#kcc-form").wait_for()


# ---------------------------------------------------------------- the call

def test_a_whole_call_with_the_keyboard_only(server, new_page, tmp_path):
    page = new_page(axe=True, width=1366)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    log_in_with_keyboard(page, server.url)
    keyboard_focus(page, 'a[href="/kcc"]')
    page.keyboard.press("Enter")
    choose_municipality(page)
    assert violations(page) == []

    # "/" goes to the search box; Enter opens the first hit in the results panel, with focus on it
    page.keyboard.press("/")
    assert active(page) == "kcc-zoek"
    page.keyboard.type("schuldhulp")
    page.locator("#kcc-zoekresultaten .search-result").first.wait_for()
    page.keyboard.press("Enter")
    page.locator('#kcc-product[data-product="schuldhulpverlening"][data-status="unknown"]').wait_for()
    assert active(page) == "kcc-product-titel"
    assert violations(page) == []

    # Alt+Shift+V jumps to the question that decides the most
    deciding = page.locator(".kcc-next__link").get_attribute("data-question")
    page.keyboard.press("Alt+Shift+V")
    assert active(page, "el.closest('.kcc-q').dataset.question") == deciding

    tick(page, "onderwerpen", "geld")
    tick(page, "onderwerpen", "gezin")
    key_answer(page, "woont_in_gemeente", "j")
    type_answer(page, "leeftijd", "34")
    assert active(page) == "leeftijd" and page.input_value("#leeftijd") == "34"  # the update kept the field
    choose_option(page, "leefsituatie", "alleenstaande_ouder")
    type_answer(page, "aantal_kinderen", "2")
    type_answer(page, "netto_inkomen", "1.650")
    key_answer(page, "schulden", "j")
    assert active(page, "el.name") == "schulden"
    # the panel changed: the product from the search now fits this caller
    page.locator('#kcc-product[data-status="eligible"]').wait_for()
    key_answer(page, "eenzaam", "n")
    page.keyboard.press("0")  # and cleared again
    page.locator("#eenzaam-relevantie:not(.kcc-mark--answered)").wait_for(state="attached")
    assert page.is_checked("#eenzaam-leeg")
    assert page.locator("#kcc-casemanager").get_attribute("class").endswith("kcc-route--onbekend")
    key_answer(page, "zorgen_over_kind", "j")
    page.locator('#kcc-uitkomst[data-route="ja"] #kcc-aanmelden').wait_for()
    assert "Casemanager: ja" in page.locator("#kcc-status").inner_text()
    assert violations(page) == []
    page.screenshot(path=str(tmp_path / "kcc-1366.png"), full_page=True, caret="initial")

    # Alt+Shift+R: the results panel; Alt+Shift+K: the summary on the clipboard
    page.keyboard.press("Alt+Shift+R")
    assert active(page) == "kcc-uitkomst"
    page.keyboard.press("Alt+Shift+K")
    page.wait_for_function("() => document.getElementById('kcc-status').textContent.includes('gekopieerd')")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "Casemanager wijkteam: ja" in copied and "- Leeftijd: 34 jaar" in copied
    assert copied == page.input_value("#kcc-samenvatting")
    assert stored_in_browser(page) == {"htmx-current-path-for-history": "/kcc?gemeente=voorbeeldstad"}

    # refer on the caller's behalf
    keyboard_focus(page, "#kcc-aanmelden")
    page.keyboard.press("Enter")
    page.locator("#toestemming").wait_for()
    assert "Lees deze tekst voor aan de beller" in page.locator("main").inner_text()
    assert violations(page) == []
    keyboard_focus(page, "#naam")
    page.keyboard.type("Fatima el Amrani")
    keyboard_focus(page, "#telefoon")
    page.keyboard.type("06 12345678")
    keyboard_focus(page, 'input[name="contact_time"]')
    page.keyboard.press("Space")
    keyboard_focus(page, "#toestemming")
    page.keyboard.press("Space")
    keyboard_focus(page, ".referral-form button[type=submit]")
    page.keyboard.press("Enter")
    page.locator("[data-reference]").wait_for()
    assert channels(tmp_path) == ["kcc"]

    # a new call starts empty
    keyboard_focus(page, 'main a[href="/kcc"]')
    page.keyboard.press("Enter")
    choose_municipality(page)
    assert page.input_value("#leeftijd") == "" and page.is_checked("#schulden-leeg")
    assert stored_in_browser(page) == {"htmx-current-path-for-history": "/kcc?gemeente=voorbeeldstad"}
    assert page.problems == []  # no script errors, no CSP violations


def test_errors_show_at_the_field_and_a_new_call_clears_everything_on_a_1024_screen(server, new_page, tmp_path):
    page = new_page(axe=True, width=1024)
    log_in_with_keyboard(page, server.url)
    page.goto(server.url + "/kcc?gemeente=voorbeeldstad")
    form, panel = page.locator("#kcc-form").bounding_box(), page.locator("#kcc-uitkomst").bounding_box()
    assert panel["x"] >= form["x"] + form["width"]  # questions | results, side by side
    keyboard_focus(page, "#leeftijd")
    page.keyboard.type("200")
    page.locator("#leeftijd-fout", has_text="0 tot en met 120").wait_for()
    assert page.get_attribute("#leeftijd", "aria-invalid") == "true"
    assert page.locator("#kcc-fouten a[href='#leeftijd']").is_visible()
    assert active(page) == "leeftijd"
    assert violations(page) == []
    page.screenshot(path=str(tmp_path / "kcc-1024-fout.png"), full_page=True, caret="initial")
    assert page.locator("#leeftijd-vraag").is_hidden()  # the resident's wording, on request
    keyboard_focus(page, "#kcc-volledig")
    page.keyboard.press("Space")
    assert page.locator("#leeftijd-vraag").is_visible()
    key_answer(page, "schulden", "j")
    page.keyboard.press("Alt+Shift+N")  # a new call may be from another municipality: that choice comes first
    choose_municipality(page)
    assert page.input_value("#leeftijd") == ""
    assert page.is_checked("#schulden-leeg") and not page.locator("#kcc-fouten .error-summary").count()
    assert page.problems == []


def test_the_same_call_without_javascript(server, new_page, tmp_path):
    page = new_page(javascript=False, width=1366)
    log_in_with_keyboard(page, server.url)
    page.goto(server.url + "/kcc?gemeente=voorbeeldstad")
    assert page.locator("#kcc-kopieer").is_hidden()  # copying needs the script; the text is there
    page.check("#onderwerpen-geld")
    page.check("#onderwerpen-gezin")
    page.check("#woont_in_gemeente-ja")
    page.fill("#leeftijd", "340")
    page.select_option("#leefsituatie", "alleenstaande_ouder")
    page.fill("#aantal_kinderen", "2")
    page.fill("#netto_inkomen", "1650")
    page.check("#schulden-ja")
    page.check("#zorgen_over_kind-ja")
    page.get_by_role("button", name="Bereken").click()
    page.locator("#kcc-fouten .error-summary").wait_for()
    assert page.evaluate("() => document.activeElement.matches('.error-summary')")  # autofocus, no script
    assert "Vul een getal in van 0 tot en met 120" in page.locator("#leeftijd-fout").inner_text()
    assert page.input_value("#netto_inkomen") == "1650" and page.is_checked("#schulden-ja")

    page.fill("#leeftijd", "34")
    page.get_by_role("button", name="Bereken").click()
    page.locator('#kcc-uitkomst[data-route="ja"]').wait_for()
    assert not page.locator("#kcc-fouten .error-summary").count()
    assert page.input_value("#leeftijd") == "34"
    assert page.get_attribute('[data-product="schuldhulpverlening"]', "data-status") == "eligible"
    assert "Casemanager wijkteam: ja" in page.input_value("#kcc-samenvatting")

    page.get_by_role("button", name="Toon Schuldhulpverlening").click()
    page.locator('#kcc-product[data-product="schuldhulpverlening"]').wait_for()
    assert page.input_value("#leeftijd") == "34"

    page.get_by_role("button", name="Aanmelden bij wijkteam namens beller").click()
    page.locator("#toestemming").wait_for()
    page.get_by_role("button", name="Terug naar het KCC-scherm").click()  # and back, answers kept
    page.locator("#kcc-form").wait_for()
    assert page.input_value("#leeftijd") == "34" and page.is_checked("#zorgen_over_kind-ja")
    page.get_by_role("button", name="Aanmelden bij wijkteam namens beller").click()
    page.fill("#naam", "Fatima el Amrani")
    page.fill("#telefoon", "06 12345678")
    page.check("#contact_time-ochtend")
    page.check("#toestemming")
    page.get_by_role("button", name="Aanmelding versturen").click()
    page.locator("[data-reference]").wait_for()
    assert channels(tmp_path) == ["kcc"]
