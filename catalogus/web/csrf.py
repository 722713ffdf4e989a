"""CSRF protection without a CSRF cookie: signed form tokens, session-bound for staff, plus an Origin check.

Every POST (PUT, PATCH, DELETE) outside the JSON API must carry a token, in the form
field ``_csrf_token`` or the header ``X-CSRFToken`` (htmx, from the ``csrf-token`` meta tag):

- **Staff with a live session**: ``s.<HMAC(key, session token hash)>``. It changes when the
  session does (login, second factor) and a token of another session never fits.
- **Everyone else** (the resident check, the referral form, the login form):
  ``a.<time>.<nonce>.<HMAC>``, valid for ``FORM_TOKEN_HOURS``. It needs no cookie, so the
  check works over plain http on any host name, also when ``CATALOGUS_SECURE_COOKIES``
  makes the browser drop cookies.

The browser's ``Origin`` (or, without it, the ``Referer``) must be this site: the request's
own origin, ``CATALOGUS_PUBLIC_URL``, or the https origin of the request's host (TLS ended
by a proxy in front). A request with neither header is no cross-site browser request.
Templates keep using ``csrf_input`` and ``csrf_token()`` (Litestar reads the scope state).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Any

from litestar.enums import ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from ..casework.db import DatabaseError
from ..datadir import secret_key
from ..logs import get_logger
from ..settings import Settings
from .origins import host_header, origin_of, request_origin
from .security import API_PREFIX

log = get_logger(__name__)

FIELD = "_csrf_token"
HEADER = "x-csrftoken"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM_TOKEN_HOURS = 24
MAX_TOKEN_CHARS = 200
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CsrfTokens:
    """Make and check tokens with a key derived from the secret key."""

    def __init__(self, secret: str):
        self._key = hashlib.sha256(("catalogus-csrf:" + secret).encode()).digest()

    def _mac(self, message: str) -> str:
        return hmac.new(self._key, message.encode(), hashlib.sha256).hexdigest()[:40]

    def for_session(self, token_hash: str) -> str:
        return "s." + self._mac("session|" + token_hash)

    def for_form(self, now: float | None = None) -> str:
        stamp = str(int(now if now is not None else time.time()))
        nonce = secrets.token_hex(8)
        return f"a.{stamp}.{nonce}.{self._mac(f'form|{stamp}|{nonce}')}"

    def form_token_ok(self, token: str, now: float | None = None) -> bool:
        """A form token made here, not older than ``FORM_TOKEN_HOURS`` (nor from the future).

        >>> tokens = CsrfTokens("geheim"); fresh = tokens.for_form(1_000_000)
        >>> tokens.form_token_ok(fresh, 1_000_060), tokens.form_token_ok(fresh, 1_000_000 + 25 * 3600)
        (True, False)
        >>> CsrfTokens("ander geheim").form_token_ok(fresh, 1_000_060)
        False
        """
        parts = token.split(".")
        if len(parts) != 4 or parts[0] != "a" or not parts[1].isdigit():
            return False
        expected = self._mac(f"form|{parts[1]}|{parts[2]}")
        age = (now if now is not None else time.time()) - int(parts[1])
        return hmac.compare_digest(parts[3], expected) and -300 <= age <= FORM_TOKEN_HOURS * 3600


def origin_allowed(request: Any, settings: Settings) -> bool:
    """Whether the browser says this request comes from a page of this site (or says nothing)."""
    claimed = request.headers.get("origin")
    if claimed is None:
        referer = request.headers.get("referer")
        if not referer:
            return True  # no browser signal at all (scripts, old browsers): the token alone decides
        claimed = referer
    found = origin_of(claimed)
    if found is None:
        return False  # "null" (sandboxed frame, privacy mode of a foreign page) or garbage
    allowed = {request_origin(request), origin_of(settings.public_url), origin_of(f"https://{host_header(request)}/")}
    return found in allowed - {None}


async def _session_hash(request: Any) -> str | None:
    from .staff import staff_session  # staff imports security, which this module imports too

    try:
        session = await staff_session(request)
    except DatabaseError:
        if request.method in SAFE_METHODS:
            request.scope["state"].pop("staff_session", None)
            return None  # a page without the database still renders; its forms need the database anyway
        raise
    return session.token_hash if session is not None else None


async def _posted_token(request: Any) -> str:
    token = request.headers.get(HEADER)
    if not token and (request.headers.get("content-type") or "").startswith(FORM_TYPES):
        form = await request.form()  # Litestar keeps the parsed body in the scope for the handler
        token = form.get(FIELD)
    return token if isinstance(token, str) and len(token) <= MAX_TOKEN_CHARS else ""


def csrf_middleware(settings: Settings):
    """The middleware factory for ``Litestar(middleware=[...])``."""
    tokens = CsrfTokens(secret_key(settings))

    def build(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != ScopeType.HTTP or scope["path"].startswith(API_PREFIX):
                await app(scope, receive, send)  # the JSON API uses no cookies: nothing to forge
                return
            request = scope["litestar_app"].request_class(scope=scope, receive=receive)
            session_hash = await _session_hash(request) if _has_session_cookie(request, settings) else None
            expected = tokens.for_session(session_hash) if session_hash else None
            if request.method not in SAFE_METHODS:
                if not origin_allowed(request, settings):
                    log.warning("csrf_refused", reason="origin", method=request.method)
                    raise PermissionDeniedException("het formulier kwam niet van deze site")
                posted = await _posted_token(request)
                valid = (hmac.compare_digest(posted, expected) if expected is not None
                         else tokens.form_token_ok(posted))
                if not valid:
                    log.info("csrf_refused", reason="token", method=request.method, role="staff" if expected else "")
                    raise PermissionDeniedException("het formulier is verlopen of niet van deze site")
            ScopeState.from_scope(scope).csrf_token = expected or tokens.for_form()
            await app(scope, receive, send)

        return middleware

    return build


def _has_session_cookie(request: Any, settings: Settings) -> bool:
    from .staff import cookie_name

    return bool(request.cookies.get(cookie_name(settings)))
