"""Staff accounts: argon2id passwords, login locks, TOTP for case managers, database sessions.

Everything lives in the database, so several processes and servers share it.
Login failures give one message whatever went wrong (unknown user, wrong password,
locked or disabled account), and unknown users cost a password hash too, so
neither the text nor the timing tells an attacker which usernames exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

import pyotp
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from .crypto import Undecryptable
from .db import Database, IntegrityError, to_utc, utcnow
from .sealing import TOTP_SECRET, keyring_of
from ..logs import get_logger
from ..settings import Settings

log = get_logger(__name__)

#: Every staff role, once (the database does not list them; migration 0020). Add a role here.
ROLES = {"kcc": "KCC-medewerker", "casemanager": "Casemanager wijkteam", "redacteur": "Redacteur",
         "beleid": "Beleidsadviseur"}
#: roles that need a second factor (TOTP) after the password: they see referrals or the steering figures
TOTP_ROLES = frozenset({"casemanager", "beleid"})
# RFC 9106's second recommended option: 3 passes over 64 MiB, 4 lanes.
HASHER = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4, hash_len=32, salt_len=16, type=Type.ID)
PASSWORD_MIN_LENGTH = 12
LOGIN_FAILED_MESSAGE = ("Inloggen is niet gelukt. Controleer uw gebruikersnaam en wachtwoord. Na te veel "
                        "mislukte pogingen kunt u een tijd niet inloggen.")
TOTP_FAILED_MESSAGE = "De code klopt niet. Vul de code van 6 cijfers in die uw app nu laat zien."
TOTP_ISSUER = "Gemeente Voorbeeldstad catalogus"
SESSION_TOUCH_SECONDS = 60  # last_seen is written at most once a minute per session
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_DUMMY_HASH: dict[str, str] = {}


class AccountError(ValueError):
    """A user-management command cannot be carried out (message for the person at the console)."""


class LoginFailed(Exception):
    """Login refused; the message is the same whatever the reason."""

    def __init__(self, message: str = LOGIN_FAILED_MESSAGE):
        super().__init__(message)


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    disabled: bool
    totp_enrolled: bool
    municipality: str | None = None  # the municipality whose team it is; None: the whole region

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


@dataclass(frozen=True)
class Session:
    token_hash: str
    user: User
    created_at: dt.datetime
    last_seen_at: dt.datetime
    totp_verified: bool

    @property
    def complete(self) -> bool:
        """Fully logged in: case managers and policy advisers also need their second factor."""
        return self.user.role not in TOTP_ROLES or self.totp_verified


# ------------------------------------------------------------------ user management

def normalise_username(username: str) -> str:
    return username.strip().lower()


def password_problems(password: str, username: str = "") -> list[str]:
    """What is wrong with a new password (empty when it is fine)."""
    problems = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(f"Het wachtwoord moet minstens {PASSWORD_MIN_LENGTH} tekens lang zijn.")
    if username and normalise_username(username) in password.lower():
        problems.append("Het wachtwoord mag de gebruikersnaam niet bevatten.")
    if len(set(password)) < 5:
        problems.append("Het wachtwoord moet uit meer verschillende tekens bestaan.")
    return problems


#: roles whose work is one municipality's: their account must name it
MUNICIPAL_ROLES = frozenset({"casemanager"})


def add_user(db: Database, username: str, display_name: str, role: str, password: str,
             now: dt.datetime | None = None, municipality: str | None = None) -> User:
    """A new account. A case manager belongs to one municipality (``municipality``, an id of the region);
    other roles may name one or work for the whole region (None)."""
    username = normalise_username(username)
    if not _USERNAME.match(username):
        raise AccountError("Een gebruikersnaam is 2 tot 64 tekens: kleine letters, cijfers, punt, - of _.")
    if role not in ROLES:
        raise AccountError(f"Rol moet een van {', '.join(ROLES)} zijn.")
    if not display_name.strip():
        raise AccountError("Vul een naam in.")
    if role in MUNICIPAL_ROLES and not municipality:
        raise AccountError("Een casemanager hoort bij één gemeente: geef de gemeente op (--gemeente).")
    problems = password_problems(password, username)
    if problems:
        raise AccountError(" ".join(problems))
    now = to_utc(now or utcnow())
    password_hash = HASHER.hash(password)
    try:
        with db.transaction() as tx:
            tx.execute("INSERT INTO users (username, display_name, role, password_hash, created_at, "
                       "password_changed_at, municipality) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (username, display_name.strip(), role, password_hash, now, now, municipality))
            user = _user(tx, username)
    except IntegrityError:
        raise AccountError("Die gebruikersnaam bestaat al.") from None
    log.info("user_added", user_id=user.id, role=role, municipality=municipality or "regio")
    return user


def disable_user(db: Database, username: str) -> User:
    """Disable an account and end all its sessions."""
    with db.transaction() as tx:
        user = _existing(tx, username)
        tx.execute("UPDATE users SET disabled = ? WHERE id = ?", (True, user.id))
        tx.execute("DELETE FROM sessions WHERE user_id = ?", (user.id,))
    log.info("user_disabled", user_id=user.id)
    return user


def reset_password(db: Database, username: str, password: str, *, reset_totp: bool = False,
                   now: dt.datetime | None = None) -> User:
    """Set a new password (and optionally require TOTP enrolment again); unlock; end all sessions."""
    username = normalise_username(username)
    problems = password_problems(password, username)
    if problems:
        raise AccountError(" ".join(problems))
    password_hash = HASHER.hash(password)
    with db.transaction() as tx:
        user = _existing(tx, username)
        tx.execute("UPDATE users SET password_hash = ?, password_changed_at = ?, failed_logins = 0, "
                   "locked_until = NULL, disabled = ? WHERE id = ?",
                   (password_hash, to_utc(now or utcnow()), False, user.id))
        if reset_totp:
            tx.execute("UPDATE users SET totp_secret = NULL, totp_enrolled = ?, totp_last_step = NULL "
                       "WHERE id = ?", (False, user.id))
        tx.execute("DELETE FROM sessions WHERE user_id = ?", (user.id,))
    log.info("password_reset", user_id=user.id, reason="totp" if reset_totp else "password")
    return user


def list_users(db: Database) -> list[User]:
    with db.transaction(write=False) as tx:
        rows = tx.fetchall(f"SELECT {_USER_COLUMNS} FROM users ORDER BY username")
    return [_to_user(row) for row in rows]


_USER_COLUMNS = "id, username, display_name, role, disabled, totp_enrolled, municipality"


def _to_user(row: dict) -> User:
    return User(**{**row, "disabled": bool(row["disabled"]), "totp_enrolled": bool(row["totp_enrolled"])})


def _user(tx, username: str) -> User | None:
    row = tx.fetchone(f"SELECT {_USER_COLUMNS} FROM users WHERE username = ?", (normalise_username(username),))
    return _to_user(row) if row else None


def set_municipality(db: Database, username: str, municipality: str | None) -> User:
    """Move an account to another municipality's team (None: the whole region, not for case managers)."""
    with db.transaction() as tx:
        user = _existing(tx, username)
        if user.role in MUNICIPAL_ROLES and not municipality:
            raise AccountError("Een casemanager hoort bij één gemeente: geef de gemeente op.")
        tx.execute("UPDATE users SET municipality = ? WHERE id = ?", (municipality, user.id))
        tx.execute("DELETE FROM sessions WHERE user_id = ?", (user.id,))  # what they may see changes: log in again
        user = _user(tx, username)
    log.info("user_municipality", user_id=user.id, municipality=municipality or "regio")
    return user


