"""Where the resident check keeps its answers between pages: in the browser, never on the server.

Every screen of the check is a GET page (``/check/stap/<id>``), so the browser's Back button, the page's
back link and reloading all work, with and without JavaScript. The answers travel in two places, both
with the resident:

* a hidden field of each form (what that page was made from), so a form works even without cookies;
  with it ``geteld``: which moments of this check the steering counters already have (so a reload or
  Back never counts a screen twice; see catalogus.steering);
* an encrypted cookie (AES-GCM, key derived from the secret key; no expiry date, so it ends with the
  browser session; ``HttpOnly``, ``SameSite=Lax``, ``Secure`` whenever the page came over https, so plain
  http on a test machine works too), so that a GET page can be rebuilt on Back or reload.

The server keeps nothing: no session, no row, no log line with an answer (see docs/architectuur.md).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from litestar.datastructures import Cookie

COOKIE = "catalogus-check"
COOKIE_PATH = "/"
MAX_AGE_SECONDS = 12 * 3600  # an older state is ignored: a shared computer left on overnight starts fresh
MAX_COOKIE_BYTES = 3800
NONCE_BYTES = 12


@dataclass
class WizardState:
    """What a resident's check knows so far: JSON answers in order, the screens shown, the progress told."""

    answers: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)  # screens answered, in order (step ids)
    remaining: int | None = None  # the last "nog ongeveer N stappen" shown: it never goes up
    counted: list[str] = field(default_factory=list)  # what the steering counters already have of this check

    def to_json(self) -> dict[str, Any]:
        return {"a": self.answers, "h": self.history, "r": self.remaining, "c": self.counted, "t": int(time.time())}

    @classmethod
    def from_json(cls, data: Any) -> "WizardState | None":
        if not isinstance(data, dict) or not isinstance(data.get("a"), dict):
            return None
        history = data.get("h") if isinstance(data.get("h"), list) else []
        remaining = data.get("r") if isinstance(data.get("r"), int) else None
        if not isinstance(data.get("t"), int) or time.time() - data["t"] > MAX_AGE_SECONDS:
            return None
        counted = data.get("c") if isinstance(data.get("c"), list) else []
        return cls(data["a"], [h for h in history if isinstance(h, str)][:50], remaining, counted_marks(counted))

    def count_once(self, mark: str) -> bool:
        """True the first time this check gets here (then the counters count it); False after that."""
        if mark in self.counted:
            return False
        self.counted.append(mark)
        return True

    # A screen is a place in the history: the same step can come twice (say "Werk en inkomen" and, after the
    # answers elsewhere, its last question), so screens are told apart by their number, not their step.

    def position(self, step_id: str, asked: int | None = None) -> int:
        """Where the screen of ``step_id`` stands: ``asked`` when it names this step (or the next new screen);
        else where the step was first answered (an address without a number is a step's first screen),
        else the next new screen."""
        new = len(self.history)
        if asked is not None and (asked == new or (0 <= asked < new and self.history[asked] == step_id)):
            return asked
        return self.history.index(step_id) if step_id in self.history else new

    def back_from(self, position: int) -> tuple[str, int] | None:
        """The screen before the one at ``position`` (None: the topics page)."""
        position = min(position, len(self.history))
        return (self.history[position - 1], position - 1) if position > 0 else None

    def after(self, position: int) -> tuple[str, int] | None:
        """The screen answered after the one at ``position`` (None: it was the latest)."""
        return (self.history[position + 1], position + 1) if position + 1 < len(self.history) else None

    def answered(self, step_id: str, position: int) -> None:
        """The screen at ``position`` was just submitted: it is the latest screen; what came after it is redone."""
        del self.history[min(position, len(self.history)):]
        self.history.append(step_id)


_MARK = re.compile(r"^[a-z]{1,8}(:[a-z0-9_-]{1,60})?$")


def counted_marks(values: Any) -> list[str]:
    """The counted marks a cookie or a form carries, without anything else.

    >>> counted_marks(["start", "shown:wonen", "<b>", 3]), counted_marks("start,shown:wonen")
    (['start', 'shown:wonen'], ['start', 'shown:wonen'])
    """
    if isinstance(values, str):
        values = values.split(",")
    if not isinstance(values, list):
        return []
    return list(dict.fromkeys(v for v in values if isinstance(v, str) and _MARK.match(v)))[:100]


@lru_cache(maxsize=8)
def _key(secret: str) -> bytes:
    return hashlib.sha256(b"catalogus check state v1\0" + secret.encode()).digest()


def cookie_name(municipality: str | None = None) -> str:
    """Each municipality's check has its own cookie: answering "yes, I live here" in Voorbeeldstad says
    nothing about Buurdorp (None: the default municipality, whose cookie keeps its old name)."""
    return COOKIE if municipality is None else f"{COOKIE}-{municipality}"


def seal(state: WizardState, secret: str, name: str = COOKIE) -> str:
    """The state as an encrypted, authenticated cookie value (URL-safe base64), bound to its cookie's name."""
    nonce = os.urandom(NONCE_BYTES)
    plain = json.dumps(state.to_json(), ensure_ascii=False, separators=(",", ":")).encode()
    sealed = AESGCM(_key(secret)).encrypt(nonce, plain, name.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def unseal(token: str | None, secret: str, name: str = COOKIE) -> WizardState | None:
    """The state in a cookie value; None when it is missing, too old, changed, made with another key or for
    another cookie (another municipality's check)."""
    if not token or len(token) > MAX_COOKIE_BYTES * 2:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        plain = AESGCM(_key(secret)).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], name.encode())
        return WizardState.from_json(json.loads(plain))
    except (ValueError, InvalidTag, UnicodeDecodeError, RecursionError):
        return None


def state_cookie(value: str, *, secure: bool, name: str = COOKIE) -> Cookie:
    return Cookie(key=name, value=value, path=COOKIE_PATH, httponly=True, secure=secure, samesite="lax")


def cleared_cookie(*, secure: bool, name: str = COOKIE) -> Cookie:
    return Cookie(key=name, value="", path=COOKIE_PATH, httponly=True, secure=secure, samesite="lax",
                  max_age=0, expires=0)
