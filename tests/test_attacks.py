"""Attacks on the site: CSRF, changes on GET, session fixation and expiry, rate limits, security headers.

Routes are enumerated from ``app.routes``: a new route is covered (or the sample
parameters below must learn its path parameter). XSS: tests/test_attacks_xss.py and
tests/browser/test_browser_attacks.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import httpx
import pytest
from litestar.testing import TestClient

from catalogus.casework import referrals
from catalogus.casework.db import open_database
from catalogus.settings import Settings
from catalogus.web import api, check, pages
from catalogus.web.app import create_app
from tests.support.databases import PostgresSchema
from tests.support.servers import Server, server_env
from tests.support.staff import (PASSWORD, ROUTED, add_staff, csrf_token, current_code, log_in, reference_in,
                                 referral_form)

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
HX = {"HX-Request": "true", "HX-Target": "main"}


def sample_paths(app, reference: str) -> list[tuple[str, str]]:
    """(method, path) for every route, path parameters filled with real values."""
    samples = {"product_id": "voorbeeldpas", "domain": "geld", "slug": "verwijzing", "reference": reference,
               "file_path": "css/site.css", "path": "openapi.json", "step_id": "woonplaats",
               "question_id": "leeftijd"}
    found = []
    for route in app.routes:
        path = route.path
        for name in re.findall(r"\{(\w+):\w+\}", path):
            assert name in samples, f"add a sample value for the path parameter {name!r} of {path}"
            path = re.sub(r"\{%s:\w+\}" % name, samples[name], path)
        found += [(method, path) for method in sorted(route.methods - {"OPTIONS"})]
    return sorted(found, key=lambda item: item[1] == "/medewerkers/uitloggen")  # logging out last


@pytest.fixture
def site(web_settings, web_content):
    """One app, a referral, and cookie jars for a resident, a KCC employee and a case manager."""
    settings = web_settings.with_(rate_limit_per_minute=1000)
    add_staff(settings, "anna", "casemanager")
    add_staff(settings, "kees", "kcc")
    app = create_app(settings, content=web_content)
    with TestClient(app, base_url="http://testserver.local") as client:
        reference = reference_in(client.post("/aanmelden", data=referral_form(csrf_token(client))).text)
        resident = httpx.Cookies(client.cookies)
        client.cookies.clear()
        log_in(client, "kees")
        kcc = httpx.Cookies(client.cookies)
        client.cookies.clear()
        log_in(client, "anna")
        client.jars = {"resident": resident, "kcc": kcc, "casemanager": httpx.Cookies(client.cookies)}
        client.reference = reference
        client.settings = settings
        yield client


def use(client, who: str) -> str:
    """Switch the client to someone's cookies; return a CSRF token that goes with them."""
    client.cookies = httpx.Cookies(client.jars[who])
    return csrf_token(client)


def database_state(settings) -> dict:
    """What a request could change, minus the bookkeeping of reads: session activity times, access-log reads."""
    database = open_database(settings)
    try:
        with database.transaction(write=False) as tx:
            return {
                "users": tx.fetchall("SELECT * FROM users ORDER BY id"),
                "sessions": tx.fetchall("SELECT token_hash, user_id, created_at, totp_verified FROM sessions "
                                        "ORDER BY token_hash"),
                "referrals": tx.fetchall("SELECT * FROM referrals ORDER BY reference"),
                "access_log": tx.fetchall("SELECT * FROM access_log WHERE action NOT IN ('list', 'view', "
                                          "'view-log', 'purge') ORDER BY id"),
                "rate_limits": tx.fetchall("SELECT * FROM rate_limits ORDER BY bucket, client, window_start"),
                "search_gap_words": tx.fetchall("SELECT * FROM search_gap_words ORDER BY word"),
                "search_gap_pending": tx.fetchall("SELECT * FROM search_gap_pending ORDER BY word_hash, search_hash"),
            }
    finally:
        database.close()


def status_of(settings, reference: str) -> str:
    database = open_database(settings)
    try:
        with database.transaction(write=False) as tx:
            return tx.fetchvalue("SELECT status FROM referrals WHERE reference = ?", (reference,))
    finally:
        database.close()


