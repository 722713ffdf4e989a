"""Issue 12 in Chromium, with JavaScript on and off: the screens three residents see and their order, the
urgent path with its quick exit, the page for someone from elsewhere, Back that keeps the answers, and a
referral form whose consent block reads as text on a phone and on a desktop (also for the KCC)."""

from __future__ import annotations

import pytest

from tests.browser.test_browser_accessibility import violations
from tests.browser.test_browser_amounts import fill_kcc, kcc_server  # noqa: F401  (fixture)
from tests.browser.wizard import (
    RESULTS, answer_step, choose_topics, current_page, fill, fill_step, mark_current, run_check, submit, visible_questions,
    wait_for_next,
)
from tests.support.staff import PASSWORD
from tests.test_personas import FATIMA, HENK, PERSONAS

pytestmark = pytest.mark.browser

JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
BEGIN = {"veiligheid", "woonplaats"}  # the screens that can end or redirect the check
UNSAFE = {**FATIMA, "onderwerpen": ["veiligheid"], "onveilig_thuis": True}
WORRIED = {**FATIMA, "onderwerpen": ["veiligheid", "gezin"], "onveilig_thuis": False}


def walk(page, base_url: str, household: dict, look=None) -> list[str]:
    """The screens the check shows this household, in order, ending on the results page."""
    screens: list[str] = []

    def seen(current):
        kind, step = current_page(current)
        if kind == "stap":
            screens.append(step)
        if look:
            look(current)

    run_check(page, base_url, household, after_each=seen)
    return screens


@JS
@pytest.mark.parametrize("name", ["henk", "fatima"])
def test_a_resident_starts_with_where_they_live_and_gets_a_few_screens(live_server, new_page, javascript, name):
    household, _date, expected, _urgent = PERSONAS[name]
    page = new_page(javascript=javascript)
    screens = walk(page, live_server.url, household, look=assert_no_quick_exit)
    assert screens[0] == "woonplaats"  # what can send someone elsewhere comes first
    assert "veiligheid" not in screens  # not chosen: not asked
    assert len(set(screens)) <= 7
    shown = set(page.eval_on_selector_all('[data-status="eligible"]', "els => els.map(e => e.dataset.product)"))
    assert shown <= expected and page.locator("#begin-hier [data-status=eligible]").count()
    assert page.locator("#urgent").count() == 0
    assert page.problems == []


def assert_no_quick_exit(page) -> None:
    assert page.locator("[data-quick-exit]").count() == 0


def progress(page) -> tuple[int, int] | None:
    bar = page.locator("progress.progress")
    return (int(bar.get_attribute("value")), int(bar.get_attribute("max"))) if bar.count() else None


@JS
def test_choosing_veiligheid_asks_about_safety_first_and_then_where_you_live(live_server, new_page, javascript):
    page = new_page(javascript=javascript)
    left: list[int] = []

    def look(current):
        assert current.get_by_role("link", name="Snel weg").is_visible()
        done, total = progress(current) or (0, 0)
        left.append(total - done)

    screens = walk(page, live_server.url, WORRIED, look=look)
    assert screens[:2] == ["veiligheid", "woonplaats"]
    assert left == sorted(left, reverse=True)  # the screens still to come never go up
    assert page.get_by_role("link", name="Snel weg").is_visible()


@JS
def test_the_urgent_path_shows_veilig_thuis_above_everything_with_a_quick_exit_on_every_page(
        live_server, new_page, javascript):
    page = new_page(javascript=javascript, axe=javascript)
    page.goto(live_server.url + "/check")
    page.check("#onderwerpen-veiligheid")
    submit(page)
    pages = []
    while True:
        kind, step = current_page(page)
        pages.append(step or kind)
        assert page.get_by_role("link", name="Snel weg").is_visible(), kind
        if kind == "controleer":
            break
        if step != "veiligheid":  # once it is certain, the urgent box comes before anything else to read
            assert_urgent_first(page)
        answer_step(page, UNSAFE)
    assert pages[0] == "veiligheid"
    assert_urgent_first(page)
    page.get_by_role("button", name="Bekijk wat bij u past").click()
    page.locator(RESULTS).wait_for()
    assert_urgent_first(page)
    assert page.get_by_role("link", name="Snel weg").is_visible()
    assert page.locator("#urgent").get_by_role("link", name="Bel 0800-2000").is_visible()
    if javascript:
        assert violations(page) == []
    assert page.problems == []


