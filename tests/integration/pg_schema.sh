#!/usr/bin/env bash
# --schema puts strata's tables elsewhere; application_name is strata.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 a "CREATE TABLE a (id int);
CREATE TABLE seen_as AS SELECT current_setting('application_name') AS name;" "DROP TABLE a; DROP TABLE seen_as;"
run --schema ops up
expect_rc 0
expect_eq "application_name" "$(sqlq "SELECT name FROM seen_as")" strata
expect_eq "history in ops" "$(sqlq "SELECT count(*) FROM ops.strata_history")" 1
expect_eq "not in public" "$(sqlq "SELECT to_regclass('public.strata_history') IS NULL")" t
run --schema ops current
expect_eq "current via schema" "$OUT" 1
run current
expect_eq "public schema sees nothing" "$OUT" 0
run --schema ops rollback
expect_rc 0
expect_eq "a dropped" "$(table_exists a)" 0
