-- lint --fix, require-concurrent-index-creation: built CONCURRENTLY (strata runs it outside a transaction)
CREATE UNIQUE INDEX CONCURRENTLY sessions_token ON sessions (token);
