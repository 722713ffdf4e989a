"""CSRF without a cookie: form tokens for everyone, session-bound tokens for staff, and the Origin check."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from litestar.testing import TestClient

from catalogus.web.csrf import CsrfTokens
from tests.support.servers import Server, server_env
from tests.support.staff import PASSWORD, ROUTED, add_staff, csrf_token, log_in, reference_in, referral_form
from tests.support.web import walk_check
from tests.test_personas import FATIMA

CHECK = {"antwoorden": "{}", "vraag": "onderwerpen", "onderwerpen": "geld"}


def meta_token(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)


@pytest.mark.parametrize("headers", [{"Origin": "https://aanvaller.example"}, {"Origin": "null"},
                                     {"Referer": "https://aanvaller.example/formulier.html"},
                                     {"Origin": "http://testserver.local.aanvaller.example"},
                                     {"Origin": "http://testserver.local:8443"}])
def test_a_post_from_another_site_is_refused_even_with_a_valid_token(client, headers):
    token = csrf_token(client)
    refused = client.post("/check", data={**CHECK, "_csrf_token": token}, headers=headers)
    assert refused.status_code == 403 and "Het formulier is verlopen" in refused.text
    refused = client.post("/aanmelden", data=referral_form(token), headers=headers)
    assert refused.status_code == 403


@pytest.mark.parametrize("headers", [{}, {"Origin": "http://testserver.local"},
                                     {"Referer": "http://testserver.local/check"},
                                     {"Origin": "https://www.voorbeeldstad.nl"},  # CATALOGUS_PUBLIC_URL
                                     {"Origin": "https://testserver.local"}])  # TLS ended by a proxy in front
def test_a_post_from_this_site_is_accepted(client, headers):
    response = client.post("/check", data={**CHECK, "_csrf_token": csrf_token(client)}, headers=headers)
    assert response.status_code == 200, response.text[:300]


def test_a_login_csrf_from_another_site_logs_nobody_in(client, web_settings):
    add_staff(web_settings, "kees", "kcc")
    attempt = client.post("/medewerkers/inloggen", headers={"Origin": "https://aanvaller.example"},
                          data={"_csrf_token": csrf_token(client), "gebruikersnaam": "kees", "wachtwoord": PASSWORD},
                          follow_redirects=False)
    assert attempt.status_code == 403 and "set-cookie" not in attempt.headers


def test_staff_tokens_belong_to_the_session_and_die_with_it(client, web_settings):
    add_staff(web_settings, "kees", "kcc")
    before = csrf_token(client)
    log_in(client, "kees")
    mine = csrf_token(client)
    assert mine != before and mine.startswith("s.")
    assert client.post("/check", data={**CHECK, "_csrf_token": before}).status_code == 403  # a form token no more
    assert client.post("/check", data={**CHECK, "_csrf_token": mine}).status_code == 200
    assert client.post("/medewerkers/uitloggen", data={"_csrf_token": mine}).status_code == 200
    log_in(client, "kees")
    assert client.post("/check", data={**CHECK, "_csrf_token": mine}).status_code == 403  # the old session's


def test_the_token_of_another_session_is_refused(web_app, web_settings):
    add_staff(web_settings, "kees", "kcc")
    add_staff(web_settings, "mila", "kcc")
    with TestClient(web_app) as kees, TestClient(web_app) as mila:
        log_in(kees, "kees")
        log_in(mila, "mila")
        theirs = csrf_token(mila)
        refused = kees.post("/check", data={**CHECK, "_csrf_token": theirs})
        assert refused.status_code == 403
        assert kees.post("/check", data={**CHECK, "_csrf_token": csrf_token(kees)}).status_code == 200


def test_form_tokens_are_signed_and_expire():
    tokens = CsrfTokens("sleutel")
    token = tokens.for_form(now=1_000_000)
    assert tokens.form_token_ok(token, now=1_000_000 + 23 * 3600)
    assert not tokens.form_token_ok(token, now=1_000_000 + 25 * 3600)
    stamp = token.split(".")
    assert not tokens.form_token_ok(".".join([stamp[0], str(int(stamp[1]) + 60), *stamp[2:]]), now=1_000_100)
    assert not CsrfTokens("andere sleutel").form_token_ok(token, now=1_000_100)


# ---------------------------------------------------------------- plain http, another host name, secure cookies

@pytest.fixture
def vm_server(tmp_path):
    """``catalogus serve`` with the default CATALOGUS_SECURE_COOKIES=true, reached as http://catalogus.test."""
    add_staff(__import__("catalogus.settings", fromlist=["Settings"]).Settings(data_dir=tmp_path), "kees", "kcc")
    with Server(server_env(tmp_path, CATALOGUS_SECURE_COOKIES="true"), log_path=tmp_path / "server.log") as server:
        yield server


def test_the_check_and_a_referral_work_over_plain_http_on_another_host_name(vm_server):
    host = {"Host": "catalogus.test:8000"}
    with httpx.Client(base_url=vm_server.url, headers=host, timeout=30) as browser:
        # A browser that keeps no cookie at all: the check still works (it only loses Back).
        browser.event_hooks["response"] = [lambda response: browser.cookies.clear()]
        walk = walk_check(browser, FATIMA)
        assert walk.last.status_code == 200 and 'data-page="uitkomst"' in walk.last.text
        first = browser.post("/aanmelden", data={"_csrf_token": meta_token(walk.last.text),
                                                 "antwoorden": json.dumps(ROUTED)},
                             headers={"Origin": "http://catalogus.test:8000"})
        assert first.status_code == 200 and 'id="toestemming"' in first.text
        done = browser.post("/aanmelden", data=referral_form(meta_token(first.text)),
                            headers={"Origin": "http://catalogus.test:8000"})
        assert done.status_code == 200, done.text[:500]
        assert reference_in(done.text).startswith("VBS-")
        assert not browser.cookies  # none of it needed a cookie


def test_the_login_page_says_why_login_cannot_work_there_and_the_log_says_so_too(vm_server, tmp_path):
    with httpx.Client(base_url=vm_server.url, headers={"Host": "192.0.2.10:8000"}, timeout=30) as browser:
        page = browser.get("/medewerkers/inloggen")
        assert "Inloggen werkt op dit adres niet" in page.text and "CATALOGUS_SECURE_COOKIES=false" in page.text
        tried = browser.post("/medewerkers/inloggen", data={"_csrf_token": meta_token(page.text),
                                                            "gebruikersnaam": "kees", "wachtwoord": PASSWORD})
        assert tried.status_code == 400 and "CATALOGUS_SECURE_COOKIES" in tried.text
    with httpx.Client(base_url=vm_server.url, timeout=30) as local:  # http://127.0.0.1: browsers keep Secure cookies
        assert "Inloggen werkt op dit adres niet" not in local.get("/medewerkers/inloggen").text
    vm_server.stop()
    events = [json.loads(line) for line in (tmp_path / "server.log").read_text().splitlines()]
    warned = [e for e in events if e["event"] == "login_needs_https"]
    assert warned == [{**warned[0], "reason": "secure_cookies_over_http", "level": "warning"}]
    assert "192.0.2.10" not in (tmp_path / "server.log").read_text()
