#!/usr/bin/env bash
# strata's own tables from an older strata: a database made by the binary
# of the commit before the tables had a layout version is read as it is,
# upgraded in place by the first command that writes (saying so once),
# and used; a layout newer than this strata knows is refused (exit 5).
. "$(dirname "$0")/lib.sh" "$@"

src=${STRATA_SRC:?set STRATA_SRC to the source tree}

# Build strata as it was at a commit, once per machine (both kinds of this
# test may run at once); prints the binary's path.
build_old() {
	local commit=$1 dir=${STRATA_TEST_OLD_DIR:-/tmp}/strata-old-$1
	git -C "$src" cat-file -e "$commit^{commit}" 2>/dev/null ||
		fail "commit $commit is not in $src: a full clone is needed to build the old strata"
	mkdir -p "$dir"
	(
		flock 9
		if [ ! -x "$dir/build/strata" ]; then
			rm -rf "$dir/src" "$dir/build"
			mkdir -p "$dir/src"
			git -C "$src" archive "$commit" | tar -x -C "$dir/src" &&
			cmake -S "$dir/src" -B "$dir/build" -DSTRATA_TESTS=OFF \
			    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
			cmake --build "$dir/build" -j2 >/dev/null
		fi
	) 9>"$dir/.lock"
	[ -x "$dir/build/strata" ] || fail "could not build strata at $commit"
	echo "$dir/build/strata"
}

# The last commit whose tables had no recorded layout (layout 1), the
# last of layout 3 (no 'expanded' state), the last of layout 4 (no
# repeatables).
OLD=$(build_old f661e3f)
OLD3=$(build_old 5376e22)
OLD4=$(build_old 03c529f)
ok

# An empty folder and a database without strata's tables or the test's.
start_over() {
	rm -rf sql rollback
	mkdir sql rollback
	if [ "$KIND" = sqlite ]; then
		rm -f "$T/test.db"
	else
		sqlq "DROP TABLE IF EXISTS strata_history, strata_log, strata_meta, strata_repeatable, a, b, c, p CASCADE" >/dev/null
	fi
}

meta_exists() {
	if [ "$KIND" = sqlite ]; then
		sqlq "SELECT count(*) FROM sqlite_master WHERE name = 'strata_meta'"
	else
		sqlq "SELECT count(*) FROM pg_class WHERE relname = 'strata_meta'"
	fi
}

write_pair 1 a "CREATE TABLE a (id INTEGER);" "DROP TABLE a;"
write_pair 2 b "CREATE TABLE b (id INTEGER);
CREATE INDEX b_id ON b (id);" "DROP TABLE b;"
write_pair 3 c "CREATE TABLE c (id INTEGER);" "DROP TABLE c;"

"$OLD" up --to 2 >"$T/out" 2>"$T/err" || fail "the old strata could not apply: $(cat "$T/err")"
ok
old_sum=$(sqlq "SELECT checksum FROM strata_history WHERE version = 2")
old_log=$(sqlq "SELECT count(*) FROM strata_log")
expect_eq "old tables have no layout record" "$(meta_exists)" 0

# Reading changes nothing: no upgrade, no new table.
run --json status
expect_rc 0
expect_eq "old history read" "$(jqv '[.migrations[] | .state] | join(",")')" "applied,applied,pending"
expect_eq "old checksum read" "$(jqv '.migrations[1].recorded_checksum')" "$old_sum"
expect_eq "a read upgrades nothing" "$(meta_exists)" 0
run log --json
expect_rc 0
expect_eq "old log read" "$(jqv '.entries | length')" "$old_log"

# The first write upgrades, under the lock, and says so once.
run up
expect_rc 0
expect_err "upgraded strata's tables"
expect_err "from layout 1 to 5"
expect_eq "layout recorded" "$(sqlq "SELECT value FROM strata_meta WHERE name = 'tables_version'")" 5
expect_eq "3 applied" "$(table_exists c)" 1
expect_eq "old rows kept" "$(sqlq "SELECT checksum FROM strata_history WHERE version = 2")" "$old_sum"
run rollback --to 0
expect_rc 0
case $ERR in *upgraded*) fail "upgraded twice" ;; esac
ok
expect_eq "all rolled back" "$(sqlq 'SELECT count(*) FROM strata_history')" 0
expect_eq "log kept across the upgrade" "$(sqlq "SELECT count(*) >= $old_log + 4 FROM strata_log" | sed 's/^t$/1/')" 1

# strata's own tables stay out of the schema it compares.
run up --check-rollbacks
expect_rc 0 "check-rollbacks over upgraded tables"

# Layout 2 (no backfill columns) is read as it is, and upgraded by the
# first write; a backfill then records its progress.
for c in batch_statement batch_rows batch_rounds batch_last batch_max; do
	sqlq "ALTER TABLE strata_history DROP COLUMN $c" >/dev/null
