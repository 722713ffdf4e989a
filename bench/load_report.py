"""The section "Belasting" of docs/performance.md, from the figures of ``bench/load_test.py``.

Not a benchmark itself (running it does nothing); ``load_test.py`` imports it.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import time
from pathlib import Path

from bench.report import write_section

ROOT = Path(__file__).resolve().parents[1]
PERFORMANCE_MD = ROOT / "docs" / "performance.md"
TITLE = "Belasting"
ORDER = ["GET /check", "POST /check", "POST /check/uitkomst", "GET /zoeken", "GET /api/v1/search",
         "POST /api/v1/check"]


OUTAGE = (
    "`tests/test_database_outage.py` (draait in `make test`). Een eigen PostgreSQL-wegwerpcluster stopt met "
    "`pg_ctl stop -m fast` terwijl 6 clients aanmeldingen versturen naar een draaiende `catalogus serve`, en start "
    "daarna weer. Tijdens de storing krijgt de inwoner het formulier terug, nog ingevuld, met \"Het lukt nu even "
    "niet. Probeer het later opnieuw.\" (HTTP 503 met `Retry-After`); inloggen en de pagina's voor medewerkers "
    "geven dezelfde 503-pagina, de JSON-API een JSON-fout 503. Na afloop staan in de database precies de "
    "aanmeldingen waarvoor een inwoner een kenmerk zag, elk met haar antwoorden en haar 'create'-regel in het "
    "toegangslog; zonder herstart lukken nieuwe aanmeldingen weer, en de sessie van de casemanager werkt nog. "
    "SQLite: houdt een ander proces de schrijfvergrendeling langer vast dan de wachttijd (busy timeout), dan "
    "volgt dezelfde 503; daarna lukt het weer.")


def machine() -> str:
    """CPU, cores, memory, OS, Python and SQLite of this machine, in one line."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:"))
        memory = f"{kib / 1024 / 1024:.0f} GB geheugen"
    except (OSError, StopIteration, ValueError):
        memory = "geheugen onbekend"
    return (f"{model or platform.machine()}, {os.cpu_count()} cores, {memory}, {platform.system()} "
            f"{platform.release()}, CPython {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def _ms(value: float) -> str:
    return f"{value:.1f}"


def _row(name: str, r: dict, base_rps: float | None = None, load: float | None = None) -> str:
    share = f" | {100 * r['rps'] / base_rps:.0f}%" if base_rps else " | —"
    load = r.get("load", load)
    return (f"| `{name}` | {r['requests']} | {r['errors']} | {r['rps']:.0f} | {_ms(r['p50'])} | {_ms(r['p95'])} | "
            f"{_ms(r['p99'])}{share} | {'' if load is None else f'{load:.1f}'} |")


def resident_table(residents, anchor, wrk: dict) -> str:
    rows = residents.summary()
    ping = anchor.summary().get("GET /ping")
    base = ping["rps"] if ping else None
    total = sum(r["requests"] for r in rows.values())
    lines = ["| endpoint | verzoeken | fouten | verzoeken/s | p50 ms | p95 ms | p99 ms | t.o.v. /ping | load |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    lines += [_row(name, rows[name], load=residents.extra.get("load")) for name in ORDER if name in rows]
    share = f"{100 * total / residents.seconds / base:.0f}%" if base else "—"
    lines.append(f"| **alles samen** | {total} | {residents.error_count()} | {total / residents.seconds:.0f} | | | | "
                 f"{share} | |")
    if ping:
        lines.append(_row("GET /ping", ping, base, anchor.extra.get("load"))
                     .replace("`GET /ping`", "`GET /ping` (anker, aparte meting)"))
    if wrk:
        lines += ["", "Dezelfde server met `wrk` (C, geen Python aan de clientkant; steeds dezelfde vraag):", "",
                  "| endpoint (wrk) | verzoeken | fouten | verzoeken/s | p50 ms | p95 ms | p99 ms "
                  "| t.o.v. /ping (wrk) | load |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        wrk_base = wrk.get("GET /ping", {}).get("rps")
        lines += [_row(name, r, wrk_base) for name, r in wrk.items()]
    return "\n".join(lines)


def referral_table(runs: list[dict]) -> str:
    lines = ["| database | workers | verzoeken | fouten | aanmeldingen/s | p50 ms | p95 ms | p99 ms | "
             "succes | opgeslagen | create-regels in het toegangslog | klopt | load |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"]
    for r in runs:
        lines.append(f"| {r['label']} | {r['workers']} | {r['requests']} | {r['errors']} | {r['rps']:.0f} | "
                     f"{_ms(r['p50'])} | {_ms(r['p95'])} | {_ms(r['p99'])} | {r['success']} | {r['stored']} | "
                     f"{r['created']} | {'ja' if r['ok'] else '**nee**'} | {r['load']:.1f} |")
    return "\n".join(lines)


def section(args, residents, anchor, wrk, runs, load_before, load_after, pg_version: str, *, postgres_mode: str,
            log_errors: int) -> str:
    load = lambda values: ", ".join(f"{x:.1f}" for x in values)  # noqa: E731
    checks = residents.extra.get("checks_done", 0)
    pg = {"auto": "in een eigen wegwerpcluster (scripts/pg-test-server.sh, `fsync=off`)"}.get(
        postgres_mode, "op de opgegeven server")
    command = (f".venv/bin/python bench/load_test.py --clients {args.clients} --seconds {args.seconds:g} "
               f"--referral-seconds {args.referral_seconds:g} --write")
    parts = [
        f"`bench/load_test.py`, {time.strftime('%Y-%m-%d')}. Machine: {machine()}"
        + (f", PostgreSQL {pg_version} {pg}" if pg_version else "")
        + f". Belasting (load average) vooraf {load(load_before)}, achteraf {load(load_after)}.",
        "",
        "De server start zoals `make run` hem start: `catalogus index`, dan `catalogus serve --host 127.0.0.1 "
        "--port N` (één proces, geen andere instellingen dan een nieuwe `CATALOGUS_DATA_DIR`). De "
        "belastinggenerator (asyncio + httpx, één verbinding per client) draait op dezelfde machine en deelt de "
        "cores met de server; de tijden zijn dus van verzenden tot het hele antwoord binnen is, inclusief de "
        "wachttijd in de generator zelf. Een fout is elk antwoord buiten 2xx/3xx, een verbindingsfout of een "
        "time-out. De kolom 'load' is de load average (1 minuut) aan het eind van die meting. Server en "
        "generator samen geven al ongeveer 2; met PostgreSQL en 2 workers zijn er meer processen bezig (tot 4). "
        "Ligt hij duidelijk hoger, dan draaide er ander werk mee en zijn de cijfers te laag.",
        "",
        f"### Inwoners: check, zoeken en check-API ({args.clients} clients, {residents.seconds:.0f} s)",
        "",
        "Elke client doorloopt de check als een inwoner (`GET /check`, per vraag een `POST /check` met de "
        "antwoorden van een willekeurig huishouden, dan `POST /check/uitkomst`), zoekt daarna drie keer "
        "(`/zoeken` en `/api/v1/search` met vragen uit de relevantieset) en vraagt drie keer `POST /api/v1/check` "
        f"met een half ingevuld huishouden; en dan opnieuw. Volledig doorlopen checks: {checks}. "
        f"Foutregels in het serverlog: {log_errors}.",
        "",
        resident_table(residents, anchor, wrk),
        "",
        "`/ping` is het goedkoopste endpoint van dezelfde server, gemeten met dezelfde clients direct erna: het "
        "verschil is het werk van de pagina's zelf (regels, zoeken, templates).",
    ]
    if runs:
        parts += [
            "",
            f"### Aanmeldingen ({args.clients} clients, {args.referral_seconds:g} s per database)",
            "",
            "`POST /aanmelden` met toestemming en steeds andere contactgegevens. Alle clients komen van 127.0.0.1, "
            "dus de limiet per adres staat voor deze meting hoog (`CATALOGUS_RATE_LIMIT_PER_MINUTE=100000000`). "
            "Na afloop: het aantal opgeslagen aanmeldingen moet gelijk zijn aan het aantal succesantwoorden (met "
            "dezelfde kenmerken), en elke aanmelding heeft haar 'create'-regel in het toegangslog.",
            "",
            referral_table(runs),
            "",
            "SQLite schrijft met `synchronous=FULL`: elke aanmelding is twee schrijftransacties (de limiet per "
            "adres en de aanmelding met haar logregel), één schrijver tegelijk.",
        ]
    parts += ["", "### Database weg tijdens aanmeldingen", "", OUTAGE]
    parts += ["", "Opnieuw meten (duurt ongeveer 5 minuten; `wrk` wordt gebruikt als het er is):", "", "```",
              command, "```", "",
              "`make test` draait een korte versie (10 clients, 5 s, nul fouten): `tests/test_load_smoke.py`."]
    return "\n".join(parts)


def write(body: str, path: Path = PERFORMANCE_MD) -> None:
    """Replace (or add) the section '## Belasting' of the performance report."""
    write_section(path, TITLE, body)
