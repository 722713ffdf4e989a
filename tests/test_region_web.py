"""Regio Voorbeeld through HTTP: each municipality's pages under its own path with its own name, numbers and
wijkteam; a resident of a neighbour continues there with the answers kept; the KCC asks the caller's
municipality first; a referral lands in its own wijkteam's queue and no other team can tell it exists."""

from __future__ import annotations

import json
import re

import pytest
from litestar.testing import TestClient

from catalogus.casework.db import open_database
from catalogus.web.app import create_app
from tests.support.databases import db_settings  # noqa: F401  (fixture)
from tests.support.staff_app import client, settings  # noqa: F401  (fixtures)
from tests.support.staff import ROUTED, add_staff, csrf_token, log_in, reference_in, referral_form
from tests.support.web import answers_in, forms, walk_check


@pytest.fixture
def other_browser(settings):
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ---------------------------------------------------------------- resident pages

def test_the_region_page_lists_every_municipality_with_a_link_to_its_pages(client):
    page = client.get("/gemeenten")
    assert page.status_code == 200
    assert re.search(r'class="site-logo__text">.*Regio Voorbeeld', page.text)  # the region's page, not one town's
    for name, href in (("Voorbeeldstad", "/"), ("Buurdorp", "/buurdorp/"), ("Kleinmeer", "/kleinmeer/")):
        assert re.search(rf'href="{href}"[^>]*>[^<]*{name}', page.text), name


def test_buurdorp_pages_carry_buurdorps_name_numbers_and_products(client):
    home = client.get("/buurdorp/")
    assert home.status_code == 200
    text = _text(home.text)
    assert "Buurdorp" in text and "0299 123 400" in text
    assert "14 0555" not in text  # Voorbeeldstad's number belongs to Voorbeeldstad's pages
    assert 'href="/buurdorp/check"' in home.text
    assert client.get("/buurdorp/producten/buurdorppas").status_code == 200
    assert client.get("/buurdorp/producten/kindpakket").status_code == 404
    assert client.get("/producten/buurdorppas").status_code == 404  # Voorbeeldstad has its own pass
    assert client.get("/producten/kindpakket").status_code == 200  # the old URLs keep working
    product = _text(client.get("/buurdorp/producten/buurthuis").text)
    assert "Dorpshuis De Linde" in product and "Buurthuis De Brug" not in product


def test_the_residence_question_asks_about_the_municipality_whose_check_it_is(client):
    for prefix, name in (("", "Voorbeeldstad"), ("/buurdorp", "Buurdorp"), ("/kleinmeer", "Kleinmeer")):
        walk = walk_check(client, {"onderwerpen": ["geld"], "woont_in_gemeente": False}, prefix=prefix)
        assert f"Woont u in de gemeente {name}?" in walk.pages[1].text


def test_a_buurdorp_resident_who_started_in_voorbeeldstad_continues_in_buurdorp_with_the_answers_kept(client):
    walk = walk_check(client, {"onderwerpen": ["geld", "gezin"], "woont_in_gemeente": False})
    page = walk.last.text
    assert 'data-page="niet-in-gemeente"' in page
    move = next(f for f in forms(page) if f.action == "/buurdorp/check/overnemen")
    assert "Ik woon in Buurdorp" in page and "Ik woon in Kleinmeer" in page
    moved = client.post(move.action, data=move.hidden(), follow_redirects=True)
    assert moved.status_code == 200
    assert moved.url.path.startswith("/buurdorp/check")
    kept = answers_in(moved.text)
    assert kept["onderwerpen"] == ["geld", "gezin"] and kept["woont_in_gemeente"] is True
    assert "Woont u in de gemeente" not in moved.text  # choosing Buurdorp answered that
    assert "Buurdorp" in _text(moved.text)


def test_results_in_buurdorp_name_its_own_wijkteam_and_never_a_product_it_does_not_offer(client):
    household = {**ROUTED, "leefsituatie": "alleenstaande_ouder", "netto_inkomen": 1200}
    walk = walk_check(client, household, prefix="/buurdorp")
    results = walk.last.text
    assert 'data-page="uitkomst"' in results
    assert "Sociaal Team Buurdorp" in results and "Wijkteam Voorbeeldstad" not in results
    assert 'data-product="kindpakket"' not in results
    assert 'data-product="buurdorppas"' in results


# ---------------------------------------------------------------- referrals and case managers

def _refer_in_buurdorp(client) -> str:
    token = csrf_token(client)
    form = client.post("/buurdorp/aanmelden", data={"_csrf_token": token, "antwoorden": json.dumps(ROUTED)})
    assert "Ik geef toestemming dat de gemeente Buurdorp" in form.text
    done = client.post("/buurdorp/aanmelden", data=referral_form(csrf_token(client), naam="Bert Buurman"))
    assert done.status_code == 200 and "Sociaal Team Buurdorp" in done.text
    return reference_in(done.text)


