"""Live reload: watch ``products/``, ``rules/`` and ``gemeenten/`` and swap in a new catalogue when they change.

The web app runs ``watch_content`` as a background task (``start_watcher`` in
its lifespan). Each batch of changes (debounced) reloads the whole content
through ``ContentState.reload()``: a valid set replaces the snapshot in one
step, an invalid one leaves the last good snapshot in place and is recorded in
``state.last_error`` for ``/health`` and the staff pages. Loading runs in a
worker thread, so requests are served while it works.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Awaitable, Callable

import watchfiles

from .catalog import PRODUCTS_DIR, RULES_DIR, content_version
from .content import ContentState, ReloadReport
from .region import GEMEENTEN_DIR
from .logs import get_logger

log = get_logger("catalogus.content")
MAX_LOGGED_DIAGNOSTICS = 20

OnReload = Callable[[ReloadReport], Awaitable[None] | None]


def content_filter(change: watchfiles.Change, path: str) -> bool:
    """Only YAML content files count; editor swap files, backups and temporary files do not."""
    name = Path(path).name
    return name.endswith(".yaml") and not name.startswith(".")


def watched_dirs(root: Path) -> list[Path]:
    dirs = [root / PRODUCTS_DIR, root / RULES_DIR, root / GEMEENTEN_DIR]
    return [d for d in dirs if d.is_dir()] or [root]


def log_report(report: ReloadReport) -> None:
    """Log the outcome of a reload: the version, or each diagnostic's code and place (never content)."""
    if report.ok:
        log.info("content_reloaded", version=report.version, count=len(report.diagnostics))
        return
    errors = [d for d in report.diagnostics if d.is_error]
    log.error("content_reload_failed", count=len(errors), status="keeping_last_good_version")
    for diagnostic in errors[:MAX_LOGGED_DIAGNOSTICS]:
        log.warning("content_diagnostic", code=diagnostic.code,
                    reason=f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}")


async def reload_now(state: ContentState, on_reload: OnReload | None = None) -> ReloadReport | None:
    """Reload in a worker thread unless the files are the ones already served; report and log the result."""
    unchanged = await asyncio.to_thread(_unchanged, state)
    if unchanged:
        return None
    report = await asyncio.to_thread(state.reload)
    log_report(report)
    if on_reload is not None:
        result = on_reload(report)
        if asyncio.iscoroutine(result):
            await result
    return report


def _unchanged(state: ContentState) -> bool:
    if state.last_error is not None:
        return False  # the files may have been fixed back to the served version: clear the error
    try:
        return content_version(Path(state.root)) == state.current.version
    except RuntimeError:
        return False  # nothing loaded yet


async def watch_content(state: ContentState, stop_event: asyncio.Event | None = None, *,
                        debounce_ms: int = 300, on_reload: OnReload | None = None,
                        force_polling: bool | None = None) -> None:
    """Reload the content after every (debounced) batch of changes, until ``stop_event`` is set."""
    root = Path(state.root)
    log.info("content_watch_started", version=_current_version(state))
    async for _changes in watchfiles.awatch(*watched_dirs(root), watch_filter=content_filter,
                                            debounce=debounce_ms, step=50, stop_event=stop_event,
                                            force_polling=force_polling, recursive=False):
        try:
            await reload_now(state, on_reload)
        except Exception:  # never let the watcher die: the site keeps its last good content
            log.error("content_reload_crashed", exc_info=True)
    log.info("content_watch_stopped")


def _current_version(state: ContentState) -> str | None:
    try:
        return state.current.version
    except RuntimeError:
        return None


def health_info(state: ContentState, *, with_diagnostics: bool = False) -> dict:
    """What ``/health`` reports about the content: status, version, load time and the last reload error.

    Diagnostics name files and content, not people; still, only staff pages should ask for them.
    """
    try:
        snapshot = state.current
    except RuntimeError:
        return {"status": "starting", "version": None, "loaded_at": None, "last_error": None}
    error = state.last_error
    info = {
        "status": "ok" if error is None else "degraded",
        "version": snapshot.version,
        "loaded_at": snapshot.catalog.loaded_at.isoformat(timespec="seconds"),
        "last_error": None,
    }
    if error is not None:
        errors = [d for d in error.diagnostics if d.is_error]
        info["last_error"] = {"at": error.at.isoformat(timespec="seconds"), "count": len(errors),
                              "codes": sorted({d.code for d in errors})}
        if with_diagnostics:
            info["last_error"]["diagnostics"] = [d.as_dict() for d in error.diagnostics]
    return info


class Watcher:
    """A running ``watch_content`` task with a clean stop, for an application's lifespan."""

    def __init__(self, state: ContentState, **options):
        self.state = state
        self.options = options
        self.stop_event = asyncio.Event()
        self.task: asyncio.Task | None = None

    def start(self) -> "Watcher":
        self.task = asyncio.get_running_loop().create_task(
            watch_content(self.state, self.stop_event, **self.options), name="catalogus-content-watch")
        return self

    async def stop(self) -> None:
        self.stop_event.set()
        if self.task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                try:
                    await asyncio.wait_for(self.task, timeout=5)
                except asyncio.TimeoutError:
                    self.task.cancel()
                    await asyncio.gather(self.task, return_exceptions=True)


async def start_watcher(state: ContentState, **options) -> Watcher:
    """Start watching in the running event loop; ``await watcher.stop()`` at shutdown.

    In a Litestar lifespan::

        watcher = await start_watcher(state)
        try:
            yield
        finally:
            await watcher.stop()
    """
    return Watcher(state, **options).start()
