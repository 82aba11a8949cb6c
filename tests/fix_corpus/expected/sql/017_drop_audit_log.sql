-- strata:contract
-- lint --fix, ban-drop-table: moved into the contract part: it runs with 'strata complete', once the application no longer uses it
DROP TABLE audit_log;
