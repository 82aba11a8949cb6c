-- lint --fix, adding-field-with-default: the column added without its default (no rewrite), the default set, and the rows there filled in batches
ALTER TABLE payments ADD COLUMN reference text;
-- strata:commit
ALTER TABLE payments ALTER COLUMN reference SET DEFAULT md5(random()::text);
-- strata:batch
UPDATE payments SET reference = DEFAULT WHERE reference IS NULL;
VACUUM (ANALYZE) payments;
ALTER TABLE payments ADD CONSTRAINT strata_tmp_reference_9a8175a8 CHECK (reference IS NOT NULL) NOT VALID;
-- strata:commit
ALTER TABLE payments VALIDATE CONSTRAINT strata_tmp_reference_9a8175a8;
-- strata:commit
ALTER TABLE payments ALTER COLUMN reference SET NOT NULL;
-- strata:commit
ALTER TABLE payments DROP CONSTRAINT strata_tmp_reference_9a8175a8;
