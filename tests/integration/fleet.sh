#!/usr/bin/env bash
# One command over many databases (SPEC §8): 20 PostgreSQL databases, 20
# tenant schemas of one database, SQLite files beside PostgreSQL, a failing
# target (stop, --keep-going, --canary), an unreachable one, racing fleet
# runs, SIGTERM in a parallel run, and the JSON document.
. "$(dirname "$0")/lib.sh" postgres

FLEET_DBS=()
fleet_drop() {
	local d
	for d in "${FLEET_DBS[@]}"; do
		dropdb -h "$PGSOCK" -U postgres --force --if-exists "$d" 2>/dev/null
	done
}
trap 'rc=$?; fleet_drop; (exit $rc); cleanup' EXIT

url_of() { echo "postgresql:///$1?host=$PGSOCK&user=postgres"; }
# make_dbs N PREFIX: N new databases, their URLs one a line in PREFIX.txt
make_dbs() {
	local i d
	: >"$T/$2.txt"
	for i in $(seq -w 1 "$1"); do
		d=${PGDBNAME}_$2$i
		createdb -h "$PGSOCK" -U postgres "$d" || fail "cannot create $d"
		FLEET_DBS+=("$d")
		url_of "$d" >>"$T/$2.txt"
	done
}
# q DB SQL: one value from one of the fleet's databases
q() { psql -X -A -t -q -d "$(url_of "$1")" -c "$2"; }

# Version 2 counts its runs in a table of its own, so that applying it
# twice anywhere shows.
write_pair 1 items "CREATE TABLE items (id int PRIMARY KEY);" "DROP TABLE items;"
write_pair 2 runs "CREATE TABLE runs (v int);
INSERT INTO runs VALUES (2);" "DROP TABLE runs;"
write_pair 3 more "ALTER TABLE items ADD COLUMN note text;" "ALTER TABLE items DROP COLUMN note;"

# --- 20 databases, four at a time
make_dbs 20 d
run --targets "$T/d.txt" --parallel 4 up
expect_rc 0 "20 databases"
expect_out "20 targets: 20 ok, 0 failed, 0 skipped"
expect_out "[$(url_of "${PGDBNAME}_d07")] applied 3 more"
for i in $(seq -w 1 20); do
	[ "$(q "${PGDBNAME}_d$i" "SELECT count(*) FROM runs")" = 1 ] || fail "database d$i ran version 2 other than once"
	[ "$(q "${PGDBNAME}_d$i" "SELECT count(*) FROM strata_history")" = 3 ] || fail "database d$i history"
done
ok
run --targets "$T/d.txt" --parallel 8 --json status
expect_rc 0
expect_json
expect_eq "targets in the document" "$(jqv '.targets | length')" 20
expect_eq "every target at 3" "$(jqv '[.targets[].result.current] | unique | tostring')" "[3]"
expect_eq "every target's full status" "$(jqv '[.targets[].result.migrations | length] | unique | tostring')" "[3]"
expect_eq "summary" "$(jqv '.summary | [.targets, .ok, .failed, .skipped] | tostring')" "[20,20,0,0]"
expect_eq "target keys" "$(jqv '.targets[0] | keys | tostring')" '["database","duration_ms","exit_code","result","schema","state"]'
expect_eq "a target's exit code" "$(jqv '.targets[5].exit_code')" 0
# Lint findings are said once each, with the targets they apply to.
write_pair 4 idx "CREATE INDEX items_note ON items (note);" "DROP INDEX items_note;"
run --targets "$T/d.txt" --parallel 4 up --dry-run --lock-timeout 0
expect_rc 0
expect_eq "one line for the finding on 20 targets" "$(grep -c 'error\[require-concurrent-index-creation\]' <<<"$ERR")" 1
expect_eq "its help once" "$(grep -c 'help: CREATE INDEX CONCURRENTLY' <<<"$ERR")" 1
expect_err "  on every target (20)"
q "${PGDBNAME}_d03" "DROP TABLE items CASCADE; DROP TABLE runs; DROP TABLE strata_history; DROP TABLE strata_log; DROP TABLE strata_meta" >/dev/null
run --targets "$T/d.txt" --parallel 4 up --dry-run --lock-timeout 0
expect_err "  on [$(url_of "${PGDBNAME}_d01")], [$(url_of "${PGDBNAME}_d02")], [$(url_of "${PGDBNAME}_d04")]"
run --db "$(url_of "${PGDBNAME}_d03")" up --to 3
expect_rc 0
rm sql/4_idx.sql rollback/4_idx.sql
for c in validate lint "log --limit 1" current; do
	run --targets "$T/d.txt" --parallel 4 $c
	expect_rc 0 "$c on 20 databases"
	expect_out "20 targets: 20 ok"
