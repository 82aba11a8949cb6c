-- lint --fix, adding-foreign-key-constraint: added NOT VALID, then validated in its own transaction (no lock held while it scans)
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk
    FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE SET NULL NOT VALID;
-- strata:commit
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
