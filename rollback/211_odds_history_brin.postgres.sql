-- Undo 211: drop the partitioned BRIN index; PostgreSQL drops each
-- partition's index with it. (DROP INDEX CONCURRENTLY is not possible on a
-- partitioned index; BRIN indexes are small, so the lock is brief.)

-- strata:lint-ignore require-concurrent-index-deletion a partitioned index cannot be dropped concurrently (above)
DROP INDEX odds_history_recorded_brin;
