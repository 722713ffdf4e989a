"""Referrals to the wijkteam: store, queue, assign, finish, the access log and retention.

This is the only place catalogus keeps personal data. Every read or change of a
referral writes an access-log row (NEN 7513 style) in the same transaction, so
when the log cannot be written the read or change does not happen either. The
access log is append-only: the database itself refuses UPDATE and DELETE.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .contact import ContactDetails, FieldProblem, ReferralError
from .db import Database, IntegrityError, Transaction, to_utc, utcnow
from ..logs import get_logger

log = get_logger(__name__)

CONSENT_TEXTS = {
    "2026-1": ("Ik geef toestemming dat de gemeente Voorbeeldstad mijn antwoorden, de uitkomst van de check "
               "en mijn contactgegevens deelt met het wijkteam. Het wijkteam gebruikt deze gegevens alleen om "
               "contact met mij op te nemen en mij te helpen. De gegevens worden verwijderd 12 maanden nadat "
               "mijn aanmelding is afgerond."),
}
CURRENT_CONSENT_VERSION = "2026-1"
#: said when the consent box was not ticked: nothing is stored then
NO_CONSENT_MESSAGE = ("Zonder uw toestemming kunnen wij uw aanmelding niet naar het wijkteam sturen. Er is niets "
                      "opgeslagen. Zet een vinkje als u toestemming geeft.")
STATUSES = {"nieuw": "Nieuw", "in_behandeling": "In behandeling", "afgerond": "Afgerond"}
CHANNELS = ("online", "kcc")
ACTIONS = ("create", "list", "view", "assign", "finish", "view-log", "purge")
RETENTION_MONTHS_FINISHED = 12
RETENTION_MONTHS_OPEN = 24

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: no 0/O, 1/I
REFERENCE_GROUPS = (4, 4, 2)  # 10 symbols x 5 bits = 50 bits
REFERENCE_PATTERN = re.compile(r"^VBS-[%s]{4}-[%s]{4}-[%s]{2}$" % ((REFERENCE_ALPHABET,) * 3))


@dataclass(frozen=True)
class Actor:
    """Who does something, for the access log: a staff member, a resident or the system."""

    user_id: int | None
    username: str
    role: str  # "casemanager", "kcc", "inwoner" or "systeem"
    address: str = ""

    @classmethod
    def resident(cls, address: str = "") -> "Actor":
        return cls(None, "inwoner", "inwoner", address)


SYSTEM = Actor(None, "systeem", "systeem")


@dataclass(frozen=True)
class Referral:
    reference: str
    name: str
    phone: str | None
    email: str | None
    contact_time: str
    note: str
    answers: dict[str, Any]
    products: list[str]
    reasons: list[str]
    urgent: bool
    channel: str
    consent_version: str
    catalog_version: str
    created_at: dt.datetime
    created_by: int | None
    status: str
    assigned_to: int | None
    assigned_name: str | None
    assigned_at: dt.datetime | None
    finished_at: dt.datetime | None
    # what the household was told (issue 13): [{product, title, status, value, period, text}] and
    # {per_year, products, complete}; None for referrals made before amounts existed
    amounts: list[dict[str, Any]] | None = None
    amounts_total: dict[str, Any] | None = None

    @property
    def consent_text(self) -> str:
        return CONSENT_TEXTS.get(self.consent_version, "")


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


class WrongStatus(ValueError):
    """The referral is not in a status that allows this step (e.g. finishing it twice)."""


def new_reference() -> str:
    """A random, unguessable reference like ``VBS-7K3Q-92XM-4P`` (50 bits from ``secrets``)."""
    groups = ("".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(n)) for n in REFERENCE_GROUPS)
    return "VBS-" + "-".join(groups)


def normalise_reference(text: str) -> str | None:
    """The reference in canonical form, or None when it cannot be one (no database lookup needed).

    >>> normalise_reference(" vbs-7k3q-92xm-4p "), normalise_reference("VBS-1")
    ('VBS-7K3Q-92XM-4P', None)
    """
    candidate = text.strip().upper()
    return candidate if REFERENCE_PATTERN.match(candidate) else None


# ------------------------------------------------------------------ access log

def record_access(tx: Transaction, actor: Actor, action: str, reference: str | None, now: dt.datetime,
                  detail: str = "") -> None:
    """Write one access-log row inside the caller's transaction (raises if it cannot)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown access-log action {action!r}")
    tx.execute("INSERT INTO access_log (at, user_id, username, role, action, reference, address, detail) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               (to_utc(now), actor.user_id, actor.username, actor.role, action, reference, actor.address[:100],
                detail[:200]))


