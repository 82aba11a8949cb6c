-- Undo 203: drop its indexes.

DROP INDEX IF EXISTS arbitrage_book_b;
DROP INDEX IF EXISTS arbitrage_book_a;
DROP INDEX IF EXISTS arbitrage_game;
DROP INDEX IF EXISTS arbitrage_open;
DROP INDEX IF EXISTS model_predictions_game_time;
DROP INDEX IF EXISTS model_predictions_experiment;
DROP INDEX IF EXISTS betting_splits_book;
DROP INDEX IF EXISTS betting_splits_game_time;
DROP INDEX IF EXISTS games_season_start;
