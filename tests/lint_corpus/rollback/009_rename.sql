SET lock_timeout = '3s';
ALTER TABLE users RENAME COLUMN display_name TO name;
