-- Undo 221: put each re-scored row's old score back, in batches as the
-- re-score ran, then drop the column that kept it. Rows loaded after 221
-- have no old score and keep the one their loader gave them.

-- strata:batch 10000
UPDATE staging_moneylines
SET data_quality_score = data_quality_score_prev
WHERE data_quality_score_prev IS NOT NULL;

-- strata:batch 10000
UPDATE staging_spreads
SET data_quality_score = data_quality_score_prev
WHERE data_quality_score_prev IS NOT NULL;

-- strata:batch 10000
UPDATE staging_totals
SET data_quality_score = data_quality_score_prev
WHERE data_quality_score_prev IS NOT NULL;

ALTER TABLE staging_moneylines DROP COLUMN data_quality_score_prev;
ALTER TABLE staging_spreads DROP COLUMN data_quality_score_prev;
ALTER TABLE staging_totals DROP COLUMN data_quality_score_prev;
