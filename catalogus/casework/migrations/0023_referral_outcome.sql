-- "Afronden" records an outcome (catalogus.casework.referrals.OUTCOMES) and the status it came
-- from, so it can be undone for a short while; finishing a referral nobody took asks why
-- (closing_note, encrypted like the other personal fields). Same SQL on SQLite and PostgreSQL.
ALTER TABLE referrals ADD COLUMN outcome TEXT;
ALTER TABLE referrals ADD COLUMN finished_from TEXT;
ALTER TABLE referrals ADD COLUMN closing_note TEXT;
