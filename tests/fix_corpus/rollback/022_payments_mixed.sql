ALTER TABLE payments DROP COLUMN method;
DROP INDEX payments_order;
COMMENT ON TABLE payments IS NULL;
