-- Undo 220 (SQLite): rebuild the staging tables with NUMERIC(3,2) again.
--
-- A score of 10 or more does not fit NUMERIC(3,2). SQLite would store it
-- anyway, so the rollback checks first and stops, naming the reason, when
-- such rows exist: the CHECK on this scratch table fails and the whole
-- version's transaction is rolled back with it.

CREATE TEMP TABLE precision_guard (
    rows_over_9_99 INTEGER
        CONSTRAINT "data_quality_score of 10 or more does not fit NUMERIC(3,2): fix or delete those rows first"
        CHECK (rows_over_9_99 = 0)
);

INSERT INTO precision_guard
SELECT (SELECT count(*) FROM staging_moneylines WHERE abs(data_quality_score) >= 10)
     + (SELECT count(*) FROM staging_spreads WHERE abs(data_quality_score) >= 10)
     + (SELECT count(*) FROM staging_totals WHERE abs(data_quality_score) >= 10);

DROP TABLE precision_guard;

-- staging_moneylines
CREATE TABLE staging_moneylines_rebuilt (
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

INSERT INTO staging_moneylines_rebuilt SELECT * FROM staging_moneylines;

DROP TABLE staging_moneylines;

ALTER TABLE staging_moneylines_rebuilt RENAME TO staging_moneylines;

CREATE INDEX staging_moneylines_game_book
    ON staging_moneylines (game_id, sportsbook_id);

CREATE INDEX staging_moneylines_snapshot
    ON staging_moneylines (snapshot_id);

CREATE INDEX staging_moneylines_valid_quality
    ON staging_moneylines (game_id, validated_at)
    WHERE validation_status = 'valid' AND data_quality_score >= 0.80;

CREATE INDEX staging_moneylines_pending
    ON staging_moneylines (loaded_at)
    WHERE validation_status = 'pending';

-- staging_spreads
CREATE TABLE staging_spreads_rebuilt (
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

INSERT INTO staging_spreads_rebuilt SELECT * FROM staging_spreads;

DROP TABLE staging_spreads;

ALTER TABLE staging_spreads_rebuilt RENAME TO staging_spreads;

CREATE INDEX staging_spreads_game_book
    ON staging_spreads (game_id, sportsbook_id);

CREATE INDEX staging_spreads_snapshot
    ON staging_spreads (snapshot_id);

CREATE INDEX staging_spreads_valid_quality
    ON staging_spreads (game_id, validated_at)
    WHERE validation_status = 'valid' AND data_quality_score >= 0.80;

CREATE INDEX staging_spreads_pending
    ON staging_spreads (loaded_at)
    WHERE validation_status = 'pending';

-- staging_totals
CREATE TABLE staging_totals_rebuilt (
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

INSERT INTO staging_totals_rebuilt SELECT * FROM staging_totals;

DROP TABLE staging_totals;

ALTER TABLE staging_totals_rebuilt RENAME TO staging_totals;

CREATE INDEX staging_totals_game_book
    ON staging_totals (game_id, sportsbook_id);

CREATE INDEX staging_totals_snapshot
    ON staging_totals (snapshot_id);

CREATE INDEX staging_totals_valid_quality
    ON staging_totals (game_id, validated_at)
    WHERE validation_status = 'valid' AND data_quality_score >= 0.80;

CREATE INDEX staging_totals_pending
    ON staging_totals (loaded_at)
    WHERE validation_status = 'pending';
