-- 220: the precision fix (SQLite). SQLite does not enforce NUMERIC(3,2),
-- but the declared type is the contract the loaders read, so the series
-- changes it here too. SQLite cannot change a column's type in place:
-- each staging table is rebuilt (create the new shape, copy the rows,
-- drop the old table, rename, re-create its indexes from version 202),
-- all in this version's one transaction. That rewrites every row; on
-- SQLite the precision fix costs a full copy of the staging tables.

-- staging_moneylines
CREATE TABLE staging_moneylines_rebuilt (
    staging_id         INTEGER NOT NULL,
    snapshot_id        INTEGER NOT NULL,
    game_id            INTEGER NOT NULL,
    sportsbook_id      INTEGER NOT NULL,
    home_price         INTEGER,
    away_price         INTEGER,
    data_quality_score NUMERIC(5,2),
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
    data_quality_score NUMERIC(5,2),
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
    data_quality_score NUMERIC(5,2),
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
