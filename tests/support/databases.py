"""Fixtures that run a test against both SQLite and PostgreSQL.

Import them into a test module (``from tests.support.databases import db, db_settings``).
The PostgreSQL variant needs ``CATALOGUS_TEST_POSTGRES_URL`` (``make test`` starts a
server and sets it; by hand: ``scripts/pg-test-server.sh start`` and
``export CATALOGUS_TEST_POSTGRES_URL=$(scripts/pg-test-server.sh url)``). Each test gets
its own PostgreSQL schema (via ``search_path`` in the URL), dropped afterwards. Without the
variable the PostgreSQL variants skip locally, and fail under CI (``CI`` set).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import secrets
from urllib.parse import quote

import pytest

from catalogus.casework.db import open_database
from catalogus.logs import JsonFormatter
from catalogus.settings import Settings

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def postgres_url() -> str:
    url = os.environ.get("CATALOGUS_TEST_POSTGRES_URL", "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CATALOGUS_TEST_POSTGRES_URL is not set; CI must run the PostgreSQL variants")
        pytest.skip("PostgreSQL variant: set CATALOGUS_TEST_POSTGRES_URL (scripts/pg-test-server.sh start; "
                    "export CATALOGUS_TEST_POSTGRES_URL=$(scripts/pg-test-server.sh url))")
    return url


def with_search_path(url: str, schema: str) -> str:
    return url + ("&" if "?" in url else "?") + "options=" + quote(f"-csearch_path={schema}")


class PostgresSchema:
    """A fresh schema in the test database, dropped on ``drop()``."""

    def __init__(self):
        import psycopg

        self.base_url = postgres_url()
        self.name = "test_" + secrets.token_hex(6)
        with psycopg.connect(self.base_url, autocommit=True) as connection:
            connection.execute(f"CREATE SCHEMA {self.name}")
        self.url = with_search_path(self.base_url, self.name)

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.base_url, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA IF EXISTS {self.name} CASCADE")


@pytest.fixture(params=ENGINES)
def db_settings(request, tmp_path):
    """Settings pointing at an empty database of each engine."""
    base = Settings(data_dir=tmp_path / "data", content_dir=tmp_path, secure_cookies=False)
    if request.param == "sqlite":
        yield base
        return
    schema = PostgresSchema()
    try:
        yield base.with_(database_url=schema.url)
    finally:
        schema.drop()


@pytest.fixture
def db(db_settings):
    """An opened, migrated database of each engine."""
    database = open_database(db_settings)
    yield database
    database.close()


class LogCapture:
    """Every log record of the test, as the JSON lines the server would write."""

    def __init__(self):
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(JsonFormatter())

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def events(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]


@pytest.fixture
def json_logs():
    capture = LogCapture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(capture.handler)
    root.setLevel(logging.DEBUG)
    yield capture
    root.removeHandler(capture.handler)
    root.setLevel(old_level)