done
sqlq "UPDATE strata_meta SET value = '2' WHERE name = 'tables_version'" >/dev/null
run --json status
expect_rc 0 "$ERR"
expect_eq "layout 2 read" "$(jqv '[.migrations[] | .state] | join(",")')" "applied,applied,applied"
write_pair 4 d "-- strata:batch 1 repeat
DELETE FROM c WHERE id IN (SELECT id FROM c WHERE id = 5 LIMIT 1);" "SELECT 1;"
sqlq "INSERT INTO c VALUES (5), (5), (1)" >/dev/null
run up
expect_rc 0 "$ERR"
expect_err "from layout 2 to 5"
expect_eq "backfill on upgraded tables" "$(sqlq "SELECT count(*) FROM c")" 1
rm sql/4_d.sql rollback/4_d.sql
run repair
expect_rc 0

# Layout 3, made by the strata before versions could be expanded: a
# failed version's row (its count and checksum) and the applied ones are
# read, the first write upgrades, and a phased version is expanded,
# completed and rolled back on the upgraded tables.
start_over
write_pair 1 a "CREATE TABLE a (id INTEGER, n INTEGER);" "DROP TABLE a;"
write_pair 2 f "-- strata:no-transaction
INSERT INTO a VALUES (1, 1);
INSERT INTO nowhere VALUES (1);" "DELETE FROM a;"
"$OLD3" up >"$T/out" 2>"$T/err"
expect_eq "the layout-3 strata failed at version 2" "$?" 1
expect_eq "layout 3" "$(sqlq "SELECT value FROM strata_meta WHERE name = 'tables_version'")" 3
run --json status
expect_rc 0 "$ERR"
expect_eq "layout 3 read" "$(jqv '[.migrations[] | .state] | join(",")')" "applied,failed"
expect_eq "its count read" "$(jqv '.migrations[1].statements_completed')" 1
write sql/2_f.sql "-- strata:no-transaction
INSERT INTO a VALUES (1, 1);
INSERT INTO a VALUES (2, 2);"
write_pair 3 p "ALTER TABLE a ADD COLUMN m INTEGER;
UPDATE a SET m = n;
-- strata:contract
ALTER TABLE a DROP COLUMN n;" "ALTER TABLE a DROP COLUMN m;
-- strata:contract
ALTER TABLE a ADD COLUMN n INTEGER;
UPDATE a SET n = m;"
run up --lint off
expect_rc 0 "$ERR"
expect_err "from layout 3 to 5"
expect_eq "resumed after the upgrade" "$(sqlq "SELECT count(*) FROM a")" 2
expect_eq "expanded on upgraded tables" "$(sqlq "SELECT state FROM strata_history WHERE version = 3")" expanded
run complete --lint off
expect_rc 0 "$ERR"
expect_eq "completed" "$(sqlq "SELECT state FROM strata_history WHERE version = 3")" applied
run rollback --lint off
expect_rc 0 "$ERR"
expect_eq "rolled back whole" "$(sqlq "SELECT sum(n) FROM a")" 3
"$OLD3" status >"$T/out" 2>"$T/err"
expect_eq "the layout-3 strata refuses a newer layout" "$?" 5

# Layout 4, made by the strata before repeatable migrations: an expanded
# version is read as expanded, the first write upgrades, and a
# repeatable runs and is recorded.
start_over
write_pair 1 a "CREATE TABLE a (id INTEGER, n INTEGER);
-- strata:contract
ALTER TABLE a DROP COLUMN n;" "ALTER TABLE a ADD COLUMN n INTEGER;
-- strata:contract
DROP TABLE a;"
"$OLD4" up --lint off >"$T/out" 2>"$T/err" || fail "the layout-4 strata: $(cat "$T/err")"
expect_eq "layout 4" "$(sqlq "SELECT value FROM strata_meta WHERE name = 'tables_version'")" 4
run --json status
expect_rc 0 "$ERR"
expect_eq "expanded read" "$(jqv '.migrations[0].state')" expanded
write sql/R_v.sql "CREATE VIEW a_ids AS SELECT id FROM a;"
run up --lint off
expect_rc 0 "$ERR"
expect_err "from layout 4 to 5"
expect_out "applied R v"
expect_eq "recorded" "$(sqlq "SELECT count(*) FROM strata_repeatable WHERE name = 'v'")" 1
run complete --lint off
expect_rc 0 "$ERR"
expect_eq "completed on upgraded tables" "$(sqlq "SELECT state FROM strata_history WHERE version = 1")" applied

# A newer layout is refused by every command, reading or writing.
sqlq "UPDATE strata_meta SET value = '99' WHERE name = 'tables_version'" >/dev/null
run status
expect_rc 5
expect_err "layout 99, newer than this strata"
run --json up
expect_rc 5
expect_eq "JSON error names it" "$(jqv '.error.exit_code')" 5
run rollback
expect_rc 5
expect_eq "nothing changed by the refusal" "$(sqlq 'SELECT count(*) FROM strata_history')" 1