done
expect_out "[$(url_of "${PGDBNAME}_d20")] 3"

# A target behind, one failed, one drifted: the matrix says which.
q "${PGDBNAME}_d02" "DELETE FROM strata_history WHERE version = 3"
q "${PGDBNAME}_d03" "UPDATE strata_history SET checksum = repeat('0', 64) WHERE version = 1"
q "${PGDBNAME}_d04" "UPDATE strata_history SET state = 'failed' WHERE version = 3"
run --targets "$T/d.txt" status
expect_rc 0
expect_out "$(url_of "${PGDBNAME}_d01")]"
line() { grep -F "[$(url_of "$1")]" "$T/out"; }
case $(line "${PGDBNAME}_d01") in *"up to date"*) ok ;; *) fail "d01 is up to date" ;; esac
case $(line "${PGDBNAME}_d02") in *"behind: 1 pending") ok ;; *) fail "d02 is behind, and its line ends there: '$(line "${PGDBNAME}_d02")'" ;; esac
case $(line "${PGDBNAME}_d03") in *"drifted 1"*) ok ;; *) fail "d03 drifted: $(line "${PGDBNAME}_d03")" ;; esac
case $(line "${PGDBNAME}_d04") in *"failed 3"*) ok ;; *) fail "d04 failed: $(line "${PGDBNAME}_d04")" ;; esac
expect_out "20 targets: 17 up to date, 3 not"
for d in d02 d03 d04; do dropdb -h "$PGSOCK" -U postgres --force "${PGDBNAME}_$d"; createdb -h "$PGSOCK" -U postgres "${PGDBNAME}_$d"; done
run --targets "$T/d.txt" --parallel 4 up
expect_rc 0 "the three put right"

# --- 20 tenant schemas of one database
: >"$T/tenants.txt"
for i in $(seq -w 1 20); do
	sqlq "CREATE SCHEMA tenant_$i"
	echo "$DB schema=tenant_$i   # tenant $i" >>"$T/tenants.txt"
done
# --check-rollbacks compares a tenant's own schema: the other tenants
# change beside it.
run --targets "$T/tenants.txt" --parallel 4 up --check-rollbacks
expect_rc 0 "20 tenants, each rollback checked"
expect_out "20 targets: 20 ok"
expect_out "[$DB tenant_12] applied 2 runs"
for i in $(seq -w 1 20); do
	[ "$(sqlq "SELECT count(*) FROM tenant_$i.runs")" = 1 ] || fail "tenant $i ran version 2 other than once"
	[ "$(sqlq "SELECT count(*) FROM tenant_$i.strata_history")" = 3 ] || fail "tenant $i keeps its own history"
done
ok
expect_eq "nothing in public" "$(sqlq "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('items', 'runs', 'strata_history')")" 0
run --targets "$T/tenants.txt" --json current
expect_eq "tenant schema in the document" "$(jqv '.targets[3].schema')" tenant_04
expect_eq "tenants current" "$(jqv '[.targets[].result.current] | unique | tostring')" "[3]"
# A missing tenant schema is that target's error.
run --db "$DB" --targets - up <<EOF
$DB schema=tenant_01
$DB schema=tenant_nope
EOF
expect_rc 5 "missing schema"
expect_err "[$DB tenant_nope] strata: error: schema 'tenant_nope' does not exist"
expect_out "[$DB tenant_nope]"
expect_eq "the database itself got the run" "$(sqlq "SELECT count(*) FROM public.strata_history")" 3
sqlq "DROP TABLE public.items, public.runs, public.strata_history, public.strata_log, public.strata_meta"

