# pg_jobs.sh - --jobs N: consecutive concurrent index statements of one
# migration run side by side over their own connections; statements on
# one table keep their order; a failure lets the running ones finish,
# starts no more, and is recorded exactly (which statements completed) so
# the next run resumes without repeating them. Rollback takes --jobs too.
. "$(dirname "$0")/lib.sh" "$@"

# Four tables with enough rows that a build takes a moment.
write_pair 1 tables "$(for t in a b c d; do
	echo "CREATE TABLE $t (id integer, v integer, k integer);"
	echo "INSERT INTO $t SELECT g, g % 1000, g % 100 FROM generate_series(1, 200000) g;"
done)" "DROP TABLE a, b, c, d;"

write_pair 2 indexes "CREATE INDEX CONCURRENTLY a_v ON a (v);
CREATE INDEX CONCURRENTLY b_v ON b (v);
CREATE INDEX CONCURRENTLY a_w ON a (id, v);
CREATE INDEX CONCURRENTLY c_v ON c (v);
CREATE INDEX CONCURRENTLY d_v ON d (v);" \
"DROP INDEX CONCURRENTLY a_v;
DROP INDEX CONCURRENTLY b_v;
DROP INDEX CONCURRENTLY a_w;
DROP INDEX CONCURRENTLY c_v;
DROP INDEX CONCURRENTLY d_v;"

# The dry run shows the batch.
run up --dry-run --jobs 4
expect_rc 0 "$ERR"
expect_out "in parallel over up to 4 connections: 5 index statements (line 1)"
run --json up --dry-run --jobs 4
expect_eq "batch in the JSON plan" \
	"$(jqv '.plan[1].segments[0] | "\(.parallel) \(.statements)"')" "4 5"

run up --jobs 4
expect_rc 0 "$ERR"
expect_eq "indexes built and valid" "$(sqlq "SELECT count(*) FROM pg_index i
	JOIN pg_class c ON c.oid = i.indexrelid
	WHERE c.relname IN ('a_v', 'b_v', 'a_w', 'c_v', 'd_v') AND i.indisvalid")" 5
expect_eq "one ok log row per statement" "$(sqlq "SELECT string_agg(statement::text,
	',' ORDER BY statement) FROM strata_log WHERE version = 2 AND outcome = 'ok'")" \
	"1,2,3,4,5"

# Start and end of each build, from the log (at = when it ended).
span() {
	sqlq "SELECT extract(epoch FROM at - duration_ms * interval '1 ms'),
	extract(epoch FROM at) FROM strata_log WHERE version = $1
	AND statement = $2 AND direction = '$3' ORDER BY id DESC LIMIT 1"
}
# Statements 1, 2, 4, 5 (tables a, b, c, d) ran at the same time: the
# last of them started before the first of them ended.
overlap=$(sqlq "WITH s AS (SELECT at - duration_ms * interval '1 ms' AS t0,
	at AS t1 FROM strata_log WHERE version = 2 AND statement IN (1, 2, 4, 5))
	SELECT max(t0) < min(t1) FROM s")
expect_eq "builds on four tables overlapped" "$overlap" t
# Statement 3 is on table a again: it started after statement 1 ended
# (the log keeps milliseconds, so allow one).
IFS='|' read -r _ a1_end <<<"$(span 2 1 up)"
IFS='|' read -r a3_start _ <<<"$(span 2 3 up)"
expect_eq "same table in order" \
	"$(awk -v s="$a3_start" -v e="$a1_end" 'BEGIN { print (s >= e - 0.002) }')" 1

# --- a failure in a batch --------------------------------------------------
# Statement 2 fails (duplicates); 1 and 3 run beside it and finish; 4 is
# on table a after 2, so it never starts.
write_pair 3 more "CREATE INDEX CONCURRENTLY b_k ON b (k);
CREATE UNIQUE INDEX CONCURRENTLY a_k ON a (k);
CREATE INDEX CONCURRENTLY c_k ON c (k);
CREATE INDEX CONCURRENTLY a_kv ON a (k, v);" \
"DROP INDEX CONCURRENTLY b_k;
DROP INDEX CONCURRENTLY a_k;
DROP INDEX CONCURRENTLY c_k;
DROP INDEX CONCURRENTLY a_kv;"
run --json up --jobs 3
expect_rc 1 "$ERR"
expect_eq "error points at statement 2" "$(jqv '.error.file + ":" + (.error.line|tostring)')" \
	"sql/3_more.sql:2"
