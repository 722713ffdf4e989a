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
    created_by BIGINT REFERENCES users (id),
    status TEXT NOT NULL DEFAULT 'nieuw' CHECK (status IN ('nieuw', 'in_behandeling', 'afgerond')),
    assigned_to BIGINT REFERENCES users (id),
    assigned_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    CHECK (phone IS NOT NULL OR email IS NOT NULL)
);
CREATE INDEX referrals_queue ON referrals (status, urgent, created_at);

-- NEN 7513-style access log: append-only. No foreign keys, so that rows outlive purged
-- referrals and disabled users.
CREATE TABLE access_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    user_id BIGINT,
    username TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    reference TEXT,
    address TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_log_by_reference ON access_log (reference, at);

CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access_log is append-only';
END;
$$;

CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();

-- A second line of defence for non-owner application roles; the triggers hold for everyone.
REVOKE UPDATE, DELETE, TRUNCATE ON access_log FROM PUBLIC;
