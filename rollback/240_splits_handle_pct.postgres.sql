-- Undo 240. The part after the contract line runs first, and only when
-- the contract part ran: money_pct comes back (filled from handle_pct in
-- batches, NOT NULL through a validated CHECK), with the two-column check
-- and the trigger, as the expand part left things. Then the part before
-- the line undoes the expand. Rolling back an expanded version runs that
-- part alone. money_pct comes back last in the table (no database can
-- put a column back in its place); --check-rollbacks does not compare
-- column positions of a phased version.

DROP TRIGGER betting_splits_handle_sync ON betting_splits;
-- strata:commit
DROP FUNCTION betting_splits_handle_sync();
ALTER TABLE betting_splits DROP CONSTRAINT betting_splits_handle_pct_check;
-- strata:commit
ALTER TABLE betting_splits DROP COLUMN handle_pct;

-- strata:contract

ALTER TABLE betting_splits ADD COLUMN money_pct numeric(5,2);

-- strata:batch 10000
UPDATE betting_splits SET money_pct = handle_pct WHERE money_pct IS NULL;

ALTER TABLE betting_splits ADD CONSTRAINT betting_splits_money_pct_not_null
    CHECK (money_pct IS NOT NULL) NOT VALID;
-- strata:commit
ALTER TABLE betting_splits VALIDATE CONSTRAINT betting_splits_money_pct_not_null;
-- strata:commit
ALTER TABLE betting_splits ALTER COLUMN money_pct SET NOT NULL;
-- strata:commit
ALTER TABLE betting_splits DROP CONSTRAINT betting_splits_money_pct_not_null;
-- strata:commit
ALTER TABLE betting_splits ADD CONSTRAINT betting_splits_pct_check
    CHECK (bet_pct BETWEEN 0 AND 100 AND money_pct BETWEEN 0 AND 100) NOT VALID;
-- strata:commit
ALTER TABLE betting_splits VALIDATE CONSTRAINT betting_splits_pct_check;
-- strata:commit
ALTER TABLE betting_splits DROP CONSTRAINT betting_splits_bet_pct_check;
-- strata:commit
ALTER TABLE betting_splits ALTER COLUMN handle_pct DROP NOT NULL;
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
