#!/usr/bin/env bash
# The server crashes under a running up: a PostgreSQL of this test's own,
# stopped with pg_ctl -m immediate at random moments and started again,
# until 20 crashes landed inside a run. Each of those is exit 5 with a
# word of the server, never exit 1, and at the end one up finishes with
# every version applied once. STRATA_CRASH_SEED repeats a run.
. "$(dirname "$0")/lib.sh" postgres
SRC=${STRATA_SRC:?set STRATA_SRC to the source tree}

seed=${STRATA_CRASH_SEED:-$(($(date +%s) % 100000))}
want=${STRATA_CRASHES:-20}
echo "pg_crash: seed $seed (STRATA_CRASH_SEED=$seed repeats it)"
RANDOM=$seed

# Not under $T: the server runs as postgres, who cannot enter it.
CRASH=/tmp/strata-crash-$$
# Durable: with synchronous_commit off a crash may lose what was
# committed, which no client can survive.
PG_DURABLE=1 "$SRC/tools/pg-test-server" start "$CRASH" >/dev/null 2>"$T/server.err" ||
	fail "no server of its own: $(cat "$T/server.err")"
trap 'rc=$?; "$SRC/tools/pg-test-server" stop "$CRASH" >/dev/null 2>&1; (exit $rc); cleanup' EXIT
createdb -h "$CRASH/sock" -U postgres crash || fail "cannot create the database"
DB="postgresql:///crash?host=$CRASH/sock&user=postgres"
export STRATA_DB=$DB
sqlq() { psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }

. "$(dirname "$0")/fault_series.sh"
write_fault_series

crashes=0
round=0
while [ "$crashes" -lt "$want" ] && [ "$round" -lt $((want * 10)) ]; do
	round=$((round + 1))
	sqlq "UPDATE gate SET ok = $((RANDOM % 4 == 0 ? 0 : 1))"
	if [ $((RANDOM % 3)) = 0 ]; then args=(rollback --to 0); else args=(up); fi
	"$STRATA" "${args[@]}" >"$T/c.out" 2>"$T/c.err" &
	pid=$!
	sleep "0.$(printf '%03d' $((RANDOM % 120)))"
	"$SRC/tools/pg-test-server" crash "$CRASH" || fail "round $round: the crash did not happen"
	wait $pid
	rc=$?
	case $rc in
	5)
		crashes=$((crashes + 1))
		grep -q "server\|connection" "$T/c.err" || fail "round $round: no word of the server: $(cat "$T/c.err")"
		;;
	0 | 3) ;; # done before the crash, or refused (a failed version)
	1)
		# Version 3's statement, never the lost server.
		if grep -q "connection\|server closed" "$T/c.err"; then
			fail "round $round (seed $seed): a lost server reported as exit 1: $(cat "$T/c.err")"
		fi
		;;
	*) fail "round $round (seed $seed): ${args[*]} exited $rc: $(cat "$T/c.err")" ;;
	esac
	PG_DURABLE=1 "$SRC/tools/pg-test-server" restart "$CRASH" >/dev/null 2>"$T/server.err" ||
		fail "round $round: the server did not come back: $(cat "$T/server.err")"
done
echo "pg_crash: $round rounds, $crashes crashes under a run"
[ "$crashes" -ge "$want" ] || fail "only $crashes crashes landed inside a run (seed $seed)"
ok
check_fault_invariants "seed $seed"
