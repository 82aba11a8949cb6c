-- lint --fix, attach-partition-scan: a validated CHECK of the bound first, so ATTACH does not scan the table under its lock
ALTER TABLE metrics_2026_02 ADD CONSTRAINT strata_tmp_bound_9840673c CHECK ("at" IS NOT NULL AND "at" >= '2026-02-01' AND "at" < '2026-03-01') NOT VALID;
-- strata:commit
ALTER TABLE metrics_2026_02 VALIDATE CONSTRAINT strata_tmp_bound_9840673c;
-- strata:commit
ALTER TABLE metrics ATTACH PARTITION metrics_2026_02
    FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');
-- strata:commit
ALTER TABLE metrics_2026_02 DROP CONSTRAINT strata_tmp_bound_9840673c;
