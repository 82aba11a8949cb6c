-- Undo 002: drop the staging tables.
-- strata:lint-ignore-file require-lock-timeout,exclusive-lock-held this drops the version's own tables, which nothing uses once it is undone
DROP TABLE staging_totals;
DROP TABLE staging_spreads;
DROP TABLE staging_moneylines;
