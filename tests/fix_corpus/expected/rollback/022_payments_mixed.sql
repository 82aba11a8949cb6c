ALTER TABLE payments DROP COLUMN method;
-- lint --fix, require-concurrent-index-deletion: dropped CONCURRENTLY (outside a transaction)
DROP INDEX CONCURRENTLY payments_order;
-- strata:commit
COMMENT ON TABLE payments IS NULL;
