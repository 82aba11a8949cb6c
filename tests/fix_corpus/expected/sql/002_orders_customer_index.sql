-- The orders page looks orders up by customer.
-- lint --fix, require-concurrent-index-creation: built CONCURRENTLY (strata runs it outside a transaction)
CREATE INDEX CONCURRENTLY orders_customer_id ON orders (customer_id);
