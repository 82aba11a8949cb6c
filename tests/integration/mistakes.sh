#!/usr/bin/env bash
# Mistakes that must never run or re-run anything: COPY with data from the
# client, repair against a wrong folder, --to an unknown version, a
# --schema-file in no folder.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 seed "CREATE TABLE o (id int);
INSERT INTO o VALUES (1);" "DROP TABLE o;"
run up
expect_rc 0

# COPY ... FROM STDIN, with no data lines and with them: refused before
# anything runs, naming the COPY's line, by every command that reads it.
cp_bare="ALTER TABLE o ADD COLUMN x int;
COPY o (id, x) FROM stdin;"
cp_data="ALTER TABLE o ADD COLUMN x int;
COPY o (id, x) FROM stdin;
2	20
3	30
\\."
for body in "$cp_bare" "$cp_data"; do
	write_pair 2 copy "$body" "ALTER TABLE o DROP COLUMN x;"
	for cmd in validate "up --dry-run" up lint; do
		run $cmd
		expect_rc 2 "$cmd with COPY FROM STDIN"
		expect_err "sql/2_copy.sql:2:1:"
		expect_err "COPY"
		case $ERR in *'\.'*) fail "$cmd blames the \\. line: $ERR" ;; esac
	done
	expect_eq "nothing ran" "$(sqlq "SELECT count(*) FROM o")" 1
done
if [ "$KIND" = postgres ]; then
	write_pair 2 copy "COPY (SELECT 1) TO STDOUT;" "SELECT 1;"
	run up
	expect_rc 2
	expect_err "sql/2_copy.sql:1:1:"
	expect_err "TO STDOUT"
	# A COPY the parser cannot see (inside a function) ends with an error,
	# not a session waiting for data forever.
	write_pair 2 copy "CREATE FUNCTION copy_in() RETURNS void LANGUAGE plpgsql AS \$\$
BEGIN EXECUTE 'COPY o (id) FROM STDIN'; END \$\$;
SELECT copy_in();" "DROP FUNCTION copy_in();"
	run up
	[ "$RC" -eq 1 ] || [ "$RC" -eq 5 ] || fail "COPY inside a function: exit $RC"
	ok
	expect_eq "function not left behind" "$(sqlq "SELECT count(*) FROM pg_proc WHERE proname = 'copy_in'")" 0
	# A server-side COPY is an ordinary statement.
	write_pair 2 copy "COPY o (id) TO '/dev/null';" "SELECT 1;"
	run up
	expect_rc 0
	run rollback
	expect_rc 0
fi
rm -f sql/2_copy.sql rollback/2_copy.sql

# --to a version that is neither 0 nor known: exit 2, nothing run.
write_pair 2 more "CREATE TABLE p (id int);" "DROP TABLE p;"
run up --to 99
expect_rc 2 "up --to 99"
expect_err "--to 99"
expect_eq "2 not applied" "$(table_exists p)" 0
run --json up --to 99
expect_rc 2
expect_eq "json exit code" "$(jqv .error.exit_code)" 2
run up --to 2
expect_rc 0
run rollback --to 7
expect_rc 2 "rollback --to 7"
expect_eq "2 still applied" "$(table_exists p)" 1
run rollback --to 1
expect_rc 0
expect_eq "2 rolled back" "$(table_exists p)" 0
run up
expect_rc 0

# repair against an empty or wrong folder: refused unless --force.
mkdir -p "$T/empty/sql" "$T/empty/rollback"
run -m "$T/empty/sql" -r "$T/empty/rollback" repair
expect_rc 2 "repair against an empty folder"
expect_err "forget all 2"
expect_err "--force"
run -m "$T/empty/sql" -r "$T/empty/rollback" repair --dry-run
expect_rc 0
expect_err "refuses to without --force"
run -m "$T/nowhere" -r "$T/nowhere" repair
[ "$RC" -eq 2 ] || fail "repair against a missing folder: exit $RC"
ok
run current
expect_eq "history kept" "$OUT" 2
run up
expect_rc 0
expect_eq "seed not re-run" "$(sqlq "SELECT count(*) FROM o")" 1
# Forgetting some versions is an ordinary repair; all of them needs --force.
mv sql/2_more.sql "$T/2_more.sql"
run repair
expect_rc 0
expect_out "forgot version"
mv "$T/2_more.sql" sql/2_more.sql
sqlq "DROP TABLE p"
run up
expect_rc 0

# --schema-file in a folder that is not there: exit 2 before anything runs.
write_pair 3 late "CREATE TABLE q (id int);" "DROP TABLE q;"
run up --schema-file no/such/dir/schema.txt
expect_rc 2
expect_err "no/such/dir"
expect_eq "3 not applied" "$(table_exists q)" 0
# A --schema-file that cannot be written after the run (a folder stands
# there): the migrations ran, so exit 1, never 2.
mkdir -p "$T/taken"
run up --schema-file "$T/taken"
expect_rc 1 "--schema-file unwritable after the run"
expect_err "--schema-file"
expect_eq "3 applied" "$(table_exists q)" 1

# status --exit-code: a version failed part-way is 3, its output as ever.
write_pair 4 half "-- strata:no-transaction
CREATE TABLE half_a (id int);
INSERT INTO no_such_table VALUES (1);" "DROP TABLE IF EXISTS half_a;"
run up
expect_rc 1
run status --exit-code
expect_rc 3 "a failed version"
expect_out "failed"
run status
expect_rc 0 "without --exit-code"

# --force forgets them all, when that is really meant.
run -m "$T/empty/sql" -r "$T/empty/rollback" repair --force
expect_rc 0
run current
expect_eq "forced repair forgot all" "$OUT" 0

