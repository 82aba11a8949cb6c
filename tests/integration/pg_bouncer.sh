#!/usr/bin/env bash
# Behind PgBouncer (started here): in transaction pooling a session
# advisory lock protects nothing, so strata refuses (exit 5) and says why
# and what to do; in session pooling it runs.
. "$(dirname "$0")/lib.sh" postgres

PGBOUNCER=${PGBOUNCER:-/usr/sbin/pgbouncer}
[ -x "$PGBOUNCER" ] || fail "no pgbouncer at $PGBOUNCER (apt-get install pgbouncer)"
chmod 755 "$T"
mkdir "$T/bsock"
port=$((20000 + $$ % 20000))
{
	echo "[databases]"
	echo "tx = host=$PGSOCK dbname=$PGDBNAME user=postgres pool_mode=transaction"
	echo "ses = host=$PGSOCK dbname=$PGDBNAME user=postgres pool_mode=session"
	echo "[pgbouncer]"
	echo "listen_addr ="
	echo "listen_port = $port"
	echo "unix_socket_dir = $T/bsock"
	echo "auth_type = any"
	echo "default_pool_size = 4"
	echo "logfile = $T/bsock/pgbouncer.log"
	echo "pidfile = $T/bsock/pgbouncer.pid"
} >"$T/pgbouncer.ini"
if [ "$(id -u)" = 0 ]; then
	chown postgres "$T/bsock"
	runuser -u postgres -- "$PGBOUNCER" -d "$T/pgbouncer.ini" || fail "pgbouncer did not start"
else
	"$PGBOUNCER" -d "$T/pgbouncer.ini" || fail "pgbouncer did not start"
fi
stop_bouncer() {
	[ -f "$T/bsock/pgbouncer.pid" ] && kill "$(cat "$T/bsock/pgbouncer.pid")" 2>/dev/null
	sleep 0.2
}
trap 'rc=$?; stop_bouncer; (exit $rc); cleanup' EXIT
for _ in $(seq 50); do
	[ -S "$T/bsock/.s.PGSQL.$port" ] && break
	sleep 0.1
done
[ -S "$T/bsock/.s.PGSQL.$port" ] || fail "pgbouncer's socket never appeared"
TX="postgresql:///tx?host=$T/bsock&port=$port&user=postgres"
SES="postgresql:///ses?host=$T/bsock&port=$port&user=postgres"
psql -X -A -t -q -d "$TX" -c "SELECT 1" >/dev/null || fail "cannot reach the database through pgbouncer"
ok

write_pair 1 a "CREATE TABLE a (x int);" "DROP TABLE a;"
write_pair 2 b "CREATE TABLE b (y int);" "DROP TABLE b;"

run --db "$TX" up
expect_rc 5 "transaction pooling"
expect_err "do not share one server session"
expect_err "PgBouncer"
expect_err "Connect to the server directly, or through session pooling"
expect_eq "nothing applied" "$(sqlq "SELECT count(*) FROM pg_tables WHERE tablename IN ('a', 'b')")" 0
expect_eq "no lock left" "$(sqlq "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database()")" 0
run --db "$TX" --json up
expect_rc 5
expect_eq "the error document" "$(jqv '.error.exit_code')" 5
# Reading takes no lock: status works through any pooler.
run --db "$TX" status
expect_rc 0 "status through transaction pooling"

run --db "$SES" up
expect_rc 0 "session pooling"
expect_eq "applied" "$(sqlq "SELECT count(*) FROM strata_history")" 2
run --db "$SES" rollback --to 0
expect_rc 0
# Two runners racing through session pooling: each version once.
"$STRATA" --db "$SES" up >"$T/r1" 2>&1 &
p1=$!
"$STRATA" --db "$SES" up >"$T/r2" 2>&1 &
p2=$!
wait $p1
r1=$?
wait $p2
r2=$?
expect_eq "both runners end well" "$r1 $r2" "0 0"
expect_eq "each version once" "$(sqlq "SELECT count(*) FROM strata_log WHERE direction = 'up' AND outcome = 'ok' AND kind = 'create_table'")" 4
