-- Wholesale orders come in quantities past two billion.
ALTER TABLE "Order Items" ALTER COLUMN qty TYPE bigint;
