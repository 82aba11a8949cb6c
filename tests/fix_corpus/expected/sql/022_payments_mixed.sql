-- Safe statements stay exactly as they are; only the hazard changes.
COMMENT ON TABLE payments IS 'one row per payment attempt';
-- lint --fix, require-concurrent-index-creation: built CONCURRENTLY (strata runs it outside a transaction)
CREATE INDEX CONCURRENTLY payments_order ON payments (order_id);
-- strata:commit
ALTER TABLE payments ADD COLUMN method text;  -- card, transfer, voucher
