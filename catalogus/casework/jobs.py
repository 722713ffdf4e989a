"""Periodic jobs that run at most once per interval across every process sharing the database."""

from __future__ import annotations

import datetime as dt
from typing import Callable

from . import accounts, ratelimit, referrals
from ..search import gaps
from .db import Database, Transaction, to_utc, utcnow
from ..logs import get_logger
from ..settings import Settings

log = get_logger(__name__)
PURGE_JOB = "purge"


def run_if_due(db: Database, name: str, interval: dt.timedelta, work: Callable[[Transaction, dt.datetime], object],
               now: dt.datetime | None = None) -> bool:
    """Run ``work`` when the job last ran ``interval`` ago or longer; claim and work share one transaction.

    Two processes calling this at once: the row update serialises them, the second
    sees the fresh run time and does nothing. When the work fails, the claim is
    rolled back with it, so the next call tries again.
    """
    now = to_utc(now or utcnow())
    with db.transaction() as tx:
        tx.execute("INSERT INTO jobs (name, last_run_at) VALUES (?, NULL) ON CONFLICT (name) DO NOTHING", (name,))
        claimed = tx.execute("UPDATE jobs SET last_run_at = ? WHERE name = ? AND "
                             "(last_run_at IS NULL OR last_run_at <= ?)", (now, name, now - interval))
        if claimed != 1:
            return False
        work(tx, now)
    log.info("job_done", job=name)
    return True


def adopt_default_municipality(db: Database, municipality: str) -> int:
    """Referrals and case managers from before the region belong to the default municipality (at start-up;
    a no-op once done). Only the content knows which municipality that is, so a migration cannot do it."""
    with db.transaction() as tx:
        changed = tx.execute("UPDATE referrals SET municipality = ? WHERE municipality IS NULL", (municipality,))
        changed += tx.execute("UPDATE users SET municipality = ? WHERE municipality IS NULL AND role IN (?)",
                              (municipality, *sorted(accounts.MUNICIPAL_ROLES)))
    if changed:
        log.info("municipality_adopted", municipality=municipality, rows=changed)
    return changed


def maintenance_in(tx: Transaction, settings: Settings, now: dt.datetime) -> int:
    """Retention purge plus housekeeping (expired sessions, old rate-limit windows, search-gap words past
    90 days and pending hashes of past periods); return referrals purged."""
    count = referrals.purge_in(tx, now)
    accounts.cleanup_sessions_in(tx, settings, now)
    ratelimit.cleanup_in(tx, now)
    words = gaps.purge_in(tx, now)
    if words:
        log.info("search_gap_words_purged", count=words)
    return count


def run_purge_if_due(db: Database, settings: Settings, now: dt.datetime | None = None) -> bool:
    """The daily purge inside the server (``settings.purge_interval_hours``)."""
    interval = dt.timedelta(hours=settings.purge_interval_hours)
    return run_if_due(db, PURGE_JOB, interval, lambda tx, at: maintenance_in(tx, settings, at), now)
