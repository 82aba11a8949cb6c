CREATE INDEX orders_status ON orders (status);
CREATE INDEX payments_order ON payments (order_id);
