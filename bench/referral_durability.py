"""Durability: 200 concurrent referral submissions, kill -9 of the server halfway, restart.

Every referral that got a success page (with its reference) must be in the database
afterwards, and the database must pass its integrity check.

    .venv/bin/python bench/referral_durability.py                      # SQLite (the default)
    .venv/bin/python bench/referral_durability.py --postgres URL       # PostgreSQL
    .venv/bin/python bench/referral_durability.py --total 500 --workers 4

Results go to docs/performance.md ("Aanmeldingen") by hand; the script prints them.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import re
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.servers import Server, server_env  # noqa: E402
from tests.support.staff import ROUTED  # noqa: E402

REFERENCE = re.compile(r"data-reference>(VBS-[0-9A-Z-]+)<")


def submit(client: httpx.Client, url: str, token: str, number: int) -> str | None:
    """One referral; the reference when the server said it was stored, else None."""
    data = {"_csrf_token": token, "antwoorden": json.dumps(ROUTED), "stap": "versturen",
            "naam": f"Inwoner {number}", "telefoon": "0612345678", "contact_time": "middag", "toestemming": "ja",
            "toelichting": f"Aanmelding nummer {number}"}
    try:
        response = client.post(url + "/aanmelden", data=data)
    except httpx.HTTPError:
        return None
    found = REFERENCE.search(response.text) if response.status_code == 200 else None
    return found.group(1) if found else None


def stored_references(data_dir: Path, database_url: str) -> tuple[set[str], str]:
    """(references in the database, integrity check result)."""
    if database_url:
        import psycopg

        with psycopg.connect(database_url) as connection:
            rows = connection.execute("SELECT reference FROM referrals").fetchall()
            # PostgreSQL checks its own pages with checksums/WAL; count the access log against it instead.
            logged = connection.execute("SELECT COUNT(*) FROM access_log WHERE action = 'create'").fetchone()[0]
        return {r[0] for r in rows}, f"ok ({logged} create rows in access_log)"
    connection = sqlite3.connect(data_dir / "catalogus.sqlite3")
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        rows = connection.execute("SELECT reference FROM referrals").fetchall()
    finally:
        connection.close()
    return {r[0] for r in rows}, integrity


def run(total: int = 200, kill_after: int | None = None, database_url: str = "", workers: int = 1,
        concurrency: int = 50) -> dict:
    kill_after = total // 2 if kill_after is None else kill_after
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        env = server_env(data_dir, database_url, CATALOGUS_RATE_LIMIT_PER_MINUTE="1000000")
        server = Server(env, workers=workers, log_path=data_dir / "server.log")
        confirmed: list[str] = []
        lock = threading.Lock()
        killed = threading.Event()
        started = time.monotonic()
        limits = httpx.Limits(max_connections=concurrency)
        with httpx.Client(timeout=60, limits=limits) as client:
            token = re.search(r'name="_csrf_token" value="([^"]+)"',
                              client.get(server.url + "/medewerkers/inloggen").text).group(1)

            def one(number: int) -> None:
                reference = submit(client, server.url, token, number)
                if reference:
                    with lock:
                        confirmed.append(reference)
                        if len(confirmed) >= kill_after and not killed.is_set():
                            killed.set()
                            server.kill()

            with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
                list(pool.map(one, range(total)))
        elapsed = time.monotonic() - started
        server.kill()
        restarted = Server(env, workers=workers, log_path=data_dir / "server.log")
        restarted.stop()
        references, integrity = stored_references(data_dir, database_url)
    missing = sorted(set(confirmed) - references)
    return {"engine": "postgresql" if database_url else "sqlite", "submitted": total,
            "confirmed": len(confirmed), "stored": len(references), "missing": missing,
            "integrity": integrity, "killed": killed.is_set(), "seconds": round(elapsed, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=200)
    parser.add_argument("--kill-after", type=int, default=None, help="kill -9 after this many confirmations")
    parser.add_argument("--postgres", default="", help="PostgreSQL URL (an empty database or schema)")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    result = run(args.total, args.kill_after, args.postgres, args.workers)
    print(json.dumps(result, indent=2))
    ok = result["killed"] and not result["missing"] and result["integrity"].startswith("ok")
    print("OK: every confirmed referral survived kill -9" if ok else "FAILED", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
