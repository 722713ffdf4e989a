"""No personal data in the logs over a whole browser run, and every log line is JSON.

(Under tests/browser/ to share the one Playwright instance of the session: see conftest.py.)

A real server (``catalogus serve`` at log level DEBUG, stdout and stderr to one file) and
Chromium: a resident does the check with distinctive answers, searches, and refers
herself; a case manager logs in with TOTP, opens, takes and finishes the referral; a KCC
employee handles a call and refers the caller. Then none of what was typed, none of the
cookies, tokens or codes, and no client address may be anywhere in what the server wrote.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pyotp
import pytest

from catalogus.settings import Settings
from tests.browser.wizard import run_check
from tests.support.servers import Server, server_env
from tests.support.staff import PASSWORD, ROUTED, add_staff

pytestmark = pytest.mark.browser

NAME, PHONE, EMAIL = "Wilhelmina Zeldzaam-Korteweg", "06 98765432", "w.zeldzaam@example.nl"
NOTE = "Bartholomeus bedreigt mij bij de paardenbloemsoep"
CALLER, CALLER_PHONE = "Cornelis Vanderzwaluw", "010 7654321"
#: what the resident types for the number questions (the rest comes from ROUTED)
TYPED = {"leeftijd": "47", "aantal_kinderen": "3", "netto_inkomen": "1.873,47", "vermogen": "4.321,09",
         "huur": "912,33", "mantelzorg_uren": "0"}
SEARCHES = ["zonnepanelenkwestie", "Zeldzaamheidsfonds"]
NEVER = [
    NAME, "Wilhelmina", "Zeldzaam", "Korteweg", PHONE, "0698765432", "98765432", "06-98765432", "+31698765432",
    "06 9876 5432", EMAIL, "w.zeldzaam", "example.nl", "Bartholomeus", "paardenbloemsoep", CALLER, "Cornelis",
    "Vanderzwaluw", CALLER_PHONE, "0107654321", "7654321", "1.873,47", "1873,47", "1873.47", "187347", "4.321,09",
    "4321.09", "432109", "912,33", "912.33", "91233", "2.345,67", "2345.67", "234567", "zonnepanelen",
    "zeldzaamheidsfonds", PASSWORD, "wachtwoord", "127.0.0.1",
]


@pytest.fixture
def server(tmp_path):
    for name, role in (("anna", "casemanager"), ("kees", "kcc")):
        add_staff(Settings(data_dir=tmp_path), name, role)
    env = server_env(tmp_path, CATALOGUS_LOG_LEVEL="DEBUG")
    running = Server(env, log_path=tmp_path / "server.log")
    yield running
    running.stop()


class Secrets:
    """Cookies, CSRF tokens and TOTP values seen during the run: none may reach a log."""

    def __init__(self):
        self.values: set[str] = set()

    def collect(self, page) -> None:
        self.values |= {c["value"] for c in page.context.cookies() if len(c["value"]) >= 8}
        token = page.locator('meta[name="csrf-token"]')
        if token.count():
            self.values.add(token.get_attribute("content"))


def answer_wizard(page, answers: dict) -> None:
    run_check(page, None, answers, text=TYPED)


def fill_referral(page, name: str, phone: str, email: str, note: str) -> str:
    page.locator("#naam").fill(name)
    page.locator("#telefoon").fill(phone)
    page.locator("#email").fill(email)
    page.locator("#contact_time-middag").check()
    page.locator("#toelichting").fill(note)
    page.locator("#toestemming").check()
    page.get_by_role("button", name="Aanmelding versturen").click()
    page.wait_for_selector("[data-reference]")
    return page.locator("[data-reference]").inner_text()


def resident_flow(page, url: str, secrets: Secrets) -> str:
    page.goto(url + "/check")
    secrets.collect(page)
    answer_wizard(page, {**ROUTED, "wil_persoonlijk_contact": True})
    page.get_by_role("button", name="Meld u aan bij het wijkteam").click()
    page.wait_for_selector("#toestemming")
    secrets.collect(page)
    reference = fill_referral(page, NAME, PHONE, EMAIL, NOTE)
    for query in SEARCHES:
        page.goto(url + "/zoeken")
        page.locator("#zoekvraag").fill(query)  # live search while typing (htmx) ...
        page.locator("#zoekresultaten .search-results__count").wait_for()
        page.goto(url + "/zoeken?" + urlencode({"q": query}))  # ... and the page: counts a query finding nothing
    return reference


def case_manager_flow(page, url: str, reference: str, secrets: Secrets) -> None:
    page.goto(url + "/medewerkers/inloggen")
    page.locator("#gebruikersnaam").fill("anna")
    page.locator("#wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_selector(".totp-secret")
    secrets.collect(page)
    secret = page.locator(".totp-secret").inner_text().replace(" ", "")
    code = pyotp.TOTP(secret).now()
    secrets.values |= {secret, code}
    page.locator("#code").fill(code)
    page.get_by_role("button", name="Instellen en inloggen").click()
    page.wait_for_selector("table.queue")
    secrets.collect(page)
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="In behandeling nemen").click()
    page.wait_for_selector("[data-status=in_behandeling]")
    page.get_by_role("link", name="Afronden").click()
    page.get_by_label("Opgepakt: het wijkteam helpt").check()
    page.get_by_role("button", name="Ja, afronden").click()
    page.wait_for_selector("[data-status=afgerond]")
    assert NOTE in page.locator("main").inner_text()
    page.goto(url + "/medewerkers/zoekvragen")
    assert "U heeft geen toegang tot deze pagina" in page.locator("main").inner_text()  # for editors only
    page.goto(url + "/medewerkers/aanmeldingen")
    page.get_by_role("button", name="Uitloggen").first.click()
    page.wait_for_selector("text=U bent uitgelogd")


def kcc_flow(page, url: str, secrets: Secrets) -> None:
    page.goto(url + "/medewerkers/inloggen")
    page.locator("#gebruikersnaam").fill("kees")
    page.locator("#wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/medewerkers")
    page.goto(url + "/kcc?gemeente=voorbeeldstad")
    secrets.collect(page)
    page.locator("#kcc-zoek").fill("Zeldzaamheidsfonds")
    page.locator("#kcc-zoekresultaten .search-results__count").wait_for()
    for option in ("geld", "gezin"):
        page.locator(f"#onderwerpen-{option}").check()
    page.locator("#leeftijd").fill("83")
    page.locator("#netto_inkomen").fill("2.345,67")
    page.locator("#aantal_kinderen").fill("2")
    for qid in ("schulden", "zorgen_over_kind"):
        page.locator(f"#{qid}-ja").check()
    page.locator('#kcc-uitkomst[data-route="ja"] #kcc-aanmelden').click()
    page.wait_for_selector("#toestemming")
    fill_referral(page, CALLER, CALLER_PHONE, "", "Belt namens haar moeder")


def test_a_whole_run_leaves_no_personal_data_in_the_logs(server, browser, tmp_path):
    secrets = Secrets()
    contexts = [browser.new_context() for _ in range(3)]
    try:
        reference = resident_flow(contexts[0].new_page(), server.url, secrets)
        case_manager_flow(contexts[1].new_page(), server.url, reference, secrets)
        kcc_flow(contexts[2].new_page(), server.url, secrets)
    finally:
        for context in contexts:
            context.close()
    server.stop()  # everything flushed

    text = (tmp_path / "server.log").read_text(encoding="utf-8")
    events = [json.loads(line) for line in text.splitlines()]  # every line is one JSON object
    assert all(isinstance(event, dict) and event.get("event") for event in events)
    names = {event["event"] for event in events}
    assert {"referral_created", "staff_login", "staff_totp_ok", "staff_logout"} <= names, names  # it did log
    assert sum(1 for e in events if e["event"] == "referral_created") == 2
    assert len(secrets.values) >= 5
    # The server's own address (where it listens) is no client's: only that one may name 127.0.0.1.
    own = f"http://127.0.0.1:{server.port}"
    assert own in text  # the operator is told where it runs
    without_own = text.replace(own, "")
    for value in [*NEVER, *secrets.values]:
        assert not present(value, without_own), value


def present(value: str, text: str) -> bool:
    """Whether a value is in the log; a number only as a whole number (not inside a hash or a time)."""
    if value.isdigit():
        return re.search(rf"(?<![0-9A-Za-z]){value}(?![0-9A-Za-z])", text) is not None
    return value.lower() in text.lower()
