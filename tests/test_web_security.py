"""Security on every response: headers, CSRF, no caching of answers, answers never in a URL."""

from __future__ import annotations

import json
import re

import pytest
from litestar import get
from litestar.testing import TestClient

from catalogus.web.app import create_app
from catalogus.web.security import CSP
from tests.support.web import forms, walk_check, wizard_form
from tests.test_personas import FATIMA


def assert_secure(response):
    headers = response.headers
    csp = headers["content-security-policy"]
    assert csp == CSP
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                      "object-src 'none'", "base-uri 'none'", "form-action 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["strict-transport-security"].startswith("max-age=")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"  # nothing to other sites; our own POSTs show their Origin
    assert "camera=()" in headers["permissions-policy"]


@pytest.mark.parametrize("path", ["/", "/producten/voorbeeldpas", "/onderwerpen/geld", "/soorten/verwijzing",
                                  "/check", "/bestaat-niet", "/producten/bestaat-niet", "/static/css/site.css",
                                  "/static/js/site.js", "/static/vendor/htmx/htmx.min.js", "/static/nope.css",
                                  "/api/v1/products", "/api/v1/products/nope", "/schema/openapi.json", "/ping"])
def test_every_response_carries_the_security_headers(client, path):
    assert_secure(client.get(path))


def test_fragments_and_error_responses_carry_the_security_headers(client):
    assert_secure(client.get("/check", headers={"HX-Request": "true", "HX-Target": "main"}))
    assert_secure(client.post("/check", data={"vraag": "onderwerpen"}))  # CSRF failure
    assert_secure(client.post("/api/v1/check", content="{", headers={"content-type": "application/json"}))
    assert_secure(client.get("/check/uitkomst"))  # 405


def test_a_post_without_a_csrf_token_is_refused(client):
    client.get("/check")
    response = client.post("/check", data={"antwoorden": "{}", "vraag": "onderwerpen", "onderwerpen": "geld"})
    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.text
    forged = client.post("/check", data={"antwoorden": "{}", "vraag": "onderwerpen", "onderwerpen": "geld",
                                         "_csrf_token": "a" * 128})
    assert forged.status_code == 403


def test_the_csrf_header_works_for_htmx_requests(client):
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', client.get("/check").text).group(1)
    response = client.post("/check", data={"antwoorden": "{}", "vraag": "onderwerpen", "onderwerpen": "geld"},
                           headers={"X-CSRFToken": token, "HX-Request": "true", "HX-Target": "main"})
    assert response.status_code == 200
    assert "<html" not in response.text


def test_the_json_api_needs_no_csrf_token(client):
    assert client.post("/api/v1/check", json={"answers": {}}).status_code == 200


def test_wizard_and_result_pages_are_never_stored(client):
    walk = walk_check(client, FATIMA)
    for response in walk.pages:
        assert "no-store" in response.headers["cache-control"], response.url


def test_answers_never_appear_in_a_url_or_a_location_header(client, catalog):
    walk = walk_check(client, FATIMA)
    values = {json.dumps(v) for v in FATIMA.values()} | {str(v) for v in FATIMA.values()}
    screen_number = re.compile(r"^(nr=\d{1,3})?$")  # a step that comes twice: its screens are numbered
    for response in walk.pages:
        query = response.url.query.decode() if isinstance(response.url.query, bytes) else response.url.query
        assert screen_number.match(query), response.url
        assert "location" not in response.headers
        for form in forms(response.text):
            if "antwoorden" in form.hidden() or form.attrs.get("class") == "wizard__form":
                assert form.method == "post"
                assert "?" not in form.action
    steps = {step.id for step in catalog.steps}
    for response in walk.pages:  # only the names of screens: /check, /check/stap/<step>, /check/controleer, ...
        path = response.url.path
        assert path in ("/check", "/check/controleer", "/check/uitkomst") or (
            path.startswith("/check/stap/") and path.rsplit("/", 1)[1] in steps), path
        for history in response.history:  # the redirects after each screen name a screen too
            location = history.headers.get("location", "")
            assert screen_number.match(location.partition("?")[2]), location
    assert values  # the walk used real answers
    assert any(r.url.query for r in walk.pages)  # FATIMA's walk has a step twice (its follow-up questions)


