-- Undo 201: drop its indexes, concurrently (no lock on writers).

DROP INDEX CONCURRENTLY IF EXISTS raw_odds_payload_gin;
