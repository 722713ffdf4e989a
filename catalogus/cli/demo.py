"""``catalogus demo``: one staff account per role with a fresh random password, for a local try-out only.

Running it again is safe: existing demo accounts get a new password (and must set up
two-step verification again), so the printed passwords are always the ones that work.
The passwords are printed once and stored nowhere but as argon2 hashes.
"""

from __future__ import annotations

import secrets
import sys

import click

from ..casework import accounts
from ..casework.db import open_database
from ..settings import Settings

PREFIX = "demo-"
WARNING = ("Alleen om lokaal te proberen: wie deze uitvoer ziet, kan inloggen. Maak voor een echte site accounts "
           "met 'catalogus users add' en zet de demo-accounts uit met 'catalogus users disable'.")


def demo_username(role: str) -> str:
    return PREFIX + role


def one_time_password(username: str) -> str:
    """A random password that meets the password rule (accounts.password_problems)."""
    while True:
        password = secrets.token_urlsafe(12)  # 16 characters, about 96 bits
        if not accounts.password_problems(password, username):
            return password


def make_demo_accounts(db, municipalities: list[str]) -> list[tuple[accounts.User, str]]:
    """Create (or reset) demo-<role> for every role in accounts.ROLES, and for a role that belongs to one
    municipality one account per municipality (demo-casemanager for the first, the default one, then
    demo-casemanager-<id>); return each account with its password."""
    existing = {user.username for user in accounts.list_users(db)}
    made = []
    for role, label in accounts.ROLES.items():
        places: list[str | None] = list(municipalities) if role in accounts.MUNICIPAL_ROLES else [None]
        for i, municipality in enumerate(places):
            username = demo_username(role) + (f"-{municipality}" if i else "")
            password = one_time_password(username)
            if username in existing:
                user = accounts.reset_password(db, username, password, reset_totp=True)
            else:
                name = f"Demo {label}" + (f" {municipality}" if municipality else "")
                user = accounts.add_user(db, username, name, role, password, municipality=municipality)
            made.append((user, password))
    return made


@click.command(help="Maak voor elke rol een demo-account (demo-kcc, demo-casemanager, ...) met een nieuw, "
                    "willekeurig wachtwoord dat één keer op het scherm komt. Alleen om lokaal te proberen. "
                    "Nog eens uitvoeren geeft de demo-accounts nieuwe wachtwoorden.")
@click.option("--force", is_flag=True,
              help="ook uitvoeren als CATALOGUS_DATABASE_URL naar een PostgreSQL-database wijst")
def demo(force: bool) -> None:
    settings = Settings.from_env()
    if settings.database_url:
        if not force:
            click.echo("Fout: CATALOGUS_DATABASE_URL wijst naar een PostgreSQL-database, dus waarschijnlijk naar "
                       "een echte site. catalogus demo maakt accounts waarvan het wachtwoord op het scherm komt. "
                       "Is dit echt een database om te proberen? Gebruik dan --force.", err=True)
            sys.exit(1)
        click.echo("LET OP: demo-accounts in de PostgreSQL-database van CATALOGUS_DATABASE_URL (--force).", err=True)
    from ..region import load_region
    from .common import today_of

    region, _diagnostics = load_region(settings.content_dir, today=today_of(settings), single_name=settings.gemeente)
    if region is None:
        click.echo("Fout: de inhoud heeft fouten; los ze eerst op (catalogus check).", err=True)
        sys.exit(1)
    made = make_demo_accounts(open_database(settings), region.ids)
    width = max(len(user.username) for user, _password in made) + 2
    label_width = max(len(accounts.ROLES[user.role]) for user, _password in made) + 2
    click.echo(f"Demo-accounts. {WARNING}\n")
    click.echo(f"  {'gebruikersnaam':<{width}}{'rol':<{label_width}}{'gemeente':<16}wachtwoord")
    for user, password in made:
        click.echo(f"  {user.username:<{width}}{accounts.ROLES[user.role]:<{label_width}}"
                   f"{user.municipality or 'hele regio':<16}{password}")
    click.echo("\nInloggen: /medewerkers/inloggen (na make run: http://127.0.0.1:8000/medewerkers/inloggen).\n"
               "Een casemanager stelt bij de eerste keer inloggen een app voor tweestapsverificatie in.\n"
               "De wachtwoorden staan nergens opgeslagen; voer catalogus demo opnieuw uit voor nieuwe.")
