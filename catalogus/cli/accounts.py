"""CLI commands for staff accounts and retention: ``catalogus users ...`` and ``catalogus purge``.

Registered on the main group in cli.py. Passwords are prompted twice without echo,
or read from standard input with ``--password-stdin`` (for scripts); never from an argument.
"""

from __future__ import annotations

import sys

import click

from ..casework import accounts, referrals

from ..settings import Settings
from ..words import count

PASSWORD_STDIN = click.option("--password-stdin", is_flag=True,
                              help="lees het wachtwoord van standaardinvoer (de eerste regel) in plaats van te vragen")


def _database():
    from .keys import open_or_exit

    return open_or_exit(Settings.from_env())


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Wachtwoord", hide_input=True, confirmation_prompt="Wachtwoord nogmaals")


def _fail(exc: Exception) -> None:
    click.echo(f"Fout: {exc}", err=True)
    sys.exit(1)


@click.group(help=f"Beheer accounts van medewerkers (rollen: {', '.join(accounts.ROLES)}).")
def users() -> None:
    pass


@users.command("add", help="Maak een account. Casemanagers en beleidsadviseurs stellen bij de eerste keer inloggen een "
                           "tweestapsverificatie-app in. In een regio hoort een casemanager bij één gemeente.")
@click.argument("username", metavar="GEBRUIKERSNAAM")
@click.option("--name", "display_name", required=True, help="volledige naam, zoals collega's die zien")
@click.option("--role", type=click.Choice(sorted(accounts.ROLES)), required=True,
              help="wat de medewerker mag: " + "; ".join(f"{role} = {label}" for role, label in accounts.ROLES.items()))
@click.option("--gemeente", "municipality", default=None, metavar="ID",
              help="de gemeente van het team (de map gemeenten/<id>/); verplicht voor een casemanager in een regio, "
                   "zonder werkt een KCC-medewerker, redacteur of beleidsadviseur voor de hele regio (een "
                   "beleidsadviseur met een gemeente ziet alleen de cijfers van die gemeente)")
@PASSWORD_STDIN
def add(username: str, display_name: str, role: str, municipality: str | None, password_stdin: bool) -> None:
    municipality = _municipality_or_exit(municipality, role)
    db = _database()
    try:
        user = accounts.add_user(db, username, display_name, role, _read_password(password_stdin),
                                 municipality=municipality)
    except accounts.AccountError as exc:
        _fail(exc)
    where = f", gemeente {user.municipality}" if user.municipality else ""
    click.echo(f"Account {user.username} ({accounts.ROLES[user.role]}{where}) is aangemaakt.")


@users.command("gemeente", help="Zet een account in het team van een andere gemeente (of, zonder ID, van de hele "
                                "regio). De medewerker moet opnieuw inloggen.")
@click.argument("username", metavar="GEBRUIKERSNAAM")
@click.argument("municipality", metavar="ID", required=False)
def move(username: str, municipality: str | None) -> None:
    municipality = _municipality_or_exit(municipality, None)
    try:
        user = accounts.set_municipality(_database(), username, municipality)
    except accounts.AccountError as exc:
        _fail(exc)
    click.echo(f"{user.username} hoort nu bij {'gemeente ' + user.municipality if user.municipality else 'de hele regio'}.")


def _municipality_or_exit(municipality: str | None, role: str | None) -> str | None:
    """A municipality id of this installation's region (a case manager outside a region: the one municipality)."""
    from ..region import load_region
    from .common import today_of

    settings = Settings.from_env()
    region, _diagnostics = load_region(settings.content_dir, today=today_of(settings), single_name=settings.gemeente)
    if region is None:
        _fail(ValueError("de inhoud heeft fouten, dus de gemeenten zijn niet bekend; los ze op (catalogus check)"))
    if municipality is None:
        return region.default.id if region.single and role in accounts.MUNICIPAL_ROLES else None
    if region.municipality(municipality) is None:
        _fail(ValueError(f"onbekende gemeente '{municipality}'; gemeenten: {', '.join(region.ids)}"))
    return municipality


@users.command(help="Zet een account uit en beëindig al zijn sessies.")
@click.argument("username", metavar="GEBRUIKERSNAAM")
def disable(username: str) -> None:
    try:
        user = accounts.disable_user(_database(), username)
    except accounts.AccountError as exc:
        _fail(exc)
    click.echo(f"Account {user.username} staat uit.")


@users.command("reset-password", help="Geef een account een nieuw wachtwoord (zet het ook weer aan en "
                                      "heft een blokkade op).")
@click.argument("username", metavar="GEBRUIKERSNAAM")
@click.option("--reset-totp", is_flag=True, help="laat de gebruiker tweestapsverificatie opnieuw instellen")
@PASSWORD_STDIN
def reset_password(username: str, reset_totp: bool, password_stdin: bool) -> None:
    db = _database()
    try:
        user = accounts.reset_password(db, username, _read_password(password_stdin), reset_totp=reset_totp)
    except accounts.AccountError as exc:
        _fail(exc)
    click.echo(f"Het wachtwoord van {user.username} is gewijzigd; alle sessies zijn beëindigd.")


@users.command("list", help="Toon alle accounts.")
def list_() -> None:
    for user in accounts.list_users(_database()):
        state = "uit" if user.disabled else "aan"
        totp = "ja" if user.totp_enrolled else "nee"
        click.echo(f"{user.username}\t{user.role}\t{user.municipality or 'regio'}\t{state}\ttweestaps: {totp}\t"
                   f"{user.display_name}")


@click.command(help="Verwijder aanmeldingen 12 maanden na afronden en niet-afgeronde aanmeldingen na 24 "
                    "maanden. Alleen het aantal blijft in het toegangslog.")
def purge() -> None:
    removed = referrals.purge(_database())
    click.echo(f"{count(removed, 'aanmelding', 'aanmeldingen')} verwijderd.")
