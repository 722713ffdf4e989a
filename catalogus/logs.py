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
messages and arguments can hold request paths, headers or form input. Only the
messages in ``LIBRARY_MESSAGES`` are shown, filled in when every argument passes
that message's check (process ids, our own scheme, host and port).

When a person watches (stderr is a terminal, as with ``make run``) the same safe
content is written as readable lines instead of JSON.
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
    "bucket", "job", "questions", "minutes", "port", "error", "listen", "secure_cookies", "proxies", "outcome",
    "key_id", "rows", "words", "host_kind",
})
_SAFE_TEXT = re.compile(r"^[A-Za-z0-9_\-.:/{}]{0,120}$")
_ADDRESS_KEY = {"key": secrets.token_bytes(32)}
_OURS = "catalogus"
_HOST = re.compile(r"^[A-Za-z0-9.\-:]{1,100}$")  # a host name or an IPv4/IPv6 address


def _number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _scheme(value: Any) -> bool:
    return value in ("http", "https")


def _host(value: Any) -> bool:
    return isinstance(value, str) and bool(_HOST.match(value))


# Library messages known to carry nothing personal, each with a check per argument: the message
# is shown filled in when every argument passes, as its bare template otherwise.
LIBRARY_MESSAGES: dict[str, tuple] = {
    "Started server process [%d]": (_number,), "Finished server process [%d]": (_number,),
    "Waiting for application startup.": (), "Application startup complete.": (),
    "Waiting for application shutdown.": (), "Application shutdown complete.": (), "Shutting down": (),
    "Uvicorn running on %s://%s:%d (Press CTRL+C to quit)": (_scheme, _host, _number),
    "Uvicorn running on %s://[%s]:%d (Press CTRL+C to quit)": (_scheme, _host, _number),
    "Waiting for connections to close. (CTRL+C to force quit)": (),
    "Waiting for background tasks to complete. (CTRL+C to force quit)": (),
}
# Library messages that arrive already formatted (f-strings): fixed words around a process id.
LIBRARY_FORMATTED = re.compile(r"^(Started parent process \[\d+\]|Stopping parent process \[\d+\]|"
                               r"Waiting for child process \[\d+\]|Child process \[\d+\] died|"
                               r"Child process \[\d+\] failed to start, stopping the parent process\.)$")


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


def safe_record(record: logging.LogRecord) -> dict[str, Any]:
    """What may be written of a record (ours or a library's), as a dict; the same for JSON and the console."""
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
        message = library_message(record)
        if message is not None:
            out["message"] = message
    if record.exc_info and record.exc_info[0] is not None:
        out["exception"] = record.exc_info[0].__name__
        out["where"] = _where(record.exc_info[2])
    return out


def library_message(record: logging.LogRecord) -> str | None:
    """A library's message if it is a known harmless one: filled in when its arguments pass their checks.

    >>> record = logging.LogRecord("uvicorn.error", logging.INFO, "", 0,
    ...     "Uvicorn running on %s://%s:%d (Press CTRL+C to quit)", ("http", "127.0.0.1", 8000), None)
    >>> library_message(record)
    'Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)'
    >>> record.args = ("http", "<script>", 8000); library_message(record)
    'Uvicorn running on %s://%s:%d (Press CTRL+C to quit)'
    """
    template = record.msg
    if not isinstance(template, str):
        return None
    checks = LIBRARY_MESSAGES.get(template)
    if checks is None:
        return template if not record.args and LIBRARY_FORMATTED.match(template) else None
    args = record.args if isinstance(record.args, tuple) else ()
    if len(args) == len(checks) and all(check(arg) for check, arg in zip(checks, args)):
        try:
            return template % args if args else template
        except (TypeError, ValueError):
            return template
    return template


class JsonFormatter(logging.Formatter):
    """Format any record as one JSON line with only safe content."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(safe_record(record), ensure_ascii=False, separators=(",", ":"))


class ConsoleFormatter(logging.Formatter):
    """The same safe content as ``JsonFormatter``, as one readable line for a person at a terminal.

    >>> record = logging.LogRecord("catalogus.cli", logging.INFO, "", 0, "server_starting", (), None)
    >>> record.catalogus_fields = {"port": 8000, "name": "Jan"}
    >>> ConsoleFormatter().format(record)[8:]
    ' info     server_starting  port=8000 dropped=1'
    """

    def format(self, record: logging.LogRecord) -> str:
        out = safe_record(record)
        clock = dt.datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        level, event = out.pop("level"), out.pop("event")
        out.pop("time")
        if event == "library_log":
            what = f"{out.pop('logger')}: {out.pop('message', '(bericht weggelaten)')}"
        else:
            what = event
        rest = " ".join(f"{key}={_console_value(value)}" for key, value in out.items())
        return f"{clock} {level:<8} {what}" + (f"  {rest}" if rest else "")


def _console_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def _where(tb: Any) -> str:
    """file:line of the innermost frame inside catalogus (or the innermost frame at all)."""
    chosen = None
    while tb is not None:
        code = tb.tb_frame.f_code
        if chosen is None or f"{os.sep}{_OURS}{os.sep}" in code.co_filename:
            chosen = f"{os.path.basename(code.co_filename)}:{tb.tb_lineno}:{code.co_name}"
        tb = tb.tb_next
    return chosen or "?"


def configure_logging(level: str = "INFO", stream: TextIO | None = None, *, address_key: str = "",
                      console: bool | None = None) -> logging.Handler:
    """Send every log record (ours and the libraries') through one safe formatter on one handler.

    JSON lines, unless ``console`` (default: whether the stream is a terminal) asks for readable lines.
    """
    set_address_key(address_key)
    stream = stream or sys.stderr
    if console is None:
        console = bool(getattr(stream, "isatty", lambda: False)())
    handler = logging.StreamHandler(stream)
    handler.setFormatter(ConsoleFormatter() if console else JsonFormatter())
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
