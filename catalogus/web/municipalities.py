"""Whose pages a request is for: ``/buurdorp/check`` is Buurdorp's check, ``/check`` the default municipality's.

A request under a municipality's prefix is routed as if the prefix were the app's mount point (ASGI
``root_path``), and the municipality is kept in the scope for the catalogue, the templates and the
search. Redirects and htmx's pushed URLs that the handlers write without the prefix get it on the way
out, so handlers never build a municipality's URLs themselves. Region-wide areas (staff pages, the KCC
screen, the JSON API, static files) have no prefix: ``/buurdorp/medewerkers`` does not exist.
"""

from __future__ import annotations

from typing import Any

from litestar.types import Message, Scope, Send

from ..municipality import Municipality
from .templating import MUNICIPALITY_SCOPE_KEY

#: the first path segments of resident pages: these exist once per municipality
RESIDENT_AREAS = frozenset({"", "check", "aanmelden", "hoe-wij-bepalen", "onderwerpen", "producten", "soorten",
                            "zoeken", "samenwerkende-catalogi.xml"})
#: response headers that carry a path on this site
PATH_HEADERS = (b"location", b"hx-push-url", b"hx-redirect", b"hx-location")


def first_segment(path: str) -> tuple[str, str]:
    """('buurdorp', '/check') for '/buurdorp/check'; ('buurdorp', '/') for '/buurdorp'."""
    rest = path.lstrip("/")
    head, _, tail = rest.partition("/")
    return head, "/" + tail


def route(scope: Scope, region: Any) -> None:
    """Point a request under a municipality's prefix at that municipality (``/voorbeeldstad/check`` is the
    default municipality's ``/check``: its links carry no prefix)."""
    if scope["type"] != "http" or region is None or region.single:
        return
    path = scope["path"][len(scope.get("root_path", "")):] if scope.get("root_path") else scope["path"]
    head, rest = first_segment(path)
    municipality = region.municipality(head) if head else None
    if municipality is None or first_segment(rest)[0] not in RESIDENT_AREAS:
        return
    scope["root_path"] = scope.get("root_path", "") + "/" + municipality.id
    scope[MUNICIPALITY_SCOPE_KEY] = municipality


def prefixed(location: str, municipality: Municipality) -> str:
    """A site path written without the municipality's prefix, with it; other locations unchanged.

    >>> m = Municipality("buurdorp", "Buurdorp", False)
    >>> prefixed("/check/stap/zorg", m), prefixed("/buurdorp/check", m), prefixed("/medewerkers", m)
    ('/buurdorp/check/stap/zorg', '/buurdorp/check', '/medewerkers')
    >>> prefixed("https://www.google.nl/", m), prefixed("//evil.example/", m)
    ('https://www.google.nl/', '//evil.example/')
    """
    if not location.startswith("/") or location.startswith("//") or location.startswith(municipality.prefix + "/"):
        return location
    if first_segment(location.split("?", 1)[0])[0] not in RESIDENT_AREAS:
        return location
    return municipality.prefix + location


def prefixing_send(send: Send, municipality: Municipality) -> Send:
    """``send`` that adds the municipality's prefix to the paths in redirect and htmx headers."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = []
            for name, value in message.get("headers", []):
                if name.lower() in PATH_HEADERS:
                    value = prefixed(value.decode("latin-1"), municipality).encode("latin-1")
                headers.append((name, value))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped
