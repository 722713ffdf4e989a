"""Search beside a plain Whoosh index without our analysis: relevance and speed on the real catalogue.

Run: .venv/bin/python bench/bench_search_plain.py [--rounds 5] [--write]

The plain index has the same fields and the same text per field (``synonyms.search_fields``),
analysed with Whoosh's ``StandardAnalyzer`` (lower case, stop words of English, no stemming,
no compound splitting, no synonyms, no typo tolerance), no field boosts, Whoosh's default
BM25F scoring, and the query parsed by ``MultifieldParser`` over those fields: once with its
default (every word must occur, AND) and once with any word (OR). Ours is
``SearchIndex.search`` with everything it does (analysis, synonyms, typos, scoring,
snippets and facets). Both answer every query of tests/search_relevance.yaml.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from whoosh.analysis import StandardAnalyzer  # noqa: E402
from whoosh.fields import ID, TEXT, Schema  # noqa: E402
from whoosh.filedb.filestore import RamStorage  # noqa: E402
from whoosh.qparser import MultifieldParser, OrGroup  # noqa: E402

from bench.report import write_section  # noqa: E402
from bench.bench_search import EXPECTED, QUERIES, percentile  # noqa: E402
from bench.load_report import machine  # noqa: E402
from catalogus.catalog import Catalog, load_catalog_or_raise  # noqa: E402
from catalogus.search.index import build_index  # noqa: E402
from catalogus.search.synonyms import search_fields  # noqa: E402

DATE = dt.date(2026, 11, 26)
FIELDS = ["title", "keywords", "upl", "summary", "body", "meta"]


class PlainIndex:
    """What a developer gets from Whoosh out of the box, over the same product text."""

    def __init__(self, catalog: Catalog, *, any_word: bool):
        schema = Schema(id=ID(stored=True, unique=True), **{name: TEXT(analyzer=StandardAnalyzer())
                                                            for name in FIELDS})
        self.ix = RamStorage().create_index(schema)
        writer = self.ix.writer()
        for product in catalog.sorted_products():
            writer.add_document(id=product.id, **search_fields(product.content))
        writer.commit()
        group = {"group": OrGroup} if any_word else {}
        self.parser = MultifieldParser(FIELDS, schema, **group)
        self.searcher = self.ix.searcher()

    def ids(self, text: str, limit: int = 10) -> list[str]:
        return [hit["id"] for hit in self.searcher.search(self.parser.parse(text), limit=limit)]


class OurIndex:
    def __init__(self, catalog: Catalog):
        self.index = build_index(catalog)

    def ids(self, text: str, limit: int = 10) -> list[str]:
        return [hit.id for hit in self.index.search(text, limit=limit).hits]


def measure(name: str, engine, rounds: int) -> dict:
    first, again, top1, top3 = [], [], 0, 0
    for round_number in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            found = engine.ids(query)
            (first if round_number == 0 else again).append(time.perf_counter() - started)
            if round_number == 0:
                top1 += found[:1] == [EXPECTED[query]]
                top3 += EXPECTED[query] in found[:3]
    return {"name": name, "top1": top1 / len(QUERIES), "top3": top3 / len(QUERIES), "first": first,
            "again": again or first}


def report(rows: list[dict], products: int, rounds: int) -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [f"`bench/bench_search_plain.py`, {time.strftime('%Y-%m-%d')}. Machine: {machine()}; belasting (load "
             f"average) na de meting {load}. {len(QUERIES)} zoekvragen uit tests/search_relevance.yaml op de echte "
             f"catalogus ({products} producten), {rounds} rondes.", "",
             "| zoeken | top 1 | top 3 | p50 eerste keer | p95 eerste keer | p50 herhaald | p95 herhaald |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        ms = [f"{percentile(r[key], share) * 1000:.2f} ms" for key in ("first", "again") for share in (.5, .95)]
        lines.append(f"| {r['name']} | {r['top1']:.0%} | {r['top3']:.0%} | " + " | ".join(ms) + " |")
    lines += ["", "Kale Whoosh: dezelfde velden en dezelfde tekst per veld, `StandardAnalyzer` (kleine letters, "
              "Engelse stopwoorden; geen stammen, geen samenstellingen splitsen, geen synoniemen, geen "
              "tikfouten), geen gewichten per veld, standaard BM25F, de zoekvraag via `MultifieldParser` "
              "(standaard: alle woorden moeten voorkomen; 'OR': één woord is genoeg). Die tijden zijn alleen "
              "zoeken en de ids lezen; onze tijden zijn alles wat de zoekpagina nodig heeft (analyse, synoniemen, "
              "tikfouten, scoren, fragmenten met markering, facetten). 'Eerste keer': elke vraag voor het eerst "
              "(onze caches koud); 'herhaald': dezelfde vragen in de volgende rondes.", "",
              "Opnieuw meten: `.venv/bin/python bench/bench_search_plain.py --write`."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="write the figures into docs/performance.md")
    args = parser.parse_args()
    catalog = load_catalog_or_raise(ROOT, today=DATE)
    rows = [measure("catalogus (onze analyse)", OurIndex(catalog), args.rounds),
            measure("kale Whoosh, alle woorden (standaard)", PlainIndex(catalog, any_word=False), args.rounds),
            measure("kale Whoosh, één woord is genoeg (OR)", PlainIndex(catalog, any_word=True), args.rounds)]
    text = report(rows, len(catalog.products), args.rounds)
    print(text)
    if args.write:
        write_section(ROOT / "docs" / "performance.md", "Zoeken naast kale Whoosh", text)


if __name__ == "__main__":
    main()
