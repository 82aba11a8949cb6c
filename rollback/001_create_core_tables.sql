-- Undo 001: drop the core tables, those holding foreign keys first.
DROP TABLE odds_history;
DROP TABLE raw_odds_snapshots;
DROP TABLE sportsbooks;
DROP TABLE games;
