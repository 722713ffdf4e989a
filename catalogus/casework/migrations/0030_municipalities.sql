-- A region (issue 14): every referral belongs to the resident's municipality and lands in its wijkteam's
-- queue; every case manager belongs to exactly one municipality's team (KCC and other staff may be regional:
-- NULL). Rows from before the region get the default municipality at start-up (casework.jobs), since only
-- the content knows which one that is. Same SQL on SQLite and PostgreSQL.
ALTER TABLE referrals ADD COLUMN municipality TEXT;
ALTER TABLE users ADD COLUMN municipality TEXT;
CREATE INDEX referrals_municipality ON referrals (municipality, urgent, created_at);
