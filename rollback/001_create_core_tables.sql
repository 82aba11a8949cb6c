-- Undo 001: drop the core tables, those holding foreign keys first.
-- strata:lint-ignore-file require-lock-timeout,exclusive-lock-held this drops the version's own tables, which nothing uses once it is undone
DROP TABLE odds_history;
DROP TABLE raw_odds_snapshots;
DROP TABLE sportsbooks;
DROP TABLE games;
