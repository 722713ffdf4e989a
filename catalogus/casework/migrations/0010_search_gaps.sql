-- Search queries that found nothing, counted so content editors can add keywords or synonyms.
-- The text is stored lower-case without digits or e-mail addresses (catalogus.search.gap_text):
-- no phone numbers, BSNs or other numbers. Same SQL on SQLite and PostgreSQL.
CREATE TABLE search_gaps (
    query TEXT PRIMARY KEY,
    times INTEGER NOT NULL CHECK (times > 0),
    first_seen TIMESTAMPTZ NOT NULL,
    last_seen TIMESTAMPTZ NOT NULL
);
CREATE INDEX search_gaps_times ON search_gaps (times DESC, last_seen DESC);
