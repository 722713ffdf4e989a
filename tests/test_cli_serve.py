"""`catalogus serve` tells the person who starts it where it runs and how cookies travel; logs stay safe."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time

from catalogus.cli import serve_announcement
from tests.support.servers import ROOT, Server, free_port, server_env


def read_until(fd: int, text: str, timeout: float = 60) -> str:
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:  # the other side closed
                break
    return seen.decode(errors="replace")


def test_at_a_terminal_serve_says_in_dutch_where_it_runs_and_logs_readable_lines(tmp_path):
    port = free_port()
    leader, follower = os.openpty()
    env = server_env(tmp_path, CATALOGUS_SECURE_COOKIES="true")
    process = subprocess.Popen([sys.executable, "-m", "catalogus.cli", "serve", "--port", str(port)], cwd=ROOT,
                               env=env, stdin=follower, stdout=follower, stderr=follower, start_new_session=True)
    os.close(follower)
    try:
        written = read_until(leader, "Uvicorn running")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
        os.close(leader)
    assert f"catalogus draait op http://127.0.0.1:{port}/ (46 producten); stoppen met Ctrl+C." in written
    assert "Cookies gaan alleen over HTTPS (CATALOGUS_SECURE_COOKIES=true)" in written
    assert f"uvicorn.error: Uvicorn running on http://127.0.0.1:{port} (Press CTRL+C to quit)" in written
    assert '{"time"' not in written  # a person reads lines, not JSON


def test_without_a_terminal_every_line_is_json_and_names_the_address_and_the_cookie_setting(tmp_path):
    log = tmp_path / "server.log"
    with Server(server_env(tmp_path), log_path=log) as running:
        pass
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    starting = next(e for e in events if e["event"] == "server_starting")
    assert starting["listen"] == f"http://127.0.0.1:{running.port}/" and starting["secure_cookies"] is False
    messages = [e.get("message", "") for e in events]
    assert f"Uvicorn running on http://127.0.0.1:{running.port} (Press CTRL+C to quit)" in messages


def test_the_announcement_warns_when_cookies_also_travel_over_plain_http():
    first, second = serve_announcement("http://0.0.0.0:8000/", False, 46)
    assert first == ("catalogus draait op http://0.0.0.0:8000/ (op elk netwerkadres van deze computer) "
                     "(46 producten); stoppen met Ctrl+C.")
    assert "CATALOGUS_SECURE_COOKIES=false" in second and "nooit voor een echte site" in second
