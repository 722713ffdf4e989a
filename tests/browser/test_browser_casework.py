"""In Chromium, with and without JavaScript: a case manager finishes referrals the careful way.

"Afronden" asks for an outcome (and, for a referral nobody took, a reason), can be undone for
a while, a second referral from the same phone number is marked on the queue and the referral,
and the answers read in the order of the questionnaire, with the questions' own text; the reasons are in
professional words.
"""

from __future__ import annotations

import json
import re

import httpx
import pytest

from catalogus.catalog import load_catalog_or_raise
from catalogus.settings import Settings
from tests.browser.staff import log_in_with_totp
from tests.support.servers import Server, server_env
from tests.support.staff import ROOT, ROUTED, TODAY, add_staff, reference_in, referral_form

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    add_staff(Settings(data_dir=tmp_path), "anna", "casemanager")
    with Server(server_env(tmp_path), log_path=tmp_path / "server.log") as running:
        with httpx.Client(base_url=running.url, timeout=30) as resident:  # two referrals, one phone number
            running.references = []
            for note in ("Eerste keer", "Nog een keer, ik hoorde niets"):
                token = re.search(r'name="_csrf_token" value="([^"]+)"', resident.get("/medewerkers/inloggen").text).group(1)
                done = resident.post("/aanmelden", data=referral_form(token, toelichting=note))
                running.references.append(reference_in(done.text))
        yield running


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def page(request, browser):
    context = browser.new_context(java_script_enabled=request.param, viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def log_in(page, url: str) -> None:
    log_in_with_totp(page, url, "anna", landing="**/medewerkers/aanmeldingen")


def test_finishing_asks_for_an_outcome_and_a_reason_and_can_be_undone(server, page, tmp_path):
    first, second = server.references
    log_in(page, server.url)
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 2
    for row, other in ((0, second), (1, first)):
        assert f"Tweede aanmelding, zelfde contact als {other}" in rows.nth(row).inner_text()
    page.screenshot(path=str(tmp_path / "queue.png"), full_page=True)

    page.get_by_role("link", name=first).click()
    page.wait_for_selector("[data-status=nieuw]")
    assert second in page.locator("[data-duplicates]").inner_text()
    asked = page.locator(".answers dt").all_inner_texts()
    catalog = load_catalog_or_raise(ROOT, today=__import__("datetime").date.fromisoformat(TODAY))
    in_order = [q.text for q in catalog.vocabulary if q.id in ROUTED]
    assert asked == in_order  # the questionnaire's order, the questions' own words
    reasons = page.locator("[data-reasons=professional] li").all_inner_texts()
    assert reasons[0] == "Leefgebieden met een probleem: Geld en schulden, Opvoeding (2 van minimaal 3)"
    assert "Schulden: ja" in reasons and not any(r.startswith(("U ", "Uw ", "Er ")) for r in reasons)

    page.get_by_role("link", name="Afronden").click()
    page.get_by_role("button", name="Ja, afronden").click()  # nothing chosen: nothing happens
    summary = page.locator(".error-summary").inner_text()
    assert "Kies wat er met de aanmelding is gebeurd." in summary
    assert "Schrijf op waarom u hem toch afrondt." in summary
    page.screenshot(path=str(tmp_path / "finish-errors.png"), full_page=True)
    page.get_by_label("Dubbele aanmelding").check()
    page.get_by_label("Waarom rondt u af zonder de aanmelding in behandeling te nemen?").fill(f"Dubbel, zie {second}")
    page.get_by_role("button", name="Ja, afronden").click()
    page.wait_for_selector("[data-status=afgerond]")
    assert page.locator("[data-outcome]").inner_text() == "Dubbele aanmelding"
    assert "De aanmelding is afgerond." in page.locator("[role=status]").inner_text()
    assert "ongedaan maken tot" in page.locator("main").inner_text()
    page.screenshot(path=str(tmp_path / "finished.png"), full_page=True)

    page.get_by_role("button", name="Afronden ongedaan maken").click()
    page.wait_for_selector("[data-status=nieuw]")
    assert "Afronden is ongedaan gemaakt." in page.locator("[role=status]").inner_text()
    assert not page.locator("[data-outcome]").count()

    page.goto(f"{server.url}/medewerkers/aanmeldingen/{second}")
    page.get_by_role("button", name="In behandeling nemen").click()
    page.wait_for_selector("[data-status=in_behandeling]")
    page.get_by_role("link", name="Afronden").click()
    assert not page.locator("#reden[required]").count()  # taken by someone: no reason needed
    page.get_by_label("Doorverwezen naar een andere organisatie").check()
    page.get_by_role("button", name="Ja, afronden").click()
    page.wait_for_selector("[data-status=afgerond]")

    page.get_by_role("link", name=re.compile("toegangslog")).click()
    log_text = page.locator("main").inner_text()
    for action in ("bekeken", "in behandeling genomen", "afgerond"):
        assert action in log_text
    page.goto(f"{server.url}/medewerkers/aanmeldingen/{first}/log")
    assert "afronden ongedaan gemaakt" in page.locator("main").inner_text()
