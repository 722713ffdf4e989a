"""Staff pages: login (password, then TOTP for case managers and policy advisers), logout, and the guard for staff pages.

Sessions live in the database (``accounts``), so any process behind the load balancer
can continue a session another one started. The session cookie holds only a random
token; it is ``HttpOnly``, ``SameSite=Strict`` and ``Secure`` (with the ``__Host-``
prefix) when ``secure_cookies`` is on. Other areas protect their pages with
``guards=[requires("kcc")]`` plus ``exception_handlers=STAFF_ERRORS`` and read the
session with ``staff_session(request)``.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import anyio
import segno
from litestar import Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import HTTPException
from litestar.handlers import BaseRouteHandler
from litestar.response import Redirect, Template

from ..casework import accounts, ratelimit
from ..casework.accounts import Session
from ..casework.db import Database
from ..logs import get_logger, hash_address
from ..casework.referrals import Actor
from ..settings import Settings
from .origins import host_header, is_local, origin_of
from .templating import page, site_values

log = get_logger(__name__)

LOGIN_PATH = "/medewerkers/inloggen"
TOTP_PATH = "/medewerkers/tweestaps"
TOTP_SETUP_PATH = "/medewerkers/tweestaps/instellen"
QUEUE_PATH = "/medewerkers/aanmeldingen"
HOME_PATH = "/medewerkers"
STEERING_PATH = "/medewerkers/stuurinformatie"
NO_STORE = {"cache-control": "no-store"}


# ---------------------------------------------------------------- plumbing

def settings_of(request: Any) -> Settings:
    return request.app.state.settings


def database(request: Any) -> Database:
    return request.app.state.db


async def run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run blocking work (database, argon2) in a worker thread, off the event loop."""
    return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kwargs))


def client_address(request: Any) -> str:
    return request.client.host if request.client else ""


def cookie_name(settings: Settings) -> str:
    return "__Host-catalogus-sessie" if settings.secure_cookies else "catalogus-sessie"


def session_cookie(settings: Settings, token: str) -> Cookie:
    return Cookie(key=cookie_name(settings), value=token, path="/", httponly=True, secure=settings.secure_cookies,
                  samesite="strict")


def expired_cookie(settings: Settings) -> Cookie:
    return Cookie(key=cookie_name(settings), value="", path="/", httponly=True, secure=settings.secure_cookies,
                  samesite="strict", max_age=0, expires=0)


async def staff_session(request: Any) -> Session | None:
    """The live staff session of this request (looked up once per request), or None."""
    cached = request.scope.setdefault("state", {}).get("staff_session", ...)
    if cached is not ...:
        return cached
    settings = settings_of(request)
    token = request.cookies.get(cookie_name(settings))
    session = await run(accounts.load_session, database(request), token, settings) if token else None
    request.scope["state"]["staff_session"] = session
    return session


def actor_of(session: Session, request: Any) -> Actor:
    """The staff member of this session, for the access log."""
    return Actor(session.user.id, session.user.username, session.user.role, client_address(request),
                 session.user.municipality)


# ---------------------------------------------------------------- guard

class LoginRequired(HTTPException):
    status_code = 401


class NoAccess(HTTPException):
    status_code = 403


def requires(*roles: str) -> Callable[[ASGIConnection, BaseRouteHandler], Any]:
    """A guard: anonymous (or half-logged-in) users go to the login page; other roles get 403."""

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        session = await staff_session(connection)
        if session is None or not session.complete:
            raise LoginRequired()
        if roles and session.user.role not in roles:
            log.warning("staff_forbidden", role=session.user.role, user_id=session.user.id)
            raise NoAccess()

    return guard


def _to_login(request: Request, exc: Exception) -> Response:
    return Redirect(LOGIN_PATH, status_code=303, headers=NO_STORE)


