"""The shipped region as a test app with a database (SQLite, or PostgreSQL when configured), for tests
that go through the resident pages and the staff pages over HTTP."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from catalogus.web.app import create_app
from tests.support.databases import db_settings  # noqa: F401  (fixture)
from tests.support.staff import ROOT, TODAY


@pytest.fixture
def settings(db_settings):  # noqa: F811
    return db_settings.with_(content_dir=ROOT, today=TODAY, secure_cookies=False)


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings)) as test_client:
        yield test_client
