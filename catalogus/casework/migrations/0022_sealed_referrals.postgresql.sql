-- Referrals are encrypted at rest (catalogus.casework.crypto): the personal fields (name, phone,
-- e-mail, note, answers, products, reasons) become one AES-GCM value in `sealed`; equal phone
-- numbers and e-mail addresses are found through keyed blind indexes. SQL cannot encrypt, so the
-- plain text of existing rows waits in referrals_unsealed until the first start seals it
-- (catalogus.casework.sealing) and deletes it there. VACUUM FULL referrals afterwards removes
-- the dropped columns' old values from disk too.
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

ALTER TABLE referrals DROP COLUMN name, DROP COLUMN phone, DROP COLUMN email, DROP COLUMN note,
    DROP COLUMN answers, DROP COLUMN products, DROP COLUMN reasons;
ALTER TABLE referrals ADD COLUMN sealed TEXT, ADD COLUMN phone_index TEXT, ADD COLUMN email_index TEXT;
CREATE INDEX referrals_by_phone ON referrals (phone_index);
CREATE INDEX referrals_by_email ON referrals (email_index);

-- A resident's address in the access log is personal data that the consent text promises to delete
-- with the referral, but the log is append-only. So it lives here, keyed by the log row and the
-- referral, encrypted, and goes with the referral (ON DELETE CASCADE, and explicitly in purge).
-- Staff addresses stay in the log itself: they are what the log is for.
CREATE TABLE resident_addresses (
    access_id BIGINT PRIMARY KEY,
    reference TEXT NOT NULL REFERENCES referrals (reference) ON DELETE CASCADE,
    address TEXT NOT NULL
);
CREATE INDEX resident_addresses_by_reference ON resident_addresses (reference);
INSERT INTO resident_addresses (access_id, reference, address)
    SELECT a.id, a.reference, a.address FROM access_log a JOIN referrals r ON r.reference = a.reference
    WHERE a.role = 'inwoner' AND a.address <> '';

-- The one change ever made to the access log: residents' addresses out (of purged referrals too).
ALTER TABLE access_log DISABLE TRIGGER access_log_no_change;
UPDATE access_log SET address = '' WHERE role = 'inwoner';
ALTER TABLE access_log ENABLE TRIGGER access_log_no_change;