def _no_access(request: Request, exc: Exception) -> Response:
    return Template("staff_no_access.html", context={**site_values(request), "fragment": False}, status_code=403, headers=NO_STORE)


STAFF_ERRORS = {LoginRequired: _to_login, NoAccess: _no_access}


def landing(session: Session) -> str:
    return {"casemanager": QUEUE_PATH, "beleid": STEERING_PATH}.get(session.user.role, HOME_PATH)


# ---------------------------------------------------------------- login

COOKIE_PROBLEM = ("Inloggen werkt op dit adres niet. Uw browser bewaart beveiligde cookies alleen via https of "
                  "via http://localhost, en de server staat ingesteld op beveiligde cookies: "
                  "CATALOGUS_SECURE_COOKIES=true. Open de site via https. Test u op uw eigen computer of in een "
                  "virtuele machine? Start de server dan met CATALOGUS_SECURE_COOKIES=false.")
_WARNED = {"cookie_problem": False}


def cookies_cannot_work(request: Any, settings: Settings) -> bool:
    """The session cookie is ``Secure`` but this browser talks plain http to a host that is not localhost.

    Behind a proxy that ends TLS the scheme looks like http too: an https ``Origin``/``Referer``
    or the host of an https ``public_url`` means the browser itself is on https.
    """
    if not settings.secure_cookies or request.scope.get("scheme") == "https" or is_local(request):
        return False
    said = request.headers.get("origin") or request.headers.get("referer") or ""
    if (origin_of(said) or "").startswith("https://"):
        return False
    public = origin_of(settings.public_url) or ""
    return not (public.startswith("https://") and public == origin_of(f"https://{host_header(request)}/"))


def _login_page(request: Request, *, error: str = "", username: str = "", notice: str = "", status: int = 200) -> Any:
    problem = cookies_cannot_work(request, settings_of(request))
    if problem and not _WARNED["cookie_problem"]:
        _WARNED["cookie_problem"] = True  # once per process is enough to point the operator at the setting
        log.warning("login_needs_https", reason="secure_cookies_over_http")
    return page(request, "staff_login.html", {"error": error, "username": username, "notice": notice,
                                              "cookie_problem": COOKIE_PROBLEM if problem else ""},
                status=status, no_store=True)


@get(LOGIN_PATH, name="staff-login")
async def login_form(request: Request) -> Any:
    session = await staff_session(request)
    if session is not None and session.complete:
        return Redirect(landing(session), status_code=303)
    return _login_page(request, notice="U bent uitgelogd." if request.query_params.get("uit") == "1" else "")


@post(LOGIN_PATH, name="staff-login-post")
async def login(request: Request) -> Any:
    form = await request.form()
    settings, db = settings_of(request), database(request)
    username = str(form.get("gebruikersnaam") or "")[:100]
    if cookies_cannot_work(request, settings):  # the browser would drop the session cookie: say why instead
        return _login_page(request, username=username, status=400)
    if not await run(ratelimit.allow, db, "login", client_address(request), settings.rate_limit_per_minute):
        return _login_page(request, error="U heeft te vaak geprobeerd in te loggen. Wacht een minuut en probeer "
                                          "het opnieuw.", username=username, status=429)
    try:
        user = await run(accounts.authenticate, db, username, str(form.get("wachtwoord") or ""), settings)
    except accounts.LoginFailed as exc:
        log.info("staff_login_failed", client=hash_address(client_address(request)))
        return _login_page(request, error=str(exc), username=username, status=401)
    old = request.cookies.get(cookie_name(settings))
    if old:
        await run(accounts.end_session, db, old)  # never carry a session across a login (fixation)
    token = await run(accounts.create_session, db, user)
    if user.role not in accounts.TOTP_ROLES:
        target = HOME_PATH
    else:
        target = TOTP_PATH if user.totp_enrolled else TOTP_SETUP_PATH
    log.info("staff_login", user_id=user.id, role=user.role)
    return Redirect(target, status_code=303, cookies=[session_cookie(settings, token)], headers=NO_STORE)


