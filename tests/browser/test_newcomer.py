"""A newcomer's first hour, on a clean clone: `make run`, the site under a name other than localhost,
a check through to the results, and a login as every staff role after following only the README.

The clone is made from this repository's HEAD (what a newcomer would get), `make run` builds its
own .venv with the real Makefile target, and Chromium reaches the server as catalogus.test
(--host-resolver-rules keeps the traffic on this machine's loopback).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyotp
import pytest

from catalogus.casework.accounts import ROLES
from tests.browser.conftest import CHROMIUM_ARGS
from tests.browser.wizard import run_check
from tests.support.servers import ROOT, free_port
from tests.support.staff import ROUTED

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("newcomer")]

NAME = "catalogus.test"
README = (ROOT / "README.md").read_text(encoding="utf-8")
STAFF_SECTION = README.split("## Voor medewerkers", 1)[1].split("\n## ", 1)[0]


@dataclass
class Clone:
    path: Path
    env: dict[str, str]
    log: Path


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Clone:
    path = tmp_path_factory.mktemp("nieuwkomer") / "catalogus"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(path)], check=True, timeout=120)
    # A newcomer's shell: none of our settings, no make or virtualenv of the test run around it.
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("CATALOGUS_") and key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VIRTUAL_ENV")}
    return Clone(path, env, path.parent / "make-run.log")


@pytest.fixture(scope="module")
def chromium(browser):
    """Chromium that finds catalogus.test on this machine (launched from the session's Playwright)."""
    launched = browser.browser_type.launch(executable_path="/usr/bin/chromium", headless=True,
                                           args=[f"--host-resolver-rules=MAP {NAME} 127.0.0.1", "--headless",
                                                 *CHROMIUM_ARGS])
    yield launched
    launched.close()


class MakeRun:
    """`make run` (or a README variant of it) in the clone, on a free port, in its own process group."""

    def __init__(self, clone: Clone, command: str = "make run"):
        self.port = free_port()
        self.clone = clone
        with clone.log.open("ab") as out:
            out.write(f"\n$ {command} PORT={self.port}\n".encode())
            self.process = subprocess.Popen(["bash", "-c", f"{command} PORT={self.port}"], cwd=clone.path,
                                            env=clone.env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        self.url = f"http://{NAME}:{self.port}"
        self._wait()

    def _wait(self, timeout: float = 600) -> None:  # the first run creates .venv and installs everything
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"make run stopped:\n{self.clone.log.read_text(errors='replace')[-4000:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/ping", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        raise AssertionError("make run did not answer within 10 minutes")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)

    def __enter__(self) -> "MakeRun":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def test_after_make_run_a_newcomer_does_the_check_under_another_name_than_localhost(clone, chromium):
    """Over plain http under a name other than localhost, no form of the check is refused as expired."""
    with MakeRun(clone) as site:
        page = chromium.new_context().new_page()
        refused = []
        page.on("response", lambda r: refused.append((r.status, r.url))
                if r.request.method == "POST" and r.status >= 400 else None)
        page.goto(site.url + "/")
        page.get_by_role("link", name=re.compile("check", re.IGNORECASE)).first.click()
        page.locator('[data-page="onderwerpen"]').wait_for()
        run_check(page, None, ROUTED)
        assert refused == []
        assert page.locator(".result-card, [data-product]").count() > 0
        page.context.close()


def readme_users_add(username: str, display_name: str, role: str, password: str) -> str:
    """The README's users add line with --password-stdin, filled in for one account."""
    lines = list(re.finditer(r"^printf '%s\\n' '(?P<password>[^']+)' \| \.venv/bin/catalogus users add (?P<user>\S+) "
                             r"--name \"(?P<name>[^\"]+)\" --role (?P<role>\S+)(?: --gemeente \S+)? --password-stdin$",
                             STAFF_SECTION, re.MULTILINE))
    assert lines, "the README shows users add with --password-stdin"
    found = next((m for m in lines if m["role"] == role), lines[0])  # a case manager's line names the municipality
    line = found.group(0)
    for old, new in ((found["password"], password), (f"add {found['user']} ", f"add {username} "),
                     (f'"{found["name"]}"', f'"{display_name}"'), (f"--role {found['role']} ", f"--role {role} ")):
        line = line.replace(old, new, 1)
    return line


def log_in(chromium, site: MakeRun, username: str, password: str, display_name: str) -> str:
    """Log in as the README says (the login page, then two-step set-up if asked); return the page's heading."""
    context = chromium.new_context()
    page = context.new_page()
    login_path = re.search(r"`(/medewerkers/inloggen)`", STAFF_SECTION).group(1)
    page.goto(site.url + login_path)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    if page.locator("code.totp-secret").count():  # a case manager's first login: set up the app
        secret = "".join(page.locator("code.totp-secret").inner_text().split())  # shown in groups of 4, as apps take it
        page.get_by_label("Code uit de app").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Instellen en inloggen").click()
        page.wait_for_load_state()
    assert "/inloggen" not in page.url and "/tweestaps" not in page.url, (username, page.url, page.content()[:2000])
    assert page.get_by_role("button", name="Uitloggen").is_visible()
    assert display_name in page.locator("main").inner_text()
    heading = page.locator("h1").inner_text()
    context.close()
    return heading


def test_a_newcomer_logs_in_as_every_role_after_following_only_the_readme(clone, chromium):
    restart = "CATALOGUS_SECURE_COOKIES=false make run"
    assert f"\n{restart}\n" in STAFF_SECTION, "the README says how to log in over plain http on another address"
    with MakeRun(clone, restart) as site:
        accounts = {role: (f"nieuw-{role}", f"Nieuwe {label}", f"paarse olifant {index} op dinsdag")
                    for index, (role, label) in enumerate(ROLES.items())}
        for role, (username, display_name, password) in accounts.items():
            made = subprocess.run(["bash", "-c", readme_users_add(username, display_name, role, password)],
                                  cwd=clone.path, env=clone.env, capture_output=True, text=True, timeout=120)
            assert made.returncode == 0, made.stderr
            assert password not in made.stdout + made.stderr
        listed = subprocess.run([".venv/bin/catalogus", "users", "list"], cwd=clone.path, env=clone.env,
                                capture_output=True, text=True, check=True).stdout
        assert all(re.search(rf"^{username}\t{role}\t[a-z]+\taan", listed, re.M)  # user, role, gemeente or regio
                   for role, (username, _n, _p) in accounts.items())

        headings = {role: log_in(chromium, site, *account[::2], account[1]) for role, account in accounts.items()}
        assert headings["casemanager"] == "Aanmeldingen voor Wijkteam Voorbeeldstad"  # the team of her municipality

        demo = subprocess.run(["make", "demo"], cwd=clone.path, env=clone.env, capture_output=True, text=True,
                              timeout=300)
        assert demo.returncode == 0, demo.stdout + demo.stderr
        demo_kcc = re.search(r"^  demo-kcc\s.*\s(\S+)$", demo.stdout, re.MULTILINE).group(1)
        log_in(chromium, site, "demo-kcc", demo_kcc, "Demo KCC-medewerker")
