"""Benchmark of the KCC screen: server time to recompute and render the results panel.

Each sample is one changed answer during a call: the whole KCC form (a random, partly answered
household from tests/support/households.py) goes to ``POST /kcc/uitkomst`` and the results panel
with its out-of-band markers comes back. Three ways, full Voorbeeldstad catalogue:

1. in-process, the work itself: read the form, run the check, render ``_kcc_bijwerken.html``;
2. in-process through the app (Litestar TestClient): CSRF, session lookup in SQLite, the handler;
3. over HTTP on 127.0.0.1 against ``catalogus serve`` (one worker), one request at a time,
   with ``GET /ping`` of the same server as the baseline.

Target: p95 under 50 ms. Writes the section "KCC-scherm" of docs/performance.md.
Run: ``.venv/bin/python bench/bench_kcc.py [--samples 500] [--no-write]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report import write_section  # noqa: E402

from catalogus.catalog import load_catalog_or_raise  # noqa: E402
from catalogus.settings import Settings  # noqa: E402
from catalogus.web import kcc  # noqa: E402
from catalogus.web.templating import build_environment  # noqa: E402
from tests.support.households import household, partial  # noqa: E402
from tests.support.servers import Server, server_env  # noqa: E402
from tests.support.staff import PASSWORD, add_staff  # noqa: E402

PERFORMANCE_MD = ROOT / "docs" / "performance.md"
TITLE = "KCC-scherm"
TODAY = "2026-11-26"
TARGET_MS = 50


def form_fields(answers: dict) -> dict:
    """JSON answers as the KCC form sends them (Ja/Nee, Dutch amounts, lists for multi)."""
    found = {}
    for qid, value in answers.items():
        if isinstance(value, bool):
            found[qid] = "ja" if value else "nee"
        elif isinstance(value, float):
            found[qid] = f"{value:.2f}".replace(".", ",")
        elif isinstance(value, list):
            found[qid] = value
        else:
            found[qid] = str(value)
    return found


def calls(samples: int, seed: int = 11) -> list[dict]:
    rng = random.Random(seed)
    return [form_fields(partial(rng, household(rng))) for _ in range(samples)]


class Form(dict):
    """A dict that answers ``getall`` like Litestar's form data."""

    def getall(self, key):
        value = self[key]
        return list(value) if isinstance(value, list) else [value]


def stats(durations: list[float]) -> dict:
    ordered = sorted(durations)
    return {"n": len(ordered), "p50": 1000 * statistics.median(ordered),
            "p95": 1000 * ordered[int(len(ordered) * 0.95) - 1], "max": 1000 * ordered[-1]}


# ---------------------------------------------------------------- 1. the work itself

def in_process(samples: list[dict]) -> tuple[dict, dict, dict]:
    catalog = load_catalog_or_raise(ROOT)
    date = dt.date.fromisoformat(TODAY)
    template = build_environment().get_template("_kcc_bijwerken.html")

    class Session:  # what the template reads of the staff session
        class user:  # noqa: N801
            role = "kcc"

    compute, render, both = [], [], []
    for fields in samples + samples[:50]:  # the first 50 warm caches up and are dropped
        start = time.perf_counter()
        call = kcc.read_call(catalog, date, Form(fields))
        middle = time.perf_counter()
        html = template.render(kcc.context(call, Session), csrf_input="", csrf_token=lambda: "")
        end = time.perf_counter()
        assert 'id="kcc-uitkomst"' in html
        compute.append(middle - start)
        render.append(end - middle)
        both.append(end - start)
    return stats(compute[50:]), stats(render[50:]), stats(both[50:])


# ---------------------------------------------------------------- 2. through the app

def log_in(client) -> str:
    page = client.get("/medewerkers/inloggen").text
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/medewerkers/inloggen", data={"_csrf_token": token, "gebruikersnaam": "bench",
                                                          "wachtwoord": PASSWORD}, follow_redirects=False)
    assert response.status_code == 303, response.text
    page = client.get("/kcc").text
    return re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)