def count(settings, table: str) -> int:
    database = open_database(settings)
    try:
        with database.transaction(write=False) as tx:
            return tx.fetchvalue(f"SELECT COUNT(*) FROM {table}")
    finally:
        database.close()


# ---------------------------------------------------------------- CSRF

def test_every_form_post_without_or_with_a_wrong_csrf_token_is_refused_with_403(site):
    posts = [path for method, path in sample_paths(site.app, site.reference) if method in UNSAFE]
    assert {"/check", "/check/uitkomst", "/aanmelden", "/medewerkers/inloggen", "/medewerkers/uitloggen",
            "/medewerkers/tweestaps", "/kcc", "/kcc/uitkomst",
            f"/medewerkers/aanmeldingen/{site.reference}/afronden"} <= set(posts)
    other_token = use(site, "kcc")
    for who in ("resident", "casemanager"):
        token = use(site, who)
        for path in posts:
            if path.startswith("/api/"):
                continue  # the JSON API uses no cookies: nothing to forge (tested below)
            for data, headers in (({}, {}), ({"_csrf_token": "x" * 64}, {}), ({"_csrf_token": other_token}, {}),
                                  ({"_csrf_token": token[:-2] + "AA"}, {}), ({}, {"X-CSRFToken": "x" * 64})):
                response = site.post(path, data={"antwoorden": "{}", **data}, headers=headers, follow_redirects=False)
                assert response.status_code == 403, (who, path, data, headers, response.status_code)
                assert "Het formulier is verlopen" in response.text


def test_a_refused_post_changes_nothing(site):
    settings, reference = site.settings, site.reference
    before = database_state(settings)
    use(site, "resident")
    site.post("/aanmelden", data=referral_form("vals"), follow_redirects=False)
    site.post("/medewerkers/inloggen", data={"gebruikersnaam": "anna", "wachtwoord": PASSWORD})
    use(site, "casemanager")
    for action in ("in-behandeling", "afronden"):
        site.post(f"/medewerkers/aanmeldingen/{reference}/{action}", data={"_csrf_token": "vals"})
    site.post("/medewerkers/uitloggen", data={})
    assert database_state(settings) == before
    assert status_of(settings, reference) == "nieuw"
    assert site.get("/medewerkers/aanmeldingen", follow_redirects=False).status_code == 200  # still logged in


def test_the_token_of_another_browser_does_not_work_with_my_cookie(site):
    theirs = use(site, "kcc")
    use(site, "casemanager")
    response = site.post(f"/medewerkers/aanmeldingen/{site.reference}/in-behandeling",
                         data={"_csrf_token": theirs}, follow_redirects=False)
    assert response.status_code == 403 and status_of(site.settings, site.reference) == "nieuw"


def test_a_second_factor_post_without_token_does_not_enrol(web_settings, web_content):
    add_staff(web_settings, "bram", "casemanager")
    with TestClient(create_app(web_settings, content=web_content)) as client:
        token = csrf_token(client)
        client.post("/medewerkers/inloggen", data={"_csrf_token": token, "gebruikersnaam": "bram",
                                                   "wachtwoord": PASSWORD})
        setup = client.get("/medewerkers/tweestaps/instellen")
        secret = re.search(r'class="totp-secret">([A-Z2-7 ]+)<', setup.text).group(1).replace(" ", "")
        refused = client.post("/medewerkers/tweestaps/instellen", data={"code": current_code(secret)})
        assert refused.status_code == 403
        assert client.get("/medewerkers/aanmeldingen", follow_redirects=False).headers["location"] == \
            "/medewerkers/inloggen"
        database = open_database(web_settings)
        with database.transaction(write=False) as tx:
            assert tx.fetchvalue("SELECT totp_enrolled FROM users WHERE username = 'bram'") in (False, 0)
        database.close()


def test_the_json_api_takes_no_cookies_so_it_needs_no_token(site):
    use(site, "casemanager")
    response = site.post("/api/v1/check", json={"answers": {}})
    assert response.status_code == 200 and "set-cookie" not in response.headers


# ---------------------------------------------------------------- nothing changes on GET

