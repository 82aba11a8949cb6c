-- lint --fix, adding-foreign-key-constraint: added NOT VALID, then validated in its own transaction (no lock held while it scans)
ALTER TABLE "Order Items" ADD FOREIGN KEY ("Order ID") REFERENCES orders (id) NOT VALID;
-- strata:commit
ALTER TABLE "Order Items" VALIDATE CONSTRAINT "Order Items_Order ID_fkey";
