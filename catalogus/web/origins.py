"""Where a request came from and where it went: origins for the CSRF check and the cookie warning."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL (default ports left out), or None when it has none.

    >>> origin_of("https://www.voorbeeldstad.nl:443/check?x=1"), origin_of("http://VM:8000/"), origin_of("null")
    ('https://www.voorbeeldstad.nl', 'http://vm:8000', None)
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != DEFAULT_PORTS[parts.scheme] else "")


def host_header(request: Any) -> str:
    return (request.headers.get("host") or "").strip()


def request_origin(request: Any) -> str | None:
    """The origin this request was sent to: its scheme (https when a trusted proxy says so) and Host header."""
    return origin_of(f"{request.scope.get('scheme', 'http')}://{host_header(request)}/")


def host_name(request: Any) -> str:
    """The host name of the Host header, lower-case, without the port.

    >>> class R: headers = {"host": "Catalogus.Test:8000"}
    >>> host_name(R())
    'catalogus.test'
    """
    try:
        return (urlsplit(f"http://{host_header(request)}/").hostname or "").lower()
    except ValueError:
        return ""


def is_local(request: Any) -> bool:
    """Browsers treat http://localhost and http://127.0.0.1 as secure: ``Secure`` cookies work there."""
    name = host_name(request)
    return name in LOCAL_HOSTS or name.endswith(".localhost") or name.startswith("127.")
