"""The live content: the current region (a catalogue per municipality) and their search indexes, swapped as one.

Front ends read ``ContentState.current`` once per request and use that
snapshot throughout, so a request never sees two versions of the content. The
web app also pins the snapshot for the whole request (``ContentState.pinned``),
so a handler that looks twice, or a response header, still sees the same one.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from .catalog import Catalog
from .municipality import SINGLE_NAME
from .region import Region, load_region
from .errors import ContentError, Diagnostic


@dataclass(frozen=True)
class Snapshot:
    """One consistent version of the content: every municipality's catalogue and search index."""

    region: Region
    searches: dict[str, Any] = field(default_factory=dict)  # municipality id -> search.SearchIndex

    @property
    def catalog(self) -> Catalog:
        """The default municipality's catalogue (the only one outside a region)."""
        return self.region.default_catalog

    @property
    def search(self) -> Any:
        return self.searches.get(self.region.default.id)

    def catalog_of(self, municipality_id: str | None) -> Catalog:
        return self.region.catalog(municipality_id)

    def search_of(self, municipality_id: str | None) -> Any:
        return self.searches.get(municipality_id or self.region.default.id)

    @property
    def version(self) -> str:
        return self.catalog.version


@dataclass
class ReloadReport:
    ok: bool
    version: str | None
    diagnostics: list[Diagnostic]
    at: dt.datetime


IndexBuilder = Callable[[Catalog], Any]

# (state, snapshot) pinned for the current context: one request, in the web app.
_PINNED: contextvars.ContextVar[tuple["ContentState", Snapshot] | None] = contextvars.ContextVar(
    "catalogus_pinned_snapshot", default=None)


@dataclass
class ContentState:
    """Holds the last good snapshot and what went wrong with the last reload, if anything."""

    root: Path
    today: Callable[[], dt.date] = dt.date.today
    build_index: IndexBuilder | None = None
    single_name: str = SINGLE_NAME  # the municipality of a content root without gemeenten/
    _current: Snapshot | None = None
    last_error: ReloadReport | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def current(self) -> Snapshot:
        pinned = _PINNED.get()
        if pinned is not None and pinned[0] is self:
            return pinned[1]
        snapshot = self._current
        if snapshot is None:
            raise RuntimeError("content not loaded yet")
        return snapshot

    @contextlib.contextmanager
    def pinned(self) -> Iterator[Snapshot]:
        """Give everything in this context (one request) the snapshot current now, even across a swap."""
        snapshot = self.current
        token = _PINNED.set((self, snapshot))
        try:
            yield snapshot
        finally:
            _PINNED.reset(token)

    def load(self) -> Snapshot:
        """Load the content; raise ContentError (with every diagnostic) when it is invalid."""
        region, diagnostics = load_region(self.root, today=self.today(), single_name=self.single_name)
        if region is None:
            raise ContentError(diagnostics)
        searches = ({m: self.build_index(catalog) for m, catalog in region.catalogs.items()}
                    if self.build_index else {})
        snapshot = Snapshot(region, searches)
        with self._lock:
            self._current = snapshot
            self.last_error = None
        return snapshot

    def reload(self) -> ReloadReport:
        """Try to load the content again; keep serving the last good version when it is invalid."""
        now = dt.datetime.now(dt.timezone.utc)
        try:
            snapshot = self.load()
        except ContentError as exc:
            report = ReloadReport(False, None, exc.diagnostics, now)
            self.last_error = report
            return report
        except Exception as exc:  # a loader bug must not take the site down: keep the last good version
            problem = Diagnostic(".", 1, 1, "E000",
                                 f"inhoud kon niet worden geladen ({type(exc).__name__})",
                                 "meld dit aan de beheerder; de vorige versie blijft online")
            report = ReloadReport(False, None, [problem], now)
            self.last_error = report
            return report
        return ReloadReport(True, snapshot.version, snapshot.region.diagnostics, now)
