#!/usr/bin/env bash
# up --single-transaction: all pending versions or none; a version that
# needs to run outside a transaction is refused up front (exit 2).
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 a "CREATE TABLE a (id INTEGER);" "DROP TABLE a;"
write_pair 2 b "CREATE TABLE b (id INTEGER);" "DROP TABLE b;"
write_pair 3 c "CREATE TABLE c (id INTEGER);
INSERT INTO nosuch VALUES (1);" "DROP TABLE c;"

run up --single-transaction
expect_rc 1
expect_eq "nothing applied" "$(sqlq 'SELECT count(*) FROM strata_history')" 0
expect_eq "a rolled back too" "$(table_exists a)" 0
run --json log --limit 0
expect_eq "the failure is logged" "$(jqv '[.entries[] | select(.outcome == "error")][0].version')" 3

write sql/3_c.sql "CREATE TABLE c (id INTEGER);"
run --json up --single-transaction
expect_rc 0
expect_eq "all three" "$(jqv '[.applied[].version] | join(",")')" "1,2,3"
expect_eq "current" "$(jqv .current)" 3

write_pair 4 d "-- strata:no-transaction
CREATE TABLE d (id INTEGER);" "DROP TABLE d;"
run up --single-transaction
expect_rc 2; expect_err "sql/4_d.sql"; expect_err "outside a transaction"
expect_eq "d not created" "$(table_exists d)" 0
