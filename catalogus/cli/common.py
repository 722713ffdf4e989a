"""What every CLI command needs: the --root option, settings, today's date and a valid catalogue."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..catalog import Catalog
from ..region import Region, load_region
from ..settings import Settings

ROOT_OPTION = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                           help="map met products/ en rules/ (standaard: CATALOGUS_CONTENT_DIR of de huidige map)")


def settings_for(root: Path | None, data_dir: Path | None = None) -> Settings:
    """Settings from CATALOGUS_* variables, with --root and --data-dir on top."""
    settings = Settings.from_env()
    if root is not None:
        settings = settings.with_(content_dir=root)
    return settings.with_(data_dir=data_dir) if data_dir is not None else settings


def today_of(settings: Settings) -> dt.date:
    return dt.date.fromisoformat(settings.today) if settings.today else dt.date.today()


def region_or_exit(settings: Settings) -> Region:
    """Every municipality's valid catalogue, or the checker's errors on stderr and exit 1."""
    region, diagnostics = load_region(settings.content_dir, today=today_of(settings), single_name=settings.gemeente)
    if region is None:
        for diagnostic in diagnostics:
            if diagnostic.is_error:
                click.echo(str(diagnostic), err=True)
        click.echo("De inhoud bevat fouten; los ze eerst op (catalogus check).", err=True)
        sys.exit(1)
    return region


def catalog_or_exit(settings: Settings, municipality: str | None = None) -> Catalog:
    """The valid catalogue of a municipality (the default one without an id), or why not and exit 1."""
    region = region_or_exit(settings)
    if municipality is None or region.single:
        return region.default_catalog
    if region.municipality(municipality) is None:
        click.echo(f"Onbekende gemeente '{municipality}'. Gemeenten in {region.name}: {', '.join(region.ids)}.",
                   err=True)
        sys.exit(1)
    return region.catalog(municipality)


GEMEENTE_OPTION = click.option("--gemeente", "municipality", default=None, metavar="ID",
                               help="in een regio: de gemeente (de map gemeenten/<id>/; standaard de standaardgemeente)")