def access_log(db: Database, reference: str, actor: Actor, now: dt.datetime | None = None) -> list[AccessEntry]:
    """The access log of one referral, oldest first (reading it is logged too)."""
    _require_casemanager(actor)
    now = now or utcnow()
    with db.transaction() as tx:
        record_access(tx, actor, "view-log", reference, now)
        rows = tx.fetchall("SELECT at, username, role, action, reference, address, detail FROM access_log "
                           "WHERE reference = ? ORDER BY at, id", (reference,))
    return [AccessEntry(**row) for row in rows]


# ------------------------------------------------------------------ create

def create_referral(db: Database, contact: ContactDetails, *, consent: bool, answers: Mapping[str, Any],
                    products: Iterable[str], reasons: Iterable[str], urgent: bool, channel: str, actor: Actor,
                    consent_version: str = CURRENT_CONSENT_VERSION, catalog_version: str = "",
                    submission_key: str | None = None, now: dt.datetime | None = None,
                    amounts: Iterable[Mapping[str, Any]] = (), amounts_total: Mapping[str, Any] | None = None
                    ) -> Referral:
    """Store a referral and its access-log row in one transaction; without consent nothing is stored.

    A form sent twice with the same ``submission_key`` (a double click, a resend after a
    lost answer) gives back the referral it already made. ``amounts`` and ``amounts_total`` are the
    indicative figures the household saw, stored as they were told.
    """
    if not consent:
        raise ReferralError([FieldProblem("consent", NO_CONSENT_MESSAGE)])
    if consent_version not in CONSENT_TEXTS:
        raise ValueError(f"unknown consent version {consent_version!r}")
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if channel == "kcc" and actor.role != "kcc":
        raise NotAllowed("only KCC staff can refer on a caller's behalf")
    now = to_utc(now or utcnow())
    values = (contact.name, contact.phone, contact.email, contact.contact_time, contact.note,
              json.dumps(dict(answers), ensure_ascii=False, sort_keys=True),
              json.dumps(list(products), ensure_ascii=False), json.dumps(list(reasons), ensure_ascii=False),
              bool(urgent), channel, consent_version, catalog_version, now, actor.user_id,
              json.dumps([dict(a) for a in amounts], ensure_ascii=False),
              None if amounts_total is None else json.dumps(dict(amounts_total), ensure_ascii=False))
    try:
        with db.transaction() as tx:
            earlier = _by_submission(tx, submission_key)
            if earlier is not None:
                return earlier
            for attempt in range(1, 6):
                reference = new_reference()
                inserted = tx.execute(
                    "INSERT INTO referrals (reference, name, phone, email, contact_time, note, answers, products, "
                    "reasons, urgent, channel, consent_version, catalog_version, created_at, created_by, "
                    "amounts, amounts_total, submission_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    "?, ?, ?) "
                    "ON CONFLICT (reference) DO NOTHING",
                    (reference, *values, submission_key))
                if inserted == 1:
                    break
                log.warning("reference_collision", attempt=attempt)
            else:  # pragma: no cover - five collisions in a 50-bit space
                raise RuntimeError("could not find a free reference")
            record_access(tx, actor, "create", reference, now)
            referral = _fetch(tx, reference)
    except IntegrityError:
        # The same form, sent twice at the same moment: the other request stored it.
        with db.transaction(write=False) as tx:
            earlier = _by_submission(tx, submission_key)
        if earlier is None:
            raise
        return earlier
    log.info("referral_created", reference=reference, channel=channel, urgent=bool(urgent))
    return referral


def _by_submission(tx: Transaction, submission_key: str | None) -> Referral | None:
    if not submission_key:
        return None
    reference = tx.fetchvalue("SELECT reference FROM referrals WHERE submission_key = ?", (submission_key,))
    return None if reference is None else _fetch(tx, reference)


# ------------------------------------------------------------------ read and change

@dataclass(frozen=True)
class QueueItem:
    reference: str
    name: str
    urgent: bool
    status: str
    channel: str
    created_at: dt.datetime
    assigned_name: str | None


def list_queue(db: Database, actor: Actor, *, status: str | None = None,
               now: dt.datetime | None = None) -> list[QueueItem]:
    """The queue: urgent first, then oldest first; optionally only one status."""
    _require_casemanager(actor)
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    where, params = ("WHERE r.status = ?", (status,)) if status else ("", ())
    with db.transaction() as tx:
        record_access(tx, actor, "list", None, to_utc(now or utcnow()), detail=status or "alle")
        rows = tx.fetchall(
            "SELECT r.reference, r.name, r.urgent, r.status, r.channel, r.created_at, "
            "u.display_name AS assigned_name FROM referrals r LEFT JOIN users u ON u.id = r.assigned_to "
            f"{where} ORDER BY r.urgent DESC, r.created_at, r.reference", params)
    return [QueueItem(**{**row, "urgent": bool(row["urgent"])}) for row in rows]


