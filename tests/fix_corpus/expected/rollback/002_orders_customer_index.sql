-- lint --fix, require-concurrent-index-deletion: dropped CONCURRENTLY (outside a transaction)
DROP INDEX CONCURRENTLY orders_customer_id;