@post("/medewerkers/uitloggen", name="staff-logout")
async def logout(request: Request) -> Any:
    settings = settings_of(request)
    session = await staff_session(request)
    await run(accounts.end_session, database(request), request.cookies.get(cookie_name(settings)))
    if session is not None:
        log.info("staff_logout", user_id=session.user.id)
    return Redirect(LOGIN_PATH + "?uit=1", status_code=303, cookies=[expired_cookie(settings)], headers=NO_STORE)


# ---------------------------------------------------------------- second factor

async def _half_session(request: Request) -> Session | None:
    """A session of a role with a second factor (case manager, policy adviser) after the password."""
    session = await staff_session(request)
    if session is None or session.user.role not in accounts.TOTP_ROLES:
        return None
    return session


@get(TOTP_PATH, name="staff-totp")
async def totp_form(request: Request) -> Any:
    session = await _half_session(request)
    if session is None or not session.user.totp_enrolled:
        return Redirect(LOGIN_PATH if session is None else TOTP_SETUP_PATH, status_code=303)
    if session.complete:
        return Redirect(landing(session), status_code=303)
    return page(request, "staff_totp.html", {"error": ""}, no_store=True)


@get(TOTP_SETUP_PATH, name="staff-totp-setup")
async def totp_setup_form(request: Request) -> Any:
    session = await _half_session(request)
    if session is None or session.user.totp_enrolled:
        return Redirect(LOGIN_PATH if session is None else TOTP_PATH, status_code=303)
    secret = await run(accounts.start_totp_enrolment, database(request), session.user.id)
    return _setup_page(request, session, secret, "")


def _setup_page(request: Request, session: Session, secret: str, error: str, status: int = 200) -> Any:
    uri = accounts.totp_uri(secret, session.user.username)
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2, omitsize=False)
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return page(request, "staff_totp_setup.html", {"qr": qr, "secret": grouped, "error": error},
                status=status, no_store=True)


@post([TOTP_PATH, TOTP_SETUP_PATH], name="staff-totp-post")
async def totp_verify(request: Request) -> Any:
    form = await request.form()
    settings, db = settings_of(request), database(request)
    session = await _half_session(request)
    if session is None:
        return Redirect(LOGIN_PATH, status_code=303)
    if not await run(ratelimit.allow, db, "login", client_address(request), settings.rate_limit_per_minute):
        error = "U heeft te vaak een code geprobeerd. Wacht een minuut en probeer het opnieuw."
    elif await run(accounts.verify_totp, db, session.user.id, str(form.get("code") or ""), settings):
        token = await run(accounts.rotate_session, db, request.cookies.get(cookie_name(settings)),
                          totp_verified=True)
        if token is None:
            return Redirect(LOGIN_PATH, status_code=303)
        log.info("staff_totp_ok", user_id=session.user.id)
        return Redirect(landing(session), status_code=303, cookies=[session_cookie(settings, token)],
                        headers=NO_STORE)
    else:
        error = accounts.TOTP_FAILED_MESSAGE
    if request.url.path == TOTP_SETUP_PATH and not session.user.totp_enrolled:
        secret = await run(accounts.totp_secret, db, session.user.id)
        if secret:
            return _setup_page(request, session, secret, error, status=422)
    return page(request, "staff_totp.html", {"error": error}, status=422, no_store=True)


# ---------------------------------------------------------------- landing page

@get(HOME_PATH, name="staff-home", guards=[requires()], exception_handlers=STAFF_ERRORS)
async def home(request: Request) -> Any:
    session = await staff_session(request)
    if session.user.role == "casemanager":
        return Redirect(QUEUE_PATH, status_code=303)
    return page(request, "staff_home.html", {"session": session}, no_store=True)


ROUTES = [login_form, login, logout, totp_form, totp_setup_form, totp_verify, home]
