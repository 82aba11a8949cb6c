#!/usr/bin/env bash
# strata's own tables from an older strata: a database made by the binary
# of the commit before the tables had a layout version is read as it is,
# upgraded in place by the first command that writes (saying so once),
# and used; a layout newer than this strata knows is refused (exit 5).
. "$(dirname "$0")/lib.sh" "$@"

# The last commit whose tables had no recorded layout (layout 1).
OLD_COMMIT=f661e3f
src=${STRATA_SRC:?set STRATA_SRC to the source tree}
git -C "$src" cat-file -e "$OLD_COMMIT^{commit}" 2>/dev/null ||
	fail "commit $OLD_COMMIT is not in $src: a full clone is needed to build the old strata"

# Build it once per machine (both kinds of this test may run at once).
old_dir=${STRATA_TEST_OLD_DIR:-/tmp/strata-old-$OLD_COMMIT}
mkdir -p "$old_dir"
(
	flock 9
	if [ ! -x "$old_dir/build/strata" ]; then
		rm -rf "$old_dir/src" "$old_dir/build"
		mkdir -p "$old_dir/src"
		git -C "$src" archive "$OLD_COMMIT" | tar -x -C "$old_dir/src" &&
		cmake -S "$old_dir/src" -B "$old_dir/build" -DSTRATA_TESTS=OFF \
		    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
		cmake --build "$old_dir/build" -j2 >/dev/null
	fi
) 9>"$old_dir/.lock"
OLD=$old_dir/build/strata
[ -x "$OLD" ] || fail "could not build strata at $OLD_COMMIT"
ok

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
expect_err "from layout 1 to 3"
expect_eq "layout recorded" "$(sqlq "SELECT value FROM strata_meta WHERE name = 'tables_version'")" 3
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
expect_err "from layout 2 to 3"
expect_eq "backfill on upgraded tables" "$(sqlq "SELECT count(*) FROM c")" 1
rm sql/4_d.sql rollback/4_d.sql
run repair
expect_rc 0

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
expect_eq "nothing changed by the refusal" "$(sqlq 'SELECT count(*) FROM strata_history')" 3
