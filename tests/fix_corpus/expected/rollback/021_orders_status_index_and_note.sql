-- lint --fix, require-concurrent-index-deletion: dropped CONCURRENTLY (outside a transaction)
DROP INDEX CONCURRENTLY orders_status;
-- strata:contract
ALTER TABLE orders ADD COLUMN note text;
