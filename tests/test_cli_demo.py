"""`catalogus demo`: one working account per role with a printed one-time password; safe to repeat; demo only."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from catalogus.casework import accounts
from catalogus.casework.accounts import LoginFailed
from catalogus.cli import main
from tests.support.databases import db, db_settings  # noqa: F401  (fixtures)


def run_demo(db_settings, *args: str):
    env = {"CATALOGUS_DATA_DIR": str(db_settings.data_dir), "CATALOGUS_DATABASE_URL": db_settings.database_url}
    return CliRunner().invoke(main, ["demo", *args], env=env)


def printed_passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"^  (demo-[a-z]+) .* (\S+)$", output, re.MULTILINE))


def demo_output(db_settings) -> str:
    args = ["--force"] if db_settings.database_url else []
    result = run_demo(db_settings, *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_every_role_gets_a_demo_account_whose_printed_password_logs_in(db, db_settings):
    output = demo_output(db_settings)
    passwords = printed_passwords(output)
    assert set(passwords) == {f"demo-{role}" for role in accounts.ROLES}
    for username, password in passwords.items():
        assert accounts.password_problems(password, username) == []
        user = accounts.authenticate(db, username, password, db_settings)
        assert user.role == username.removeprefix("demo-") and not user.disabled
    assert "Alleen om lokaal te proberen" in output and "/medewerkers/inloggen" in output
    assert "tweestapsverificatie" in output


def test_running_it_again_gives_new_passwords_and_a_fresh_start_for_two_step_verification(db, db_settings):
    first = printed_passwords(demo_output(db_settings))
    case_manager = next(u for u in accounts.list_users(db) if u.username == "demo-casemanager")
    accounts.start_totp_enrolment(db, case_manager.id)
    with db.transaction() as tx:  # as if the case manager had set up the app
        tx.execute("UPDATE users SET totp_enrolled = ? WHERE id = ?", (True, case_manager.id))
    accounts.disable_user(db, "demo-kcc")

    second = printed_passwords(demo_output(db_settings))
    assert set(second) == set(first) and all(second[name] != first[name] for name in first)
    # no duplicates: one account per role, and a case manager for each of the region's three municipalities
    assert len(accounts.list_users(db)) == len(accounts.ROLES) - 1 + 3
    for username in first:
        with pytest.raises(LoginFailed):
            accounts.authenticate(db, username, first[username], db_settings)
        assert accounts.authenticate(db, username, second[username], db_settings).username == username
    assert not next(u for u in accounts.list_users(db) if u.username == "demo-casemanager").totp_enrolled


def test_a_postgresql_database_is_refused_without_force(tmp_path):
    result = CliRunner().invoke(main, ["demo"], env={"CATALOGUS_DATA_DIR": str(tmp_path),
                                                     "CATALOGUS_DATABASE_URL": "postgresql://x@127.0.0.1:1/echt"})
    assert result.exit_code == 1
    assert "PostgreSQL" in result.output and "--force" in result.output
    assert "demo-kcc" not in result.output