def test_the_check_needs_no_cookie_and_sets_only_the_encrypted_answers(client):
    response = client.get("/check")
    cookies = response.headers.get_list("set-cookie")
    # No CSRF cookie any more; only the answers for Back and reload, encrypted, for this browser session.
    assert cookies and all(c.startswith("catalogus-check=") for c in cookies)
    assert all("secure" not in c.lower() and "httponly" in c.lower() for c in cookies)  # kept over plain http
    token = wizard_form(response.text).hidden()["_csrf_token"]
    client.cookies.clear()
    page = client.post("/check", data={"_csrf_token": token, "antwoorden": "{}", "scherm": "onderwerpen",
                                       "onderwerpen": "geld"}, follow_redirects=False)
    assert page.status_code == 200 and 'data-page="stap"' in page.text  # no cookie came back: the page itself


def test_secure_cookies_by_default(tmp_path, web_content):
    from tests.conftest import make_web_settings
    from tests.support.staff import add_staff, csrf_token

    settings = make_web_settings(tmp_path, secure_cookies=True)
    add_staff(settings, "kees", "kcc")
    with TestClient(create_app(settings, content=web_content), base_url="https://testserver.local") as secure_client:
        login = secure_client.post("/medewerkers/inloggen", follow_redirects=False, data={
            "_csrf_token": csrf_token(secure_client), "gebruikersnaam": "kees", "wachtwoord": "een lang wachtwoord 42"})
        cookie = login.headers["set-cookie"].lower()
    assert login.status_code == 303
    assert cookie.startswith("__host-catalogus-sessie=") and "secure" in cookie and "httponly" in cookie
    assert "samesite=strict" in cookie


@get("/test-ontploft", sync_to_thread=False)
def explode() -> str:
    raise RuntimeError("onverwacht")


@get("/api/v1/test-ontploft", sync_to_thread=False)
def explode_api() -> str:
    raise RuntimeError("onverwacht")


def test_an_unexpected_error_is_a_friendly_500_without_details(web_app):
    web_app.register(explode)
    web_app.register(explode_api)
    with TestClient(web_app, raise_server_exceptions=False) as test_client:
        page = test_client.get("/test-ontploft")
        assert page.status_code == 500
        assert "Er ging iets mis" in page.text and "onverwacht" not in page.text
        assert_secure(page)
        api = test_client.get("/api/v1/test-ontploft")
        assert api.status_code == 500
        assert api.json()["errors"][0]["field"] == "server" and "onverwacht" not in api.text


def test_the_csrf_token_travels_in_a_meta_tag_for_htmx(client):
    html = client.get("/check").text
    token = wizard_form(html).hidden()["_csrf_token"]
    assert f'<meta name="csrf-token" content="{token}">' in html
    assert '"allowEval":false' in html and '"includeIndicatorStyles":false' in html
    assert '"historyCacheSize":0' in html
    assert 'hx-history="false"' in html


@pytest.mark.parametrize("path", ["/static/css/site.css%00", "/static/%00", "/static/css/%00site.css", "/static/..%00",
                                  "/static/" + "a" * 5000, "/static/css/site.css/meer", "/static/css/site.css%00.js"])
def test_a_static_path_that_cannot_be_a_file_is_not_found_never_a_500(web_app, path):
    with TestClient(web_app, raise_server_exceptions=False) as test_client:
        response = test_client.get(path)
    assert response.status_code == 404 and "Deze pagina bestaat niet" in response.text
    assert_secure(response)


def _run(coroutine):
    """Run a coroutine to its end in a thread of its own (another test may have left a loop running here)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_the_security_headers_replace_a_handlers_own_and_a_post_without_cache_control_gets_no_store():
    from catalogus.web.security import SECURITY_HEADERS, add_security_headers

    own = {"type": "http.response.start", "status": 200,
           "headers": [(b"x-frame-options", b"SAMEORIGIN"), (b"cache-control", b"max-age=60"), (b"etag", b"1")]}
    _run(add_security_headers(own, {"method": "POST"}))
    names = [name for name, _ in own["headers"]]
    assert dict(own["headers"])[b"x-frame-options"] == b"DENY" and names.count(b"x-frame-options") == 1
    assert dict(own["headers"])[b"cache-control"] == b"max-age=60" and b"etag" in names
    assert {n.decode() for n in names} >= set(SECURITY_HEADERS)
    bare = {"type": "http.response.start", "status": 200, "headers": []}
    _run(add_security_headers(bare, {"method": "POST"}))
    assert dict(bare["headers"])[b"cache-control"] == b"no-store"
    read = {"type": "http.response.start", "status": 200, "headers": []}
    _run(add_security_headers(read, {"method": "GET"}))
    assert b"cache-control" not in dict(read["headers"])
