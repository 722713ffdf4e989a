"""Which columns are encrypted, the key ring of a database, sealing old plain text, rotation and checks.

``SEALED_FIELDS`` lists every encrypted column with its table and row key; the associated
data of a value is ``table.column:row``. ``attach_keyring`` runs when a database is opened:
it refuses to go on when the database holds encrypted data and there is no key at all, makes
a key on a first start, and seals what older versions stored as plain text.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Callable

from .crypto import DataKey, Keyring, Undecryptable, key_id_of, load_keyring, write_key_file
from .db import Database, Transaction
from ..errors import StartupError
from ..logs import get_logger
from ..settings import Settings

log = get_logger(__name__)
BATCH = 200


@dataclass(frozen=True)
class SealedField:
    table: str
    key: str
    column: str

    def context(self, row_key: object) -> str:
        return f"{self.table}.{self.column}:{row_key}"


REFERRAL = SealedField("referrals", "reference", "sealed")
CLOSING_NOTE = SealedField("referrals", "reference", "closing_note")
TOTP_SECRET = SealedField("users", "id", "totp_secret")
RESIDENT_ADDRESS = SealedField("resident_addresses", "access_id", "address")
SEALED_FIELDS = (REFERRAL, CLOSING_NOTE, TOTP_SECRET, RESIDENT_ADDRESS)


def keyring_of(db: Database) -> Keyring:
    keyring = getattr(db, "keyring", None)
    if keyring is None:
        raise RuntimeError("open the database with open_database(settings): it has no key ring")
    return keyring


def key_ids_in_use(tx: Transaction) -> dict[str, int]:
    """How many values each key id encrypts, over every sealed column (plain text counts as '')."""
    used: dict[str, int] = {}
    for field in SEALED_FIELDS:
        for row in tx.fetchall(f"SELECT {field.column} AS v FROM {field.table} WHERE {field.column} IS NOT NULL"):
            found = key_id_of(row["v"]) or ""
            used[found] = used.get(found, 0) + 1
    return used


def attach_keyring(db: Database, settings: Settings) -> Keyring:
    """Give ``db`` its key ring; raise ``StartupError`` when encrypted data has no key at all."""
    with db.transaction(write=False) as tx:
        used = {k for k in key_ids_in_use(tx) if k}
    keyring = load_keyring(settings.data_key, settings.key_file, create=not used)
    if used and not keyring.keys:
        ids = ", ".join(sorted(used))
        raise StartupError(f"De database bevat versleutelde gegevens, maar de sleutel ontbreekt (sleutel {ids}). "
                           f"Zet het sleutelbestand terug op {settings.key_file}, of geef de sleutel mee in "
                           "CATALOGUS_DATA_KEY. Zonder die sleutel zijn de aanmeldingen niet te lezen.",
                           "data_key_missing")
    db.keyring = keyring
    unknown = used - set(keyring.ids)
    if unknown:
        log.warning("data_key_unknown", count=len(unknown), key_id=sorted(unknown)[0])
    seal_plain_text(db, keyring)
    return keyring


def seal_plain_text(db: Database, keyring: Keyring) -> int:
    """Encrypt what an older version stored as plain text (referrals, TOTP secrets, addresses); return how many."""
    if keyring.active is None:
        return 0
    done = 0
    with db.transaction() as tx:
        for row in tx.fetchall("SELECT * FROM referrals_unsealed"):
            personal = {"name": row["name"], "phone": row["phone"], "email": row["email"], "note": row["note"],
                        "answers": json.loads(row["answers"]), "products": json.loads(row["products"]),
                        "reasons": json.loads(row["reasons"])}
            tx.execute("UPDATE referrals SET sealed = ?, phone_index = ?, email_index = ? WHERE reference = ?",
                       (keyring.encrypt(json.dumps(personal, ensure_ascii=False), REFERRAL.context(row["reference"])),
                        keyring.blind_index(row["phone"]), keyring.blind_index(row["email"]), row["reference"]))
            tx.execute("DELETE FROM referrals_unsealed WHERE reference = ?", (row["reference"],))
            done += 1
        for field in (TOTP_SECRET, RESIDENT_ADDRESS):
            for row in tx.fetchall(f"SELECT {field.key} AS k, {field.column} AS v FROM {field.table} "
                                   f"WHERE {field.column} IS NOT NULL"):
                if key_id_of(row["v"]) is None:
                    tx.execute(f"UPDATE {field.table} SET {field.column} = ? WHERE {field.key} = ?",
                               (keyring.encrypt(row["v"], field.context(row["k"])), row["k"]))
                    done += 1
    if done:
        log.info("plain_text_sealed", count=done)
    return done


# ---------------------------------------------------------------- checks

@dataclass(frozen=True)
class Unreadable:
    where: str       # "aanmelding VBS-..." or "gebruiker 3"
    reason: str


def unreadable(db: Database) -> list[Unreadable]:
    """Every value that cannot be decrypted with the key ring, and why (for ``catalogus keys check``)."""
    keyring = keyring_of(db)
    found = []
    labels = {"referrals": "aanmelding", "users": "tweestapsgeheim van gebruiker", "resident_addresses": "adres bij log"}
    with db.transaction(write=False) as tx:
        for field in SEALED_FIELDS:
            for row in tx.fetchall(f"SELECT {field.key} AS k, {field.column} AS v FROM {field.table} "
                                   f"WHERE {field.column} IS NOT NULL ORDER BY {field.key}"):
                try:
                    keyring.decrypt(row["v"], field.context(row["k"]))
                except Undecryptable as exc:
                    found.append(Unreadable(f"{labels[field.table]} {row['k']}", exc.reason))
    return found


# ---------------------------------------------------------------- rotation

@dataclass
class Rotation:
    new_key: str
    retired: list[str]
    rewritten: int


def rotate(db: Database, settings: Settings, *, say: Callable[[str], None] = lambda _: None,
           pause: float = 2.0) -> Rotation:
    """Re-encrypt everything with a new active key while servers keep running, then retire the old keys.

    With a key file: a new key is added (servers reading the file pick it up and keep reading
    the old ones), every value is rewritten in batches, and when no value needs an old key any
    more the old keys leave the file. With ``CATALOGUS_DATA_KEY`` the operator puts the new key
    first; the values are rewritten and the command says which old key can go.
    """
    keyring = keyring_of(db)
    from_file = not settings.data_key.strip()
    if from_file:
        old = [DataKey(k.id, k.secret, False) for k in keyring.keys.values()]
        new = DataKey.new()
        write_key_file(settings.key_file, [new, *old])
        keyring.refresh()
        say(f"Nieuwe sleutel {new.id} staat in {settings.key_file}; de oude blijven leesbaar tot alles over is.")
        time.sleep(pause)  # servers that were encrypting with the old key finish that first
    active = keyring.active
    rewritten = _rewrite_all(db, keyring, say)
    retired = [key_id for key_id in keyring.ids if key_id != active.id]
    if from_file:
        for _ in range(5):
            write_key_file(settings.key_file, [keyring.keys[active.id]])
            late = _rewrite_all(db, Keyring([*keyring.keys.values()]), say)  # a server wrote with an old key?
            rewritten += late
            if not late:
                break
        keyring.refresh()
    else:
        say("Alles is versleuteld met de eerste sleutel uit CATALOGUS_DATA_KEY; haal daar de andere weg.")
    log.info("data_key_rotated", rows=rewritten, key_id=active.id)
    return Rotation(active.id, retired, rewritten)


def _rewrite_all(db: Database, keyring: Keyring, say: Callable[[str], None]) -> int:
    """Rewrite every value not under the active key, a batch per transaction (servers keep writing meanwhile)."""
    active = keyring.active
    total = 0
    for field in SEALED_FIELDS:
        after: object = "" if field.key == "reference" else -1
        while True:
            with db.transaction() as tx:
                rows = tx.fetchall(f"SELECT {field.key} AS k, {field.column} AS v FROM {field.table} "
                                   f"WHERE {field.column} IS NOT NULL AND {field.column} NOT LIKE ? AND {field.key} > ? "
                                   f"ORDER BY {field.key} LIMIT ?", (f"v1.{active.id}.%", after, BATCH))
                changed = sum(_rewrite(tx, keyring, field, row) for row in rows)
            total += changed
            if changed:
                say(f"{field.table}.{field.column}: {changed} opnieuw versleuteld")
            if len(rows) < BATCH:
                break
            after = rows[-1]["k"]
    return total


def _rewrite(tx: Transaction, keyring: Keyring, field: SealedField, row: dict) -> int:
    try:
        plain = keyring.decrypt(row["v"], field.context(row["k"]))
    except Undecryptable:
        return 0  # no key reads it: left as it is, ``catalogus keys check`` names it
    values = [keyring.encrypt(plain, field.context(row["k"]))]
    extra = ""
    if field is REFERRAL:
        personal = json.loads(plain)
        extra = ", phone_index = ?, email_index = ?"
        values += [keyring.blind_index(personal.get("phone")), keyring.blind_index(personal.get("email"))]
    # Compare-and-set: a value a server changed meanwhile is not overwritten (the next sweep takes it).
    return tx.execute(f"UPDATE {field.table} SET {field.column} = ?{extra} WHERE {field.key} = ? AND {field.column} = ?",
                      (*values, row["k"], row["v"]))
