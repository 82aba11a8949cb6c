ALTER TABLE payments ADD CHECK (amount >= 0);