# --- SQLite files beside PostgreSQL
run --db "sqlite:$T/a.db" --db "$(url_of "${PGDBNAME}_d01")" --db "$T/b.sqlite" up
expect_rc 0 "a mixed run"
expect_out "[sqlite:$T/a.db] applied 3 more"
expect_out "[$T/b.sqlite] applied 1 items"
expect_eq "b.sqlite" "$(sqlite3 "$T/b.sqlite" "SELECT count(*) FROM strata_history")" 3
run --targets - status <<EOF
sqlite:$T/a.db
sqlite:$T/c.db schema=x
EOF
expect_rc 2 "a tenant on SQLite"
expect_err "schema= is for PostgreSQL targets"

# --- a failing target in the middle
make_dbs 5 f
q "${PGDBNAME}_f3" "CREATE TABLE runs (v int)"
run --targets "$T/f.txt" up
expect_rc 1 "the first failed target's code"
expect_err "[$(url_of "${PGDBNAME}_f3")] sql/2_runs.sql:1:1: ERROR 42P07"
expect_out "5 targets: 2 ok, 1 failed, 2 skipped"
# A skipped target's current version is not known: '-', not 0.
grep -F "[$(url_of "${PGDBNAME}_f4")]" "$T/out" | grep -Eq 'skipped +- +- +-$' ||
	fail "skipped line: $(grep -F "[$(url_of "${PGDBNAME}_f4")]" "$T/out")"
ok
expect_eq "f4 not started" "$(q "${PGDBNAME}_f4" "SELECT count(*) FROM pg_tables WHERE tablename = 'strata_history'")" 0
run --targets "$T/f.txt" --keep-going --json up
expect_rc 1 "--keep-going"
expect_json
expect_eq "states" "$(jqv '[.targets[].state] | tostring')" '["ok","ok","failed","ok","ok"]'
expect_eq "failed target's error" "$(jqv '.targets[2].result.error.sqlstate')" 42P07
expect_eq "f5 applied" "$(q "${PGDBNAME}_f5" "SELECT count(*) FROM runs")" 1
# --canary: the rest start only after the canaries all succeeded.
make_dbs 4 c
{ cat "$T/c.txt"; url_of "${PGDBNAME}_f3"; } >"$T/c2.txt"
run --targets "$T/c2.txt" --canary 2 --parallel 4 --keep-going up
expect_rc 1
expect_out "5 targets: 4 ok, 1 failed, 0 skipped"
{ url_of "${PGDBNAME}_f3"; cat "$T/c.txt"; } >"$T/c3.txt"
q "${PGDBNAME}_c3" "DROP TABLE runs, items, strata_history"
run --targets "$T/c3.txt" --canary 1 --parallel 4 --keep-going --json up
expect_rc 1 "a canary that fails"
expect_eq "the rest skipped" "$(jqv '[.targets[].state] | tostring')" '["failed","skipped","skipped","skipped","skipped"]'
expect_eq "skipped exit code" "$(jqv '.targets[1].exit_code')" null
expect_eq "c03 untouched" "$(q "${PGDBNAME}_c3" "SELECT count(*) FROM pg_tables WHERE tablename = 'items'")" 0

# --- an unreachable target, with a password
run --db "postgresql://postgres:hunter2@127.0.0.1:1/nowhere" --db "$(url_of "${PGDBNAME}_c3")" --keep-going up
expect_rc 5 "unreachable"
expect_out "2 targets: 1 ok, 1 failed, 0 skipped"
expect_err "[postgresql://postgres:****@127.0.0.1:1/nowhere] strata: error: cannot connect"
case "$OUT$ERR" in *hunter2*) fail "a password was printed" ;; *) ok ;; esac
run --db "postgresql://postgres:hunter2@127.0.0.1:1/nowhere" --db "$(url_of "${PGDBNAME}_c3")" --json status
case "$OUT$ERR" in *hunter2*) fail "a password was in the document" ;; *) ok ;; esac
expect_eq "masked in the document" "$(jqv '.targets[0].database')" "postgresql://postgres:****@127.0.0.1:1/nowhere"

