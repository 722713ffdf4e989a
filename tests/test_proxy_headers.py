"""A real ``catalogus serve`` believes X-Forwarded-For only from the proxies in CATALOGUS_TRUSTED_PROXIES.

uvicorn's own default trusts the header from 127.0.0.1, so anyone on the machine (or
anything that can reach the port through a local proxy that passes the header on) could
pick a new client address per request: no rate limit, and a forged address in the access log.
"""

from __future__ import annotations

import re

import httpx
import pytest

from catalogus.casework import referrals
from catalogus.casework.db import open_database
from catalogus.settings import Settings
from tests.support.servers import Server, server_env
from tests.support.staff import add_staff, referral_form

FORGED = "203.0.113.{}"


def token_from(client: httpx.Client, url: str) -> str:
    page = client.get(url + "/medewerkers/inloggen")
    return re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)


def wrong_logins(server: Server, times: int) -> list[int]:
    with httpx.Client(timeout=30) as client:
        token = token_from(client, server.url)
        return [client.post(server.url + "/medewerkers/inloggen",
                            data={"_csrf_token": token, "gebruikersnaam": "anna", "wachtwoord": "fout wachtwoord"},
                            headers={"X-Forwarded-For": FORGED.format(i)}).status_code for i in range(times)]


def refer_with_forged_address(server: Server) -> str:
    with httpx.Client(timeout=30) as client:
        token = token_from(client, server.url)
        done = client.post(server.url + "/aanmelden", data=referral_form(token),
                           headers={"X-Forwarded-For": "198.51.100.77"})
        assert done.status_code == 200, done.text
        return re.search(r"data-reference>(VBS-[0-9A-Z-]+)<", done.text).group(1)


def logged_addresses(data_dir, reference: str) -> set[str]:
    database = open_database(Settings(data_dir=data_dir))
    try:
        entries = referrals.access_log(database, reference, referrals.Actor(None, "test", "casemanager", "", "voorbeeldstad"))
    finally:
        database.close()
    return {entry.address for entry in entries if entry.action == "create"}


@pytest.fixture
def data_dir(tmp_path):
    add_staff(Settings(data_dir=tmp_path), "anna", "casemanager")
    return tmp_path


def test_a_rotating_forwarded_header_does_not_escape_the_login_rate_limit(data_dir):
    with Server(server_env(data_dir), log_path=data_dir / "server.log") as server:
        codes = wrong_logins(server, 20)
    assert codes[:10] == [401] * 10
    assert codes[10:] == [429] * 10


def test_a_forged_address_never_reaches_the_access_log(data_dir):
    with Server(server_env(data_dir), log_path=data_dir / "server.log") as server:
        reference = refer_with_forged_address(server)
    assert logged_addresses(data_dir, reference) == {"127.0.0.1"}


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(data_dir):
    env = server_env(data_dir, CATALOGUS_TRUSTED_PROXIES="127.0.0.1")
    with Server(env, log_path=data_dir / "server.log") as server:
        codes = wrong_logins(server, 12)  # twelve different clients behind nginx: none is over its limit
        reference = refer_with_forged_address(server)
    assert codes == [401] * 12
    assert logged_addresses(data_dir, reference) == {"198.51.100.77"}


def test_a_trusted_proxy_that_is_no_address_stops_the_server(tmp_path):
    import subprocess
    import sys

    from tests.support.servers import ROOT

    done = subprocess.run([sys.executable, "-m", "catalogus.cli", "serve", "--port", "1"], cwd=ROOT,
                          env=server_env(tmp_path, CATALOGUS_TRUSTED_PROXIES="nginx.intern"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "CATALOGUS_TRUSTED_PROXIES: 'nginx.intern' is geen IP-adres" in done.stderr
