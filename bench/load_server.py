"""The server for ``bench/load_test.py``, started as ``make run`` starts it, and what its database holds.

Not a benchmark itself (running it does nothing); ``load_test.py`` and ``tests/test_load_smoke.py`` import it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# ---------------------------------------------------------------- the server, as `make run` starts it

def catalogus_command() -> list[str]:
    script = Path(sys.executable).parent / "catalogus"
    return [str(script)] if script.exists() else [sys.executable, "-m", "catalogus.cli"]


class ServerProcess:
    """``catalogus index`` + ``catalogus serve`` on 127.0.0.1 with a fresh data directory.

    Only the CATALOGUS_* settings given here apply (as with ``make run``); starting, waiting
    and stopping are the tests' ``Server``.
    """

    def __init__(self, *, workers: int = 1, **settings: str):
        from tests.support.servers import Server

        self.data_dir = Path(tempfile.mkdtemp(prefix="catalogus-load-"))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUS_")}
        self.env.update({"CATALOGUS_DATA_DIR": str(self.data_dir), **settings})
        self.log_path = self.data_dir / "server.log"
        subprocess.run(catalogus_command() + ["index"], cwd=ROOT, env=self.env, check=True, capture_output=True)
        self.server = Server(self.env, workers=workers, log_path=self.log_path)
        self.port, self.url, self.process = self.server.port, self.server.url, self.server.process

    def error_lines(self) -> int:
        """Log lines at level error or worse (an unexpected 500 logs one)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return sum(1 for line in text.splitlines() if '"level":"error"' in line or '"level":"critical"' in line)

    def stop(self) -> None:
        self.server.stop()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> "ServerProcess":
        return self

    def __exit__(self, *exc) -> None:
        self.cleanup()


# ---------------------------------------------------------------- what the database holds afterwards

def stored(server: ServerProcess, database_url: str) -> dict:
    """Referrals, their 'create' access-log rows, and referrals without one."""
    sql = ("SELECT (SELECT COUNT(*) FROM referrals) AS referrals, "
           "(SELECT COUNT(*) FROM access_log WHERE action = 'create') AS created, "
           "(SELECT COUNT(*) FROM referrals r WHERE NOT EXISTS (SELECT 1 FROM access_log a "
           " WHERE a.reference = r.reference AND a.action = 'create')) AS unlogged")
    if database_url:
        import psycopg

        with psycopg.connect(database_url) as connection:
            row = connection.execute(sql).fetchone()
            references = {r[0] for r in connection.execute("SELECT reference FROM referrals")}
    else:
        connection = sqlite3.connect(server.data_dir / "catalogus.sqlite3")
        try:
            row = connection.execute(sql).fetchone()
            references = {r[0] for r in connection.execute("SELECT reference FROM referrals")}
        finally:
            connection.close()
    return {"referrals": row[0], "created": row[1], "unlogged": row[2], "references": references}


# ---------------------------------------------------------------- PostgreSQL

def postgres_urls(choice: str):
    """(base URL, cluster to stop afterwards or None); ('', None) when PostgreSQL is off or missing."""
    if choice == "off":
        return "", None
    if choice != "auto":
        return choice, None
    from tests.support import pg_cluster

    if not pg_cluster.available():
        return "", None
    return (cluster := pg_cluster.PgCluster().start()).url, cluster


def fresh_schema(base_url: str) -> str:
    """An empty schema in that database, as a URL (search_path) for one run."""
    import psycopg

    from tests.support.databases import with_search_path

    name = "load_" + secrets.token_hex(4)
    with psycopg.connect(base_url, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {name}")
    return with_search_path(base_url, name)


def postgres_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("SHOW server_version").fetchone()[0].split()[0]
