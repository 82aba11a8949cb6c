ALTER TABLE customers ADD CHECK (region IN ('eu', 'us', 'apac'));
