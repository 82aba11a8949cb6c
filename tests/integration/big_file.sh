#!/usr/bin/env bash
# A 100 MB migration of INSERTs applies correctly (SQLite), without a crash,
# and up, validate and lint stay under 3x the file plus 64 MB of memory;
# PostgreSQL applies a 30 MB one (one round trip per statement makes 100 MB
# a benchmark, not a test) and validates and lints a 100 MB one.
. "$(dirname "$0")/lib.sh" "$@"

if [ "$KIND" = sqlite ]; then target=$((100 * 1024 * 1024)); else target=$((30 * 1024 * 1024)); fi
write rollback/2_load.sql "DELETE FROM big;"
write_pair 1 big "CREATE TABLE big (id INTEGER PRIMARY KEY, payload TEXT NOT NULL);" "DROP TABLE big;"
# inserts BYTES: INSERTs of 200-character rows, BYTES long, on stdout.
inserts() {
	awk -v target="$1" -v pad="$(printf '%0200d' 0)" 'BEGIN {
		n = 0; size = 0
		while (size < target) {
			n++
			line = sprintf("INSERT INTO big (id, payload) VALUES (%d, '\''%s row %d'\'');\n", n, pad, n)
			printf "%s", line
			size += length(line)
		}
	}'
}
inserts $target >sql/2_load.sql
rows=$(grep -c '^INSERT' sql/2_load.sql)
bytes=$(stat -c %s sql/2_load.sql)
[ "$bytes" -ge "$target" ] || fail "generated only $bytes bytes"
ok

# measured CMD...: run strata, and check its peak memory against the bound.
measured() {
	/usr/bin/time -f '%M' -o "$T/maxrss" "$STRATA" "$@" >"$T/out" 2>"$T/err"
	RC=$?; OUT=$(cat "$T/out"); ERR=$(cat "$T/err")
	local maxrss_kb limit_kb
	maxrss_kb=$(tail -n 1 "$T/maxrss")
	limit_kb=$(( (bytes * 3 + 64 * 1024 * 1024) / 1024 ))
	echo "$*: peak memory ${maxrss_kb} kB for a $((bytes / 1024)) kB file ($KIND)"
	# Under AddressSanitizer, shadow memory makes peak RSS meaningless.
	if [ "${STRATA_SANITIZED:-0}" != 1 ]; then
		[ "$maxrss_kb" -le "$limit_kb" ] || fail "$*: peak memory ${maxrss_kb} kB is over 3x the file + 64 MB (${limit_kb} kB)"
		ok
	fi
}

measured validate
expect_rc 0
measured lint
expect_rc 0
measured up
expect_rc 0
expect_eq "all rows inserted" "$(sqlq 'SELECT count(*) FROM big')" "$rows"
expect_eq "a log row per statement" "$(sqlq "SELECT count(*) FROM strata_log WHERE version = 2")" "$rows"

run --json rollback
expect_rc 0
expect_eq "rolled back" "$(sqlq 'SELECT count(*) FROM big')" 0

# A statement that fails after more rows than the runner holds in memory:
# the failure is recorded, says how many earlier rows went with the
# rollback, and nothing of the file stays applied.
echo "INSERT INTO big (id, payload) VALUES (1, 'duplicate');" >>sql/2_load.sql
run up
expect_rc 1
expect_eq "rolled back" "$(sqlq 'SELECT count(*) FROM big')" 0
run --json log --version 2 --limit 1
expect_eq "the failure's row" "$(jqv '.entries[0].outcome')" error
expect_eq "it counts the rows that went" "$(jqv '.entries[0].facts.earlier_rows_rolled_back > 0')" true

# Only a plain build's memory is measured (below), so only it reads more.
if [ "$KIND" = postgres ] && [ "${STRATA_SANITIZED:-0}" != 1 ]; then
	# validate and lint read a 100 MB file within the bound too.
	inserts $((100 * 1024 * 1024)) >sql/3_huge.sql
	write rollback/3_huge.sql "DELETE FROM big;"
	bytes=$(stat -c %s sql/3_huge.sql)
	measured validate
	expect_rc 0
	measured lint sql/3_huge.sql
	expect_rc 0
fi
