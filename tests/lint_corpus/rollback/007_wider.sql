SET lock_timeout = '3s';
ALTER TABLE orders ALTER COLUMN status TYPE text;
ALTER TABLE users ALTER COLUMN email TYPE varchar(255);
ALTER TABLE orders ALTER COLUMN total TYPE numeric(10,2);
