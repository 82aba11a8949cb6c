-- Two changes of one release: an index for the status filter, and the
-- note column nobody reads any more.
CREATE INDEX orders_status ON orders (status);

-- The note was moved to the support system.
ALTER TABLE orders DROP COLUMN note;
