-- lint --fix, require-concurrent-index-creation: built CONCURRENTLY (strata runs it outside a transaction)
CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_paid_at ON payments (paid_at) WHERE paid_at IS NOT NULL;
