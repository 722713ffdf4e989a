"""In Chromium: a policy adviser logs in with a second factor and reads the steering figures, with and without
JavaScript, at 1280 and 390 pixels; each chart is saved as a PNG (under /tmp) to look at, and axe finds nothing."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import httpx
import pytest

from catalogus.casework import accounts, referrals
from catalogus.casework.contact import validate_contact
from catalogus.casework.db import open_database
from catalogus.casework.referrals import Actor
from catalogus.settings import Settings
from tests.browser.test_browser_accessibility import violations
from tests.browser.staff import log_in_with_totp
from tests.support.servers import Server, server_env
from tests.support.staff import NOT_ROUTED, PASSWORD, ROUTED, add_staff
from tests.support.web import walk_check, wizard_form

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("steering")]  # one module server, figures build up
CHARTS = ["weken", "trechter", "producten", "casemanager", "doorlooptijd"]
SHOTS = Path("/tmp/catalogus-stuurinformatie")


def _referrals(settings: Settings) -> None:
    """Twelve referrals from the last weeks, picked up after 2 to 13 hours and finished a day later."""
    db = open_database(settings)
    try:
        user = accounts.add_user(db, "anna", "Anna", "casemanager", PASSWORD, municipality="voorbeeldstad")
        anna = Actor(user.id, user.username, user.role, "", "voorbeeldstad")
        contact, _ = validate_contact({"name": "Iemand", "phone": "0612345678", "email": "",
                                       "contact_time": "middag", "note": ""})
        for i in range(12):
            created = dt.datetime(2026, 11, 2 + i, 9, tzinfo=dt.timezone.utc)
            made = referrals.create_referral(db, contact, consent=True, answers={}, products=[], reasons=[],
                                             urgent=False, channel="online", actor=Actor.resident(), now=created,
                                             municipality="voorbeeldstad")
            referrals.assign(db, made.reference, anna, now=created + dt.timedelta(hours=2 + i))
            referrals.finish(db, made.reference, anna, now=created + dt.timedelta(hours=26 + i))
    finally:
        db.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("steering") / "data"
    settings = Settings(data_dir=data)
    for who in ("bea-1280", "bea-390", "bea-nojs"):  # one each: a TOTP code works only once
        add_staff(settings, who, "beleid")
    _referrals(settings)
    with Server(server_env(data), log_path=data.parent / "server.log") as running:
        with httpx.Client(base_url=running.url, timeout=30) as resident:
            for household in [ROUTED] * 10 + [NOT_ROUTED] * 2:
                resident.cookies.clear()
                walk_check(resident, household)
            for _ in range(12):  # stop at the first screen
                resident.cookies.clear()
                form = wizard_form(resident.get("/check").text)
                resident.post(form.action, data={**form.hidden(), "onderwerpen": ["geld"]}, follow_redirects=True)
            for _ in range(30):
                resident.post("/api/v1/check", json={"answers": ROUTED})
        time.sleep(3)  # the counters reach the database within 2 seconds
        yield running


def log_in(page, url: str, username: str) -> None:
    log_in_with_totp(page, url, username, landing="**/medewerkers/stuurinformatie**")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_charts_and_tables_show_the_figures_and_pass_axe(server, new_page, width):
    page = new_page(width=width, axe=True)
    log_in(page, server.url, f"bea-{width}")
    page.goto(server.url + "/medewerkers/stuurinformatie?gemeente=voorbeeldstad")
    assert page.locator("h1").inner_text() == "Stuurinformatie Voorbeeldstad"
    SHOTS.mkdir(exist_ok=True)
    for name in CHARTS:
        chart = page.locator(f"svg[data-chart='{name}']")
        assert chart.locator("rect.chart__bar").count() > 0, name
        chart.screenshot(path=str(SHOTS / f"{name}-{width}.png"))
    page.screenshot(path=str(SHOTS / f"pagina-{width}.png"), full_page=True)
    funnel = page.locator("table[data-table='trechter']")
    assert funnel.locator("tr[data-stap='start'] td").first.inner_text() == "24"
    assert page.locator("tr[data-kanaal='api'] td").first.inner_text() == "30"
    assert page.locator("tr[data-fase='opgepakt'] td").nth(1).inner_text() == "7,0 uur"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert violations(page) == []
    assert page.problems == []


def test_without_javascript_the_filter_and_the_download_work(server, new_page):
    page = new_page(javascript=False)
    log_in(page, server.url, "bea-nojs")
    page.locator("#van").fill("2026-11-26")
    page.get_by_role("button", name="Toon de cijfers").click()
    page.wait_for_url(re.compile(r"van=2026-11-26"))
    assert "26 november 2026" in page.locator(".lead").inner_text()
    assert page.locator("tr[data-fase='opgepakt'] td").nth(1).inner_text() == "te weinig aanmeldingen"
    with page.expect_download() as download:
        page.get_by_role("link", name="als CSV (voor Excel)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("onderdeel,sleutel,omschrijving,waarde\n") and "checks_begonnen,api,API,30" in text
