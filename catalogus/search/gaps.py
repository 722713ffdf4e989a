"""Zero-result search queries, counted so editors can add keywords or synonyms.

Only ``gap_text(query)`` is stored: lower-case words, without digits or e-mail
addresses, at most 100 characters. ``DatabaseGaps`` keeps the counts in the
database (SQLite or PostgreSQL); editors read them with ``catalogus search-gaps``
or on the staff page ``/medewerkers/zoekvragen``.
"""

from __future__ import annotations

import datetime as dt
import threading

from ..casework.db import Database, utcnow
from .index import gap_text


class MemoryGaps:
    """``search.SearchGaps`` in memory (tests, or a server without a database)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def record(self, query: str) -> None:
        text = gap_text(query)
        if text:
            with self._lock:
                self.counts[text] = self.counts.get(text, 0) + 1

    def top(self, n: int = 20) -> list[tuple[str, int]]:
        return sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))[:n]


_RECORD = ("INSERT INTO search_gaps (query, times, first_seen, last_seen) VALUES (?, 1, ?, ?) "
           "ON CONFLICT (query) DO UPDATE SET times = search_gaps.times + 1, last_seen = excluded.last_seen")


class DatabaseGaps:
    """``search.SearchGaps`` on top of ``catalogus.casework.db``."""

    def __init__(self, db: Database):
        self.db = db

    def record(self, query: str, at: dt.datetime | None = None) -> None:
        text = gap_text(query)
        if text:
            moment = at or utcnow()
            with self.db.transaction() as tx:
                tx.execute(_RECORD, (text, moment, moment))

    def top(self, n: int = 20) -> list[tuple[str, int]]:
        with self.db.transaction(write=False) as tx:
            rows = tx.fetchall("SELECT query, times FROM search_gaps ORDER BY times DESC, last_seen DESC, query "
                               "LIMIT ?", (max(1, int(n)),))
        return [(row["query"], int(row["times"])) for row in rows]

    def forget(self, before: dt.datetime | None = None) -> int:
        """Remove queries last seen before ``before`` (everything when None); return how many went."""
        with self.db.transaction() as tx:
            if before is None:
                return tx.execute("DELETE FROM search_gaps")
            return tx.execute("DELETE FROM search_gaps WHERE last_seen < ?", (before,))
