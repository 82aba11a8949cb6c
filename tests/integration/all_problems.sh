#!/usr/bin/env bash
# validate, and up and rollback before they run anything, report every
# problem of a folder at once (SPEC §5): misnamed files, files that do not
# split, drift, missing rollbacks; --json has them all in "errors".
. "$(dirname "$0")/lib.sh" "$@"

for v in 1 2 3 4 5; do
	write_pair $v t$v "CREATE TABLE t$v (x int);" "DROP TABLE t$v;"
done
run up --to 2
expect_rc 0
echo "-- edited after it was applied" >>sql/1_t1.sql
write sql/3_t3.sql "CREATE TABLE t3 (x int);
INSERT INTO t3 VALUES ('never closed);"
write sql/4_t4.sql "CREATE TABLE t4 (x int);
INSERT INTO t4 VALUES ('nor this);"
rm rollback/5_t5.sql
write sql/6-dash.sql "SELECT 1;"
write sql/seven_t7.sql "SELECT 1;"

run validate
expect_rc 2 "the first problem's code"
expect_err "misnamed migration file 'sql/6-dash.sql'"
expect_err "misnamed migration file 'sql/seven_t7.sql'"
expect_err "sql/3_t3.sql:2:"
expect_err "sql/4_t4.sql:2:"
expect_err "version 1 (sql/1_t1.sql) was changed after it was applied"
expect_err "version 5 (sql/5_t5.sql) has no rollback file"
expect_err "strata: 6 problems found"

run --json validate
expect_rc 2
expect_json
expect_eq "every problem in errors" "$(jqv '.errors | length')" 6
expect_eq "the first as the error" "$(jqv '.error.message == .errors[0].message and .error.exit_code == .errors[0].exit_code')" true
expect_eq "exit codes" "$(jqv '[.errors[].exit_code] | tostring')" "[2,2,2,2,3,3]"
expect_eq "file:line of a split error" "$(jqv '[.errors[] | select(.file == "sql/4_t4.sql") | .line] | tostring')" "[2]"

# up: the same problems (a missing rollback is only a warning there).
run up
expect_rc 2 "up refuses with every problem"
expect_err "misnamed migration file 'sql/6-dash.sql'"
expect_err "sql/4_t4.sql:2:"
expect_err "version 1 (sql/1_t1.sql) was changed"
expect_err "strata: 5 problems found"
expect_eq "nothing ran" "$(sqlq "SELECT count(*) FROM strata_history")" 2
run --json up
expect_eq "up's errors" "$(jqv '.errors | length')" 5

# One problem: the error alone, with its one-entry errors array.
rm sql/6-dash.sql sql/seven_t7.sql sql/3_t3.sql sql/4_t4.sql rollback/3_t3.sql rollback/4_t4.sql
run --json up
expect_rc 3 "drift alone"
expect_eq "one problem" "$(jqv '.errors | length')" 1
run up
case $ERR in *"problems found"*) fail "a count for one problem: $ERR" ;; *) ok ;; esac

# rollback: every applied version without its rollback file, at once.
git_restore() { sed -i '$d' sql/1_t1.sql; }
git_restore
rm rollback/1_t1.sql rollback/2_t2.sql
run rollback --to 0
expect_rc 2 "rollback refuses with every missing file"
expect_err "version 2"
expect_err "version 1"
expect_err "strata: 2 problems found"
expect_eq "nothing rolled back" "$(sqlq "SELECT count(*) FROM strata_history")" 2
