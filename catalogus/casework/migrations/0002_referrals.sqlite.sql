-- Referrals to the wijkteam (the only personal data catalogus stores) and their access log.
CREATE TABLE referrals (
    reference TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    contact_time TEXT NOT NULL CHECK (contact_time IN ('ochtend', 'middag', 'avond', 'geen_voorkeur')),
    note TEXT NOT NULL DEFAULT '',
    answers TEXT NOT NULL,
    products TEXT NOT NULL,
    reasons TEXT NOT NULL,
    urgent BOOLEAN NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('online', 'kcc')),
    consent_version TEXT NOT NULL,
    catalog_version TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    created_by INTEGER REFERENCES users (id),
    status TEXT NOT NULL DEFAULT 'nieuw' CHECK (status IN ('nieuw', 'in_behandeling', 'afgerond')),
    assigned_to INTEGER REFERENCES users (id),
    assigned_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    CHECK (phone IS NOT NULL OR email IS NOT NULL)
);
CREATE INDEX referrals_queue ON referrals (status, urgent, created_at);

-- NEN 7513-style access log: append-only. No foreign keys, so that rows outlive purged
-- referrals and disabled users.
CREATE TABLE access_log (
    id INTEGER PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    user_id INTEGER,
    username TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    reference TEXT,
    address TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_log_by_reference ON access_log (reference, at);

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;

CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
