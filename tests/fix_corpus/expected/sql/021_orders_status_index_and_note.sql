-- Two changes of one release: an index for the status filter, and the
-- note column nobody reads any more.
-- lint --fix, require-concurrent-index-creation: built CONCURRENTLY (strata runs it outside a transaction)
CREATE INDEX CONCURRENTLY orders_status ON orders (status);
-- strata:commit

-- strata:contract
-- The note was moved to the support system.
-- lint --fix, ban-drop-column: moved into the contract part: it runs with 'strata complete', once the application no longer uses it
ALTER TABLE orders DROP COLUMN note;
