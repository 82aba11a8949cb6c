SET lock_timeout = '3s';
-- strata:lint-ignore adding-foreign-key-constraint orders is small and quiet at night
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
ALTER TABLE orders ADD CONSTRAINT orders_user_fk2 FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
