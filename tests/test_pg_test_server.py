"""scripts/pg-test-server.sh picks a free port, so two checkouts (or a busy 54329) never collide."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess

import psycopg
import pytest

from tests.support import pg_cluster
from tests.support.servers import ROOT

pytestmark = pytest.mark.postgres


@pytest.fixture
def checkouts(tmp_path):
    """Two copies of the script, as in two clones of the repository (each keeps its cluster in its own .tmp/)."""
    if not pg_cluster.available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; CI must test the throwaway cluster script")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    copies = []
    for name in ("eerste", "tweede"):
        (tmp_path / name / "scripts").mkdir(parents=True)
        shutil.copy(ROOT / "scripts" / "pg-test-server.sh", tmp_path / name / "scripts")
        copies.append(tmp_path / name / "scripts" / "pg-test-server.sh")
    yield copies
    for script in copies:
        run(script, "stop", check=False)


def run(script, command: str, check: bool = True) -> str:
    env = {key: value for key, value in os.environ.items() if key != "PGPORT"}
    done = subprocess.run([str(script), command], env=env, capture_output=True, text=True, timeout=120)
    if check and done.returncode != 0:
        raise AssertionError(f"{command}: {done.stderr}")
    return done.stdout.strip()


def test_each_checkout_gets_its_own_free_port_even_when_54329_is_taken(checkouts):
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            squatter.bind(("127.0.0.1", 54329))
            squatter.listen()
        except OSError:
            pass  # someone else listens there already: just as good for this test
        urls = []
        for script in checkouts:
            run(script, "start")
            urls.append(run(script, "url"))
    ports = [int(url.rsplit(":", 1)[1].split("/")[0]) for url in urls]
    assert 54329 not in ports and len(set(ports)) == 2
    for url in urls:
        with psycopg.connect(url, connect_timeout=5) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
    assert run(checkouts[0], "url") == urls[0]  # url keeps answering the picked port


def test_url_before_start_says_there_is_no_cluster_yet(checkouts):
    env = {key: value for key, value in os.environ.items() if key != "PGPORT"}
    done = subprocess.run([str(checkouts[0]), "url"], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 1 and "start" in done.stderr
