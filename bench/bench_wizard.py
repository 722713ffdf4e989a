"""Benchmark of the check: screens and questions per topic choice, and requests per second.

1. Walks 200 random complete households screen by screen as the web wizard does (every question of
   ``next_step`` and the follow-ups its answers reveal, until there is none; the same core the API and
   the pages call) and reports per household the screens, the questions answered and the hindsight
   minimum, the means per number of topics, questions that could no longer matter, and whether every
   product in the chosen topics ends with the status it has under all answers.
2. Measures requests per second of ``/api/v1/check``, the wizard page (``GET /check`` and
   a ``POST /check`` step) and a trivial endpoint (``/ping``) of the same server, in the
   same run, with a Python load generator (httpx in threads) on 127.0.0.1.

Writes the section "Wizard en check-API" of docs/performance.md.
Run: ``.venv/bin/python bench/bench_wizard.py [--households 200] [--seconds 5] [--no-write]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalogus.catalog import load_catalog_or_raise  # noqa: E402
from catalogus.check import Check  # noqa: E402
from tests.support.check_walk import walk  # noqa: E402
from tests.support.households import household  # noqa: E402

PERFORMANCE_MD = ROOT / "docs" / "performance.md"
SECTION = "## Wizard en check-API"
TODAY = "2026-11-26"


def start_server(port: int, data_dir: str) -> subprocess.Popen:
    env = {**os.environ, "CATALOGUS_TODAY": TODAY, "CATALOGUS_SECURE_COOKIES": "false",
           "CATALOGUS_DATA_DIR": data_dir, "CATALOGUS_CONTENT_DIR": str(ROOT), "CATALOGUS_RELOAD": "false",
           "CATALOGUS_LOG_LEVEL": "WARNING", "CATALOGUS_SECRET_KEY": "bench-secret"}
    process = subprocess.Popen([sys.executable, "-m", "catalogus.cli", "serve", "--port", str(port)], cwd=ROOT,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server did not start (run `catalogus check`)")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ping", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start within 60 s")


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------- questions asked

def questions_per_topic_choice(count: int, seed: int = 2026) -> dict:
    """Walk random complete households screen by screen (``tests/support/check_walk.py``: every question of
    ``next_step`` and the follow-ups its answers reveal, until there is no next step), as the web wizard does."""
    catalog = load_catalog_or_raise(ROOT)
    check = Check(catalog, dt.date.fromisoformat(TODAY))
    rng = random.Random(seed)
    rows = []
    for number in range(1, count + 1):
        complete = household(rng)
        topics = complete["onderwerpen"]
        rows.append((number, topics, walk(check, complete, topics), walk(check, complete, topics, script=False)))
    return {"rows": rows, "vocabulary": len(catalog.vocabulary) - 1}


# ---------------------------------------------------------------- throughput

def load(base: str, make_request, seconds: float, workers: int, max_requests: int = 200_000) -> dict:
    """Run `make_request(client)` from `workers` threads for `seconds`; bounded in time and count."""
    counts = [0] * workers
    failures = [0] * workers
    latencies: list[list[float]] = [[] for _ in range(workers)]
    stop_at = time.monotonic() + seconds

    def worker(index: int) -> None:
        with httpx.Client(base_url=base, timeout=10) as client:
            setup = make_request.setup(client) if hasattr(make_request, "setup") else None
            while time.monotonic() < stop_at and sum(counts) < max_requests:
                started = time.perf_counter()
                response = make_request(client, setup)
                latencies[index].append(time.perf_counter() - started)
                counts[index] += 1
                if response.status_code not in (200, 303):  # a submitted screen answers See Other
                    failures[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    merged = sorted(x for chunk in latencies for x in chunk)
    return {"requests": sum(counts), "failures": sum(failures), "rps": sum(counts) / elapsed,
            "p50_ms": 1000 * merged[len(merged) // 2] if merged else 0,
            "p95_ms": 1000 * merged[int(len(merged) * 0.95)] if merged else 0}


FATIMA_PART = {"onderwerpen": ["geld", "gezin"], "woont_in_gemeente": True, "leeftijd": 34,
               "leefsituatie": "alleenstaande_ouder", "aantal_kinderen": 2, "netto_inkomen": 1650, "vermogen": 500,
               "schulden": True, "woonsituatie": "huurwoning"}


def ping(client, _setup):
    return client.get("/ping")


def api_check(client, _setup):
    return client.post("/api/v1/check", json={"answers": FATIMA_PART})


def wizard_start(client, _setup):
    return client.get("/check")


def wizard_step(client, token):
    return client.post("/check", data={"_csrf_token": token, "antwoorden": json.dumps(FATIMA_PART),
                                       "scherm": "werk_en_inkomen", "vragen": "situatie_werk",
                                       "situatie_werk": "werkend", "actie": "volgende"})


def _wizard_setup(client):
    page = client.get("/check").text
    return re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)


wizard_step.setup = _wizard_setup


# ---------------------------------------------------------------- report

BEFORE = {1: 12.7, 2: 14.6}  # mean questions per topic choice with one question per page (issue 12)


def report(questions: dict, throughput: dict, args, vocabulary: int) -> str:
    rows = questions["rows"]
    lines = [SECTION, "",
             f"`bench/bench_wizard.py`, {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}; one uvicorn worker on 127.0.0.1, load generator httpx in "
             f"{args.workers} threads in the same machine (it competes with the server for the 2 cores).", "",
             f"### Schermen en vragen per onderwerpkeuze ({len(rows)} willekeurige huishoudens)", "",
             f"De vragenlijst heeft {vocabulary} vragen (plus de onderwerpkeuze). Elk huishouden doorloopt de check "
             "zoals de webwizard: het beantwoordt elke vraag van `next_step` en de vervolgvragen die het scherm toont "
             "zodra de antwoorden erboven ze laten meetellen (`Check.revealed`, met JavaScript), tot er geen volgende "
             "stap is (`tests/support/check_walk.py`). Zonder JavaScript blijven vervolgvragen verborgen en komen ze "
             "op een volgend scherm als ze nog meetellen: dat kost schermen, geen vragen. *Achteraf minimaal*: een set "
             "antwoorden waaruit geen antwoord weg kan zonder dat een uitkomst in de gekozen onderwerpen of de "
             "routering verandert (gretig gezocht, dus een bovengrens van het echte minimum; de check kan dit "
             "vooraf niet weten).", "",
             "| onderwerpen gekozen | huishoudens | gem. schermen | gem. schermen zonder JavaScript | gem. vragen | "
             "vroeger (één vraag per pagina) | gem. achteraf minimaal | vragen die niets meer konden beslissen | "
             "uitkomsten anders dan met alle antwoorden |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    by_count: dict[int, list] = defaultdict(list)
    plain_by_count: dict[int, list] = defaultdict(list)
    for _number, topics, done, plain in rows:
        by_count[len(topics)].append(done)
        plain_by_count[len(topics)].append(plain)
    for count, walks in sorted(by_count.items()):
        lines.append(f"| {count} | {len(walks)} | {statistics.mean(w.steps for w in walks):.1f} | "
                     f"{statistics.mean(w.steps for w in plain_by_count[count]):.1f} | "
                     f"{statistics.mean(w.questions for w in walks):.1f} | {BEFORE.get(count, '–')} | "
                     f"{statistics.mean(w.hindsight for w in walks):.1f} | {sum(w.useless for w in walks)} | "
                     f"{sum(len(w.wrong) for w in walks)} |")
    useless = defaultdict(int)
    for _number, _topics, done, _plain in rows:
        for qid in done.useless_ids:
            useless[qid] += 1
    open_route = sum(1 for _n, _t, w, _p in rows if w.route_differs)
    plain_wrong = sum(len(p.wrong) + p.route_differs + p.useless for _n, _t, _w, p in rows)
    lines += ["", f"Uitkomsten in de gekozen onderwerpen die na de laatste stap anders zijn dan met alle antwoorden: "
              f"**{sum(len(w.wrong) for _n, _t, w, _p in rows)}** (moet 0 zijn). Vragen die niets meer konden beslissen "
              f"toen ze op het scherm kwamen: **{sum(w.useless for _n, _t, w, _p in rows)}** "
              f"({', '.join(f'{k} {v}×' for k, v in sorted(useless.items(), key=lambda i: -i[1])) or 'geen'}). "
              f"Routering naar een casemanager anders dan met alle antwoorden: **{open_route}** huishoudens van "
              "inwoners (wie elders woont, krijgt de pagina over de eigen gemeente; wat alleen de routering nodig "
              "heeft, vraagt de check dan niet, want het wijkteam helpt inwoners). Zonder JavaScript: "
              f"**{plain_wrong}** afwijkingen of overbodige vragen samen.", "",
              "Per huishouden (nummer, onderwerpen, schermen, vragen, achteraf minimaal):", "",
              "<details><summary>alle huishoudens</summary>", "",
              "| # | onderwerpen | schermen | vragen | achteraf minimaal |", "| ---: | --- | ---: | ---: | ---: |"]
    for number, topics, done, _plain in rows:
        lines.append(f"| {number} | {', '.join(topics) or 'alles'} | {done.steps} | {done.questions} | {done.hindsight} |")
    lines += ["", "</details>", "",
              f"### Verzoeken per seconde ({args.seconds:g} s per meting, {args.workers} gelijktijdige clients)", "",
              "| endpoint | verzoeken | fouten | verzoeken/s | p50 ms | p95 ms | t.o.v. /ping |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    base_rps = throughput["GET /ping"]["rps"]
    for name, result in throughput.items():
        lines.append(f"| `{name}` | {result['requests']} | {result['failures']} | {result['rps']:.0f} | "
                     f"{result['p50_ms']:.1f} | {result['p95_ms']:.1f} | {100 * result['rps'] / base_rps:.0f}% |")
    lines += ["", "`POST /api/v1/check` en `POST /check` gebruiken een half ingevulde check (Fatima, 9 antwoorden). "
              "`/ping` is het goedkoopste endpoint van dezelfde server: het verschil is het werk van de check "
              "en het renderen van de pagina.", ""]
    return "\n".join(lines)


def write_section(text: str) -> None:
    existing = PERFORMANCE_MD.read_text(encoding="utf-8") if PERFORMANCE_MD.exists() else "# Prestaties\n\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(existing):
        updated = pattern.sub(lambda _: text + "\n", existing)
    else:
        updated = existing.rstrip("\n") + "\n\n" + text + "\n"
    PERFORMANCE_MD.write_text(updated, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()
    questions = questions_per_topic_choice(args.households)
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = start_server(port, data_dir)
        try:
            base = f"http://127.0.0.1:{port}"
            throughput = {}
            for name, request in (("GET /ping", ping), ("POST /api/v1/check", api_check),
                                  ("GET /check", wizard_start), ("POST /check", wizard_step)):
                load(base, request, min(1.0, args.seconds), args.workers)  # warm up
                throughput[name] = load(base, request, args.seconds, args.workers)
        finally:
            server.terminate()
            server.wait(timeout=10)
    catalog = load_catalog_or_raise(ROOT)
    text = report(questions, throughput, args, len(catalog.vocabulary) - 1)  # minus the topic question
    print(text)
    if not args.no_write:
        write_section(text)
        print(f"written to {PERFORMANCE_MD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