def timed_posts(client, token: str, samples: list[dict]) -> dict:
    headers = {"hx-request": "true", "hx-target": "kcc-uitkomst"}
    durations = []
    for i, fields in enumerate(samples[:30] + samples):
        start = time.perf_counter()
        response = client.post("/kcc/uitkomst", data={"_csrf_token": token, **fields}, headers=headers)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.text[:500]
        if i >= 30:
            durations.append(elapsed)
    return stats(durations)


def through_app(samples: list[dict], data_dir: Path) -> dict:
    from litestar.testing import TestClient

    from catalogus.web.app import create_app

    settings = Settings(content_dir=ROOT, data_dir=data_dir, today=TODAY, secure_cookies=False, reload=False,
                        secret_key="bench-secret", log_level="WARNING")
    add_staff(settings, "bench", "kcc")
    with TestClient(create_app(settings)) as client:
        return timed_posts(client, log_in(client), samples)


# ---------------------------------------------------------------- 3. over HTTP

def over_http(samples: list[dict], data_dir: Path) -> tuple[dict, dict]:
    add_staff(Settings(data_dir=data_dir), "bench", "kcc")
    env = server_env(data_dir, CATALOGUS_LOG_LEVEL="WARNING")
    with Server(env) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        token = log_in(client)
        ping = []
        for i in range(len(samples) + 30):
            start = time.perf_counter()
            assert client.get("/ping").status_code == 200
            if i >= 30:
                ping.append(time.perf_counter() - start)
        return timed_posts(client, token, samples), stats(ping)


# ---------------------------------------------------------------- report

def row(name: str, s: dict) -> str:
    verdict = "ja" if s["p95"] < TARGET_MS else "**nee**"
    return f"| {name} | {s['n']} | {s['p50']:.1f} | {s['p95']:.1f} | {s['max']:.1f} | {verdict} |"


def report(results: dict, products: int, questions: int, load: float) -> str:
    lines = [f"`bench/bench_kcc.py`, {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}; volledige catalogus ({products} producten, {questions} vragen), "
             f"datum {TODAY}. Belasting van de machine bij de start (load average, 1 min): {load:.1f}.", "",
             "Eén meting = één gewijzigd antwoord tijdens een gesprek: het hele KCC-formulier (een willekeurig, "
             "deels ingevuld huishouden) gaat naar `POST /kcc/uitkomst`; terug komt het uitkomstpaneel met de "
             "markeringen per vraag (out-of-band). Doel: p95 onder 50 ms.", "",
             "| meting | aantal | p50 ms | p95 ms | max ms | p95 < 50 ms |", "| --- | ---: | ---: | ---: | ---: | --- |"]
    lines.append(row("in het proces: formulier lezen + check", results["compute"]))
    lines.append(row("in het proces: paneel renderen (Jinja)", results["render"]))
    lines.append(row("in het proces: samen (het werk van de server)", results["both"]))
    lines.append(row("in het proces via de app (TestClient: CSRF, sessie in SQLite, handler)", results["app"]))
    lines.append(row("HTTP op 127.0.0.1, `catalogus serve` met 1 worker", results["http"]))
    lines.append(row("HTTP op 127.0.0.1, `GET /ping` (ondergrens van dezelfde server)", results["ping"]))
    lines += ["", "Over HTTP is één verzoek tegelijk gemeten (zoals één KCC-medewerker); het verschil met "
              "`/ping` is de tijd van de check, het renderen en de sessiecontrole.", "",
              "Opnieuw meten: `.venv/bin/python bench/bench_kcc.py` (schrijft deze sectie; `--no-write` print alleen)."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()
    samples = calls(args.samples)
    load = os.getloadavg()[0]
    results = {}
    results["compute"], results["render"], results["both"] = in_process(samples)
    with tempfile.TemporaryDirectory() as app_dir, tempfile.TemporaryDirectory() as server_dir:
        results["app"] = through_app(samples, Path(app_dir))
        results["http"], results["ping"] = over_http(samples, Path(server_dir))
    catalog = load_catalog_or_raise(ROOT)
    text = report(results, len(catalog.products), len(catalog.vocabulary), load)
    print(text)
    if not args.no_write:
        write_section(PERFORMANCE_MD, TITLE, text)
        print(f"written to {PERFORMANCE_MD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
