"""``catalogus keys``: the data keys that encrypt referrals and TOTP secrets (new, check, rotate)."""

from __future__ import annotations

import sys

import click

from ..casework import sealing
from ..casework.crypto import DataKey
from ..casework.db import DatabaseError, open_database
from ..errors import StartupError
from ..settings import Settings


def open_or_exit(settings: Settings):
    """The database with its key ring, or the reason in Dutch on stderr and exit 1."""
    try:
        return open_database(settings)
    except StartupError as exc:
        click.echo(f"Fout: {exc}", err=True)
        sys.exit(1)
    except DatabaseError as exc:
        click.echo(f"Fout: de database is niet bereikbaar: {exc}", err=True)
        sys.exit(1)


@click.group(help="Beheer de sleutels waarmee aanmeldingen en tweestapsgeheimen versleuteld zijn.")
def keys() -> None:
    pass


@keys.command("new", help="Maak een nieuwe sleutel (base64) voor CATALOGUS_DATA_KEY; er wordt niets opgeslagen.")
def new() -> None:
    key = DataKey.new()
    click.echo(key.encoded)
    click.echo(f"sleutel-id {key.id}: bewaar hem als een wachtwoord, buiten de database en de back-up ervan.",
               err=True)


@keys.command("check", help="Controleer of alles wat versleuteld is, te ontsleutelen is; noem wat niet kan en "
                            "waarom (exit 1).")
def check() -> None:
    settings = Settings.from_env()
    db = open_or_exit(settings)
    try:
        with db.transaction(write=False) as tx:
            used = sealing.key_ids_in_use(tx)
        ring = db.keyring
        click.echo(f"Sleutels: {', '.join(ring.ids) or 'geen'} (versleutelt met {ring.active.id if ring.active else '-'})"
                   f"; in gebruik: " + (", ".join(f"{k or 'onversleuteld'} ({n})" for k, n in sorted(used.items()))
                                        or "nog niets"))
        problems = sealing.unreadable(db)
    finally:
        db.close()
    for problem in problems:
        click.echo(f"Niet te lezen: {problem.where}: {problem.reason}")
    if problems:
        click.echo(f"{len(problems)} waarde(n) niet te ontsleutelen. Zet de juiste sleutel terug "
                   f"({settings.key_file} of CATALOGUS_DATA_KEY).", err=True)
        sys.exit(1)
    click.echo("Alles is te ontsleutelen.")


@keys.command("rotate", help="Versleutel alles opnieuw met een nieuwe sleutel terwijl de server draait, en "
                             "ruim daarna de oude sleutel op.")
def rotate() -> None:
    settings = Settings.from_env()
    db = open_or_exit(settings)
    try:
        done = sealing.rotate(db, settings, say=click.echo)
    finally:
        db.close()
    old = ", ".join(done.retired) or "geen"
    click.echo(f"Klaar: {done.rewritten} waarde(n) opnieuw versleuteld met sleutel {done.new_key}; oude sleutel(s): "
               f"{old}" + (" (uit het sleutelbestand gehaald)." if not settings.data_key.strip() else "."))
