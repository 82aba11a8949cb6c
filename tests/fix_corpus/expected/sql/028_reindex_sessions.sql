-- lint --fix, require-concurrent-reindex: rebuilt CONCURRENTLY (outside a transaction)
REINDEX TABLE CONCURRENTLY sessions;