def assert_urgent_first(page) -> None:
    urgent = page.locator("#urgent")
    assert "Veilig Thuis" in urgent.inner_text()
    top = urgent.bounding_box()["y"]
    for other in page.locator("main h1, main form, main section:not(#urgent)").all():
        box = other.bounding_box()
        if box and other.is_visible():
            assert box["y"] >= top, other.evaluate("e => e.outerHTML.slice(0, 80)")


@JS
def test_someone_from_elsewhere_gets_their_own_page_right_after_saying_so(live_server, new_page, javascript):
    page = new_page(javascript=javascript, axe=javascript)
    choose_topics(page, live_server.url, ["geld", "zorg"])
    assert current_page(page) == ("stap", "woonplaats")
    answer_step(page, {"woont_in_gemeente": False})
    assert current_page(page)[0] == "niet-in-gemeente"
    text = page.locator("main").inner_text()
    assert "Veilig Thuis" in text and "Buurdorp" in text
    assert page.locator("[data-question]").count() == 0  # no more questions about municipal products
    if javascript:
        assert violations(page) == []
    assert page.problems == []


def values_on(page) -> dict[str, str]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('form.wizard__form input')]
        .filter(i => i.type === 'text' ? i.value : i.checked).map(i => [i.id, i.value]))""")


@JS
def test_back_and_reload_return_to_the_previous_screen_with_the_answers_kept(live_server, new_page, javascript):
    page = new_page(javascript=javascript)
    choose_topics(page, live_server.url, ["geld", "gezin"])
    answer_step(page, FATIMA)  # woonplaats
    assert current_page(page) == ("stap", "huishouden")
    fill_step(page, FATIMA)
    household = values_on(page)
    assert screen_number(page) == 2
    submit(page)
    # The next screen (without JavaScript it may be this step again, with the follow-up questions its
    # answers unlocked) has the next number: a step that comes twice is two screens.
    after, after_questions = current_page(page), visible_questions(page)
    assert screen_number(page) == 3

    page.go_back()  # the browser's Back
    assert current_page(page) == ("stap", "huishouden") and screen_number(page) == 2
    assert values_on(page) == household
    page.reload()
    assert current_page(page) == ("stap", "huishouden") and values_on(page) == household

    mark_current(page)
    page.get_by_role("link", name="Terug naar het vorige scherm").click()  # the page's own back link
    wait_for_next(page)
    assert current_page(page) == ("stap", "woonplaats")
    assert page.is_checked("#woont_in_gemeente-ja")

    submit(page)  # on again without changing anything: the next screen of the walk, as it was filled in
    assert current_page(page) == ("stap", "huishouden") and values_on(page) == household
    submit(page)
    assert current_page(page) == after and visible_questions(page) == after_questions
    assert screen_number(page) == 3
    assert page.problems == []


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_follow_up_questions_appear_on_the_screen_once_they_can_matter(live_server, new_page, width, tmp_path):
    page = new_page(axe=True, width=width)
    choose_topics(page, live_server.url, ["zorg"])
    answer_step(page, {"woont_in_gemeente": True})
    assert current_page(page) == ("stap", "zorg") and visible_questions(page) == ["moeite_met"]
    fill(page, "moeite_met", ["verplaatsen_buiten"])
    # Trouble outside the house: whether someone at home can help decides nothing, so it is not asked.
    assert visible_questions(page) == ["moeite_met", "beperking_langdurig", "loopafstand_onder_100m"]
    assert page.locator("[data-vervolg-melding]").inner_text() == "Er staan nu 2 vragen bij op dit scherm."
    fill(page, "moeite_met", ["huishouden"])
    assert visible_questions(page) == ["moeite_met", "beperking_langdurig", "loopafstand_onder_100m",
                                       "huisgenoot_kan_helpen"]
    fill(page, "beperking_langdurig", False)  # not long-lasting: the walking distance decides nothing now
    assert visible_questions(page) == ["moeite_met", "beperking_langdurig", "huisgenoot_kan_helpen"]
    page.screenshot(path=str(tmp_path / f"vervolgvragen-{width}.png"), full_page=True)
    assert violations(page) == []
    submit(page)  # a follow-up on the screen must be answered
    assert current_page(page) == ("stap", "zorg")
    assert page.locator("#huisgenoot_kan_helpen-error").inner_text().split() == ["Fout:", "Kies", "ja", "of", "nee."]
    fill(page, "huisgenoot_kan_helpen", True)
    submit(page)  # the hidden one is not sent, and is not asked again
    assert current_page(page) != ("stap", "zorg") and page.locator(".question__error").count() == 0
    assert page.problems == []


def screen_number(page) -> int:
    """N of "Stap N van ongeveer M"."""
    return int(page.locator("#progress-text").inner_text().split()[1])


# ---------------------------------------------------------------- the referral form

def assert_consent_laid_out(page, narrowest: int) -> None:
    """The consent text and its label read as lines of text, not one letter per line."""
    text = page.locator("#toestemming-tekst").bounding_box()
    label = page.locator('label[for="toestemming"]').bounding_box()
    box = page.locator("#toestemming").bounding_box()
    assert text["width"] > narrowest and text["height"] < 600
    assert label["width"] > 120 and label["height"] < 40  # "Ik geef toestemming" on one line
    assert label["x"] > box["x"] and abs(label["y"] - box["y"]) < 20  # beside its checkbox


@pytest.mark.parametrize("width, narrowest", [(390, 250), (1280, 200)], ids=["phone", "desktop"])
def test_the_consent_block_reads_as_text_on_a_phone_and_a_desktop(live_server, new_page, width, narrowest):
    page = new_page(axe=True, width=width)
    run_check(page, live_server.url, UNSAFE)
    page.get_by_role("button", name="Meld u aan bij het wijkteam").click()
    page.locator("#toestemming").wait_for()
    page.screenshot(path=f"/tmp/referral-{width}.png", full_page=True)
    assert_consent_laid_out(page, narrowest)
    assert violations(page) == []


@pytest.mark.parametrize("width, narrowest", [(390, 250), (1280, 200)], ids=["phone", "desktop"])
def test_the_kcc_on_behalf_form_shows_the_consent_text_to_read_out_at_a_readable_width(
        kcc_server, new_page, width, narrowest):  # noqa: F811
    page = new_page(axe=True, width=width)
    page.goto(kcc_server.url + "/medewerkers/inloggen")
    page.fill("#gebruikersnaam", "karin")
    page.fill("#wachtwoord", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/medewerkers")
    page.goto(kcc_server.url + "/kcc?gemeente=voorbeeldstad")
    fill_kcc(page, {"onderwerpen": ["veiligheid"], "onveilig_thuis": True})
    page.get_by_role("button", name="Aanmelden bij wijkteam namens beller").click()
    page.locator("#toestemming").wait_for()
    page.screenshot(path=f"/tmp/kcc-referral-{width}.png", full_page=True)
    assert "Lees deze tekst voor" in page.locator("main").inner_text()
    assert_consent_laid_out(page, narrowest)  # the text the agent reads out, not 9,000 px of single letters
    assert violations(page) == []


@JS
def test_the_urgent_referral_asks_if_calling_is_safe_and_the_call_time_only_with_a_phone_number(
        live_server, new_page, javascript):
    page = new_page(javascript=javascript)
    run_check(page, live_server.url, UNSAFE)
    page.get_by_role("button", name="Meld u aan bij het wijkteam").click()
    page.locator("#toestemming").wait_for()
    assert page.get_by_role("link", name="Snel weg").is_visible()
    assert page.locator("#veilig_bellen-nee").is_visible() and page.locator("#voorkeur-sms").is_visible()
    call_time = page.locator("#contact_time-avond")
    condition = page.get_by_text("Alleen als u een telefoonnummer invult")
    if javascript:  # the question appears once there is a number to call (site.js: waited for, on a busy machine)
        call_time.wait_for(state="hidden")
        page.fill("#telefoon", "06 12345678")
        call_time.wait_for(state="visible")
        assert not condition.is_visible()
    else:  # shown, with the condition under which it is asked
        assert call_time.is_visible() and condition.is_visible()
        page.fill("#telefoon", "06 12345678")
    page.fill("#naam", "Fatima")
    page.check("#veilig_bellen-nee")
    page.check("#voorkeur-sms")
    call_time.check()
    page.check("#toestemming")
    page.get_by_role("button", name="Aanmelding versturen").click()
    page.locator("[data-reference]").wait_for()
    text = page.locator("main").inner_text()
    assert "op de eerstvolgende werkdag" in text and "zonder te bellen" in text
    assert page.get_by_role("link", name="Snel weg").is_visible()
    assert page.problems == []
