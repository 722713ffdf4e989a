"""Staff in a real browser: log in with the password, and set up the second factor where the role needs it."""

from __future__ import annotations

import pyotp

from tests.support.staff import PASSWORD


def log_in_with_totp(page, url: str, username: str, *, landing: str = "**/medewerkers/**") -> None:
    """Log in as a new account of a role with TOTP (first login: scan, type the code); wait for ``landing``."""
    page.goto(url + "/medewerkers/inloggen")
    page.locator("#gebruikersnaam").fill(username)
    page.locator("#wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_selector(".totp-secret")
    secret = page.locator(".totp-secret").inner_text().replace(" ", "")
    page.locator("#code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Instellen en inloggen").click()
    page.wait_for_url(landing)