def test_no_get_anywhere_changes_anything_for_anyone(site):
    gets = [path for method, path in sample_paths(site.app, site.reference) if method == "GET"]
    assert len(gets) >= 25
    for who in ("resident", "kcc", "casemanager"):
        use(site, who)
        before = database_state(site.settings)
        for path in gets:
            for headers in ({}, HX):
                response = site.get(path, headers=headers, follow_redirects=False)
                assert response.status_code < 500, (who, path)
        assert database_state(site.settings) == before, who
    assert status_of(site.settings, site.reference) == "nieuw"


# ---------------------------------------------------------------- sessions

SESSION = "catalogus-sessie"


def plant(client, value: str) -> None:
    """Put a session cookie in a browser, as an attacker on a sibling subdomain or a shared computer could."""
    client.cookies.clear()
    client.cookies.set(SESSION, value, domain="testserver.local", path="/")


def logged_in(client) -> bool:
    response = client.get("/medewerkers", follow_redirects=False)
    return response.status_code in (200, 303) and response.headers.get("location") != "/medewerkers/inloggen"


def test_a_session_cookie_planted_before_login_is_never_the_one_after_it(web_settings, web_content):
    add_staff(web_settings, "kees", "kcc")
    add_staff(web_settings, "mallory", "kcc")
    app = create_app(web_settings, content=web_content)
    with TestClient(app) as attacker, TestClient(app) as victim:
        log_in(attacker, "mallory")
        planted = attacker.cookies.get(SESSION)
        assert logged_in(attacker)
        for value in ("door-de-aanvaller-gekozen-waarde", planted):
            plant(victim, value)
            log_in(victim, "kees")
            assert victim.cookies.get(SESSION) != value
            assert "Kees" in victim.get("/medewerkers").text
            plant(victim, value)  # the planted value gives nobody kees' session
            assert not logged_in(victim)
        assert not logged_in(attacker)  # logging in over a live session ended it


def test_the_session_rotates_after_the_second_factor(client, web_settings):
    add_staff(web_settings, "anna", "casemanager")
    token = csrf_token(client)
    client.post("/medewerkers/inloggen", data={"_csrf_token": token, "gebruikersnaam": "anna",
                                               "wachtwoord": PASSWORD}, follow_redirects=False)
    half = client.cookies.get(SESSION)
    setup = client.get("/medewerkers/tweestaps/instellen")
    secret = re.search(r'class="totp-secret">([A-Z2-7 ]+)<', setup.text).group(1).replace(" ", "")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', setup.text).group(1)  # tied to the half session
    client.post("/medewerkers/tweestaps/instellen", data={"_csrf_token": token, "code": current_code(secret)})
    full = client.cookies.get(SESSION)
    assert full != half
    plant(client, half)
    assert client.get("/medewerkers/aanmeldingen", follow_redirects=False).headers["location"] == \
        "/medewerkers/inloggen"


def _age_sessions(settings, **ago: dt.timedelta) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    database = open_database(settings)
    try:
        with database.transaction() as tx:
            for column, delta in ago.items():
                tx.execute(f"UPDATE sessions SET {column} = ?", (now - delta,))
    finally:
        database.close()


@pytest.mark.parametrize("ago", [{"last_seen_at": dt.timedelta(minutes=31)},
                                 {"created_at": dt.timedelta(hours=10, minutes=1)}], ids=["idle", "absolute"])
