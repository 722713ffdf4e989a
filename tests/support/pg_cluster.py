"""A private throwaway PostgreSQL cluster on its own port, for tests and benchmarks that stop the database.

It is ``scripts/pg-test-server.sh`` with ``PGPORT`` set, so it never touches the shared test
cluster (``CATALOGUS_TEST_POSTGRES_URL``) that other tests use at the same time::

    cluster = PgCluster()          # picks a free port
    cluster.start()                # initdb + start; cluster.url is ready
    cluster.pause(); cluster.resume()
    cluster.stop()                 # stop and delete it
"""

from __future__ import annotations

import glob
import os
import subprocess

from .servers import ROOT, free_port

SCRIPT = ROOT / "scripts" / "pg-test-server.sh"


def available() -> bool:
    """Is a Debian PostgreSQL server installed (``initdb``)?"""
    return bool(os.environ.get("PG_BINDIR")) or bool(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


class PgCluster:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = ""

    def _run(self, command: str, timeout: float = 120) -> str:
        done = subprocess.run([str(SCRIPT), command], env={**os.environ, "PGPORT": str(self.port)}, cwd=ROOT,
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 and command != "status":
            raise RuntimeError(f"pg-test-server.sh {command} failed: {done.stderr.strip()}")
        return done.stdout.strip()

    def start(self) -> "PgCluster":
        self._run("start")
        self.url = self._run("url")
        return self

    def pause(self) -> None:
        """pg_ctl stop -m fast: every connection is cut, the data stays."""
        self._run("pause")

    def resume(self) -> None:
        self._run("resume")

    def running(self) -> bool:
        return self._run("status").startswith("running")

    def stop(self) -> None:
        """Stop the server and delete the cluster (safe to call twice)."""
        self._run("stop")

    def version(self) -> str:
        import psycopg

        with psycopg.connect(self.url) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]

    def __enter__(self) -> "PgCluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
