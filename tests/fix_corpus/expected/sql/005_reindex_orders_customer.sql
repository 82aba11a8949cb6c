-- After the bulk load the index is bloated.
-- lint --fix, require-concurrent-reindex: rebuilt CONCURRENTLY (outside a transaction)
REINDEX INDEX CONCURRENTLY orders_customer_id;
