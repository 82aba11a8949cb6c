SET lock_timeout = '3s';
ALTER TABLE orders DROP CONSTRAINT orders_user_fk2, DROP CONSTRAINT orders_user_fk;