def test_a_buurdorp_referral_is_only_in_buurdorps_queue(client, other_browser, settings):
    reference = _refer_in_buurdorp(client)
    add_staff(settings, "bram", "casemanager", "buurdorp")
    add_staff(settings, "anna", "casemanager", "voorbeeldstad")
    log_in(other_browser, "bram")
    queue = other_browser.get("/medewerkers/aanmeldingen")
    assert reference in queue.text and "Bert Buurman" in queue.text and "Sociaal Team Buurdorp" in queue.text
    detail = other_browser.get(f"/medewerkers/aanmeldingen/{reference}")
    assert detail.status_code == 200 and "Bert Buurman" in detail.text
    assert "gemeente Buurdorp" in detail.text  # the consent the resident gave, in their municipality's name

    log_in(client, "anna")
    assert reference not in client.get("/medewerkers/aanmeldingen").text


def test_another_teams_reference_answers_exactly_like_one_that_does_not_exist_and_is_logged(
        client, other_browser, settings):
    reference = _refer_in_buurdorp(client)
    missing = "VBS-2222-2222-22"
    add_staff(settings, "anna", "casemanager", "voorbeeldstad")
    log_in(other_browser, "anna")
    theirs = other_browser.get(f"/medewerkers/aanmeldingen/{reference}")
    nothing = other_browser.get(f"/medewerkers/aanmeldingen/{missing}")
    assert theirs.status_code == nothing.status_code == 404
    assert theirs.text.replace(reference, "X") == nothing.text.replace(missing, "X")
    token = csrf_token(other_browser)
    attempts = [("post", "in-behandeling"), ("get", "log"), ("get", "afronden"), ("post", "afronden"),
                ("post", "heropenen")]
    for method, path in attempts:
        send = getattr(other_browser, method)
        extra = {"data": {"_csrf_token": token, "uitkomst": "opgepakt", "reden": "x"}} if method == "post" else {}
        a = send(f"/medewerkers/aanmeldingen/{reference}/{path}", **extra)
        b = send(f"/medewerkers/aanmeldingen/{missing}/{path}", **extra)
        assert a.status_code == b.status_code == 404, (method, path, a.status_code, b.status_code)
    database = open_database(settings)
    try:
        with database.transaction(write=False) as tx:
            denied = tx.fetchall("SELECT username FROM access_log WHERE action = 'denied' AND reference = ?",
                                 (reference,))
            status = tx.fetchvalue("SELECT status FROM referrals WHERE reference = ?", (reference,))
    finally:
        database.close()
    assert [row["username"] for row in denied] == ["anna"] * (1 + len(attempts))  # every attempt, also the view
    assert status == "nieuw"


# ---------------------------------------------------------------- KCC

def test_the_kcc_asks_the_callers_municipality_first_and_refers_to_that_wijkteam(client, settings):
    add_staff(settings, "kees", "kcc")
    log_in(client, "kees")
    choice = client.get("/kcc")
    assert choice.status_code == 200
    for municipality in ("voorbeeldstad", "buurdorp", "kleinmeer"):
        assert f'value="{municipality}"' in choice.text or f"gemeente={municipality}" in choice.text
    screen = client.get("/kcc?gemeente=buurdorp")
    assert "beller woont in Buurdorp" in _text(screen.text)
    assert "Woont in gemeente" in screen.text
    page = client.post("/kcc", data={"_csrf_token": csrf_token(client), "gemeente": "buurdorp",
                                      "antwoorden": json.dumps(ROUTED)})
    assert "gemeente Buurdorp" in _text(page.text)  # in the summary the agent copies
    refer = next(f for f in forms(page.text) if f.action.endswith("/aanmelden"))
    done = client.post(refer.action, data={**refer.hidden(), "stap": "versturen", "naam": "Bert Buurman",
                                           "telefoon": "06 12345678", "email": "", "contact_time": "ochtend",
                                           "toelichting": "", "toestemming": "ja"})
    assert done.status_code == 200, done.text[:500]
    reference = reference_in(done.text)
    database = open_database(settings)
    try:
        with database.transaction(write=False) as tx:
            row = tx.fetchone("SELECT municipality, channel FROM referrals WHERE reference = ?", (reference,))
    finally:
        database.close()
    assert (row["municipality"], row["channel"]) == ("buurdorp", "kcc")


def test_an_unknown_municipality_in_the_kcc_is_a_clear_400_not_a_guess(client, settings):
    add_staff(settings, "kees", "kcc")
    log_in(client, "kees")
    response = client.get("/kcc?gemeente=atlantis")
    assert 400 <= response.status_code < 500
    assert "Buurdorp" in response.text  # names the ones that exist
