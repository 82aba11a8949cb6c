#!/usr/bin/env bash
# pg_replica.sh - --max-replica-lag (SPEC §9) against a real streaming
# standby whose replay is held back (recovery_min_apply_delay): the run
# waits and says so, then finishes; a role that cannot read the lag is
# refused before anything runs.
. "$(dirname "$0")/lib.sh" "$@"
SRC=${STRATA_SRC:?set STRATA_SRC to the source tree}

# Not under $T: the server runs as postgres, who cannot enter it.
STANDBY=/tmp/strata-standby-$$
STANDBY_DELAY=2s "$SRC/tools/pg-test-server" standby "$STANDBY" "$STRATA_TEST_PG_DIR" \
	>/dev/null 2>"$T/standby.err" || fail "no standby: $(cat "$T/standby.err")"
stop_standby() { "$SRC/tools/pg-test-server" stop "$STANDBY"; }
trap 'rc=$?; stop_standby; (exit $rc); cleanup' EXIT
# Up to a minute: on a loaded machine the standby's first connection
# takes a while (10 s was not always enough with ctest -j3 on two cores).
for _ in $(seq 1 300); do
	[ "$(sqlq "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'strata_standby' AND state = 'streaming'")" = 1 ] && break
	sleep 0.2
done
expect_eq "standby streaming" "$(sqlq "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'strata_standby'")" 1

write_pair 1 table "CREATE TABLE t (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0);
INSERT INTO t (id) SELECT i FROM generate_series(1, 4000) i;" "DROP TABLE t;"
write_pair 2 fill "-- strata:batch 500 pause=200ms
UPDATE t SET n = n + 1;" "SELECT 1;"

# Without the option nothing waits for the standby.
run up --to 1
expect_rc 0
sqlq "SELECT 1" >/dev/null

# Eight batches over 1.6 s of pauses: the standby, 2 s behind, falls more
# than 1 s behind the run's own writes, and the run waits for it.
run --json up --max-replica-lag 1s
expect_rc 0 "$ERR"
expect_err "waiting for standby strata_standby"
expect_eq "every row once" "$(sqlq "SELECT count(*) FROM t WHERE n = 1")" 4000
run --json log --version 2 --limit 1
wait_ms=$(jqv '.entries[0].facts.replica_wait_ms')
[ "$wait_ms" != null ] && [ "$wait_ms" -gt 500 ] || fail "replica_wait_ms is '$wait_ms'"
ok
# The standby did replay it all.
for _ in $(seq 1 50); do
	n=$(psql -X -A -t -q -d "postgresql:///$PGDBNAME?host=$STANDBY/sock&user=postgres" \
		-c "SELECT count(*) FROM t WHERE n = 1" 2>/dev/null)
	[ "$n" = 4000 ] && break
	sleep 0.2
done
expect_eq "standby caught up" "$n" 4000

# A role without pg_monitor cannot read the lag: exit 2, nothing run.
role=lagless_$$
sqlq "CREATE ROLE $role LOGIN; GRANT ALL ON SCHEMA public TO $role; GRANT ALL ON ALL TABLES IN SCHEMA public TO $role; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO $role"
trap 'rc=$?; sqlq "DROP OWNED BY '$role'; DROP ROLE IF EXISTS '$role'" >/dev/null 2>&1; stop_standby; (exit $rc); cleanup' EXIT
write_pair 3 more "UPDATE t SET n = n + 1;" "SELECT 1;"
run --db "postgresql:///$PGDBNAME?host=$PGSOCK&user=$role" up --max-replica-lag 1s
expect_rc 2 "a role without pg_monitor"
expect_err "pg_monitor"
expect_eq "nothing ran" "$(sqlq "SELECT count(*) FROM t WHERE n = 2")" 0
# Granted pg_monitor, the same role goes ahead.
sqlq "GRANT pg_monitor TO $role"
run --db "postgresql:///$PGDBNAME?host=$PGSOCK&user=$role" up --max-replica-lag 5s
expect_rc 0 "$ERR"
expect_eq "ran once granted" "$(sqlq "SELECT count(*) FROM t WHERE n = 2")" 4000
