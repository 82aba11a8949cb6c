-- strata:no-transaction
CREATE INDEX CONCURRENTLY orders_meta ON orders USING gin (meta);
