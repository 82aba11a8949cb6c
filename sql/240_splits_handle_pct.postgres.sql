-- 240: betting_splits.money_pct becomes handle_pct. "Money" was read as
-- the payout by half the people who used the table; the trade's word for
-- the share of the amount wagered is the handle. A rename breaks every
-- loader and model still using the old name, so it is done in two phases
-- in this one file.
--
-- Expand (strata up): the new column with its range check, a trigger
-- that keeps the two columns equal whichever one a writer sets (it fills
-- money_pct before its NOT NULL is checked, so new code may leave it
-- out), and the rows already there copied in batches. Old code writing
-- money_pct and new code writing handle_pct both work while the version
-- is expanded.
--
-- Contract (strata complete, once nothing uses money_pct): the trigger
-- goes, handle_pct becomes NOT NULL through a validated CHECK (a scan that
-- blocks no one, then a catalog change), the old two-column check is
-- replaced by one on bet_pct alone, and money_pct is dropped.
--
-- Each ALTER TABLE holds ACCESS EXCLUSIVE for a moment only: a commit line
-- after each ends its transaction, so no lock is held past its statement.

ALTER TABLE betting_splits ADD COLUMN handle_pct numeric(5,2);
-- strata:commit
ALTER TABLE betting_splits ADD CONSTRAINT betting_splits_handle_pct_check
    CHECK (handle_pct BETWEEN 0 AND 100) NOT VALID;
-- strata:commit
CREATE FUNCTION betting_splits_handle_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.handle_pct IS NULL THEN
            NEW.handle_pct := NEW.money_pct;
        ELSIF NEW.money_pct IS NULL THEN
            NEW.money_pct := NEW.handle_pct;
        END IF;
    ELSIF NEW.money_pct IS DISTINCT FROM OLD.money_pct
        AND NEW.handle_pct IS NOT DISTINCT FROM OLD.handle_pct THEN
        NEW.handle_pct := NEW.money_pct;
    ELSIF NEW.handle_pct IS DISTINCT FROM OLD.handle_pct THEN
        NEW.money_pct := NEW.handle_pct;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER betting_splits_handle_sync
    BEFORE INSERT OR UPDATE ON betting_splits
    FOR EACH ROW EXECUTE FUNCTION betting_splits_handle_sync();

-- strata:batch 10000
UPDATE betting_splits SET handle_pct = money_pct WHERE handle_pct IS NULL;

ALTER TABLE betting_splits VALIDATE CONSTRAINT betting_splits_handle_pct_check;

-- strata:contract

DROP TRIGGER betting_splits_handle_sync ON betting_splits;
-- strata:commit
DROP FUNCTION betting_splits_handle_sync();
ALTER TABLE betting_splits ADD CONSTRAINT betting_splits_handle_pct_not_null
    CHECK (handle_pct IS NOT NULL) NOT VALID;
-- strata:commit
ALTER TABLE betting_splits VALIDATE CONSTRAINT betting_splits_handle_pct_not_null;
-- strata:commit
ALTER TABLE betting_splits ALTER COLUMN handle_pct SET NOT NULL;
-- strata:commit
ALTER TABLE betting_splits DROP CONSTRAINT betting_splits_handle_pct_not_null;
-- strata:commit
ALTER TABLE betting_splits ADD CONSTRAINT betting_splits_bet_pct_check
    CHECK (bet_pct BETWEEN 0 AND 100) NOT VALID;
-- strata:commit
ALTER TABLE betting_splits VALIDATE CONSTRAINT betting_splits_bet_pct_check;
-- strata:commit
ALTER TABLE betting_splits DROP CONSTRAINT betting_splits_pct_check;
-- strata:commit
ALTER TABLE betting_splits DROP COLUMN money_pct;
