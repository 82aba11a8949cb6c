ALTER TABLE "Order Items" ALTER COLUMN qty TYPE integer;
