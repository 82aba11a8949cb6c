#!/usr/bin/env bash
# SQLite under faults: a database that does not exist (read-only commands
# create nothing), a read-only file, a read-only folder, a database held
# locked past the busy timeout, a corrupt file. Each a clear error with
# its exit code, nothing recorded half.
. "$(dirname "$0")/lib.sh" sqlite

write_pair 1 a "CREATE TABLE a (x int);" "DROP TABLE a;"
write_pair 2 b "CREATE TABLE b (y int);" "DROP TABLE b;"

# --- read-only commands never create the file (SPEC §2)
for c in status current validate log lint "up --dry-run" "rollback --dry-run"; do
	run --db "sqlite:$T/nope.db" $c
	expect_rc 0 "$c on a database that does not exist"
	expect_err "database sqlite:$T/nope.db does not exist yet"
	[ ! -e "$T/nope.db" ] || fail "$c created the database"
	ok
done
run --db "sqlite:$T/nope.db" --json status
expect_eq "files pending" "$(jqv '[.migrations[].state] | unique | tostring')" '["pending"]'
run --db "sqlite:$T/no/such/dir/x.db" status
expect_rc 0 "a folder that does not exist either"
[ ! -e "$T/no" ] || fail "status made a folder"
ok

# Another user's view of the files: root may write anything, so as root
# the read-only cases run as nobody.
chmod 755 "$T"
chmod -R a+rX "$T/sql" "$T/rollback"
# A copy of the binary in $T: the checkout may be closed to nobody.
cp "$STRATA" "$T/strata-bin"
chmod 755 "$T/strata-bin"
as_reader() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u nobody -- env STRATA_CACHE_DIR="$T/cache-nobody" "$T/strata-bin" "$@"
	else
		"$STRATA" "$@"
	fi
}
run_reader() {
	as_reader "$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
	[ $RC -le 5 ] || fail "strata $* exited $RC (crash?)"
}

# --- a read-only file
run --db "sqlite:$T/ro.db" up --to 1
expect_rc 0
chmod 444 "$T/ro.db"
run_reader --db "sqlite:$T/ro.db" up
expect_rc 5 "up on a read-only file"
expect_err "sqlite database '$T/ro.db' is read-only"
run_reader --db "sqlite:$T/ro.db" --json status
expect_rc 0 "status reads a read-only file"
expect_eq "what it holds" "$(jqv '[.migrations[].state] | tostring')" '["applied","pending"]'
chmod 644 "$T/ro.db"
expect_eq "nothing recorded" "$(sqlite3 "$T/ro.db" "SELECT count(*) FROM strata_history")" 1

# --- a read-only folder (no -wal or -shm can be made there)
mkdir "$T/rodir"
run --db "sqlite:$T/rodir/x.db" up --to 1
expect_rc 0
chmod 666 "$T/rodir/x.db"
chmod 555 "$T/rodir"
run_reader --db "sqlite:$T/rodir/x.db" up
expect_rc 5 "up in a read-only folder"
expect_err "the folder of sqlite database '$T/rodir/x.db' is read-only"
run_reader --db "sqlite:$T/rodir/x.db" status
expect_rc 0 "status in a read-only folder"
expect_out "1 pending"
chmod 755 "$T/rodir"
expect_eq "nothing recorded" "$(sqlite3 "$T/rodir/x.db" "SELECT count(*) FROM strata_history")" 1

# --- locked by another process past the busy timeout
run --db "sqlite:$T/l.db" up --to 1
expect_rc 0
mkfifo "$T/hold"
sqlite3 "$T/l.db" <"$T/hold" >/dev/null 2>&1 &
holder=$!
exec 7>"$T/hold"
echo "BEGIN EXCLUSIVE; INSERT INTO a VALUES (1);" >&7
for _ in $(seq 50); do
	sqlite3 "$T/l.db" "PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1 || break
	sleep 0.1
done
run --db "sqlite:$T/l.db" up --lock-timeout 300ms --retries 1
expect_rc 1 "a migration that cannot get the write lock"
expect_err "sql/2_b.sql:1:1: error: database is locked"
expect_err "another connection holds the database's write lock"
run --db "sqlite:$T/l.db" --json status
expect_rc 0 "status reads beside the writer"
expect_eq "version 2 not recorded" "$(jqv '.migrations[1].state')" pending
echo "COMMIT;" >&7
exec 7>&-
wait $holder
run --db "sqlite:$T/l.db" up
expect_rc 0 "the lock gone, up finishes"
expect_eq "applied once" "$(sqlite3 "$T/l.db" "SELECT count(*) FROM strata_history")" 2

# --- a corrupt file, and one that is not a database at all
head -c 8192 /dev/urandom >"$T/noise.db"
cp "$T/noise.db" "$T/noise.before"
for c in status up; do
	run --db "sqlite:$T/noise.db" $c
	expect_rc 5 "$c on a file that is not a database"
	expect_err "file is not a database"
done
cmp -s "$T/noise.db" "$T/noise.before" || fail "strata changed a file that is not a database"
ok
run --db "sqlite:$T/c.db" up
expect_rc 0
# Overwrite the pages after the first: the header says database, the
# tables do not read.
dd if=/dev/urandom of="$T/c.db" bs=4096 seek=1 count=8 conv=notrunc status=none
run --db "sqlite:$T/c.db" status
expect_rc 5 "status on a corrupt database"
expect_err "malformed"
run --db "sqlite:$T/c.db" up
expect_rc 5 "up on a corrupt database"
