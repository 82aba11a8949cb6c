ALTER TABLE orders ADD COLUMN note text;
DROP INDEX orders_status;
