"""Run event-loop code from tests that may follow the browser tests.

The browser tests' sync Playwright keeps an asyncio loop in the main thread for
the whole session, so ``asyncio.run`` there fails; a worker thread has none.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import Any, Callable


def in_thread(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def run_async(coroutine) -> Any:
    return in_thread(asyncio.run, coroutine)
