-- Core reference tables of the odds-analytics database: the games played,
-- the sportsbooks quoting them, and the raw odds snapshots collected from
-- each sportsbook every few minutes.

CREATE TABLE games (
    game_id       BIGINT PRIMARY KEY,
    season        INTEGER NOT NULL,
    home_team     TEXT NOT NULL,
    away_team     TEXT NOT NULL,
    starts_at     TIMESTAMP NOT NULL,
    status        TEXT NOT NULL DEFAULT 'scheduled'
);

CREATE TABLE sportsbooks (
    sportsbook_id INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    region        TEXT NOT NULL DEFAULT 'us'
);

CREATE TABLE raw_odds_snapshots (
    snapshot_id   BIGINT PRIMARY KEY,
    game_id       BIGINT NOT NULL REFERENCES games (game_id),
    sportsbook_id INTEGER NOT NULL REFERENCES sportsbooks (sportsbook_id),
    market        TEXT NOT NULL,
    collected_at  TIMESTAMP NOT NULL,
    payload       TEXT NOT NULL,
    processed     BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE INDEX raw_odds_game_book_time
    ON raw_odds_snapshots (game_id, sportsbook_id, collected_at);
