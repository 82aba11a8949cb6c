ALTER TABLE payments DROP CONSTRAINT payments_amount_check;
