"""Referrals to the wijkteam: store, queue, assign, finish (with an outcome, undoable for a while) and retention.

This is the only place catalogus keeps personal data. Every read or change of a
referral writes an access-log row (``accesslog``, NEN 7513 style) in the same
transaction, so when the log cannot be written the read or change does not happen either.

The personal fields (name, phone, e-mail, note, answers, products, reasons) are stored as one
AES-GCM value (``sealing.REFERRAL``); a referral that cannot be decrypted comes back with
``problem`` saying why, never as an empty referral. A resident's address for the access log
is kept apart (``resident_addresses``, encrypted) and goes with the referral.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .contact import ContactDetails, FieldProblem, ReferralError
from .accesslog import (ACTIONS, SYSTEM, AccessEntry, Actor, NotAllowed, access_log, record_access,  # noqa: F401
                        require_casemanager)
from .crypto import Undecryptable
from .db import Database, IntegrityError, Transaction, to_utc, utcnow
from .sealing import CLOSING_NOTE, REFERRAL, keyring_of
from ..logs import get_logger

log = get_logger(__name__)

#: every consent text a resident ever agreed to, by version (a stored referral names its version);
#: {gemeente} is the resident's municipality
CONSENT_TEXTS = {
    "2026-1": ("Ik geef toestemming dat de gemeente Voorbeeldstad mijn antwoorden, de uitkomst van de check "
               "en mijn contactgegevens deelt met het wijkteam. Het wijkteam gebruikt deze gegevens alleen om "
               "contact met mij op te nemen en mij te helpen. De gegevens worden verwijderd 12 maanden nadat "
               "mijn aanmelding is afgerond."),
    "2026-2": ("Ik geef toestemming dat de gemeente {gemeente} mijn antwoorden, de uitkomst van de check "
               "en mijn contactgegevens deelt met het wijkteam van {gemeente}. Het wijkteam gebruikt deze "
               "gegevens alleen om contact met mij op te nemen en mij te helpen. De gegevens worden verwijderd "
               "12 maanden nadat mijn aanmelding is afgerond."),
}
CURRENT_CONSENT_VERSION = "2026-2"


def consent_text(version: str, municipality_name: str) -> str:
    """The consent text of a version as the resident of that municipality read it.

    >>> consent_text("2026-2", "Buurdorp").startswith("Ik geef toestemming dat de gemeente Buurdorp mijn")
    True
    """
    return CONSENT_TEXTS.get(version, "").replace("{gemeente}", municipality_name)
#: said when the consent box was not ticked: nothing is stored then
NO_CONSENT_MESSAGE = ("Zonder uw toestemming kunnen wij uw aanmelding niet naar het wijkteam sturen. Er is niets "
                      "opgeslagen. Zet een vinkje als u toestemming geeft.")
STATUSES = {"nieuw": "Nieuw", "in_behandeling": "In behandeling", "afgerond": "Afgerond"}
CHANNELS = ("online", "kcc")
#: what came of a referral, asked for at "Afronden"
OUTCOMES = {"opgepakt": "Opgepakt: het wijkteam helpt", "doorverwezen": "Doorverwezen naar een andere organisatie",
            "geen_contact": "Geen contact mogelijk", "geen_hulp": "De inwoner wil of hoeft geen hulp",
            "dubbel": "Dubbele aanmelding"}
UNDO_MINUTES = 10          # "Afronden" can be undone this long; then it is final
DUPLICATE_DAYS = 30        # another referral with the same phone or e-mail this close is shown
CLOSING_NOTE_MAX = 500
REASON_REQUIRED = "Niemand heeft deze aanmelding in behandeling genomen. Schrijf op waarom u hem toch afrondt."
RETENTION_MONTHS_FINISHED = 12
RETENTION_MONTHS_OPEN = 24

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: no 0/O, 1/I
REFERENCE_GROUPS = (4, 4, 2)  # 10 symbols x 5 bits = 50 bits
REFERENCE_PATTERN = re.compile(r"^VBS-[%s]{4}-[%s]{4}-[%s]{2}$" % ((REFERENCE_ALPHABET,) * 3))


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
    municipality: str | None          # whose referral: the resident's municipality (its wijkteam's queue)
    status: str
    assigned_to: int | None
    assigned_name: str | None
    assigned_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str | None = None
    finished_from: str | None = None
    closing_note: str = ""
    problem: str = ""                 # why the personal fields cannot be decrypted ("" when they can)
    duplicates: tuple[tuple[str, dt.datetime], ...] = ()   # (reference, created) with the same contact details
    # what the household was told: [{product, title, status, value, period, text}] and {per_year, products,
    # complete}; sealed with the other personal fields; None for referrals made before amounts existed
    amounts: list[dict[str, Any]] | None = None
    amounts_total: dict[str, Any] | None = None
    # asked when the household was urgent (sealed): may the wijkteam call, and how to reach them first
    safe_to_call: bool | None = None
    preferred: str | None = None
    # the reasons worded for the case manager ("Schulden: ja"), sealed; None for referrals made before them,
    # which show ``reasons`` (the resident's sentences) as they were stored
    professional_reasons: list[str] | None = None

    def undo_until(self) -> dt.datetime | None:
        """Until when "Afronden" can be undone (None when it is not finished)."""
        return self.finished_at + dt.timedelta(minutes=UNDO_MINUTES) if self.status == "afgerond" and \
            self.finished_at else None


class WrongStatus(ValueError):
    """The referral is not in a status that allows this step (e.g. finishing it twice)."""


class ReasonRequired(ValueError):
    """Finishing a referral nobody took needs a reason (the message says so to the case manager)."""


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


# ------------------------------------------------------------------ create

def create_referral(db: Database, contact: ContactDetails, *, consent: bool, answers: Mapping[str, Any],
                    products: Iterable[str], reasons: Iterable[str], urgent: bool, channel: str, actor: Actor,
                    consent_version: str = CURRENT_CONSENT_VERSION, catalog_version: str = "",
                    submission_key: str | None = None, now: dt.datetime | None = None,
                    amounts: Iterable[Mapping[str, Any]] = (), amounts_total: Mapping[str, Any] | None = None,
                    municipality: str, professional_reasons: Iterable[str] | None = None) -> Referral:
    """Store a referral and its access-log row in one transaction; without consent nothing is stored.

    A form sent twice with the same ``submission_key`` (a double click, a resend after a
    lost answer) gives back the referral it already made. ``amounts`` and ``amounts_total`` are the
    indicative figures the household saw, stored as they were told. ``reasons`` are the resident's sentences,
    ``professional_reasons`` the same reasons as the case manager reads them. ``municipality`` is the resident's: the
    referral lands in its wijkteam's queue and only its case managers see it.
    """
    if not consent:
        raise ReferralError([FieldProblem("consent", NO_CONSENT_MESSAGE)])
    if consent_version not in CONSENT_TEXTS:
        raise ValueError(f"unknown consent version {consent_version!r}")
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if channel == "kcc" and actor.role != "kcc":
        raise NotAllowed("only KCC staff can refer on a caller's behalf")
    if not municipality:
        raise ValueError("a referral belongs to a municipality")
    now = to_utc(now or utcnow())
    keyring = keyring_of(db)
    personal = json.dumps({"name": contact.name, "phone": contact.phone, "email": contact.email,
                           "note": contact.note, "safe_to_call": contact.safe_to_call,
                           "preferred": contact.preferred, "answers": dict(answers), "products": list(products),
                           "reasons": list(reasons), "amounts": [dict(a) for a in amounts],
                           "professional_reasons": None if professional_reasons is None else list(professional_reasons),
                           "amounts_total": None if amounts_total is None else dict(amounts_total)},
                          ensure_ascii=False)
    values = (keyring.blind_index(contact.phone), keyring.blind_index(contact.email), contact.contact_time,
              bool(urgent), channel, consent_version, catalog_version, now, actor.user_id, municipality)
    try:
        with db.transaction() as tx:
            earlier = _by_submission(tx, submission_key)
            if earlier is not None:
                return earlier
            for attempt in range(1, 6):
                reference = new_reference()
                sealed = keyring.encrypt(personal, REFERRAL.context(reference))
                inserted = tx.execute(
                    "INSERT INTO referrals (reference, sealed, phone_index, email_index, contact_time, urgent, "
                    "channel, consent_version, catalog_version, created_at, created_by, municipality, "
                    "submission_key) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (reference) DO NOTHING",
                    (reference, sealed, *values, submission_key))
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
    log.info("referral_created", reference=reference, channel=channel, urgent=bool(urgent), municipality=municipality)
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
    problem: str = ""
    duplicates: tuple[str, ...] = ()


def list_queue(db: Database, actor: Actor, *, status: str | None = None,
               now: dt.datetime | None = None) -> list[QueueItem]:
    """The queue of the actor's municipality: urgent first, then oldest first; optionally only one status."""
    municipality = _require_casemanager(actor)
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    keyring = keyring_of(db)
    with db.transaction() as tx:
        record_access(tx, actor, "list", None, to_utc(now or utcnow()), detail=status or "alle")
        rows = tx.fetchall(
            "SELECT r.reference, r.sealed, r.phone_index, r.email_index, r.urgent, r.status, r.channel, r.created_at, "
            "u.display_name AS assigned_name FROM referrals r LEFT JOIN users u ON u.id = r.assigned_to "
            "WHERE r.municipality = ? ORDER BY r.urgent DESC, r.created_at, r.reference", (municipality,))
    twins = _same_contact(rows)
    items = []
    for row in rows:
        if status and row["status"] != status:
            continue
        personal, problem = _open(keyring, row["reference"], row["sealed"])
        items.append(QueueItem(row["reference"], personal.get("name", ""), bool(row["urgent"]), row["status"],
                               row["channel"], row["created_at"], row["assigned_name"], problem,
                               tuple(twins.get(row["reference"], ()))))
    return items


