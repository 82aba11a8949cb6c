#!/usr/bin/env bash
# sumcache.sh - status remembers checksums by stat, and never hides an edit:
# fresh files are not remembered, an edit that keeps the size and puts the
# mtime back is still seen (the ctime moved), a garbled or unwritable cache
# changes nothing, STRATA_NO_CACHE=1 turns it off.
. "$(dirname "$0")/lib.sh" "$@"

cache_lines() {	# cache_lines: remembered files in all cache files
	cat "$STRATA_CACHE_DIR"/sums-* 2>/dev/null | grep -c '\.sql$'
}

write_pair 1 one "CREATE TABLE one (id integer);" "DROP TABLE one;"
write_pair 2 two "CREATE TABLE two (id integer); -- abc" "DROP TABLE two;"
write_pair 3 three "CREATE TABLE three (id integer);" "-- strata:irreversible"

run up
expect_rc 0

# Files changed under two seconds ago are hashed, never remembered.
run status
expect_rc 0
expect_out "irreversible"
expect_eq "lines remembered right after writing" "$(cache_lines)" 0

sleep 2.2
run status
expect_rc 0
expect_eq "lines remembered" "$(cache_lines)" 6
expect_out "irreversible"
run --json status
expect_json
expect_eq "checksum from the cache" "$(jqv '.migrations[0].checksum')" \
    "$(sha256sum sql/1_one.sql | cut -d' ' -f1)"
expect_eq "states" "$(jqv '[.migrations[].state] | join(",")')" \
    "applied,applied,applied"
expect_eq "directive from the cache" "$(jqv '.migrations[2].has_rollback')" true
run status
expect_out "irreversible"
run -v status
expect_err "3 files unchanged, 0 read"

# The cache is what status reads: a lie in it shows (and proves the point).
f=$STRATA_CACHE_DIR/$(printf 'sums-%x-%x' $(stat -c '%d %i' sql))
[ -f "$f" ] || fail "no cache file $f for sql/"
sed -i "s/ [0-9a-f]\{64\} 1_one\.sql$/ $(printf '0%.0s' $(seq 64)) 1_one.sql/" "$f"
run --json status
expect_eq "state from a tampered cache" "$(jqv '.migrations[0].state')" drifted
rm -rf "$STRATA_CACHE_DIR"

run status
sleep 2.2
run status
expect_eq "lines remembered again" "$(cache_lines)" 6

# Same inode, same size, mtime put back: the ctime still moved, so the
# file is read.
cp -p sql/2_two.sql "$T/orig"
ino=$(stat -c %i sql/2_two.sql)
printf '%s\n' "CREATE TABLE two (id integer); -- xyz" >sql/2_two.sql
touch -r "$T/orig" sql/2_two.sql
expect_eq "inode kept" "$(stat -c %i sql/2_two.sql)" "$ino"
expect_eq "size kept" "$(stat -c %s sql/2_two.sql)" "$(stat -c %s "$T/orig")"
run --json status
expect_rc 0
expect_eq "edited file" "$(jqv '.migrations[1].state')" drifted
expect_eq "its checksum" "$(jqv '.migrations[1].checksum')" \
    "$(sha256sum sql/2_two.sql | cut -d' ' -f1)"
run up
expect_rc 3
cat "$T/orig" >sql/2_two.sql
run --json status
expect_eq "restored file" "$(jqv '.migrations[1].state')" applied

# A rollback file edited in place is seen too.
printf 'DROP TABLE one ;\n' >rollback/1_one.sql
run status
expect_out "(rollback file changed)"

# A garbled cache is ignored, then replaced.
sleep 2.2
for f in "$STRATA_CACHE_DIR"/sums-*; do printf 'garbage\n1 2 3\n' >"$f"; done
run --json status
expect_rc 0
expect_eq "states with a garbled cache" \
    "$(jqv '[.migrations[].state] | join(",")')" "applied,applied,applied"
expect_eq "cache rewritten" "$(cache_lines)" 6
for f in "$STRATA_CACHE_DIR"/sums-*; do
	expect_eq "header of $f" "$(head -1 "$f")" "strata-sums 1"
done

# A file dated before 1970 is read every time; the rest stay remembered.
touch -d '1960-01-01' sql/3_three.sql
sleep 2.2
run status
expect_rc 0
run --json status
expect_eq "state of the 1960 file" "$(jqv '.migrations[2].state')" applied
expect_eq "lines remembered around it" "$(cache_lines)" 5

