-- lint --fix, require-concurrent-index-deletion: dropped CONCURRENTLY (outside a transaction)
DROP INDEX CONCURRENTLY public.orders_placed_at;
