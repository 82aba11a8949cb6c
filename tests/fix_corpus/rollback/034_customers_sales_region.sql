ALTER TABLE customers RENAME COLUMN sales_region TO region;
