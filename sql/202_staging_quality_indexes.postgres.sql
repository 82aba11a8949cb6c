-- 202: Quality-filter indexes on the staging tables. The reports read only
-- valid rows of good quality; the loader reads only pending ones: partial
-- indexes on those predicates are a fraction of a full index. The plain
-- (game, sportsbook) and snapshot indexes serve the foreign-key joins.
--
-- Built CONCURRENTLY: the tables stay writable while each index is
-- built. strata runs each statement on its own, outside a transaction,
-- and resumes here (dropping an INVALID leftover) if a build fails.

CREATE INDEX CONCURRENTLY staging_moneylines_game_book
    ON staging_moneylines (game_id, sportsbook_id);

CREATE INDEX CONCURRENTLY staging_moneylines_snapshot
    ON staging_moneylines (snapshot_id);

CREATE INDEX CONCURRENTLY staging_moneylines_valid_quality
    ON staging_moneylines (game_id, validated_at)
    WHERE validation_status = 'valid' AND data_quality_score >= 0.80;

CREATE INDEX CONCURRENTLY staging_moneylines_pending
    ON staging_moneylines (loaded_at)
    WHERE validation_status = 'pending';

CREATE INDEX CONCURRENTLY staging_spreads_game_book
    ON staging_spreads (game_id, sportsbook_id);

CREATE INDEX CONCURRENTLY staging_spreads_snapshot
    ON staging_spreads (snapshot_id);

CREATE INDEX CONCURRENTLY staging_spreads_valid_quality
    ON staging_spreads (game_id, validated_at)
    WHERE validation_status = 'valid' AND data_quality_score >= 0.80;

CREATE INDEX CONCURRENTLY staging_spreads_pending
    ON staging_spreads (loaded_at)
    WHERE validation_status = 'pending';

CREATE INDEX CONCURRENTLY staging_totals_game_book
    ON staging_totals (game_id, sportsbook_id);

CREATE INDEX CONCURRENTLY staging_totals_snapshot
    ON staging_totals (snapshot_id);

CREATE INDEX CONCURRENTLY staging_totals_valid_quality
    ON staging_totals (game_id, validated_at)
    WHERE validation_status = 'valid' AND data_quality_score >= 0.80;

CREATE INDEX CONCURRENTLY staging_totals_pending
    ON staging_totals (loaded_at)
    WHERE validation_status = 'pending';