def test_an_expired_session_sends_you_to_the_login_page_and_is_gone(client, web_settings, ago):
    add_staff(web_settings, "kees", "kcc")
    log_in(client, "kees")
    assert logged_in(client)
    _age_sessions(web_settings, **ago)
    response = client.get("/medewerkers", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/medewerkers/inloggen"
    assert count(web_settings, "sessions") == 0


def test_short_session_settings_are_obeyed_over_http(tmp_path, web_content):
    from tests.conftest import make_web_settings

    settings = make_web_settings(tmp_path, session_idle_minutes=0)
    add_staff(settings, "kees", "kcc")
    with TestClient(create_app(settings, content=web_content)) as client:
        token = csrf_token(client)
        login = client.post("/medewerkers/inloggen", data={"_csrf_token": token, "gebruikersnaam": "kees",
                                                           "wachtwoord": PASSWORD}, follow_redirects=False)
        assert login.status_code == 303 and login.headers["location"] == "/medewerkers"
        assert client.get("/medewerkers", follow_redirects=False).headers["location"] == "/medewerkers/inloggen"


# ---------------------------------------------------------------- rate limits across processes

@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_servers(request, tmp_path):
    """Two ``catalogus serve`` processes on one database, at most 3 logins and 3 referrals a minute per client."""
    url = ""
    schema = None
    if request.param == "postgresql":
        schema = PostgresSchema()
        url = schema.url
    add_staff(Settings(data_dir=tmp_path, database_url=url), "anna", "casemanager")
    env = server_env(tmp_path, url, CATALOGUS_RATE_LIMIT_PER_MINUTE="3")
    try:
        with Server(env, log_path=tmp_path / "a.log") as a, Server(env, log_path=tmp_path / "b.log") as b:
            yield a, b, Settings(data_dir=tmp_path, database_url=url)
    finally:
        if schema is not None:
            schema.drop()


def _token_at(client: httpx.Client, base: str) -> str:
    page = client.get(base + "/medewerkers/inloggen")
    return re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)


def test_rate_limits_are_shared_by_every_server_process(two_servers):
    a, b, settings = two_servers
    with httpx.Client(timeout=30) as client:  # one browser: cookies are per host, not per port
        token = _token_at(client, a.url)
        codes = [client.post(server.url + "/medewerkers/inloggen", data={
            "_csrf_token": token, "gebruikersnaam": "anna", "wachtwoord": "fout wachtwoord"}).status_code
            for server in (a, b, a, b)]
        assert codes == [401, 401, 401, 429]
        refused = client.post(a.url + "/medewerkers/inloggen", data={"_csrf_token": token,
                                                                     "gebruikersnaam": "anna", "wachtwoord": PASSWORD})
        assert refused.status_code == 429 and "set-cookie" not in refused.headers  # not even the right password
        assert "U heeft te vaak geprobeerd in te loggen. Wacht een minuut" in refused.text
        assert "no-store" in refused.headers["cache-control"]

        sent = [client.post(server.url + "/aanmelden", data=referral_form(token)) for server in (b, a, b, a)]
        assert [r.status_code for r in sent] == [200, 200, 200, 429]
        assert "Er kwamen te veel aanmeldingen achter elkaar van dit adres" in sent[-1].text
        assert 'value="Fatima el Amrani"' in sent[-1].text  # what was typed is still in the form
    assert count(settings, "referrals") == 3


# ---------------------------------------------------------------- security headers on every route

def assert_secure(response, where) -> None:
    headers = response.headers
    csp = headers.get("content-security-policy", "")
    directives = {part.strip().split(" ")[0]: part.strip() for part in csp.split(";") if part.strip()}
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", where
    assert directives.get("object-src") == "object-src 'none'", where
    assert directives.get("base-uri") == "base-uri 'none'", where
    assert directives.get("script-src") == "script-src 'self'", where
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "*" not in csp, where
    assert re.fullmatch(r"max-age=\d{8,}; includeSubDomains", headers.get("strict-transport-security", "")), where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "same-origin", where  # no referrer to other sites
    assert headers.get("x-frame-options") == "DENY", where


def personal(method: str, path: str) -> bool:
    """Answers or personal data may be in the response (or in what was sent): never cache it."""
    return method in UNSAFE or path.startswith(("/medewerkers", "/kcc", "/check", "/aanmelden", "/api/v1/check"))


def test_every_route_for_every_visitor_carries_the_security_headers(site):
    seen = 0
    for who in ("resident", "kcc", "casemanager"):
        token = use(site, who)
        for method, path in sample_paths(site.app, site.reference):
            for data in ({}, {"_csrf_token": token}) if method in UNSAFE else (None,):
                for headers in ({}, HX):
                    response = site.request(method, path, data=data, headers=headers, follow_redirects=False)
                    where = (who, method, path, data, headers, response.status_code)
                    assert response.status_code < 500, where
                    assert_secure(response, where)
                    if personal(method, path) and not response.is_redirect:  # a redirect holds no data
                        assert "no-store" in response.headers.get("cache-control", ""), where
                    seen += 1
            options = site.options(path)
            assert_secure(options, ("OPTIONS", path))
    assert seen > 200


