#!/usr/bin/env bash
# strata lint pointed at a database: it lints what `up` would run now,
# knows which tables exist (and how big they are) and the columns' current
# types, takes the database's dialect, and changes nothing there.
. "$(dirname "$0")/lib.sh" "$@"

if [ "$KIND" = sqlite ]; then
	# A database that does not exist yet is empty, and stays absent.
	write sql/1_t.sql "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER);"
	write rollback/1_t.sql "DROP TABLE t;"
	write sql/2_t.sql "ALTER TABLE t ADD COLUMN c INTEGER NOT NULL;"
	write rollback/2_t.sql "ALTER TABLE t DROP COLUMN c;"
	run --json lint
	expect_rc 0 "t is created by this run: $OUT"
	expect_eq "the pending files and their rollbacks" "$(jqv .files)" 4
	expect_err "does not exist yet"
	[ ! -e "$DBFILE" ] || fail "lint created the database"
	ok
	run up --to 1
	expect_rc 0
	sqlq "INSERT INTO t (a) VALUES (1)" >/dev/null
	before=$(cksum <"$DBFILE")
	run --json lint
	expect_rc 3 "t exists now"
	expect_eq "only what up would run" "$(jqv .files)" 2
	expect_eq "the finding" "$(jqv '[.findings[].rule] | join(",")')" adding-required-field
	expect_eq "database unchanged" "$(cksum <"$DBFILE")" "$before"
	[ ! -e "$DBFILE-wal" ] || [ ! -s "$DBFILE-wal" ] || fail "lint wrote to the WAL"
	ok
	exit 0
fi

# PostgreSQL: an existing big table, a new one, and current types.
sqlq "CREATE TABLE big (id bigint PRIMARY KEY, score numeric(3,2), note text);
INSERT INTO big SELECT g, 1.5, 'x' FROM generate_series(1, 150000) g;
ANALYZE big;
CREATE TABLE small (id bigint PRIMARY KEY, v varchar(40));
ALTER TABLE small ADD CONSTRAINT small_v_nn CHECK (v IS NOT NULL);" >/dev/null
write_pair 1 raise "SET lock_timeout = '2s';
ALTER TABLE big ALTER COLUMN score TYPE numeric(5,2);" "SET lock_timeout = '2s';
ALTER TABLE big ALTER COLUMN score TYPE numeric(3,2);"
write_pair 2 indexes "CREATE INDEX big_note ON big (note);
CREATE TABLE fresh (id bigint PRIMARY KEY, n int);
CREATE INDEX fresh_n ON fresh (n);" "DROP TABLE fresh; DROP INDEX CONCURRENTLY big_note;"
write_pair 3 data "UPDATE big SET note = 'y' WHERE note <> 'z';
UPDATE small SET v = 'z';" "SELECT 1;"
write_pair 4 notnull "SET lock_timeout = '2s';
ALTER TABLE small ALTER COLUMN v SET NOT NULL;
ALTER TABLE small ALTER COLUMN v TYPE varchar(80);" "SELECT 1;"

run --json lint --lock-timeout 0
expect_rc 3
rules() { jqv "[.findings[] | select(.file == \"$1\") | .rule] | sort | join(\",\")"; }
expect_eq "numeric(3,2) raised to (5,2): quiet" "$(rules sql/1_raise.sql)" ""
expect_eq "lowered back: a rewrite" "$(rules rollback/1_raise.sql)" changing-column-type
expect_eq "the message has both types" \
    "$(jqv '.findings[] | select(.rule == "changing-column-type") | .message | test("numeric\\(5,2\\) to numeric\\(3,2\\)")')" true
expect_eq "an existing table's index; the new table's is quiet" "$(rules sql/2_indexes.sql)" \
    "require-concurrent-index-creation,require-lock-timeout"
expect_eq "150,000 rows touched: an error even with a WHERE; a small table: nothing" "$(rules sql/3_data.sql)" unbatched-data-change
expect_eq "it is an error" "$(jqv '.findings[] | select(.rule == "unbatched-data-change") | .severity')" error
expect_eq "validated check known; varchar raised: no rewrite" "$(rules sql/4_notnull.sql)" \
    "exclusive-lock-held,prefer-text-field"
expect_eq "the server's version" "$(jqv '[.findings[] | select(.rule == "require-lock-timeout")] | length')" 1

# Only what up would run: applied versions are left out.
run up --to 1 --lint off
expect_rc 0
run --json lint --lock-timeout 0
expect_eq "version 1 applied, not linted" "$(jqv '[.findings[] | select(.version == 1)] | length')" 0

# A table the database does not have is new.
write_pair 5 ghost "ALTER TABLE ghost ADD COLUMN c int NOT NULL;" "SELECT 1;"
run --json lint sql/5_ghost.sql
expect_rc 0 "ghost is absent from the database: $OUT"
STRATA_DB= run --json lint sql/5_ghost.sql
expect_rc 3 "without a database, only the same file counts"
rm -f sql/5_ghost.sql rollback/5_ghost.sql

# Defaults: volatility from pg_proc for the database's own functions, and
# from PostgreSQL's built-ins; an operator over stable calls is stable. The
# server agrees: a stable default leaves the table's file as it was.
sqlq "CREATE FUNCTION app_stable() RETURNS text LANGUAGE plpgsql STABLE AS 'BEGIN RETURN ''s''; END';
CREATE FUNCTION app_volatile() RETURNS text LANGUAGE plpgsql AS 'BEGIN RETURN ''v''; END';" >/dev/null
write_pair 6 defaults "ALTER TABLE big ADD COLUMN d1 text DEFAULT 'x' || now()::text;
ALTER TABLE big ADD COLUMN d2 text DEFAULT app_stable();
ALTER TABLE big ADD COLUMN d3 text DEFAULT app_volatile();" \
    "ALTER TABLE big DROP COLUMN d1, DROP COLUMN d2, DROP COLUMN d3;"
run --json lint sql/6_defaults.sql
expect_eq "only the volatile default" \
    "$(jqv '[.findings[] | select(.rule == "adding-field-with-default") | .line] | join(",")')" 3
node=$(sqlq "SELECT pg_relation_filenode('big')")
sqlq "ALTER TABLE big ADD COLUMN d1 text DEFAULT 'x' || now()::text; ALTER TABLE big ADD COLUMN d2 text DEFAULT app_stable()"
expect_eq "no rewrite for the stable defaults" "$(sqlq "SELECT pg_relation_filenode('big')")" "$node"
sqlq "ALTER TABLE big ADD COLUMN d3 text DEFAULT app_volatile()"
[ "$(sqlq "SELECT pg_relation_filenode('big')")" != "$node" ] || fail "the volatile default did not rewrite: the test proves nothing"
ok

# What a data change touches, not the table's size: one row by its key,
# else the planner's estimate for the statement.
write_pair 7 few "DELETE FROM big WHERE id = 5;
UPDATE big SET note = 'y' WHERE id < 10;
UPDATE big SET note = 'y' WHERE id = 7 AND note = 'x';
UPDATE big SET note = 'y' WHERE note = 'x';" "SELECT 1;"
run --json lint --lock-timeout 0 sql/7_few.sql
expect_eq "only the statement that touches every row" \
    "$(jqv '[.findings[] | select(.rule == "unbatched-data-change") | .line] | join(",")')" 4
expect_eq "its estimate" "$(jqv '.findings[] | select(.rule == "unbatched-data-change") | .message | test("about 1[0-9]{5} rows")')" true
