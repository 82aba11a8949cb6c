-- lint --fix, adding-foreign-key-constraint: the column added bare, then its foreign key added NOT VALID and validated in its own transaction
ALTER TABLE orders ADD COLUMN coupon_id bigint;
-- strata:commit
ALTER TABLE orders ADD CONSTRAINT orders_coupon_id_fkey FOREIGN KEY (coupon_id) REFERENCES customers (id) NOT VALID;
-- strata:commit
ALTER TABLE orders VALIDATE CONSTRAINT orders_coupon_id_fkey;
