-- 200: Lookup indexes on the raw layer: the collector's and the loader's hot
-- paths. (game, sportsbook, collected-at) serves "latest odds for a game at
-- a book"; the partial index holds only unprocessed rows, so it stays small
-- however large the table grows; odds_history gets its two access paths.
--
-- Built CONCURRENTLY: the tables stay writable while each index is
-- built. strata runs each statement on its own, outside a transaction,
-- and resumes here (dropping an INVALID leftover) if a build fails.

CREATE INDEX CONCURRENTLY raw_odds_game_book_time
    ON raw_odds_snapshots (game_id, sportsbook_id, collected_at);

CREATE INDEX CONCURRENTLY raw_odds_unprocessed
    ON raw_odds_snapshots (collected_at)
    WHERE processed_at IS NULL;

CREATE INDEX CONCURRENTLY raw_odds_book_time
    ON raw_odds_snapshots (sportsbook_id, collected_at DESC);

CREATE INDEX CONCURRENTLY odds_history_game_time
    ON odds_history (game_id, recorded_at);

CREATE INDEX CONCURRENTLY odds_history_book_market
    ON odds_history (sportsbook_id, market, recorded_at);
