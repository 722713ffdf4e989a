"""Live reload in a real server process: edits go online by themselves, broken ones never do,
and requests during a reload always get one whole version."""

from __future__ import annotations

import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from catalogus.catalog import content_version
from tests.support.content_copy import copy_content, product_file
from tests.support.servers import Server, server_env

PRODUCT = "huurtoeslag"
TITLE = "Huurtoeslag"


@pytest.fixture
def content_root(tmp_path) -> Path:
    return copy_content(tmp_path / "content")


@pytest.fixture
def server(tmp_path, content_root):
    env = server_env(tmp_path / "data", CATALOGUS_CONTENT_DIR=str(content_root), CATALOGUS_RELOAD="true")
    with Server(env, log_path=tmp_path / "server.log") as running:
        yield running


def write_title(root: Path, title: str) -> None:
    file = product_file(root, PRODUCT)
    text = file.read_text(encoding="utf-8")
    file.write_text(re.sub(r"^titel: .*$", f"titel: {title}", text, count=1, flags=re.M), encoding="utf-8")


def heading(page: str) -> str:
    return re.search(r'<h1 class="utrecht-heading-1" tabindex="-1">([^<]*)</h1>', page).group(1)


def wait_for(check, timeout: float = 15.0):
    """Poll until ``check()`` returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s")
        time.sleep(0.1)


def test_a_changed_title_is_online_within_seconds(server, content_root):
    page = f"{server.url}/producten/{PRODUCT}"
    assert heading(httpx.get(page).text) == TITLE
    old_version = httpx.get(server.url + "/health").json()["version"]
    write_title(content_root, "Huurtoeslag (bijgewerkt)")
    started = time.monotonic()
    wait_for(lambda: heading(httpx.get(page).text) == "Huurtoeslag (bijgewerkt)", timeout=10)
    assert time.monotonic() - started < 10
    health = httpx.get(server.url + "/health").json()
    assert health["status"] == "ok" and health["version"] == content_version(content_root) != old_version


def test_a_broken_file_keeps_the_old_version_online_until_it_is_fixed(server, content_root, tmp_path):
    page = f"{server.url}/producten/{PRODUCT}"
    file = product_file(content_root, PRODUCT)
    good = file.read_text(encoding="utf-8")
    served = httpx.get(server.url + "/health").json()["version"]

    file.write_text(good.replace("titel: Huurtoeslag", "titel: [Huurtoeslag kapot", 1), encoding="utf-8")
    health = wait_for(lambda: (h := httpx.get(server.url + "/health").json())["status"] == "degraded" and h)
    assert health["version"] == served and health["last_error"]["codes"] == ["E100"]
    response = httpx.get(page)
    assert response.status_code == 200 and heading(response.text) == TITLE
    assert response.headers["x-content-version"] == served

    file.write_text(good.replace("titel: Huurtoeslag", "titel: Huurtoeslag (gerepareerd)", 1), encoding="utf-8")
    health = wait_for(lambda: (h := httpx.get(server.url + "/health").json())["status"] == "ok" and h)
    assert health["last_error"] is None and health["version"] == content_version(content_root)
    assert heading(httpx.get(page).text) == "Huurtoeslag (gerepareerd)"

    log = (tmp_path / "server.log").read_text(encoding="utf-8")
    events = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(e.get("event") == "content_reload_failed" for e in events)
    assert any(e.get("event") == "content_diagnostic" and e.get("code") == "E100" for e in events)
    assert "kapot" not in log  # diagnostics are logged by code and place, never with content


def test_requests_during_reloads_never_fail_and_never_mix_two_versions(server, content_root):
    titles = {"Huurtoeslag (versie A)": None, "Huurtoeslag (versie B)": None}
    for title in titles:  # the content version each title gives (a hash of the files)
        write_title(content_root, title)
        titles[title] = content_version(content_root)
    by_version = {version: title for title, version in titles.items()}
    wait_for(lambda: httpx.get(server.url + "/health").json()["version"] == titles["Huurtoeslag (versie B)"])

    stop = threading.Event()
    reloads: list[str] = []

    def edit() -> None:
        for round_ in range(6):
            title = list(titles)[round_ % 2]
            write_title(content_root, title)
            wait_for(lambda: httpx.get(server.url + "/health").json()["version"] == titles[title])
            reloads.append(title)
            time.sleep(0.3)
        stop.set()

    def one(client: httpx.Client, n: int) -> tuple[str, str, str, int]:
        """(content version header, title in the body, which endpoint, status)."""
        if n % 2:
            response = client.get(f"{server.url}/producten/{PRODUCT}")
            title = heading(response.text) if response.status_code == 200 else ""
            return response.headers.get("x-content-version", ""), title, "page", response.status_code
        response = client.get(f"{server.url}/api/v1/products")
        items = response.json()["products"] if response.status_code == 200 else []
        title = next((p["title"] for p in items if p["id"] == PRODUCT), "")
        return response.headers.get("x-content-version", ""), title, "api", response.status_code

    def worker(start: int) -> list[tuple[str, str, str, int]]:
        seen = []
        with httpx.Client(timeout=30) as client:
            n = start
            while not stop.is_set() or len(seen) < 10:
                seen.append(one(client, n))
                n += 1
        return seen

    editor = threading.Thread(target=edit)
    editor.start()
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = [r for batch in pool.map(worker, range(20)) for r in batch]
    editor.join()

    assert len(reloads) == 6
    assert len(results) >= 200
    assert all(status == 200 for *_, status in results), {s for *_, s in results}
    mixed = [(v, t, where) for v, t, where, _ in results if by_version.get(v) != t]
    assert not mixed, mixed[:5]
    assert {t for _, t, _, _ in results} == set(titles)  # requests saw both versions: they ran during reloads
