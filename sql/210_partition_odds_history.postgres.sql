-- 210: partition odds_history by month of recorded_at (PostgreSQL).
--
-- odds_history grows by millions of rows a month and is read by time
-- range; monthly partitions let queries skip whole months and let old
-- months go with a DROP TABLE instead of a huge DELETE. PostgreSQL cannot
-- turn a table into a partitioned one in place, so this version builds
-- the partitioned table beside it, moves the rows in and swaps the names,
-- all in one transaction:
--
-- * LOCK ... IN SHARE MODE first: readers go on, writers wait, so no row
--   written during the copy can be lost. The wait lasts as long as the
--   copy; run this version in a quiet hour on a big table.
-- * One partition per month of the 2025-26 season (UTC bounds, so the
--   layout does not depend on the server's time zone), and a DEFAULT
--   partition for anything outside them.
-- * Indexes are created on the partitioned parent after the rows are in:
--   PostgreSQL creates one per partition, and a bulk load into unindexed
--   partitions is faster than one that maintains indexes row by row.
--   (CREATE INDEX CONCURRENTLY is not possible on a partitioned table; for
--   an index added later, to live partitions, see version 211.)
-- * odds_history_maintain() creates the coming months and drops months
--   past retention; schedule it (cron, pg_cron) monthly.

-- strata:lint-ignore-file exclusive-lock-held the swap holds its locks to the end on purpose: nobody may see it half done
SET LOCAL lock_timeout = '10s';
-- strata:lint-ignore lock-table writers wait while the rows move; readers go on
LOCK TABLE odds_history IN SHARE MODE;

CREATE TABLE odds_history_partitioned (
    game_id       bigint NOT NULL,
    sportsbook_id integer NOT NULL,
    market        text NOT NULL,
    outcome       text NOT NULL,
    price         integer NOT NULL,
    point         numeric(5,1),
    recorded_at   timestamptz NOT NULL,
    CONSTRAINT odds_history_game_fk
        FOREIGN KEY (game_id) REFERENCES games (game_id),
    CONSTRAINT odds_history_book_fk
        FOREIGN KEY (sportsbook_id) REFERENCES sportsbooks (sportsbook_id)
) PARTITION BY RANGE (recorded_at);

CREATE TABLE odds_history_y2025m08 PARTITION OF odds_history_partitioned
    FOR VALUES FROM ('2025-08-01 00:00:00+00') TO ('2025-09-01 00:00:00+00');
CREATE TABLE odds_history_y2025m09 PARTITION OF odds_history_partitioned
    FOR VALUES FROM ('2025-09-01 00:00:00+00') TO ('2025-10-01 00:00:00+00');
CREATE TABLE odds_history_y2025m10 PARTITION OF odds_history_partitioned
    FOR VALUES FROM ('2025-10-01 00:00:00+00') TO ('2025-11-01 00:00:00+00');
CREATE TABLE odds_history_y2025m11 PARTITION OF odds_history_partitioned
    FOR VALUES FROM ('2025-11-01 00:00:00+00') TO ('2025-12-01 00:00:00+00');
CREATE TABLE odds_history_y2025m12 PARTITION OF odds_history_partitioned
    FOR VALUES FROM ('2025-12-01 00:00:00+00') TO ('2026-01-01 00:00:00+00');
CREATE TABLE odds_history_y2026m01 PARTITION OF odds_history_partitioned
    FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00');
CREATE TABLE odds_history_y2026m02 PARTITION OF odds_history_partitioned
    FOR VALUES FROM ('2026-02-01 00:00:00+00') TO ('2026-03-01 00:00:00+00');
CREATE TABLE odds_history_y2026m03 PARTITION OF odds_history_partitioned
    FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-04-01 00:00:00+00');
CREATE TABLE odds_history_y2026m04 PARTITION OF odds_history_partitioned
    FOR VALUES FROM ('2026-04-01 00:00:00+00') TO ('2026-05-01 00:00:00+00');
CREATE TABLE odds_history_y2026m05 PARTITION OF odds_history_partitioned
    FOR VALUES FROM ('2026-05-01 00:00:00+00') TO ('2026-06-01 00:00:00+00');
CREATE TABLE odds_history_y2026m06 PARTITION OF odds_history_partitioned
    FOR VALUES FROM ('2026-06-01 00:00:00+00') TO ('2026-07-01 00:00:00+00');
CREATE TABLE odds_history_y2026m07 PARTITION OF odds_history_partitioned
    FOR VALUES FROM ('2026-07-01 00:00:00+00') TO ('2026-08-01 00:00:00+00');

CREATE TABLE odds_history_default PARTITION OF odds_history_partitioned DEFAULT;

INSERT INTO odds_history_partitioned
SELECT game_id, sportsbook_id, market, outcome, price, point, recorded_at
FROM odds_history;

DROP TABLE odds_history;

ALTER TABLE odds_history_partitioned RENAME TO odds_history;

CREATE INDEX odds_history_game_time
    ON odds_history (game_id, recorded_at);

CREATE INDEX odds_history_book_market
    ON odds_history (sportsbook_id, market, recorded_at);

-- Create the next months_ahead months (moving any of their rows out of
-- the DEFAULT partition first, which PostgreSQL requires) and drop months
-- that ended more than retention_months ago. Returns what it did.
CREATE FUNCTION odds_history_maintain(
    months_ahead integer DEFAULT 3,
    retention_months integer DEFAULT 24)
RETURNS TABLE (action text, partition_name text)
LANGUAGE plpgsql
AS $fn$
DECLARE
    this_month timestamptz :=
        date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    first_kept timestamptz;
    lo timestamptz;
    part record;
BEGIN
    FOR i IN 0 .. months_ahead LOOP
        lo := this_month + make_interval(months => i);
        partition_name := 'odds_history_'
            || to_char(lo AT TIME ZONE 'UTC', '"y"YYYY"m"MM');
        CONTINUE WHEN to_regclass(partition_name) IS NOT NULL;
        CREATE TEMP TABLE odds_history_moving AS
            SELECT * FROM odds_history_default
            WHERE recorded_at >= lo AND recorded_at < lo + interval '1 month';
        DELETE FROM odds_history_default
            WHERE recorded_at >= lo AND recorded_at < lo + interval '1 month';
        EXECUTE format('CREATE TABLE %I PARTITION OF odds_history '
            'FOR VALUES FROM (%L) TO (%L)', partition_name, lo,
            lo + interval '1 month');
        INSERT INTO odds_history SELECT * FROM odds_history_moving;
        DROP TABLE odds_history_moving;
        action := 'created';
        RETURN NEXT;
    END LOOP;

    first_kept := this_month - make_interval(months => retention_months);
    FOR part IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'odds_history'::regclass
          AND c.relname ~ '^odds_history_y[0-9]{4}m[0-9]{2}$'
        ORDER BY c.relname
    LOOP
        lo := to_timestamp(substr(part.relname, 15, 4) || '-'
            || substr(part.relname, 20, 2) || '-01 00:00:00+00',
            'YYYY-MM-DD HH24:MI:SS');
        IF lo + interval '1 month' <= first_kept THEN
            EXECUTE format('DROP TABLE %I', part.relname);
            action := 'dropped';
            partition_name := part.relname;
            RETURN NEXT;
        END IF;
    END LOOP;
END
$fn$;
