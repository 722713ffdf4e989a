"""The command line: a thin front end over the catalogue. Prints, sets exit codes."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .catalog import load_catalog
from .settings import Settings

ROOT_OPTION = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                           help="map met products/ en rules/ (standaard: CATALOGUS_CONTENT_DIR of de huidige map)")


def _settings(root: Path | None) -> Settings:
    settings = Settings.from_env()
    return settings.with_(content_dir=root) if root is not None else settings


def _today(settings: Settings) -> dt.date:
    return dt.date.fromisoformat(settings.today) if settings.today else dt.date.today()


@click.group(help="catalogus: producten- en dienstencatalogus sociaal domein.")
def main() -> None:
    pass


@main.command(help="Controleer alle inhoud en toon elke fout als pad:regel:kolom: CODE melding (hint).")
@ROOT_OPTION
def check(root: Path | None) -> None:
    settings = _settings(root)
    catalog, diagnostics = load_catalog(settings.content_dir, today=_today(settings))
    for diagnostic in diagnostics:
        click.echo(str(diagnostic))
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    if catalog is None:
        click.echo(f"{errors} fout(en), {warnings} waarschuwing(en).", err=True)
        sys.exit(1)
    click.echo(f"In orde: {len(catalog.products)} producten, {len(catalog.vocabulary)} vragen, "
               f"{len(catalog.norms.norms)} normen" + (f", {warnings} waarschuwing(en)." if warnings else "."),
               err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