def test_errors_static_files_fragments_and_json_carry_the_security_headers(client):
    checks = {
        "404": client.get("/bestaat-niet"),
        "404 api": client.get("/api/v1/bestaat-niet"),
        "404 product": client.get("/producten/bestaat-niet", headers=HX),
        "405": client.get("/check/uitkomst"),
        "405 delete": client.delete("/"),
        "405 api": client.put("/api/v1/check", json={}),
        "413": client.post("/api/v1/check", content=b"{" + b" " * (2 * 1024 * 1024) + b"}",
                           headers={"content-type": "application/json"}),
        "static css": client.get("/static/css/site.css"),
        "static js": client.get("/static/vendor/htmx/htmx.min.js"),
        "static head": client.head("/static/css/site.css"),
        "static missing": client.get("/static/bestaat-niet.css"),
        "static traversal": client.get("/static/..%2f..%2fpyproject.toml"),
        "fragment": client.get("/zoeken", params={"q": "huur"},
                               headers={"HX-Request": "true", "HX-Target": "zoekresultaten"}),
        "api": client.get("/api/v1/products"),
        "openapi": client.get("/schema/openapi.json"),
        "health": client.get("/health"),
        "sc feed": client.get("/samenwerkende-catalogi.xml"),
    }
    for name, response in checks.items():
        assert_secure(response, name)
    assert checks["413"].status_code == 413
    assert checks["static traversal"].status_code in (400, 404) and "catalogus" not in checks["static traversal"].text
    assert checks["static css"].headers["content-type"].startswith("text/css")


def _boom(*args, **kwargs):
    raise RuntimeError("geheime details die niemand mag zien")


def test_a_500_anywhere_is_friendly_secure_and_never_stored(web_app, monkeypatch):
    """A test-only way to force a 500: break a dependency of real handlers (no debug route ships)."""
    monkeypatch.setattr(pages, "product_context", _boom)
    monkeypatch.setattr(check, "settle", _boom)
    monkeypatch.setattr(api, "Check", _boom)
    monkeypatch.setattr(referrals, "list_queue", _boom)
    with TestClient(web_app, raise_server_exceptions=False) as client:
        token = csrf_token(client)
        responses = {
            "page": client.get("/producten/voorbeeldpas"),
            "fragment": client.get("/producten/voorbeeldpas", headers=HX),
            "post": client.post("/check/uitkomst", data={"_csrf_token": token,
                                                         "antwoorden": json.dumps(ROUTED)}),
            "api": client.post("/api/v1/check", json={"answers": {}}),
        }
        add_staff(web_app.state.settings, "anna", "casemanager")
        log_in(client, "anna")
        responses["staff"] = client.get("/medewerkers/aanmeldingen")
    for name, response in responses.items():
        assert response.status_code == 500, name
        assert_secure(response, name)
        assert "geheime details" not in response.text and "Traceback" not in response.text, name
    assert "no-store" in responses["post"].headers["cache-control"]
    assert "no-store" in responses["staff"].headers["cache-control"]
    assert "Er ging iets mis" in responses["page"].text and "<html" not in responses["fragment"].text
    assert responses["api"].json()["errors"][0]["field"] == "server"


def test_a_real_server_sends_the_same_headers(tmp_path):
    with Server(server_env(tmp_path), log_path=tmp_path / "server.log") as server, \
            httpx.Client(base_url=server.url, timeout=30) as client:
        for response in (client.get("/"), client.get("/static/css/site.css"), client.get("/nope"),
                         client.get("/api/v1/products"), client.get("/check"),
                         client.post("/check", data={"antwoorden": "{}"})):
            assert_secure(response, str(response.url))
            assert "server" not in response.headers  # no version banner
        assert client.post("/check", data={}).headers["cache-control"] == "no-store"
    for line in (tmp_path / "server.log").read_text(encoding="utf-8").splitlines():
        assert isinstance(json.loads(line), dict), line  # uvicorn's own lines too: all JSON
