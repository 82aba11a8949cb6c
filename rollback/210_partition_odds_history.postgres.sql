-- Undo 210: back to one plain odds_history table, every row kept.
--
-- The same swap in reverse: lock writers out, build the plain table, copy
-- the rows of every partition (DEFAULT included) into it, drop the
-- partitioned table with its partitions, and restore the names and the
-- two indexes the table had before (version 200).

-- strata:lint-ignore-file exclusive-lock-held the swap holds its locks to the end on purpose: nobody may see it half done
SET LOCAL lock_timeout = '10s';
-- strata:lint-ignore lock-table writers wait while the rows move; readers go on
LOCK TABLE odds_history IN SHARE MODE;

DROP FUNCTION odds_history_maintain(integer, integer);

CREATE TABLE odds_history_plain (
    game_id       bigint NOT NULL,
    sportsbook_id integer NOT NULL,
    market        text NOT NULL,
    outcome       text NOT NULL,
    price         integer NOT NULL,
    point         numeric(5,1),
    recorded_at   timestamptz NOT NULL,
    CONSTRAINT odds_history_game_fk
        FOREIGN KEY (game_id) REFERENCES games (game_id),
    CONSTRAINT odds_history_book_fk
        FOREIGN KEY (sportsbook_id) REFERENCES sportsbooks (sportsbook_id)
);

INSERT INTO odds_history_plain
SELECT game_id, sportsbook_id, market, outcome, price, point, recorded_at
FROM odds_history;

DROP TABLE odds_history;

ALTER TABLE odds_history_plain RENAME TO odds_history;

CREATE INDEX odds_history_game_time
    ON odds_history (game_id, recorded_at);

CREATE INDEX odds_history_book_market
    ON odds_history (sportsbook_id, market, recorded_at);
