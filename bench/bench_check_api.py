"""Requests per second of the check API against ``GET /ping``, with ``wrk``, and where the time goes.

1. Starts one ``catalogus serve`` worker (SQLite, counting on, as ``make run``) and measures with
   ``wrk`` (C, no Python on the client side) in one run, with the same threads, connections and duration:
   ``GET /ping`` (the cheapest endpoint: the server's fixed cost per request), ``POST /api/v1/check``
   with a half-filled household (a random household walked screen by screen until half of its
   questions are answered, ``tests/support/check_walk.py``) and the wizard's first page ``GET /check``,
   each after a short warm-up. The body is checked first (200 and a full answer, not a 4xx) and every wrk
   run must have no errors. ``--before DIR`` measures an earlier version of the code first, in the same run.
2. In this process, for the same body: ``Check.settle`` alone (the engine), and the whole request
   through the ASGI app without a server or sockets (``POST /api/v1/check`` and ``GET /ping``), so
   the report shows how much of a request is the engine, the web layer and the HTTP server (CPU time of
   the thread, best of several rounds taken in turns).

Writes the subsection "Verzoeken per seconde (wrk)" of the section "Wizard en check-API" of
docs/performance.md (``bench_wizard.py`` writes the rest of that section and keeps this part).
Exit status 1 on any error or a non-200 answer.

Run: ``.venv/bin/python bench/bench_check_api.py [--seconds 10] [--rounds 3] [--clients 16] [--before DIR] [--no-write]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load_test import run_wrk  # noqa: E402
from catalogus.catalog import load_catalog_or_raise  # noqa: E402
from catalogus.check import TOPICS_QUESTION, Check  # noqa: E402
from tests.support.check_walk import halfway  # noqa: E402
from tests.support.households import household  # noqa: E402
from tests.support.servers import free_port  # noqa: E402

PERFORMANCE_MD = ROOT / "docs" / "performance.md"
SECTION = "## Wizard en check-API"
SUBSECTION = "### Verzoeken per seconde (wrk)"
NOW = "deze versie"
TODAY = "2026-11-26"
SEED = 2026


def half_filled(seed: int = SEED) -> tuple[dict, dict]:
    """The API body of a half-filled check, and the household's complete answers: the first random household
    whose walk asks at least 8 questions, walked until half of them are answered."""
    catalog = load_catalog_or_raise(ROOT)
    check = Check(catalog, dt.date.fromisoformat(TODAY))
    rng = random.Random(seed)
    while True:
        complete = household(rng)
        answers = halfway(check, complete, complete[TOPICS_QUESTION])
        if len(answers) - 1 >= 4:
            return {"answers": answers}, complete


# ---------------------------------------------------------------- in this process

def _best_us(call, repeat: int, rounds: int = 7) -> float:
    for _ in range(max(1, repeat // 10)):
        call()
    times = []
    for _ in range(rounds):
        started = time.thread_time()
        for _ in range(repeat):
            call()
        times.append((time.thread_time() - started) / repeat * 1e6)
    return min(times)


class AsgiCaller:
    """The app's ASGI callable with its lifespan running: one request at a time, no server, no sockets."""

    def __init__(self, app):
        self.app = app

    async def __aenter__(self) -> "AsgiCaller":
        self._events: asyncio.Queue = asyncio.Queue()
        self._started = asyncio.get_running_loop().create_future()
        self._stopped = asyncio.get_running_loop().create_future()
        await self._events.put({"type": "lifespan.startup"})

        async def send(message):
            if message["type"].startswith("lifespan.startup"):
                self._started.set_result(message)
            elif message["type"].startswith("lifespan.shutdown"):
                self._stopped.set_result(message)

        self._lifespan = asyncio.create_task(self.app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}},
                                                      self._events.get, send))
        message = await self._started
        if message["type"] != "lifespan.startup.complete":
            raise RuntimeError(f"the app did not start: {message}")
        return self

    async def __aexit__(self, *exc) -> None:
        await self._events.put({"type": "lifespan.shutdown"})
        await self._stopped
        await self._lifespan

    async def request(self, method: str, path: str, body: bytes = b"", content_type: str = "") -> tuple[int, bytes]:
        headers = [(b"host", b"127.0.0.1"), (b"content-length", str(len(body)).encode())]
        if content_type:
            headers.append((b"content-type", content_type.encode()))
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
                 "headers": headers, "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000), "state": {}}
        sent = False
        status, chunks = 0, []

        async def receive():
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(chunks)

    async def best_us(self, method: str, path: str, body: bytes, content_type: str, repeat: int,
                        rounds: int = 7) -> float:
        for _ in range(max(1, repeat // 10)):
            await self.request(method, path, body, content_type)
        times = []
        for _ in range(rounds):
            started = time.thread_time()
            for _ in range(repeat):
                status, _ = await self.request(method, path, body, content_type)
                if status != 200:
                    raise RuntimeError(f"{method} {path} answered {status}")
            times.append((time.thread_time() - started) / repeat * 1e6)
        return min(times)


def asgi_us(body: dict, data_dir: str, repeat: int) -> dict[str, float]:
    """µs of a whole request through the ASGI app, in this process (the web layer plus the engine), and of
    ``settle`` alone on the app's own catalogue, taken in turns; each the best round."""
    os.environ.update(server_env(data_dir))
    from catalogus.settings import Settings
    from catalogus.web.app import create_app

    app = create_app(Settings.from_env())
    payload = json.dumps(body).encode()

    async def measure() -> dict[str, float]:
        catalog, date = app.state.content.current.region.default_catalog, dt.date.fromisoformat(TODAY)
        found: dict[str, list[float]] = {"ping": [], "check": [], "settle": []}
        async with AsgiCaller(app) as caller:
            for _ in range(3):  # in turns, so that a busy moment on the machine hits all three
                found["ping"].append(await caller.best_us("GET", "/ping", b"", "", repeat * 4))
                found["check"].append(await caller.best_us("POST", "/api/v1/check", payload, "application/json",
                                                           repeat))
                found["settle"].append(_best_us(lambda: Check(catalog, date).settle(body["answers"]), repeat))
        return {name: min(values) for name, values in found.items()}

    return asyncio.run(measure())


_ELSEWHERE = """import json, sys
sys.path.insert(0, sys.argv[1])
import catalogus  # the earlier version's package; its modules load from there from now on
sys.path.insert(0, sys.argv[2])
from bench.bench_check_api import asgi_us
print(json.dumps(asgi_us(json.loads(sys.argv[3]), sys.argv[4], int(sys.argv[5]))))
"""


def asgi_us_of(code: Path, body: dict, data_dir: str, repeat: int) -> dict[str, float]:
    """``asgi_us`` for the code in another directory (``--before``), in a process of its own."""
    done = subprocess.run([sys.executable, "-c", _ELSEWHERE, str(code), str(ROOT), json.dumps(body), data_dir,
                           str(repeat)], capture_output=True, text=True, check=True, cwd=code,
                          env={**os.environ, "PYTHONPATH": ""})
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- against a server

def server_env(data_dir: str, code: Path = ROOT) -> dict[str, str]:
    return {"CATALOGUS_TODAY": TODAY, "CATALOGUS_SECURE_COOKIES": "false", "CATALOGUS_DATA_DIR": data_dir,
            "CATALOGUS_CONTENT_DIR": str(ROOT), "CATALOGUS_RELOAD": "false", "CATALOGUS_LOG_LEVEL": "WARNING",
            "CATALOGUS_SECRET_KEY": "bench-secret", "PYTHONPATH": str(code)}


@contextlib.contextmanager
def serve(code: Path, data_dir: Path):
    """One ``catalogus serve`` worker running the code in ``code`` (this checkout, or an earlier version to
    compare with) on this checkout's content; yields its base URL."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "catalogus.cli", "serve", "--port", str(port)], cwd=code,
                               env={**os.environ, **server_env(str(data_dir), code)}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server in {code} did not start")
            try:
                if httpx.get(url + "/ping", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def verify(base: str, body: dict) -> dict:
    """The check body is accepted: 200 with statuses for every product and a question still open."""
    response = httpx.post(base + "/api/v1/check", json=body, timeout=10)
    if response.status_code != 200:
        raise SystemExit(f"POST /api/v1/check answered {response.status_code}: {response.text[:500]}")
    data = response.json()
    if not data["results"] or data["next_question"] is None:
        raise SystemExit("the half-filled body is not half-filled: no results or nothing left to ask")
    return data


MANY = 500  # different half-filled households, one after the other: no cache sees the same answers twice in a row
MANY_NAME = f"POST /api/v1/check, {MANY} huishoudens"
FRESH_NAME = f"POST /api/v1/check, {MANY} huishoudens, nieuwe bedragen"
FRESH_AMOUNTS = ("netto_inkomen", "vermogen")  # every request another amount: never seen before, as a new resident


def many_bodies(count: int = MANY, seed: int = SEED + 1) -> list[str]:
    """Half-filled checks of ``count`` different random households, as JSON."""
    catalog = load_catalog_or_raise(ROOT)
    check = Check(catalog, dt.date.fromisoformat(TODAY))
    rng = random.Random(seed)
    found = []
    while len(found) < count:
        complete = household(rng)
        answers = halfway(check, complete, complete[TOPICS_QUESTION])
        if len(answers) - 1 >= 4:
            found.append(json.dumps({"answers": answers}, separators=(",", ":")))
    return found


_MANY: list[str] = []


def wrk_runs(body: dict) -> dict[str, tuple[str, dict]]:
    payload = json.dumps(body, separators=(",", ":"))
    if not _MANY:
        _MANY.extend(many_bodies())
    return {"GET /ping": ("/ping", {}),
            "POST /api/v1/check": ("/api/v1/check", {"method": "POST", "body": payload}),
            MANY_NAME: ("/api/v1/check", {"method": "POST", "bodies": _MANY}),
            FRESH_NAME: ("/api/v1/check", {"method": "POST", "bodies": _MANY, "fresh_amounts": FRESH_AMOUNTS}),
            "GET /check": ("/check", {})}


def measure_wrk(urls: dict[str, str], body: dict, args) -> dict[str, dict[str, list[dict]]]:
    """Every endpoint of every version with the same wrk settings, in ``args.rounds`` rounds taken in turns
    (so that a busy moment on the machine hits each version); every round measures ``/ping`` and the check
    right after each other. The wizard page is measured in the first round only."""
    found: dict[str, dict[str, list[dict]]] = {version: {name: [] for name in wrk_runs(body)} for version in urls}
    for round_ in range(args.rounds):
        for version, url in (urls.items() if round_ % 2 == 0 else reversed(urls.items())):
            for name, (path, options) in wrk_runs(body).items():
                if round_ and name == "GET /check":
                    continue
                if round_ == 0:
                    run_wrk(url, path, args.clients, args.warmup, threads=args.threads, **options)
                row = run_wrk(url, path, args.clients, args.seconds, threads=args.threads, **options)
                if row is None:
                    raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
                print(f"round {round_ + 1}, {version}, {name}: {row['rps']:.0f}/s, errors {row['errors']}, "
                      f"load {row['load']:.2f}", flush=True)
                found[version][name].append(row)
    return found


def summary(rounds: dict[str, list[dict]]) -> dict[str, dict]:
    """Per endpoint the median round (by requests per second, errors of all rounds), and its share of
    ``/ping``: the median of the rounds' own shares (each round's ping and check ran right after each other)."""
    ping = rounds["GET /ping"]
    found = {}
    for name, rows in rounds.items():
        middle = dict(sorted(rows, key=lambda r: r["rps"])[len(rows) // 2])
        middle["errors"] = sum(r["errors"] for r in rows)
        middle["rounds"] = len(rows)
        middle["share"] = statistics.median(r["rps"] / p["rps"] for r, p in zip(rows, ping))
        found[name] = middle
    return found


# ---------------------------------------------------------------- report

def wrk_table(versions: dict[str, dict[str, dict]]) -> list[str]:
    lines = ["| versie | endpoint | rondes | fouten | verzoeken/s | p50 ms | p95 ms | p99 ms | t.o.v. /ping | load |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for version, wrk in versions.items():
        for name, row in wrk.items():
            share = f"**{100 * row['share']:.0f}%**" if name.startswith("POST /api/v1/check") \
                else f"{100 * row['share']:.0f}%"
            lines.append(f"| {version} | `{name}` | {row['rounds']} | {row['errors']} | {row['rps']:.0f} | "
                         f"{row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} | {share} | {row['load']:.2f} |")
    return lines


def parts_table(local: dict[str, dict[str, float]], versions: dict[str, dict[str, dict]]) -> list[str]:
    names = list(local)
    rows = [("`Check.settle` alleen (de engine)", lambda v: local[v]["settle"]),
            ("`GET /ping` door de ASGI-app (vaste kosten van Litestar)", lambda v: local[v]["ping"]),
            ("`POST /api/v1/check` door de ASGI-app", lambda v: local[v]["check"]),
            ("daarvan de weblaag van de check (app − settle − ping)",
             lambda v: local[v]["check"] - local[v]["settle"] - local[v]["ping"]),
            ("per verzoek bij wrk: `GET /ping`", lambda v: 1e6 / versions[v]["GET /ping"]["rps"]),
            ("per verzoek bij wrk: `POST /api/v1/check`", lambda v: 1e6 / versions[v]["POST /api/v1/check"]["rps"])]
    lines = ["| deel | " + " | ".join(f"{v} µs" for v in names) + " |", "| --- |" + " ---: |" * len(names)]
    return lines + [f"| {label} | " + " | ".join(f"{value(v):.0f}" for v in names) + " |" for label, value in rows]


def report(args, body: dict, versions: dict[str, dict[str, dict]], local: dict[str, dict[str, float]],
           load_before) -> str:
    wrk = versions[NOW]
    ping, check = wrk["GET /ping"], wrk["POST /api/v1/check"]
    ratio = check["share"]
    answered = len(body["answers"]) - (TOPICS_QUESTION in body["answers"])
    per_ping, per_check = 1e6 / ping["rps"], 1e6 / check["rps"]
    lines = [SUBSECTION, "",
             f"`bench/bench_check_api.py`, {time.strftime('%Y-%m-%d %H:%M')}, {platform.machine()}, "
             f"{os.cpu_count()} cores, Python {platform.python_version()}. Eén `catalogus serve`-worker (SQLite, "
             f"tellen aan) op 127.0.0.1; `wrk` met {args.threads} threads en {args.clients} verbindingen, "
             f"{args.seconds:g} s per meting na {args.warmup:g} s opwarmen, alles in één run: {args.rounds} rondes "
             "`/ping` en check" + (f", om de beurt tegen de eerdere versie `{args.before_label}` en deze (beide "
                                     "servers draaien, de andere is stil)" if len(versions) > 1 else "")
             + "; per endpoint de middelste ronde (de mediaan; fouten van alle rondes samen), 't.o.v. /ping' is de "
             "mediaan van de verhouding per ronde (ping en check direct na elkaar)"
             + ". wrk draait op dezelfde 2 cores als de server, en soms draaien collega's daar tests of "
             f"metingen naast: load average {load_before[0]:.2f} vooraf, {os.getloadavg()[0]:.2f} achteraf, per "
             "meting in de kolom 'load'. Vergelijk alleen rijen uit één run.", "",
             *wrk_table(versions), "",
             f"`POST /api/v1/check` krijgt steeds dezelfde half ingevulde check: een willekeurig huishouden "
             f"(seed {SEED}) dat de check scherm voor scherm doorliep tot de helft van zijn vragen beantwoord was "
             f"({answered} antwoorden plus de onderwerpen {', '.join(body['answers'].get(TOPICS_QUESTION) or [])}; "
             "`tests/support/check_walk.py`). Het antwoord is vooraf gecontroleerd (200, alle producten, nog een "
             "vraag open); wrk telt elk antwoord vanaf 400 als fout. `GET /check` is de eerste pagina van de "
             "webwizard (een template, geen check).", "",
             f"`{MANY_NAME}` stuurt om de beurt {MANY} verschillende half ingevulde checks (andere seed). Die "
             "passen nog in de geheugens van de engine (uitkomsten per antwoorden die een regel leest, begrensd), "
             f"dus na de eerste ronde zijn ze daar bekend. `{FRESH_NAME}` geeft daarom in elk verzoek het netto "
             "inkomen en het vermogen (als de check ze al heeft) een nieuw willekeurig bedrag: zo is elk "
             "huishouden nieuw voor alles wat van bedragen afhangt, zoals bij een nieuwe inwoner. Dat is de "
             "eerlijkste maat; ja/nee-antwoorden, keuzes en leeftijden herhalen zich ook bij echte inwoners.", "",
             f"**Check-API t.o.v. /ping: {100 * ratio:.0f}%** met één huishouden, "
             f"**{100 * wrk[MANY_NAME]['share']:.0f}%** met {MANY} verschillende, "
             f"**{100 * wrk[FRESH_NAME]['share']:.0f}%** met steeds nieuwe bedragen (eis: ten minste 50%).", "",
             "Waar de tijd van één check-verzoek zit: in dit proces, zonder server en sockets, om de beurt "
             "gemeten als CPU-tijd van de thread (wat andere processen op de machine doen, telt zo minder mee), per "
             "onderdeel de beste ronde; en per verzoek bij wrk (1 / verzoeken per seconde, met de HTTP-server "
             "erbij):", "",
             *parts_table(local, versions), "",
             f"Voor 50% mag een check-verzoek bij wrk hoogstens twee keer zo lang duren als een ping "
             f"({2 * per_ping:.0f} µs); het duurt nu {per_check:.0f} µs, "
             + (f"dus er moet nog {per_check - 2 * per_ping:.0f} µs af, bij dezelfde ping. "
                if per_check > 2 * per_ping else
                f"{2 * per_ping - per_check:.0f} µs onder die grens (bij dezelfde ping). ")
             + "Wat een snellere ping (de vaste kosten van server en Litestar) wint, telt voor beide; wat er af "
             "moet, zit vooral in de engine.",
             "",
             "Wat de weblaag per check-verzoek niet (meer) doet: de URL's van de productpagina's en de vragen zoals de "
             "API ze toont, worden per catalogus één keer gemaakt, niet per verzoek; het antwoord wordt één keer "
             "met msgspec gecodeerd (geen tweede ronde door Litestars serializer); `snapshot` en `today` worden na "
             "elkaar geïnjecteerd, niet samen in een taakgroep; de beveiligingsheaders liggen al gecodeerd klaar; "
             "CSRF, sessie en templates slaan de JSON-API over; tellen voor de sturingsinformatie is een optelling "
             "in het geheugen (elke 2 s in één transactie weggeschreven), geen databasewerk in het verzoek.", ""]
    return "\n".join(lines)


def write_subsection(text: str) -> None:
    """Replace (or add) the subsection inside the section "Wizard en check-API"."""
    existing = PERFORMANCE_MD.read_text(encoding="utf-8")
    section = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    found = section.search(existing)
    if found is None:
        existing = existing.rstrip("\n") + f"\n\n{SECTION}\n\n"
        found = section.search(existing)
    body = found.group(0)
    sub = re.compile(rf"^{re.escape(SUBSECTION)}\n.*?(?=^### |^## |\Z)", re.S | re.M)
    body = sub.sub(lambda _: text + "\n", body) if sub.search(body) else body.rstrip("\n") + "\n\n" + text + "\n\n"
    PERFORMANCE_MD.write_text(existing[:found.start()] + body + existing[found.end():], encoding="utf-8")


def existing_subsection() -> str | None:
    """The subsection as it stands in docs/performance.md (``bench_wizard.py`` keeps it)."""
    text = PERFORMANCE_MD.read_text(encoding="utf-8") if PERFORMANCE_MD.exists() else ""
    found = re.search(rf"^{re.escape(SUBSECTION)}\n.*?(?=^### |^## |\Z)", text, re.S | re.M)
    return found.group(0).rstrip("\n") if found else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--clients", type=int, default=16, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of /ping and the check, in turns; best counts")
    parser.add_argument("--repeat", type=int, default=300, help="calls per round in this process")
    parser.add_argument("--before", type=Path, default=None,
                        help="also measure the code in this directory first (e.g. `git archive main | tar -x -C DIR`)")
    parser.add_argument("--before-label", default="main", help="how the report names --before")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()
    load_before = os.getloadavg()
    body, _complete = half_filled()
    codes = ({args.before_label: args.before.resolve()} if args.before else {}) | {NOW: ROOT}
    with tempfile.TemporaryDirectory() as tmp:
        with contextlib.ExitStack() as servers:
            urls = {}
            for number, (version, code) in enumerate(codes.items()):
                data = Path(tmp) / f"data{number}"
                data.mkdir(mode=0o700)
                urls[version] = servers.enter_context(serve(code, data))
                verify(urls[version], body)
            rounds = measure_wrk(urls, body, args)
        versions = {version: summary(found) for version, found in rounds.items()}
        local = {}
        for number, (version, code) in enumerate(codes.items()):
            local_dir = Path(tmp) / f"local{number}"
            local_dir.mkdir(mode=0o700)
            local[version] = (asgi_us(body, str(local_dir), args.repeat) if code == ROOT
                              else asgi_us_of(code, body, str(local_dir), args.repeat))
    text = report(args, body, versions, local, load_before)
    print(text)
    if not args.no_write:
        write_subsection(text)
        print(f"written to {PERFORMANCE_MD.relative_to(ROOT)}")
    return 0 if all(row["errors"] == 0 for wrk in versions.values() for row in wrk.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
