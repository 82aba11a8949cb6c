-- lint --fix, constraint-missing-not-valid: added NOT VALID, then validated in its own transaction (no lock held while it scans)
ALTER TABLE customers ADD CHECK (region IN ('eu', 'us', 'apac')) NOT VALID;
-- strata:commit
ALTER TABLE customers VALIDATE CONSTRAINT customers_region_check;
