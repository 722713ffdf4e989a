"""A short load run against a real server (``bench/load_test.py`` at 10 clients for 5 s): no errors, nothing lost.

The full run (50 clients, 60 s, SQLite and PostgreSQL) is ``.venv/bin/python bench/load_test.py``.
"""

from __future__ import annotations

from bench import load_test
from bench.load_report import ORDER
from bench.load_server import ServerProcess, stored
from tests.support.threads import in_thread


def test_ten_residents_for_five_seconds_get_no_errors_and_every_confirmed_referral_is_stored():
    with ServerProcess(CATALOGUS_RATE_LIMIT_PER_MINUTE="100000000") as server:
        residents = in_thread(load_test.run_residents, server.url, clients=10, seconds=5)
        referrals, confirmed = in_thread(load_test.run_referrals, server.url, clients=10, seconds=3)
        server.stop()
        found = stored(server, "")
        logged_errors = server.error_lines()

    assert residents.error_count() == 0, dict(residents.errors)
    assert set(ORDER) <= set(residents.latencies), "every endpoint of the mix was exercised"
    assert residents.extra.get("checks_done", 0) >= 10, "residents got through the whole check to the results"
    assert referrals.error_count() == 0, dict(referrals.errors)
    assert len(confirmed) >= 20
    assert found["references"] == set(confirmed), "stored referrals differ from the success pages"
    assert found["unlogged"] == 0 and found["created"] == found["referrals"]
    assert logged_errors == 0