# up and rollback plan from the cache too, and read in full what they run.
# A version never run is always read in full (up runs it): only its
# rollback file is remembered.
write_pair 4 four "CREATE TABLE four (id integer);" "DROP TABLE four;"
sleep 2.2
run status
remembered4() { cat "$STRATA_CACHE_DIR"/sums-* | grep -c ' 4_four\.sql$'; }
expect_eq "pending version 4: rollback file remembered" "$(remembered4)" 1
run up
expect_rc 0
expect_eq "version 4 applied" "$(table_exists four)" 1
run status
expect_eq "applied version 4: both files remembered" "$(remembered4)" 2
run up
expect_rc 0
expect_out "nothing to apply"
run rollback
expect_rc 0
expect_eq "version 4 rolled back from a cached plan" "$(table_exists four)" 0

# A pending file's cache entry is not used: a lying one changes nothing.
f=$STRATA_CACHE_DIR/$(printf 'sums-%x-%x' $(stat -c '%d %i' sql))
sed -i "s/ [0-9a-f]\{64\} 4_four\.sql$/ $(printf 'f%.0s' $(seq 64)) 4_four.sql/" "$f"
grep -q "ffffffff" "$f" || fail "cache not tampered"
run up
expect_rc 0
expect_eq "pending version read in full" "$(table_exists four)" 1
rm -f "$f"

# What runs must be what the plan checked: a cache that disagrees with the
# file it runs (as if the file changed in between) stops the run before it
# starts.
r=$STRATA_CACHE_DIR/$(printf 'sums-%x-%x' $(stat -c '%d %i' rollback))
sed -i "s/ [0-9a-f]\{64\} 4_four\.sql$/ $(printf 'f%.0s' $(seq 64)) 4_four.sql/" "$r"
grep -q "ffffffff" "$r" || fail "rollback cache not tampered"
run rollback
expect_rc 2
expect_err "'rollback/4_four.sql' changed while strata was reading it"
expect_eq "nothing rolled back" "$(table_exists four)" 1
rm -f "$r"

# Writing a cache deletes the cache files nobody wrote for 30 days.
: >"$STRATA_CACHE_DIR/sums-1-2"
: >"$STRATA_CACHE_DIR/sums-3-4"
touch -d '40 days ago' "$STRATA_CACHE_DIR/sums-1-2"
touch -d '20 days ago' "$STRATA_CACHE_DIR/sums-3-4"
printf 'DROP TABLE one;\n' >rollback/1_one.sql
sleep 2.2
run status
expect_rc 0
[ ! -e "$STRATA_CACHE_DIR/sums-1-2" ] || fail "a 40-day-old cache file was kept"
ok
[ -e "$STRATA_CACHE_DIR/sums-3-4" ] || fail "a 20-day-old cache file was deleted"
ok

# A cache that cannot be written is no error.
: >"$T/a-file"
STRATA_CACHE_DIR=$T/a-file/cache run status
expect_rc 0
expect_eq "stderr with an unwritable cache" "$ERR" ""

# STRATA_NO_CACHE=1: nothing written.
STRATA_CACHE_DIR=$T/off STRATA_NO_CACHE=1 run status
expect_rc 0
[ ! -e "$T/off" ] || fail "STRATA_NO_CACHE=1 wrote $T/off"
ok

# With one CPU there is no second thread: the same answer, in turn.
run --json status
expect_rc 0
two=$(jq -c '[.migrations[] | [.version, .state, .checksum]]' "$T/out")
out=$(taskset -c 0 "$STRATA" --json status) || fail "status on one CPU failed"
expect_eq "status on one CPU" "$(printf '%s' "$out" |
    jq -c '[.migrations[] | [.version, .state, .checksum]]')" "$two"

# status looks at the files while the database opens; up looks at them
# once it holds the lock, so an edit made while it waits for another
# runner's lock is seen.
sleep 2.2
run status
expect_rc 0
expect_eq "version 1 remembered" \
    "$(cat "$STRATA_CACHE_DIR"/sums-* | grep -c ' 1_one\.sql$')" 2
flock "$DBFILE.strata-lock" sleep 1.5 &
holder=$!
sleep 0.3
"$STRATA" up >"$T/w.out" 2>"$T/w.err" &
waiter=$!
for _ in $(seq 100); do
	grep -q 'waiting for the migration lock' "$T/w.err" && break
	sleep 0.02
done
grep -q 'waiting for the migration lock' "$T/w.err" ||
    fail "up did not wait for the lock: $(cat "$T/w.err")"
ok
printf -- '-- edited while up waited\n' >>sql/1_one.sql
RC=0
wait $waiter || RC=$?
ERR=$(cat "$T/w.err")
wait $holder
expect_rc 3 "drift found after the lock wait"
expect_err "sql/1_one.sql) was changed after it was applied"
