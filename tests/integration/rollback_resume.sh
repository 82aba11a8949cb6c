#!/usr/bin/env bash
# A rollback that stopped part-way resumes where it stopped, and refuses
# (exit 3) when the statements it already ran changed in the file since,
# as a stopped up does; validate says the same.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 audit "CREATE TABLE r_audit (note text);
INSERT INTO r_audit VALUES ('x');" "-- strata:no-transaction
DELETE FROM r_audit;
INSERT INTO r_missing VALUES (1);
DROP TABLE r_audit;"
run up
expect_rc 0

# Statement 2 fails: statement 1 stays done.
run rollback
expect_rc 1
run --json status
expect_eq "state" "$(jqv '.migrations[0].state')" failed
expect_eq "rows deleted by statement 1" "$(sqlq 'SELECT count(*) FROM r_audit')" 0
sqlq "INSERT INTO r_audit VALUES ('y')" >/dev/null

# Statement 1 changed since it ran: no resume.
write rollback/1_audit.sql "-- strata:no-transaction
DELETE FROM r_audit WHERE note <> 'y';
INSERT INTO r_missing VALUES (1);
DROP TABLE r_audit;"
run rollback
expect_rc 3
expect_err "changed in the file"
run validate
expect_rc 3
expect_err "changed in the file"
expect_eq "statement 1 not run again" "$(sqlq 'SELECT count(*) FROM r_audit')" 1

# Statement 1 as it ran, statement 2 fixed: resumes at statement 2.
write rollback/1_audit.sql "-- strata:no-transaction
DELETE FROM r_audit;
SELECT 1;
DROP TABLE r_audit;"
run rollback
expect_rc 0
expect_err "at statement 2"
expect_eq "table dropped" "$(table_exists r_audit)" 0
run --json status
expect_eq "pending again" "$(jqv '.migrations[0].state')" pending