def _same_contact(rows: list[dict]) -> dict[str, list[str]]:
    """For each referral, the others with the same phone or e-mail (blind index) within DUPLICATE_DAYS."""
    by_index: dict[str, list[dict]] = {}
    for row in rows:
        for index in {row["phone_index"], row["email_index"]} - {None}:
            by_index.setdefault(index, []).append(row)
    twins: dict[str, list[str]] = {}
    window = dt.timedelta(days=DUPLICATE_DAYS)
    for group in by_index.values():
        for row in group:
            for other in group:
                if other is not row and abs(other["created_at"] - row["created_at"]) <= window and \
                        other["reference"] not in twins.get(row["reference"], []):
                    twins.setdefault(row["reference"], []).append(other["reference"])
    return twins


def get_referral(db: Database, reference: str, actor: Actor, now: dt.datetime | None = None) -> Referral | None:
    """One referral of the actor's municipality with everything, or None when it has no such reference (another
    municipality's referral answers the same, and the attempt is logged). The view is logged."""
    municipality = _require_casemanager(actor)
    reference = normalise_reference(reference) or ""
    if not reference:
        return None
    now = to_utc(now or utcnow())
    with db.transaction() as tx:
        referral = _fetch(tx, reference, municipality)
        if referral is None:
            _log_denied(tx, actor, reference, now)
            return None
        record_access(tx, actor, "view", reference, now)
    return referral


