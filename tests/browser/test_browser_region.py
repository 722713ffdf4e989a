"""In a real browser: a Buurdorp resident does the check on Buurdorp's pages and refers herself; only
Buurdorp's case manager sees the referral, Voorbeeldstad's finds no such reference."""

from __future__ import annotations

import pytest

from catalogus.settings import Settings
from tests.browser.wizard import run_check
from tests.browser.staff import log_in_with_totp
from tests.support.servers import Server, server_env
from tests.support.staff import ROUTED, add_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    settings = Settings(data_dir=tmp_path)
    add_staff(settings, "bram", "casemanager", "buurdorp")
    add_staff(settings, "anna", "casemanager", "voorbeeldstad")
    with Server(server_env(tmp_path), log_path=tmp_path / "server.log") as running:
        yield running


def log_in(page, url: str, username: str) -> None:
    log_in_with_totp(page, url, username, landing="**/medewerkers/aanmeldingen")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_buurdorp_resident_refers_herself_and_only_buurdorps_case_manager_sees_it(server, browser, javascript,
                                                                                    tmp_path):
    resident = browser.new_context(java_script_enabled=javascript, viewport={"width": 390, "height": 844})
    page = resident.new_page()
    page.goto(server.url + "/buurdorp/")
    assert "Buurdorp" in page.locator("header").inner_text()
    run_check(page, server.url + "/buurdorp", ROUTED)
    assert "/buurdorp/" in page.url
    results = page.locator("main").inner_text()
    assert "Sociaal Team Buurdorp" in results and "Wijkteam Voorbeeldstad" not in results
    page.screenshot(path=str(tmp_path / "buurdorp-results.png"), full_page=True)
    page.get_by_role("button", name="Meld u aan bij het wijkteam").click()
    page.wait_for_selector("#toestemming")
    assert "Ik geef toestemming dat de gemeente Buurdorp" in page.locator("main").inner_text()
    page.locator("#naam").fill("Bert Buurman")
    page.locator("#telefoon").fill("06 12345678")
    if page.locator("#contact_time-middag").count():
        page.locator("#contact_time-middag").check()
    page.locator("#toestemming").check()
    page.get_by_role("button", name="Aanmelding versturen").click()
    page.wait_for_selector("[data-reference]")
    reference = page.locator("[data-reference]").inner_text()
    assert "Sociaal Team Buurdorp" in page.locator("main").inner_text()
    resident.close()

    staff = browser.new_context()
    voorbeeldstad = staff.new_page()
    log_in(voorbeeldstad, server.url, "anna")
    assert reference not in voorbeeldstad.locator("main").inner_text()
    response = voorbeeldstad.goto(server.url + f"/medewerkers/aanmeldingen/{reference}")
    assert response.status == 404
    staff.close()

    staff = browser.new_context()
    buurdorp = staff.new_page()
    log_in(buurdorp, server.url, "bram")
    assert "Aanmeldingen voor Sociaal Team Buurdorp" in buurdorp.locator("h1").inner_text()
    buurdorp.get_by_role("link", name=reference).click()
    buurdorp.wait_for_selector("[data-status=nieuw]")
    assert "Bert Buurman" in buurdorp.locator("main").inner_text()
    if buurdorp.get_by_role("link", name="toegangslog").count():
        buurdorp.get_by_role("link", name="toegangslog").click()
        buurdorp.wait_for_url(f"**/medewerkers/aanmeldingen/{reference}/log*")
    else:
        buurdorp.goto(server.url + f"/medewerkers/aanmeldingen/{reference}/log")
    log_text = buurdorp.locator("main").inner_text()
    assert "anna" in log_text  # the attempt of Voorbeeldstad's case manager is in the log
    staff.close()
