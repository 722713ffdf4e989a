-- Staff roles are defined once, in catalogus.casework.accounts.ROLES (a new role such as
-- 'redacteur' or 'beleid' needs no migration). SQLite cannot drop a CHECK constraint, so the
-- users table is rebuilt without it (the runner turns foreign keys off around each SQLite
-- migration and checks them before commit, so sessions and referrals keep their users).
CREATE TABLE users_new (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role <> ''),
    password_hash TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    totp_secret TEXT,
    totp_enrolled BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step BIGINT,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    password_changed_at TIMESTAMPTZ NOT NULL
);
INSERT INTO users_new (id, username, display_name, role, password_hash, disabled, totp_secret, totp_enrolled,
                       totp_last_step, failed_logins, locked_until, created_at, password_changed_at)
    SELECT id, username, display_name, role, password_hash, disabled, totp_secret, totp_enrolled, totp_last_step,
           failed_logins, locked_until, created_at, password_changed_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
