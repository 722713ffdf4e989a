"""The command line: a thin front end over the catalogue. Prints, sets exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..catalog import load_catalog
from .common import ROOT_OPTION, settings_for, today_of



@click.group(help="catalogus: producten- en dienstencatalogus sociaal domein.")
def main() -> None:
    pass


@main.command(help="Controleer alle inhoud en toon elke fout als pad:regel:kolom: CODE melding (hint).")
@ROOT_OPTION
def check(root: Path | None) -> None:
    settings = settings_for(root)
    catalog, diagnostics = load_catalog(settings.content_dir, today=today_of(settings))
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


from .accounts import purge, users  # noqa: E402  (staff accounts and retention)
from .keys import keys  # noqa: E402  (data keys)

main.add_command(users)
main.add_command(purge)
main.add_command(keys)

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
    catalog, diagnostics = load_catalog(settings.content_dir, today=today_of(settings))
    if catalog is None:
        for diagnostic in diagnostics:
            click.echo(str(diagnostic), err=True)
        click.echo("De inhoud heeft fouten; de server start niet. Los ze op en probeer het opnieuw.", err=True)
        sys.exit(1)
    if root is not None:  # the app factory reads its settings from the environment
        os.environ["CATALOGUS_CONTENT_DIR"] = str(root)
    # Every line the server writes is JSON (uvicorn's own lines too: log_config=None keeps it off logging).
    from ..logs import configure_logging, get_logger

    configure_logging(settings.log_level)
    if sys.stderr.isatty():  # someone is watching (make run): say where to look, in words
        cookies = ("alleen over https (CATALOGUS_SECURE_COOKIES=true)" if settings.secure_cookies
                   else "ook over http (CATALOGUS_SECURE_COOKIES=false)")
        click.echo(f"catalogus draait op http://{host}:{port}/ ({len(catalog.products)} producten); "
                   f"inlogcookies: {cookies}", err=True)
    get_logger("catalogus.cli").info("server_starting", port=port, workers=workers, products=len(catalog.products),
                                     secure_cookies=settings.secure_cookies, proxies=len(proxies))
    # No access log: URLs (search queries) may hold personal data; structured logging lives in the app.
    # Forwarded headers (X-Forwarded-For/-Proto) only from the proxies named in CATALOGUS_TRUSTED_PROXIES:
    # uvicorn's default trusts 127.0.0.1, so anyone on this machine could pick their own client address.
    uvicorn.run("catalogus.web.app:app_from_env", factory=True, host=host, port=port, access_log=False,
                server_header=False, log_level=settings.log_level.lower(), workers=workers, log_config=None,
                proxy_headers=bool(proxies), forwarded_allow_ips=",".join(proxies) or "")


from .search import COMMANDS as SEARCH_COMMANDS  # noqa: E402  (index, search, search-gaps)

for _command in SEARCH_COMMANDS:
    main.add_command(_command)

