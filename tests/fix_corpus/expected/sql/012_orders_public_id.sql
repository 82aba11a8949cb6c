-- Every order gets an id safe to show customers.
-- lint --fix, adding-field-with-default: the column added without its default (no rewrite), the default set, and the rows there filled in batches
ALTER TABLE orders ADD COLUMN public_id uuid;
-- strata:commit
ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
-- strata:batch
UPDATE orders SET public_id = DEFAULT WHERE public_id IS NULL;
VACUUM (ANALYZE) orders;
