"""Load test: the wizard, search and the check API at 50 concurrent clients, then referral submissions.

The server is started the way ``make run`` starts it: ``catalogus index`` and then
``catalogus serve --host 127.0.0.1 --port N`` in the repository, with a fresh
``CATALOGUS_DATA_DIR`` and no other ``CATALOGUS_*`` settings. An asyncio load generator
(httpx, one connection per client, like a browser) runs on the same machine:

1. Residents (``--clients``, ``--seconds``): every client walks the wizard as a resident
   would (``GET /check``, ``POST /check`` per screen with the answers of a random
   household, ``POST /check/uitkomst``), then searches (``GET /zoeken?q=``,
   ``GET /api/v1/search?q=``) and calls ``POST /api/v1/check``, over and over.
2. The anchor: the same clients only ask ``GET /ping`` (the cheapest endpoint of the same
   server). When ``wrk`` is installed it measures the simple GETs as well (C, no Python
   client overhead); without it that part is left out.
3. Referrals (``--referral-seconds``): ``POST /aanmelden`` with consent and distinct contact
   details, against SQLite and against PostgreSQL (1 and 2 workers), with
   ``CATALOGUS_RATE_LIMIT_PER_MINUTE`` raised (all clients share one address). Afterwards
   the stored referrals must equal the success responses, each with its access-log row.

An error is any response outside 2xx/3xx, a connection error or a timeout; there must be none.
Exit status 1 when there was an error or a mismatch.

Run: ``.venv/bin/python bench/load_test.py [--clients 50] [--seconds 60] [--referral-seconds 30]
[--postgres auto|off|URL] [--write]`` (``--write`` puts the figures into docs/performance.md,
section "Belasting"; ``auto`` starts a private throwaway PostgreSQL cluster).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import itertools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ruamel.yaml import YAML  # noqa: E402

from bench import load_report  # noqa: E402
from bench.load_server import ServerProcess, fresh_schema, postgres_urls, postgres_version, stored  # noqa: E402
from catalogus.catalog import load_catalog_or_raise  # noqa: E402
from catalogus.web.forms import display_value  # noqa: E402
from tests.support.households import household, partial  # noqa: E402
from tests.support.staff import ROUTED  # noqa: E402

QUERIES = [case["q"] for case in YAML(typ="safe").load((ROOT / "tests" / "search_relevance.yaml").read_text())]
TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')
SCREEN = re.compile(r'name="scherm" value="([^"]+)"')
QUESTIONS = re.compile(r'name="vragen" value="([^"]+)"')
HISTORY = re.compile(r'name="geschiedenis" value="([^"]*)"')
ANSWERS = re.compile(r'name="antwoorden" value="([^"]*)"')
REFERENCE = re.compile(r"data-reference>(VBS-[0-9A-Z-]+)<")
CSRF_COOKIE = re.compile(r"(?:^|\s)csrftoken=([^;]+)")
MAX_STEPS = 60


# ---------------------------------------------------------------- measuring

@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)     # (endpoint, what) -> count
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)

    async def call(self, name: str, send) -> httpx.Response | None:
        """Time one request; count it as an error unless it got a 2xx/3xx answer."""
        started = time.perf_counter()
        try:
            response = await send()
        except httpx.HTTPError as exc:
            self.latencies[name].append(time.perf_counter() - started)
            self.errors[(name, type(exc).__name__)] += 1
            return None
        self.latencies[name].append(time.perf_counter() - started)
        if not 200 <= response.status_code < 400:
            self.errors[(name, f"HTTP {response.status_code}")] += 1
            return None
        return response

    def error_count(self, name: str | None = None) -> int:
        return sum(n for (endpoint, _), n in self.errors.items() if name is None or endpoint == name)

    def summary(self) -> dict[str, dict]:
        rows = {}
        for name, values in self.latencies.items():
            rows[name] = {"requests": len(values), "errors": self.error_count(name),
                          "rps": len(values) / self.seconds if self.seconds else 0.0,
                          **{f"p{p}": 1000 * percentile(values, p / 100) for p in (50, 95, 99)}}
        return rows


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0


def new_client(url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=url, timeout=30, limits=httpx.Limits(max_connections=1))


async def open_session(stats: Stats, client: httpx.AsyncClient) -> str | None:
    """``GET /check`` like a browser's first visit: the CSRF token, and the cookie it belongs to.

    The server sends the cookie with ``Secure`` (as ``make run`` configures it, for HTTPS); over
    plain loopback http the client hands it back itself, as a TLS-terminating proxy would.
    """
    response = await stats.call("GET /check", lambda: client.get("/check"))
    if response is None:
        return None
    for header in response.headers.get_list("set-cookie"):
        found = CSRF_COOKIE.search(header)
        if found:
            client.headers["cookie"] = f"csrftoken={found.group(1)}"
    return TOKEN.search(response.text).group(1)


def _form_of(page: str, marker: str) -> str:
    start = page.find(marker)
    return page[start:page.find("</form>", start)] if start != -1 else ""


async def wizard(stats: Stats, client: httpx.AsyncClient, token: str, vocabulary, rng: random.Random,
                 deadline: float) -> bool:
    """One resident through the check: topics, every question asked, then the results. True when done."""
    answers = household(rng)
    data = {"_csrf_token": token, "antwoorden": "{}", "scherm": "onderwerpen", "actie": "volgende",
            "onderwerpen": answers["onderwerpen"]}
    for _ in range(MAX_STEPS):
        if time.monotonic() > deadline:
            return False
        response = await stats.call("POST /check", lambda: client.post("/check", data=data))
        if response is None:
            return False
        form = _form_of(response.text, 'class="wizard__form"')
        if not form:  # no question left: the overview, then the results
            stored = ANSWERS.search(_form_of(response.text, 'action="/check/uitkomst"'))
            results = {"_csrf_token": token, "antwoorden": html.unescape(stored.group(1)) if stored else "{}"}
            done = await stats.call("POST /check/uitkomst", lambda: client.post("/check/uitkomst", data=results))
            return done is not None
        screen, on_screen = SCREEN.search(form).group(1), QUESTIONS.search(form).group(1).split(",")
        data = {"_csrf_token": token, "antwoorden": html.unescape(ANSWERS.search(form).group(1)), "scherm": screen,
                "vragen": ",".join(on_screen), "geschiedenis": HISTORY.search(form).group(1), "actie": "volgende"}
        if 'name="aangevinkt"' in form:
            data["aangevinkt"] = [q for q in on_screen if answers[q]] or ["geen_van_deze"]
        else:
            data.update({q: display_value(vocabulary[q], answers[q]) for q in on_screen})
    raise RuntimeError("the wizard asked more than %d questions" % MAX_STEPS)


async def resident(stats: Stats, url: str, vocabulary, seed: int, deadline: float) -> None:
    rng = random.Random(seed)
    async with new_client(url) as client:
        token = await open_session(stats, client)
        while token and time.monotonic() < deadline:
            if await wizard(stats, client, token, vocabulary, rng, deadline):
                stats.extra["checks_done"] = stats.extra.get("checks_done", 0) + 1
            for _ in range(3):
                if time.monotonic() > deadline:
                    break
                query = rng.choice(QUERIES)
                await stats.call("GET /zoeken", lambda: client.get("/zoeken", params={"q": query}))
                await stats.call("GET /api/v1/search", lambda: client.get("/api/v1/search", params={"q": query}))
                body = {"answers": partial(rng, household(rng))}
                await stats.call("POST /api/v1/check", lambda: client.post("/api/v1/check", json=body))
            if time.monotonic() < deadline:
                await stats.call("GET /check", lambda: client.get("/check"))


async def pinger(stats: Stats, url: str, deadline: float) -> None:
    async with new_client(url) as client:
        while time.monotonic() < deadline:
            await stats.call("GET /ping", lambda: client.get("/ping"))


_numbers = itertools.count(1)


async def referrer(stats: Stats, url: str, deadline: float, confirmed: list[str]) -> None:
    """Submit distinct referrals with consent until the deadline; keep the references shown."""
    async with new_client(url) as client:
        token = await open_session(stats, client)
        while token and time.monotonic() < deadline:
            n = next(_numbers)
            form = {"_csrf_token": token, "antwoorden": json.dumps(ROUTED), "stap": "versturen",
                    "naam": f"Inwoner {n}", "telefoon": f"06{n % 10**8:08d}", "email": f"inwoner{n}@example.nl",
                    "contact_time": "ochtend", "toelichting": f"aanmelding {n}", "toestemming": "ja"}
            response = await stats.call("POST /aanmelden", lambda: client.post("/aanmelden", data=form))
            if response is None:
                continue
            found = REFERENCE.search(response.text) if response.status_code == 200 else None
            if found:
                confirmed.append(found.group(1))
            else:
                stats.errors[("POST /aanmelden", f"HTTP {response.status_code} zonder kenmerk")] += 1


async def _run(tasks_for, seconds: float) -> Stats:
    stats = Stats()
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    await asyncio.gather(*tasks_for(stats, deadline))
    stats.seconds = time.monotonic() - started
    stats.extra["load"] = os.getloadavg()[0]  # other work on the machine during this phase (1-minute average)
    return stats


def run_residents(url: str, clients: int, seconds: float, seed: int = 2026) -> Stats:
    vocabulary = load_catalog_or_raise(ROOT).vocabulary
    return asyncio.run(_run(lambda stats, deadline: [resident(stats, url, vocabulary, seed + i, deadline)
                                                     for i in range(clients)], seconds))


def run_ping(url: str, clients: int, seconds: float) -> Stats:
    return asyncio.run(_run(lambda stats, deadline: [pinger(stats, url, deadline) for _ in range(clients)], seconds))


def run_referrals(url: str, clients: int, seconds: float) -> tuple[Stats, list[str]]:
    confirmed: list[str] = []
    stats = asyncio.run(_run(lambda s, deadline: [referrer(s, url, deadline, confirmed) for _ in range(clients)],
                             seconds))
    return stats, confirmed


# ---------------------------------------------------------------- referral runs

def referral_run(label: str, clients: int, seconds: float, database_url: str = "", workers: int = 1) -> dict:
    settings = {"CATALOGUS_RATE_LIMIT_PER_MINUTE": "100000000"}
    if database_url:
        settings["CATALOGUS_DATABASE_URL"] = database_url
    with ServerProcess(workers=workers, **settings) as server:
        stats, confirmed = run_referrals(server.url, clients, seconds)
        server.stop()
        found = stored(server, database_url)
        errors_logged = server.error_lines()
    row = stats.summary().get("POST /aanmelden", {"requests": 0, "errors": 0, "rps": 0, "p50": 0, "p95": 0, "p99": 0})
    ok = (stats.error_count() == 0 and found["references"] == set(confirmed) and found["unlogged"] == 0
          and found["created"] == found["referrals"] and errors_logged == 0)
    return {"label": label, "workers": workers, **row, "errors": stats.error_count(), "success": len(confirmed),
            "load": stats.extra["load"],
            "stored": found["referrals"], "created": found["created"], "unlogged": found["unlogged"],
            "error_kinds": dict(stats.errors), "server_errors": errors_logged, "ok": ok}


# ---------------------------------------------------------------- wrk (optional)

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("CATALOGUS %d %d %d %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def _lua_string(text: str) -> str:
    """A Lua long string holding ``text`` exactly (no escapes to get wrong)."""
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def wrk_script(method: str = "GET", body: str | None = None, content_type: str = "application/json",
               bodies: list[str] | None = None, fresh_amounts: tuple[str, ...] = ()) -> str:
    """The Lua script: the ``done`` summary line, and for a POST its method, body and content type;
    with ``bodies`` every request sends the next one of them (round robin per wrk thread). With
    ``fresh_amounts`` every request gives those questions (money, when the body answers them) a new random
    amount from € 0 to € 4,000.99, so that no memo keyed by amounts has seen the household before."""
    setup = ""
    if method != "GET":
        setup += f'wrk.method = "{method}"\n'
    if body is not None or bodies:
        setup += f"wrk.body = {_lua_string(body or bodies[0])}\nwrk.headers[\"Content-Type\"] = \"{content_type}\"\n"
    if bodies:
        renew = "".join(f'  found = string.gsub(found, \'"{q}":[0-9.]+\', \'"{q}":\' .. string.format("%d.%02d", '
                        f'math.random(0, 4000), math.random(0, 99)))\n' for q in fresh_amounts)
        setup += ("local bodies = {" + ", ".join(_lua_string(b) for b in bodies) + "}\nlocal turn = 0\n"
                  "init = function(args)\n  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))\nend\n"
                  "request = function()\n  turn = turn % #bodies + 1\n  local found = bodies[turn]\n" + renew +
                  "  return wrk.format(nil, nil, nil, found)\nend\n")
    return setup + WRK_SCRIPT


def run_wrk(url: str, path: str, clients: int, seconds: float, *, method: str = "GET", body: str | None = None,
            content_type: str = "application/json", threads: int | None = None,
            bodies: list[str] | None = None, fresh_amounts: tuple[str, ...] = ()) -> dict | None:
    """``wrk`` on one request, always the same (one thread per core); None when wrk is not installed.

    ``errors`` counts connection errors, time-outs and every status of 400 and up (wrk's ``status``)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    threads = threads or max(1, min(os.cpu_count() or 1, clients))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk_script(method, body, content_type, bodies, fresh_amounts))
    try:
        done = subprocess.run([wrk, "-t", str(threads), "-c", str(clients), "-d", f"{seconds:g}s", "--timeout", "10s",
                               "-s", script.name, url + path],
                              capture_output=True, text=True, timeout=seconds + 60)
    finally:
        os.unlink(script.name)
    line = next((x for x in done.stdout.splitlines() if x.startswith("CATALOGUS ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {done.stdout}{done.stderr}")
    requests, duration, *errors, p50, p95, p99 = (int(x) for x in line.split()[1:])
    return {"requests": requests, "errors": sum(errors), "status_errors": errors[3],
            "rps": requests / (duration / 1e6), "p50": p50 / 1000, "p95": p95 / 1000, "p99": p99 / 1000,
            "load": os.getloadavg()[0]}


# ---------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60, help="residents (wizard, search, check API)")
    parser.add_argument("--anchor-seconds", type=float, default=None, help="GET /ping (default: --seconds)")
    parser.add_argument("--referral-seconds", type=float, default=30, help="each referral run (0: skip)")
    parser.add_argument("--wrk-seconds", type=int, default=10, help="each wrk run (0: skip wrk)")
    parser.add_argument("--postgres", default="auto", help="auto (private throwaway cluster), off, or a URL")
    parser.add_argument("--write", action="store_true", help="write the section 'Belasting' of docs/performance.md")
    args = parser.parse_args()
    load_before = os.getloadavg()

    with ServerProcess() as server:
        residents = run_residents(server.url, args.clients, args.seconds)
        anchor = run_ping(server.url, args.clients, args.anchor_seconds or args.seconds)
        wrk = {}
        if args.wrk_seconds > 0:
            for path in ("/ping", "/check", "/zoeken?q=huurtoeslag", "/api/v1/search?q=huurtoeslag"):
                found = run_wrk(server.url, path, args.clients, args.wrk_seconds)
                if found is None:
                    break
                wrk["GET " + path] = found
        resident_log_errors = server.error_lines()
    print(load_report.resident_table(residents, anchor, wrk), flush=True)

    runs, pg_version = [], ""
    if args.referral_seconds > 0:
        runs.append(referral_run("SQLite", args.clients, args.referral_seconds))
        base_url, cluster = postgres_urls(args.postgres)
        try:
            if base_url:
                pg_version = postgres_version(base_url)
                for workers in (1, 2):
                    runs.append(referral_run("PostgreSQL", args.clients, args.referral_seconds,
                                             fresh_schema(base_url), workers))
        finally:
            if cluster is not None:
                cluster.stop()
    print(load_report.referral_table(runs), flush=True)

    ok = (residents.error_count() == 0 and anchor.error_count() == 0 and resident_log_errors == 0
          and all(w["errors"] == 0 for w in wrk.values()) and all(r["ok"] for r in runs))
    text = load_report.section(args, residents, anchor, wrk, runs, load_before, os.getloadavg(), pg_version,
                               postgres_mode=args.postgres, log_errors=resident_log_errors)
    if args.write:
        load_report.write(text)
        print("written to docs/performance.md (Belasting)")
    else:
        print(text)
    if not ok:
        print("FAILED: errors or a mismatch between success responses and stored referrals", file=sys.stderr)
        print(json.dumps({"residents": {f"{k[0]} {k[1]}": v for k, v in residents.errors.items()},
                          "referrals": [r["error_kinds"] for r in runs]}, indent=2), file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