# --- commands that write one database, and bad lists
for c in "new x" "baseline 1" "repair" "report --html $T/r.html"; do
	run --db "sqlite:$T/a.db" --db "sqlite:$T/b.db" $c
	expect_rc 2 "$c on two targets"
	expect_err "runs on one database"
done
run --db "sqlite:$T/a.db" --db "sqlite:$T/a.db" status
expect_rc 2 "a target twice"
printf 'sqlite:%s/a.db shard=2\n' "$T" >"$T/bad.txt"
run --targets "$T/bad.txt" status
expect_rc 2 "a bad line"
expect_err "$T/bad.txt:1:$((${#T} + 14)): error: 'shard=2' is not 'schema=NAME'"
: >"$T/empty.txt"
run --targets "$T/empty.txt" status
expect_rc 2
expect_err "--targets names no database"
run --targets "$T/f.txt" --parallel 0 status
expect_rc 2 "--parallel 0"

# --- two fleet runs racing over the same ten databases
make_dbs 10 r
"$STRATA" --targets "$T/r.txt" --parallel 4 up >"$T/r1.out" 2>&1 &
p1=$!
"$STRATA" --targets "$T/r.txt" --parallel 3 up >"$T/r2.out" 2>&1 &
p2=$!
wait $p1
r1=$?
wait $p2
r2=$?
expect_eq "racing runs succeed" "$r1 $r2" "0 0"
for i in $(seq -w 1 10); do
	[ "$(q "${PGDBNAME}_r$i" "SELECT count(*) FROM runs")" = 1 ] || fail "r$i: version 2 ran twice"
done
ok

# --- SIGTERM in a parallel run, then a run that finishes everything
make_dbs 6 s
for i in $(seq -w 1 6); do
	q "${PGDBNAME}_s$i" "CREATE TABLE naps (s float); INSERT INTO naps VALUES (30)"
done
write_pair 4 slow "-- strata:no-transaction
INSERT INTO runs VALUES (4);
SELECT pg_sleep((SELECT s FROM naps));
INSERT INTO runs VALUES (40);" "DELETE FROM runs WHERE v IN (4, 40);"
"$STRATA" --targets "$T/s.txt" --parallel 2 up >"$T/s.out" 2>"$T/s.err" &
ps=$!
for _ in $(seq 200); do
	n=$(sqlq "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'strata' AND datname LIKE '${PGDBNAME}_s%' AND query LIKE '%pg_sleep%'")
	[ "$n" = 2 ] && break
	sleep 0.1
done
expect_eq "two targets in their long statement" "$n" 2
kill -TERM $ps
wait $ps
expect_eq "exit of a run ended by SIGTERM" "$?" 143
grep -q "interrupted" "$T/s.out" || fail "the summary names the interrupted targets: $(cat "$T/s.out")"
grep -q "6 targets: 0 ok, 2 failed, 4 skipped" "$T/s.out" || fail "summary: $(cat "$T/s.out")"
ok
gone=no
for _ in $(seq 100); do
	n=$(sqlq "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'strata' AND datname LIKE '${PGDBNAME}_s%'")
	[ "$n" = 0 ] && { gone=yes; break; }
	sleep 0.1
done
expect_eq "their sessions ended" "$gone" yes
expect_eq "no lock left" "$(sqlq "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname LIKE '${PGDBNAME}_s%'")" 0
expect_eq "the interrupted version is failed" "$(q "${PGDBNAME}_s1" "SELECT state || ' ' || statements_completed FROM strata_history WHERE version = 4")" "failed 1"
for i in $(seq -w 1 6); do
	q "${PGDBNAME}_s$i" "UPDATE naps SET s = 0"
done
run --targets "$T/s.txt" --parallel 3 up
expect_rc 0 "the rerun finishes every target"
expect_out "6 targets: 6 ok"
for i in $(seq -w 1 6); do
	got=$(q "${PGDBNAME}_s$i" "SELECT string_agg(v::text, ',' ORDER BY v) FROM runs")
	[ "$got" = "2,4,40" ] || fail "s$i: each version once: $got"
done
ok
