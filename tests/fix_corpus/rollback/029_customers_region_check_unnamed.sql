ALTER TABLE customers DROP CONSTRAINT customers_region_check;