def _log_denied(tx: Transaction, actor: Actor, reference: str, now: dt.datetime) -> None:
    """Log a case manager's attempt on another municipality's referral (a reference that does not exist at all
    is not logged: it names no one)."""
    if tx.fetchvalue("SELECT 1 FROM referrals WHERE reference = ?", (reference,)) is not None:
        record_access(tx, actor, "denied", reference, now, detail="aanmelding van een andere gemeente")


def assign(db: Database, reference: str, actor: Actor, now: dt.datetime | None = None) -> Referral:
    """"In behandeling nemen": assign to the actor (also taking it over from a colleague)."""
    return _change(db, reference, actor, now, "assign",
                   "UPDATE referrals SET status = 'in_behandeling', assigned_to = ?, assigned_at = ? "
                   "WHERE reference = ? AND municipality = ? AND status IN ('nieuw', 'in_behandeling')")


def finish(db: Database, reference: str, actor: Actor, now: dt.datetime | None = None, *,
           outcome: str = "opgepakt", reason: str = "") -> Referral:
    """"Afronden" with an outcome; the 12-month retention clock starts now. Undo: ``reopen`` (UNDO_MINUTES).

    A referral nobody took ("nieuw") needs a ``reason``: nobody should close a resident's
    request unseen without saying why.
    """
    municipality = _require_casemanager(actor)
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    now = to_utc(now or utcnow())
    reference = normalise_reference(reference) or ""
    reason = reason.strip()[:CLOSING_NOTE_MAX]
    keyring = keyring_of(db)
    with db.transaction() as tx:
        before = tx.fetchvalue("SELECT status FROM referrals WHERE reference = ? AND municipality = ?",
                               (reference, municipality))
        if before is None:
            _log_denied(tx, actor, reference, now)
    if before is None:  # raised after the transaction, so that the logged attempt is kept
        raise LookupError(reference)
    with db.transaction() as tx:
        if before == "afgerond":
            raise WrongStatus("Deze aanmelding is al afgerond.")
        if before == "nieuw" and not reason:
            raise ReasonRequired(REASON_REQUIRED)
        note = keyring.encrypt(reason, CLOSING_NOTE.context(reference)) if reason else None
        if tx.execute("UPDATE referrals SET status = 'afgerond', assigned_to = COALESCE(assigned_to, ?), "
                      "finished_at = ?, outcome = ?, finished_from = ?, closing_note = ? "
                      "WHERE reference = ? AND status = ? AND municipality = ?",
                      (actor.user_id, now, outcome, before, note, reference, before, municipality)) != 1:
            raise WrongStatus("Deze aanmelding is net door iemand anders gewijzigd.")
        record_access(tx, actor, "finish", reference, now, detail=outcome)
        referral = _fetch(tx, reference, municipality)
    log.info("referral_finish", reference=reference, user_id=actor.user_id, outcome=outcome)
    return referral


