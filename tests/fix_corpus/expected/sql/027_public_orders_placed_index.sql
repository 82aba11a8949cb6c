-- lint --fix, require-concurrent-index-creation: built CONCURRENTLY (strata runs it outside a transaction)
CREATE INDEX CONCURRENTLY orders_placed_at ON public.orders USING brin (placed_at);
