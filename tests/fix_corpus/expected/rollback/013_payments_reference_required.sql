ALTER TABLE payments DROP COLUMN reference;
