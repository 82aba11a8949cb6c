#!/usr/bin/env bash
# A busy collector holds SQLite's write lock: --lock-timeout 200ms
# --retries 20 gets through with `retried` log rows; --retries 0 fails
# (exit 1) and leaves the version pending. A collector's own file, still in
# rollback-journal mode, with its write lock held: opening it (the switch
# to WAL) waits out the lock instead of failing at once.
. "$(dirname "$0")/lib.sh" "$@"

write_pair 1 t "CREATE TABLE readings (id INTEGER);" "DROP TABLE readings;"
run up
expect_rc 0
write_pair 2 idx "CREATE INDEX readings_id ON readings (id);" "DROP INDEX readings_id;"

collector() {	# hold the write lock for $1 seconds, writing to table $2
	sqlite3 "$DBFILE" "PRAGMA busy_timeout = 5000;" "BEGIN IMMEDIATE;" \
		"INSERT INTO ${2:-readings} VALUES (1);" ".system touch $T/held; sleep $1" \
		"COMMIT;" >/dev/null 2>&1 &
	HOLDER=$!
	for _ in $(seq 50); do [ -e "$T/held" ] && break; sleep 0.1; done
	[ -e "$T/held" ] || fail "collector did not take the lock"
	rm -f "$T/held"
}

collector 2
run up --lock-timeout 200ms --retries 0
expect_rc 1; expect_err "locked"
wait $HOLDER
run --json status
expect_eq "still pending" "$(jqv '.migrations[1].state')" pending

collector 2
run up --lock-timeout 200ms --retries 20
expect_rc 0; expect_err "retry"
wait $HOLDER
run --json log --version 2 --limit 0
expect_eq "retried rows" "$(jqv '[.entries[] | select(.outcome == "retried")] | length > 0')" true
expect_eq "ok row counts retries" "$(jqv '[.entries[] | select(.outcome == "ok")][0].facts.lock_retries > 0')" true

# The collector's own file, in rollback-journal mode (SQLite's default).
# Switching it to WAL needs the write lock, and SQLite does not call the
# busy handler there: strata must wait and retry by itself.
DBFILE=$T/collector.db
sqlite3 "$DBFILE" "CREATE TABLE other (id INTEGER);"
collector 1 other
run --db "sqlite:$DBFILE" up
expect_rc 0 "$ERR"
wait $HOLDER
expect_eq "switched to WAL" "$(sqlq 'PRAGMA journal_mode')" wal
expect_eq "applied" "$(sqlq 'SELECT count(*) FROM strata_history')" 2

# Held longer than --lock-timeout: a clear failure (exit 5), not a hang.
DBFILE=$T/collector2.db
sqlite3 "$DBFILE" "CREATE TABLE other (id INTEGER);"
collector 3 other
t0=$(date +%s%N)
run --db "sqlite:$DBFILE" up --lock-timeout 300ms
t1=$(date +%s%N)
expect_rc 5; expect_err "database is locked"
[ $(( (t1 - t0) / 1000000 )) -ge 250 ] || fail "gave up before --lock-timeout"
ok
wait $HOLDER
expect_eq "still rollback-journal" "$(sqlq 'PRAGMA journal_mode')" delete
