-- lint --fix, unbatched-data-change: run in batches of 10,000 rows by the table's key, each its own transaction
-- strata:batch
UPDATE orders SET status = 'placed';
