-- The orders page looks orders up by customer.
CREATE INDEX orders_customer_id ON orders (customer_id);
