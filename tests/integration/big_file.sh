#!/usr/bin/env bash
# A 100 MB migration of INSERTs applies correctly (SQLite), without a crash
# and within a memory bound; PostgreSQL gets a 10 MB one (one round trip per
# statement makes 100 MB a benchmark, not a test).
. "$(dirname "$0")/lib.sh" "$@"

if [ "$KIND" = sqlite ]; then target=$((100 * 1024 * 1024)); else target=$((10 * 1024 * 1024)); fi
write rollback/2_load.sql "DELETE FROM big;"
write_pair 1 big "CREATE TABLE big (id INTEGER PRIMARY KEY, payload TEXT NOT NULL);" "DROP TABLE big;"
pad=$(printf '%0200d' 0)
awk -v target=$target -v pad="$pad" 'BEGIN {
	n = 0; size = 0
	while (size < target) {
		n++
		line = sprintf("INSERT INTO big (id, payload) VALUES (%d, '\''%s row %d'\'');\n", n, pad, n)
		printf "%s", line
		size += length(line)
	}
}' >sql/2_load.sql
rows=$(grep -c '^INSERT' sql/2_load.sql)
bytes=$(stat -c %s sql/2_load.sql)
[ "$bytes" -ge "$target" ] || fail "generated only $bytes bytes"
ok

/usr/bin/time -f '%M' -o "$T/maxrss" "$STRATA" up >"$T/out" 2>"$T/err"
RC=$?; OUT=$(cat "$T/out"); ERR=$(cat "$T/err")
expect_rc 0
expect_eq "all rows inserted" "$(sqlq 'SELECT count(*) FROM big')" "$rows"
expect_eq "a log row per statement" "$(sqlq "SELECT count(*) FROM strata_log WHERE version = 2")" "$rows"
maxrss_kb=$(tail -n 1 "$T/maxrss")
limit_kb=$((bytes * 3 / 1024))
# Under AddressSanitizer, shadow memory makes peak RSS meaningless.
if [ "$KIND" = sqlite ] && [ "${STRATA_SANITIZED:-0}" != 1 ]; then
	[ "$maxrss_kb" -le "$limit_kb" ] || fail "peak memory ${maxrss_kb} kB is over 3x the file (${limit_kb} kB)"
	ok
fi
echo "peak memory ${maxrss_kb} kB for a $((bytes / 1024)) kB file ($KIND)"

run --json rollback
expect_rc 0
expect_eq "rolled back" "$(sqlq 'SELECT count(*) FROM big')" 0
