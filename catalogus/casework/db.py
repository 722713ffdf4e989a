"""One small database layer for SQLite (default) and PostgreSQL (``CATALOGUS_DATABASE_URL``).

Use it like this::

    db = open_database(settings)          # connects lazily and applies pending migrations
    with db.transaction() as tx:          # one transaction: commit on success, rollback on error
        tx.execute("INSERT INTO t (a, b) VALUES (?, ?)", (1, now))
        row = tx.fetchone("SELECT a, b FROM t WHERE a = ?", (1,))   # a dict, or None

Conventions (read before adding a migration):

- SQL is written with ``?`` placeholders; the layer turns them into ``%s`` for
  PostgreSQL. Never put a literal ``?`` or ``%`` in SQL text: pass it as a parameter.
- Timestamps are timezone-aware UTC ``datetime`` objects in Python and columns of type
  ``TIMESTAMPTZ`` in SQL. PostgreSQL stores them natively; SQLite stores them as
  fixed-width ISO text (``2026-01-31T09:15:00.000000+00:00``) so that comparison and
  ``ORDER BY`` work, and turns them back into ``datetime`` when read.
- Booleans are ``BOOLEAN`` columns; SQLite hands them back as 0/1, so wrap in ``bool()``.
- JSON is stored as ``TEXT`` (``json.dumps`` in, ``json.loads`` out) on both engines.
- Migrations are numbered SQL files in ``catalogus/migrations/``: ``NNNN_short_name.sql``
  for SQL that runs on both engines, or a pair ``NNNN_short_name.sqlite.sql`` +
  ``NNNN_short_name.postgresql.sql`` when the engines need different SQL (identity
  columns, triggers). The number is the version; never edit or renumber a migration
  that has landed on main, add a new one. Each pending migration runs in one
  transaction together with its row in ``schema_migrations``, under a lock
  (PostgreSQL advisory lock, SQLite ``BEGIN IMMEDIATE``) so several processes
  starting at once apply it exactly once.
- Write transactions on SQLite start with ``BEGIN IMMEDIATE`` (see ``transaction``):
  a deferred transaction that reads and then writes can fail at once with
  "database is locked" instead of waiting for the busy timeout.
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import re
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..datadir import make_private, make_private_dir
from ..settings import Settings

UTC = dt.timezone.utc
MIGRATIONS_PACKAGE = "catalogus.casework.migrations"
MIGRATION_LOCK_KEY = 7_300_431_001  # pg_advisory_xact_lock key for schema migrations
SQLITE_BUSY_TIMEOUT_SECONDS = 15.0
# Open connections per process, busy or idle. A server process runs up to 40 request threads, but
# PostgreSQL allows 100 connections by default for every process of every server together; a
# transaction waits for a free connection instead (CONNECTION_WAIT_SECONDS, then DatabaseError).
MAX_CONNECTIONS = 10
MAX_IDLE_CONNECTIONS = MAX_CONNECTIONS  # keep them all: opening a PostgreSQL connection starts a process
CONNECTION_WAIT_SECONDS = 15.0
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+?)(?:\.(sqlite|postgresql))?\.sql$")


class DatabaseError(Exception):
    """The database could not be reached or refused the work (wraps the driver's error)."""


class IntegrityError(DatabaseError):
    """A constraint (unique, check, foreign key, trigger) refused the change."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(UTC)


def to_utc(moment: dt.datetime) -> dt.datetime:
    """Aware UTC datetime; naive datetimes are taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _sqlite_timestamp(moment: dt.datetime) -> str:
    """Fixed-width UTC ISO text, so that SQLite's text comparison orders correctly.

    >>> _sqlite_timestamp(dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    '2026-01-02T03:04:05.000000+00:00'
    """
    return to_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _parse_sqlite_timestamp(raw: bytes) -> dt.datetime:
    return to_utc(dt.datetime.fromisoformat(raw.decode()))


sqlite3.register_converter("TIMESTAMPTZ", _parse_sqlite_timestamp)


def to_pyformat(sql: str) -> str:
    """Turn ``?`` placeholders into psycopg's ``%s``.

    >>> to_pyformat("SELECT a FROM t WHERE b = ? AND c = ?")
    'SELECT a FROM t WHERE b = %s AND c = %s'
    """
    if "%" in sql:
        raise ValueError("gebruik geen % in SQL-tekst; geef de waarde als parameter mee")
    return sql.replace("?", "%s")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


class Transaction:
    """The handle inside ``Database.transaction()``: execute and fetch rows as dicts."""

    def __init__(self, database: "Database", connection: Any):
        self.database = database
        self.engine = database.engine
        self._connection = connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; return the number of rows it changed."""
        return self._run(sql, params).rowcount

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        return self._run(sql, params).fetchone()

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return list(self._run(sql, params).fetchall())

    def fetchvalue(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.fetchone(sql, params)
        return None if row is None else next(iter(row.values()))

    def _run(self, sql: str, params: Sequence[Any]):
        try:
            if self.engine == "sqlite":
                values = [_sqlite_timestamp(p) if isinstance(p, dt.datetime) else p for p in params]
                return self._connection.execute(sql, values)
            cursor = self._connection.cursor()
            cursor.execute(to_pyformat(sql), list(params))
            return cursor
        except Exception as exc:  # translate driver errors into ours
            raise _translate(exc) from exc


class Database:
    """Connections to one database, handed out per transaction (a small pool per process)."""

    def __init__(self, settings: Settings):
        url = settings.database_url.strip()
        if url.startswith(("postgresql://", "postgres://")):
            self.engine = "postgresql"
            self.url = url
            self.path: Path | None = None
        elif url:
            raise ValueError("CATALOGUS_DATABASE_URL moet met postgresql:// beginnen (of leeg zijn voor SQLite)")
        else:
            self.engine = "sqlite"
            self.url = ""
            self.path = settings.sqlite_path
        self._idle: queue.LifoQueue = queue.LifoQueue(maxsize=MAX_IDLE_CONNECTIONS)
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._closed = False
        self.keyring: Any = None  # set by open_database (catalogus.casework.sealing)

    def __repr__(self) -> str:
        where = self.path if self.engine == "sqlite" else "postgresql"
        return f"<Database {self.engine} {where}>"

    # ------------------------------------------------------------ connections

    def _connect(self) -> Any:
        try:
            if self.engine == "sqlite":
                return _connect_sqlite(self.path)
            import psycopg
            from psycopg.rows import dict_row

            return psycopg.connect(self.url, row_factory=dict_row, autocommit=True, connect_timeout=10)
        except Exception as exc:
            raise _translate(exc) from exc

    def _checkout(self) -> tuple[Any, bool]:
        """(connection, came from the pool)."""
        if self._closed:
            raise DatabaseError("de database is gesloten")
        while True:
            try:
                connection = self._idle.get_nowait()
            except queue.Empty:
                return self._connect(), False
            if self.engine == "postgresql" and connection.closed:
                continue
            return connection, True

    def _checkin(self, connection: Any, healthy: bool) -> None:
        if healthy and not self._closed:
            try:
                self._idle.put_nowait(connection)
                return
            except queue.Full:
                pass
        _close_quietly(connection)

    def close(self) -> None:
        """Close every idle connection; later transactions fail."""
        self._closed = True
        self._discard_idle()

    def _discard_idle(self) -> None:
        while True:
            try:
                _close_quietly(self._idle.get_nowait())
            except queue.Empty:
                return

    # ------------------------------------------------------------ transactions

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Transaction]:
        """One transaction: committed when the block ends, rolled back when it raises.

        ``write=False`` is for pure reads: on SQLite it takes no write lock. Never open a
        transaction inside another one: use the ``*_in(tx)`` functions instead.
        """
        if not self._slots.acquire(timeout=CONNECTION_WAIT_SECONDS):
            raise DatabaseError(f"geen vrije databaseverbinding binnen {CONNECTION_WAIT_SECONDS:g} s")
        try:
            connection = self._begin(write)
            healthy = True
            try:
                try:
                    yield Transaction(self, connection)
                except BaseException:
                    try:
                        connection.rollback() if self.engine == "postgresql" else connection.execute("ROLLBACK")
                    except Exception:
                        healthy = False
                    raise
                try:
                    connection.execute("COMMIT")
                except Exception as exc:
                    healthy = False
                    raise _translate(exc) from exc
            except DatabaseError as exc:
                if not isinstance(exc, IntegrityError):
                    healthy = False  # a broken connection is never reused
                raise
            finally:
                self._checkin(connection, healthy)
        finally:
            self._slots.release()

    def _begin(self, write: bool) -> Any:
        """A connection with a transaction started; a pooled connection that died is replaced once.

        A dead pooled connection means the server went away (restart, outage): the other idle
        connections are from before that too, so they all go and the retry connects afresh.
        """
        begin = "BEGIN IMMEDIATE" if write and self.engine == "sqlite" else "BEGIN"
        for attempt in (1, 2):
            connection, pooled = self._checkout()
            try:
                connection.execute(begin)
                return connection
            except Exception as exc:
                _close_quietly(connection)
                if not pooled or attempt == 2 or self.engine == "sqlite":  # SQLite: locked, not gone: fail once
                    raise _translate(exc) from exc
                self._discard_idle()
        raise AssertionError("unreachable")  # pragma: no cover

    # ------------------------------------------------------------ migrations

    def migrate(self) -> list[int]:
        """Apply every pending migration; return the versions applied by this call."""
        applied: list[int] = []
        for migration in load_migrations(self.engine):
            with self._migration_transaction() as tx:
                if self.engine == "postgresql":
                    tx.fetchone("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK_KEY,))
                tx.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                           " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)")
                if tx.fetchone("SELECT version FROM schema_migrations WHERE version = ?", (migration.version,)):
                    continue
                self._run_script(tx, migration.sql)
                tx.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                           (migration.version, migration.name, utcnow()))
                applied.append(migration.version)
        return applied

    @contextmanager
    def _migration_transaction(self) -> Iterator[Transaction]:
        """A write transaction; on SQLite with foreign keys off, and checked before commit.

        SQLite cannot drop a constraint: a migration rebuilds the table (new table, copy,
        drop, rename). With foreign keys on, dropping a parent table would cascade into or
        refuse because of its children, and ``PRAGMA foreign_keys`` cannot change inside a
        transaction, so the connection is set up before BEGIN and not reused afterwards.
        """
        if self.engine == "postgresql":
            with self.transaction() as tx:
                yield tx
            return
        connection = self._connect()
        try:
            connection.execute("PRAGMA foreign_keys = OFF")
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self, connection)
                broken = connection.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise IntegrityError(f"migration breaks {len(broken)} foreign key(s)")
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise _translate(exc) from exc
        finally:
            _close_quietly(connection)

    def schema_version(self) -> int:
        with self.transaction(write=False) as tx:
            return tx.fetchvalue("SELECT MAX(version) AS v FROM schema_migrations") or 0

    def _run_script(self, tx: Transaction, script: str) -> None:
        if self.engine == "postgresql":
            try:
                tx._connection.execute(script)  # several statements, no parameters
            except Exception as exc:
                raise _translate(exc) from exc
            return
        for statement in split_sqlite_script(script):
            tx.execute(statement)


def open_database(settings: Settings, *, migrate: bool = True) -> Database:
    """The database of these settings, migrated, with its key ring (``db.keyring``) and no plain text left.

    Creates the data directory for SQLite. Raises ``StartupError`` when the database holds
    encrypted data and no key is there at all.
    """
    database = Database(settings)
    if database.engine == "sqlite":
        make_private_dir(database.path.parent)
        _create_private(database.path)
    if migrate:
        database.migrate()
    if database.engine == "sqlite":  # SQLite gives -wal and -shm the database's mode; make sure of it
        for suffix in ("", "-wal", "-shm"):
            make_private(Path(f"{database.path}{suffix}"))
    if migrate:
        from .sealing import attach_keyring  # sealing uses this module

        try:
            attach_keyring(database, settings)
        except BaseException:
            database.close()
            raise
    return database


def _create_private(path: Path) -> None:
    """Create an empty database file as 0600 before SQLite does (it would use the umask, often 0644)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def _connect_sqlite(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS, isolation_level=None,
                                 detect_types=sqlite3.PARSE_DECLTYPES, check_same_thread=False)
    connection.row_factory = _dict_row
    connection.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_SECONDS * 1000)}")
    _switch_to_wal(connection)
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA secure_delete = ON")  # a purged referral is overwritten, not left in free pages
    connection.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_SECONDS * 1000)}")
    return connection


