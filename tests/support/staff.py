"""Helpers for web tests of the referral and staff pages: a routed household, CSRF tokens, logging in."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pyotp

from catalogus.casework import accounts
from catalogus.casework.db import open_database

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-26"
PASSWORD = "een lang wachtwoord 42"

# Fatima (personas.md) with worries about a child: debts + children + worries -> the wijkteam.
ROUTED = {"onderwerpen": ["geld", "gezin"], "woont_in_gemeente": True, "leeftijd": 34,
          "leefsituatie": "alleenstaande_ouder", "aantal_kinderen": 2, "netto_inkomen": 1650, "vermogen": 500,
          "laag_inkomen_3_jaar": False, "situatie_werk": "werkend", "baan_verloren": False, "schulden": True,
          "bijzondere_kosten": False, "woonsituatie": "huurwoning", "huur": 780, "moeite_met": ["geen"],
          "beperking_langdurig": False, "loopafstand_onder_100m": False, "huisgenoot_kan_helpen": False,
          "mantelzorg_uren": 0, "mantelzorg_zwaar": False, "zorgen_over_kind": True,
          "kind_beperking_school": False, "eenzaam": False, "psychische_klachten": False,
          "zelfstandig_wonen_lukt_niet": False, "onveilig_thuis": False, "juridische_vraag": False,
          "wil_persoonlijk_contact": False}
NOT_ROUTED = {"onderwerpen": ["geld"], "schulden": False, "wil_persoonlijk_contact": False,
              "onveilig_thuis": False, "woonsituatie": "huurwoning", "eenzaam": False, "psychische_klachten": False,
              "zorgen_over_kind": False, "mantelzorg_zwaar": False, "situatie_werk": "werkend",
              "baan_verloren": False, "zelfstandig_wonen_lukt_niet": False, "moeite_met": ["geen"],
              "netto_inkomen": 3000, "aantal_kinderen": 0, "leefsituatie": "alleenstaand", "leeftijd": 40,
              "woont_in_gemeente": True}
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def csrf_token(client) -> str:
    """A CSRF token for the client's session, or a form token when it has none (from a page with a form).

    Tokens of logged-in staff belong to their session: after logging in (or the second
    factor) ask again.
    """
    page = client.get("/medewerkers/inloggen")
    return re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)


def referral_form(token: str, answers: dict | None = None, **fields) -> dict:
    data = {"_csrf_token": token, "antwoorden": json.dumps(answers or ROUTED), "stap": "versturen",
            "naam": "Fatima el Amrani", "telefoon": "06 12345678", "email": "", "contact_time": "ochtend",
            "toelichting": "", "toestemming": "ja"}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def reference_in(html: str) -> str:
    return re.search(r"data-reference>(VBS-[0-9A-Z-]+)<", html).group(1)


def add_staff(settings, username: str, role: str, municipality: str | None = None) -> accounts.User:
    """A staff account; a case manager belongs to the default municipality unless another is named."""
    if municipality is None and role in accounts.MUNICIPAL_ROLES:
        municipality = "voorbeeldstad"
    database = open_database(settings)
    try:
        return accounts.add_user(database, username, username.capitalize(), role, PASSWORD, municipality=municipality)
    finally:
        database.close()


def log_in(client, username: str, *, password: str = PASSWORD) -> str | None:
    """Log in through the pages, enrolling TOTP for a case manager; return the TOTP secret (if any)."""
    token = csrf_token(client)
    response = client.post("/medewerkers/inloggen", data={"_csrf_token": token, "gebruikersnaam": username,
                                                          "wachtwoord": password}, follow_redirects=False)
    assert response.status_code == 303, response.text
    if not response.headers["location"].startswith("/medewerkers/tweestaps"):
        return None
    setup = client.get(response.headers["location"])
    secret = re.search(r'class="totp-secret">([A-Z2-7 ]+)<', setup.text).group(1).replace(" ", "")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', setup.text).group(1)  # the half session's own
    done = client.post(response.headers["location"], data={"_csrf_token": token, "code": current_code(secret)},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] in (
        "/medewerkers/aanmeldingen", "/medewerkers/stuurinformatie"), done.text
    return secret


def current_code(secret: str) -> str:
    return pyotp.TOTP(secret).at(dt.datetime.now(dt.timezone.utc))
