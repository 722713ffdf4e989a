"""A real server (``catalogus serve`` in a subprocess) and Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "vendor" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen
    log: Path


def start_server(data_dir: Path, today: str) -> LiveServer:
    port = free_port()
    env = {**os.environ, "CATALOGUS_TODAY": today, "CATALOGUS_SECURE_COOKIES": "false",
           "CATALOGUS_DATA_DIR": str(data_dir), "CATALOGUS_CONTENT_DIR": str(ROOT), "CATALOGUS_RELOAD": "false",
           "CATALOGUS_SECRET_KEY": "browser-test-secret"}
    log = data_dir / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "catalogus.cli", "serve", "--host", "127.0.0.1",
                                    "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server stopped: {log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(url + "/ping", timeout=1).status_code == 200:
                return LiveServer(url, process, log)
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start within 60 s")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("live"), "2026-11-26")
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def live_server_2027(tmp_path_factory):
    """The same site as it will be on 1 February 2027 (the 2027 norms)."""
    server = start_server(tmp_path_factory.mktemp("live-2027"), "2027-02-01")
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """Open a page in a fresh context; records console errors and CSP violations."""
    contexts = []

    def open_page(*, javascript: bool = True, width: int = 1280, axe: bool = False):
        context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
        if axe:
            # An init script runs before the page's own scripts and is not blocked by the CSP,
            # so axe-core is available while the page keeps its real Content-Security-Policy.
            context.add_init_script(path=str(AXE))
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda message: page.problems.append(message.text)
                if message.type == "error" and "status of 4" not in message.text else None)
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()
