"""CLI commands for search: ``catalogus index``, ``catalogus search`` and ``catalogus search-gaps``.

Registered on the main group in cli.py. Each command prints and sets the exit
code; the work happens in ``search.py`` and ``search_gaps.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .common import ROOT_OPTION, catalog_or_exit, settings_for
from ..casework.db import DatabaseError, open_database
from ..search.index import build_index, load_or_build, prune_indexes, write_index
from ..datadir import secret_key
from ..search.gaps import DatabaseGaps
from ..settings import Settings
from ..words import count

DATA_OPTION = click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                           help="map voor de zoekindex (standaard: CATALOGUS_DATA_DIR)")


@click.command(help="Bouw de zoekindex in <data-dir>/index/<inhoudsversie>/. De server gebruikt hem als de "
                    "inhoud niet veranderd is.")
@ROOT_OPTION
@DATA_OPTION
@click.option("--force", is_flag=True, help="bouw opnieuw, ook als de index voor deze versie al bestaat")
def index(root: Path | None, data_dir: Path | None, force: bool) -> None:
    settings = settings_for(root, data_dir)
    catalog = catalog_or_exit(settings)
    started = time.perf_counter()
    try:
        target = write_index(catalog, settings.data_dir, force=force)
        removed = prune_indexes(settings.data_dir, keep=catalog.version)
    except OSError as exc:
        click.echo(f"Fout: de zoekindex kan niet worden geschreven: {exc}", err=True)
        sys.exit(1)
    seconds = time.perf_counter() - started
    click.echo(f"Zoekindex voor inhoudsversie {catalog.version}: {target} "
               f"({count(len(catalog.products), 'product', 'producten')}, {seconds:.1f} s)"
               + (f"; {count(len(removed), 'oude index', 'oude indexen')} opgeruimd." if removed else "."))


@click.command(help="Zoek zoals een inwoner: toont de beste producten en waarom.")
@click.argument("query", nargs=-1, required=True, metavar="WOORDEN...")
@ROOT_OPTION
@DATA_OPTION
@click.option("--limit", type=click.IntRange(1, 50), default=5, show_default=True, help="hoogstens zoveel producten")
def search(query: tuple[str, ...], root: Path | None, data_dir: Path | None, limit: int) -> None:
    settings = settings_for(root, data_dir)
    catalog = catalog_or_exit(settings)
    try:
        found = load_or_build(catalog, settings.data_dir)
    except OSError:
        found = build_index(catalog)
    results = found.search(" ".join(query), limit=limit)
    if results.suggestion:
        click.echo(f"Bedoelde u: {results.suggestion}?")
    if not results.hits:
        click.echo("Niets gevonden.")
        return
    for hit in results.hits:
        click.echo(f"{hit.score:7.2f}  {hit.id}  ({hit.kind})  {hit.title}")
        click.echo(f"         {hit.snippet.text}")


@click.command("search-gaps", help="Toon woorden waarop inwoners zochten zonder iets te vinden, de vaakst gezochte "
                                   "eerst (alleen losse Nederlandse woorden na minstens 3 verschillende zoekvragen; "
                                   "nooit zoekvragen zelf). Voeg ze toe als zoekwoord of synoniem "
                                   "(rules/synoniemen.yaml).")
@click.option("--limit", type=click.IntRange(1, 1000), default=30, show_default=True,
              help="hoogstens zoveel woorden")
@click.option("--wis", "forget", is_flag=True, help="wis de lijst (bijvoorbeeld na het bijwerken van de synoniemen)")
def search_gaps(limit: int, forget: bool) -> None:
    settings = Settings.from_env()
    try:
        gaps = DatabaseGaps(open_database(settings), secret_key(settings))
        if forget:
            click.echo(f"{count(gaps.forget(), 'woord', 'woorden')} gewist.")
            return
        rows = gaps.top(limit)
    except DatabaseError as exc:
        click.echo(f"Fout: de database is niet bereikbaar: {exc}", err=True)
        sys.exit(1)
    if not rows:
        click.echo("Geen woorden zonder resultaat.")
        return
    click.echo(f"{'zoekvragen':>10}  woord")
    for word, times in rows:
        click.echo(f"{times:>10}  {word}")


COMMANDS = (index, search, search_gaps)
