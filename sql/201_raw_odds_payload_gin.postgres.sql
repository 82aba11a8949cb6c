-- 201: A GIN index over the JSON payload, for containment queries
-- (payload @> '{"bookmaker": "pinnacle"}'). jsonb_path_ops: smaller and
-- faster than the default operator class, and @> is all the reports use.
-- PostgreSQL only: SQLite has no index on the inside of a JSON document.
--
-- Built CONCURRENTLY: the tables stay writable while each index is
-- built. strata runs each statement on its own, outside a transaction,
-- and resumes here (dropping an INVALID leftover) if a build fails.

CREATE INDEX CONCURRENTLY raw_odds_payload_gin
    ON raw_odds_snapshots USING gin (payload jsonb_path_ops);
