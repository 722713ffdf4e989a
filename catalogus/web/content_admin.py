"""The content in the running site: live reload, the SC feed, staff content pages.

- Live reload: ``on_startup`` starts the watcher (``settings.reload``); a valid change
  replaces catalogue and search index as one snapshot, an invalid one leaves the last good
  snapshot online and is shown on ``/medewerkers/inhoud``.
- Every request is pinned to one snapshot (``pin_content``), and every response says which
  (``X-Content-Version``), so a page or API answer is never a mix of two versions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import anyio
from litestar import Request, Response, get
from litestar.datastructures import MutableScopeHeaders
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from ..catalog import PRODUCTS_DIR, Catalog, content_version, load_catalog
from ..content import ContentState, Snapshot
from ..errors import Diagnostic
from ..logs import get_logger
from ..models import PRODUCT_ID
from ..sc import Publisher, render_sc_feed
from ..settings import Settings
from ..watch import health_info
from .deps import CatalogDep, SettingsDep, SnapshotDep, TodayDep
from .pages import product_context
from .staff import STAFF_ERRORS, requires, staff_session
from .templating import page

log = get_logger("catalogus.content")

REVIEW_WINDOW = dt.timedelta(days=30)
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")
VERSION_HEADER = "x-content-version"
SC_MEDIA_TYPE = "application/xml; charset=utf-8"


def _state(request: Any) -> ContentState:
    return request.app.state.content


def _settings(request: Any) -> Settings:
    return request.app.state.settings


def local_time(moment: dt.datetime) -> str:
    """A moment as a Dutch clock time: '26 november 2026 om 14.05 uur'."""
    from .templating import date_nl

    here = moment.astimezone(LOCAL_TIME)
    return f"{date_nl(here)} om {here:%H.%M} uur"


# ---------------------------------------------------------------- one snapshot per request

def pin_content(app: ASGIApp) -> ASGIApp:
    """Middleware: everything a request reads from ``state.content.current`` is one snapshot."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        state = scope["litestar_app"].state.content if scope["type"] == "http" else None
        if state is None or state._current is None:
            await app(scope, receive, send)
            return
        with state.pinned():
            await app(scope, receive, send)

    return middleware


async def add_content_version(message: Message, scope: Scope) -> None:
    """``X-Content-Version`` on every response: the snapshot this request used."""
    if message["type"] != "http.response.start" or "litestar_app" not in scope:
        return
    try:
        version = scope["litestar_app"].state.content.current.version
    except (AttributeError, RuntimeError):
        return
    MutableScopeHeaders.from_message(message)[VERSION_HEADER] = version


# ---------------------------------------------------------------- public

@get("/samenwerkende-catalogi.xml", name="sc-feed")
async def sc_feed(request: Request, snapshot: SnapshotDep, catalog: CatalogDep, today: TodayDep,
                  settings: SettingsDep) -> Response:
    """A municipality's Samenwerkende Catalogi 4.0 feed; rendered once per content version, municipality and date."""
    region = snapshot.region
    key = (snapshot.version, catalog.municipality.id, today)
    feeds = request.app.state.sc_feed
    if feeds is None or feeds[0] != key[:1]:
        feeds = request.app.state.sc_feed = (key[:1], {})
    body = feeds[1].get(key)
    if body is None:
        if region.single:
            publisher = Publisher.named(settings.public_url, settings.gemeente, settings.gemeente_uri or None)
        else:
            publisher = Publisher.of(settings.public_url, catalog.municipality, region.municipality(region.central))
        body = feeds[1][key] = await anyio.to_thread.run_sync(
            lambda: render_sc_feed(catalog, settings.public_url, publisher=publisher, date=today))
    return Response(body, media_type=SC_MEDIA_TYPE, headers={"cache-control": "public, max-age=300"})


# ---------------------------------------------------------------- staff

def due_for_review(catalog: Catalog, today: dt.date) -> list[dict[str, Any]]:
    """Products whose review date has passed or is within 30 days, soonest first."""
    due = [p for p in catalog.products.values() if p.content.herzien_voor <= today + REVIEW_WINDOW]
    return [{"product": p, "date": p.content.herzien_voor, "owner": p.content.eigenaar,
             "overdue": p.content.herzien_voor < today}
            for p in sorted(due, key=lambda p: (p.content.herzien_voor, p.title.lower()))]


@get("/medewerkers/inhoud", name="staff-content", guards=[requires()], exception_handlers=STAFF_ERRORS)
async def content_status(request: Request) -> Any:
    state = _state(request)
    snapshot: Snapshot = state.current
    catalog = snapshot.catalog
    today = state.today()
    error = state.last_error
    on_disk = await anyio.to_thread.run_sync(content_version, Path(state.root))
    return page(request, "staff_inhoud.html", {
        "session": await staff_session(request),
        "health": health_info(state),
        "loaded_at": local_time(catalog.loaded_at),
        "error": error,
        "error_at": local_time(error.at) if error else "",
        "errors": [d for d in error.diagnostics if d.is_error] if error else [],
        "warnings": catalog.diagnostics,
        "due": due_for_review(catalog, today),
        "products": catalog.sorted_products(),
        "on_disk": on_disk,
        "today": today,
    }, no_store=True)


def _draft(settings: Settings, today: dt.date) -> tuple[Catalog | None, list[Diagnostic]]:
    """The content as it is on disk now, loaded and checked like a reload would."""
    try:
        return load_catalog(settings.content_dir, today=today)
    except Exception as exc:  # a loader bug must not become a 500 on the preview either
        log.error("draft_load_crashed", exc_info=True)
        return None, [Diagnostic(".", 1, 1, "E000", f"concept kon niet worden geladen ({type(exc).__name__})",
                                 "meld dit aan de beheerder")]


@get("/medewerkers/voorbeeld/{product_id:str}", name="staff-preview", guards=[requires()],
     exception_handlers=STAFF_ERRORS)
async def preview(request: Request, product_id: FromPath[str]) -> Any:
    """The draft of one product as it is on disk, or every problem that stops it from going live."""
    if not PRODUCT_ID.match(product_id) or len(product_id) > 100:
        raise NotFoundException("onbekend product")
    state, settings = _state(request), _settings(request)
    live = state.current.catalog
    today = state.today()
    path = f"{PRODUCTS_DIR}/{product_id}.yaml"
    on_disk = (Path(settings.content_dir) / path).is_file()
    if product_id not in live.products and not on_disk:
        raise NotFoundException("onbekend product")
    draft, diagnostics = await anyio.to_thread.run_sync(_draft, settings, today)
    mine = [d for d in diagnostics if d.path == path]
    context: dict[str, Any] = {
        "session": await staff_session(request),
        "product_id": product_id,
        "path": path,
        "live": live.products.get(product_id),
        "draft_ok": draft is not None,
        "draft_product": draft.products.get(product_id) if draft is not None else None,
        "same_as_live": draft is not None and draft.version == live.version,
        "diagnostics": mine,
        "other_errors": sum(1 for d in diagnostics if d.is_error and d.path != path),
    }
    if context["draft_product"] is not None:
        context.update(product_context(draft, context["draft_product"], today))
    return page(request, "staff_voorbeeld.html", context, no_store=True)


ROUTES = [sc_feed, content_status, preview]
