"""The live content: the current catalogue and its search index, swapped as one.

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

from .catalog import Catalog, load_catalog
from .errors import ContentError, Diagnostic


@dataclass(frozen=True)
class Snapshot:
    """One consistent version of the content."""

    catalog: Catalog
    search: Any = None  # search.SearchIndex, built from this catalogue

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
        catalog, diagnostics = load_catalog(self.root, today=self.today())
        if catalog is None:
            raise ContentError(diagnostics)
        snapshot = Snapshot(catalog, self.build_index(catalog) if self.build_index else None)
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
        return ReloadReport(True, snapshot.version, snapshot.catalog.diagnostics, now)
