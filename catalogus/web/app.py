"""Build the web app: ``create_app(settings)``.

The content is loaded and validated here; a broken catalogue raises ``ContentError``
(with every diagnostic) and the server does not start. Handlers read
``request.app.state.content.current`` once per request and use that snapshot.

Extension points (append, keep the lists short):
- ``HTML_AREAS``: modules under ``catalogus.web`` with a ``ROUTES`` list of HTML pages
  (left out of the OpenAPI document), e.g. ``staff``, ``kcc``, ``search``.
- ``API_AREAS``: modules with JSON ``ROUTES`` (published in the OpenAPI document).
- An area module may also define ``on_startup(app)`` / ``on_shutdown(app)`` (sync or
  async); they run in the order of the lists (e.g. migrations, a reload watcher).
- ``index_builder``: how each content snapshot gets its search index.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

from litestar import Litestar, Router, get
from litestar.datastructures import State
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.static_files import create_static_files_router

from ..content import ContentState, IndexBuilder
from ..settings import Settings
from .content_admin import add_content_version, pin_content
from .csrf import csrf_middleware
from .security import EXCEPTION_HANDLERS, StaticFileSystem, add_security_headers
from .templating import STATIC_DIR, template_config

HTML_AREAS: list[str] = ["pages", "check", "staff", "referral", "search", "kcc", "content_admin"]
API_AREAS: list[str] = ["api", "search_api", "content_api"]

MAX_BODY_BYTES = 1024 * 1024


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


def _areas(names: list[str]) -> list[ModuleType]:
    return [importlib.import_module(f"{__package__}.{name}") for name in names]


def _hooks(modules: list[ModuleType], name: str) -> list[Callable[..., Any]]:
    return [getattr(m, name) for m in modules if callable(getattr(m, name, None))]


def create_app(settings: Settings, *, content: ContentState | None = None) -> Litestar:
    """The Litestar app for these settings; raises ContentError when the content is invalid."""
    if content is None:
        content = ContentState(root=Path(settings.content_dir), today=today_of(settings),
                               build_index=index_builder(settings))
    if content._current is None:
        content.load()
    html_modules, api_modules = _areas(HTML_AREAS), _areas(API_AREAS)
    modules = html_modules + api_modules
    pages = Router("/", route_handlers=[h for m in html_modules for h in m.ROUTES], include_in_schema=False)
    static = create_static_files_router("/static", directories=[STATIC_DIR], include_in_schema=False,
                                        name="static", file_system=StaticFileSystem())
    return Litestar(
        route_handlers=[pages, *[h for m in api_modules for h in m.ROUTES], ping, static],
        template_config=template_config(),
        before_send=[add_security_headers, add_content_version],
        middleware=[pin_content, csrf_middleware(settings)],  # one content snapshot per request; CSRF
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OpenAPIConfig(
            title="Catalogus Voorbeeldstad", version="1.0.0", path="/schema",
            description="Producten en diensten van het sociaal domein, en de check. Zie api.md.",
            render_plugins=[JsonRenderPlugin()]),
        state=State({"content": content, "settings": settings}),
        on_startup=_hooks(modules, "on_startup"),
        on_shutdown=_hooks(modules, "on_shutdown"),
        request_max_body_size=MAX_BODY_BYTES,
        logging_config=None,  # catalogus.logs sets up JSON logging without personal data (staff.on_startup)
    )


def app_from_env() -> Litestar:
    """Factory for uvicorn (``catalogus.web.app:app_from_env``): settings from CATALOGUS_* variables."""
    return create_app(Settings.from_env())
