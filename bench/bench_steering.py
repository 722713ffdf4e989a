"""What counting for the steering figures costs: ``POST /api/v1/check`` per second with counting on and off.

Two servers (``catalogus serve``, SQLite, one worker each, ``CATALOGUS_STEERING=true`` and ``false``) are
measured in turns (off then on, on then off, ...) with 8 concurrent clients for ``--seconds`` each, so a busy
moment on the machine hits both; the best round of each counts. Every call is a complete check (Fatima:
nothing left to ask), so with counting on every call records a started check, a results page, every
product's status and the routing. Requirement (issue 15): on is at least 95% of off. Exit 1 below that or on
any error.

Run: ``.venv/bin/python bench/bench_steering.py [--seconds 5] [--rounds 3]``
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.servers import Server, server_env  # noqa: E402
from tests.support.staff import ROUTED  # noqa: E402

CLIENTS = 8


async def measure(url: str, seconds: float) -> tuple[int, int]:
    """(successful calls, errors) of CLIENTS clients calling the check API for ``seconds``."""
    deadline = time.monotonic() + seconds
    done = errors = 0

    async def client() -> None:
        nonlocal done, errors
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            while time.monotonic() < deadline:
                response = await http.post("/api/v1/check", json={"answers": ROUTED})
                if response.status_code == 200:
                    done += 1
                else:
                    errors += 1

    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    return done, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    best = {"false": 0.0, "true": 0.0}
    errors = 0
    with tempfile.TemporaryDirectory() as tmp:
        servers = {}
        for mode in best:
            data = Path(tmp) / mode
            data.mkdir(mode=0o700)
            servers[mode] = Server(server_env(data / "data", CATALOGUS_STEERING=mode))
        try:
            for mode in best:  # warm up
                asyncio.run(measure(servers[mode].url, 1))
            for round_ in range(args.rounds):
                for mode in (("false", "true") if round_ % 2 == 0 else ("true", "false")):
                    done, failed = asyncio.run(measure(servers[mode].url, args.seconds))
                    errors += failed
                    best[mode] = max(best[mode], done / args.seconds)
        finally:
            for server in servers.values():
                server.stop()
    ratio = best["true"] / best["false"]
    print(f"| counting | POST /api/v1/check per second (best of {args.rounds} x {args.seconds:g} s, "
          f"{CLIENTS} clients) |\n|---|---:|\n| off | {best['false']:.0f} |\n| on | {best['true']:.0f} |\n"
          f"on / off: {ratio:.1%}; errors: {errors}")
    return 0 if ratio >= 0.95 and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
