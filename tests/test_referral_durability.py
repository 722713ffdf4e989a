"""kill -9 in the middle of 200 concurrent referral submissions loses nothing that was confirmed."""

from __future__ import annotations

import importlib.util

import pytest

from tests.support.databases import PostgresSchema
from tests.support.servers import ROOT

_spec = importlib.util.spec_from_file_location("referral_durability", ROOT / "bench" / "referral_durability.py")
durability = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(durability)


def _assert_nothing_lost(result: dict) -> None:
    assert result["killed"], "the server was never killed"
    assert result["confirmed"] >= 100
    assert result["missing"] == []
    assert result["integrity"].startswith("ok")


def test_sqlite_keeps_every_confirmed_referral_through_kill_9():
    _assert_nothing_lost(durability.run(total=200, workers=2))


@pytest.mark.postgres
def test_postgresql_keeps_every_confirmed_referral_through_kill_9():
    schema = PostgresSchema()
    try:
        _assert_nothing_lost(durability.run(total=200, database_url=schema.url, workers=2))
    finally:
        schema.drop()
