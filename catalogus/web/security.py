"""Security on every response: headers, the secret key, static files and friendly error pages (CSRF: csrf.py).

Headers are added in a ``before_send`` hook rather than a middleware: Litestar runs
middleware only for matched routes, and 404/405 responses must carry them too.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.enums import MediaType
from litestar.file_system import BaseLocalFileSystem
from litestar.exceptions import ClientException, HTTPException, ServiceUnavailableException, ValidationException
from litestar.response import Template
from litestar.types import Message, Scope

from ..casework.db import DatabaseError, IntegrityError
from .templating import is_fragment_request, site_values

log = logging.getLogger("catalogus.web")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'")

SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "strict-transport-security": "max-age=63072000; includeSubDomains",
    "x-content-type-options": "nosniff",
    # same-origin, not no-referrer: under no-referrer the Fetch standard sends "Origin: null" on our own POSTs
    # (Firefox does), which the CSRF origin check must refuse. Other sites still get no referrer at all.
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), fullscreen=(self)",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}

NO_STORE = "no-store"
API_PREFIX = "/api/"
# Encoded once: the hook runs for every response, and setting seven headers one by one through
# MutableScopeHeaders scans the header list seven times.
SECURITY_RAW = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in SECURITY_HEADERS.items()]
_SECURITY_NAMES = frozenset(name for name, _ in SECURITY_RAW)
_NO_STORE_RAW = (b"cache-control", NO_STORE.encode())
_SAFE = frozenset({"GET", "HEAD"})


async def add_security_headers(message: Message, scope: Scope) -> None:
    """Set the security headers on every HTTP response; never let answers be cached after a POST."""
    if message["type"] != "http.response.start":
        return
    headers = message.setdefault("headers", [])
    has_cache_control = False
    kept = []
    for name, value in headers:
        lower = name.lower()
        if lower in _SECURITY_NAMES:
            continue  # ours replace whatever the handler set
        has_cache_control = has_cache_control or lower == b"cache-control"
        kept.append((name, value))
    kept += SECURITY_RAW
    if not has_cache_control and scope.get("method") not in _SAFE:
        kept.append(_NO_STORE_RAW)
    message["headers"] = kept


# ---------------------------------------------------------------- static files

class StaticFileSystem(BaseLocalFileSystem):
    """The static files, where a path that cannot be a file is "not found" (404), never a 500.

    A NUL byte (``ValueError``), a name longer than the file system allows or a path through
    a file (``OSError``) only mean that there is no such file.
    """

    async def info(self, path: Any, **kwargs: Any) -> Any:
        if "\x00" in str(path):
            raise FileNotFoundError(path)
        try:
            return await super().info(path, **kwargs)
        except (ValueError, OSError) as exc:
            raise FileNotFoundError(path) from exc


# ---------------------------------------------------------------- errors

ERROR_PAGES: dict[int, tuple[str, str]] = {
    400: ("Dit verzoek klopt niet", "De gegevens die we kregen, kunnen we niet lezen. Ga terug en probeer het "
                                    "opnieuw, of begin opnieuw met de check."),
    403: ("Het formulier is verlopen", "Uw gegevens zijn niet verstuurd. Dat gebeurt als een pagina lang open "
                                       "stond, als u intussen bent uitgelogd, of als het formulier van een andere "
                                       "website kwam. Ga terug, laad de pagina opnieuw en probeer het nog een keer."),
    404: ("Deze pagina bestaat niet", "Misschien is het adres verkeerd getypt, of is de pagina verhuisd. "
                                      "Zoek wat u nodig heeft, of ga naar de startpagina."),
    405: ("Dit kan zo niet", "Deze pagina werkt niet op deze manier. Ga naar de startpagina en probeer "
                             "het opnieuw."),
    413: ("Dat is te veel tekst", "U stuurde meer gegevens dan we kunnen verwerken. Maak het korter en "
                                  "probeer het opnieuw."),
    422: ("Dit verzoek klopt niet", "Een van de gegevens is niet goed. Ga terug en probeer het opnieuw."),
    429: ("Even wachten", "U deed te veel verzoeken achter elkaar. Wacht een minuut en probeer het opnieuw."),
    500: ("Er ging iets mis", "Dit ligt aan ons, niet aan u. Probeer het later nog eens. Lukt het dan nog "
                              "niet? Bel 14 0555."),
    503: ("Het lukt nu even niet", "Het lukt nu even niet. Probeer het later opnieuw. Dit ligt aan ons, niet "
                                   "aan u. Lukt het over een kwartier nog niet? Bel 14 0555."),
}
#: seconds a client should wait before trying again when the database is unreachable
RETRY_AFTER_SECONDS = 30


class ApiProblem(HTTPException):
    """A JSON API error with the problems to report, each naming its field."""

    def __init__(self, status: int, errors: list[dict[str, Any]]):
        super().__init__(status_code=status, detail="; ".join(str(e.get("message")) for e in errors))
        self.errors = errors


def _status_of(exc: Exception) -> int:
    if isinstance(exc, RecursionError):  # a JSON body nested too deep for the decoder: bad input, not our fault
        return 400
    return exc.status_code if isinstance(exc, HTTPException) else 500


def api_error_body(status: int, errors: list[dict[str, Any]]) -> dict[str, Any]:
    return {"status": status, "errors": errors}


def _api_errors(exc: Exception, status: int) -> list[dict[str, Any]]:
    if isinstance(exc, ApiProblem):
        return exc.errors
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list) and exc.extra:
        found = []
        for item in exc.extra:
            if isinstance(item, dict):
                field = str(item.get("key") or item.get("source") or "body")
                message = str(item.get("message", "ongeldige waarde"))
                if field == "data":  # Litestar's name for the whole request body
                    field = "body"
                    if message.strip("'") == "data":
                        message = "de body ontbreekt; stuur een JSON-object, bijvoorbeeld {\"answers\": {}}"
                found.append({"field": field, "message": message})
        if found:
            return found
    if status == 404:
        return [{"field": "path", "message": "dit adres bestaat niet in de API"}]
    if status == 405:
        return [{"field": "method", "message": "deze methode is hier niet toegestaan"}]
    if status == 503:
        return [{"field": "server", "message": "het lukt nu even niet; probeer het later opnieuw"}]
    if status >= 500:
        return [{"field": "server", "message": "er ging iets mis aan onze kant; probeer het later opnieuw"}]
    if isinstance(exc, RecursionError):
        return [{"field": "body", "message": "de JSON is te diep genest"}]
    detail = exc.detail if isinstance(exc, HTTPException) else ""
    return [{"field": "body", "message": str(detail or "ongeldig verzoek")}]


class ExplainedClientError(ClientException):
    """A 400 whose detail is written for the person who made the request: the error page shows it (other
    details may hold internals and are never shown)."""


def handle_exception(request: Request, exc: Exception) -> Response:
    """Every error as a friendly Dutch page, or as a JSON error body under /api/."""
    status = _status_of(exc)
    if status >= 500 and not isinstance(exc, ServiceUnavailableException):
        log.error("onverwachte fout bij %s %s: %s", request.method, request.url.path, type(exc).__name__,
                  exc_info=exc)
    headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
    if request.url.path.startswith(API_PREFIX):
        if isinstance(exc, ValidationException) and status == 400:
            status = 422 if not _is_malformed_body(exc) else 400
        return Response(api_error_body(status, _api_errors(exc, status)), status_code=status, headers=headers,
                        media_type="application/json")
    title, text = ERROR_PAGES.get(status, ERROR_PAGES[400 if status < 500 else 500])
    if isinstance(exc, ExplainedClientError) and exc.detail:
        text = str(exc.detail)
    headers.setdefault("cache-control", NO_STORE)
    try:
        return Template("error.html", context={**site_values(request), "status": status, "title": title, "text": text,
                                               "fragment": is_fragment_request(request)},
                        status_code=status, headers=headers, media_type=MediaType.HTML)
    except Exception:  # pragma: no cover - the error page itself must never fail
        return Response(f"{title}\n\n{text}\n", status_code=status, headers=headers, media_type="text/plain")


def _is_malformed_body(exc: ValidationException) -> bool:
    detail = str(exc.detail or "").lower()
    return "malformed" in detail or "decode" in detail


def unavailable(retry_after: int = RETRY_AFTER_SECONDS) -> ServiceUnavailableException:
    """The 503 to answer with while the database is unreachable (with ``Retry-After``)."""
    return ServiceUnavailableException(headers={"retry-after": str(retry_after)})


def handle_database_error(request: Request, exc: Exception) -> Response:
    """The database is down, locked or refused the connection: 503 "probeer het later opnieuw", never a 500.

    Every write runs in one transaction, so nothing of the request was stored. A broken
    constraint (``IntegrityError``) is a bug, not an outage: that stays a 500.
    """
    if isinstance(exc, IntegrityError):
        return handle_exception(request, exc)
    log.warning("database_unavailable %s %s: %s", request.method, request.url.path,
                type(exc.__cause__ or exc).__name__)
    return handle_exception(request, unavailable())


EXCEPTION_HANDLERS = {Exception: handle_exception, DatabaseError: handle_database_error}
