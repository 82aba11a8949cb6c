-- Undo 203: drop its indexes, concurrently (no lock on writers).

DROP INDEX CONCURRENTLY IF EXISTS arbitrage_book_b;
DROP INDEX CONCURRENTLY IF EXISTS arbitrage_book_a;
DROP INDEX CONCURRENTLY IF EXISTS arbitrage_game;
DROP INDEX CONCURRENTLY IF EXISTS arbitrage_open;
DROP INDEX CONCURRENTLY IF EXISTS model_predictions_game_time;
DROP INDEX CONCURRENTLY IF EXISTS model_predictions_experiment;
DROP INDEX CONCURRENTLY IF EXISTS betting_splits_book;
DROP INDEX CONCURRENTLY IF EXISTS betting_splits_game_time;
DROP INDEX CONCURRENTLY IF EXISTS games_season_start;
