"""Counters in memory, written to ``steering_counts`` in batches by upsert.

A page never waits for the database: ``Tally.record`` adds to a dictionary under a lock. The app's
lifespan calls ``Tally.flush`` every few seconds and once at shutdown, so a crash loses at most those
seconds of counts. The upsert adds to what other processes wrote (``n = n + excluded.n``), the same SQL on
SQLite and PostgreSQL; rows are written in key order, so two processes flushing at once never wait for
each other in a circle.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from typing import Iterable

from ..casework.db import Database

Event = tuple[str, str, int]  # (metric, item, amount)
Key = tuple[str, str, str, str]  # (day, municipality, metric, item)

UPSERT = ("INSERT INTO steering_counts (day, municipality, metric, item, n) VALUES (?, ?, ?, ?, ?) "
          "ON CONFLICT (day, municipality, metric, item) DO UPDATE SET n = steering_counts.n + excluded.n")


class Tally:
    """What this process counted since the last flush (a cache: the database holds the counts)."""

    enabled = True

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[Key] = Counter()

    def record(self, day: dt.date, municipality: str, events: Iterable[Event]) -> None:
        """Add these events for one day and municipality.

        >>> tally = Tally(); tally.record(dt.date(2026, 11, 26), "buurdorp", [("started", "api", 1)] * 2)
        >>> tally.pending()
        {('2026-11-26', 'buurdorp', 'started', 'api'): 2}
        """
        iso = day.isoformat()
        with self._lock:
            for metric, item, amount in events:
                if amount:
                    self._counts[(iso, municipality, metric, item)] += amount

    def pending(self) -> dict[Key, int]:
        with self._lock:
            return dict(self._counts)

    def flush(self, db: Database) -> int:
        """Write everything counted so far; on failure keep it for the next flush. Return rows written."""
        with self._lock:
            counts, self._counts = self._counts, Counter()
        if not counts:
            return 0
        try:
            write(db, counts)
        except BaseException:
            with self._lock:
                self._counts.update(counts)
            raise
        return len(counts)


class NoTally(Tally):
    """Counting switched off (``CATALOGUS_STEERING=false``): records nothing."""

    enabled = False

    def record(self, day: dt.date, municipality: str, events: Iterable[Event]) -> None:
        return None


def write(db: Database, counts: dict[Key, int]) -> None:
    """Add these counts to the database in one transaction."""
    with db.transaction() as tx:
        for key in sorted(counts):
            tx.execute(UPSERT, (*key, counts[key]))
