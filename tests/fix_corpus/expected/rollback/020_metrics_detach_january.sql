-- lint --fix, attach-partition-scan: a validated CHECK of the bound first, so ATTACH does not scan the table under its lock
ALTER TABLE metrics_2026_01 ADD CONSTRAINT strata_tmp_bound_acaa81fc CHECK ("at" IS NOT NULL AND "at" >= '2026-01-01' AND "at" < '2026-02-01') NOT VALID;
-- strata:commit
ALTER TABLE metrics_2026_01 VALIDATE CONSTRAINT strata_tmp_bound_acaa81fc;
-- strata:commit
ALTER TABLE metrics ATTACH PARTITION metrics_2026_01
    FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
-- strata:commit
ALTER TABLE metrics_2026_01 DROP CONSTRAINT strata_tmp_bound_acaa81fc;
