"""Steering counters: batched upserts that add up across processes on both engines, suppression under 10,
and the referral stage times from the store."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from catalogus.casework import accounts, referrals
from catalogus.casework.contact import validate_contact
from catalogus.casework.referrals import Actor
from catalogus.catalog import load_catalog_or_raise
from catalogus.steering import report as steering
from catalogus.steering.counters import Tally
from tests.conftest import ROOT, TODAY
from tests.support.databases import T0, db, db_settings  # noqa: F401  (fixtures)

DAY = dt.date(2026, 11, 26)
PERIOD = steering.Period(DAY - dt.timedelta(days=6), DAY)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog_or_raise(ROOT, today=TODAY)


def _rows(db):
    with db.transaction(write=False) as tx:
        return {(r["day"], r["municipality"], r["metric"], r["item"]): r["n"]
                for r in tx.fetchall("SELECT * FROM steering_counts")}


def test_flushes_from_several_tallies_at_once_add_up_exactly(db):
    tallies = [Tally() for _ in range(4)]  # as if four processes counted and flushed together

    def work(tally):
        for _ in range(50):
            tally.record(DAY, "voorbeeldstad", [("started", "api", 1), ("results", "api", 1)])
            tally.record(DAY, "buurdorp", [("started", "online", 2)])
            tally.flush(db)

    threads = [threading.Thread(target=work, args=(t,)) for t in tallies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _rows(db) == {("2026-11-26", "voorbeeldstad", "started", "api"): 200,
                         ("2026-11-26", "voorbeeldstad", "results", "api"): 200,
                         ("2026-11-26", "buurdorp", "started", "online"): 400}
    assert all(not t.pending() for t in tallies)


def test_counts_survive_a_failed_flush_and_are_written_by_the_next(db):
    tally = Tally()
    tally.record(DAY, "voorbeeldstad", [("search", "", 3)])
    with db.transaction() as tx:
        tx.execute("ALTER TABLE steering_counts RENAME TO steering_counts_away")
    with pytest.raises(Exception):
        tally.flush(db)
    assert tally.pending() == {("2026-11-26", "voorbeeldstad", "search", ""): 3}
    with db.transaction() as tx:
        tx.execute("ALTER TABLE steering_counts_away RENAME TO steering_counts")
    assert tally.flush(db) == 1
    assert _rows(db) == {("2026-11-26", "voorbeeldstad", "search", ""): 3}


def test_a_figure_under_ten_shows_as_less_than_ten_everywhere_and_hides_what_is_built_on_it(db, catalog):
    tally = Tally()
    tally.record(DAY, "voorbeeldstad", [("started", "api", 9), ("results", "api", 9), ("route", "route", 9),
                                        ("eligible", "zorgtoeslag", 12), ("amount_cents", "", 500000)])
    tally.flush(db)
    found = steering.build_report(db, catalog, PERIOD, ["voorbeeldstad"], "voorbeeldstad", "Voorbeeldstad")
    channels = {c: (s.shown, r.shown) for c, _label, s, r in found.channels}
    assert channels["api"] == ("< 10", "< 10")
    assert found.amount_cents is None  # 9 results pages: the sum of money is not shown either
    route = next(s for s in found.routing if s.id == "route")
    assert (route.figure.shown, route.percent) == ("< 10", None)
    assert found.products[0].id == "zorgtoeslag" and found.products[0].eligible.shown == "12"
    exported = {(r["onderdeel"], r["sleutel"]): r["waarde"] for r in steering.export_rows(found)}
    assert exported[("checks_begonnen", "api")] == "< 10"
    assert exported[("bedragen_per_jaar", "")] == "< 10"
    assert exported[("product_past", "zorgtoeslag")] == 12
    assert "< 10" in steering.to_csv(found) and "5000" not in steering.to_csv(found)


def test_another_municipality_and_days_outside_the_period_do_not_count(db, catalog):
    tally = Tally()
    tally.record(DAY, "buurdorp", [("started", "online", 40)])
    tally.record(DAY - dt.timedelta(days=7), "voorbeeldstad", [("started", "online", 40)])
    tally.record(DAY, "voorbeeldstad", [("started", "online", 11)])
    tally.flush(db)
    one = steering.build_report(db, catalog, PERIOD, ["voorbeeldstad"], "voorbeeldstad", "Voorbeeldstad")
    region = steering.build_report(db, catalog, PERIOD, ["voorbeeldstad", "buurdorp"], None, "Regio")
    assert (one.started.shown, region.started.shown) == ("11", "51")
    assert [w.started.shown for w in one.weeks] == ["< 10", "11"]  # week 47 (from 20 November) and week 48


def _contact():
    details, problems = validate_contact({"name": "Fatima el Amrani", "phone": "06-12345678", "email": "",
                                          "contact_time": "middag", "note": ""})
    assert not problems
    return details


def test_stage_times_are_the_median_and_90th_percentile_of_the_referrals_in_the_period(db, catalog):
    user = accounts.add_user(db, "anna", "Anna de Wit", "casemanager", "een lang wachtwoord 42",
                             municipality="voorbeeldstad")
    anna = Actor(user.id, user.username, user.role, "10.1.2.3", "voorbeeldstad")
    made = []
    for hours in range(1, 12):  # picked up after 1, 2, ... 11 hours; finished 24 hours after that
        created = T0 - dt.timedelta(days=1)
        stored = referrals.create_referral(db, _contact(), consent=True, answers={}, products=[], reasons=[],
                                           urgent=False, channel="online", actor=Actor.resident(), now=created,
                                           municipality="voorbeeldstad")
        referrals.assign(db, stored.reference, anna, now=created + dt.timedelta(hours=hours))
        if hours <= 9:
            referrals.finish(db, stored.reference, anna, now=created + dt.timedelta(hours=hours + 24))
        made.append(stored.reference)
    found = steering.build_report(db, catalog, PERIOD, ["voorbeeldstad"], "voorbeeldstad", "Voorbeeldstad")
    stages = {d.id: d for d in found.durations}
    assert (stages["opgepakt"].count.shown, stages["opgepakt"].median_hours, stages["opgepakt"].p90_hours) == \
        ("11", 6.0, 10.0)
    assert (stages["behandeld"].count.shown, stages["behandeld"].median_hours) == ("< 10", None)  # only 9 finished
    assert stages["doorlooptijd"].p90_hours is None
