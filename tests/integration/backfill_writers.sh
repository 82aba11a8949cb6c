#!/usr/bin/env bash
# backfill_writers.sh - a writer changing random rows of the table while a
# -- strata:batch backfill walks it never waits longer than about one
# batch (the bound is generous: the run takes several seconds, and a
# single UPDATE would hold the writer for all of them). PostgreSQL's
# writer is pgbench; SQLite's a second process, as the collectors were.
. "$(dirname "$0")/lib.sh" "$@"

ROWS=20000
write_pair 1 table "$(pick \
"CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0, w INTEGER NOT NULL DEFAULT 0);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $ROWS)
INSERT INTO t (id) SELECT i FROM s;" \
"CREATE TABLE t (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0, w int NOT NULL DEFAULT 0);
INSERT INTO t (id) SELECT i FROM generate_series(1, $ROWS) i;")" "DROP TABLE t;"
# 20 batches with 150 ms between them: about 3 s of walking.
write_pair 2 fill "-- strata:batch 1000 pause=150ms
UPDATE t SET n = n + 1;" "SELECT 1;"
run up --to 1
expect_rc 0

LIMIT_MS=1000
if [ "$KIND" = postgres ]; then
	printf '\\set id random(1, %d)\nUPDATE t SET w = w + 1 WHERE id = :id;\n' $ROWS >"$T/writer.sql"
	(cd "$T" && pgbench -n -f writer.sql -T 4 -c 1 -l --log-prefix=writer "$DB" \
		>"$T/pgbench.out" 2>&1) &
	writer=$!
	sleep 0.3
	run up
	wait $writer || fail "pgbench: $(cat "$T/pgbench.out")"
	# Per-transaction log: the third field is the latency in microseconds.
	max_ms=$(cat "$T"/writer.[0-9]* 2>/dev/null | awk '$3 > m { m = $3 } END { printf "%d", m / 1000 }')
	writes=$(cat "$T"/writer.[0-9]* | wc -l)
else
	(
		end=$(($(date +%s) + 4))
		while [ "$(date +%s)" -lt "$end" ]; do
			t0=$(date +%s%N)
			sqlite3 -cmd '.timeout 30000' "$DBFILE" \
				"UPDATE t SET w = w + 1 WHERE id = $((RANDOM % ROWS + 1))" >/dev/null ||
				echo "error" >>"$T/writer.err"
			echo $((($(date +%s%N) - t0) / 1000000)) >>"$T/writer.log"
		done
	) &
	writer=$!
	sleep 0.3
	run up
	wait $writer
	[ -s "$T/writer.err" ] && fail "the writer failed: $(cat "$T/writer.err")"
	max_ms=$(sort -n "$T/writer.log" | tail -1)
	writes=$(wc -l <"$T/writer.log")
fi
expect_rc 0 "$ERR"
expect_eq "every row once" "$(sqlq "SELECT count(*) FROM t WHERE n = 1")" $ROWS
[ "$writes" -gt 20 ] || fail "the writer wrote only $writes times"
ok
[ "$max_ms" -lt $LIMIT_MS ] || fail "a write waited $max_ms ms during the backfill (limit $LIMIT_MS)"
ok
echo "writer: $writes writes, longest $max_ms ms"
expect_eq "writer's changes kept" "$(sqlq "SELECT sum(w) FROM t")" "$writes"
