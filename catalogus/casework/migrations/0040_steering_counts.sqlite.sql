-- Sturingsinformatie (issue 15): counters per day and municipality, nothing finer. No answer values,
-- no times within a day, no addresses, no ids of a check, a session or a referral, no free text: ``item``
-- is always a word from a fixed vocabulary (a channel, a step, a product, a topic, a routing outcome).
-- Several processes add to a row at once with INSERT ... ON CONFLICT DO UPDATE (catalogus.steering.counters).
-- WITHOUT ROWID: not even the order in which rows were first made is kept.
CREATE TABLE steering_counts (
    day TEXT NOT NULL CHECK (length(day) = 10),
    municipality TEXT NOT NULL,
    metric TEXT NOT NULL,
    item TEXT NOT NULL DEFAULT '',
    n BIGINT NOT NULL CHECK (n >= 0),
    PRIMARY KEY (day, municipality, metric, item)
) WITHOUT ROWID;