def reopen(db: Database, reference: str, actor: Actor, now: dt.datetime | None = None) -> Referral:
    """Undo "Afronden" within UNDO_MINUTES: back to the status it had, outcome and reason gone."""
    municipality = _require_casemanager(actor)
    now = to_utc(now or utcnow())
    reference = normalise_reference(reference) or ""
    with db.transaction() as tx:
        changed = tx.execute(
            "UPDATE referrals SET status = COALESCE(finished_from, 'in_behandeling'), finished_at = NULL, "
            "outcome = NULL, closing_note = NULL, "
            "assigned_to = CASE WHEN finished_from = 'nieuw' THEN NULL ELSE assigned_to END, "
            "assigned_at = CASE WHEN finished_from = 'nieuw' THEN NULL ELSE assigned_at END, finished_from = NULL "
            "WHERE reference = ? AND status = 'afgerond' AND finished_at >= ? AND municipality = ?",
            (reference, now - dt.timedelta(minutes=UNDO_MINUTES), municipality))
        missing = changed != 1 and _fetch(tx, reference, municipality) is None
        if missing:
            _log_denied(tx, actor, reference, now)
        elif changed != 1:
            raise WrongStatus(f"Afronden kan alleen de eerste {UNDO_MINUTES} minuten ongedaan worden gemaakt. "
                              "Daarna is het definitief.")
        else:
            record_access(tx, actor, "reopen", reference, now)
            referral = _fetch(tx, reference, municipality)
    if missing:  # raised after the transaction, so that the logged attempt is kept
        raise LookupError(reference)
    log.info("referral_reopen", reference=reference, user_id=actor.user_id)
    return referral


def _change(db: Database, reference: str, actor: Actor, now: dt.datetime | None, action: str, sql: str) -> Referral:
    """Run ``sql`` (parameters: user id, now, reference, municipality) on a referral of the actor's municipality."""
    municipality = _require_casemanager(actor)
    now = to_utc(now or utcnow())
    reference = normalise_reference(reference) or ""
    with db.transaction() as tx:
        changed = tx.execute(sql, (actor.user_id, now, reference, municipality)) == 1
        missing = not changed and _fetch(tx, reference, municipality) is None
        if missing:
            _log_denied(tx, actor, reference, now)
        elif not changed:
            raise WrongStatus("Deze aanmelding is al afgerond.")
        else:
            record_access(tx, actor, action, reference, now)
            referral = _fetch(tx, reference, municipality)
    if missing:  # raised after the transaction, so that the logged attempt is kept
        raise LookupError(reference)
    log.info("referral_" + action, reference=reference, user_id=actor.user_id)
    return referral


