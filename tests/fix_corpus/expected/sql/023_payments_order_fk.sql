-- lint --fix, adding-foreign-key-constraint: added NOT VALID, then validated in its own transaction (no lock held while it scans)
ALTER TABLE payments ADD CONSTRAINT payments_order_fk FOREIGN KEY (order_id)
    REFERENCES orders (id) ON DELETE CASCADE NOT VALID;
-- strata:commit
ALTER TABLE payments VALIDATE CONSTRAINT payments_order_fk;
