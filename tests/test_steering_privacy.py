"""Privacy by construction: a whole day of checks, searches and referrals through two server processes leaves
only counters per day and municipality, and nothing that ties a row to one of them (SQLite and PostgreSQL)."""

from __future__ import annotations

import random
import re

import httpx
import pytest

from catalogus.casework.db import open_database
from catalogus.settings import Settings
from tests.support.databases import PostgresSchema
from tests.support.servers import Server, server_env
from tests.support.staff import NOT_ROUTED, ROUTED, referral_form
from tests.support.web import walk_check

PARTIAL = {"onderwerpen": ["geld"], "leeftijd": 71}
# What the day's households and contacts said: none of it may appear in what steering keeps.
SAID = ["Fatima", "el Amrani", "0612345678", "06 12345678", "1650", "780", "3000", "huurwoning", "xyzzyplugh",
        "alleenstaande_ouder", "VBS-", "127.0.0.1"]


def actions() -> list[tuple[str, object]]:
    """The day: 4 residents through the website, 14 API calls (8 complete), 5 searches and 2 referrals."""
    return ([("walk", ROUTED)] * 3 + [("walk", NOT_ROUTED)] + [("api", ROUTED)] * 8 + [("api", NOT_ROUTED)] * 4
            + [("api", PARTIAL)] * 2 + [("search", "xyzzyplugh")] * 3 + [("search", "huurtoeslag")] * 2
            + [("refer", ROUTED)] * 2)


def act(url: str, kind: str, what) -> None:
    with httpx.Client(base_url=url, timeout=30) as client:
        if kind == "walk":
            assert walk_check(client, what).last.status_code == 200
        elif kind == "api":
            assert client.post("/api/v1/check", json={"answers": what}).status_code == 200
        elif kind == "search":
            assert client.get("/zoeken", params={"q": what}).status_code == 200
        else:
            page = client.get("/medewerkers/inloggen").text
            token = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)
            assert "data-reference" in client.post("/aanmelden", data=referral_form(token, what)).text


def run_day(tmp_path, database_url: str, seed: int) -> list[dict]:
    """The day in a shuffled order, each action on one of two processes; then both stop (and flush)."""
    tmp_path.mkdir(mode=0o700, parents=True, exist_ok=True)
    env = server_env(tmp_path / "data", database_url)
    day = actions()
    random.Random(seed).shuffle(day)
    with Server(env, log_path=tmp_path / "a.log") as a, Server(env, log_path=tmp_path / "b.log") as b:
        for i, (kind, what) in enumerate(day):
            act((a, b)[(i + seed) % 2].url, kind, what)
    db = open_database(Settings(data_dir=tmp_path / "data", content_dir=tmp_path, database_url=database_url))
    try:
        with db.transaction(write=False) as tx:
            rows = tx.fetchall("SELECT * FROM steering_counts ORDER BY day, municipality, metric, item")
            if db.engine == "sqlite":
                tables = [r["name"] for r in tx.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")]
                with pytest.raises(Exception):  # WITHOUT ROWID: not even the order rows were made in is kept
                    tx.fetchall("SELECT rowid FROM steering_counts")
            else:
                tables = [r["table_name"] for r in tx.fetchall(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")]
            referral_count = tx.fetchvalue("SELECT COUNT(*) AS n FROM referrals")
    finally:
        db.close()
    assert referral_count == 2
    assert [t for t in tables if "steer" in t or "stuur" in t] == ["steering_counts"]
    return rows


def assert_nothing_ties_a_row_to_anyone(rows: list[dict], catalog) -> None:
    assert rows and all(set(r) == {"day", "municipality", "metric", "item", "n"} for r in rows)
    assert {r["day"] for r in rows} == {"2026-11-26"}  # a day, never a time
    assert {r["municipality"] for r in rows} == {"voorbeeldstad"}
    vocabulary = ({"", "online", "kcc", "api", "route", "urgent", "not_routed", "unknown", "controleer",
                   "niet_in_gemeente"} | {s.id for s in catalog.steps} | set(catalog.products)
                  | {"geld", "wonen", "zorg", "gezin", "werk", "veiligheid", "meedoen"})
    assert {r["item"] for r in rows} <= vocabulary
    dump = repr(rows)
    for said in SAID:
        assert said not in dump
    counts = {(r["metric"], r["item"]): r["n"] for r in rows}
    # 8 API calls had nothing left to ask (the others still had questions open): only those are results
    assert counts[("started", "api")] == 14 and counts[("results", "api")] == 8
    assert counts[("started", "online")] == 4 and counts[("results", "online")] == 4
    assert counts[("search", "")] == 5 and counts[("search_empty", "")] == 3
    assert counts[("referral", "online")] == 2


@pytest.fixture(scope="module")
def shipped():
    import datetime as dt

    from catalogus.catalog import load_catalog_or_raise
    from tests.conftest import ROOT

    return load_catalog_or_raise(ROOT, today=dt.date(2026, 11, 26))


def test_a_day_on_sqlite_leaves_only_counters_that_do_not_depend_on_who_came_when(tmp_path, shipped):
    first = run_day(tmp_path / "one", "", seed=1)
    second = run_day(tmp_path / "two", "", seed=2)  # the same households in another order, other processes
    assert_nothing_ties_a_row_to_anyone(first, shipped)
    assert first == second


@pytest.mark.postgres
def test_a_day_on_postgresql_leaves_only_counters_that_do_not_depend_on_who_came_when(tmp_path, shipped):
    schemas = [PostgresSchema(), PostgresSchema()]
    try:
        first = run_day(tmp_path / "one", schemas[0].url, seed=3)
        second = run_day(tmp_path / "two", schemas[1].url, seed=4)
    finally:
        for schema in schemas:
            schema.drop()
    assert_nothing_ties_a_row_to_anyone(first, shipped)
    assert [{**r, "n": int(r["n"])} for r in first] == [{**r, "n": int(r["n"])} for r in second]