def _existing(tx, username: str) -> User:
    user = _user(tx, username)
    if user is None:
        raise AccountError("Die gebruiker bestaat niet.")
    return user


# ------------------------------------------------------------------ login

def _dummy_hash() -> str:
    if "hash" not in _DUMMY_HASH:
        _DUMMY_HASH["hash"] = HASHER.hash(secrets.token_urlsafe(16))
    return _DUMMY_HASH["hash"]


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(db: Database, username: str, password: str, settings: Settings,
                 now: dt.datetime | None = None) -> User:
    """Check username and password; raise LoginFailed (one message for every reason)."""
    now = to_utc(now or utcnow())
    with db.transaction(write=False) as tx:
        row = tx.fetchone(f"SELECT {_USER_COLUMNS}, password_hash, locked_until FROM users WHERE username = ?",
                          (normalise_username(username)[:200],))
    if row is None:
        _verify(_dummy_hash(), password)  # same work as for a real user
        log.info("login_failed", reason="unknown_user")
        raise LoginFailed()
    password_ok = _verify(row["password_hash"], password)
    user = _to_user({k: row[k] for k in ("id", "username", "display_name", "role", "disabled", "totp_enrolled",
                                         "municipality")})
    if row["locked_until"] is not None and row["locked_until"] > now:
        log.warning("login_refused_locked", user_id=user.id)
        raise LoginFailed()
    if user.disabled:
        log.info("login_failed", reason="disabled", user_id=user.id)
        raise LoginFailed()
    if not password_ok:
        record_failure(db, user.id, settings, now, reason="password")
        raise LoginFailed()
    with db.transaction() as tx:
        tx.execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", (user.id,))
        if HASHER.check_needs_rehash(row["password_hash"]):
            tx.execute("UPDATE users SET password_hash = ? WHERE id = ?", (HASHER.hash(password), user.id))
    log.info("login_password_ok", user_id=user.id, role=user.role)
    return user


