"""``GET /health``: is the site up, which content version does it serve, and did the last reload fail?

Public, so it tells only codes and counts of a failed reload; the staff page
``/medewerkers/inhoud`` shows every diagnostic.
"""

from __future__ import annotations

from typing import Literal

from litestar import Request, get
from litestar.datastructures import CacheControlHeader
from msgspec import Struct

from ..watch import health_info


class ReloadError(Struct):
    at: str  # ISO 8601, UTC
    count: int  # how many errors the rejected content had
    codes: list[str]  # their checker codes, e.g. ["E100"]


class Health(Struct):
    status: Literal["ok", "degraded", "starting"]  # degraded: a change was rejected, the last good version is served
    version: str | None  # hash of the content files being served
    loaded_at: str | None  # when that version was loaded (ISO 8601, UTC)
    last_error: ReloadError | None


@get("/health", name="health", tags=["Beheer"], cache_control=CacheControlHeader(no_store=True),
     sync_to_thread=False, summary="Status, inhoudsversie en de laatste mislukte herlaadpoging")
def health(request: Request) -> Health:
    info = health_info(request.app.state.content)
    error = info["last_error"]
    return Health(info["status"], info["version"], info["loaded_at"],
                  ReloadError(error["at"], error["count"], error["codes"]) if error else None)


ROUTES = [health]
