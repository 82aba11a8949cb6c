#!/usr/bin/env bash
# A broken 3rd of 5 migrations: 1-2 stay applied, none of 3's effects, the
# log keeps the error, and the error points into the file.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 a "CREATE TABLE a (id INTEGER);" "DROP TABLE a;"
write_pair 2 b "CREATE TABLE b (id INTEGER);" "DROP TABLE b;"
write_pair 3 c "CREATE TABLE c (id INTEGER);
INSERT INTO c VALUES (1);
-- the next statement refers to a table that does not exist
INSERT INTO c SELECT id FROM nosuchtable;" "DROP TABLE c;"
write_pair 4 d "CREATE TABLE d (id INTEGER);" "DROP TABLE d;"
write_pair 5 e "CREATE TABLE e (id INTEGER);" "DROP TABLE e;"

run up
expect_rc 1 "statement failure"
expect_err "sql/3_c.sql:4:"
expect_out "applied 2 b"
run current
expect_eq "current" "$OUT" 2
expect_eq "3's table rolled back" "$(table_exists c)" 0
expect_eq "4 not applied" "$(table_exists d)" 0

run --json status
expect_eq "3 stays pending (transactional)" "$(jqv '.migrations[2].state')" pending
expect_eq "no history row for 3" "$(sqlq 'SELECT count(*) FROM strata_history WHERE version = 3')" 0

run --json log
expect_eq "error row kept" "$(jqv '[.entries[] | select(.outcome == "error")] | length')" 1
expect_eq "error row version" "$(jqv '[.entries[] | select(.outcome == "error")][0].version')" 3
expect_eq "error row statement" "$(jqv '[.entries[] | select(.outcome == "error")][0].statement')" 3
expect_eq "error text" "$(jqv '[.entries[] | select(.outcome == "error")][0].error | test("nosuchtable")')" true
expect_eq "rolled back rows say so" "$(jqv '[.entries[] | select(.version == 3 and .outcome == "ok")][0].facts.rolled_back')" true

# --json error document
run --json up
expect_rc 1; expect_json
expect_eq "error exit_code" "$(jqv .error.exit_code)" 1
expect_eq "error version" "$(jqv .error.version)" 3
expect_eq "error file" "$(jqv .error.file)" sql/3_c.sql
expect_eq "error line" "$(jqv .error.line)" 4
if [ "$KIND" = postgres ]; then
	expect_eq "sqlstate" "$(jqv .error.sqlstate)" 42P01
	expect_eq "column points at the table" "$(jqv .error.column)" 30
fi

# Fix the file: the run continues from 3.
write sql/3_c.sql "CREATE TABLE c (id INTEGER);
INSERT INTO c VALUES (1);"
run up
expect_rc 0; expect_out "applied 5 e"
expect_eq "c rows" "$(sqlq 'SELECT count(*) FROM c')" 1

# strata's own rows ride with the COMMIT (one pipeline on PostgreSQL). A
# migration that writes its own history row makes strata's INSERT fail
# there: nothing of 6 stays, and the log says what ran and was undone.
write_pair 6 sneaky "CREATE TABLE f (id INTEGER);
INSERT INTO strata_history (version, name, state, applied_at) VALUES (6, 'sneaky', 'applied', '2026-01-01 00:00:00');" "DROP TABLE f;"
run up
expect_rc 1 "history write fails with the commit"
expect_err "strata_history"
expect_eq "6's table rolled back" "$(table_exists f)" 0
expect_eq "no history row for 6" "$(sqlq 'SELECT count(*) FROM strata_history WHERE version = 6')" 0
run current
expect_eq "current stays 5" "$OUT" 5
run --json log --version 6
expect_eq "6's statements logged as rolled back" "$(jqv '[.entries[] | select(.facts.rolled_back == true)] | length')" 2
write sql/6_sneaky.sql "CREATE TABLE f (id INTEGER);"
run up
expect_rc 0; expect_out "applied 6 sneaky"
