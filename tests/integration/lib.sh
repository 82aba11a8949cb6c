# lib.sh - shared by the integration tests: a scratch folder, a database of
# the requested kind, and assertions that say what they expected.
#
# Usage in a test:  . "$(dirname "$0")/lib.sh" "$@"   (argument: sqlite or
# postgres). PostgreSQL tests need STRATA_TEST_PG_DIR (tools/pg-test-server)
# and fail, never skip, without it.
set -u

STRATA=${STRATA_BIN:?set STRATA_BIN to the built strata}
KIND=${1:-sqlite}
TEST_NAME=$(basename "$0" .sh)
PASSED=0
T=$(mktemp -d "${TMPDIR:-/tmp}/strata-$TEST_NAME.XXXXXX")
export NO_COLOR=1
# status keeps a checksum cache (sumcache.h): in the scratch folder, not ~.
export STRATA_CACHE_DIR=$T/cache
unset DATABASE_URL
cd "$T" || exit 1
mkdir -p sql rollback

fail() {
	echo "FAIL [$TEST_NAME/$KIND]: $*" >&2
	[ -n "${OUT+x}" ] && { echo "--- stdout"; cat "$T/out"; echo "--- stderr"; cat "$T/err"; } >&2
	exit 1
}

ok() {
	PASSED=$((PASSED + 1))
}

case $KIND in
sqlite)
	DBFILE=$T/test.db
	DB="sqlite:$DBFILE"
	sqlq() { sqlite3 -batch -noheader "$DBFILE" "$1"; }
	;;
postgres)
	[ -n "${STRATA_TEST_PG_DIR:-}" ] || fail "STRATA_TEST_PG_DIR is not set: no PostgreSQL to test against"
	PGSOCK=$STRATA_TEST_PG_DIR/sock
	PGDBNAME=t_$(echo "$TEST_NAME" | tr -c 'a-z0-9_\n' _)_$$
	createdb -h "$PGSOCK" -U postgres "$PGDBNAME" || fail "cannot create database $PGDBNAME"
	DB="postgresql:///$PGDBNAME?host=$PGSOCK&user=postgres"
	sqlq() { psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }
	;;
*)
	fail "unknown database kind '$KIND'"
	;;
esac
export STRATA_DB=$DB

cleanup() {
	local rc=$?
	cd /
	if [ "$KIND" = postgres ] && [ -n "${PGDBNAME:-}" ]; then
		dropdb -h "$PGSOCK" -U postgres --force --if-exists "$PGDBNAME" 2>/dev/null
	fi
	rm -rf "$T"
	if [ $rc -eq 0 ]; then
		echo "$PASSED passed, 0 failed"
	fi
	exit $rc
}
trap cleanup EXIT

# run ARGS...: run strata, keep stdout in OUT, stderr in ERR, status in RC.
run() {
	"$STRATA" "$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
	if [ $RC -gt 5 ]; then
		fail "strata $* exited $RC (crash?)"
	fi
}

expect_rc() {
	[ "$RC" -eq "$1" ] || fail "expected exit $1, got $RC${2:+ ($2)}"
	ok
}

expect_out() {
	case $OUT in *"$1"*) ok ;; *) fail "stdout lacks '$1'" ;; esac
}

expect_err() {
	case $ERR in *"$1"*) ok ;; *) fail "stderr lacks '$1'" ;; esac
}

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
	ok
}

# jqv FILTER: evaluate a jq filter on the last stdout (must be one JSON doc).
jqv() {
	jq -r "$1" "$T/out" 2>/dev/null || echo "__jq_failed__"
}

expect_json() {
	jq -e . "$T/out" >/dev/null 2>&1 || fail "stdout is not one JSON document"
	[ "$(jq -s length "$T/out")" = 1 ] || fail "stdout holds more than one JSON document"
	ok
}

# dialect_sql NAME SQLITE POSTGRES: pick SQL for the database under test.
pick() {
	if [ "$KIND" = sqlite ]; then echo "$1"; else echo "$2"; fi
}

# write PATH CONTENT
write() {
	mkdir -p "$(dirname "$1")"
	printf '%s\n' "$2" >"$1"
}

# A simple pair: write_pair VERSION NAME UP DOWN
write_pair() {
	write "sql/$1_$2.sql" "$3"
	write "rollback/$1_$2.sql" "$4"
}

# hold_lock TABLE MODE SECONDS: another session (application test-holder)
# keeps TABLE locked in MODE for SECONDS, in the background: its pid is in
# $T/holder.pid, and `wait $HOLDER` waits for it to let go. PostgreSQL.
hold_lock() {
	rm -f "$T/holder.pid"
	psql -X -q -d "$DB" -v ON_ERROR_STOP=1 >"$T/holder.out" 2>&1 <<SQL &
SET application_name = 'test-holder';
BEGIN;
LOCK TABLE $1 IN $2 MODE;
SELECT pg_backend_pid() \g $T/holder.pid
SELECT pg_sleep($3);
COMMIT;
SQL
	HOLDER=$!
	for _ in $(seq 50); do [ -s "$T/holder.pid" ] && break; sleep 0.1; done
	[ -s "$T/holder.pid" ] || fail "holder did not start"
}

table_exists() {
	if [ "$KIND" = sqlite ]; then
		sqlq "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='$1'"
	else
		sqlq "SELECT count(*) FROM pg_class WHERE relname='$1' AND relkind IN ('r','p')"
	fi
}
