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