def get_referral(db: Database, reference: str, actor: Actor, now: dt.datetime | None = None) -> Referral | None:
    """One referral with everything, or None when there is no such reference. The view is logged."""
    _require_casemanager(actor)
    reference = normalise_reference(reference) or ""
    if not reference:
        return None
    with db.transaction() as tx:
        referral = _fetch(tx, reference)
        if referral is None:
            return None
        record_access(tx, actor, "view", reference, to_utc(now or utcnow()))
    return referral


def assign(db: Database, reference: str, actor: Actor, now: dt.datetime | None = None) -> Referral:
    """"In behandeling nemen": assign to the actor (also taking it over from a colleague)."""
    return _change(db, reference, actor, now, "assign",
                   "UPDATE referrals SET status = 'in_behandeling', assigned_to = ?, assigned_at = ? "
                   "WHERE reference = ? AND status IN ('nieuw', 'in_behandeling')")


def finish(db: Database, reference: str, actor: Actor, now: dt.datetime | None = None) -> Referral:
    """"Afronden": mark as finished; the 12-month retention clock starts now."""
    return _change(db, reference, actor, now, "finish",
                   "UPDATE referrals SET status = 'afgerond', assigned_to = COALESCE(assigned_to, ?), "
                   "finished_at = ? WHERE reference = ? AND status IN ('nieuw', 'in_behandeling')")


def _change(db: Database, reference: str, actor: Actor, now: dt.datetime | None, action: str, sql: str) -> Referral:
    _require_casemanager(actor)
    now = to_utc(now or utcnow())
    reference = normalise_reference(reference) or ""
    with db.transaction() as tx:
        if tx.execute(sql, (actor.user_id, now, reference)) != 1:
            if _fetch(tx, reference) is None:
                raise LookupError(reference)
            raise WrongStatus("Deze aanmelding is al afgerond.")
        record_access(tx, actor, action, reference, now)
        referral = _fetch(tx, reference)
    log.info("referral_" + action, reference=reference, user_id=actor.user_id)
    return referral


def _fetch(tx: Transaction, reference: str) -> Referral | None:
    row = tx.fetchone(f"SELECT {_COLUMNS}, u.display_name AS assigned_name FROM referrals r "
                      "LEFT JOIN users u ON u.id = r.assigned_to WHERE r.reference = ?", (reference,))
    if row is None:
        return None
    for key in ("answers", "products", "reasons"):
        row[key] = json.loads(row[key])
    for key in ("amounts", "amounts_total"):
        row[key] = json.loads(row[key]) if row[key] is not None else None
    row["urgent"] = bool(row["urgent"])
    return Referral(**row)


_COLUMNS = ", ".join("r." + f for f in Referral.__dataclass_fields__ if f != "assigned_name")


def _require_casemanager(actor: Actor) -> None:
    if actor.role != "casemanager":
        raise NotAllowed("only case managers can see referrals")


# ------------------------------------------------------------------ retention

def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same moment ``months`` calendar months earlier (clamped to the month's last day).

    >>> months_before(dt.datetime(2027, 2, 28, tzinfo=dt.timezone.utc), 12).date()
    datetime.date(2026, 2, 28)
    >>> months_before(dt.datetime(2026, 3, 31, tzinfo=dt.timezone.utc), 1).date()
    datetime.date(2026, 2, 28)
    """
    total = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def purge(db: Database, now: dt.datetime | None = None) -> int:
    """Delete referrals past retention; leave only the count in the access log. Return the count."""
    with db.transaction() as tx:
        return purge_in(tx, to_utc(now or utcnow()))


def purge_in(tx: Transaction, now: dt.datetime) -> int:
    """``purge`` inside an existing transaction (used by the scheduled job)."""
    count = tx.execute(
        "DELETE FROM referrals WHERE (status = 'afgerond' AND finished_at < ?) "
        "OR (status <> 'afgerond' AND created_at < ?)",
        (months_before(now, RETENTION_MONTHS_FINISHED), months_before(now, RETENTION_MONTHS_OPEN)))
    record_access(tx, SYSTEM, "purge", None, now, detail=str(count))
    log.info("referrals_purged", count=count)
    return count
