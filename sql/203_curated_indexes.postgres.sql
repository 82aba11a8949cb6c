-- 203: Temporal and foreign-key join indexes on the curated tables: the
-- season calendar, splits and predictions by game over time, and the
-- open arbitrage opportunities (a partial index: closed ones are history).
--
-- Built CONCURRENTLY: the tables stay writable while each index is
-- built. strata runs each statement on its own, outside a transaction,
-- and resumes here (dropping an INVALID leftover) if a build fails.

CREATE INDEX CONCURRENTLY games_season_start
    ON games (season, starts_at);

CREATE INDEX CONCURRENTLY betting_splits_game_time
    ON betting_splits (game_id, captured_at);

CREATE INDEX CONCURRENTLY betting_splits_book
    ON betting_splits (sportsbook_id);

CREATE INDEX CONCURRENTLY model_predictions_experiment
    ON model_predictions (experiment_id);

CREATE INDEX CONCURRENTLY model_predictions_game_time
    ON model_predictions (game_id, predicted_at);

CREATE INDEX CONCURRENTLY arbitrage_open
    ON arbitrage_opportunities (detected_at)
    WHERE expired_at IS NULL;

CREATE INDEX CONCURRENTLY arbitrage_game
    ON arbitrage_opportunities (game_id);

CREATE INDEX CONCURRENTLY arbitrage_book_a
    ON arbitrage_opportunities (book_a_id);

CREATE INDEX CONCURRENTLY arbitrage_book_b
    ON arbitrage_opportunities (book_b_id);
