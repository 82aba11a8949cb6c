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
