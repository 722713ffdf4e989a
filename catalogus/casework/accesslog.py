"""The access log (NEN 7513 style): who saw or changed which referral, when and from where.

Append-only: the database refuses UPDATE and DELETE on ``access_log``. A resident's address
is not written into it but into ``resident_addresses`` (encrypted, deleted with the referral),
because the consent text promises that the resident's data goes after 12 months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .crypto import Undecryptable
from .db import Database, Transaction, to_utc, utcnow
from .sealing import RESIDENT_ADDRESS, keyring_of

#: "denied": a case manager asked for a referral of another municipality (answered as if it did not exist)
ACTIONS = ("create", "list", "view", "assign", "finish", "reopen", "view-log", "purge", "denied")


@dataclass(frozen=True)
class Actor:
    """Who does something, for the access log: a staff member, a resident or the system."""

    user_id: int | None
    username: str
    role: str  # "casemanager", "kcc", "inwoner" or "systeem"
    address: str = ""
    municipality: str | None = None  # whose team (None: the whole region); a case manager sees only its referrals

    @classmethod
    def resident(cls, address: str = "") -> "Actor":
        return cls(None, "inwoner", "inwoner", address)


SYSTEM = Actor(None, "systeem", "systeem")


@dataclass(frozen=True)
class AccessEntry:
    at: dt.datetime
    username: str
    role: str
    action: str
    reference: str | None
    address: str
    detail: str


class NotAllowed(PermissionError):
    """This actor may not do this (wrong role)."""


def require_casemanager(actor: Actor) -> str:
    """The municipality whose referrals this case manager may see (fails closed without one)."""
    if actor.role != "casemanager":
        raise NotAllowed("only case managers can see referrals")
    if not actor.municipality:
        raise NotAllowed("a case manager belongs to one municipality")
    return actor.municipality


def record_access(tx: Transaction, actor: Actor, action: str, reference: str | None, now: dt.datetime,
                  detail: str = "") -> None:
    """Write one access-log row inside the caller's transaction (raises if it cannot).

    A resident's address goes to ``resident_addresses`` (encrypted, deleted with the referral),
    never into the append-only log: the consent text promises deletion.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown access-log action {action!r}")
    resident = actor.role == "inwoner"
    access_id = tx.fetchvalue(
        "INSERT INTO access_log (at, user_id, username, role, action, reference, address, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (to_utc(now), actor.user_id, actor.username, actor.role, action, reference,
         "" if resident else actor.address[:100], detail[:200]))
    if resident and actor.address and reference:
        sealed = keyring_of(tx.database).encrypt(actor.address[:100], RESIDENT_ADDRESS.context(access_id))
        tx.execute("INSERT INTO resident_addresses (access_id, reference, address) VALUES (?, ?, ?)",
                   (access_id, reference, sealed))


def access_log(db: Database, reference: str, actor: Actor, now: dt.datetime | None = None
               ) -> list[AccessEntry] | None:
    """The access log of one referral of the actor's municipality, oldest first (reading it is logged too);
    None when the actor's municipality has no such referral (that attempt is logged)."""
    municipality = require_casemanager(actor)
    now = now or utcnow()
    keyring = keyring_of(db)
    with db.transaction() as tx:
        owner = tx.fetchvalue("SELECT municipality FROM referrals WHERE reference = ?", (reference,))
        if owner != municipality:
            if owner is not None:
                record_access(tx, actor, "denied", reference, now, detail="logboek van een andere gemeente")
            return None
        record_access(tx, actor, "view-log", reference, now)
        rows = tx.fetchall("SELECT a.id, a.at, a.username, a.role, a.action, a.reference, a.address, a.detail, "
                           "r.address AS resident_address FROM access_log a "
                           "LEFT JOIN resident_addresses r ON r.access_id = a.id "
                           "WHERE a.reference = ? ORDER BY a.at, a.id", (reference,))
    entries = []
    for row in rows:
        sealed = row.pop("resident_address")
        access_id = row.pop("id")
        if sealed:
            try:
                row["address"] = keyring.decrypt(sealed, RESIDENT_ADDRESS.context(access_id))
            except Undecryptable:
                row["address"] = "(niet te ontsleutelen)"
        entries.append(AccessEntry(**row))
    return entries
