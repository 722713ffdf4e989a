"""The database goes away during referral submissions: a clear 503, nothing half-stored, recovery without restart.

PostgreSQL: a private throwaway cluster (``scripts/pg-test-server.sh`` on its own port, never
the shared test cluster) is stopped with ``pg_ctl stop -m fast`` while a real ``catalogus serve``
takes submissions from several clients, then started again.
SQLite: another process holds the write lock longer than the busy timeout, then lets go.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time

import httpx
import pytest
from litestar import Litestar, get
from litestar.testing import TestClient

from catalogus.casework import db as dbmod
from catalogus.casework.db import DatabaseError, open_database
from catalogus.settings import Settings
from catalogus.web.app import create_app
from catalogus.web.security import EXCEPTION_HANDLERS
from tests.conftest import make_web_settings
from tests.support import pg_cluster
from tests.support.servers import Server, server_env
from tests.support.staff import ROUTED, add_staff, csrf_token, log_in, reference_in, referral_form

UNAVAILABLE = "Het lukt nu even niet. Probeer het later opnieuw."


class Submitter:
    """Clients that keep submitting distinct referrals and remember exactly what each response said."""

    def __init__(self, url: str, clients: int = 6):
        self.url = url
        self.confirmed: list[str] = []   # references shown on a success page
        self.unavailable = 0             # 503 pages with the Dutch message and Retry-After
        self.wrong: list[str] = []       # anything else: a 500, a connection error, a 503 without the message
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._number = 0
        self._threads = [threading.Thread(target=self._loop, daemon=True) for _ in range(clients)]

    def __enter__(self) -> "Submitter":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _next(self) -> int:
        with self._lock:
            self._number += 1
            return self._number

    def _loop(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as client:
            token = csrf_token(client)
            while not self._stop.is_set():
                number = self._next()
                form = referral_form(token, naam=f"Inwoner {number}", telefoon=f"06{number:08d}",
                                     email=f"inwoner{number}@example.nl", toelichting=f"aanmelding {number}")
                try:
                    response = client.post("/aanmelden", data=form)
                except httpx.HTTPError as exc:
                    self._record_wrong(f"{number}: {type(exc).__name__}")
                    continue
                self._record(number, response)

    def _record(self, number: int, response: httpx.Response) -> None:
        with self._lock:
            if response.status_code == 200:
                self.confirmed.append(reference_in(response.text))
            elif (response.status_code == 503 and UNAVAILABLE in response.text
                  and response.headers.get("retry-after", "").isdigit() and 'name="naam"' in response.text
                  and f"Inwoner {number}" in response.text):
                self.unavailable += 1
            else:
                self.wrong.append(f"{number}: HTTP {response.status_code}")
        if response.status_code == 503:
            time.sleep(0.05)  # a resident waits a moment before trying again

    def _record_wrong(self, what: str) -> None:
        with self._lock:
            self.wrong.append(what)

    def wait_for(self, condition, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, "timed out"
            time.sleep(0.05)


def stored_rows(database_url: str, data_dir) -> tuple[dict[str, dict], dict[str, int]]:
    """(referrals by reference with their answers and name, decrypted; 'create' access-log rows per reference)."""
    return sealed_rows(Settings(data_dir=data_dir, database_url=database_url))


def sealed_rows(settings) -> tuple[dict[str, dict], dict[str, int]]:
    from catalogus.casework.sealing import REFERRAL

    database = open_database(settings)
    try:
        with database.transaction(write=False) as tx:
            rows = tx.fetchall("SELECT reference, sealed, created_at FROM referrals ORDER BY created_at")
            logged = tx.fetchall("SELECT reference, COUNT(*) AS n FROM access_log WHERE action = 'create' "
                                 "GROUP BY reference")
        opened = {r["reference"]: json.loads(database.keyring.decrypt(r["sealed"], REFERRAL.context(r["reference"])))
                  for r in rows}
    finally:
        database.close()
    return opened, {r["reference"]: r["n"] for r in logged}


def assert_nothing_half_stored(referrals: dict[str, dict], created: dict[str, int], confirmed: list[str]) -> None:
    assert sorted(referrals) == sorted(confirmed), "stored referrals differ from the success pages residents saw"
    assert created == {reference: 1 for reference in referrals}, "a referral without its access-log row, or v.v."
    assert all(row["answers"] == ROUTED for row in referrals.values())


@pytest.fixture(scope="module")
def cluster():
    if not pg_cluster.available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; CI must run the database outage test")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    own = pg_cluster.PgCluster()
    try:
        own.start()
        yield own
    finally:
        own.stop()


@pytest.mark.postgres
def test_postgresql_stopped_mid_submissions_gives_503_loses_nothing_and_recovers_without_restart(cluster, tmp_path):
    add_staff(Settings(data_dir=tmp_path, database_url=cluster.url), "casus", "casemanager")
    env = server_env(tmp_path, cluster.url, CATALOGUS_RATE_LIMIT_PER_MINUTE="1000000")
    server = Server(env, log_path=tmp_path / "server.log")
    with server, httpx.Client(base_url=server.url, timeout=30) as staff:
        token = csrf_token(staff)
        log_in(staff, "casus")
        try:
            with Submitter(server.url) as residents:
                residents.wait_for(lambda: len(residents.confirmed) >= 20)
                cluster.pause()  # pg_ctl stop -m fast while submissions are in flight
                paused_at = len(residents.confirmed)
                residents.wait_for(lambda: residents.unavailable >= 20)

                queue = staff.get("/medewerkers/aanmeldingen")
                assert queue.status_code == 503 and UNAVAILABLE in queue.text
                assert queue.headers["retry-after"].isdigit()
                login = staff.post("/medewerkers/inloggen", data={"_csrf_token": token,
                                                                  "gebruikersnaam": "x", "wachtwoord": "y"})
                assert login.status_code == 503 and UNAVAILABLE in login.text
                search = staff.get("/api/v1/search", params={"q": "qwxzv plorf"})  # zero results: not countable now
                assert search.status_code == 200 and search.json()["total"] == 0

                cluster.resume()
                residents.wait_for(lambda: len(residents.confirmed) >= paused_at + 20)
        finally:
            if not cluster.running():
                cluster.resume()
        assert server.process.poll() is None, "the server must not have been restarted"
        assert staff.get("/medewerkers/aanmeldingen").status_code == 200  # the staff session survived too
    assert residents.wrong == []
    assert residents.unavailable >= 20
    referrals, created = stored_rows(cluster.url, tmp_path)
    assert_nothing_half_stored(referrals, created, residents.confirmed)
    names = {row["name"] for row in referrals.values()}
    assert len(names) == len(referrals)  # distinct residents, none stored twice


@pytest.mark.postgres
def test_every_dead_pooled_connection_is_dropped_when_the_server_comes_back(cluster):
    database = dbmod.open_database(Settings(database_url=cluster.url), migrate=False)  # the pool is all it needs
    try:
        holders = [database._begin(write=False) for _ in range(5)]  # five idle connections in the pool
        for connection in holders:
            connection.execute("COMMIT")
            database._checkin(connection, healthy=True)
        cluster.pause()
        cluster.resume()
        with database.transaction(write=False) as tx:  # the first transaction after the restart works
            assert tx.fetchvalue("SELECT 1 AS one") == 1
    finally:
        if not cluster.running():
            cluster.resume()
        database.close()


# ---------------------------------------------------------------- SQLite

@pytest.fixture
def quick_busy_timeout(monkeypatch):
    """A busy timeout of half a second instead of 15 s, so 'locked for longer than that' takes a moment."""
    monkeypatch.setattr(dbmod, "SQLITE_BUSY_TIMEOUT_SECONDS", 0.5)


def test_sqlite_locked_longer_than_the_busy_timeout_gives_503_and_recovers(quick_busy_timeout, tmp_path, web_content):
    settings = make_web_settings(tmp_path, rate_limit_per_minute=1000)
    with TestClient(create_app(settings, content=web_content), base_url="http://testserver.local") as client:
        token = csrf_token(client)
        assert client.post("/aanmelden", data=referral_form(token)).status_code == 200

        locker = sqlite3.connect(settings.sqlite_path, isolation_level=None)  # another process's writer
        locker.execute("BEGIN EXCLUSIVE")
        try:
            refused = client.post("/aanmelden", data=referral_form(token, naam="Henk de Vries"))
            login = client.post("/medewerkers/inloggen", data={"_csrf_token": token, "gebruikersnaam": "x",
                                                               "wachtwoord": "y"})
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert refused.status_code == 503 and UNAVAILABLE in refused.text
        assert refused.headers["retry-after"].isdigit() and refused.headers["cache-control"] == "no-store"
        assert 'value="Henk de Vries"' in refused.text  # what the resident typed is still in the form
        assert login.status_code == 503 and UNAVAILABLE in login.text

        again = client.post("/aanmelden", data=referral_form(token, naam="Henk de Vries"))
        assert again.status_code == 200
    stored, created = sealed_rows(settings)
    names = [row["name"] for row in stored.values()]
    assert names == ["Fatima el Amrani", "Henk de Vries"] and sum(created.values()) == 2


# ---------------------------------------------------------------- the handler itself (HTML and JSON)

@get("/api/v1/kapot", sync_to_thread=False)
def _api_down() -> dict:
    raise DatabaseError("OperationalError: connection refused")


@get("/kapot", sync_to_thread=False)
def _page_down() -> dict:
    raise DatabaseError("OperationalError: connection refused")


def test_a_database_error_is_503_json_on_the_api_and_a_dutch_page_elsewhere():
    with TestClient(Litestar([_api_down, _page_down], exception_handlers=EXCEPTION_HANDLERS,
                             template_config=_templates())) as client:
        api = client.get("/api/v1/kapot")
        assert api.status_code == 503 and api.headers["retry-after"].isdigit()
        assert api.json() == {"status": 503, "errors": [{"field": "server", "message":
                                                         "het lukt nu even niet; probeer het later opnieuw"}]}
        html = client.get("/kapot")
        assert html.status_code == 503 and UNAVAILABLE in html.text and html.headers["retry-after"].isdigit()


def _templates():
    from catalogus.web.templating import template_config

    return template_config()

