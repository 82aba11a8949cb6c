-- 001: the core of the odds-analytics database (SQLite). The same tables
-- as the PostgreSQL variant: INTEGER PRIMARY KEY for the identity columns,
-- timestamps as ISO-8601 text, the JSON payload as text that json_valid()
-- accepts.

CREATE TABLE games (
    game_id       INTEGER NOT NULL,
    season        INTEGER NOT NULL,
    league        TEXT NOT NULL DEFAULT 'NFL',
    home_team     TEXT NOT NULL,
    away_team     TEXT NOT NULL,
    starts_at     TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'scheduled',
    CONSTRAINT games_pkey PRIMARY KEY (game_id),
    CONSTRAINT games_status_check
        CHECK (status IN ('scheduled', 'live', 'final', 'postponed'))
);

CREATE TABLE sportsbooks (
    sportsbook_id INTEGER NOT NULL,
    key           TEXT NOT NULL,
    name          TEXT NOT NULL,
    region        TEXT NOT NULL DEFAULT 'us',
    active        INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT sportsbooks_pkey PRIMARY KEY (sportsbook_id),
    CONSTRAINT sportsbooks_key_key UNIQUE (key)
);

CREATE TABLE raw_odds_snapshots (
    snapshot_id   INTEGER NOT NULL,
    game_id       INTEGER NOT NULL,
    sportsbook_id INTEGER NOT NULL,
    market        TEXT NOT NULL,
    collected_at  TEXT NOT NULL,
    payload       TEXT NOT NULL,
    processed_at  TEXT,
    CONSTRAINT raw_odds_snapshots_pkey PRIMARY KEY (snapshot_id),
    CONSTRAINT raw_odds_snapshots_game_fk
        FOREIGN KEY (game_id) REFERENCES games (game_id),
    CONSTRAINT raw_odds_snapshots_book_fk
        FOREIGN KEY (sportsbook_id) REFERENCES sportsbooks (sportsbook_id),
    CONSTRAINT raw_odds_snapshots_market_check
        CHECK (market IN ('h2h', 'spreads', 'totals')),
    CONSTRAINT raw_odds_snapshots_payload_check CHECK (json_valid(payload))
);

CREATE TABLE odds_history (
    game_id       INTEGER NOT NULL,
    sportsbook_id INTEGER NOT NULL,
    market        TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    price         INTEGER NOT NULL,
    point         NUMERIC(5,1),
    recorded_at   TEXT NOT NULL,
    CONSTRAINT odds_history_game_fk
        FOREIGN KEY (game_id) REFERENCES games (game_id),
    CONSTRAINT odds_history_book_fk
        FOREIGN KEY (sportsbook_id) REFERENCES sportsbooks (sportsbook_id)
);
