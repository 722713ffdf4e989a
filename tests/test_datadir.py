"""The data directory is private: made 0700 with 0600 files, and a server refuses to start when it is more open."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from litestar.testing import TestClient

from catalogus.datadir import check_data_dir
from catalogus.errors import StartupError
from tests.support.databases import json_logs  # noqa: F401  (fixture)
from tests.support.servers import ROOT, Server, server_env
from tests.support.staff import referral_form


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def serve_once(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Start ``catalogus serve`` and expect it to stop by itself (it refuses to start)."""
    return subprocess.run([sys.executable, "-m", "catalogus.cli", "serve", "--port", "1"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_real_server_makes_its_data_directory_and_files_private(tmp_path):
    data = tmp_path / "nieuw" / "data"
    env = {**server_env(data), "CATALOGUS_SECRET_KEY": ""}  # the key file is made too
    with Server(env, log_path=tmp_path / "server.log") as server, httpx.Client(timeout=30) as client:
        page = client.get(server.url + "/medewerkers/inloggen")
        token = page.text.split('name="_csrf_token" value="')[1].split('"')[0]
        assert client.post(server.url + "/aanmelden", data=referral_form(token)).status_code == 200
        made = {p.relative_to(data): mode(p) for p in [data, *data.rglob("*")]}
    assert made[Path(".")] == 0o700
    for name in ("catalogus.sqlite3", "catalogus.sqlite3-wal", "catalogus.sqlite3-shm", "secret_key"):
        assert made.get(Path(name)) == 0o600, (name, made)
    index_files = [p for p in made if p.parts[:1] == ("index",)]
    assert index_files, made
    for path in index_files:
        assert made[path] == (0o700 if (data / path).is_dir() else 0o600), path


@pytest.mark.parametrize("name", [".", "catalogus.sqlite3", "catalogus.sqlite3-wal"])
def test_a_real_server_refuses_to_start_when_the_data_is_readable_by_others(tmp_path, name):
    data = tmp_path / "data"
    with Server(server_env(data), log_path=tmp_path / "first.log") as first:
        first.kill()  # as after a crash: the -wal file stays
    (data / name).chmod(0o755 if name == "." else 0o644)
    done = serve_once(server_env(data))
    assert done.returncode == 1
    path = data if name == "." else data / name
    assert "Andere gebruikers van deze computer kunnen in de gegevens kijken" in done.stderr
    assert f"chmod {'700' if name == '.' else '600'} {path}" in done.stderr


def test_a_data_directory_that_cannot_be_made_stops_the_server_with_the_reason(tmp_path):
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    done = serve_once(server_env(blocker / "data"))
    assert done.returncode == 1
    assert f"De server start niet: De gegevensmap {blocker / 'data'} kan niet worden gemaakt" in done.stderr


def test_a_start_up_failure_in_the_app_logs_why_without_the_path(tmp_path, web_content, json_logs):
    from catalogus.web.app import create_app
    from tests.conftest import make_web_settings

    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    app = create_app(make_web_settings(data), content=web_content)
    with pytest.raises(Exception):
        with TestClient(app):
            pass
    failed = [e for e in json_logs.events if e["event"] == "startup_failed"]
    assert failed and failed[0]["reason"] == "data_dir_too_open" and failed[0]["error"] == "StartupError"
    assert str(data) not in json_logs.text


def test_check_data_dir_creates_a_private_directory(tmp_path):
    made = check_data_dir(tmp_path / "a" / "b")
    assert mode(made) == 0o700
    os.chmod(made, 0o750)
    with pytest.raises(StartupError) as refused:
        check_data_dir(made)
    assert refused.value.code == "data_dir_too_open" and f"chmod 700 {made}" in str(refused.value)
    json.dumps(str(refused.value))  # a plain message, ready for stderr
