"""CLI commands for content editors: export, new, fmt, coverage, test.

Registered on the main group in cli.py. Each command prints and sets the exit
code; the work itself happens in the core modules.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import coverage as coverage_module
from .. import examples as examples_module
from .common import GEMEENTE_OPTION, ROOT_OPTION, catalog_or_exit, region_or_exit, settings_for, today_of
from ..exports import DEFAULT_BASE_URL, catalog_csv, catalog_json, write_schemas
from ..scaffold import ScaffoldError, format_files, new_product
from ..words import count

OUT_OPTION = click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
                          help="schrijf naar dit bestand (standaard: naar het scherm)")
BASE_URL_OPTION = click.option("--base-url", default=None,
                               help="adres van de website; productpagina's staan onder /producten/<id> "
                                    f"(standaard: CATALOGUS_PUBLIC_URL of {DEFAULT_BASE_URL})")


def _emit(text: str | bytes, out: Path | None) -> None:
    if out is None:
        click.echo(text.decode("utf-8") if isinstance(text, bytes) else text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    click.echo(f"Geschreven: {out}", err=True)


# ---------------------------------------------------------------- export

@click.group(help="Exporteer de catalogus: schema, sc (Samenwerkende Catalogi), json of csv.")
def export() -> None:
    pass


@export.command("schema", help="Schrijf JSON Schema voor productbestanden en elk bestand in rules/.")
@ROOT_OPTION
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="map voor de schema's (standaard: schema/ in de inhoudsmap)")
def export_schema(root: Path | None, out_dir: Path | None) -> None:
    target = out_dir or settings_for(root).content_dir / "schema"
    for file in write_schemas(target):
        click.echo(f"Geschreven: {file}")


@export.command("sc", help="Samenwerkende Catalogi 4.0 (XML) van alle producten van één gemeente.")
@ROOT_OPTION
@OUT_OPTION
@BASE_URL_OPTION
@click.option("--gemeente", "municipality", default=None, metavar="ID",
              help="in een regio: de gemeente (de map gemeenten/<id>/; standaard de standaardgemeente); zonder "
                   "regio: de naam van de gemeente (standaard: CATALOGUS_GEMEENTE of Voorbeeldstad)")
@click.option("--gemeente-uri", default=None,
              help="zonder regio: OWMS-URI van de gemeente (standaard: CATALOGUS_GEMEENTE_URI of "
                   "http://standaarden.overheid.nl/owms/terms/<gemeente>); in een regio staat hij in gemeente.yaml")
def export_sc(root: Path | None, out: Path | None, base_url: str | None, municipality: str | None,
              gemeente_uri: str | None) -> None:
    from ..sc import Publisher, render_sc_feed

    settings = settings_for(root)
    base_url = base_url or settings.public_url
    region = region_or_exit(settings)
    if region.single:
        catalog = region.default_catalog
        publisher = Publisher.named(base_url, municipality or settings.gemeente, gemeente_uri or settings.gemeente_uri)
    else:
        catalog = catalog_or_exit(settings, municipality)
        publisher = Publisher.of(base_url, catalog.municipality, region.municipality(region.central))
    _emit(render_sc_feed(catalog, base_url, publisher=publisher, date=today_of(settings)), out)


@export.command("json", help="De hele catalogus van één gemeente als JSON, zoals de API een product beschrijft.")
@ROOT_OPTION
@OUT_OPTION
@BASE_URL_OPTION
@GEMEENTE_OPTION
def export_json(root: Path | None, out: Path | None, base_url: str | None, municipality: str | None) -> None:
    settings = settings_for(root)
    catalog = catalog_or_exit(settings, municipality)
    _emit(catalog_json(catalog, base_url=(base_url or settings.public_url).rstrip("/") + catalog.municipality.prefix,
                       date=today_of(settings)), out)


@export.command("csv", help="Eén regel per product van één gemeente: id, titel, soort, domeinen, samenvatting, UPL, "
                            "wet, url, eigenaar.")
@ROOT_OPTION
@OUT_OPTION
@BASE_URL_OPTION
@GEMEENTE_OPTION
def export_csv(root: Path | None, out: Path | None, base_url: str | None, municipality: str | None) -> None:
    settings = settings_for(root)
    catalog = catalog_or_exit(settings, municipality)
    _emit(catalog_csv(catalog, base_url=(base_url or settings.public_url).rstrip("/") + catalog.municipality.prefix),
          out)


# ---------------------------------------------------------------- new, fmt

@click.group(help="Maak een nieuw bestand vanuit een sjabloon.")
def new() -> None:
    pass


@new.command("product", help="Maak products/<id>.yaml met elk veld en uitleg in commentaar.")
@click.argument("product_id", metavar="ID")
@ROOT_OPTION
def new_product_command(product_id: str, root: Path | None) -> None:
    settings = settings_for(root)
    try:
        path = new_product(settings.content_dir, product_id, today=today_of(settings))
    except ScaffoldError as exc:
        click.echo(f"Fout: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Gemaakt: {path}")
    click.echo("Vul de velden in en controleer met: catalogus check", err=True)


@click.command(help="Maak YAML-bestanden netjes op; commentaar blijft staan. Zonder paden: products/ en rules/.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[PADEN]...")
@click.option("--check", "check_only", is_flag=True, help="verander niets; meld welke bestanden anders zouden worden")
@click.option("--diff", "show_diff", is_flag=True, help="toon de wijzigingen")
@ROOT_OPTION
def fmt(paths: tuple[Path, ...], check_only: bool, show_diff: bool, root: Path | None) -> None:
    content_dir = settings_for(root).content_dir
    targets = list(paths) or [content_dir / "products", content_dir / "rules"]
    results = format_files(targets, write=not check_only)
    changed = [r for r in results if r.changed]
    broken = [r for r in results if r.diagnostics]
    for result in broken:
        for diagnostic in result.diagnostics or []:
            click.echo(f"niet opgemaakt: {diagnostic}", err=True)
    for result in changed:
        click.echo(f"{'zou veranderen' if check_only else 'opgemaakt'}: {result.path}")
        if show_diff:
            click.echo(result.diff, nl=False)
    verb = ("zou veranderen", "zouden veranderen") if check_only else ("opgemaakt", "opgemaakt")
    click.echo(f"{count(len(results), 'bestand', 'bestanden')}, {count(len(changed), *verb)}"
               + (f", {len(broken)} niet leesbaar" if broken else "") + ".", err=True)
    if broken or (check_only and changed):
        sys.exit(1)


# ---------------------------------------------------------------- coverage, test

@click.command(help="Welke voorwaarden de voorbeelden niet testen, welke nooit waar of nooit onwaar kunnen zijn, "
                    "en welke vragen en normen geen regel gebruikt. Stopt met code 1 bij onmogelijke voorwaarden.")
@ROOT_OPTION
@click.option("--alles", "verbose", is_flag=True, help="toon alle ongeteste voorwaarden per product")
def coverage(root: Path | None, verbose: bool) -> None:
    report = coverage_module.analyse(catalog_or_exit(settings_for(root)))
    click.echo(coverage_module.format_report(report, verbose=verbose))
    if not report.ok:
        sys.exit(1)


@click.command("test", help="Voer alle voorbeelden van alle producten uit en toon wat klopt (✓) en wat niet (✗).")
@ROOT_OPTION
@click.option("--product", "products", multiple=True, metavar="ID", help="alleen dit product (mag vaker)")
@click.option("--fouten", "only_failures", is_flag=True, help="toon alleen voorbeelden die niet kloppen")
def test_examples(root: Path | None, products: tuple[str, ...], only_failures: bool) -> None:
    settings = settings_for(root)
    region, diagnostics = examples_module.load_for_examples(settings.content_dir, today=today_of(settings))
    if region is None:
        for diagnostic in diagnostics:
            if diagnostic.is_error:
                click.echo(str(diagnostic), err=True)
        click.echo("De inhoud bevat fouten; de voorbeelden kunnen niet worden uitgevoerd.", err=True)
        sys.exit(1)
    known = {pid for catalog in region.catalogs.values() for pid in catalog.products}
    unknown = [p for p in products if p not in known]
    if unknown:
        click.echo(f"Onbekend product: {', '.join(unknown)}", err=True)
        sys.exit(1)
    results = examples_module.run_region_examples(region, products or None)
    click.echo(examples_module.format_report(results, only_failures=only_failures))
    tested = {r.product_id for r in results}
    without = sorted(pid for pid in (products or known) if pid not in tested)
    if without:
        click.echo(f"Zonder voorbeelden: {', '.join(without)}")
    if any(not r.passed for r in results):
        sys.exit(1)


COMMANDS = (export, new, fmt, coverage, test_examples)
