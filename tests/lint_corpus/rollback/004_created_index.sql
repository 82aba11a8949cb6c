-- strata:no-transaction
DROP INDEX CONCURRENTLY orders_meta;
