#!/usr/bin/env bash
# backfill.sh - -- strata:batch (SPEC §7): keyset batches over real tables,
# exactly once, across a failed batch and a kill -9, and what the dry run,
# status and the log say of them.
. "$(dirname "$0")/lib.sh" "$@"

# A table of 3,000 rows whose keys have gaps (multiples of 7).
write_pair 1 table "$(pick \
"CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, counter INTEGER NOT NULL DEFAULT 0);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 3000)
INSERT INTO t (id, n) SELECT i * 7, i FROM s;" \
"CREATE TABLE t (id bigint PRIMARY KEY, n int NOT NULL, counter int NOT NULL DEFAULT 0);
INSERT INTO t (id, n) SELECT i * 7, i FROM generate_series(1, 3000) i;")" \
	"DROP TABLE t;"
write_pair 2 bump "-- strata:batch 250
-- every row once: counter = counter + 1 shows a row done twice
UPDATE t SET counter = counter + 1;" "SELECT 1;"

run up --to 1
expect_rc 0

# The dry run shows the backfill as a segment of its own.
run --json up --dry-run
expect_rc 0
expect_eq "batch size" "$(jqv '.plan[0].segments[0].batch.size')" 250
expect_eq "batch key" "$(jqv '.plan[0].segments[0].batch.key | join(",")')" \
	"$(pick rowid id)"
expect_eq "estimated rows" "$(jqv '.plan[0].segments[0].batch.estimated_rows')" 3000
expect_eq "transactional" "$(jqv '.plan[0].segments[0].transactional')" false
run up --dry-run
expect_out "in batches: update of t, 250 rows a batch"

# --single-transaction cannot hold a backfill.
run up --single-transaction
expect_rc 2 "--single-transaction with a batch"
expect_err "strata:batch"

run up
expect_rc 0
expect_eq "rows changed once" "$(sqlq "SELECT count(*) FROM t WHERE counter = 1")" 3000
expect_eq "no row twice" "$(sqlq "SELECT count(*) FROM t WHERE counter <> 1")" 0
run --json log --version 2 --limit 1
expect_eq "log kind" "$(jqv '.entries[0].kind')" batch_update
expect_eq "log rows" "$(jqv '.entries[0].rows')" 3000
expect_eq "log batches" "$(jqv '.entries[0].facts.batches')" 12
expect_eq "log batch size" "$(jqv '.entries[0].facts.batch_size')" 250
expect_eq "log key" "$(jqv '.entries[0].facts.key | length')" 1
expect_eq "log retries" "$(jqv '.entries[0].facts.retries')" 0
[ "$(jqv '.entries[0].facts.rows_per_s')" -gt 0 ] || fail "no rows_per_s"
ok

# The statement's own WHERE still decides which rows change.
write_pair 3 some "-- strata:batch 100
DELETE FROM t WHERE n % 3 = 0;" "SELECT 1;"
run up
expect_rc 0
expect_eq "deleted by WHERE" "$(sqlq "SELECT count(*) FROM t")" 2000
run --json log --version 3 --limit 1
expect_eq "delete kind" "$(jqv '.entries[0].kind')" batch_delete
expect_eq "delete rows" "$(jqv '.entries[0].rows')" 1000

# A composite key compares as a row.
write_pair 4 pairs "$(pick \
"CREATE TABLE p (a INTEGER NOT NULL, b TEXT NOT NULL, v INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (a, b)) WITHOUT ROWID;
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 1000)
INSERT INTO p (a, b) SELECT i % 10, 'k' || i FROM s;" \
"CREATE TABLE p (a int NOT NULL, b text NOT NULL, v int NOT NULL DEFAULT 0, PRIMARY KEY (a, b));
INSERT INTO p (a, b) SELECT i % 10, 'k' || i FROM generate_series(1, 1000) i;")
-- strata:batch 64
UPDATE p AS x SET v = x.v + 1 WHERE x.b <> 'k5';" "DROP TABLE p;"
run up
expect_rc 0
expect_eq "composite: rows once" "$(sqlq "SELECT count(*) FROM p WHERE v = 1")" 999
expect_eq "composite: WHERE kept" "$(sqlq "SELECT v FROM p WHERE b = 'k5'")" 0
run --json log --version 4 --limit 1
expect_eq "composite key" "$(jqv '.entries[0].facts.key | join(",")')" "a,b"

# repeat: a statement that limits itself runs until it changes nothing.
write_pair 5 copy "$(pick \
"CREATE TABLE c (id INTEGER PRIMARY KEY);" \
"CREATE TABLE c (id bigint PRIMARY KEY);")
-- strata:batch 1 repeat
INSERT INTO c (id) SELECT id FROM t WHERE id NOT IN (SELECT id FROM c) ORDER BY id LIMIT 300;" \
	"DROP TABLE c;"
run up
expect_rc 0
expect_eq "repeat copied all" "$(sqlq "SELECT count(*) FROM c")" 2000
run --json log --version 5 --limit 1
expect_eq "repeat kind" "$(jqv '.entries[0].kind')" batch_insert
expect_eq "repeat rounds" "$(jqv '.entries[0].facts.batches')" 8

# A table with no key to walk: exit 2 before anything runs, naming
# file:line (on SQLite every table has one; a view has none).
write_pair 6 nokey "$(pick \
"-- strata:batch
UPDATE v_nokey SET counter = 0;" \
"-- strata:batch
UPDATE nokey SET x = 0;")" "SELECT 1;"
if [ "$KIND" = sqlite ]; then
	sqlq "CREATE VIEW v_nokey AS SELECT * FROM t"
