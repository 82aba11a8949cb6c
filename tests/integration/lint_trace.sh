#!/usr/bin/env bash
# lint --trace on a scratch PostgreSQL: the pending migrations run in a
# transaction that is rolled back; each statement's duration, the locks
# it took and the tables it rewrote are reported, and a rewrite or a long
# ACCESS EXCLUSIVE lock on an existing table is an error finding.
. "$(dirname "$0")/lib.sh" "$@"

sqlq "CREATE TABLE big (id bigint PRIMARY KEY, score numeric(3,2), note text);
INSERT INTO big SELECT g, 1.5, 'x' FROM generate_series(1, 200000) g;
ANALYZE big;" >/dev/null
# A rewrite (a type change PostgreSQL cannot do in place), then a slow
# statement under the same ACCESS EXCLUSIVE lock.
write_pair 1 rewrite "SET lock_timeout = '2s';
ALTER TABLE big ALTER COLUMN note TYPE varchar(10);
SELECT pg_sleep(1.2);" "SELECT 1;"
write_pair 2 fresh "CREATE TABLE fresh (id bigint PRIMARY KEY);
ALTER TABLE fresh ADD COLUMN n int;" "DROP TABLE fresh;"
write sql/3_conc.sql "CREATE INDEX CONCURRENTLY big_score ON big (score);"
write rollback/3_conc.sql "DROP INDEX CONCURRENTLY big_score;"

run --json lint --trace
expect_rc 3
expect_json
trace() { jqv ".trace[] | select(.version == $1 and .statement == $2) | $3"; }
expect_eq "the ALTER rewrote big" "$(trace 1 2 '.rewrote | join(",")')" public.big
expect_eq "and took ACCESS EXCLUSIVE" "$(trace 1 2 '[.locks[] | select(.table == "public.big") | .mode] | index("ACCESS EXCLUSIVE") != null')" true
expect_eq "durations" "$(trace 1 3 '.duration_ms > 1000')" true
expect_eq "the new table's changes are traced, not findings" "$(trace 2 2 '.traced')" true
expect_eq "a concurrent build is not traced" "$(trace 3 1 '.traced')" false
expect_eq "traced-rewrite" "$(jqv '[.findings[] | select(.rule == "traced-rewrite") | .line] | join(",")')" 2
expect_eq "traced-long-lock" "$(jqv '[.findings[] | select(.rule == "traced-long-lock") | .table] | join(",")')" public.big
expect_eq "not on the new table" "$(jqv '[.findings[] | select(.table == "fresh")] | length')" 0

# Everything was rolled back.
expect_eq "big unchanged" "$(sqlq "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'big'::regclass AND attname = 'note'")" text
expect_eq "no fresh table" "$(table_exists fresh)" 0
expect_eq "strata's tables not made" "$(table_exists strata_history)" 0

run lint --trace
expect_out "trace: sql/1_rewrite.sql statement 2:"
expect_out "rewrote public.big"
expect_out "trace: sql/3_conc.sql statement 1: not traced"

# Only on a database, and only what up would run.
STRATA_DB= run lint --trace
expect_rc 2
run lint --trace sql/1_rewrite.sql
expect_rc 2

# Behind a session that holds a lock on big: the trace keeps the run's
# lock timeout, and tells the wait from the hold.
write_pair 1 rewrite "ALTER TABLE big ALTER COLUMN note TYPE varchar(10);
SELECT pg_sleep(1.2);" "SELECT 1;"
hold() { hold_lock big "ACCESS SHARE" "$1"; }
hold 3
start=$(date +%s%N)
run --json lint --trace --lock-timeout 500ms
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_err "lock timeout"
[ "$ms" -lt 2500 ] || fail "--trace waited $ms ms behind the holder despite --lock-timeout 500ms"
ok
wait $HOLDER

hold 2.5
run --json lint --trace --lock-timeout 0
wait $HOLDER
wait_ms=$(trace 1 1 '.lock_wait_ms')
expect_eq "the wait is told" "$(jq -n "$wait_ms > 1500")" true
work=$(jqv "[.trace[] | select(.version == 1) | .duration_ms] | add - $wait_ms")
held=$(jqv '.findings[] | select(.rule == "traced-long-lock") | .message | capture("held for (?<ms>[0-9]+) ms").ms')
expect_eq "held for the work, not the wait (held $held ms, work $work ms, wait $wait_ms ms)" \
    "$(jq -n "$held < $work + 300 and $held > $work - 300")" true
expect_eq "the rewrite's own time" "$(jqv '.findings[] | select(.rule == "traced-rewrite") | .message | test("after [0-9]+ ms waiting for its lock")')" true
