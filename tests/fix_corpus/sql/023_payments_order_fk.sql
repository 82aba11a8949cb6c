ALTER TABLE payments ADD CONSTRAINT payments_order_fk FOREIGN KEY (order_id)
    REFERENCES orders (id) ON DELETE CASCADE;
