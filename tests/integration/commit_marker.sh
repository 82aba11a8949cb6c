#!/usr/bin/env bash
# -- strata:commit ends a transaction inside a file: what came before it
# stays committed with the history row's count; a failure after it leaves
# the version failed there, and the next up resumes after the commit.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 base "CREATE TABLE runs (n int);
CREATE TABLE t (a int);
INSERT INTO t VALUES (1), (2);" "DROP TABLE t; DROP TABLE runs;"
run up
expect_rc 0

# Before the commit: counted in runs; after it: a statement that fails.
write_pair 2 steps "INSERT INTO runs VALUES (2);
ALTER TABLE t ADD CONSTRAINT t_a_positive CHECK (a > 0) $(pick "" "NOT VALID");
-- strata:commit
INSERT INTO nowhere VALUES (1);
INSERT INTO runs VALUES (20);" "$(pick "SELECT 1;" "ALTER TABLE t DROP CONSTRAINT t_a_positive;")
DELETE FROM runs WHERE n IN (2, 20);"
if [ "$KIND" = sqlite ]; then
	# SQLite has no ADD CONSTRAINT: a second table stands in for it.
	write sql/2_steps.sql "INSERT INTO runs VALUES (2);
CREATE TABLE t2 (a int);
-- strata:commit
INSERT INTO nowhere VALUES (1);
INSERT INTO runs VALUES (20);"
	write rollback/2_steps.sql "DROP TABLE t2;
DELETE FROM runs WHERE n IN (2, 20);"
fi
run up
expect_rc 1 "a failure after the commit"
expect_err "sql/2_steps.sql:4:1"
expect_eq "failed" "$(sqlq "SELECT state FROM strata_history WHERE version = 2")" failed
expect_eq "two statements done" "$(sqlq "SELECT statements_completed FROM strata_history WHERE version = 2")" 2
expect_eq "the first part committed" "$(sqlq "SELECT count(*) FROM runs WHERE n = 2")" 1
run status
expect_out "failed"

# The failing statement put right (what is done stays as it was): up
# resumes after the commit, and the first part does not run again.
sed -i 's/INSERT INTO nowhere VALUES (1);/INSERT INTO runs VALUES (3);/' sql/2_steps.sql
run up
expect_rc 0 "$ERR"
expect_eq "applied" "$(sqlq "SELECT state FROM strata_history WHERE version = 2")" applied
expect_eq "first part once" "$(sqlq "SELECT count(*) FROM runs WHERE n = 2")" 1
expect_eq "second part" "$(sqlq "SELECT count(*) FROM runs WHERE n IN (3, 20)")" 2

# The dry run shows two transactions; --single-transaction refuses it.
run rollback
expect_rc 0
run up --dry-run
expect_out "transaction: 2 statements (line 1)"
expect_out "transaction: 2 statements (line 4)"
run up --single-transaction
expect_rc 2
expect_err "-- strata:commit"
run up
expect_rc 0

if [ "$KIND" = postgres ]; then
	# NOT VALID, commit, VALIDATE in one file: the help's recipe lints
	# clean, and the validation scans outside the ADD's lock.
	write_pair 3 validate "ALTER TABLE t ADD CONSTRAINT t_a_small CHECK (a < 100) NOT VALID;
-- strata:commit
ALTER TABLE t VALIDATE CONSTRAINT t_a_small;" "ALTER TABLE t DROP CONSTRAINT t_a_small;"
	run up --lint error
	expect_rc 0 "$ERR"
	expect_eq "validated" "$(sqlq "SELECT convalidated FROM pg_constraint WHERE conname = 't_a_small'")" t
fi

# In a no-transaction file it changes nothing.
write_pair 4 notx "-- strata:no-transaction
INSERT INTO runs VALUES (4);
-- strata:commit
INSERT INTO runs VALUES (5);" "DELETE FROM runs WHERE n IN (4, 5);"
run up
expect_rc 0 "$ERR"
expect_eq "both ran" "$(sqlq "SELECT count(*) FROM runs WHERE n IN (4, 5)")" 2
