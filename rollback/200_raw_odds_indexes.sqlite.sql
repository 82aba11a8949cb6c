-- Undo 200: drop its indexes.

DROP INDEX IF EXISTS odds_history_book_market;
DROP INDEX IF EXISTS odds_history_game_time;
DROP INDEX IF EXISTS raw_odds_book_time;
DROP INDEX IF EXISTS raw_odds_unprocessed;
DROP INDEX IF EXISTS raw_odds_game_book_time;
