-- 003: the curated layer (SQLite): the same tables as the PostgreSQL
-- variant, in SQLite's types.

CREATE TABLE betting_splits (
    split_id      INTEGER NOT NULL,
    game_id       INTEGER NOT NULL,
    sportsbook_id INTEGER NOT NULL,
    market        TEXT NOT NULL,
    bet_pct       NUMERIC(5,2) NOT NULL,
    money_pct     NUMERIC(5,2) NOT NULL,
    captured_at   TEXT NOT NULL,
    CONSTRAINT betting_splits_pkey PRIMARY KEY (split_id),
    CONSTRAINT betting_splits_game_fk
        FOREIGN KEY (game_id) REFERENCES games (game_id),
    CONSTRAINT betting_splits_book_fk
        FOREIGN KEY (sportsbook_id) REFERENCES sportsbooks (sportsbook_id),
    CONSTRAINT betting_splits_pct_check
        CHECK (bet_pct BETWEEN 0 AND 100 AND money_pct BETWEEN 0 AND 100)
);

CREATE TABLE model_experiments (
    experiment_id INTEGER NOT NULL,
    name          TEXT NOT NULL,
    description   TEXT,
    parameters    TEXT NOT NULL DEFAULT '{}',
    started_at    TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT model_experiments_pkey PRIMARY KEY (experiment_id),
    CONSTRAINT model_experiments_name_key UNIQUE (name)
);

CREATE TABLE model_predictions (
    prediction_id  INTEGER NOT NULL,
    experiment_id  INTEGER NOT NULL,
    game_id        INTEGER NOT NULL,
    market         TEXT NOT NULL,
    predicted_prob NUMERIC(6,5) NOT NULL,
    edge           NUMERIC(6,4),
    predicted_at   TEXT NOT NULL,
    CONSTRAINT model_predictions_pkey PRIMARY KEY (prediction_id),
    CONSTRAINT model_predictions_experiment_fk
        FOREIGN KEY (experiment_id) REFERENCES model_experiments (experiment_id),
    CONSTRAINT model_predictions_game_fk
        FOREIGN KEY (game_id) REFERENCES games (game_id),
    CONSTRAINT model_predictions_prob_check
        CHECK (predicted_prob BETWEEN 0 AND 1)
);

CREATE TABLE arbitrage_opportunities (
    opportunity_id INTEGER NOT NULL,
    game_id        INTEGER NOT NULL,
    market         TEXT NOT NULL,
    book_a_id      INTEGER NOT NULL,
    book_b_id      INTEGER NOT NULL,
    profit_pct     NUMERIC(6,3) NOT NULL,
    detected_at    TEXT NOT NULL,
    expired_at     TEXT,
    CONSTRAINT arbitrage_opportunities_pkey PRIMARY KEY (opportunity_id),
    CONSTRAINT arbitrage_opportunities_game_fk
        FOREIGN KEY (game_id) REFERENCES games (game_id),
    CONSTRAINT arbitrage_opportunities_book_a_fk
        FOREIGN KEY (book_a_id) REFERENCES sportsbooks (sportsbook_id),
    CONSTRAINT arbitrage_opportunities_book_b_fk
        FOREIGN KEY (book_b_id) REFERENCES sportsbooks (sportsbook_id),
    CONSTRAINT arbitrage_opportunities_books_check
        CHECK (book_a_id <> book_b_id)
);
