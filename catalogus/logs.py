"""Structured logging: one JSON object per line, and nothing personal ever gets through.

Log events, not sentences::

    log = get_logger(__name__)
    log.info("referral_created", reference="VBS-7K3Q-92XM-4P", urgent=True, channel="online")

Only fields named in ``SAFE_FIELDS`` are written; anything else is dropped and
counted in ``dropped``. Values must be numbers, booleans or short strings made of
"safe" characters (letters, digits, ``-_.:/``); other values are dropped too.
Client addresses go through ``hash_address`` first. A referral reference is a
random pseudonym that only means something inside the database, so it may be
logged (it links a log line to the access log).

Records from other libraries (uvicorn, litestar, asyncio) keep only their logger
name, level and, for errors, the exception type and where it was raised: their
messages and arguments can hold request paths, headers or form input.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import sys
from typing import Any, TextIO

SAFE_FIELDS = frozenset({
    "event", "code", "count", "status", "status_code", "method", "route", "duration_ms",
    "reference", "channel", "urgent", "role", "user_id", "client", "action", "reason",
    "version", "engine", "workers", "pid", "attempt", "limit", "products", "migrations",
    "bucket", "job", "questions", "minutes", "port", "error", "secure_cookies", "proxies", "outcome",
    "key_id", "rows", "words", "host_kind",
})
_SAFE_TEXT = re.compile(r"^[A-Za-z0-9_\-.:/{}]{0,120}$")
_ADDRESS_KEY = {"key": secrets.token_bytes(32)}
_OURS = "catalogus"
# Library messages known to carry nothing personal; shown as their template, never with arguments.
LIBRARY_MESSAGES = frozenset({
    "Started server process [%d]", "Waiting for application startup.", "Application startup complete.",
    "Waiting for application shutdown.", "Application shutdown complete.", "Finished server process [%d]",
    "Shutting down", "Started parent process [%d]", "Stopping parent process [%d]",
    "Uvicorn running on %s://%s:%d (Press CTRL+C to quit)", "Waiting for child process [%d]",
    "Child process [%d] died",
})


def set_address_key(secret: str) -> None:
    """Use a stable key for ``hash_address`` (so hashes match across processes); default: random per process."""
    if secret:
        _ADDRESS_KEY["key"] = hashlib.sha256(("catalogus-log-address:" + secret).encode()).digest()


def hash_address(address: str | None) -> str:
    """A short keyed hash of a client address: lets you see repeats, not who it was.

    >>> len(hash_address("192.0.2.1")), hash_address("192.0.2.1") == hash_address("192.0.2.1")
    (12, True)
    """
    digest = hmac.new(_ADDRESS_KEY["key"], (address or "").encode(), hashlib.sha256).hexdigest()
    return digest[:12]


def safe_fields(fields: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Keep whitelisted fields with harmless values; return them and how many were dropped.

    >>> safe_fields({"event": "x", "count": 3, "name": "Jan Jansen", "status": "Jan <b>"})
    ({'event': 'x', 'count': 3}, 2)
    """
    kept: dict[str, Any] = {}
    dropped = 0
    for key, value in fields.items():
        if key in SAFE_FIELDS and _is_safe_value(value):
            kept[key] = value
        else:
            dropped += 1
    return kept, dropped


def _is_safe_value(value: Any) -> bool:
    if value is None or isinstance(value, (bool, int, float)):
        return True
    if isinstance(value, str):
        return bool(_SAFE_TEXT.match(value))
    if isinstance(value, (list, tuple)):
        return len(value) <= 50 and all(isinstance(v, str) and _SAFE_TEXT.match(v) for v in value)
    return False


class EventLogger:
    """A thin wrapper around ``logging.Logger`` that logs an event name plus safe fields."""

    def __init__(self, logger: logging.Logger):
        self._logger = logger

    def _log(self, level: int, event: str, fields: dict[str, Any], exc_info: bool = False) -> None:
        if self._logger.isEnabledFor(level):
            self._logger.log(level, event, extra={"catalogus_fields": fields}, exc_info=exc_info)

    def debug(self, event: str, **fields: Any) -> None:
        self._log(logging.DEBUG, event, fields)

    def info(self, event: str, **fields: Any) -> None:
        self._log(logging.INFO, event, fields)

    def warning(self, event: str, **fields: Any) -> None:
        self._log(logging.WARNING, event, fields)

    def error(self, event: str, *, exc_info: bool = False, **fields: Any) -> None:
        self._log(logging.ERROR, event, fields, exc_info)


def get_logger(name: str) -> EventLogger:
    return EventLogger(logging.getLogger(name))


class JsonFormatter(logging.Formatter):
    """Format any record as one JSON line with only safe content."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
        }
        fields = getattr(record, "catalogus_fields", None)
        if fields is not None and isinstance(record.msg, str) and _SAFE_TEXT.match(record.msg):
            out["event"] = record.msg
            kept, dropped = safe_fields(fields)
            kept.pop("event", None)
            out.update(kept)
            if dropped:
                out["dropped"] = dropped
        else:
            out["event"] = "library_log"
            out["logger"] = record.name if _SAFE_TEXT.match(record.name) else "?"
            if isinstance(record.msg, str) and record.msg in LIBRARY_MESSAGES:
                out["message"] = record.msg
        if record.exc_info and record.exc_info[0] is not None:
            out["exception"] = record.exc_info[0].__name__
            out["where"] = _where(record.exc_info[2])
        return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def _where(tb: Any) -> str:
    """file:line of the innermost frame inside catalogus (or the innermost frame at all)."""
    chosen = None
    while tb is not None:
        code = tb.tb_frame.f_code
        if chosen is None or f"{os.sep}{_OURS}{os.sep}" in code.co_filename:
            chosen = f"{os.path.basename(code.co_filename)}:{tb.tb_lineno}:{code.co_name}"
        tb = tb.tb_next
    return chosen or "?"


def configure_logging(level: str = "INFO", stream: TextIO | None = None, *, address_key: str = "") -> logging.Handler:
    """Send every log record (ours and the libraries') through the JSON formatter on one handler."""
    set_address_key(address_key)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_catalogus", False):
            root.removeHandler(old)
    handler._catalogus = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "litestar"):
        library = logging.getLogger(name)
        library.handlers.clear()
        library.propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)  # request lines hold paths and addresses
    return handler
