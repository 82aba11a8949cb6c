-- 221: re-score staging quality from the raw rows. The scoring model that
-- came with the precision fix (220) judges a row by the snapshot it came
-- from: how complete its payload is (both outcomes present) and how soon
-- the loader processed it after collection (an hour off costs 1.00),
-- between 0.40 and 0.90; a snapshot never processed scores 0.50. The old
-- score is kept in data_quality_score_prev, so the rollback can put it
-- back, and a row already re-scored is skipped, so a re-run changes
-- nothing twice.
--
-- Each UPDATE is a backfill: keyset batches of 10,000 rows by staging_id,
-- each its own short transaction, so loaders writing to the staging
-- tables wait for one batch at most, never for the whole table. Progress
-- is committed with each batch: a failed or killed run resumes after the
-- last batch done (`strata status` shows how far it got).

-- SQLite: the same, with its JSON and date functions.
ALTER TABLE staging_moneylines ADD COLUMN data_quality_score_prev NUMERIC(5,2);
ALTER TABLE staging_spreads ADD COLUMN data_quality_score_prev NUMERIC(5,2);
ALTER TABLE staging_totals ADD COLUMN data_quality_score_prev NUMERIC(5,2);

-- strata:batch 10000
UPDATE staging_moneylines AS s
SET data_quality_score_prev = s.data_quality_score,
    data_quality_score = CASE
        WHEN r.processed_at IS NULL THEN 0.50
        ELSE round(min(0.90, max(0.40,
            0.50 + 0.20 * json_array_length(r.payload, '$.outcomes')
            - abs(julianday(r.processed_at) - julianday(r.collected_at)) * 24.0
        )), 2)
    END
FROM raw_odds_snapshots r
WHERE r.snapshot_id = s.snapshot_id
  AND s.data_quality_score_prev IS NULL;

-- strata:batch 10000
UPDATE staging_spreads AS s
SET data_quality_score_prev = s.data_quality_score,
    data_quality_score = CASE
        WHEN r.processed_at IS NULL THEN 0.50
        ELSE round(min(0.90, max(0.40,
            0.50 + 0.20 * json_array_length(r.payload, '$.outcomes')
            - abs(julianday(r.processed_at) - julianday(r.collected_at)) * 24.0
        )), 2)
    END
FROM raw_odds_snapshots r
WHERE r.snapshot_id = s.snapshot_id
  AND s.data_quality_score_prev IS NULL;

-- strata:batch 10000
UPDATE staging_totals AS s
SET data_quality_score_prev = s.data_quality_score,
    data_quality_score = CASE
        WHEN r.processed_at IS NULL THEN 0.50
        ELSE round(min(0.90, max(0.40,
            0.50 + 0.20 * json_array_length(r.payload, '$.outcomes')
            - abs(julianday(r.processed_at) - julianday(r.collected_at)) * 24.0
        )), 2)
    END
FROM raw_odds_snapshots r
WHERE r.snapshot_id = s.snapshot_id
  AND s.data_quality_score_prev IS NULL;
