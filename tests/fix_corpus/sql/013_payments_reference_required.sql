ALTER TABLE payments ADD COLUMN reference text DEFAULT md5(random()::text) NOT NULL;
