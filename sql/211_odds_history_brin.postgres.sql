-- 211: a BRIN index on odds_history.recorded_at, added to a live,
-- partitioned table (PostgreSQL).
--
-- BRIN keeps one summary per block range: for an append-only table whose
-- rows arrive in time order it is a few hundred kilobytes where a B-tree
-- would be gigabytes, and it serves the time-range scans of the reports.
--
-- CREATE INDEX CONCURRENTLY does not work on a partitioned table, and a
-- plain CREATE INDEX on the parent would block writes to every partition
-- for the whole build. PostgreSQL's way:
--   1. create the index ON ONLY the parent: instant, and INVALID for now;
--   2. build each partition's index CONCURRENTLY (writers keep writing);
--   3. ATTACH each one to the parent's index; when every partition has
--      one, the parent's index becomes valid by itself.
-- strata runs each concurrent build outside a transaction and records
-- every step, so a failure part-way resumes at the partition it stopped.

CREATE INDEX odds_history_recorded_brin
    ON ONLY odds_history USING brin (recorded_at);

CREATE INDEX CONCURRENTLY odds_history_y2025m08_recorded_brin
    ON odds_history_y2025m08 USING brin (recorded_at);
ALTER INDEX odds_history_recorded_brin
    ATTACH PARTITION odds_history_y2025m08_recorded_brin;

CREATE INDEX CONCURRENTLY odds_history_y2025m09_recorded_brin
    ON odds_history_y2025m09 USING brin (recorded_at);
ALTER INDEX odds_history_recorded_brin
    ATTACH PARTITION odds_history_y2025m09_recorded_brin;

CREATE INDEX CONCURRENTLY odds_history_y2025m10_recorded_brin
    ON odds_history_y2025m10 USING brin (recorded_at);
ALTER INDEX odds_history_recorded_brin
    ATTACH PARTITION odds_history_y2025m10_recorded_brin;

CREATE INDEX CONCURRENTLY odds_history_y2025m11_recorded_brin
    ON odds_history_y2025m11 USING brin (recorded_at);
ALTER INDEX odds_history_recorded_brin
    ATTACH PARTITION odds_history_y2025m11_recorded_brin;

CREATE INDEX CONCURRENTLY odds_history_y2025m12_recorded_brin
    ON odds_history_y2025m12 USING brin (recorded_at);
ALTER INDEX odds_history_recorded_brin
    ATTACH PARTITION odds_history_y2025m12_recorded_brin;

CREATE INDEX CONCURRENTLY odds_history_y2026m01_recorded_brin
    ON odds_history_y2026m01 USING brin (recorded_at);
ALTER INDEX odds_history_recorded_brin
    ATTACH PARTITION odds_history_y2026m01_recorded_brin;

CREATE INDEX CONCURRENTLY odds_history_y2026m02_recorded_brin
    ON odds_history_y2026m02 USING brin (recorded_at);
ALTER INDEX odds_history_recorded_brin
    ATTACH PARTITION odds_history_y2026m02_recorded_brin;

CREATE INDEX CONCURRENTLY odds_history_y2026m03_recorded_brin
    ON odds_history_y2026m03 USING brin (recorded_at);
ALTER INDEX odds_history_recorded_brin
    ATTACH PARTITION odds_history_y2026m03_recorded_brin;

CREATE INDEX CONCURRENTLY odds_history_y2026m04_recorded_brin
    ON odds_history_y2026m04 USING brin (recorded_at);
ALTER INDEX odds_history_recorded_brin
    ATTACH PARTITION odds_history_y2026m04_recorded_brin;

CREATE INDEX CONCURRENTLY odds_history_y2026m05_recorded_brin
    ON odds_history_y2026m05 USING brin (recorded_at);
ALTER INDEX odds_history_recorded_brin
    ATTACH PARTITION odds_history_y2026m05_recorded_brin;

CREATE INDEX CONCURRENTLY odds_history_y2026m06_recorded_brin
    ON odds_history_y2026m06 USING brin (recorded_at);
ALTER INDEX odds_history_recorded_brin
    ATTACH PARTITION odds_history_y2026m06_recorded_brin;

CREATE INDEX CONCURRENTLY odds_history_y2026m07_recorded_brin
    ON odds_history_y2026m07 USING brin (recorded_at);
ALTER INDEX odds_history_recorded_brin
    ATTACH PARTITION odds_history_y2026m07_recorded_brin;

CREATE INDEX CONCURRENTLY odds_history_default_recorded_brin
    ON odds_history_default USING brin (recorded_at);
ALTER INDEX odds_history_recorded_brin
    ATTACH PARTITION odds_history_default_recorded_brin;

