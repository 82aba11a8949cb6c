-- strata:contract
-- lint --fix, ban-drop-column: moved into the contract part: it runs with 'strata complete', once the application no longer uses it
ALTER TABLE orders DROP COLUMN legacy_code;
