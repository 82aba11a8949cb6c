SET lock_timeout = '3s';
ALTER TABLE users RENAME COLUMN name TO display_name;
