-- Staff roles are defined once, in catalogus.casework.accounts.ROLES (a new role such as
-- 'redacteur' or 'beleid' needs no migration): the database no longer lists them.
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_not_empty CHECK (role <> '');
