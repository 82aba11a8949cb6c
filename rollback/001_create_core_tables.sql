-- Undo 001: drop the core tables, dependants first.
DROP INDEX raw_odds_game_book_time;
DROP TABLE raw_odds_snapshots;
DROP TABLE sportsbooks;
DROP TABLE games;
