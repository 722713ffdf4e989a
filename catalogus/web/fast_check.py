"""``POST /api/v1/check`` without Litestar in between: the call a channel makes after every answer.

Routing, dependency injection and the middleware cost a check request about as much as its own web work
(docs/performance.md, "Wizard en check-API"). This lane serves only a request that certainly succeeds:
a complete body within the size limit that msgspec decodes strictly into ``CheckRequest`` and that
``api.check_json`` answers without a problem. Everything else (a bad body, an unknown municipality or
question, a date without norms, an unexpected error) goes on to the Litestar route with its body
replayed, so every error answer stays the documented one and the route stays in the OpenAPI document.
The answer is the route's, byte for byte and header for header (``tests/test_fast_check.py``).
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.types import Message, Receive, Scope, Send

from .api import PREFIX, check_json
from .api_schema import CheckRequest
from .content_admin import VERSION_HEADER
from .security import NO_STORE, SECURITY_RAW

CHECK_PATH = f"{PREFIX}/check"
_DECODE = msgspec.json.Decoder(CheckRequest).decode
_FIXED_HEADERS = [(b"cache-control", NO_STORE.encode()), (b"content-type", b"application/json")]


def wants_fast_check(scope: Scope) -> bool:
    return (scope["type"] == "http" and scope["path"] == CHECK_PATH and scope["method"] == "POST"
            and not scope.get("root_path"))


async def serve_fast_check(app: Any, scope: Scope, receive: Receive, send: Send, max_body: int) -> Receive | None:
    """Answer the check here and return None; or return the ``receive`` to hand the request on with
    (it replays what was read of the body)."""
    read: list[Message] = []
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        read.append(message)
        if message["type"] != "http.request":
            return _replaying(read, receive)  # a disconnect: Litestar's route deals with it as always
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > max_body:
            return _replaying(read, receive)  # the route answers 413
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    content = app.state.content
    if content._current is None:
        return _replaying(read, receive)
    try:
        data = _DECODE(b"".join(chunks))
        snapshot = content.current  # one snapshot for the whole answer, as pin_content gives the route
        body = check_json(app.state, snapshot, data, content.today())
    except Exception:  # noqa: BLE001 - any problem is the route's to answer, with its own error
        return _replaying(read, receive)
    await send({"type": "http.response.start", "status": 200,
                "headers": [*_FIXED_HEADERS, (b"content-length", str(len(body)).encode()), *SECURITY_RAW,
                            (VERSION_HEADER.encode(), snapshot.version.encode())]})
    await send({"type": "http.response.body", "body": body, "more_body": False})
    return None


def _replaying(read: list[Message], receive: Receive) -> Receive:
    pending = list(read)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
