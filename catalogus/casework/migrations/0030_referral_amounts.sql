-- What the household was told about money when it was referred (issue 13): the indicative amounts
-- shown per product and the yearly total, as JSON, so the wijkteam sees the same figures. The check
-- is run again later on other norms; this keeps the figures of that day. NULL for older referrals.
-- Same SQL on SQLite and PostgreSQL.
ALTER TABLE referrals ADD COLUMN amounts TEXT;
ALTER TABLE referrals ADD COLUMN amounts_total TEXT;
