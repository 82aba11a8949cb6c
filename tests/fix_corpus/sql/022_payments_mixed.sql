-- Safe statements stay exactly as they are; only the hazard changes.
COMMENT ON TABLE payments IS 'one row per payment attempt';
CREATE INDEX payments_order ON payments (order_id);
ALTER TABLE payments ADD COLUMN method text;  -- card, transfer, voucher