def record_failure(db: Database, user_id: int, settings: Settings, now: dt.datetime, reason: str) -> bool:
    """Count a failed password or TOTP attempt; lock the account at the limit. Return True when it locked."""
    with db.transaction() as tx:
        tx.execute("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?", (user_id,))
        locked = tx.execute("UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ? AND failed_logins >= ?",
                            (now + dt.timedelta(minutes=settings.login_lock_minutes), user_id,
                             settings.login_max_failures)) == 1
    log.info("login_failed", reason=reason, user_id=user_id)
    if locked:
        log.warning("account_locked", user_id=user_id, minutes=settings.login_lock_minutes)
    return locked


# ------------------------------------------------------------------ TOTP

def start_totp_enrolment(db: Database, user_id: int) -> str:
    """Give a user who has not enrolled yet a fresh secret; return it (for the QR code)."""
    secret = pyotp.random_base32()
    sealed = keyring_of(db).encrypt(secret, TOTP_SECRET.context(user_id))  # never stored as plain text
    with db.transaction() as tx:
        changed = tx.execute("UPDATE users SET totp_secret = ?, totp_last_step = NULL WHERE id = ? AND "
                             "totp_enrolled = ?", (sealed, user_id, False))
    if changed != 1:
        raise AccountError("Deze gebruiker heeft tweestapsverificatie al ingesteld.")
    return secret


