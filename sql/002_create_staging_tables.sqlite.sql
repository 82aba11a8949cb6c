-- 002: the staging layer (SQLite): the same tables as the PostgreSQL
-- variant. SQLite keeps the declared NUMERIC(3,2) as the column's type
-- without enforcing it; the series keeps the declaration the same so
-- the schema history of both databases reads alike.

CREATE TABLE staging_moneylines (
    staging_id         INTEGER NOT NULL,
    snapshot_id        INTEGER NOT NULL,
    game_id            INTEGER NOT NULL,
    sportsbook_id      INTEGER NOT NULL,
    home_price         INTEGER,
    away_price         INTEGER,
    data_quality_score NUMERIC(3,2),
    validation_status  TEXT NOT NULL DEFAULT 'pending',
    validated_at       TEXT,
    loaded_at          TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT staging_moneylines_pkey PRIMARY KEY (staging_id),
    CONSTRAINT staging_moneylines_snapshot_fk
        FOREIGN KEY (snapshot_id) REFERENCES raw_odds_snapshots (snapshot_id),
    CONSTRAINT staging_moneylines_game_fk
        FOREIGN KEY (game_id) REFERENCES games (game_id),
    CONSTRAINT staging_moneylines_book_fk
        FOREIGN KEY (sportsbook_id) REFERENCES sportsbooks (sportsbook_id),
    CONSTRAINT staging_moneylines_status_check
        CHECK (validation_status IN ('pending', 'valid', 'invalid'))
);

CREATE TABLE staging_spreads (
    staging_id         INTEGER NOT NULL,
    snapshot_id        INTEGER NOT NULL,
    game_id            INTEGER NOT NULL,
    sportsbook_id      INTEGER NOT NULL,
    home_point         NUMERIC(4,1),
    home_price         INTEGER,
    away_price         INTEGER,
    data_quality_score NUMERIC(3,2),
    validation_status  TEXT NOT NULL DEFAULT 'pending',
    validated_at       TEXT,
    loaded_at          TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT staging_spreads_pkey PRIMARY KEY (staging_id),
    CONSTRAINT staging_spreads_snapshot_fk
        FOREIGN KEY (snapshot_id) REFERENCES raw_odds_snapshots (snapshot_id),
    CONSTRAINT staging_spreads_game_fk
        FOREIGN KEY (game_id) REFERENCES games (game_id),
    CONSTRAINT staging_spreads_book_fk
        FOREIGN KEY (sportsbook_id) REFERENCES sportsbooks (sportsbook_id),
    CONSTRAINT staging_spreads_status_check
        CHECK (validation_status IN ('pending', 'valid', 'invalid'))
);

CREATE TABLE staging_totals (
    staging_id         INTEGER NOT NULL,
    snapshot_id        INTEGER NOT NULL,
    game_id            INTEGER NOT NULL,
    sportsbook_id      INTEGER NOT NULL,
    total_points       NUMERIC(4,1),
    over_price         INTEGER,
    under_price        INTEGER,
    data_quality_score NUMERIC(3,2),
    validation_status  TEXT NOT NULL DEFAULT 'pending',
    validated_at       TEXT,
    loaded_at          TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT staging_totals_pkey PRIMARY KEY (staging_id),
    CONSTRAINT staging_totals_snapshot_fk
        FOREIGN KEY (snapshot_id) REFERENCES raw_odds_snapshots (snapshot_id),
    CONSTRAINT staging_totals_game_fk
        FOREIGN KEY (game_id) REFERENCES games (game_id),
    CONSTRAINT staging_totals_book_fk
        FOREIGN KEY (sportsbook_id) REFERENCES sportsbooks (sportsbook_id),
    CONSTRAINT staging_totals_status_check
        CHECK (validation_status IN ('pending', 'valid', 'invalid'))
);
