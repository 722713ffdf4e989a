"""Staff accounts: argon2id, locks, one message for every failed login, TOTP, database sessions and
rate limits that every process shares."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pyotp
import pytest
from click.testing import CliRunner

from catalogus.casework import accounts, ratelimit
from catalogus.casework.accounts import LOGIN_FAILED_MESSAGE, AccountError, LoginFailed
from catalogus.cli import main
from catalogus.casework.db import Database
from tests.support.databases import T0, db, db_settings, json_logs  # noqa: F401  (fixtures)

PASSWORD = "paarse olifant 1987!"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def anna(db):
    return accounts.add_user(db, "Anna", "Anna de Wit", "casemanager", PASSWORD, now=T0, municipality="voorbeeldstad")


def _password_hash(db, username):
    with db.transaction(write=False) as tx:
        return tx.fetchvalue("SELECT password_hash FROM users WHERE username = ?", (username,))


# ------------------------------------------------------------------ passwords and login

def test_passwords_are_stored_as_argon2id_hashes_only(db, anna):
    stored = _password_hash(db, "anna")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in stored


def test_login_works_with_the_right_password_whatever_the_case_of_the_username(db, db_settings, anna):
    assert accounts.authenticate(db, "  ANNA ", PASSWORD, db_settings, now=T0).id == anna.id


def test_unknown_user_and_wrong_password_get_the_same_message_and_both_cost_a_hash(db, db_settings, anna,
                                                                                  monkeypatch):
    verified = []
    real_verify = accounts._verify
    monkeypatch.setattr(accounts, "_verify", lambda h, p: verified.append(h) or real_verify(h, p))
    messages = []
    for username, password in (("anna", "verkeerd wachtwoord"), ("niemand", PASSWORD), ("niemand", "x")):
        with pytest.raises(LoginFailed) as caught:
            accounts.authenticate(db, username, password, db_settings, now=T0)
        messages.append(str(caught.value))
    assert messages == [LOGIN_FAILED_MESSAGE] * 3
    assert len(verified) == 3  # the unknown user was checked against a dummy argon2id hash too
    assert all(h.startswith("$argon2id$v=19$m=65536,t=3,p=4$") for h in verified)


def test_too_many_failures_lock_the_account_for_a_while_and_the_lock_is_logged_without_names(
        db, db_settings, anna, json_logs):
    settings = db_settings.with_(login_max_failures=3, login_lock_minutes=15)
    for _ in range(3):
        with pytest.raises(LoginFailed):
            accounts.authenticate(db, "anna", "fout fout fout", settings, now=T0)
    with pytest.raises(LoginFailed) as caught:  # even the right password is refused now, same message
        accounts.authenticate(db, "anna", PASSWORD, settings, now=T0 + dt.timedelta(minutes=14))
    assert str(caught.value) == LOGIN_FAILED_MESSAGE
    assert accounts.authenticate(db, "anna", PASSWORD, settings, now=T0 + dt.timedelta(minutes=16)).id == anna.id
    locked = [e for e in json_logs.events if e["event"] == "account_locked"]
    assert locked == [{**locked[0], "user_id": anna.id, "minutes": 15}]
    assert "anna" not in json_logs.text.lower() and "Wit" not in json_logs.text and PASSWORD not in json_logs.text


def test_a_successful_login_resets_the_failure_count(db, db_settings, anna):
    settings = db_settings.with_(login_max_failures=3)
    for _ in range(2):
        with pytest.raises(LoginFailed):
            accounts.authenticate(db, "anna", "fout fout fout", settings, now=T0)
    accounts.authenticate(db, "anna", PASSWORD, settings, now=T0)
    for _ in range(2):
        with pytest.raises(LoginFailed):
            accounts.authenticate(db, "anna", "fout fout fout", settings, now=T0)
    assert accounts.authenticate(db, "anna", PASSWORD, settings, now=T0).id == anna.id


def test_a_disabled_account_cannot_log_in_and_loses_its_sessions(db, db_settings, anna):
    token = accounts.create_session(db, anna, T0)
    accounts.disable_user(db, "anna")
    assert accounts.load_session(db, token, db_settings, now=T0) is None
    with pytest.raises(LoginFailed):
        accounts.authenticate(db, "anna", PASSWORD, db_settings, now=T0)


def test_weak_passwords_and_bad_usernames_are_refused(db):
    with pytest.raises(AccountError, match="12 tekens"):
        accounts.add_user(db, "piet", "Piet", "kcc", "kort")
    with pytest.raises(AccountError, match="gebruikersnaam"):
        accounts.add_user(db, "piet", "Piet", "kcc", "piet-piet-piet-1")
    with pytest.raises(AccountError, match="Rol"):
        accounts.add_user(db, "piet", "Piet", "admin", PASSWORD)
    with pytest.raises(AccountError):
        accounts.add_user(db, "p i e t", "Piet", "kcc", PASSWORD)
    accounts.add_user(db, "piet", "Piet", "kcc", PASSWORD)
    with pytest.raises(AccountError, match="bestaat al"):
        accounts.add_user(db, "PIET", "Piet", "kcc", PASSWORD)


# ------------------------------------------------------------------ TOTP

def test_totp_enrolment_then_codes_work_once_each_within_a_step_of_drift(db, db_settings, anna):
    secret = accounts.start_totp_enrolment(db, anna.id)
    assert accounts.totp_uri(secret, "anna").startswith("otpauth://totp/")
    app = pyotp.TOTP(secret)
    assert accounts.verify_totp(db, anna.id, app.at(T0), db_settings, now=T0) is True
    assert accounts.list_users(db)[0].totp_enrolled is True
    with pytest.raises(AccountError):  # enrolled: nobody can swap the secret from the login screen
        accounts.start_totp_enrolment(db, anna.id)
    assert accounts.verify_totp(db, anna.id, app.at(T0), db_settings, now=T0) is False  # replay
    later = T0 + dt.timedelta(minutes=5)
    assert accounts.verify_totp(db, anna.id, app.at(later - dt.timedelta(seconds=30)), db_settings, now=later)
    assert not accounts.verify_totp(db, anna.id, app.at(later + dt.timedelta(seconds=90)), db_settings, now=later)
    assert not accounts.verify_totp(db, anna.id, "12345", db_settings, now=later)


def test_guessing_totp_codes_locks_the_account(db, db_settings, anna):
    settings = db_settings.with_(login_max_failures=3)
    secret = accounts.start_totp_enrolment(db, anna.id)
    for guess in ("000000", "111111", "222222"):
        assert accounts.verify_totp(db, anna.id, guess, settings, now=T0) is False
    right = pyotp.TOTP(secret).at(T0)
    assert accounts.verify_totp(db, anna.id, right, settings, now=T0) is False
    with pytest.raises(LoginFailed):
        accounts.authenticate(db, "anna", PASSWORD, settings, now=T0)


# ------------------------------------------------------------------ sessions

def test_only_a_hash_of_the_session_token_is_stored(db, anna):
    token = accounts.create_session(db, anna, T0)
    assert len(token) >= 43  # 256 bits, url-safe base64
    with db.transaction(write=False) as tx:
        stored = tx.fetchall("SELECT * FROM sessions")
    assert len(stored) == 1 and token not in repr(stored)


def test_a_session_ends_after_30_idle_minutes(db, db_settings, anna):
    token = accounts.create_session(db, anna, T0)
    assert accounts.load_session(db, token, db_settings, now=T0 + dt.timedelta(minutes=29)) is not None
    assert accounts.load_session(db, token, db_settings, now=T0 + dt.timedelta(minutes=58)) is not None
    assert accounts.load_session(db, token, db_settings, now=T0 + dt.timedelta(minutes=89)) is None
    assert accounts.load_session(db, token, db_settings, now=T0 + dt.timedelta(minutes=90)) is None  # deleted


def test_a_busy_session_still_ends_after_10_hours(db, db_settings, anna):
    token = accounts.create_session(db, anna, T0, totp_verified=True)
    moment = T0
    while moment < T0 + dt.timedelta(hours=9, minutes=50):
        moment += dt.timedelta(minutes=20)
        assert accounts.load_session(db, token, db_settings, now=moment) is not None
    assert accounts.load_session(db, token, db_settings, now=T0 + dt.timedelta(hours=10, minutes=1)) is None


def test_rotation_gives_a_new_token_and_kills_the_old_one(db, db_settings, anna):
    old = accounts.create_session(db, anna, T0)
    session = accounts.load_session(db, old, db_settings, now=T0)
    assert session.complete is False  # a case manager without TOTP is not fully logged in
    new = accounts.rotate_session(db, old, T0 + dt.timedelta(minutes=1), totp_verified=True)
    assert new != old
    assert accounts.load_session(db, old, db_settings, now=T0) is None
    rotated = accounts.load_session(db, new, db_settings, now=T0 + dt.timedelta(minutes=1))
    assert rotated.complete is True and rotated.created_at == T0  # absolute lifetime counts from login


def test_logout_deletes_the_session_on_the_server(db, db_settings, anna):
    token = accounts.create_session(db, anna, T0)
    accounts.end_session(db, token)
    assert accounts.load_session(db, token, db_settings, now=T0) is None
    assert accounts.load_session(db, "nonsense", db_settings, now=T0) is None


def test_a_password_reset_ends_every_session_and_can_require_new_totp(db, db_settings, anna):
    accounts.start_totp_enrolment(db, anna.id)
    token = accounts.create_session(db, anna, T0)
    accounts.reset_password(db, "anna", "een heel nieuw wachtwoord", reset_totp=True)
    assert accounts.load_session(db, token, db_settings, now=T0) is None
    assert accounts.totp_secret(db, anna.id) is None
    assert accounts.authenticate(db, "anna", "een heel nieuw wachtwoord", db_settings).id == anna.id


# ------------------------------------------------------------------ rate limits

def test_the_rate_limit_is_shared_between_connections_and_processes(db, db_settings):
    second = Database(db_settings)  # another pool: other connections, as another worker would have
    moment = T0 + dt.timedelta(seconds=5)
    assert all(ratelimit.allow(db, "login", "192.0.2.1", 6, now=moment) for _ in range(2))
    assert all(ratelimit.allow(second, "login", "192.0.2.1", 6, now=moment) for _ in range(2))
    code = ("import datetime as dt, sys; from catalogus.casework import ratelimit; from catalogus.casework.db import Database;"
            "from catalogus.settings import Settings; d = Database(Settings.from_env());"
            f"m = dt.datetime.fromisoformat('{moment.isoformat()}');"
            "sys.exit(0 if all(ratelimit.allow(d, 'login', '192.0.2.1', 6, now=m) for _ in range(2)) else 1)")
    env = {**os.environ, "CATALOGUS_DATA_DIR": str(db_settings.data_dir),
           "CATALOGUS_DATABASE_URL": db_settings.database_url}
    assert subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT).returncode == 0
    assert ratelimit.allow(db, "login", "192.0.2.1", 6, now=moment) is False  # the 7th hit, wherever it lands
    assert ratelimit.allow(second, "login", "198.51.100.2", 6, now=moment) is True  # another client
    assert ratelimit.allow(second, "aanmelden", "192.0.2.1", 6, now=moment) is True  # another bucket
    assert ratelimit.allow(db, "login", "192.0.2.1", 6, now=moment + dt.timedelta(minutes=2)) is True
    second.close()


def test_the_rate_limit_counts_the_previous_minute_for_a_sliding_window(db):
    start = T0 + dt.timedelta(seconds=50)
    for _ in range(6):
        assert ratelimit.allow(db, "login", "192.0.2.1", 6, now=start)
    assert ratelimit.allow(db, "login", "192.0.2.1", 6, now=start + dt.timedelta(seconds=15)) is False


# ------------------------------------------------------------------ CLI

def _cli(db_settings, args, input_text):
    env = {"CATALOGUS_DATA_DIR": str(db_settings.data_dir), "CATALOGUS_DATABASE_URL": db_settings.database_url}
    return CliRunner().invoke(main, args, input=input_text, env=env)


def test_users_add_prompts_twice_without_echo_and_users_list_shows_the_account(db, db_settings):
    result = _cli(db_settings, ["users", "add", "kees", "--name", "Kees Bakker", "--role", "kcc"],
                  f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output and "kees" in result.output
    listing = _cli(db_settings, ["users", "list"], "")
    assert "kees\tkcc\tregio\taan" in listing.output


def test_users_commands_read_the_password_from_stdin_and_report_errors_with_exit_code_1(db, db_settings):
    assert _cli(db_settings, ["users", "add", "kees", "--name", "K", "--role", "kcc", "--password-stdin"],
                f"{PASSWORD}\n").exit_code == 0
    weak = _cli(db_settings, ["users", "reset-password", "kees", "--password-stdin"], "kort\n")
    assert weak.exit_code == 1 and "12 tekens" in weak.output
    assert _cli(db_settings, ["users", "reset-password", "kees", "--password-stdin"],
                "nog een lang wachtwoord\n").exit_code == 0
    assert accounts.authenticate(db, "kees", "nog een lang wachtwoord", db_settings).username == "kees"
    assert _cli(db_settings, ["users", "disable", "kees"], "").exit_code == 0
    assert _cli(db_settings, ["users", "disable", "niemand"], "").exit_code == 1
    assert "0 aanmeldingen verwijderd" in _cli(db_settings, ["purge"], "").output


def test_users_add_takes_the_redacteur_role_and_the_help_lists_every_role(db, db_settings):
    added = _cli(db_settings, ["users", "add", "rita", "--name", "Rita Redactie", "--role", "redacteur",
                               "--password-stdin"], f"{PASSWORD}\n")
    assert added.exit_code == 0, added.output
    assert "Account rita (Redacteur) is aangemaakt." in added.output
    assert "rita\tredacteur\tregio\taan" in _cli(db_settings, ["users", "list"], "").output
    unknown = _cli(db_settings, ["users", "add", "bob", "--name", "Bob", "--role", "baas", "--password-stdin"],
                   f"{PASSWORD}\n")
    assert unknown.exit_code == 2 and "'baas' is not one of" in unknown.output or "baas" in unknown.output
    assert all(role in _cli(db_settings, ["users", "--help"], "").output for role in accounts.ROLES)
