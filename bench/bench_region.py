"""Start-up time, memory per worker and check latency for the shipped region (3 municipalities) and a
generated region of 20.

Run: .venv/bin/python bench/bench_region.py [--checks 2000] [--write]

Each size runs in a fresh Python process (so memory is that of one worker): it builds the region
(tests/support/big_region.py: the shipped content plus generated municipalities modelled on Kleinmeer),
starts the web app (content loaded, every municipality's search index built, database ready), and then
posts random half-filled households to /api/v1/check, spread over all municipalities, in process.
Times are CPU time of the process (time.process_time), so a busy machine does not inflate them;
memory is the maximum resident set size after start-up and after the checks.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import PERFORMANCE_MD, write_section  # noqa: E402

TITLE = "Regio: opstarten, geheugen en check per aantal gemeenten"


def measure(size: int, checks: int) -> dict:
    """In this process: build, start and query a region of ``size`` municipalities."""
    import random
    import resource
    import time

    from litestar.testing import TestClient

    from catalogus.web.app import create_app
    from tests.conftest import make_web_settings
    from tests.support.big_region import make_region
    from tests.support.households import household, partial

    work = Path(tempfile.mkdtemp(prefix="bench-region-"))
    root = make_region(work / "regio", size)
    settings = make_web_settings(work / "data", content_dir=root, today="2026-11-26")
    started = time.process_time()
    wall = time.perf_counter()
    with TestClient(create_app(settings)) as client:
        startup_cpu, startup_wall = time.process_time() - started, time.perf_counter() - wall
        rss_started = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ids = [m["id"] for m in client.get("/api/v1/gemeenten").json()["gemeenten"]]
        rng = random.Random(7)
        bodies = []
        for i in range(checks):
            complete = household(rng)
            bodies.append({"answers": partial(rng, complete) if i % 2 else complete, "gemeente": ids[i % len(ids)],
                           "date": "2026-11-26"})
        started = time.process_time()
        for body in bodies:
            response = client.post("/api/v1/check", json=body)
            assert response.status_code == 200, response.text
        per_check = (time.process_time() - started) / checks
    return {"size": len(ids), "startup_cpu": startup_cpu, "startup_wall": startup_wall, "rss_started": rss_started,
            "rss_after": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "check_ms": per_check * 1000}


def run_child(size: int, checks: int) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", str(size), "--checks", str(checks)],
                            check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def report(results: list[dict], checks: int) -> str:
    rows = "\n".join(
        f"| {r['size']} | {r['startup_cpu']:.1f} s ({r['startup_wall']:.1f} s wandklok) | {r['rss_started']:.0f} MB | "
        f"{r['rss_after']:.0f} MB | {r['check_ms']:.2f} ms |" for r in results)
    small, big = results[0], results[-1]
    per_municipality = (big["rss_started"] - small["rss_started"]) / max(1, big["size"] - small["size"])
    return (f"`bench/bench_region.py`, {checks} checks via `POST /api/v1/check` over alle gemeenten verdeeld, "
            f"halfgevulde en volledige huishoudens; Python {platform.python_version()}, {os.cpu_count()} kernen. "
            "Opstarten = inhoud laden en compileren per gemeente, zoekindex per gemeente bouwen, database klaar "
            "(CPU-tijd van het proces). Geheugen = maximale RSS van één worker.\n\n"
            "| gemeenten | opstarten | geheugen na start | geheugen na de checks | check (API, in proces) |\n"
            "|---|---|---|---|---|\n" + rows + "\n\n"
            f"Elke extra gemeente kost ongeveer {per_municipality:.1f} MB per worker. Een check in een regio van "
            f"{big['size']} kost {big['check_ms'] / small['check_ms']:.2f}× die in een regio van {small['size']}: "
            "elke gemeente heeft haar eigen gecompileerde catalogus en een check rekent alleen in die ene (waar het "
            "verschil vandaan komt, is niet onderzocht). Een check via "
            "de TestClient in het proces meet ook de ASGI-laag; de cijfers met wrk tegen een echte server staan "
            "bij 'Wizard en check-API'.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=2000)
    parser.add_argument("--write", action="store_true", help=f"write the section into {PERFORMANCE_MD}")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.checks)))
        return
    results = [run_child(size, args.checks) for size in (3, 20)]
    text = report(results, args.checks)
    print(text)
    if args.write:
        write_section(PERFORMANCE_MD, TITLE, text)


if __name__ == "__main__":
    main()
