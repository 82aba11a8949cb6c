#!/usr/bin/env bash
# A dialect variant wins over the generic file; another dialect's file is
# not part of the plan.
. "$(dirname "$0")/lib.sh" "$@"

other=$(pick postgres sqlite)
write sql/1_t.sql "CREATE TABLE generic_t (id INTEGER);"
write "sql/1_t.$KIND.sql" "CREATE TABLE dialect_t (id INTEGER);"
write rollback/1_t.sql "DROP TABLE dialect_t;"
write "sql/2_only_other.$other.sql" "CREATE TABLE other_t (id INTEGER);"
write "rollback/2_only_other.$other.sql" "DROP TABLE other_t;"
write rollback/3_rollback_x.sql "DROP TABLE x3;"
write sql/3_x.sql "CREATE TABLE x3 (id INTEGER);"

run --json status
expect_eq "plan versions" "$(jqv '[.migrations[].version] | join(",")')" "1,3"
expect_eq "rollback paired by version prefix" "$(jqv '.migrations[1].has_rollback')" true
run up
expect_rc 0
expect_eq "dialect file ran" "$(table_exists dialect_t)" 1
expect_eq "generic file did not" "$(table_exists generic_t)" 0
expect_eq "other dialect did not" "$(table_exists other_t)" 0
run rollback --to 0
expect_rc 0
expect_eq "dialect_t dropped" "$(table_exists dialect_t)" 0

# PostgreSQL's client library and parser are loaded only when needed: a
# SQLite run loads neither, a PostgreSQL `status` only libpq (it splits
# nothing), its `up` both.
loaded() {
	grep -o -E 'file=lib(pq|pg_query)\.so[^ ]*' "$T/err" |
	    sed 's/^file=//; s/\.so.*//' | sort -u | tr '\n' ' '
}
write sql/4_y.sql "CREATE TABLE y4 (id INTEGER);"
write rollback/4_y.sql "DROP TABLE y4;"
LD_DEBUG=files run status
expect_rc 0
for_status=$(loaded)
LD_DEBUG=files run up
expect_rc 0
for_up=$(loaded)
expect_eq "4 applied" "$(table_exists y4)" 1
case $KIND in
sqlite)
	expect_eq "libraries status loaded" "$for_status" ""
	expect_eq "libraries up loaded" "$for_up" "" ;;
postgres)
	expect_eq "libraries status loaded" "$for_status" "libpq "
	expect_eq "libraries up loaded" "$for_up" "libpg_query libpq " ;;
esac
