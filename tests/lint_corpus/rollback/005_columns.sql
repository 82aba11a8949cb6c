SET lock_timeout = '3s';
ALTER TABLE orders DROP CONSTRAINT orders_total_positive;
ALTER TABLE users DROP COLUMN plan, DROP COLUMN name;