def _switch_to_wal(connection: sqlite3.Connection) -> None:
    """Turn on WAL; SQLite may answer "locked" at once (without the busy handler) when
    several processes open a new database together, so try again for a while."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _dict_row(cursor: sqlite3.Cursor, row: tuple) -> dict[str, Any]:
    return {column[0]: value for column, value in zip(cursor.description, row)}


def _close_quietly(connection: Any) -> None:
    try:
        connection.close()
    except Exception:
        pass


def _translate(exc: Exception) -> DatabaseError:
    if isinstance(exc, DatabaseError):
        return exc
    if isinstance(exc, sqlite3.IntegrityError):
        return IntegrityError(str(exc))
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        psycopg = None
    if psycopg is not None and isinstance(exc, psycopg.errors.IntegrityError):
        return IntegrityError(str(exc))
    if psycopg is not None and isinstance(exc, psycopg.errors.RaiseException):
        return IntegrityError(str(exc))  # our triggers (append-only access log)
    return DatabaseError(f"{type(exc).__name__}: {exc}")


def split_sqlite_script(script: str) -> list[str]:
    """Split a script into complete statements (triggers with ``BEGIN ... END;`` stay whole).

    >>> split_sqlite_script("CREATE TABLE a (x INT);\\n-- note\\nCREATE TABLE b (y INT);")
    ['CREATE TABLE a (x INT);', 'CREATE TABLE b (y INT);']
    """
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.strip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError("onvolledige SQL aan het einde van een migratie")
    return statements


def load_migrations(engine: str) -> list[Migration]:
    """Every migration for this engine, in version order (a per-engine file beats a shared one)."""
    chosen: dict[int, tuple[int, Migration]] = {}
    for entry in resources.files(MIGRATIONS_PACKAGE).iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if not match:
            continue
        version, name, only = int(match.group(1)), match.group(2), match.group(3)
        if only and only != engine:
            continue
        rank = 1 if only else 0
        if version in chosen and chosen[version][0] == rank:
            raise ValueError(f"twee migraties met nummer {version:04d}")
        if version not in chosen or rank > chosen[version][0]:
            chosen[version] = (rank, Migration(version, name, entry.read_text(encoding="utf-8")))
    return [chosen[v][1] for v in sorted(chosen)]
