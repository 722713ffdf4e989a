"""Two server processes on one PostgreSQL database behave as one service."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from tests.support.databases import PostgresSchema
from tests.support.servers import Server, server_env
from tests.support.staff import ROUTED, add_staff, current_code, referral_form

pytestmark = pytest.mark.postgres


@pytest.fixture
def schema():
    made = PostgresSchema()
    yield made
    made.drop()


def _token(client: httpx.Client, base: str) -> str:
    page = client.get(base + "/medewerkers/inloggen")
    return re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)


def test_log_in_through_one_process_continue_through_the_other_and_share_the_queue(schema, tmp_path):
    from catalogus.settings import Settings

    add_staff(Settings(data_dir=tmp_path, database_url=schema.url), "anna", "casemanager")
    env = server_env(tmp_path, schema.url)
    with Server(env, log_path=tmp_path / "a.log") as a, Server(env, log_path=tmp_path / "b.log") as b, \
            httpx.Client(timeout=30, follow_redirects=True) as client:  # cookies are per host, not per port: one browser
        token = _token(client, a.url)
        step = client.post(a.url + "/medewerkers/inloggen", data={
            "_csrf_token": token, "gebruikersnaam": "anna", "wachtwoord": "een lang wachtwoord 42"})
        secret = re.search(r'class="totp-secret">([A-Z2-7 ]+)<', step.text).group(1).replace(" ", "")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', step.text).group(1)  # the half session's
        # the second factor goes to the other process, which knows the half-finished session
        queue = client.post(b.url + "/medewerkers/tweestaps/instellen",
                            data={"_csrf_token": token, "code": current_code(secret)})
        assert queue.status_code == 200 and "Aanmeldingen voor Wijkteam Voorbeeldstad" in queue.text
        token = _token(client, a.url)  # the full session's, valid in every process

        done = client.post(b.url + "/aanmelden", data=referral_form(_token(client, b.url), naam="Twee Processen"))
        reference = re.search(r"data-reference>(VBS-[0-9A-Z-]+)<", done.text).group(1)
        seen_by_a = client.get(a.url + "/medewerkers/aanmeldingen")
        assert reference in seen_by_a.text and "Twee Processen" in seen_by_a.text

        client.post(a.url + f"/medewerkers/aanmeldingen/{reference}/in-behandeling", data={"_csrf_token": token})
        assert 'data-status="in_behandeling"' in client.get(b.url + f"/medewerkers/aanmeldingen/{reference}").text

        client.post(b.url + "/medewerkers/uitloggen", data={"_csrf_token": token})
        gone = client.get(a.url + "/medewerkers/aanmeldingen", follow_redirects=False)
        assert gone.status_code == 303  # logged out everywhere
    for log in ("a.log", "b.log"):
        text = (tmp_path / log).read_text()
        assert "Twee Processen" not in text and json.dumps(ROUTED)[:30] not in text
