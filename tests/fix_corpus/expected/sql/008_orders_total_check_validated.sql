ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;
-- strata:commit
-- lint --fix, constraint-missing-not-valid: validated in a transaction of its own
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;
