"""The database layer behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from catalogus.casework import db as dbmod
from catalogus.casework.db import Database, DatabaseError, IntegrityError, load_migrations, open_database, to_pyformat
from tests.support.databases import T0, PostgresSchema, db, db_settings  # noqa: F401  (fixtures)

TABLES = {"users", "sessions", "rate_limits", "jobs", "referrals", "access_log", "schema_migrations"}


def _tables(database: Database) -> set[str]:
    with database.transaction(write=False) as tx:
        if database.engine == "sqlite":
            rows = tx.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
        else:
            rows = tx.fetchall("SELECT table_name AS name FROM information_schema.tables "
                               "WHERE table_schema = current_schema()")
    return {row["name"] for row in rows}


def test_start_up_applies_every_migration_once_and_records_it(db_settings):
    database = open_database(db_settings)
    assert TABLES <= _tables(database)
    versions = [m.version for m in load_migrations(database.engine)]
    assert database.schema_version() == max(versions)
    assert database.migrate() == []  # a second start-up has nothing to do
    with database.transaction(write=False) as tx:
        recorded = [row["version"] for row in tx.fetchall("SELECT version FROM schema_migrations ORDER BY version")]
    assert recorded == versions


def test_several_processes_starting_at_once_migrate_exactly_once(db_settings):
    errors, applied = [], []

    def start():
        try:
            applied.append(Database(db_settings).migrate())
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    if db_settings.database_url == "":
        db_settings.sqlite_path.parent.mkdir(parents=True)
    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    all_applied = sorted(v for versions in applied for v in versions)
    assert all_applied == [m.version for m in load_migrations(Database(db_settings).engine)]


def test_every_migration_version_has_exactly_one_file_per_engine():
    for engine in ("sqlite", "postgresql"):
        versions = [m.version for m in load_migrations(engine)]
        assert versions == sorted(set(versions)) and versions[0] == 1


def test_a_failing_transaction_leaves_nothing_behind(db):
    with pytest.raises(RuntimeError):
        with db.transaction() as tx:
            tx.execute("INSERT INTO jobs (name, last_run_at) VALUES (?, ?)", ("x", T0))
            raise RuntimeError("boom")
    with db.transaction(write=False) as tx:
        assert tx.fetchvalue("SELECT COUNT(*) AS n FROM jobs") == 0


def test_constraint_violations_are_integrity_errors_and_the_connection_stays_usable(db):
    with db.transaction() as tx:
        tx.execute("INSERT INTO jobs (name) VALUES (?)", ("x",))
    with pytest.raises(IntegrityError):
        with db.transaction() as tx:
            tx.execute("INSERT INTO jobs (name) VALUES (?)", ("x",))
    with db.transaction() as tx:
        assert tx.fetchvalue("SELECT COUNT(*) AS n FROM jobs") == 1


def test_timestamps_come_back_as_the_same_utc_moment_and_sort_in_time_order(db):
    later = T0 + dt.timedelta(microseconds=1)
    amsterdam = dt.timezone(dt.timedelta(hours=1))
    with db.transaction() as tx:
        tx.execute("INSERT INTO jobs (name, last_run_at) VALUES (?, ?)", ("b", later))
        tx.execute("INSERT INTO jobs (name, last_run_at) VALUES (?, ?)", ("a", T0.astimezone(amsterdam)))
        rows = tx.fetchall("SELECT name, last_run_at FROM jobs ORDER BY last_run_at")
    assert [r["name"] for r in rows] == ["a", "b"]
    assert rows[0]["last_run_at"] == T0 and rows[0]["last_run_at"].utcoffset() == dt.timedelta(0)
    assert rows[1]["last_run_at"] == later


def test_sqlite_is_durable_and_checks_foreign_keys(tmp_path):
    from catalogus.settings import Settings

    database = open_database(Settings(data_dir=tmp_path))
    with database.transaction() as tx:
        assert tx.fetchvalue("PRAGMA journal_mode") == "wal"
        assert tx.fetchvalue("PRAGMA synchronous") == 2  # FULL
        assert tx.fetchvalue("PRAGMA foreign_keys") == 1
    with pytest.raises(IntegrityError):
        with database.transaction() as tx:
            tx.execute("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)",
                       ("h", 999, T0, T0))


def test_percent_signs_in_sql_text_are_refused_so_they_cannot_break_placeholders():
    assert to_pyformat("a = ? AND b = ?") == "a = %s AND b = %s"
    with pytest.raises(ValueError):
        to_pyformat("name LIKE '%x'")


def test_a_database_url_that_is_not_postgresql_is_refused():
    from catalogus.settings import Settings

    with pytest.raises(ValueError, match="postgresql://"):
        Database(Settings(database_url="mysql://x"))


@pytest.mark.postgres
def test_a_dropped_postgresql_connection_is_replaced_without_a_restart(tmp_path):
    import psycopg

    from catalogus.settings import Settings

    schema = PostgresSchema()
    try:
        database = open_database(Settings(data_dir=tmp_path, database_url=schema.url))
        with database.transaction() as tx:
            pid = tx.fetchvalue("SELECT pg_backend_pid() AS pid")
        with psycopg.connect(schema.base_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with database.transaction() as tx:  # the pooled connection died; a fresh one takes over
            assert tx.fetchvalue("SELECT pg_backend_pid() AS pid") != pid
        database.close()
    finally:
        schema.drop()


def test_an_unreachable_database_is_a_database_error():
    from catalogus.settings import Settings

    database = Database(Settings(database_url="postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"))
    with pytest.raises(DatabaseError):
        with database.transaction():
            pass


def test_sqlite_scripts_are_split_into_whole_statements_including_triggers():
    script = ("CREATE TABLE a (x INT);\n-- comment; with semicolon\nCREATE TRIGGER t BEFORE DELETE ON a\n"
              "BEGIN\n    SELECT RAISE(ABORT, 'no; never');\nEND;\n")
    statements = dbmod.split_sqlite_script(script)
    assert len(statements) == 2 and statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")


@pytest.mark.parametrize("name", ["catalogus.casework.db", "catalogus.casework.contact", "catalogus.casework.referrals", "catalogus.logs"])
def test_docstring_examples_of_the_storage_modules(name):
    import doctest
    import importlib

    failures, tried = doctest.testmod(importlib.import_module(name))
    assert failures == 0 and tried > 0


def test_a_process_opens_at_most_max_connections_and_waiting_transactions_get_the_next_free_one(db_settings,
                                                                                                monkeypatch):
    monkeypatch.setattr(dbmod, "MAX_CONNECTIONS", 3)
    database = open_database(db_settings)
    opened, connect = [], database._connect
    monkeypatch.setattr(database, "_connect", lambda: opened.append(1) or connect())
    done = []

    def reader() -> None:
        with database.transaction(write=False) as tx:
            tx.fetchvalue("SELECT 1 AS one")
            time.sleep(0.02)  # hold the connection a moment while the others queue
        done.append(1)

    threads = [threading.Thread(target=reader) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    database.close()
    assert len(done) == 20 and len(opened) <= 3


def test_a_transaction_that_finds_no_free_connection_in_time_is_a_database_error(db_settings, monkeypatch):
    monkeypatch.setattr(dbmod, "MAX_CONNECTIONS", 1)
    monkeypatch.setattr(dbmod, "CONNECTION_WAIT_SECONDS", 0.2)
    database = open_database(db_settings)
    with database.transaction(write=False):
        failed = []
        waiter = threading.Thread(target=lambda: _try_transaction(database, failed))
        waiter.start()
        waiter.join(timeout=10)
    assert failed == ["geen vrije databaseverbinding binnen 0.2 s"]
    with database.transaction(write=False) as tx:  # free again
        assert tx.fetchvalue("SELECT 1 AS one") == 1
    database.close()


def _try_transaction(database: Database, failed: list[str]) -> None:
    try:
        with database.transaction(write=False):
            pass
    except DatabaseError as exc:
        failed.append(str(exc))


def test_the_roles_migration_keeps_every_user_session_and_referral_and_drops_the_role_list(db_settings, monkeypatch):
    """Migration 0020 rebuilds users on SQLite (no DROP CONSTRAINT there): nothing that points at a user breaks."""
    import datetime as dt

    from catalogus.casework import accounts, db as db_module

    every = db_module.load_migrations
    monkeypatch.setattr(db_module, "load_migrations", lambda engine: [m for m in every(engine) if m.version < 20])
    old = open_database(db_settings, migrate=False)
    old.migrate()  # up to 0019 only
    now = dt.datetime(2026, 11, 26, 9, tzinfo=dt.timezone.utc)
    with old.transaction() as tx:
        tx.execute("INSERT INTO users (username, display_name, role, password_hash, created_at, password_changed_at) "
                   "VALUES ('anna', 'Anna', 'casemanager', 'x', ?, ?)", (now, now))
        user_id = tx.fetchvalue("SELECT id FROM users WHERE username = 'anna'")
        tx.execute("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ('h', ?, ?, ?)",
                   (user_id, now, now))
    with pytest.raises(IntegrityError):
        with old.transaction() as tx:  # the old CHECK knows two roles only
            tx.execute("UPDATE users SET role = 'redacteur'")
    old.close()
    monkeypatch.setattr(db_module, "load_migrations", every)
    database = open_database(db_settings)
    try:
        with database.transaction(write=False) as tx:
            assert tx.fetchvalue("SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?", (user_id,)) == 1
        user = accounts.add_user(database, "rita", "Rita", "redacteur", "een lang wachtwoord 42")
        assert user.role == "redacteur"
        with pytest.raises(IntegrityError):
            with database.transaction() as tx:
                tx.execute("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES "
                           "('x', 999, ?, ?)", (now, now))  # foreign keys still hold after the rebuild
        with pytest.raises(IntegrityError):
            with database.transaction() as tx:
                tx.execute("UPDATE users SET role = '' WHERE username = 'rita'")
    finally:
        database.close()
