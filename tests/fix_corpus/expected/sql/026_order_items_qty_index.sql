-- lint --fix, require-concurrent-index-creation: built CONCURRENTLY (strata runs it outside a transaction)
CREATE INDEX CONCURRENTLY "Order Items_qty" ON "Order Items" (qty) WHERE qty > 1;
