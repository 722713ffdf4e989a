-- Referrals are encrypted at rest (catalogus.casework.crypto): the personal fields (name, phone,
-- e-mail, note, answers, products, reasons) become one AES-GCM value in `sealed`; equal phone
-- numbers and e-mail addresses are found through keyed blind indexes. SQL cannot encrypt, so the
-- plain text of existing rows waits in referrals_unsealed until the first start seals it
-- (catalogus.casework.sealing) and deletes it there. Rebuilt: SQLite cannot drop columns with checks.
CREATE TABLE referrals_unsealed (
    reference TEXT PRIMARY KEY REFERENCES referrals (reference) ON DELETE CASCADE,
    name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    note TEXT NOT NULL,
    answers TEXT NOT NULL,
    products TEXT NOT NULL,
    reasons TEXT NOT NULL
);
INSERT INTO referrals_unsealed (reference, name, phone, email, note, answers, products, reasons)
    SELECT reference, name, phone, email, note, answers, products, reasons FROM referrals;

CREATE TABLE referrals_new (
    reference TEXT PRIMARY KEY,
    sealed TEXT,
    phone_index TEXT,
    email_index TEXT,
    contact_time TEXT NOT NULL CHECK (contact_time IN ('ochtend', 'middag', 'avond', 'geen_voorkeur')),
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
    submission_key TEXT
);
INSERT INTO referrals_new (reference, contact_time, urgent, channel, consent_version, catalog_version, created_at,
                           created_by, status, assigned_to, assigned_at, finished_at, submission_key)
    SELECT reference, contact_time, urgent, channel, consent_version, catalog_version, created_at, created_by,
           status, assigned_to, assigned_at, finished_at, submission_key FROM referrals;
DROP TABLE referrals;
ALTER TABLE referrals_new RENAME TO referrals;
CREATE INDEX referrals_queue ON referrals (status, urgent, created_at);
CREATE UNIQUE INDEX referrals_submission_key ON referrals (submission_key);
CREATE INDEX referrals_by_phone ON referrals (phone_index);
CREATE INDEX referrals_by_email ON referrals (email_index);

-- A resident's address in the access log is personal data that the consent text promises to delete
-- with the referral, but the log is append-only. So it lives here, keyed by the log row and the
-- referral, encrypted, and goes with the referral (ON DELETE CASCADE, and explicitly in purge).
-- Staff addresses stay in the log itself: they are what the log is for.
CREATE TABLE resident_addresses (
    access_id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL REFERENCES referrals (reference) ON DELETE CASCADE,
    address TEXT NOT NULL
);
CREATE INDEX resident_addresses_by_reference ON resident_addresses (reference);
INSERT INTO resident_addresses (access_id, reference, address)
    SELECT a.id, a.reference, a.address FROM access_log a JOIN referrals r ON r.reference = a.reference
    WHERE a.role = 'inwoner' AND a.address <> '';

-- The one change ever made to the access log: residents' addresses out (of purged referrals too).
DROP TRIGGER access_log_no_update;
UPDATE access_log SET address = '' WHERE role = 'inwoner';
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
