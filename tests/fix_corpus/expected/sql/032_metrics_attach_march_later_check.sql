-- lint --fix, attach-partition-scan: a validated CHECK of the bound first, so ATTACH does not scan the table under its lock
ALTER TABLE metrics_2026_03 ADD CONSTRAINT strata_tmp_bound_9bd04935 CHECK ("at" IS NOT NULL AND "at" >= '2026-03-01') NOT VALID;
-- strata:commit
ALTER TABLE metrics_2026_03 VALIDATE CONSTRAINT strata_tmp_bound_9bd04935;
-- strata:commit
ALTER TABLE metrics ATTACH PARTITION metrics_2026_03
    FOR VALUES FROM ('2026-03-01') TO (MAXVALUE);
-- strata:commit
ALTER TABLE metrics_2026_03 DROP CONSTRAINT strata_tmp_bound_9bd04935;
