#!/usr/bin/env bash
# --schema puts strata's tables elsewhere; application_name is strata; a
# schema that does not exist is exit 5 for every command, never created.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 a "CREATE TABLE a (id int);
CREATE TABLE seen_as AS SELECT current_setting('application_name') AS name;" "DROP TABLE a; DROP TABLE seen_as;"
write_pair 2 seed "CREATE TABLE seeds (n int); INSERT INTO seeds VALUES (1);" "DROP TABLE seeds;"
run up
expect_rc 0

# A typo in --schema: no new history, nothing re-run, for every command.
for cmd in up status current validate log "rollback" "baseline 1" repair \
	"up --dry-run" "lint"; do
	run --schema publc $cmd
	[ "$cmd" = lint ] && continue # lint without a database name reads files
	expect_rc 5 "--schema publc $cmd"
	expect_err "schema 'publc' does not exist"
	expect_err "CREATE SCHEMA"
done
expect_eq "no schema made" "$(sqlq "SELECT count(*) FROM pg_namespace WHERE nspname = 'publc'")" 0
expect_eq "seeds not re-run" "$(sqlq "SELECT count(*) FROM seeds")" 1
run --json --schema publc status
expect_rc 5
expect_eq "json error exit" "$(jqv .error.exit_code)" 5
run rollback --to 0
expect_rc 0
sqlq "DROP TABLE strata_history; DROP TABLE strata_log; DROP TABLE strata_meta"
rm sql/2_seed.sql rollback/2_seed.sql

sqlq "CREATE SCHEMA ops"
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
