-- Undo 002: drop the staging tables.
DROP TABLE staging_totals;
DROP TABLE staging_spreads;
DROP TABLE staging_moneylines;