else
	sqlq "CREATE TABLE nokey (x int)"
fi
run --json up
expect_rc 2 "a table without a key"
expect_eq "no key: file" "$(jqv '.error.file')" sql/6_nokey.sql
expect_eq "no key: line" "$(jqv '.error.line')" 1
expect_eq "nothing ran" "$(sqlq "SELECT count(*) FROM strata_log WHERE version = 6")" 0
rm sql/6_nokey.sql rollback/6_nokey.sql

# A bad directive is exit 2 naming its line.
write_pair 6 bad "SELECT 1;
-- strata:batch lots
UPDATE t SET counter = 0;" "SELECT 1;"
run --json up
expect_rc 2 "a malformed directive"
expect_eq "bad directive line" "$(jqv '.error.line')" 2
rm sql/6_bad.sql rollback/6_bad.sql

# A batch that fails half-way: the batches before it stay, the version is
# failed with its progress, and after the fix up finishes it without
# redoing a row. Rows inserted meanwhile above the highest key at the
# start are not touched; those below it are the statement's to judge.
sqlq "UPDATE t SET counter = 0"
sqlq "INSERT INTO t (id, n) VALUES (21007, -1)"
write_pair 7 score "-- strata:batch 200
UPDATE t SET counter = counter + 1, n = n + 0 * (1 / (n + 1));" "SELECT 1;"
if [ "$KIND" = sqlite ]; then
	# SQLite's 1/0 is NULL: a NOT NULL check trips instead.
	write_pair 7 score "-- strata:batch 200
UPDATE t SET counter = counter + 1, n = CASE WHEN n = -1 THEN NULL ELSE n END;" "SELECT 1;"
fi
run up
expect_rc 1 "a failing batch"
expect_err "sql/7_score.sql:2"
done_before=$(sqlq "SELECT count(*) FROM t WHERE counter = 1")
[ "$done_before" -gt 0 ] && [ "$done_before" -lt 2001 ] ||
	fail "expected some batches kept, got $done_before rows done"
ok
expect_eq "none twice" "$(sqlq "SELECT count(*) FROM t WHERE counter > 1")" 0
run --json status
expect_eq "failed" "$(jqv '.migrations[] | select(.version == 7) | .state')" failed
expect_eq "progress rows" \
	"$(jqv '.migrations[] | select(.version == 7) | .backfill.rows')" "$done_before"
run status
expect_out "backfill at statement 1"
# Fix the row; add one above the starting maximum and one below it, in
# the part not walked yet.
sqlq "UPDATE t SET n = 5 WHERE n = -1"
sqlq "INSERT INTO t (id, n) VALUES (99999, 1)"
sqlq "INSERT INTO t (id, n) VALUES (21001, 1)"
run up
expect_rc 0
expect_err "resuming version 7"
expect_eq "every row once" "$(sqlq "SELECT count(*) FROM t WHERE counter = 1 AND id <= 21007")" 2002
expect_eq "above the start: untouched" "$(sqlq "SELECT counter FROM t WHERE id = 99999")" 0
expect_eq "none twice after resume" "$(sqlq "SELECT count(*) FROM t WHERE counter > 1")" 0
run --json log --version 7 --limit 1
expect_eq "resumed log rows" "$(jqv '.entries[0].rows')" 2002

# kill -9 in the middle of a long backfill: the next up completes it, each
# row changed exactly once.
sqlq "UPDATE t SET counter = 0"
write_pair 8 slow "-- strata:batch 50 pause=30ms
UPDATE t SET counter = counter + 1;" "SELECT 1;"
"$STRATA" up >"$T/kill.out" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
	n=$(sqlq "SELECT count(*) FROM t WHERE counter = 1")
	[ "$n" -ge 300 ] && break
	sleep 0.05
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
n=$(sqlq "SELECT count(*) FROM t WHERE counter = 1")
[ "$n" -gt 0 ] && [ "$n" -lt 2003 ] || fail "kill landed outside the walk ($n rows done)"
ok
run up
expect_rc 0
expect_eq "after kill: every row once" "$(sqlq "SELECT count(*) FROM t WHERE counter = 1")" 2003
expect_eq "after kill: none twice" "$(sqlq "SELECT count(*) FROM t WHERE counter <> 1")" 0

# A changed backfill statement is not resumed (exit 3).
sqlq "UPDATE t SET counter = 0"
write_pair 9 once "-- strata:batch 100
UPDATE t SET counter = counter + 1, n = CASE WHEN id = 7000 THEN NULL ELSE n END;" "SELECT 1;"
run up
expect_rc 1
write_pair 9 once "-- strata:batch 100
UPDATE t SET counter = counter + 2;" "SELECT 1;"
run up
expect_rc 3 "a changed backfill statement"

# Rolled back: a rollback file may batch too.
rm sql/9_once.sql rollback/9_once.sql
run repair
expect_rc 0
write "rollback/8_slow.sql" "-- strata:batch 500
UPDATE t SET counter = counter - 1;"
run repair
run rollback
expect_rc 0
run --json log --version 8 --limit 1
expect_eq "down direction" "$(jqv '.entries[0].direction')" down
expect_eq "down kind" "$(jqv '.entries[0].kind')" batch_update
