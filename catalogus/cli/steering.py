"""``catalogus stuurinformatie``: the steering figures of a period as CSV or JSON (the page's download)."""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from ..steering import report as steering
from .common import region_or_exit, today_of
from ..settings import Settings


def _date(value: str | None, default: dt.date, name: str) -> dt.date:
    if value is None:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        click.echo(f"Fout: {name} moet een datum zijn als JJJJ-MM-DD, zoals 2026-11-01.", err=True)
        sys.exit(2)


@click.command("stuurinformatie", help="Anonieme cijfers over de check, aanmeldingen en zoeken, per periode en "
                                       "gemeente; aantallen onder 10 staan er als '< 10' (zoals op "
                                       "/medewerkers/stuurinformatie).")
@click.option("--van", default=None, metavar="JJJJ-MM-DD", help="eerste dag (standaard: 12 weken geleden)")
@click.option("--tot", default=None, metavar="JJJJ-MM-DD", help="laatste dag, die telt mee (standaard: vandaag)")
@click.option("--gemeente", "municipality", default=None, metavar="ID",
              help="alleen deze gemeente (de map gemeenten/<id>/); standaard de hele regio")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True,
              help="uitvoer als CSV of als JSON")
def stuurinformatie(van: str | None, tot: str | None, municipality: str | None, fmt: str) -> None:
    from .keys import open_or_exit

    settings = Settings.from_env()
    region = region_or_exit(settings)
    today = today_of(settings)
    period = steering.Period(_date(van, today - dt.timedelta(days=12 * 7 - 1), "--van"), _date(tot, today, "--tot"))
    if period.start > period.end:
        click.echo("Fout: --tot moet na --van liggen.", err=True)
        sys.exit(2)
    if municipality is not None and region.municipality(municipality) is None:
        click.echo(f"Fout: onbekende gemeente '{municipality}'. Gemeenten: {', '.join(region.ids)}.", err=True)
        sys.exit(2)
    catalog = region.catalog(municipality) if municipality else region.default_catalog
    name = region.municipality(municipality).name if municipality else region.name
    found = steering.build_report(open_or_exit(settings), catalog, period,
                                  [municipality] if municipality else region.ids, municipality, name)
    if fmt == "json":
        click.echo(json.dumps(steering.to_json(found), ensure_ascii=False, indent=2))
    else:
        click.echo(steering.to_csv(found), nl=False)
