"""Build the web app: ``create_app(settings)``; the app owns its life.

The content is loaded and validated here; a broken catalogue raises ``ContentError``
(with every diagnostic) and the server does not start. The lifespan opens the
database, sets up logging, runs the daily purge, writes the steering counts every few seconds (and at
shutdown) and watches the content; handlers
get what they need by dependency injection (``catalog``, ``snapshot``, ``today``,
``settings``, ``db``, ``session``) and stay a few lines long.

Extension points (append, keep the lists short):
- ``HTML_AREAS``: modules under ``catalogus.web`` with a ``ROUTES`` list of HTML pages
  (left out of the OpenAPI document), e.g. ``staff``, ``kcc``, ``search``.
- ``API_AREAS``: modules with JSON ``ROUTES`` (published in the OpenAPI document).
- ``index_builder``: how each content snapshot gets its search index.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import importlib
from pathlib import Path
from types import ModuleType
from typing import Any, AsyncIterator, Callable

from litestar import Litestar, Router, get
from litestar.datastructures import State
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.static_files import create_static_files_router

from ..casework import jobs
from ..casework.db import Database, DatabaseError, open_database
from ..content import ContentState, IndexBuilder
from ..datadir import check_data_dir, secret_key
from ..errors import StartupError
from ..logs import configure_logging, get_logger, set_address_key
from ..settings import Settings
from ..steering.counters import NoTally, Tally
from ..watch import start_watcher
from .api import publish_vocabulary
from .content_admin import add_content_version, pin_content
from .csrf import csrf_middleware
from .deps import DEPENDENCIES
from .fast_check import serve_fast_check, wants_fast_check
from .municipalities import prefixing_send
from .municipalities import route as route_municipality
from .security import EXCEPTION_HANDLERS, StaticFileSystem, add_security_headers
from .staff import run
from .templating import MUNICIPALITY_SCOPE_KEY, STATIC_DIR, template_config

HTML_AREAS: list[str] = ["pages", "check", "staff", "referral", "search", "kcc", "content_admin", "transparency",
                         "steering"]
API_AREAS: list[str] = ["api", "search_api", "content_api"]

MAX_BODY_BYTES = 1024 * 1024
PURGE_CHECK_SECONDS = 3600
STEERING_FLUSH_SECONDS = 2.0  # a crash loses at most this much of the steering counts

log = get_logger(__name__)


def index_builder(settings: Settings) -> IndexBuilder | None:
    """How each content snapshot gets its search index (the search area plugs in here)."""
    from ..search.index import index_builder as search_index_builder

    return search_index_builder(settings.data_dir)


def today_of(settings: Settings) -> Callable[[], dt.date]:
    """The evaluation date: ``settings.today`` when set (tests, demos), else the real date."""
    if settings.today:
        fixed = dt.date.fromisoformat(settings.today)
        return lambda: fixed
    return dt.date.today


@get("/ping", name="ping", include_in_schema=False, sync_to_thread=False)
def ping() -> dict[str, bool]:
    """The cheapest endpoint there is: a baseline for benchmarks."""
    return {"ok": True}


# ---------------------------------------------------------------- lifespan

@contextlib.asynccontextmanager
async def database_lifespan(app: Litestar) -> AsyncIterator[None]:
    """Logging without personal data, the data directory checked, the database (migrated), the daily purge.

    A start-up failure is logged as ``startup_failed`` with a safe reason and the exception type (the
    libraries' own messages never reach the log: they may hold paths or input), then raised.
    """
    settings: Settings = app.state.settings
    configure_logging(settings.log_level)
    try:
        check_data_dir(settings.data_dir)
        set_address_key(secret_key(settings))
        app.state.db = await run(open_database, settings)
    except StartupError as exc:
        log.error("startup_failed", reason=exc.code, error=type(exc).__name__)
        raise
    except Exception as exc:
        log.error("startup_failed", reason=_startup_reason(exc), error=type(exc.__cause__ or exc).__name__)
        raise
    log.info("database_ready", engine=app.state.db.engine)
    await run(jobs.adopt_default_municipality, app.state.db, app.state.content.current.region.default.id)
    purge = asyncio.create_task(_purge_loop(app.state.db, settings), name="catalogus-purge")
    flusher = asyncio.create_task(_flush_loop(app.state.tally, app.state.db), name="catalogus-steering")
    try:
        yield
    finally:
        for task in (purge, flusher):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await _flush(app.state.tally, app.state.db)  # the last seconds of counts, before the pool closes
        app.state.db.close()


@contextlib.asynccontextmanager
async def content_lifespan(app: Litestar) -> AsyncIterator[None]:
    """Watch products/ and rules/ and swap in each valid change (when ``settings.reload`` is on)."""
    watcher = await start_watcher(app.state.content) if app.state.settings.reload else None
    try:
        yield
    finally:
        if watcher is not None:
            await watcher.stop()


def _startup_reason(exc: Exception) -> str:
    if isinstance(exc, PermissionError):
        return "permission_denied"
    if isinstance(exc, OSError):
        return "file_system"
    if isinstance(exc, DatabaseError):
        return "database_unavailable"
    return "unexpected"


async def _purge_loop(db: Database, settings: Settings) -> None:
    """Every hour, ask the database whether the daily purge is due; one process of all gets to run it."""
    while True:
        try:
            await run(jobs.run_purge_if_due, db, settings)
        except Exception:  # noqa: BLE001 - keep the loop alive; the next round tries again
            log.error("purge_failed", exc_info=True)
        await asyncio.sleep(PURGE_CHECK_SECONDS)


async def _flush(tally: Tally, db: Database) -> None:
    try:
        await run(tally.flush, db)
    except Exception as exc:  # noqa: BLE001 - the counts stay in memory for the next round
        log.warning("steering_flush_failed", error=type(exc.__cause__ or exc).__name__)


async def _flush_loop(tally: Tally, db: Database) -> None:
    """Write the steering counts every few seconds (pages never wait for it)."""
    while True:
        await asyncio.sleep(STEERING_FLUSH_SECONDS)
        await _flush(tally, db)


# ---------------------------------------------------------------- the app

class CatalogusApp(Litestar):
    """The Litestar app, with each municipality's resident pages under its own path (``municipalities``) and
    the check API's successful answers in a lane of their own (``fast_check``)."""

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[override]
        if scope["type"] == "http":
            if wants_fast_check(scope):
                receive = await serve_fast_check(self, scope, receive, send, MAX_BODY_BYTES)
                if receive is None:
                    return  # answered in the fast lane
            content = self.state.content
            route_municipality(scope, content.current.region if content._current is not None else None)
            municipality = scope.get(MUNICIPALITY_SCOPE_KEY)
            if municipality is not None and not municipality.default:
                send = prefixing_send(send, municipality)
        await super().__call__(scope, receive, send)


def _areas(names: list[str]) -> list[ModuleType]:
    return [importlib.import_module(f"{__package__}.{name}") for name in names]


def create_app(settings: Settings, *, content: ContentState | None = None) -> Litestar:
    """The Litestar app for these settings; raises ContentError when the content is invalid."""
    if content is None:
        content = ContentState(root=Path(settings.content_dir), today=today_of(settings),
                               build_index=index_builder(settings), single_name=settings.gemeente)
    if content._current is None:
        content.load()
    html_modules, api_modules = _areas(HTML_AREAS), _areas(API_AREAS)
    pages = Router("/", route_handlers=[h for m in html_modules for h in m.ROUTES], include_in_schema=False)
    static = create_static_files_router("/static", directories=[STATIC_DIR], include_in_schema=False,
                                        name="static", file_system=StaticFileSystem())
    state: dict[str, Any] = {"content": content, "settings": settings, "sc_feed": None,
                             "tally": Tally() if settings.steering else NoTally()}
    return CatalogusApp(
        route_handlers=[pages, *[h for m in api_modules for h in m.ROUTES], ping, static],
        dependencies=DEPENDENCIES,
        template_config=template_config(),
        before_send=[add_security_headers, add_content_version],
        middleware=[pin_content, csrf_middleware(settings)],  # one content snapshot per request; CSRF
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OpenAPIConfig(
            title="Catalogus Voorbeeldstad", version="1.0.0", path="/schema",
            description="Producten en diensten van het sociaal domein, en de check. Zie api.md.",
            render_plugins=[JsonRenderPlugin()]),
        state=State(state),
        lifespan=[database_lifespan, content_lifespan],
        on_startup=[publish_vocabulary],
        request_max_body_size=MAX_BODY_BYTES,
        logging_config=None,  # catalogus.logs sets up JSON logging without personal data (database_lifespan)
    )


def app_from_env() -> Litestar:
    """Factory for uvicorn (``catalogus.web.app:app_from_env``): settings from CATALOGUS_* variables."""
    return create_app(Settings.from_env())
