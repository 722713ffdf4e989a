"""Shared fixtures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from catalogus.catalog import load_catalog_or_raise

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="session")
def catalog():
    """The shipped Voorbeeldstad catalogue, loaded once."""
    return load_catalog_or_raise(ROOT, today=TODAY)


# ---------------------------------------------------------------- web (issue 3)

WEB_TODAY = "2026-11-26"


def make_web_settings(data_dir: Path, **changes):
    """Settings for a test app: fixed date, cookies over plain http, a fixed secret."""
    from catalogus.settings import Settings

    values = {"content_dir": ROOT, "data_dir": data_dir, "today": WEB_TODAY, "secure_cookies": False,
              "secret_key": "test-secret-key-not-for-production", "reload": False}
    values.update(changes)
    return Settings(**values)


@pytest.fixture(scope="session")
def web_content(tmp_path_factory):
    """The loaded content (catalogue and search index) shared by the test apps of a session."""
    from catalogus.web.app import create_app

    return create_app(make_web_settings(tmp_path_factory.mktemp("web-content"))).state.content


@pytest.fixture
def web_settings(tmp_path):
    return make_web_settings(tmp_path)


@pytest.fixture
def web_app(web_settings, web_content):
    """A fresh app (own data directory) over the shared, already loaded content."""
    from catalogus.web.app import create_app

    return create_app(web_settings, content=web_content)


@pytest.fixture
def client(web_app):
    """A Litestar TestClient (cookies kept between requests, like a browser)."""
    from litestar.testing import TestClient

    with TestClient(web_app, base_url="http://testserver.local") as test_client:
        yield test_client
