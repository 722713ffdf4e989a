"""The referral form and the staff pages, through HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re

import pytest
from litestar.testing import TestClient

from catalogus.casework.accesslog import Actor
from catalogus.casework.db import open_database
from catalogus.casework.referrals import get_referral
from catalogus.web.app import create_app
from tests.support.databases import db_settings, json_logs  # noqa: F401  (fixtures)
from tests.support.staff_app import client, settings  # noqa: F401  (fixtures)
from tests.support.staff import NOT_ROUTED, ROUTED, XSS, add_staff, csrf_token, log_in, reference_in, referral_form


def _count(settings, table="referrals"):
    """Rows in a table (the access log without the purge rows the server's daily job writes)."""
    database = open_database(settings)
    where = " WHERE action <> 'purge'" if table == "access_log" else ""
    with database.transaction(write=False) as tx:
        count = tx.fetchvalue(f"SELECT COUNT(*) AS n FROM {table}{where}")
    database.close()
    return count


# ---------------------------------------------------------------- the resident's form

def test_the_results_page_button_opens_the_form_with_an_unticked_consent_box(client):
    token = csrf_token(client)
    response = client.post("/aanmelden", data={"_csrf_token": token, "antwoorden": json.dumps(ROUTED)})
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    assert "Ik geef toestemming dat de gemeente Voorbeeldstad" in response.text
    checkbox = re.search(r'<input[^>]*id="toestemming"[^>]*>', response.text).group(0)
    assert "checked" not in checkbox
    assert 'action="/aanmelden"' in response.text and "?" not in re.search(r'action="([^"]*)"', response.text)[1]


def test_a_referral_is_stored_and_the_resident_sees_the_reference_and_what_happens_next(client, settings):
    response = client.post("/aanmelden", data=referral_form(csrf_token(client)))
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    assert re.fullmatch(r"VBS-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}", reference_in(response.text))
    assert "Wat gebeurt er nu?" in response.text
    assert _count(settings) == 1


def test_a_form_sent_twice_stores_one_referral_and_shows_the_same_reference(client, settings):
    token = csrf_token(client)
    opened = client.post("/aanmelden", data={"_csrf_token": token, "antwoorden": json.dumps(ROUTED)})
    key = re.search(r'name="inzending" value="([^"]+)"', opened.text).group(1)
    first = client.post("/aanmelden", data=referral_form(token, inzending=key))
    second = client.post("/aanmelden", data=referral_form(token, inzending=key))
    assert reference_in(first.text) == reference_in(second.text)
    assert _count(settings) == 1 and _count(settings, "access_log") == 1
    other = client.post("/aanmelden", data=referral_form(token))
    assert reference_in(other.text) != reference_in(first.text) and _count(settings) == 2


def test_without_consent_nothing_is_stored_and_the_resident_is_told_why(client, settings):
    response = client.post("/aanmelden", data=referral_form(csrf_token(client), toestemming=None))
    assert response.status_code == 422
    assert "Zonder uw toestemming" in response.text and "Er is niets opgeslagen" in response.text
    assert 'value="Fatima el Amrani"' in response.text  # the form keeps what was typed
    assert _count(settings) == 0 and _count(settings, "access_log") == 0


def test_invalid_contact_details_are_shown_at_the_fields_and_nothing_is_stored(client, settings):
    response = client.post("/aanmelden", data=referral_form(csrf_token(client), naam="", telefoon="12",
                                                            email="geen-adres", toelichting="x" * 2001))
    assert response.status_code == 422
    for message in ("Vul uw naam in.", "Nederlands telefoonnummer", "geldig e-mailadres", "2001 tekens"):
        assert message in response.text
    assert 'href="#naam"' in response.text and 'href="#telefoon"' in response.text
    assert _count(settings) == 0


def test_answers_that_do_not_route_get_no_form(client, settings):
    response = client.post("/aanmelden", data=referral_form(csrf_token(client), answers=NOT_ROUTED))
    assert response.status_code == 200 and "niet dat u een casemanager" in response.text
    assert _count(settings) == 0


def test_damaged_answers_are_a_clear_400_not_a_500(client):
    response = client.post("/aanmelden", data=referral_form(csrf_token(client), antwoorden='{"schulden": "misschien"'))
    assert response.status_code == 400


def test_a_form_without_csrf_token_is_refused_with_403(client, settings):
    csrf_token(client)  # the cookie is there, the field is not
    response = client.post("/aanmelden", data=referral_form(None) | {"_csrf_token": ""})
    assert response.status_code == 403 and _count(settings) == 0


def test_submissions_are_rate_limited_per_client(settings):
    with TestClient(create_app(settings.with_(rate_limit_per_minute=2))) as client:
        token = csrf_token(client)
        codes = [client.post("/aanmelden", data=referral_form(token)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert _count(settings) == 2


# ---------------------------------------------------------------- staff

def test_staff_pages_without_login_send_you_to_the_login_page(client):
    for path in ("/medewerkers/aanmeldingen", "/medewerkers/aanmeldingen/VBS-2222-3333-44", "/medewerkers"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/medewerkers/inloggen"


def test_a_case_manager_takes_and_finishes_a_referral_and_every_value_is_escaped(client, settings):
    submitted = client.post("/aanmelden", data=referral_form(
        csrf_token(client), naam=XSS, toelichting=XSS + "\nTweede regel", email="a'b&c@example.nl"))
    reference = reference_in(submitted.text)
    add_staff(settings, "anna", "casemanager")
    log_in(client, "anna")

    queue = client.get("/medewerkers/aanmeldingen")
    assert queue.status_code == 200 and queue.headers["cache-control"] == "no-store"
    assert reference in queue.text and "<script>" not in queue.text and "&lt;script&gt;" in queue.text

    detail = client.get(f"/medewerkers/aanmeldingen/{reference}")
    assert detail.status_code == 200 and detail.headers["cache-control"] == "no-store"
    assert "<script>" not in detail.text and "<img src=x" not in detail.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in detail.text and "a&#39;b&amp;c@example.nl" in detail.text
    assert "Heeft u schulden?" in detail.text or "schulden" in detail.text.lower()
    assert "06 1234 5678" in detail.text and "Nieuw" in detail.text

    token = csrf_token(client)
    taken = client.post(f"/medewerkers/aanmeldingen/{reference}/in-behandeling", data={"_csrf_token": token})
    assert taken.status_code == 200 and 'data-status="in_behandeling"' in taken.text and "Anna" in taken.text
    asked = client.get(f"/medewerkers/aanmeldingen/{reference}/afronden")
    assert asked.status_code == 200 and "Wat is er met de aanmelding gebeurd?" in asked.text
    finished = client.post(f"/medewerkers/aanmeldingen/{reference}/afronden",
                           data={"_csrf_token": token, "uitkomst": "opgepakt"})
    assert 'data-status="afgerond"' in finished.text and ">Afronden</a>" not in finished.text

    log = client.get(f"/medewerkers/aanmeldingen/{reference}/log")
    assert log.status_code == 200
    for action in ("aangemaakt", "bekeken", "in behandeling genomen", "afgerond", "toegangslog bekeken"):
        assert action in log.text
    assert f'href="/medewerkers/aanmeldingen/{reference}"' in client.get("/medewerkers/aanmeldingen?status=afgerond").text
    assert reference not in client.get("/medewerkers/aanmeldingen?status=nieuw").text


def test_changes_without_csrf_token_are_refused(client, settings):
    reference = reference_in(client.post("/aanmelden", data=referral_form(csrf_token(client))).text)
    add_staff(settings, "anna", "casemanager")
    log_in(client, "anna")
    response = client.post(f"/medewerkers/aanmeldingen/{reference}/in-behandeling", data={})
    assert response.status_code == 403
    assert 'data-status="nieuw"' in client.get(f"/medewerkers/aanmeldingen/{reference}").text


def test_unknown_or_guessed_references_are_404(client, settings):
    add_staff(settings, "anna", "casemanager")
    log_in(client, "anna")
    for guess in ("VBS-2222-3333-44", "1", "VBS-7K3Q-92", "..%2F..%2Fetc"):
        assert client.get(f"/medewerkers/aanmeldingen/{guess}").status_code == 404
    token = csrf_token(client)
    response = client.post("/medewerkers/aanmeldingen/VBS-2222-3333-44/afronden", data={"_csrf_token": token})
    assert response.status_code == 404


def test_kcc_staff_get_403_on_the_queue_but_can_refer_on_a_callers_behalf(client, settings):
    add_staff(settings, "kees", "kcc")
    assert log_in(client, "kees") is None  # no second factor for KCC
    response = client.get("/medewerkers/aanmeldingen", follow_redirects=False)
    assert response.status_code == 403 and "geen toegang" in response.text
    form = client.post("/aanmelden", data={"_csrf_token": csrf_token(client), "antwoorden": json.dumps(ROUTED)})
    assert "Lees deze tekst voor aan de beller" in form.text
    done = client.post("/aanmelden", data=referral_form(csrf_token(client)))
    assert done.status_code == 200
    database = open_database(settings)
    with database.transaction(write=False) as tx:
        assert tx.fetchvalue("SELECT channel FROM referrals") == "kcc"
    database.close()


def test_a_case_manager_without_the_second_factor_cannot_open_the_queue(client, settings):
    add_staff(settings, "anna", "casemanager")
    token = csrf_token(client)
    client.post("/medewerkers/inloggen", data={"_csrf_token": token, "gebruikersnaam": "anna",
                                              "wachtwoord": "een lang wachtwoord 42"})
    response = client.get("/medewerkers/aanmeldingen", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/medewerkers/inloggen"
    token = csrf_token(client)  # the half-logged-in session's own token
    wrong = client.post("/medewerkers/tweestaps/instellen", data={"_csrf_token": token, "code": "000000"})
    assert wrong.status_code == 422 and "De code klopt niet" in wrong.text


def test_login_gives_one_message_for_unknown_user_and_wrong_password(client, settings):
    add_staff(settings, "anna", "casemanager")
    token = csrf_token(client)
    texts = []
    for username, password in (("anna", "niet het wachtwoord"), ("onbekend", "een lang wachtwoord 42")):
        response = client.post("/medewerkers/inloggen", data={"_csrf_token": token, "gebruikersnaam": username,
                                                              "wachtwoord": password})
        assert response.status_code == 401
        texts.append(re.search(r'<div class="error-summary".*?</div>', response.text, re.S).group(0))
    assert texts[0] == texts[1]


def test_the_session_cookie_is_httponly_strict_and_rotated_at_login_and_after_totp(client, settings):
    add_staff(settings, "anna", "casemanager")
    token = csrf_token(client)
    first = client.post("/medewerkers/inloggen", data={"_csrf_token": token, "gebruikersnaam": "anna",
                                                      "wachtwoord": "een lang wachtwoord 42"},
                        follow_redirects=False)
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    before_totp = client.cookies.get("catalogus-sessie")
    log_in(client, "anna")  # logs in again: a new session, then a rotated one after TOTP
    after = client.cookies.get("catalogus-sessie")
    assert after != before_totp
    client.cookies.set("catalogus-sessie", before_totp)
    assert client.get("/medewerkers/aanmeldingen", follow_redirects=False).status_code == 303


def test_secure_cookies_use_the_host_prefix_and_the_secure_flag(settings):
    add_staff(settings, "kees", "kcc")
    with TestClient(create_app(settings.with_(secure_cookies=True)), base_url="https://testserver.local") as client:
        token = csrf_token(client)
        response = client.post("/medewerkers/inloggen", data={"_csrf_token": token, "gebruikersnaam": "kees",
                                                              "wachtwoord": "een lang wachtwoord 42"},
                               follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-catalogus-sessie=") and "Secure" in cookie and "Path=/" in cookie


def test_logout_ends_the_session_on_the_server(client, settings):
    add_staff(settings, "anna", "casemanager")
    log_in(client, "anna")
    cookie = client.cookies.get("catalogus-sessie")
    response = client.post("/medewerkers/uitloggen", data={"_csrf_token": csrf_token(client)})
    assert "U bent uitgelogd" in response.text
    client.cookies.set("catalogus-sessie", cookie)  # a copied cookie is worthless now
    assert client.get("/medewerkers/aanmeldingen", follow_redirects=False).status_code == 303


def test_logins_are_rate_limited_per_client(settings):
    add_staff(settings, "anna", "casemanager")
    with TestClient(create_app(settings.with_(rate_limit_per_minute=3))) as client:
        token = csrf_token(client)
        codes = [client.post("/medewerkers/inloggen", data={"_csrf_token": token, "gebruikersnaam": "anna",
                                                            "wachtwoord": "fout fout fout"}).status_code
                 for _ in range(4)]
    assert codes == [401, 401, 401, 429]


def test_the_logs_of_a_whole_referral_flow_hold_none_of_the_submitted_values(client, settings, json_logs):
    values = {"naam": "Wilhelmina Zeldzaam", "telefoon": "06 98765432", "email": "w.zeldzaam@example.nl",
              "toelichting": "Mijn ex-partner Bartholomeus bedreigt mij"}
    reference = reference_in(client.post("/aanmelden", data=referral_form(csrf_token(client), **values)).text)
    add_staff(settings, "anna", "casemanager")
    secret = log_in(client, "anna")
    token = csrf_token(client)
    client.get(f"/medewerkers/aanmeldingen/{reference}")
    client.post(f"/medewerkers/aanmeldingen/{reference}/in-behandeling", data={"_csrf_token": token})
    client.post(f"/medewerkers/aanmeldingen/{reference}/afronden", data={"_csrf_token": token, "uitkomst": "opgepakt",
                                                                      "reden": "Bartholomeus belde zelf"})
    client.post("/medewerkers/uitloggen", data={"_csrf_token": token})
    text = json_logs.text
    assert "referral_created" in text and "staff_login" in text
    session_cookies = [c for c in (client.cookies.get("catalogus-sessie"),) if c]
    for value in [*values.values(), "98765432", "Zeldzaam", "Bartholomeus", "een lang wachtwoord 42", secret,
                  "testclient", *session_cookies, json.dumps(ROUTED)[:30]]:
        assert value not in text, value
    for line in text.splitlines():
        json.loads(line)  # one JSON object per line


def referral_stored(client, settings):
    """Send the referral form; the stored row as the database holds it, and the referral as a case manager reads it."""
    reference = reference_in(client.post("/aanmelden", data=referral_form(csrf_token(client))).text)
    database = open_database(settings)
    try:
        with database.transaction(write=False) as tx:
            row = tx.fetchone("SELECT * FROM referrals WHERE reference = ?", (reference,))
        return row, get_referral(database, reference, Actor(1, "anna", "casemanager", "", "voorbeeldstad"))
    finally:
        database.close()


def test_the_referral_keeps_the_amounts_the_household_was_told_and_the_case_manager_sees_them(client, settings):
    row, referral = referral_stored(client, settings)
    reference = referral.reference
    # The amounts say something about the household's income: they are sealed with the other personal fields.
    assert not any("voorbeeldpas" in str(value) or "1345" in str(value) for value in row.values())
    told = {a["product"]: (a["value"], a["period"]) for a in referral.amounts}
    assert told == {"voorbeeldpas": (525, "jaar"), "kindpakket": (550, "jaar"),
                    "collectieve-zorgverzekering": (22.5, "maand")}
    assert referral.amounts_total == {"per_year": 1345.0, "complete": True, "products": [
        "collectieve-zorgverzekering", "kindpakket", "voorbeeldpas"]}
    add_staff(settings, "anna", "casemanager")
    log_in(client, "anna")
    page = client.get(f"/medewerkers/aanmeldingen/{reference}").text
    section = page[page.index('id="bedragen"'):page.index("Antwoorden uit de check")]
    assert "Voorbeeldpas: ongeveer € 525 per jaar." in section
    assert "Bij elkaar ongeveer € 1.345 per jaar." in section
    assert "Team Inkomen beslist over het echte bedrag." in section


# ---------------------------------------------------------------- urgent households: is calling safe, and how

URGENT = {"onderwerpen": ["veiligheid"], "onveilig_thuis": True}


def test_an_urgent_household_is_asked_whether_calling_is_safe_and_how_to_be_reached(client):
    form = client.post("/aanmelden", data={"_csrf_token": csrf_token(client), "antwoorden": json.dumps(URGENT)})
    assert "Is het veilig om u te bellen?" in form.text and "Hoe wil u het liefst contact?" in form.text
    assert 'id="veilig_bellen-nee"' in form.text and 'id="voorkeur-email"' in form.text
    assert "Snel weg" in form.text  # the urgent path keeps its quick exit
    calm = client.post("/aanmelden", data={"_csrf_token": csrf_token(client), "antwoorden": json.dumps(ROUTED)})
    assert "Is het veilig om u te bellen?" not in calm.text and "Snel weg" not in calm.text


def test_the_call_time_question_says_it_is_only_for_a_phone_number_and_is_not_needed_without_one(client, settings):
    form = client.post("/aanmelden", data={"_csrf_token": csrf_token(client), "antwoorden": json.dumps(ROUTED)})
    assert "Alleen als u een telefoonnummer invult" in form.text  # without JavaScript the condition is said
    assert 'data-toon-vraag="telefoon"' in form.text              # with it, the question appears on typing
    done = client.post("/aanmelden", data=referral_form(csrf_token(client), telefoon="", email="f@example.nl",
                                                         contact_time=None))
    assert done.status_code == 200 and "Wat gebeurt er nu?" in done.text
    missing = client.post("/aanmelden", data=referral_form(csrf_token(client), contact_time=None))
    assert missing.status_code == 422 and "Kies wanneer het wijkteam u het beste kan bellen." in missing.text


def test_an_urgent_referral_needs_both_answers_and_a_way_of_contact_that_fits_them(client, settings):
    token = csrf_token(client)
    unanswered = client.post("/aanmelden", data=referral_form(token, URGENT))
    assert unanswered.status_code == 422
    assert "Kies of het veilig is om u te bellen." in unanswered.text
    assert "Kies hoe het wijkteam u het beste kan bereiken." in unanswered.text
    call_anyway = client.post("/aanmelden", data=referral_form(token, URGENT, veilig_bellen="nee", voorkeur="telefoon"))
    assert call_anyway.status_code == 422 and "Kies een sms&#39;je of e-mail." in call_anyway.text
    no_address = client.post("/aanmelden", data=referral_form(token, URGENT, veilig_bellen="ja", voorkeur="email"))
    assert no_address.status_code == 422 and "Vul een e-mailadres in, of kies een andere manier." in no_address.text
    assert 'id="veilig_bellen-ja" name="veilig_bellen" value="ja" checked' in no_address.text  # kept
    assert _count(settings) == 0


def test_the_case_manager_sees_not_to_call_and_the_preferred_way_and_the_done_page_says_when_it_is_read(
        client, settings):
    done = client.post("/aanmelden", data=referral_form(csrf_token(client), URGENT, veilig_bellen="nee",
                                                         voorkeur="sms"))
    assert done.status_code == 200
    text = re.sub(r"\s+", " ", done.text)
    assert "leest aanmeldingen op werkdagen (maandag tot en met vrijdag van 8.30 tot 17.00 uur)" in text
    assert "op de eerstvolgende werkdag" in text and "nog vandaag" not in text
    assert "zonder te bellen" in text and "het liefst via: een sms&#39;je" in text
    reference = reference_in(done.text)
    add_staff(settings, "anna", "casemanager")
    log_in(client, "anna")
    detail = re.sub(r"\s+", " ", client.get(f"/medewerkers/aanmeldingen/{reference}").text)
    assert "Niet bellen." in detail and "De inwoner schreef dat bellen niet veilig is." in detail
    assert "<dd data-veilig-bellen>nee</dd>" in detail and "<dd data-voorkeur>Een sms&#39;je</dd>" in detail


# ---------------------------------------------------------------- what the case manager reads: professional words

def _reasons_section(page: str) -> str:
    section = page[page.index("Waarom naar het wijkteam"):page.index("Regelingen die passen")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))


def test_the_case_manager_reads_the_reasons_in_professional_words_not_the_residents_sentences(client, settings):
    reference = reference_in(client.post("/aanmelden", data=referral_form(csrf_token(client))).text)
    add_staff(settings, "anna", "casemanager")
    log_in(client, "anna")
    page = client.get(f"/medewerkers/aanmeldingen/{reference}").text
    reasons = _reasons_section(page)
    for line in ("Leefgebieden met een probleem: Geld en schulden, Opvoeding (2 van minimaal 3)", "Schulden: ja",
                 "Kinderen &lt; 18: 2", "Zorgen over kind: ja"):
        assert line in reasons, line
    assert "U heeft" not in reasons and "U maakt" not in reasons and "Er wonen" not in reasons
    assert 'data-reasons="professional"' in page


def test_the_professional_reasons_are_sealed_with_the_other_personal_fields(client, settings):
    row, referral = referral_stored(client, settings)
    assert "Schulden: ja" in referral.professional_reasons
    assert not any("Schulden" in str(value) or "Leefgebieden" in str(value) for value in row.values())


def test_an_older_referral_without_professional_reasons_shows_the_residents_sentences_as_stored(client, settings):
    from catalogus.casework import referrals
    from catalogus.casework.contact import validate_contact

    contact, problems = validate_contact({"name": "Oud", "phone": "06 12345678", "email": "", "contact_time": "ochtend",
                                          "note": ""})
    assert problems == []
    database = open_database(settings)
    try:
        old = referrals.create_referral(database, contact, consent=True, answers=ROUTED, products=[],
                                        reasons=["U heeft schulden."], urgent=False, channel="online",
                                        actor=Actor.resident("192.0.2.7"), municipality="voorbeeldstad")
    finally:
        database.close()
    add_staff(settings, "anna", "casemanager")
    log_in(client, "anna")
    page = client.get(f"/medewerkers/aanmeldingen/{old.reference}").text
    assert 'data-reasons="resident"' in page and "U heeft schulden." in _reasons_section(page)
    assert "Zo las de inwoner het" in page


def test_the_answers_are_shown_with_their_question_text_in_the_order_of_the_questionnaire(client, settings, web_content):
    shuffled = dict(reversed(list(ROUTED.items())))  # the form's order is not the page's
    reference = reference_in(client.post("/aanmelden", data=referral_form(csrf_token(client), answers=shuffled)).text)
    add_staff(settings, "anna", "casemanager")
    log_in(client, "anna")
    page = client.get(f"/medewerkers/aanmeldingen/{reference}").text
    answers = page[page.index("Antwoorden uit de check"):page.index("Toestemming")]
    shown = [re.sub(r"\s+", " ", q).strip() for q in re.findall(r"<dt>(.*?)</dt>", answers, re.S)]
    vocabulary = web_content.current.region.default_catalog.vocabulary
    expected = [q.text.replace("{gemeente}", "Voorbeeldstad") for q in vocabulary if q.id in ROUTED]
    assert [s.replace("&#39;", "'") for s in shown] == expected
    assert "<dt>Heeft u schulden of achterstanden die u niet zelf kunt oplossen?</dt><dd>ja</dd>" in answers
