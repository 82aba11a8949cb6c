-- Undo 220: back to numeric(3,2), keeping every row.
--
-- Scores of 10 or more cannot be held by numeric(3,2). Rather than let
-- ALTER fail on the first such row with a bare "numeric field overflow",
-- count them first and stop with a message that says what to do. Nothing
-- is truncated or rounded away: the rollback either keeps every value or
-- changes nothing. This one rewrites the three tables (ACCESS EXCLUSIVE
-- for the length of the rewrite).

DO $guard$
DECLARE
    t text;
    n bigint;
BEGIN
    FOREACH t IN ARRAY ARRAY['staging_moneylines', 'staging_spreads', 'staging_totals'] LOOP
        EXECUTE format('SELECT count(*) FROM %I WHERE abs(data_quality_score) >= 10', t)
            INTO n;
        IF n > 0 THEN
            RAISE EXCEPTION '% rows of % have a data_quality_score of 10 or more, which numeric(3,2) cannot hold', n, t
                USING ERRCODE = '22003',
                      HINT = 'fix or delete those rows first; the rollback will not truncate them';
        END IF;
    END LOOP;
END
$guard$;

-- strata:lint-ignore-file changing-column-type,exclusive-lock-held lowering the precision back rewrites the three tables (a true finding, accepted for a rollback that restores the old schema)
SET LOCAL lock_timeout = '5s';
ALTER TABLE staging_moneylines
    ALTER COLUMN data_quality_score TYPE numeric(3,2);

ALTER TABLE staging_spreads
    ALTER COLUMN data_quality_score TYPE numeric(3,2);

ALTER TABLE staging_totals
    ALTER COLUMN data_quality_score TYPE numeric(3,2);
