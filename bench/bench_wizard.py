"""Benchmark of the check: screens and questions per topic choice, and requests per second.

1. Walks 200 random complete households screen by screen as the web wizard does (every question of
   ``next_step`` and the follow-ups its answers reveal, until there is none; the same core the API and
   the pages call) and reports per household the screens, the questions answered and the hindsight
   minimum, the means per number of topics, questions that could no longer matter, and whether every
   product in the chosen topics ends with the status it has under all answers.
Requests per second (``/api/v1/check`` against ``/ping``, with ``wrk``) are measured by
``bench/bench_check_api.py``; a Python load generator was itself the bottleneck there.

Writes the section "Wizard en check-API" of docs/performance.md and keeps the subsection that
``bench_check_api.py`` writes in it.
Run: ``.venv/bin/python bench/bench_wizard.py [--households 200] [--no-write]``.
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
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_check_api import SUBSECTION, existing_subsection  # noqa: E402
from catalogus.catalog import load_catalog_or_raise  # noqa: E402
from catalogus.check import Check  # noqa: E402
from tests.support.check_walk import walk  # noqa: E402
from tests.support.households import household  # noqa: E402

PERFORMANCE_MD = ROOT / "docs" / "performance.md"
SECTION = "## Wizard en check-API"
TODAY = "2026-11-26"


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


# ---------------------------------------------------------------- report

BEFORE = {1: 12.7, 2: 14.6}  # mean questions per topic choice with one question per page (issue 12)


def report(questions: dict, vocabulary: int) -> str:
    rows = questions["rows"]
    lines = [SECTION, "",
             f"`bench/bench_wizard.py`, {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}.", "",
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
              "toen ze op het scherm kwamen (geen open uitkomst in de onderwerpen en geen open routering leest "
              f"ze, ook niet via een `alleen_als`; uit de regels zelf, niet uit de rangschikking): **{sum(w.useless for _n, _t, w, _p in rows)}** "
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
    lines += ["", "</details>", ""]
    measured = existing_subsection()  # bench_check_api.py's figures stay until it measures again
    lines += [measured, ""] if measured else [f"{SUBSECTION}", "", "Nog niet gemeten: `.venv/bin/python "
                                              "bench/bench_check_api.py`.", ""]
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
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()
    questions = questions_per_topic_choice(args.households)
    catalog = load_catalog_or_raise(ROOT)
    text = report(questions, len(catalog.vocabulary) - 1)  # minus the topic question
    print(text)
    if not args.no_write:
        write_section(text)
        print(f"written to {PERFORMANCE_MD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
