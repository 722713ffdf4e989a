"""Start real server processes (``catalogus serve``) for multi-process, browser and crash tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(data_dir: Path, database_url: str = "", **extra: str) -> dict[str, str]:
    env = {**os.environ, "CATALOGUS_CONTENT_DIR": str(ROOT), "CATALOGUS_DATA_DIR": str(data_dir),
           "CATALOGUS_DATABASE_URL": database_url, "CATALOGUS_SECURE_COOKIES": "false",
           "CATALOGUS_SECRET_KEY": "test-secret-shared-by-every-process", "CATALOGUS_TODAY": "2026-11-26",
           "CATALOGUS_RELOAD": "false"}
    env.update(extra)
    return env


class Server:
    """``catalogus serve`` in its own process group (so kill -9 takes its workers too)."""

    def __init__(self, env: dict[str, str], *, workers: int = 1, port: int | None = None, log_path: Path | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        output = open(log_path, "ab") if log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [sys.executable, "-m", "catalogus.cli", "serve", "--port", str(self.port), "--workers", str(workers)],
            env=env, cwd=ROOT, stdout=output, stderr=output, start_new_session=True)
        self._wait()

    def _wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                if httpx.get(self.url + "/ping", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.kill()
        raise RuntimeError("server did not start in time")

    def kill(self) -> None:
        """kill -9 of the whole server (every worker), no chance to clean up."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
