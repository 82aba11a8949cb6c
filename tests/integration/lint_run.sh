#!/usr/bin/env bash
# up and rollback lint what they are about to run (--lint warn|error|off):
# after validation, before the first statement, with the run's own lock
# timeout, counting tables an earlier file of the same run creates as new.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 base "CREATE TABLE t (id bigint PRIMARY KEY, a integer);" "DROP TABLE t;"
run up
expect_rc 0

hazard=$(pick "ALTER TABLE t ADD COLUMN c INTEGER NOT NULL;" "CREATE INDEX t_a ON t (a);")
rule=$(pick adding-required-field require-concurrent-index-creation)
write_pair 2 hazard "$hazard" "$(pick "SELECT 1;" "DROP INDEX t_a;")"

run up --lint error
expect_rc 3 "an error finding refuses the run"
expect_err "error[$rule]"
expect_err "nothing was run"
expect_eq "version 2 not recorded" "$(sqlq 'SELECT count(*) FROM strata_history WHERE version = 2')" 0
expect_eq "no log row for it" "$(sqlq 'SELECT count(*) FROM strata_log WHERE version = 2')" 0
run --json up --lint error
expect_rc 3
expect_json
expect_eq "error document" "$(jqv .error.exit_code)" 3
run up --lint bogus
expect_rc 2

run up --lint off --dry-run
expect_rc 0
case $ERR in *"[$rule]"*) fail "--lint off still linted" ;; esac
ok

if [ "$KIND" = postgres ]; then
	# The default is warn: the findings on stderr, and the run goes on.
	run up --lock-timeout 0
	expect_rc 0
	expect_err "sql/2_hazard.sql:1:1: error[require-concurrent-index-creation]"
	expect_err "warning[require-lock-timeout]"
	expect_eq "index built" "$(sqlq "SELECT count(*) FROM pg_indexes WHERE indexname = 't_a'")" 1

	# rollback lints the rollback files it would run.
	run rollback --lint error
	expect_rc 3
	expect_err "error[require-concurrent-index-deletion]"
	expect_eq "still applied" "$(sqlq 'SELECT count(*) FROM strata_history WHERE version = 2')" 1
	run rollback --lint off
	expect_rc 0
	expect_eq "rolled back" "$(sqlq 'SELECT count(*) FROM strata_history WHERE version = 2')" 0

	# The run's --lock-timeout counts, and so does its default (2s).
	run up --dry-run --lock-timeout 2s
	expect_rc 0
	case $ERR in *require-lock-timeout*) fail "--lock-timeout not passed to lint" ;; esac
	ok
	run up --dry-run
	expect_rc 0
	case $ERR in *require-lock-timeout*) fail "the default lock timeout not counted" ;; esac
	ok
	rm sql/2_hazard.sql rollback/2_hazard.sql
fi

# A table created by an earlier file of the same pending run is new.
write_pair 3 fresh "CREATE TABLE u (id bigint PRIMARY KEY, b integer);" "DROP TABLE u;"
write_pair 4 fresh_index "$(pick "ALTER TABLE u ADD COLUMN c INTEGER NOT NULL;" "CREATE INDEX u_b ON u (b);")" \
    "$(pick "SELECT 1;" "DROP INDEX u_b;")"
[ "$KIND" = sqlite ] && rm sql/2_hazard.sql rollback/2_hazard.sql
run up --lint error --to 3
expect_rc 0 "$ERR"
run rollback
expect_rc 0
run up --lint error
expect_rc 0 "u is created earlier in this run: $ERR"

if [ "$KIND" = postgres ]; then
	# adding-not-nullable-field's own recipe, a step a version, on a table
	# with rows: up --lint error lets it through (the check added and
	# validated by earlier files counts), and the server agrees.
	sqlq "CREATE TABLE people (id int, email text); INSERT INTO people SELECT g, 'x' FROM generate_series(1, 10) g"
	write_pair 5 check "ALTER TABLE people ADD CONSTRAINT people_email_nn CHECK (email IS NOT NULL) NOT VALID;" \
	    "ALTER TABLE people DROP CONSTRAINT people_email_nn;"
	write_pair 6 validate "ALTER TABLE people VALIDATE CONSTRAINT people_email_nn;" "SELECT 1;"
	write_pair 7 notnull "ALTER TABLE people ALTER COLUMN email SET NOT NULL;
ALTER TABLE people DROP CONSTRAINT people_email_nn;" \
	    "ALTER TABLE people ALTER COLUMN email DROP NOT NULL;"
	run up --lint error
	expect_rc 0 "the recipe refused: $ERR"
	expect_eq "NOT NULL set" "$(sqlq "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'people'::regclass AND attname = 'email'")" t
fi
