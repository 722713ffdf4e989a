"""What handlers get by dependency injection: declare a parameter with one of these types.

``catalog: CatalogDep`` (the catalogue of this request's content snapshot), ``snapshot: SnapshotDep``,
``today: TodayDep`` (the evaluation date), ``settings: SettingsDep``, ``db: DatabaseDep`` and
``session: SessionDep`` (the live staff session or None). The app factory registers the providers.
"""

from __future__ import annotations

import datetime as dt

from litestar import Request
from litestar.di import NamedDependency, Provide

from ..casework.accounts import Session
from ..casework.db import Database
from ..catalog import Catalog
from ..content import Snapshot
from ..settings import Settings
from .staff import staff_session
from .templating import MUNICIPALITY_SCOPE_KEY

SnapshotDep = NamedDependency[Snapshot]
CatalogDep = NamedDependency[Catalog]
TodayDep = NamedDependency[dt.date]
SettingsDep = NamedDependency[Settings]
DatabaseDep = NamedDependency[Database]
SessionDep = NamedDependency[Session | None]


def provide_snapshot(request: Request) -> Snapshot:
    """The content snapshot this request is pinned to (one version for the whole request)."""
    return request.app.state.content.current


def provide_catalog(request: Request, snapshot: SnapshotDep) -> Catalog:
    """The catalogue of the municipality whose pages these are (the default one for region-wide pages)."""
    municipality = request.scope.get(MUNICIPALITY_SCOPE_KEY)
    return snapshot.catalog_of(municipality.id if municipality is not None else None)


def provide_today(request: Request, snapshot: SnapshotDep) -> dt.date:
    """The evaluation date. It takes ``snapshot`` only to come after it: Litestar resolves the dependencies
    of one level together in a task group, which costs more than these providers (~100 µs a request)."""
    return request.app.state.content.today()


def provide_settings(request: Request) -> Settings:
    return request.app.state.settings


def provide_db(request: Request) -> Database:
    return request.app.state.db


async def provide_session(request: Request) -> Session | None:
    """The live staff session of this request, or None (looked up once per request)."""
    return await staff_session(request)


DEPENDENCIES = {
    "snapshot": Provide(provide_snapshot, sync_to_thread=False),
    "catalog": Provide(provide_catalog, sync_to_thread=False),
    "today": Provide(provide_today, sync_to_thread=False),
    "settings": Provide(provide_settings, sync_to_thread=False),
    "db": Provide(provide_db, sync_to_thread=False),
    "session": Provide(provide_session),
}
