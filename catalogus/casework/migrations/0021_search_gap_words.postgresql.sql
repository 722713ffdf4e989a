-- Failed searches no longer keep their text (it can hold a name and a situation): the old
-- list goes. Editors get single words instead (catalogus.search.gaps): a word is listed only
-- after several different searches asked for it; until then only keyed hashes are kept,
-- without any time.
DROP TABLE search_gaps;

CREATE TABLE search_gap_words (
    word TEXT PRIMARY KEY,
    searches INTEGER NOT NULL CHECK (searches > 0),
    first_seen TIMESTAMPTZ NOT NULL,
    last_seen TIMESTAMPTZ NOT NULL
);
CREATE INDEX search_gap_words_rank ON search_gap_words (searches DESC, last_seen DESC);

CREATE TABLE search_gap_pending (
    period INTEGER NOT NULL,
    word_hash TEXT NOT NULL,
    search_hash TEXT NOT NULL,
    PRIMARY KEY (period, word_hash, search_hash)
);
CREATE INDEX search_gap_pending_word ON search_gap_pending (word_hash);
