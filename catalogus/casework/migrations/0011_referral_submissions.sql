-- A referral form carries a random submission key: a double-clicked or resent
-- form finds the referral it already made instead of storing a second one.
-- Same SQL on SQLite and PostgreSQL (both allow many NULLs under a unique index).
ALTER TABLE referrals ADD COLUMN submission_key TEXT;
CREATE UNIQUE INDEX referrals_submission_key ON referrals (submission_key);
