#!/usr/bin/env bash
# A pending version below the current one is refused, then allowed.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 a "CREATE TABLE a (id INTEGER);" "DROP TABLE a;"
write_pair 3 c "CREATE TABLE c (id INTEGER);" "DROP TABLE c;"
run up
expect_rc 0
write_pair 2 b "CREATE TABLE b (id INTEGER);" "DROP TABLE b;"

run --json status
expect_eq "out-of-order" "$(jqv '.migrations[1].state')" out-of-order
run up
expect_rc 3; expect_err "out-of-order"
expect_eq "b not created" "$(table_exists b)" 0
run --json up --out-of-order
expect_rc 0
expect_eq "applied 2" "$(jqv '[.applied[].version] | join(",")')" 2
expect_eq "current stays 3" "$(jqv .current)" 3
