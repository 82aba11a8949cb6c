-- lint --fix, attach-partition-scan: a validated CHECK of the bound first, so ATTACH does not scan the table under its lock
ALTER TABLE regional_eu ADD CONSTRAINT strata_tmp_bound_4640fd42 CHECK (region IS NOT NULL AND region IN ('eu', 'uk')) NOT VALID;
-- strata:commit
ALTER TABLE regional_eu VALIDATE CONSTRAINT strata_tmp_bound_4640fd42;
-- strata:commit
ALTER TABLE regional ATTACH PARTITION regional_eu FOR VALUES IN ('eu', 'uk');
-- strata:commit
ALTER TABLE regional_eu DROP CONSTRAINT strata_tmp_bound_4640fd42;
