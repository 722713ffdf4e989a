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


@users.command("add", help="Maak een account. Casemanagers stellen bij de eerste keer inloggen een "
                           "tweestapsverificatie-app in.")
@click.argument("username", metavar="GEBRUIKERSNAAM")
@click.option("--name", "display_name", required=True, help="volledige naam, zoals collega's die zien")
@click.option("--role", type=click.Choice(sorted(accounts.ROLES)), required=True,
              help="wat de medewerker mag: " + "; ".join(f"{role} = {label}" for role, label in accounts.ROLES.items()))
@PASSWORD_STDIN
def add(username: str, display_name: str, role: str, password_stdin: bool) -> None:
    db = _database()
    try:
        user = accounts.add_user(db, username, display_name, role, _read_password(password_stdin))
    except accounts.AccountError as exc:
        _fail(exc)
    click.echo(f"Account {user.username} ({accounts.ROLES[user.role]}) is aangemaakt.")


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
        click.echo(f"{user.username}\t{user.role}\t{state}\ttweestaps: {totp}\t{user.display_name}")


@click.command(help="Verwijder aanmeldingen 12 maanden na afronden en niet-afgeronde aanmeldingen na 24 "
                    "maanden. Alleen het aantal blijft in het toegangslog.")
def purge() -> None:
    removed = referrals.purge(_database())
    click.echo(f"{count(removed, 'aanmelding', 'aanmeldingen')} verwijderd.")
