"""Benchmark of the check: questions asked per topic choice, and requests per second.

1. Replays 200 random complete households through ``POST /api/v1/check`` question by
   question (answer what ``next_question`` asks, from the household) and records how many
   questions a resident answers per topic choice, against the size of the vocabulary.
   It also checks that every product in the chosen topics ends decided, with the same
   status as under the complete answers.
2. Measures requests per second of ``/api/v1/check``, the wizard page (``GET /check`` and
   a ``POST /check`` step) and a trivial endpoint (``/ping``) of the same server, in the
   same run, with a Python load generator (httpx in threads) on 127.0.0.1.

Writes the section "Wizard en check-API" of docs/performance.md.
Run: ``.venv/bin/python bench/bench_wizard.py [--households 200] [--seconds 5] [--no-write]``.
"""

from __future__ import annotations

import argparse
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

def replay(client: httpx.Client, complete: dict, topics: list[str]) -> tuple[int, int, list[str]]:
    """Answer what the check asks.

    Returns (questions asked, products in the topics decided differently than with all answers,
    products in the topics still open when the check stops).
    """
    answers = {"onderwerpen": topics} if topics else {}  # no topics chosen = all topics
    asked = 0
    for _ in range(60):
        body = client.post("/api/v1/check", json={"answers": answers}).raise_for_status().json()
        question = body["next_question"]
        if question is None:
            break
        answers[question["id"]] = complete[question["id"]]
        asked += 1
    full = client.post("/api/v1/check", json={"answers": {**complete, "onderwerpen": topics or None}}).json()
    final = {r["id"]: r["status"] for r in body["results"]}
    wrong = sum(1 for r in full["results"]
                if r["in_topics"] and final[r["id"]] != "unknown" and final[r["id"]] != r["status"])
    still_open = [r["id"] for r in body["results"] if r["in_topics"] and r["status"] == "unknown"]
    return asked, wrong, still_open


def questions_per_topic_choice(base: str, count: int, seed: int = 2026) -> dict:
    rng = random.Random(seed)
    by_count: dict[int, list[int]] = defaultdict(list)
    by_topic: dict[str, list[int]] = defaultdict(list)
    wrong_total = 0
    still_open: dict[str, int] = defaultdict(int)
    with httpx.Client(base_url=base, timeout=30) as client:
        for _ in range(count):
            complete = household(rng)
            topics = complete["onderwerpen"]
            asked, wrong, open_ids = replay(client, complete, topics)
            wrong_total += wrong
            for product_id in open_ids:
                still_open[product_id] += 1
            by_count[len(topics)].append(asked)
            if len(topics) == 1:
                by_topic[topics[0]].append(asked)
        everything = []
        for _ in range(max(10, count // 10)):
            complete = household(rng)
            everything.append(replay(client, {**complete, "onderwerpen": None}, [])[0])
    return {"by_count": dict(sorted(by_count.items())), "by_topic": dict(sorted(by_topic.items())),
            "all_topics": everything, "wrong": wrong_total,
            "open": dict(sorted(still_open.items(), key=lambda item: -item[1]))}


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
                if response.status_code != 200:
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
                                       "vraag": "situatie_werk", "situatie_werk": "werkend"})


def _wizard_setup(client):
    page = client.get("/check").text
    return re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)


wizard_step.setup = _wizard_setup


# ---------------------------------------------------------------- report

def report(questions: dict, throughput: dict, args, vocabulary: int) -> str:
    lines = [SECTION, "",
             f"`bench/bench_wizard.py`, {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}; one uvicorn worker on 127.0.0.1, load generator httpx in "
             f"{args.workers} threads in the same machine (it competes with the server for the 2 cores).", "",
             f"### Vragen per onderwerpkeuze ({args.households} willekeurige huishoudens)", "",
             f"De vragenlijst heeft {vocabulary} vragen (plus de onderwerpkeuze). Elk huishouden beantwoordt via "
             "`POST /api/v1/check` precies wat `next_question` vraagt, tot die `null` is.", "",
             "| onderwerpen gekozen | huishoudens | gem. vragen | min | max | % van de vragenlijst |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for count, asked in questions["by_count"].items():
        lines.append(f"| {count} | {len(asked)} | {statistics.mean(asked):.1f} | {min(asked)} | {max(asked)} | "
                     f"{100 * statistics.mean(asked) / vocabulary:.0f}% |")
    everything = questions["all_topics"]
    lines.append(f"| geen keuze (alles) | {len(everything)} | {statistics.mean(everything):.1f} | {min(everything)} | "
                 f"{max(everything)} | {100 * statistics.mean(everything) / vocabulary:.0f}% |")
    lines += ["", "Eén onderwerp, per onderwerp:", "", "| onderwerp | huishoudens | gem. vragen |", "| --- | ---: | ---: |"]
    for topic, asked in questions["by_topic"].items():
        lines.append(f"| {topic} | {len(asked)} | {statistics.mean(asked):.1f} |")
    lines += ["", f"Producten binnen de gekozen onderwerpen die na de laatste vraag beslist waren, maar anders dan met "
              f"alle antwoorden: **{questions['wrong']}** (moet 0 zijn). Producten binnen de onderwerpen die nog open "
              f"waren toen de check stopte: **{sum(questions['open'].values())}** "
              f"({', '.join(f'{k} {v}×' for k, v in questions['open'].items()) or 'geen'}). Geen vraag kan die "
              "nog beslissen: ze hangen af van een vraag die voor dit huishouden niet gesteld wordt (`alleen_als` "
              "is onwaar, bijvoorbeeld loopafstand bij `moeite_met: geen`) of van een norm zonder waarde voor "
              "deze situatie (bijvoorbeeld leeftijd onder 18). De uitkomstpagina zegt dan bij wie de inwoner het "
              "kan navragen.", "",
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
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = start_server(port, data_dir)
        try:
            base = f"http://127.0.0.1:{port}"
            questions = questions_per_topic_choice(base, args.households)
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
