"""Search pages: ``/zoeken`` and, for editors, the words residents searched for that found nothing.

``/zoeken?q=`` is a plain GET form and works without JavaScript. With htmx the
search box asks for ``/zoeken`` while the resident types; a request whose
``HX-Target`` is one of ``LIVE_TARGETS`` gets only ``_zoekresultaten.html``
(used on /zoeken, on the home page and on the KCC screen).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import anyio
from litestar import Request, get
from litestar.params import FromQuery
from litestar.response import Template

from ..content import Snapshot
from ..casework.db import DatabaseError
from ..datadir import secret_key
from ..logs import get_logger
from ..search.index import SearchGaps, SearchIndex, SearchResults, build_index
from ..search.gaps import MIN_SEARCHES, RETENTION_DAYS, DatabaseGaps, gap_words
from ..steering import events as ev
from .present import KIND_BY_SLUG, KINDS, domain_titles
from .staff import STAFF_ERRORS, requires, staff_session
from .deps import CatalogDep
from .steering import count
from .templating import MUNICIPALITY_SCOPE_KEY, page, site_values

log = get_logger(__name__)

SEARCH_PATH = "/zoeken"
GAPS_PATH = "/medewerkers/zoekvragen"
#: htmx targets that get only the results (the page's own, the home page's, the KCC screen's)
LIVE_TARGETS = {"zoekresultaten": 20, "home-zoekresultaten": 5, "kcc-zoekresultaten": 8}
PAGE_LIMIT = 20
MAX_QUERY_CHARS = 200


def search_index(request: Any, municipality_id: str | None = None) -> SearchIndex:
    """The index of a municipality (this request's, or the one named) in the current content snapshot
    (built once per version when no builder was set)."""
    snapshot: Snapshot = request.app.state.content.current
    if municipality_id is None:
        here = request.scope.get(MUNICIPALITY_SCOPE_KEY)
        municipality_id = here.id if here is not None else snapshot.region.default.id
    found = snapshot.search_of(municipality_id)
    if found is not None:
        return found
    cache = getattr(request.app.state, "search_fallback", None)
    if cache is None or cache[0] != snapshot.version:
        cache = request.app.state.search_fallback = (snapshot.version, {})
    if municipality_id not in cache[1]:
        cache[1][municipality_id] = build_index(snapshot.catalog_of(municipality_id))
    return cache[1][municipality_id]


def index_municipality(request: Any, municipality_id: str | None) -> str:
    """The municipality whose index a search used (this request's, or the one named)."""
    if municipality_id is not None:
        return municipality_id
    here = request.scope.get(MUNICIPALITY_SCOPE_KEY)
    return here.id if here is not None else request.app.state.content.current.region.default.id


def search_gaps(app: Any) -> SearchGaps | None:
    """Where the words of searches that found nothing go: the database when the staff area opened one."""
    gaps = getattr(app.state, "search_gaps", None)
    if gaps is None and getattr(app.state, "db", None) is not None:
        gaps = DatabaseGaps(app.state.db, secret_key(app.state.settings))
        app.state.search_gaps = gaps
    return gaps


def words_to_count(index: SearchIndex, text: str) -> list[str]:
    """The words of a failed search an editor may see: known Dutch words that alone find nothing either."""
    return [word for word in gap_words(text) if index.search(word, limit=1).total == 0]


async def run_search(request: Any, text: str, *, limit: int, domain: str | None = None, kind: str | None = None,
                     live: bool = False, municipality: str | None = None) -> SearchResults:
    """Search off the event loop; count a finished query that found nothing (not the keystrokes of live search)."""
    index = search_index(request, municipality)
    results = await anyio.to_thread.run_sync(
        lambda: index.search(text, limit=limit, domain=domain, kind=kind, partial=live))
    if not live:  # a finished search, not the keystrokes of live search
        count(request, request.app.state.content.today(), index_municipality(request, municipality),
              ev.search(results.total == 0))
    if not live and results.understood and results.total == 0 and domain is None and kind is None:
        gaps = search_gaps(request.app)
        if gaps is not None:
            try:
                await anyio.to_thread.run_sync(lambda: gaps.record(text, words_to_count(index, text)))
            except DatabaseError as exc:  # counting is a nicety: the resident still gets the (empty) results
                log.warning("search_gap_not_recorded", error=type(exc.__cause__ or exc).__name__)
    return results


def search_url(q: str, onderwerp: str | None = None, soort: str | None = None) -> str:
    """A /zoeken link that keeps the query and sets the filters.

    >>> search_url("huur & gas", "geld")
    '/zoeken?q=huur+%26+gas&onderwerp=geld'
    """
    params = {"q": q, "onderwerp": onderwerp or "", "soort": soort or ""}
    return SEARCH_PATH + "?" + urlencode({k: v for k, v in params.items() if v})


def live_target(request: Any) -> str | None:
    target = request.headers.get("hx-target")
    if request.headers.get("hx-request") == "true" and target in LIVE_TARGETS:
        return target
    return None


@get(SEARCH_PATH, name="search")
async def search_page(request: Request, catalog: CatalogDep, q: FromQuery[str] = "", onderwerp: FromQuery[str] = "",
                      soort: FromQuery[str] = "") -> Any:
    text = q[:MAX_QUERY_CHARS * 10]
    titles = domain_titles(catalog)
    domain = onderwerp if onderwerp in titles else None
    kind_info = KIND_BY_SLUG.get(soort)
    target = live_target(request)
    limit = LIVE_TARGETS[target] if target else PAGE_LIMIT
    results = None
    if text.strip():
        results = await run_search(request, text, limit=limit, domain=domain,
                                   kind=kind_info.kind if kind_info else None, live=target is not None)
    context = {
        "q": text[:MAX_QUERY_CHARS], "results": results, "domain": domain, "soort": kind_info.slug if kind_info else None,
        "domain_titles": titles, "kinds": KINDS, "search_url": search_url,
        "target": target or "zoekresultaten", "compact": target not in (None, "zoekresultaten"),
    }
    # A query can be personal ("schulden na scheiding"): no browser or proxy cache keeps it.
    if target:
        return Template("_zoekresultaten.html", context={**site_values(request), **context, "live": True},
                        headers={"vary": "HX-Request", "cache-control": "no-store"})
    return page(request, "zoeken.html", {**context, "live": False}, no_store=True)


@get(GAPS_PATH, name="staff-search-gaps", guards=[requires("redacteur")], exception_handlers=STAFF_ERRORS)
async def gaps_page(request: Request) -> Any:
    gaps = search_gaps(request.app)
    rows = await anyio.to_thread.run_sync(gaps.top, 100) if gaps is not None else []
    session = await staff_session(request)
    return page(request, "staff_zoekvragen.html", {"session": session, "rows": rows, "min_searches": MIN_SEARCHES,
                                                   "retention_days": RETENTION_DAYS}, no_store=True)


ROUTES = [search_page, gaps_page]
