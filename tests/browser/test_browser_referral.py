"""In a real browser: a resident refers herself, a case manager logs in with TOTP, takes it and finishes it."""

from __future__ import annotations

import re

import pyotp
import pytest

from catalogus.settings import Settings
from tests.browser.wizard import run_check
from tests.support.servers import Server, server_env
from tests.support.staff import ROUTED, XSS, add_staff

pytestmark = pytest.mark.browser
SHOTS = "referral-{}.png"


@pytest.fixture
def server(tmp_path):
    add_staff(Settings(data_dir=tmp_path), "anna", "casemanager")
    with Server(server_env(tmp_path), log_path=tmp_path / "server.log") as running:
        yield running


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def page(request, browser):
    """One page on the session's browser (two Playwright instances cannot share a thread)."""
    context = browser.new_context(java_script_enabled=request.param)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def _answer_wizard(page, answers: dict) -> None:
    """Answer each screen the check shows from the household, until the results page."""
    run_check(page, None, answers)


def test_resident_refers_herself_and_a_case_manager_takes_and_finishes_it(server, page, tmp_path):
    page.goto(server.url + "/check")
    _answer_wizard(page, ROUTED)
    page.get_by_role("button", name="Meld u aan bij het wijkteam").click()
    page.wait_for_selector("#toestemming")
    assert not page.locator("#toestemming").is_checked()

    page.locator("#naam").fill(XSS)
    page.locator("#telefoon").fill("06 12345678")
    page.locator("#contact_time-middag").check()
    page.locator("#toelichting").fill("Bel na de middag. " + XSS)
    page.get_by_role("button", name="Aanmelding versturen").click()
    page.wait_for_selector(".error-summary")
    assert "Er is niets opgeslagen" in page.locator(".error-summary").inner_text()  # no consent yet

    page.locator("#toestemming").check()
    page.get_by_role("button", name="Aanmelding versturen").click()
    page.wait_for_selector("[data-reference]")
    reference = page.locator("[data-reference]").inner_text()
    assert re.fullmatch(r"VBS-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}", reference)
    page.screenshot(path=str(tmp_path / SHOTS.format("done")), full_page=True)

    page.goto(server.url + "/medewerkers/aanmeldingen")
    assert "/medewerkers/inloggen" in page.url  # not logged in yet
    page.locator("#gebruikersnaam").fill("anna")
    page.locator("#wachtwoord").fill("een lang wachtwoord 42")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_selector(".totp-secret")
    assert page.locator("img.totp-qr").evaluate("img => img.complete && img.naturalWidth > 0")
    secret = page.locator(".totp-secret").inner_text().replace(" ", "")
    page.locator("#code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Instellen en inloggen").click()
    page.wait_for_selector("table.queue")
    page.screenshot(path=str(tmp_path / SHOTS.format("queue")), full_page=True)

    page.get_by_role("link", name=reference).click()
    page.wait_for_selector("[data-status=nieuw]")
    assert XSS in page.locator("main").inner_text()  # shown as text, never run
    page.get_by_role("button", name="In behandeling nemen").click()
    page.wait_for_selector("[data-status=in_behandeling]")
    page.get_by_role("link", name="Afronden").click()
    page.get_by_label("Opgepakt: het wijkteam helpt").check()
    page.get_by_role("button", name="Ja, afronden").click()
    page.wait_for_selector("[data-status=afgerond]")
    page.screenshot(path=str(tmp_path / SHOTS.format("detail")), full_page=True)
    page.get_by_role("link", name=re.compile("toegangslog")).click()
    log_text = page.locator("main").inner_text()
    for action in ("aangemaakt", "bekeken", "in behandeling genomen", "afgerond"):
        assert action in log_text
    page.get_by_role("button", name="Uitloggen").first.click()
    page.wait_for_selector("text=U bent uitgelogd")
    assert page.dialogs == []  # no injected script ever ran
