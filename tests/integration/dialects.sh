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

# The libraries are the distribution's shared ones, linked the ordinary
# way, so that their security updates reach strata.
write sql/4_y.sql "CREATE TABLE y4 (id INTEGER);"
write rollback/4_y.sql "DROP TABLE y4;"
run up
expect_rc 0
expect_eq "4 applied" "$(table_exists y4)" 1
linked=$(ldd "$STRATA" | grep -o -E '^\s*lib(pq|sqlite3|crypto|pg_query)\.so[^ ]*' |
    sed 's/^\s*//; s/\.so.*//' | sort -u | tr '\n' ' ')
expect_eq "shared libraries linked" "$linked" "libcrypto libpg_query libpq libsqlite3 "
