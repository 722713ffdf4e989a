"""Encryption at rest: nothing personal readable in the database, clear errors for a wrong or missing key,
rotation while a server runs, and the access log's resident addresses gone with the referral."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import shutil
import subprocess
import sys

import pyotp
import pytest
from click.testing import CliRunner

from catalogus.casework import accounts, jobs, referrals, sealing
from catalogus.casework.contact import validate_contact
from catalogus.casework.crypto import DataKey, Keyring, Undecryptable, read_key_file
from catalogus.casework.db import open_database
from catalogus.casework.referrals import Actor
from catalogus.cli import main
from catalogus.errors import StartupError
from tests.support.databases import T0, db, db_settings  # noqa: F401  (fixtures)
from tests.support.servers import ROOT, server_env

NAME, PHONE, EMAIL, NOTE = "Wilhelmina Zeldzaam", "06-98765432", "w.zeldzaam@example.nl", "Bartholomeus slaat mij"
ANSWERS = {"schulden": True, "netto_inkomen": 1873.47}


def submit(db, *, phone=PHONE, email=EMAIL, now=T0, address="192.0.2.55"):
    contact, problems = validate_contact({"name": NAME, "phone": phone, "email": email, "contact_time": "middag",
                                          "note": NOTE})
    assert problems == []
    return referrals.create_referral(db, contact, consent=True, answers=ANSWERS, products=["schuldhulp"],
                                     reasons=["U heeft schulden"], urgent=False, channel="online",
                                     actor=Actor.resident(address), now=now, municipality="voorbeeldstad")


@pytest.fixture
def manager(db):  # noqa: F811
    user = accounts.add_user(db, "anna", "Anna de Wit", "casemanager", "een lang wachtwoord 42",
                             municipality="voorbeeldstad")
    return Actor(user.id, user.username, user.role, "10.1.2.3", "voorbeeldstad")


def everything_stored(db) -> str:  # noqa: F811
    """Every value in every table, as one text."""
    with db.transaction(write=False) as tx:
        if db.engine == "sqlite":
            tables = [r["name"] for r in tx.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")]
        else:
            tables = [r["name"] for r in tx.fetchall("SELECT table_name AS name FROM information_schema.tables "
                                                     "WHERE table_schema = current_schema()")]
        rows = [row for table in tables for row in tx.fetchall(f"SELECT * FROM {table}")]
    return json.dumps(rows, default=str, ensure_ascii=False)


def test_nothing_personal_is_readable_in_the_database(db, manager):  # noqa: F811
    referral = submit(db)
    secret = accounts.start_totp_enrolment(db, manager.user_id)
    stored = everything_stored(db)
    for value in (NAME, "Wilhelmina", "0698765432", "98765432", EMAIL, "zeldzaam", "Bartholomeus", "1873.47",
                  "schuldhulp", "U heeft schulden", secret, "192.0.2.55"):
        assert value.lower() not in stored.lower(), value
    again = referrals.get_referral(db, referral.reference, manager)
    assert (again.name, again.phone, again.email, again.note, again.answers) == (
        NAME, "0698765432", EMAIL, NOTE, ANSWERS)
    assert accounts.totp_secret(db, manager.user_id) == secret


def test_a_value_moved_to_another_row_does_not_decrypt(db, manager):  # noqa: F811
    first, second = submit(db), submit(db, phone="0611111111", email="")
    with db.transaction() as tx:
        sealed = tx.fetchvalue("SELECT sealed FROM referrals WHERE reference = ?", (first.reference,))
        tx.execute("UPDATE referrals SET sealed = ? WHERE reference = ?", (sealed, second.reference))
    moved = referrals.get_referral(db, second.reference, manager)
    assert moved.name == "" and "beschadigd of verplaatst" in moved.problem


# ---------------------------------------------------------------- wrong key, missing key

def test_with_a_wrong_key_staff_and_the_cli_say_which_referrals_cannot_be_read_and_why(db, db_settings, manager):  # noqa: F811
    referral = submit(db)
    good = db.keyring.active.id
    other = DataKey.new()
    wrong = open_database(db_settings.with_(data_key=other.encoded))
    try:
        found = referrals.get_referral(wrong, referral.reference, manager)
        assert found is not None and found.name == "" and found.status == "nieuw"
        assert found.problem == f"de sleutel {good} ontbreekt (de database hoort bij een andere sleutel)"
        queued = referrals.list_queue(wrong, manager)
        assert [(q.reference, q.name, bool(q.problem)) for q in queued] == [(referral.reference, "", True)]
        assert not accounts.verify_totp(wrong, manager.user_id, "123456", db_settings)
    finally:
        wrong.close()
    env = {"CATALOGUS_DATA_DIR": str(db_settings.data_dir), "CATALOGUS_DATABASE_URL": db_settings.database_url,
           "CATALOGUS_DATA_KEY": other.encoded}
    checked = CliRunner().invoke(main, ["keys", "check"], env=env)
    assert checked.exit_code == 1
    assert f"Niet te lezen: aanmelding {referral.reference}: de sleutel {good} ontbreekt" in checked.output
    fine = CliRunner().invoke(main, ["keys", "check"], env={**env, "CATALOGUS_DATA_KEY": ""})
    assert fine.exit_code == 0 and "Alles is te ontsleutelen" in fine.output


def test_the_staff_pages_show_an_unreadable_referral_as_such_never_as_a_500(db_settings, web_content):  # noqa: F811
    from litestar.testing import TestClient

    from catalogus.web.app import create_app
    from tests.support.staff import ROOT as CONTENT, TODAY, add_staff, log_in

    settings = db_settings.with_(content_dir=CONTENT, today=TODAY, secret_key="s")
    database = open_database(settings)
    referral = submit(database)
    database.close()
    wrong = settings.with_(data_key=DataKey.new().encoded)
    add_staff(wrong, "anna", "casemanager")
    with TestClient(create_app(wrong, content=web_content)) as client:
        log_in(client, "anna")
        queue = client.get("/medewerkers/aanmeldingen")
        assert queue.status_code == 200 and "1 aanmelding niet te lezen" in queue.text
        assert "catalogus keys check" in queue.text
        page = client.get(f"/medewerkers/aanmeldingen/{referral.reference}")
        assert page.status_code == 200 and "Deze aanmelding is niet te lezen" in page.text
        assert "ontbreekt" in page.text


def test_a_database_copied_without_its_key_refuses_to_start_and_names_the_key(db, db_settings, tmp_path):  # noqa: F811
    submit(db)
    key = db.keyring.active.id
    db.close()
    elsewhere = db_settings.with_(data_dir=tmp_path / "kopie")
    (tmp_path / "kopie").mkdir(mode=0o700)
    if db_settings.database_url == "":
        for suffix in ("", "-wal", "-shm"):
            source = db_settings.data_dir / f"catalogus.sqlite3{suffix}"
            if source.exists():
                shutil.copy(source, tmp_path / "kopie" / source.name)
    with pytest.raises(StartupError) as refused:
        open_database(elsewhere)
    assert refused.value.code == "data_key_missing"
    assert f"de sleutel ontbreekt (sleutel {key})" in str(refused.value)
    assert str(elsewhere.key_file) in str(refused.value)
    assert not elsewhere.key_file.exists()  # no new key made over data that needs the old one
    env = server_env(elsewhere.data_dir, elsewhere.database_url)
    started = subprocess.run([sys.executable, "-m", "catalogus.cli", "serve", "--port", "1"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert started.returncode == 1
    assert "De server start niet: De database bevat versleutelde gegevens, maar de sleutel ontbreekt" in started.stderr


# ---------------------------------------------------------------- rotation

def test_rotation_rewrites_everything_while_a_server_keeps_reading_and_writing(db, db_settings, manager):  # noqa: F811
    referrals_before = [submit(db, now=T0 + dt.timedelta(minutes=i)) for i in range(3)]
    secret = accounts.start_totp_enrolment(db, manager.user_id)
    old = db.keyring.active.id
    server = open_database(db_settings)  # a running server: its key ring was read before the rotation

    done = sealing.rotate(db, db_settings, pause=0)

    assert done.new_key != old and done.retired == [old] and done.rewritten >= 5
    assert [k.id for k in read_key_file(db_settings.key_file)] == [done.new_key]  # the old key is retired
    with db.transaction(write=False) as tx:
        assert set(sealing.key_ids_in_use(tx)) == {done.new_key}
    for referral in referrals_before:  # the server reads the new values (it reads the key file again)
        found = referrals.get_referral(server, referral.reference, manager)
        assert found.name == NAME and not found.problem
    later = submit(server, phone=PHONE, now=T0 + dt.timedelta(minutes=9))  # and writes with the new key
    assert referrals.get_referral(db, later.reference, manager).duplicates  # blind indexes moved along
    code = pyotp.TOTP(secret).at(dt.datetime.now(dt.timezone.utc))
    assert accounts.verify_totp(server, manager.user_id, code, db_settings)
    server.close()


def test_rotation_with_the_key_in_a_setting_rewrites_to_the_first_key(db, db_settings, manager):  # noqa: F811
    first = DataKey.new()
    with_setting = open_database(db_settings.with_(data_key=first.encoded))
    referral = submit(with_setting)
    second = DataKey.new()
    both = db_settings.with_(data_key=f"{second.encoded},{first.encoded}")
    rotating = open_database(both)
    done = sealing.rotate(rotating, both, pause=0)
    assert done.new_key == second.id and done.retired == [first.id]
    only_new = open_database(db_settings.with_(data_key=second.encoded))
    assert referrals.get_referral(only_new, referral.reference, manager).name == NAME
    for database in (with_setting, rotating, only_new):
        database.close()


def test_keys_rotate_and_new_on_the_command_line(db, db_settings, manager):  # noqa: F811
    submit(db)
    env = {"CATALOGUS_DATA_DIR": str(db_settings.data_dir), "CATALOGUS_DATABASE_URL": db_settings.database_url}
    rotated = CliRunner().invoke(main, ["keys", "rotate"], env=env)
    assert rotated.exit_code == 0, rotated.output
    assert "Klaar: 2 waarde(n) opnieuw versleuteld" in rotated.output  # the referral and the address and "uit het sleutelbestand gehaald" in rotated.output
    fresh = CliRunner().invoke(main, ["keys", "new"])
    assert fresh.exit_code == 0 and len(base64.b64decode(fresh.stdout.strip())) == 32


def test_a_key_file_readable_by_others_stops_the_start(db_settings):  # noqa: F811
    open_database(db_settings).close()
    os.chmod(db_settings.key_file, 0o644)
    with pytest.raises(StartupError) as refused:
        open_database(db_settings)
    assert refused.value.code == "data_key_file_too_open" and f"chmod 600 {db_settings.key_file}" in str(refused.value)


def test_a_keyring_reads_old_keys_but_writes_with_the_active_one():
    old, new = DataKey.new(), DataKey.new()
    sealed = Keyring([old]).encrypt("geheim", "t.c:1")
    ring = Keyring([DataKey(new.id, new.secret, True), DataKey(old.id, old.secret, False)])
    assert ring.decrypt(sealed, "t.c:1") == "geheim"
    assert ring.encrypt("geheim", "t.c:1").startswith(f"v1.{new.id}.")
    with pytest.raises(Undecryptable, match="beschadigd of verplaatst"):
        ring.decrypt(sealed, "t.c:2")
    assert ring.blind_indexes("0612345678") == [ring.blind_index("0612345678", k) for k in ring.keys.values()]


# ---------------------------------------------------------------- upgrading from plain text

def test_plain_text_from_before_is_sealed_at_the_first_start(db_settings, monkeypatch):  # noqa: F811
    from catalogus.casework import db as db_module

    every = db_module.load_migrations
    monkeypatch.setattr(db_module, "load_migrations", lambda engine: [m for m in every(engine) if m.version < 20])
    old = open_database(db_settings, migrate=False)
    old.migrate()
    with old.transaction() as tx:
        tx.execute("INSERT INTO users (username, display_name, role, password_hash, totp_secret, created_at, "
                   "password_changed_at) VALUES ('anna', 'Anna', 'casemanager', 'x', 'JBSWY3DPEHPK3PXP', ?, ?)",
                   (T0, T0))
        tx.execute("INSERT INTO referrals (reference, name, phone, email, contact_time, note, answers, products, "
                   "reasons, urgent, channel, consent_version, created_at) VALUES ('VBS-2222-3333-44', ?, "
                   "'0698765432', NULL, 'middag', ?, ?, '[]', '[]', ?, 'online', '2026-1', ?)",
                   (NAME, NOTE, json.dumps(ANSWERS), False, T0))
        tx.execute("INSERT INTO access_log (at, username, role, action, reference, address) VALUES "
                   "(?, 'inwoner', 'inwoner', 'create', 'VBS-2222-3333-44', '192.0.2.55')", (T0,))
        tx.execute("INSERT INTO access_log (at, username, role, action, reference, address) VALUES "
                   "(?, 'inwoner', 'inwoner', 'create', 'VBS-9999-9999-99', '198.51.100.1')", (T0,))  # purged
    old.close()
    monkeypatch.setattr(db_module, "load_migrations", every)
    database = open_database(db_settings)
    jobs.adopt_default_municipality(database, "voorbeeldstad")  # as the app does at start-up
    try:
        stored = everything_stored(database)
        for value in (NAME, "0698765432", "Bartholomeus", "JBSWY3DPEHPK3PXP", "192.0.2.55", "198.51.100.1"):
            assert value not in stored, value
        manager = Actor(1, "anna", "casemanager", "", "voorbeeldstad")
        found = referrals.get_referral(database, "VBS-2222-3333-44", manager)
        assert (found.name, found.phone, found.note, found.answers) == (NAME, "0698765432", NOTE, ANSWERS)
        assert accounts.totp_secret(database, 1) == "JBSWY3DPEHPK3PXP"
        shown = referrals.access_log(database, "VBS-2222-3333-44", manager)
        assert [e.address for e in shown if e.action == "create"] == ["192.0.2.55"]
    finally:
        database.close()


# ---------------------------------------------------------------- the resident's address

def test_the_residents_address_goes_when_the_referral_is_purged(db, manager):  # noqa: F811
    referral = submit(db, now=T0)
    referrals.finish(db, referral.reference, manager, now=T0 + dt.timedelta(days=1), reason="dubbel")
    assert [e.address for e in referrals.access_log(db, referral.reference, manager) if e.role == "inwoner"] == [
        "192.0.2.55"]
    assert referrals.purge(db, now=T0 + dt.timedelta(days=400)) == 1
    with db.transaction(write=False) as tx:
        assert tx.fetchvalue("SELECT COUNT(*) AS n FROM resident_addresses") == 0
        rows = tx.fetchall("SELECT role, address FROM access_log WHERE reference = ?", (referral.reference,))
    assert rows and {row["address"] for row in rows if row["role"] == "inwoner"} == {""}
    assert {row["address"] for row in rows if row["role"] == "casemanager"} == {"10.1.2.3"}  # staff stay accountable
    assert "192.0.2.55" not in everything_stored(db)


def test_the_sqlite_files_on_disk_hold_no_personal_value(tmp_path):
    from catalogus.settings import Settings

    settings = Settings(data_dir=tmp_path / "data")
    database = open_database(settings)
    try:
        submit(database)
        with database.transaction(write=False) as tx:
            assert tx.fetchvalue("PRAGMA secure_delete") == 1  # purged pages are overwritten, not left behind
        raw = b"".join(path.read_bytes() for path in (tmp_path / "data").glob("catalogus.sqlite3*"))
    finally:
        database.close()
    for value in (NAME, "0698765432", EMAIL, "Bartholomeus", "1873.47", "192.0.2.55"):
        assert value.encode() not in raw, value
