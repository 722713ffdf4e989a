"""Referrals: stored whole or not at all, a queue in the right order, an access log nobody can change,
and retention that really deletes."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from catalogus.casework import accounts, jobs, referrals
from catalogus.casework.contact import ContactDetails, ReferralError, normalise_email, normalise_phone, validate_contact
from catalogus.casework.db import DatabaseError, IntegrityError
from catalogus.casework.referrals import Actor
from tests.support.databases import T0, db, db_settings, json_logs  # noqa: F401  (fixtures)

FORM = {"name": "Fatima el Amrani", "phone": "06-12345678", "email": "fatima@example.nl",
        "contact_time": "middag", "note": "Bel liever niet voor 10 uur."}
ANSWERS = {"schulden": True, "aantal_kinderen": 2, "netto_inkomen": 1450, "onderwerpen": ["geld", "gezin"]}
REASONS = ["U heeft schulden", "U maakt zich zorgen over uw kind"]


def _contact(**changes) -> ContactDetails:
    details, problems = validate_contact({**FORM, **changes})
    assert problems == []
    return details


def _submit(db, *, urgent=False, now=T0, channel="online", actor=None, municipality="voorbeeldstad", **changes):
    return referrals.create_referral(
        db, _contact(**changes), consent=True, answers=ANSWERS, products=["bijzondere-bijstand", "schuldhulp"],
        reasons=REASONS, urgent=urgent, channel=channel, actor=actor or Actor.resident("192.0.2.7"),
        catalog_version="abc123", now=now, municipality=municipality)


@pytest.fixture
def manager(db):
    user = accounts.add_user(db, "anna", "Anna de Wit", "casemanager", "een lang wachtwoord 42",
                             municipality="voorbeeldstad")
    return Actor(user.id, user.username, user.role, "10.1.2.3", "voorbeeldstad")


def _log(db, reference=None):
    with db.transaction(write=False) as tx:
        if reference is None:
            return tx.fetchall("SELECT * FROM access_log ORDER BY id")
        return tx.fetchall("SELECT * FROM access_log WHERE reference = ? ORDER BY id", (reference,))


def _count(db, table):
    with db.transaction(write=False) as tx:
        return tx.fetchvalue(f"SELECT COUNT(*) AS n FROM {table}")


# ------------------------------------------------------------------ storing

def test_a_referral_is_stored_with_everything_and_its_creation_is_logged(db, manager):
    referral = _submit(db, urgent=True)
    stored = referrals.get_referral(db, referral.reference, manager, now=T0)
    assert stored.name == "Fatima el Amrani"
    assert (stored.phone, stored.email) == ("0612345678", "fatima@example.nl")
    assert (stored.contact_time, stored.note) == ("middag", "Bel liever niet voor 10 uur.")
    assert stored.answers == ANSWERS
    assert stored.products == ["bijzondere-bijstand", "schuldhulp"]
    assert stored.reasons == REASONS
    assert stored.urgent is True and stored.channel == "online"
    assert stored.consent_version == referrals.CURRENT_CONSENT_VERSION
    assert referrals.consent_text(stored.consent_version, "Voorbeeldstad").startswith("Ik geef toestemming")
    assert stored.municipality == "voorbeeldstad"
    assert stored.created_at == T0 and stored.status == "nieuw"
    assert stored.assigned_to is None and stored.finished_at is None
    created = _log(db, referral.reference)[0]
    assert (created["action"], created["role"], created["address"]) == ("create", "inwoner", "")  # kept apart:
    shown = referrals.access_log(db, referral.reference, manager)[0]
    assert (shown.action, shown.role, shown.address) == ("create", "inwoner", "192.0.2.7")


def test_without_consent_nothing_is_stored_and_the_resident_is_told_why(db):
    with pytest.raises(ReferralError) as caught:
        referrals.create_referral(db, _contact(), consent=False, answers=ANSWERS, products=[], reasons=[],
                                  urgent=False, channel="online", actor=Actor.resident(),
                                  municipality="voorbeeldstad")
    assert caught.value.problems[0].field == "consent"
    assert "niets opgeslagen" in caught.value.problems[0].message
    assert _count(db, "referrals") == 0 and _count(db, "access_log") == 0


def test_only_kcc_staff_can_refer_on_a_callers_behalf(db):
    with pytest.raises(referrals.NotAllowed):
        _submit(db, channel="kcc")
    user = accounts.add_user(db, "kees", "Kees KCC", "kcc", "een lang wachtwoord 42")
    referral = _submit(db, channel="kcc", actor=Actor(user.id, user.username, user.role, "10.0.0.9"))
    assert referral.channel == "kcc" and referral.created_by == user.id


@pytest.mark.parametrize("typed, stored", [
    ("06 12345678", "0612345678"), ("+31 6 1234 5678", "0612345678"), ("0031612345678", "0612345678"),
    ("+31 (0)20-123 45 67", "0201234567"), ("020 123 4567", "0201234567"), ("14 020", "14020"),
    ("140570", "140570"), ("0800 1234", "08001234"),
])
def test_dutch_phone_numbers_in_the_usual_notations_are_accepted(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "06 1234567", "06 123456789", "+32 470 12 34 56", "06-abcdefgh",
                                   "0612345678; DROP TABLE", "٠٦١٢٣٤٥٦٧٨"])
def test_other_phone_numbers_are_refused(typed):
    with pytest.raises(ValueError):
        normalise_phone(typed)


@pytest.mark.parametrize("typed", ["a@b", "geen-apenstaartje.nl", "a@@b.nl", "a b@c.nl", ".a@b.nl", "a@-b.nl",
                                   "a@b.123", "<script>@x.nl", "x" * 250 + "@a.nl"])
def test_invalid_email_addresses_are_refused(typed):
    with pytest.raises(ValueError):
        normalise_email(typed)


def test_each_contact_problem_is_reported_at_its_own_field():
    _, problems = validate_contact({"name": " ", "phone": "", "email": "", "contact_time": "nacht",
                                    "note": "x" * 2001})
    fields = {p.field: p.message for p in problems}
    assert set(fields) == {"name", "phone", "note"}  # no phone number: the time to call is not asked
    assert "telefoonnummer of een e-mailadres" in fields["phone"]
    assert "2001 tekens" in fields["note"]
    _, problems = validate_contact({"name": "Jan", "phone": "06 12345678", "contact_time": "nacht"})
    assert {p.field for p in problems} == {"contact_time"}
    _, problems = validate_contact({"name": "Jan", "phone": "12", "email": "nee", "contact_time": "avond"})
    assert {p.field for p in problems} == {"phone", "email"}


def test_a_note_of_exactly_2000_characters_and_only_an_email_address_are_enough():
    details, problems = validate_contact({"name": "Jan", "email": "jan@example.nl", "contact_time": "geen_voorkeur",
                                          "note": "é" * 2000})
    assert problems == [] and details.phone is None and len(details.note) == 2000


def test_references_are_random_readable_and_unique():
    made = {referrals.new_reference() for _ in range(2000)}
    assert len(made) == 2000
    for reference in made:
        assert re.fullmatch(r"VBS-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}", reference)
    assert len(referrals.REFERENCE_ALPHABET) ** 10 >= 2 ** 40  # at least 40 bits
    # every symbol of the alphabet turns up: nothing sequential or patterned
    assert set("".join(made).replace("VBS", "").replace("-", "")) == set(referrals.REFERENCE_ALPHABET)


def test_a_reference_collision_is_retried_with_a_fresh_reference(db, monkeypatch):
    first = _submit(db)
    fresh = iter([first.reference, "VBS-AAAA-BBBB-CC"])
    monkeypatch.setattr(referrals, "new_reference", lambda: next(fresh))
    second = _submit(db)
    assert second.reference == "VBS-AAAA-BBBB-CC" and _count(db, "referrals") == 2


# ------------------------------------------------------------------ queue and changes

def test_the_queue_shows_urgent_first_then_oldest_and_filters_by_status(db, manager):
    old = _submit(db, now=T0)
    urgent_new = _submit(db, urgent=True, now=T0 + dt.timedelta(hours=5))
    urgent_old = _submit(db, urgent=True, now=T0 + dt.timedelta(hours=1))
    newest = _submit(db, now=T0 + dt.timedelta(hours=9))
    queue = referrals.list_queue(db, manager, now=T0)
    assert [q.reference for q in queue] == [urgent_old.reference, urgent_new.reference, old.reference,
                                           newest.reference]
    referrals.assign(db, old.reference, manager, now=T0)
    taken = referrals.list_queue(db, manager, status="in_behandeling", now=T0)
    assert [(q.reference, q.assigned_name) for q in taken] == [(old.reference, "Anna de Wit")]
    assert old.reference not in [q.reference for q in referrals.list_queue(db, manager, status="nieuw")]


def test_assign_and_finish_change_the_status_and_start_the_retention_clock(db, manager):
    referral = _submit(db)
    taken = referrals.assign(db, referral.reference, manager, now=T0 + dt.timedelta(minutes=5))
    assert (taken.status, taken.assigned_to, taken.assigned_name) == ("in_behandeling", manager.user_id,
                                                                      "Anna de Wit")
    done = referrals.finish(db, referral.reference, manager, now=T0 + dt.timedelta(days=3))
    assert done.status == "afgerond" and done.finished_at == T0 + dt.timedelta(days=3)
    with pytest.raises(referrals.WrongStatus):
        referrals.finish(db, referral.reference, manager)
    with pytest.raises(LookupError):
        referrals.assign(db, "VBS-ZZZZ-ZZZZ-ZZ", manager)


def test_unknown_or_malformed_references_find_nothing_and_log_nothing(db, manager):
    _submit(db)
    before = _count(db, "access_log")
    for guess in ("VBS-ZZZZ-ZZZZ-ZZ", "1", "VBS-0000-0000-00", "' OR 1=1 --"):
        assert referrals.get_referral(db, guess, manager) is None
    assert _count(db, "access_log") == before


def test_kcc_staff_and_residents_cannot_read_referrals(db):
    referral = _submit(db)
    kcc = Actor(None, "kees", "kcc", "10.0.0.9")
    for actor in (kcc, Actor.resident()):
        with pytest.raises(referrals.NotAllowed):
            referrals.list_queue(db, actor)
        with pytest.raises(referrals.NotAllowed):
            referrals.get_referral(db, referral.reference, actor)
        with pytest.raises(referrals.NotAllowed):
            referrals.assign(db, referral.reference, actor)


# ------------------------------------------------------------------ access log

def test_every_view_and_change_writes_who_when_what_and_from_where(db, manager):
    referral = _submit(db)
    referrals.list_queue(db, manager, status="nieuw", now=T0 + dt.timedelta(minutes=1))
    referrals.get_referral(db, referral.reference, manager, now=T0 + dt.timedelta(minutes=2))
    referrals.assign(db, referral.reference, manager, now=T0 + dt.timedelta(minutes=3))
    referrals.finish(db, referral.reference, manager, now=T0 + dt.timedelta(minutes=4))
    entries = referrals.access_log(db, referral.reference, manager, now=T0 + dt.timedelta(minutes=5))
    assert [e.action for e in entries] == ["create", "view", "assign", "finish", "view-log"]
    assert [e.at for e in entries] == [T0 + dt.timedelta(minutes=m) for m in (0, 2, 3, 4, 5)]
    assert {(e.username, e.role, e.address) for e in entries[1:]} == {("anna", "casemanager", "10.1.2.3")}
    listing = [row for row in _log(db) if row["action"] == "list"]
    assert len(listing) == 1 and listing[0]["reference"] is None and listing[0]["detail"] == "nieuw"


def test_when_the_access_log_cannot_be_written_the_view_is_refused(db, manager):
    referral = _submit(db)
    with db.transaction() as tx:
        tx.execute("ALTER TABLE access_log RENAME TO access_log_gone")
    with pytest.raises(DatabaseError):
        referrals.get_referral(db, referral.reference, manager)
    with pytest.raises(DatabaseError):
        referrals.assign(db, referral.reference, manager)
    with pytest.raises(DatabaseError):
        _submit(db)
    with db.transaction() as tx:
        tx.execute("ALTER TABLE access_log_gone RENAME TO access_log")
    assert referrals.get_referral(db, referral.reference, manager).status == "nieuw"  # the change did not happen
    assert _count(db, "referrals") == 1


def test_the_database_refuses_to_change_or_delete_access_log_rows(db):
    referral = _submit(db)
    for sql in ("UPDATE access_log SET username = 'iemand anders'", "DELETE FROM access_log",
                "DELETE FROM access_log WHERE reference = ?"):
        with pytest.raises(IntegrityError, match="append-only"):
            with db.transaction() as tx:
                tx.execute(sql, (referral.reference,) if "?" in sql else ())
    if db.engine == "postgresql":
        with pytest.raises(IntegrityError, match="append-only"):
            with db.transaction() as tx:
                tx.execute("TRUNCATE access_log")
    rows = _log(db)
    assert len(rows) == 1 and rows[0]["username"] == "inwoner"


# ------------------------------------------------------------------ retention

def test_purge_deletes_12_months_after_finishing_and_24_months_after_creation_leaving_a_count(db, manager):
    finished = _submit(db, now=T0)
    referrals.finish(db, finished.reference, manager, now=T0 + dt.timedelta(days=30), reason="dubbel")
    still_open = _submit(db, now=T0)
    recent = _submit(db, now=T0 + dt.timedelta(days=600))

    eleven_months = T0 + dt.timedelta(days=30 + 334)
    assert referrals.purge(db, now=eleven_months) == 0
    thirteen_months = T0 + dt.timedelta(days=30 + 396)
    assert referrals.purge(db, now=thirteen_months) == 1
    assert referrals.get_referral(db, finished.reference, manager) is None
    assert referrals.get_referral(db, still_open.reference, manager) is not None

    assert referrals.purge(db, now=T0 + dt.timedelta(days=700)) == 0  # 23 months: still kept
    assert referrals.purge(db, now=T0 + dt.timedelta(days=735)) == 1  # 24 months and a few days
    assert [q.reference for q in referrals.list_queue(db, manager)] == [recent.reference]

    purges = [row for row in _log(db) if row["action"] == "purge"]
    assert [row["detail"] for row in purges] == ["0", "1", "0", "1"]
    assert all(row["reference"] is None and row["role"] == "systeem" for row in purges)


def test_the_daily_purge_runs_once_per_interval_across_processes(db, db_settings, manager):
    finished = _submit(db, now=T0)
    referrals.finish(db, finished.reference, manager, now=T0, reason="dubbel")
    later = T0 + dt.timedelta(days=400)
    assert jobs.run_purge_if_due(db, db_settings, now=later) is True
    assert jobs.run_purge_if_due(db, db_settings, now=later + dt.timedelta(hours=23)) is False
    assert jobs.run_purge_if_due(db, db_settings, now=later + dt.timedelta(hours=24)) is True
    assert _count(db, "referrals") == 0
    purges = [row["detail"] for row in _log(db) if row["action"] == "purge"]
    assert purges == ["1", "0"]


# ------------------------------------------------------------------ logs

def test_the_logs_of_a_referral_flow_contain_none_of_the_submitted_values(db, manager, json_logs):
    secret_note = "Mijn buurman Piet slaat zijn kinderen"
    referral = _submit(db, name="Marieke Geheim", note=secret_note, email="marieke.geheim@example.nl")
    referrals.list_queue(db, manager)
    referrals.get_referral(db, referral.reference, manager)
    referrals.assign(db, referral.reference, manager)
    referrals.finish(db, referral.reference, manager)
    events = [e["event"] for e in json_logs.events]
    assert "referral_created" in events and "referral_finish" in events
    for value in ("Marieke", "Geheim", "marieke.geheim", "0612345678", "12345678", "Piet", "buurman", "192.0.2.7",
                  "10.1.2.3", json.dumps(ANSWERS)[:20], "Anna de Wit"):
        assert value not in json_logs.text


# ------------------------------------------------------------------ finishing with an outcome

def test_finishing_records_an_outcome_needs_a_reason_when_nobody_took_it_and_can_be_undone_for_ten_minutes(
        db, manager):
    referral = _submit(db)
    with pytest.raises(referrals.ReasonRequired):
        referrals.finish(db, referral.reference, manager, outcome="dubbel", now=T0)
    with pytest.raises(ValueError):
        referrals.finish(db, referral.reference, manager, outcome="weg ermee", reason="x", now=T0)
    done = referrals.finish(db, referral.reference, manager, outcome="dubbel", reason="Zie VBS-2222-3333-44", now=T0)
    assert (done.status, done.outcome, done.closing_note) == ("afgerond", "dubbel", "Zie VBS-2222-3333-44")
    assert done.undo_until() == T0 + dt.timedelta(minutes=10)
    back = referrals.reopen(db, referral.reference, manager, now=T0 + dt.timedelta(minutes=9))
    assert (back.status, back.outcome, back.closing_note, back.assigned_to, back.finished_at) == (
        "nieuw", None, "", None, None)
    referrals.assign(db, referral.reference, manager, now=T0 + dt.timedelta(minutes=10))
    referrals.finish(db, referral.reference, manager, outcome="opgepakt", now=T0 + dt.timedelta(minutes=11))
    with pytest.raises(referrals.WrongStatus, match="eerste 10 minuten"):
        referrals.reopen(db, referral.reference, manager, now=T0 + dt.timedelta(minutes=22))
    assert [e.action for e in referrals.access_log(db, referral.reference, manager)][1:5] == [
        "finish", "reopen", "assign", "finish"]


def test_a_second_referral_with_the_same_phone_or_email_within_30_days_is_marked_on_both(db, manager):
    first = _submit(db, now=T0)
    same_mail = _submit(db, phone="0201234567", now=T0 + dt.timedelta(days=29))
    much_later = _submit(db, now=T0 + dt.timedelta(days=90))
    other = _submit(db, phone="0611111111", email="iemand@example.nl", now=T0 + dt.timedelta(days=1))
    queue = {q.reference: q.duplicates for q in referrals.list_queue(db, manager)}
    assert queue[first.reference] == (same_mail.reference,) and queue[same_mail.reference] == (first.reference,)
    assert queue[much_later.reference] == () and queue[other.reference] == ()
    assert [r for r, _ in referrals.get_referral(db, same_mail.reference, manager).duplicates] == [first.reference]


# ------------------------------------------------------------------ scoped by municipality (regio.md)

@pytest.fixture
def buurdorp_manager(db):
    user = accounts.add_user(db, "bram", "Bram Buurdorp", "casemanager", "een lang wachtwoord 42",
                             municipality="buurdorp")
    return Actor(user.id, user.username, user.role, "10.9.9.9", "buurdorp")


def test_a_case_manager_sees_only_the_queue_of_their_own_municipality(db, manager, buurdorp_manager):
    ours = _submit(db)
    theirs = _submit(db, municipality="buurdorp", name="Bert Buurman", phone="0612345670", email="bert@example.nl")
    assert [item.reference for item in referrals.list_queue(db, manager)] == [ours.reference]
    assert [item.reference for item in referrals.list_queue(db, buurdorp_manager)] == [theirs.reference]


def test_another_municipalitys_reference_answers_like_one_that_does_not_exist_and_the_attempt_is_logged(
        db, manager, buurdorp_manager):
    theirs = _submit(db, municipality="buurdorp")
    missing = "VBS-0000-0000-00"
    assert referrals.get_referral(db, theirs.reference, manager) is None
    assert referrals.get_referral(db, missing, manager) is None
    for action in (referrals.assign, referrals.finish, referrals.reopen):
        with pytest.raises(LookupError):
            action(db, theirs.reference, manager)
        with pytest.raises(LookupError):
            action(db, missing, manager)
    assert referrals.access_log(db, theirs.reference, manager) is None
    assert referrals.access_log(db, missing, manager) is None
    denied = [row for row in _log(db, theirs.reference) if row["action"] == "denied"]
    assert len(denied) == 5 and {row["username"] for row in denied} == {"anna"}
    assert _log(db, missing) == []  # a reference that names no one is not worth a log line
    # Buurdorp's own case manager reads it, untouched, and sees who tried.
    found = referrals.get_referral(db, theirs.reference, buurdorp_manager)
    assert found.status == "nieuw" and found.assigned_to is None
    shown = referrals.access_log(db, theirs.reference, buurdorp_manager)
    assert [e.username for e in shown if e.action == "denied"] == ["anna"] * 5


def test_a_case_manager_without_a_municipality_sees_nothing(db):
    _submit(db)
    lost = Actor(7, "zonder", "casemanager", "10.0.0.1", None)
    with pytest.raises(referrals.NotAllowed):
        referrals.list_queue(db, lost)


def test_the_same_contact_in_another_municipality_is_not_shown_as_a_duplicate(db, manager, buurdorp_manager):
    first = _submit(db)
    _submit(db, municipality="buurdorp")  # same phone and e-mail, other team
    assert referrals.get_referral(db, first.reference, manager).duplicates == ()
    second = _submit(db)
    assert [ref for ref, _at in referrals.get_referral(db, second.reference, manager).duplicates] == [first.reference]


def test_an_urgent_household_says_whether_calling_is_safe_and_how_it_wants_to_be_reached():
    form = {"name": "Jan", "phone": "06 12345678", "contact_time": "avond"}
    _, problems = validate_contact(form, urgent=True)
    assert {p.field for p in problems} == {"safe_to_call", "preferred"}
    details, problems = validate_contact({**form, "safe_to_call": "nee", "preferred": "sms"}, urgent=True)
    assert problems == [] and details.safe_to_call is False and details.preferred == "sms"
    _, problems = validate_contact({**form, "safe_to_call": "nee", "preferred": "telefoon"}, urgent=True)
    assert [p.field for p in problems] == ["preferred"] and "niet veilig" in problems[0].message
    _, problems = validate_contact({**form, "safe_to_call": "ja", "preferred": "email"}, urgent=True)
    assert [p.field for p in problems] == ["preferred"]
    details, _ = validate_contact({**form, "safe_to_call": "ja", "preferred": "sms"})  # not urgent: not asked
    assert details.safe_to_call is None and details.preferred is None
