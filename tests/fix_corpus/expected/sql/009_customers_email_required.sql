-- lint --fix, adding-not-nullable-field: a CHECK (col IS NOT NULL) validated first, so SET NOT NULL does not scan under its lock
ALTER TABLE customers ADD CONSTRAINT strata_tmp_region_364b9036 CHECK (region IS NOT NULL) NOT VALID;
-- strata:commit
ALTER TABLE customers VALIDATE CONSTRAINT strata_tmp_region_364b9036;
-- strata:commit
ALTER TABLE customers ALTER COLUMN region SET NOT NULL;
-- strata:commit
ALTER TABLE customers DROP CONSTRAINT strata_tmp_region_364b9036;