def totp_uri(secret: str, username: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def verify_totp(db: Database, user_id: int, code: str, settings: Settings, now: dt.datetime | None = None) -> bool:
    """Check a 6-digit code (one step of clock drift either way, each code only once).

    A correct code during enrolment completes it; a wrong one counts as a failed login.
    """
    now = to_utc(now or utcnow())
    code = re.sub(r"\s", "", code or "")
    with db.transaction(write=False) as tx:
        row = tx.fetchone("SELECT totp_secret, totp_last_step, locked_until FROM users WHERE id = ?", (user_id,))
    if row is None or not row["totp_secret"] or (row["locked_until"] is not None and row["locked_until"] > now):
        return False
    secret = _open_secret(db, user_id, row["totp_secret"])
    if secret is None:
        return False
    step = _matching_step(secret, code, now) if re.fullmatch(r"\d{6}", code) else None
    if step is not None:
        with db.transaction() as tx:
            fresh = tx.execute("UPDATE users SET totp_last_step = ?, totp_enrolled = ?, failed_logins = 0 "
                               "WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)",
                               (step, True, user_id, step)) == 1
        if fresh:
            log.info("totp_ok", user_id=user_id)
            return True
    record_failure(db, user_id, settings, now, reason="totp")
    return False


def _matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def totp_secret(db: Database, user_id: int) -> str | None:
    with db.transaction(write=False) as tx:
        sealed = tx.fetchvalue("SELECT totp_secret FROM users WHERE id = ?", (user_id,))
    return _open_secret(db, user_id, sealed) if sealed else None


def _open_secret(db: Database, user_id: int, sealed: str) -> str | None:
    """The TOTP secret in plain text, or None (logged) when the key ring cannot open it."""
    try:
        return keyring_of(db).decrypt(sealed, TOTP_SECRET.context(user_id))
    except Undecryptable as exc:
        log.error("totp_secret_unreadable", user_id=user_id, key_id=exc.key_id or "-")
        return None


# ------------------------------------------------------------------ sessions

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(db: Database, user: User, now: dt.datetime | None = None, *, totp_verified: bool = False,
                   created_at: dt.datetime | None = None) -> str:
    """Start a session; return the token for the cookie (only its SHA-256 is stored)."""
    now = to_utc(now or utcnow())
    token = secrets.token_urlsafe(32)  # 256 bits
    with db.transaction() as tx:
        tx.execute("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, totp_verified) "
                   "VALUES (?, ?, ?, ?, ?)", (_token_hash(token), user.id, created_at or now, now, totp_verified))
    return token


def load_session(db: Database, token: str | None, settings: Settings,
                 now: dt.datetime | None = None) -> Session | None:
    """The live session for a cookie value, or None (expired sessions are deleted on sight)."""
    if not token or len(token) > 200:
        return None
    now = to_utc(now or utcnow())
    token_hash = _token_hash(token)
    with db.transaction(write=False) as tx:
        row = tx.fetchone("SELECT s.created_at, s.last_seen_at, s.totp_verified, u.id, u.username, "
                          "u.display_name, u.role, u.disabled, u.totp_enrolled, u.municipality FROM sessions s "
                          "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?", (token_hash,))
    if row is None:
        return None
    expired = (row["disabled"] or now - row["last_seen_at"] > dt.timedelta(minutes=settings.session_idle_minutes)
               or now - row["created_at"] > dt.timedelta(hours=settings.session_max_hours))
    if expired:
        end_session(db, token)
        return None
    if now - row["last_seen_at"] > dt.timedelta(seconds=SESSION_TOUCH_SECONDS):
        with db.transaction() as tx:
            tx.execute("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", (now, token_hash))
    user = _to_user({k: row[k] for k in ("id", "username", "display_name", "role", "disabled", "totp_enrolled",
                                         "municipality")})
    return Session(token_hash, user, row["created_at"], now, bool(row["totp_verified"]))


def rotate_session(db: Database, token: str, now: dt.datetime | None = None, *,
                   totp_verified: bool | None = None) -> str | None:
    """Replace a session's token (keeping its start time); return the new token, or None if it was gone."""
    now = to_utc(now or utcnow())
    new_token = secrets.token_urlsafe(32)
    with db.transaction() as tx:
        row = tx.fetchone("SELECT user_id, created_at, totp_verified FROM sessions WHERE token_hash = ?",
                          (_token_hash(token),))
        if row is None:
            return None
        tx.execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))
        verified = row["totp_verified"] if totp_verified is None else totp_verified
        tx.execute("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, totp_verified) "
                   "VALUES (?, ?, ?, ?, ?)", (_token_hash(new_token), row["user_id"], row["created_at"], now,
                                              bool(verified)))
    return new_token


def end_session(db: Database, token: str | None) -> None:
    """Log out: delete the session row, so the cookie is worthless everywhere."""
    if token:
        with db.transaction() as tx:
            tx.execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))


def cleanup_sessions_in(tx, settings: Settings, now: dt.datetime) -> int:
    """Delete sessions past their idle or absolute limit (inside the caller's transaction)."""
    return tx.execute("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?",
                      (now - dt.timedelta(minutes=settings.session_idle_minutes),
                       now - dt.timedelta(hours=settings.session_max_hours)))
