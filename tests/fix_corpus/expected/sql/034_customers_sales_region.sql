ALTER TABLE customers RENAME COLUMN region TO sales_region;
