-- lint --fix, require-concurrent-index-deletion: dropped CONCURRENTLY (outside a transaction)
DROP INDEX CONCURRENTLY "Order Items_qty";
