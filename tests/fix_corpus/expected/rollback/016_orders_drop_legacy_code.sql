-- strata:contract
ALTER TABLE orders ADD COLUMN legacy_code text;
