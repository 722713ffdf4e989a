"""Rate limits per client address, counted in the database so every process and server shares them.

A sliding-window estimate over fixed one-minute windows: the hits of this minute
plus the previous minute's hits weighted by how much of it still overlaps the last
60 seconds. Addresses are stored only as a hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from .db import Database, to_utc, utcnow
from ..logs import get_logger, hash_address

log = get_logger(__name__)


def client_key(bucket: str, address: str) -> str:
    return hashlib.sha256(f"catalogus-rate:{bucket}:{address}".encode()).hexdigest()[:32]


def allow(db: Database, bucket: str, address: str, limit: int, now: dt.datetime | None = None) -> bool:
    """Count one hit for this client in this bucket; False when it is over ``limit`` per minute."""
    now = to_utc(now or utcnow())
    seconds = now.timestamp()
    minute = int(seconds // 60)
    client = client_key(bucket, address)
    with db.transaction() as tx:
        hits = tx.fetchvalue(
            "INSERT INTO rate_limits (bucket, client, window_start, hits) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (bucket, client, window_start) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits",
            (bucket, client, minute))
        previous = tx.fetchvalue("SELECT hits FROM rate_limits WHERE bucket = ? AND client = ? AND window_start = ?",
                                 (bucket, client, minute - 1)) or 0
        if secrets.randbelow(100) == 0:
            cleanup_in(tx, now)
    estimate = previous * (1 - (seconds % 60) / 60) + hits
    if estimate > limit:
        log.warning("rate_limited", bucket=bucket, client=hash_address(address), limit=limit)
        return False
    return True


def cleanup_in(tx, now: dt.datetime) -> int:
    """Forget windows that can no longer count (inside the caller's transaction)."""
    return tx.execute("DELETE FROM rate_limits WHERE window_start < ?", (int(now.timestamp() // 60) - 2,))
