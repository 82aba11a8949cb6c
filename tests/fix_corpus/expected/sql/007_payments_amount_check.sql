-- lint --fix, constraint-missing-not-valid: added NOT VALID, then validated in its own transaction (no lock held while it scans)
ALTER TABLE payments ADD CHECK (amount >= 0) NOT VALID;
-- strata:commit
ALTER TABLE payments VALIDATE CONSTRAINT payments_amount_check;
