"""The command line: a thin front end over the catalogue. Prints, sets exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import dutch

dutch.install()  # before any option is made: click.Path takes its (Dutch) name when it is created

from ..region import load_region  # noqa: E402
from ..words import count  # noqa: E402
from .common import ROOT_OPTION, settings_for, today_of  # noqa: E402



@click.group(help="catalogus: producten- en dienstencatalogus sociaal domein.")
def main() -> None:
    pass


@main.command(help="Controleer alle inhoud en toon elke fout als pad:regel:kolom: CODE melding (hint). In een "
                   "regio: de catalogus van elke gemeente.")
@ROOT_OPTION
def check(root: Path | None) -> None:
    settings = settings_for(root)
    region, diagnostics = load_region(settings.content_dir, today=today_of(settings), single_name=settings.gemeente)
    for diagnostic in diagnostics:
        click.echo(str(diagnostic))
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = sum(1 for d in diagnostics if d.severity == "warning")
    if region is None:
        click.echo(problem_summary(diagnostics), err=True)
        sys.exit(1)
    catalog = region.default_catalog
    line = (f"In orde: {count(len(catalog.products), 'product', 'producten')}, "
            f"{count(len(catalog.vocabulary), 'vraag', 'vragen')}, {count(len(catalog.norms.norms), 'norm', 'normen')}")
    if not region.single:
        each = [f"{m.name} {count(len(region.catalogs[m.id].products), 'product', 'producten')}"
                for m in region.municipalities]
        line = (f"In orde: {region.name}, {count(len(each), 'gemeente', 'gemeenten')} ({', '.join(each)}); "
                f"{count(len(catalog.vocabulary), 'vraag', 'vragen')}, "
                f"{count(len(catalog.norms.norms), 'norm', 'normen')}")
    click.echo(line + (f", {count(warnings, 'waarschuwing', 'waarschuwingen')}." if warnings else "."), err=True)


def problem_summary(diagnostics) -> str:
    """'3 fouten in 2 bestanden, 1 waarschuwing, 1 opmerking.' (what is not zero after the errors)."""
    errors = [d for d in diagnostics if d.is_error]
    files = len({d.path for d in errors})
    parts = [f"{count(len(errors), 'fout', 'fouten')} in {count(files, 'bestand', 'bestanden')}"]
    warnings = sum(1 for d in diagnostics if d.severity == "warning")
    notes = sum(1 for d in diagnostics if d.severity == "info")
    if warnings:
        parts.append(count(warnings, "waarschuwing", "waarschuwingen"))
    if notes:
        parts.append(count(notes, "opmerking", "opmerkingen"))
    return ", ".join(parts) + "."


from .accounts import purge, users  # noqa: E402  (staff accounts and retention)
from .keys import keys  # noqa: E402  (data keys)

main.add_command(users)
main.add_command(purge)
main.add_command(keys)

from .demo import demo  # noqa: E402  (demo accounts for a local try-out)

main.add_command(demo)

from .steering import stuurinformatie  # noqa: E402  (steering figures)

main.add_command(stuurinformatie)

from .editor import COMMANDS as EDITOR_COMMANDS  # noqa: E402  (export, new, fmt, coverage, test)

for _command in EDITOR_COMMANDS:
    main.add_command(_command)


@main.command(help="Start de website en de JSON-API. Start niet als de inhoud fouten heeft.")
@ROOT_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="adres om op te luisteren")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="poort")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="aantal serverprocessen; sessies, blokkades en limieten staan in de database")
def serve(root: Path | None, host: str, port: int, workers: int) -> None:
    import os

    import uvicorn

    from ..casework.db import DatabaseError, open_database
    from ..datadir import PRIVATE_UMASK, check_data_dir
    from ..errors import StartupError

    os.umask(PRIVATE_UMASK)  # everything this server writes (database, keys, index) is for its own user only
    settings = settings_for(root)
    try:
        proxies = settings.proxy_addresses
        check_data_dir(settings.data_dir)
        open_database(settings).close()  # migrations, the data key and its checks, once, before any worker
    except (StartupError, ValueError) as exc:
        click.echo(f"De server start niet: {exc}", err=True)
        sys.exit(1)
    except DatabaseError as exc:
        click.echo(f"De server start niet: de database is niet bereikbaar ({exc}).", err=True)
        sys.exit(1)
    region, diagnostics = load_region(settings.content_dir, today=today_of(settings), single_name=settings.gemeente)
    if region is None:
        for diagnostic in diagnostics:
            click.echo(str(diagnostic), err=True)
        click.echo("De inhoud heeft fouten; de server start niet. Los ze op en probeer het opnieuw.", err=True)
        sys.exit(1)
    catalog = region.default_catalog
    if root is not None:  # the app factory reads its settings from the environment
        os.environ["CATALOGUS_CONTENT_DIR"] = str(root)
    # Every line the server writes goes through our logging (uvicorn's too: log_config=None keeps it there):
    # JSON lines, or readable lines when someone watches the terminal.
    from ..logs import configure_logging, get_logger

    configure_logging(settings.log_level)
    address = served_address(host, port)
    if sys.stderr.isatty():  # someone is watching (make run): say where to look, in words
        for line in serve_announcement(address, settings.secure_cookies, len(catalog.products), region):
            click.echo(line, err=True)
    get_logger("catalogus.cli").info("server_starting", listen=address, secure_cookies=settings.secure_cookies,
                                     port=port, workers=workers, products=len(catalog.products),
                                     municipalities=len(region.municipalities), proxies=len(proxies))
    # No access log: URLs (search queries) may hold personal data; structured logging lives in the app.
    # Forwarded headers (X-Forwarded-For/-Proto) only from the proxies named in CATALOGUS_TRUSTED_PROXIES:
    # uvicorn's default trusts 127.0.0.1, so anyone on this machine could pick their own client address.
    uvicorn.run("catalogus.web.app:app_from_env", factory=True, host=host, port=port, access_log=False,
                server_header=False, log_level=settings.log_level.lower(), workers=workers, log_config=None,
                proxy_headers=bool(proxies), forwarded_allow_ips=",".join(proxies) or "")


from .search import COMMANDS as SEARCH_COMMANDS  # noqa: E402  (index, search, search-gaps)

for _command in SEARCH_COMMANDS:
    main.add_command(_command)

dutch.localise(main)


def served_address(host: str, port: int) -> str:
    """The address to open in a browser: http://host:port/ (IPv6 in brackets)."""
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve_announcement(address: str, secure_cookies: bool, products: int, region=None) -> list[str]:
    """Plain Dutch lines for the person who starts the server: where it runs (each municipality of a region)
    and how cookies travel.

    >>> serve_announcement("http://127.0.0.1:8000/", False, 1)[0]
    'catalogus draait op http://127.0.0.1:8000/ (1 product); stoppen met Ctrl+C.'
    """
    everywhere = " (op elk netwerkadres van deze computer)" if "//0.0.0.0:" in address or "//[::]:" in address else ""
    first = f"catalogus draait op {address}{everywhere} ({count(products, 'product', 'producten')}); stoppen met Ctrl+C."
    lines = [first]
    if region is not None and not region.single:
        places = ", ".join(f"{m.name} {address.rstrip('/')}{m.prefix}/" for m in region.municipalities)
        lines.append(f"{region.name}: {places}.")
    if secure_cookies:
        second = ("Cookies gaan alleen over HTTPS (CATALOGUS_SECURE_COOKIES=true). Zonder HTTPS werkt inloggen alleen "
                  "op localhost; om op een ander adres over http te testen: CATALOGUS_SECURE_COOKIES=false.")
    else:
        second = ("Cookies gaan ook over gewone http (CATALOGUS_SECURE_COOKIES=false): alleen voor testen, "
                  "nooit voor een echte site.")
    return [*lines, second]