def _open(keyring: Any, reference: str, sealed: str | None) -> tuple[dict[str, Any], str]:
    """The personal fields of a referral, or ({}, why not) in Dutch."""
    if sealed is None:
        return {}, "deze aanmelding is nog niet versleuteld; start de server opnieuw"
    try:
        return json.loads(keyring.decrypt(sealed, REFERRAL.context(reference))), ""
    except Undecryptable as exc:
        log.error("referral_unreadable", reference=reference, key_id=exc.key_id or "-")
        return {}, exc.reason


def _fetch(tx: Transaction, reference: str, municipality: str | None = None) -> Referral | None:
    """A referral (of ``municipality`` when given: the one place that scoping is enforced for single reads)."""
    scoped = " AND r.municipality = ?" if municipality is not None else ""
    row = tx.fetchone(f"SELECT {_COLUMNS}, r.sealed, r.phone_index, r.email_index, r.closing_note AS closing_sealed, "
                      "u.display_name AS assigned_name FROM referrals r "
                      f"LEFT JOIN users u ON u.id = r.assigned_to WHERE r.reference = ?{scoped}",
                      (reference, *([municipality] if municipality is not None else [])))
    if row is None:
        return None
    keyring = keyring_of(tx.database)
    personal, problem = _open(keyring, reference, row.pop("sealed"))
    closing = row.pop("closing_sealed")
    note = ""
    if closing:
        try:
            note = keyring.decrypt(closing, CLOSING_NOTE.context(reference))
        except Undecryptable as exc:
            problem = problem or exc.reason
    indexes = [i for i in (row.pop("phone_index"), row.pop("email_index")) if i]
    twins: list[tuple[str, dt.datetime]] = []
    if indexes:
        marks = ", ".join("?" for _ in indexes)
        # Only the same municipality's: another team's referrals are not this team's to know about.
        for other in tx.fetchall(f"SELECT reference, created_at FROM referrals WHERE reference <> ? AND "
                                 f"municipality = ? AND (phone_index IN ({marks}) OR email_index IN ({marks})) "
                                 "ORDER BY created_at", (reference, row["municipality"], *indexes, *indexes)):
            if abs(other["created_at"] - row["created_at"]) <= dt.timedelta(days=DUPLICATE_DAYS):
                twins.append((other["reference"], other["created_at"]))
    return _referral(row, personal, note, problem, twins)


def _referral(row: dict, personal: dict, note: str, problem: str, twins: list) -> Referral:
    return Referral(**{**row, "urgent": bool(row["urgent"])}, name=personal.get("name", ""),
                    phone=personal.get("phone"), email=personal.get("email"), note=personal.get("note", ""),
                    answers=personal.get("answers", {}), products=personal.get("products", []),
                    reasons=personal.get("reasons", []), closing_note=note, problem=problem,
                    duplicates=tuple(twins), amounts=personal.get("amounts"),
                    amounts_total=personal.get("amounts_total"), safe_to_call=personal.get("safe_to_call"),
                    preferred=personal.get("preferred"), professional_reasons=personal.get("professional_reasons"))


_PERSONAL = {"name", "phone", "email", "note", "answers", "products", "reasons", "assigned_name", "closing_note",
             "problem", "duplicates", "amounts", "amounts_total", "safe_to_call", "preferred", "professional_reasons"}
_COLUMNS = ", ".join("r." + f for f in Referral.__dataclass_fields__ if f not in _PERSONAL)


def _require_casemanager(actor: Actor) -> str:
    return require_casemanager(actor)


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
    due = [row["reference"] for row in tx.fetchall(
        "SELECT reference FROM referrals WHERE (status = 'afgerond' AND finished_at < ?) "
        "OR (status <> 'afgerond' AND created_at < ?)",
        (months_before(now, RETENTION_MONTHS_FINISHED), months_before(now, RETENTION_MONTHS_OPEN)))]
    count = 0
    for reference in due:  # the resident's addresses go with it (the log rows stay, without an address)
        tx.execute("DELETE FROM resident_addresses WHERE reference = ?", (reference,))
        count += tx.execute("DELETE FROM referrals WHERE reference = ?", (reference,))
    record_access(tx, SYSTEM, "purge", None, now, detail=str(count))
    log.info("referrals_purged", count=count)
    return count