expect_eq "history: failed after 1, 3 done too" \
	"$(sqlq "SELECT state || ' ' || statements_completed || ' ' || completed_extra
	FROM strata_history WHERE version = 3")" "failed 1 3"
expect_eq "log: 1 and 3 ok, 2 error, 4 never ran" \
	"$(sqlq "SELECT string_agg(statement || outcome, ',' ORDER BY statement)
	FROM strata_log WHERE version = 3")" "1ok,2error,3ok"
expect_eq "the finished builds are valid" "$(sqlq "SELECT count(*) FROM pg_index i
	JOIN pg_class c ON c.oid = i.indexrelid
	WHERE c.relname IN ('b_k', 'c_k') AND i.indisvalid")" 2
expect_eq "statement 4 did not run" "$(sqlq "SELECT count(*) FROM pg_class WHERE relname = 'a_kv'")" 0
run --json status
expect_eq "status shows what completed" \
	"$(jqv '.migrations[] | select(.version == 3) | "\(.state) \(.statements_completed) \(.also_completed)"')" \
	"failed 1 [3]"

# A completed statement past the failure may not change.
cp sql/3_more.sql "$T/keep.sql"
sed -i 's/c_k ON c (k)/c_k ON c (k, id)/' sql/3_more.sql
run up --jobs 3
expect_rc 3 "$ERR"
expect_err "changed in the file"
cp "$T/keep.sql" sql/3_more.sql

# The failed statement may: fix it and resume. 3 is not run again.
sed -i 's/CREATE UNIQUE INDEX CONCURRENTLY a_k/CREATE INDEX CONCURRENTLY a_k/' sql/3_more.sql
run up --jobs 3
expect_rc 0 "$ERR"
expect_err "dropping INVALID index 'a_k'"
expect_eq "history applied" "$(sqlq "SELECT state || ' ' || statements_completed ||
	' ' || coalesce(completed_extra, '-') FROM strata_history WHERE version = 3")" "applied 4 -"
expect_eq "3 ran once, 2 and 4 now" \
	"$(sqlq "SELECT string_agg(statement || outcome, ',' ORDER BY id)
	FROM strata_log WHERE version = 3")" "1ok,2error,3ok,2ok,4ok"

# --- rollback --jobs ---------------------------------------------------------
run rollback --steps 2 --jobs 4
expect_rc 0 "$ERR"
expect_eq "indexes dropped" "$(sqlq "SELECT count(*) FROM pg_class WHERE relkind = 'i'
	AND relname IN ('a_v', 'b_v', 'a_w', 'c_v', 'd_v', 'b_k', 'a_k', 'c_k', 'a_kv')")" 0
expect_eq "history rows gone" "$(sqlq "SELECT count(*) FROM strata_history WHERE version > 1")" 0
expect_eq "down rows logged" "$(sqlq "SELECT count(*) FROM strata_log WHERE
	direction = 'down' AND outcome = 'ok'")" 9

# --- progress: one line per running build ------------------------------------
write_pair 4 slow "CREATE FUNCTION slow_id(integer) RETURNS integer IMMUTABLE
LANGUAGE plpgsql AS \$\$ BEGIN PERFORM pg_sleep(0.001); RETURN \$1; END \$\$;
CREATE TABLE p (id integer);
CREATE TABLE q (id integer);
INSERT INTO p SELECT generate_series(1, 2000);
INSERT INTO q SELECT generate_series(1, 2000);" \
"DROP TABLE p, q; DROP FUNCTION slow_id(integer);"
write_pair 5 slow_indexes "CREATE INDEX CONCURRENTLY p_slow ON p (slow_id(id));
CREATE INDEX CONCURRENTLY q_slow ON q (slow_id(id));" \
"DROP INDEX CONCURRENTLY p_slow;
DROP INDEX CONCURRENTLY q_slow;"
script -qec "$STRATA up --jobs 2" "$T/tty" >/dev/null 2>&1
expect_eq "exit under a terminal" "$?" 0
for ix in p_slow q_slow; do
	grep -q "create_index_concurrently $ix: building index" "$T/tty" ||
		fail "no progress line for $ix in: $(tr '\r' '\n' <"$T/tty" | tail -20)"
	ok
done
expect_eq "phase logged for each" "$(sqlq "SELECT count(*) FROM strata_log WHERE version = 5
	AND facts->>'last_phase' LIKE 'building index%'")" 2
