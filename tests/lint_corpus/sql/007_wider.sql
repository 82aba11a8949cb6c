SET lock_timeout = '3s';
ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);
ALTER TABLE users ALTER COLUMN email TYPE text;
ALTER TABLE orders ALTER COLUMN status TYPE varchar(20);
