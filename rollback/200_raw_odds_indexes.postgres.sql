-- Undo 200: drop its indexes, concurrently (no lock on writers).

DROP INDEX CONCURRENTLY IF EXISTS odds_history_book_market;
DROP INDEX CONCURRENTLY IF EXISTS odds_history_game_time;
DROP INDEX CONCURRENTLY IF EXISTS raw_odds_book_time;
DROP INDEX CONCURRENTLY IF EXISTS raw_odds_unprocessed;
DROP INDEX CONCURRENTLY IF EXISTS raw_odds_game_book_time;
