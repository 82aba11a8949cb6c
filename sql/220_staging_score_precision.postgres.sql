-- 220: the precision fix. data_quality_score was numeric(3,2), which holds
-- at most 9.99; the new scoring model gives scores up to 100 for some
-- feeds, and 8% of staging loads failed with "numeric field overflow".
-- numeric(5,2) holds up to 999.99 with the same two decimals.
--
-- What it costs: raising a numeric's precision while keeping its scale
-- changes no stored value, so PostgreSQL changes the catalog only: no
-- table rewrite, no index rebuild, an ACCESS EXCLUSIVE lock held for
-- milliseconds. `strata log --version 220` shows it: each statement's
-- facts say "table_rewritten": false and the table size is unchanged.
-- (Lowering the precision, as the rollback does, rewrites the table.)

-- strata:lint-ignore-file exclusive-lock-held three catalog-only changes of milliseconds each, together on purpose
SET LOCAL lock_timeout = '5s';
ALTER TABLE staging_moneylines
    ALTER COLUMN data_quality_score TYPE numeric(5,2);

ALTER TABLE staging_spreads
    ALTER COLUMN data_quality_score TYPE numeric(5,2);

ALTER TABLE staging_totals
    ALTER COLUMN data_quality_score TYPE numeric(5,2);
